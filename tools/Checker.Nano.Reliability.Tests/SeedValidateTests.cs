// The seed's policy keeps no list in the arena: its records are the heapinfo table and the
// free-fragment bitmap, private int[]s beside the arena that only damage to the program's own
// memory (a stray write through a reference, a flipped bit) can change. The device tests cannot
// reach them; these reach them by reflection, damage one word, and check that Validate names it
// exactly, and that the debugging walks (Describe, Walk, MStats, Summarize) say what they can
// without an exception (the reliability campaign's bit flips found Describe indexing past the
// bitmap after a fragment block's hint was damaged).
using System;
using System.Reflection;
using Xunit;

namespace Checker.Nano.Reliability.Tests
{
    public class SeedValidateTests
    {
        private static readonly FieldInfo HeapInfo = typeof(BaseHeap).GetField("_heapinfo", BindingFlags.NonPublic | BindingFlags.Instance);
        private static readonly FieldInfo Bits = typeof(Heap).GetField("_bits", BindingFlags.NonPublic | BindingFlags.Instance);
        private static readonly FieldInfo FragHead = typeof(Heap).GetField("_fraghead", BindingFlags.NonPublic | BindingFlags.Instance);

        /// <summary>malloc(5000) (blocks 1-2) and malloc(16) (block 3, 16-byte fragments) on 64 KiB / 4096.</summary>
        private static Heap TwoBlocksAndAFragment()
        {
            var h = new Heap(new byte[65536], 4096);
            Assert.Equal(8, h.Malloc(5000));
            Assert.Equal(8200, h.Malloc(16));
            Assert.Null(h.Validate());
            Assert.Equal("1:used(2) 3:frag16(255/256,next 1)", h.Describe());
            return h;
        }

        private static void WalksSayWhatTheyCan(Heap h)
        {
            h.Describe();
            h.MStats();
            h.Summarize(new HeapSummary());
            int[] rows = new int[h.MaxWalkRows * 4];
            h.WalkTable(rows);
            h.WalkFreeSlots(new int[4096]);
        }

        [Fact]
        public void AFragmentBlocksHint_OutsideItsWords_IsNamed_AndDescribeSaysNoNextFragment()
        {
            Heap h = TwoBlocksAndAFragment();
            int[] table = (int[])HeapInfo.GetValue(h);
            table[(3 * 3) + 1] ^= 1 << 31;   // the hint's top bit
            Assert.Equal("heapinfo[3]: hint -32736, not one of the block's words", h.Validate());
            Assert.Equal("1:used(2) 3:frag16(255/256,next -1)", h.Describe());
            WalksSayWhatTheyCan(h);
        }

        [Theory]
        [InlineData(16)]
        [InlineData(17)]
        [InlineData(19)]
        public void AHintMovedToAnotherWordOfItsBlock_IsNoDamage(int bit)
        {
            // The hint is where malloc looks first, any word of the block: the next malloc looks
            // round the block from there and still hands out a free fragment.
            Heap h = TwoBlocksAndAFragment();
            int[] table = (int[])HeapInfo.GetValue(h);
            table[(3 * 3) + 1] ^= 1 << bit;
            Assert.Null(h.Validate());
            int p = h.Malloc(16);
            Assert.Equal(HeapError.None, h.CheckPointer(p));
            Assert.Null(h.Validate());
            WalksSayWhatTheyCan(h);
        }

        [Theory]
        [InlineData(20)]
        [InlineData(24)]
        [InlineData(30)]
        public void AHintOutsideItsBlock_IsNamed_AndTheWalksStillWork(int bit)
        {
            Heap h = TwoBlocksAndAFragment();
            int[] table = (int[])HeapInfo.GetValue(h);
            table[(3 * 3) + 1] ^= 1 << bit;
            Assert.StartsWith("heapinfo[3]: hint ", h.Validate());
            Assert.EndsWith(", not one of the block's words", h.Validate());
            WalksSayWhatTheyCan(h);
            Assert.Throws<HeapException>(() => h.Malloc(16));
        }

        [Fact]
        public void AFreeFragmentsBit_Cleared_IsACountThatDoesNotAddUp()
        {
            Heap h = TwoBlocksAndAFragment();
            int[] bits = (int[])Bits.GetValue(h);
            int word = (8200 - 8) >> 8;   // the bitmap word of block 3's first 256 bytes
            Assert.Equal(0x55555554, bits[word]);   // a bit per 8 bytes: fragment 0 handed out, 1-15 free
            bits[word] &= ~4;   // fragment 1 no longer free, though nobody has it
            Assert.Equal("heapinfo[3]: 1 live and 254 free fragments (bitmap), not 256", h.Validate());
            WalksSayWhatTheyCan(h);
        }

        [Fact]
        public void ABitSetOffAFragmentStart_IsNamedWithItsAddress()
        {
            var h = new Heap(new byte[65536], 4096);
            Assert.Equal(8, h.Malloc(64));
            int[] bits = (int[])Bits.GetValue(h);
            bits[0] |= 1 << 1;   // byte 8 of block 1: inside fragment 0
            Assert.Equal("bitmap: a free fragment at 0x00000010, off the 64-byte fragments of block 1", h.Validate());
            WalksSayWhatTheyCan(h);
        }

        [Fact]
        public void AListHead_PointingAtAWholeBlock_IsNamed()
        {
            Heap h = TwoBlocksAndAFragment();
            int[] heads = (int[])FragHead.GetValue(h);
            Assert.Equal(3, heads[4]);
            heads[4] = 1;   // block 1 is two whole blocks, no fragment block
            string problem = h.Validate();
            Assert.NotNull(problem);
            Assert.Contains("fragment list 16", problem);
            WalksSayWhatTheyCan(h);
            Assert.Throws<HeapException>(() => h.Malloc(16));
        }
    }
}
