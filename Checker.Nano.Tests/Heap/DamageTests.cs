// A damaged heap. A stray write through a block cannot damage the seed's bookkeeping any more: no
// free list lives in the arena (Heap.cs); what is left is the heap's own records disagreeing with
// the arena, here the break moved behind its back. The operation that trips over damage throws
// HeapException with HeapError.Damaged (never a runtime exception), and Validate says where. The
// long campaigns (every bit of the table and the bitmap flipped in turn, through reflection) live
// in tools/Checker.Nano.Reliability.
using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class DamageTests
    {
        [TestMethod]
        [DataRow(0x7FFFFFF0)]
        [DataRow(-8)]
        [DataRow(0)]
        public void StrayWrites_OverFreeFragments_DamageNothing(int word)
        {
            // Fragments 0 and 1 of block 1 handed out, 1 freed again: every free fragment's bytes
            // overwritten (where the seed keeps its links) change nothing the heap decides.
            Heap heap = HeapTesting.NewHeap();
            int a = HeapTesting.Malloc(heap, 16);
            int b = HeapTesting.Malloc(heap, 16);
            heap.Free(b);
            for (int f = 1; f < 256; f++)
            {
                Bytes.PutInt32(heap.Memory, a + (f * 16), word);
                Bytes.PutInt32(heap.Memory, a + (f * 16) + 4, word);
            }

            Assert.IsNull(heap.Validate());
            Assert.AreEqual("1:frag16(255/256,next 1)", heap.Describe());
            Assert.AreEqual(b, HeapTesting.Malloc(heap, 16));
            Assert.AreEqual((int)HeapError.NotInHeap, (int)heap.CheckPointer(0x7FFFFFF0));
            Assert.AreEqual(254, heap.MStats().ChunksFree);
            Assert.AreEqual("the heap's bookkeeping is damaged (Validate says where)", HeapException.MessageOf(HeapError.Damaged));
            HeapTesting.Valid(heap);
        }

        [TestMethod]
        public void Malloc_WhenTheBreakMovedBehindItsBack_ThrowsDamaged_AndMovesNothing()
        {
            Heap heap = HeapTesting.NewHeap();
            HeapTesting.Malloc(heap, 5000);
            heap.Arena.Sbrk(16);
            int brk = heap.Arena.Break;
            string described = heap.Describe();
            HeapError error = HeapError.None;
            try
            {
                heap.Malloc(8192);
            }
            catch (HeapException e)
            {
                error = e.Error;
                Assert.AreEqual("malloc(0x00000000): the heap's bookkeeping is damaged (Validate says where)", e.Message);
            }

            Assert.AreEqual((int)HeapError.Damaged, (int)error);
            Assert.AreEqual(brk, heap.Arena.Break);
            Assert.AreEqual(described, heap.Describe());
            Assert.AreEqual("heap ends at 0x00002008 but the break is 0x00002018", heap.Validate());
        }

        [TestMethod]
        public void Realloc_GrowingWhenTheBreakMovedBehindItsBack_KeepsTheBlockAndItsBytes()
        {
            Heap heap = HeapTesting.NewHeap();
            int p = HeapTesting.Malloc(heap, 5000);
            HeapTesting.Pattern(heap.Memory, p, 5000, 7);
            heap.Arena.Sbrk(16);
            string described = heap.Describe();
            HeapError error = HeapError.None;
            try
            {
                heap.Realloc(p, 20000);
            }
            catch (HeapException e)
            {
                error = e.Error;
            }

            Assert.AreEqual((int)HeapError.Damaged, (int)error);
            Assert.AreEqual(described, heap.Describe());
            Assert.AreEqual(-1, HeapTesting.CheckPattern(heap.Memory, p, 5000, 7));
            Assert.AreEqual((int)HeapError.None, (int)heap.CheckPointer(p));
        }
    }
}
