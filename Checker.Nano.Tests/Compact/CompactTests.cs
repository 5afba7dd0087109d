// The Compact policy (COMPACT.md): exact offsets and Describe() strings for the basic cases, bad
// offsets rejected with the heap unchanged, realloc's cases with their data, what it does not
// support, and random operations against a model. BLOCKSIZE 256 on a 64 KiB arena (block 1 at
// offset 8): classes 8..64 by 8, then 80, 96, 112, 128, 160, 192; a 56-byte class has runs of 2
// blocks (9 slots), 112 of 4 blocks (9), 192 of 3 blocks (4); larger requests take at least 256
// bytes in 16-byte granules.
using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class CompactTests
    {
        private static CompactHeap NewHeap()
        {
            return new CompactHeap(new Arena(new byte[65536]), 256);
        }

        [TestMethod]
        public void Compact_IsOptIn_TheDefaultStaysTheSeed()
        {
            Assert.AreEqual("seed", new Heap(new byte[65536], 256).PolicyName);
            Assert.AreEqual("compact", NewHeap().PolicyName);
            Heap seed = new Heap(new Arena(new byte[65536]), 256);
            HeapTesting.Malloc(seed, 50);
            Assert.AreEqual("1:frag64(3/4,next 1)", seed.Describe());
            Assert.ThrowsException(typeof(System.ArgumentOutOfRangeException), () => new CompactHeap(new Arena(new byte[4096]), 32));
        }

        [TestMethod]
        public void Compact_Classes_AndRunLengths()
        {
            Assert.AreEqual(2, CompactHeap.RunBlocks(256, 56));
            Assert.AreEqual(2, CompactHeap.RunBlocks(256, 96));
            Assert.AreEqual(4, CompactHeap.RunBlocks(256, 112));
            Assert.AreEqual(2, CompactHeap.RunBlocks(256, 160));
            Assert.AreEqual(3, CompactHeap.RunBlocks(256, 192));
            Assert.AreEqual(1, CompactHeap.RunBlocks(256, 8));
            Assert.AreEqual(192, NewHeap().LargestClass);
            Assert.AreEqual(384, new CompactHeap(new Arena(new byte[65536]), 512).LargestClass);
        }

        [TestMethod]
        public void Compact_SmallRequest_TakesASlotOfItsClassFromARun()
        {
            CompactHeap heap = NewHeap();
            Assert.AreEqual(8, HeapTesting.Malloc(heap, 50));
            Assert.AreEqual("8:slots56x2(8/9,first 8)", heap.Describe());
            Assert.AreEqual(8 + 512, heap.Arena.Break);
            Assert.AreEqual(56, heap.UsableSize(8));

            // The seed's order: the last slot heads the list.
            Assert.AreEqual(8 + (8 * 56), HeapTesting.Malloc(heap, 56));
            Assert.AreEqual("8:slots56x2(7/9,first 7)", heap.Describe());

            // Another class: its own run, at the next block.
            Assert.AreEqual(520, HeapTesting.Malloc(heap, 1));
            Assert.AreEqual("8:slots56x2(7/9,first 7) 520:slots8x1(31/32,first 31)", heap.Describe());
            MStats s = heap.MStats();
            Assert.AreEqual(3, s.ChunksUsed);
            Assert.AreEqual(56 + 56 + 8, s.BytesUsed);
            Assert.AreEqual(7 + 31, s.ChunksFree);
            Assert.AreEqual((7 * 56) + (31 * 8), s.BytesFree);
        }

        [TestMethod]
        public void Compact_FreeingARunsLastSlot_GivesTheRunBack()
        {
            CompactHeap heap = NewHeap();
            int keep = HeapTesting.Malloc(heap, 300);
            int a = HeapTesting.Malloc(heap, 100);
            int b = HeapTesting.Malloc(heap, 100);
            Assert.AreEqual("8:used(304) 312:free(208) 520:slots112x4(7/9,first 7)", heap.Describe());
            HeapTesting.Free(heap, a);
            Assert.AreEqual("8:used(304) 312:free(208) 520:slots112x4(8/9,first 7)", heap.Describe());
            HeapTesting.Free(heap, b);
            Assert.AreEqual("8:used(304) 312:free(1232)", heap.Describe());
            Assert.AreEqual(keep, 8);
            Assert.AreEqual(2, heap.MStats().ChunksFree + heap.MStats().ChunksUsed);
        }

        [TestMethod]
        public void Compact_LargeRequest_AtLeastABlockIn16ByteGranules()
        {
            CompactHeap heap = NewHeap();
            Assert.AreEqual(8, HeapTesting.Malloc(heap, 300));
            Assert.AreEqual(312, HeapTesting.Malloc(heap, 193));
            Assert.AreEqual(568, HeapTesting.Malloc(heap, 257));
            Assert.AreEqual("8:used(304) 312:used(256) 568:used(272)", heap.Describe());
            Assert.AreEqual(304, heap.UsableSize(8));
            Assert.AreEqual(256, heap.UsableSize(312));
            Assert.AreEqual(840, heap.Arena.Break);

            // A run needs aligned blocks: the bytes up to the next block start stay a gap.
            Assert.AreEqual(1032, HeapTesting.Malloc(heap, 100));
            Assert.AreEqual("8:used(304) 312:used(256) 568:used(272) 840:free(192) 1032:slots112x4(8/9,first 8)", heap.Describe());
        }

        [TestMethod]
        public void Compact_Free_CoalescesWithBothNeighbours()
        {
            CompactHeap heap = NewHeap();
            int a = HeapTesting.Malloc(heap, 300);
            int b = HeapTesting.Malloc(heap, 300);
            int c = HeapTesting.Malloc(heap, 300);
            HeapTesting.Malloc(heap, 300);
            HeapTesting.Free(heap, a);
            HeapTesting.Free(heap, c);
            Assert.AreEqual("8:free(304) 312:used(304) 616:free(304) 920:used(304)", heap.Describe());
            Assert.AreEqual(2, heap.MStats().ChunksFree);
            HeapTesting.Free(heap, b);
            Assert.AreEqual("8:free(912) 920:used(304)", heap.Describe());
            Assert.AreEqual(1, heap.MStats().ChunksFree);
            Assert.AreEqual(912, heap.MStats().LargestFreeRun);

            // The gap is reused from its start.
            Assert.AreEqual(8, HeapTesting.Malloc(heap, 600));
            Assert.AreEqual("8:used(608) 616:free(304) 920:used(304)", heap.Describe());
        }

        [TestMethod]
        public void Compact_TopGapOfFinalFreeBlocks_GoesBackToTheArena()
        {
            CompactHeap heap = NewHeap();
            HeapTesting.Malloc(heap, 300);
            int big = HeapTesting.Malloc(heap, 8 * 256);
            Assert.AreEqual(312 + 2048, heap.Arena.Break);
            HeapTesting.Free(heap, big);
            Assert.AreEqual("8:used(304)", heap.Describe());
            Assert.AreEqual(312, heap.Arena.Break);
            Assert.AreEqual(0, heap.MStats().ChunksFree);

            int smaller = HeapTesting.Malloc(heap, 2000);
            HeapTesting.Free(heap, smaller);
            Assert.AreEqual("8:used(304) 312:free(2000)", heap.Describe());
            Assert.AreEqual(2312, heap.Arena.Break);

            // A request that does not fit grows the gap at the top instead of leaving it.
            Assert.AreEqual(312, HeapTesting.Malloc(heap, 3000));
            Assert.AreEqual("8:used(304) 312:used(3008)", heap.Describe());
            Assert.AreEqual(3320, heap.Arena.Break);
        }

        [TestMethod]
        public void Compact_Calloc_ZeroesAndChecksTheProduct()
        {
            CompactHeap heap = NewHeap();
            int p = HeapTesting.Malloc(heap, 300);
            HeapTesting.Pattern(heap.Memory, p, 300, 5);
            HeapTesting.Free(heap, p);
            int q = heap.Calloc(3, 100);
            HeapTesting.Valid(heap);
            Assert.AreEqual(p, q);
            for (int i = 0; i < 300; i++)
            {
                Assert.AreEqual((byte)0, heap.Memory[q + i]);
            }

            Assert.AreEqual(0, heap.Calloc(65536, 65536));
            Assert.AreEqual(0, heap.Malloc(0));
            Assert.AreEqual(0, heap.Malloc(-1));
            Assert.AreEqual(0, heap.Malloc(1 << 20));
            HeapTesting.Valid(heap);
        }

        [TestMethod]
        public void Compact_Realloc_WithinItsClass_StaysInPlace_ElseMoves()
        {
            CompactHeap heap = NewHeap();
            int p = HeapTesting.Malloc(heap, 20);
            HeapTesting.Pattern(heap.Memory, p, 20, 1);
            Assert.AreEqual(p, HeapTesting.Realloc(heap, p, 24));
            Assert.AreEqual(p, HeapTesting.Realloc(heap, p, 17));
            int q = HeapTesting.Realloc(heap, p, 30);
            Assert.AreEqual(264, q);
            Assert.AreEqual(-1, HeapTesting.CheckPattern(heap.Memory, q, 17, 1));
            Assert.AreEqual("8:free(256) 264:slots32x1(7/8,first 7)", heap.Describe());
        }

        [TestMethod]
        public void Compact_Realloc_LargeShrinksInPlace_AndGrowsIntoTheGapAfter()
        {
            CompactHeap heap = NewHeap();
            int p = HeapTesting.Malloc(heap, 1000);
            HeapTesting.Pattern(heap.Memory, p, 1000, 2);
            Assert.AreEqual(p, HeapTesting.Realloc(heap, p, 600));
            Assert.AreEqual("8:used(608) 616:free(400)", heap.Describe());
            Assert.AreEqual(p, HeapTesting.Realloc(heap, p, 900));
            Assert.AreEqual("8:used(912) 920:free(96)", heap.Describe());
            Assert.AreEqual(-1, HeapTesting.CheckPattern(heap.Memory, p, 600, 2));
            Assert.AreEqual(p, HeapTesting.Realloc(heap, p, 905));
        }

        [TestMethod]
        public void Compact_Realloc_GrowsDownIntoTheGapBefore_KeepingItsData()
        {
            CompactHeap heap = NewHeap();
            int a = HeapTesting.Malloc(heap, 300);
            int b = HeapTesting.Malloc(heap, 300);
            HeapTesting.Malloc(heap, 300);
            HeapTesting.Pattern(heap.Memory, b, 300, 3);
            HeapTesting.Free(heap, a);
            int q = HeapTesting.Realloc(heap, b, 500);
            Assert.AreEqual(8, q);
            Assert.AreEqual("8:used(512) 520:free(96) 616:used(304)", heap.Describe());
            Assert.AreEqual(-1, HeapTesting.CheckPattern(heap.Memory, q, 300, 3));
        }

        [TestMethod]
        public void Compact_Realloc_GrowsByMoving_KeepingItsData()
        {
            CompactHeap heap = NewHeap();
            int a = HeapTesting.Malloc(heap, 300);
            HeapTesting.Malloc(heap, 300);
            HeapTesting.Pattern(heap.Memory, a, 300, 4);
            int q = HeapTesting.Realloc(heap, a, 600);
            Assert.AreEqual(616, q);
            Assert.AreEqual("8:free(304) 312:used(304) 616:used(608)", heap.Describe());
            Assert.AreEqual(-1, HeapTesting.CheckPattern(heap.Memory, q, 300, 4));
        }

        [TestMethod]
        public void Compact_Realloc_WithoutRoom_LeavesTheBlockAsItWas()
        {
            CompactHeap heap = new CompactHeap(new Arena(new byte[1032]), 256);
            int a = HeapTesting.Malloc(heap, 300);
            HeapTesting.Malloc(heap, 300);
            HeapTesting.Pattern(heap.Memory, a, 300, 6);
            Assert.AreEqual(0, HeapTesting.Realloc(heap, a, 700));
            Assert.AreEqual("8:used(304) 312:used(304)", heap.Describe());
            Assert.AreEqual(-1, HeapTesting.CheckPattern(heap.Memory, a, 300, 6));
            Assert.AreEqual(0, HeapTesting.Malloc(heap, 500));
            Assert.AreEqual("8:used(304) 312:used(304)", heap.Describe());
        }

        [TestMethod]
        public void Compact_Realloc_LargeToSmall_MovesToASlot()
        {
            CompactHeap heap = NewHeap();
            int p = HeapTesting.Malloc(heap, 300);
            HeapTesting.Pattern(heap.Memory, p, 300, 7);
            int q = HeapTesting.Realloc(heap, p, 40);
            Assert.AreEqual(520, q);
            Assert.AreEqual("8:free(512) 520:slots40x1(5/6,first 5)", heap.Describe());
            Assert.AreEqual(-1, HeapTesting.CheckPattern(heap.Memory, q, 40, 7));
            Assert.AreEqual(0, HeapTesting.Realloc(heap, q, 0));
            Assert.AreEqual("8:free(768)", heap.Describe());   // shorter than FINAL_FREE_BLOCKS: kept
            Assert.AreEqual(776, heap.Arena.Break);
        }

        [TestMethod]
        public void Compact_BadFrees_ThrowTheirErrorAndChangeNothing()
        {
            CompactHeap heap = NewHeap();
            int p = HeapTesting.Malloc(heap, 300);
            int s = HeapTesting.Malloc(heap, 20);
            Assert.AreEqual(520, s);
            Assert.AreEqual("8:used(304) 312:free(208) 520:slots24x1(9/10,first 9)", heap.Describe());

            HeapTesting.Rejects(heap, HeapError.NotInHeap, "free(0x00000004): offset is not inside the heap", () => heap.Free(4));
            HeapTesting.Rejects(heap, HeapError.NotInHeap, null, () => heap.Free(776));
            HeapTesting.Rejects(heap, HeapError.Interior, "free(0x00000018): offset is inside a block, not at its start", () => heap.Free(p + 16));
            HeapTesting.Rejects(heap, HeapError.Interior, null, () => heap.Free(p + 296));
            HeapTesting.Rejects(heap, HeapError.FreeMemory, null, () => heap.Free(312));
            HeapTesting.Rejects(heap, HeapError.FreeMemory, null, () => heap.Free(400));
            HeapTesting.Rejects(heap, HeapError.Interior, null, () => heap.Free(s + 8));
            HeapTesting.Rejects(heap, HeapError.FreeMemory, null, () => heap.Free(s + 24));
            HeapTesting.Rejects(heap, HeapError.FreeMemory, null, () => heap.Free(s + 240));   // the run's tail
            HeapTesting.Rejects(heap, HeapError.Interior, null, () => heap.Realloc(p + 16, 10));
            HeapTesting.Rejects(heap, HeapError.FreeMemory, null, () => heap.UsableSize(312));
            HeapTesting.Rejects(heap, HeapError.Interior, null, () => heap.ReadByte(s + 1, 0));

            Assert.AreEqual((int)HeapError.None, (int)heap.CheckPointer(p));
            Assert.AreEqual((int)HeapError.None, (int)heap.CheckPointer(s));
            Assert.AreEqual((int)HeapError.NotInHeap, (int)heap.CheckPointer(0));

            HeapTesting.Free(heap, p);
            HeapTesting.Rejects(heap, HeapError.FreeMemory, "free(0x00000008): offset is free memory (double free, or never allocated)", () => heap.Free(p));
            HeapTesting.Free(heap, s);
            HeapTesting.Rejects(heap, HeapError.FreeMemory, null, () => heap.Free(s));
            Assert.AreEqual("8:free(768)", heap.Describe());
        }

        [TestMethod]
        public void Compact_LargeObjectsSpanningBlocks_InteriorAndGapOffsetsAreRecognized()
        {
            CompactHeap heap = NewHeap();
            int a = HeapTesting.Malloc(heap, 1000);
            int b = HeapTesting.Malloc(heap, 1000);
            HeapTesting.Malloc(heap, 300);
            HeapTesting.Free(heap, a);
            Assert.AreEqual((int)HeapError.FreeMemory, (int)heap.CheckPointer(a + 600));
            Assert.AreEqual((int)HeapError.Interior, (int)heap.CheckPointer(b + 600));
            Assert.AreEqual((int)HeapError.Interior, (int)heap.CheckPointer(b + 992));
            Assert.AreEqual((int)HeapError.None, (int)heap.CheckPointer(b));
        }

        [TestMethod]
        public void Compact_DataAccessors_CheckTheBlock()
        {
            CompactHeap heap = NewHeap();
            int p = HeapTesting.Malloc(heap, 300);
            heap.WriteInt32(p, 300, 0x12345678);
            Assert.AreEqual(0x12345678, heap.ReadInt32(p, 300));
            Assert.ThrowsException(typeof(System.ArgumentOutOfRangeException), () => heap.ReadInt32(p, 301));
            int s = HeapTesting.Malloc(heap, 10);
            heap.WriteByte(s, 15, 9);
            Assert.AreEqual((byte)9, heap.ReadByte(s, 15));
            Assert.ThrowsException(typeof(System.ArgumentOutOfRangeException), () => heap.ReadByte(s, 16));
            HeapTesting.Valid(heap);
        }

        [TestMethod]
        public void Compact_Memalign_HandsOutAnAlignedOffsetInsideALargerBlock()
        {
            CompactHeap heap = NewHeap();
            HeapTesting.Malloc(heap, 10);                         // a run of 16-byte slots at 8
            int p = heap.Memalign(64, 10);                        // malloc(73): an 80-byte slot
            Assert.AreEqual(0, p % 64);
            Assert.AreEqual(320, p);                              // inside the 80-byte slot at 264
            Assert.AreEqual(HeapError.None, heap.CheckPointer(p));
            Assert.AreEqual(HeapError.Interior, heap.CheckPointer(264));   // the real start is never handed out
            Assert.AreEqual(24, heap.UsableSize(p));              // to the end of its slot
            heap.WriteInt32(p, 20, 7);
            HeapTesting.Valid(heap);
            int q = HeapTesting.Realloc(heap, p, 100);            // an ordinary block, the contents kept
            Assert.AreEqual(7, heap.ReadInt32(q, 20));
            Assert.AreEqual(HeapError.FreeMemory, heap.CheckPointer(264));
            HeapTesting.Free(heap, q);
            int big = heap.Memalign(1024, 300);
            Assert.AreEqual(0, big % 1024);
            HeapTesting.Free(heap, big);
            HeapTesting.Valid(heap);
        }

        [TestMethod]
        public void Compact_Walks_RowsInBytes()
        {
            CompactHeap heap = NewHeap();
            HeapTesting.Malloc(heap, 50);                         // run of 2 blocks of 56-byte slots at 8
            int a = HeapTesting.Malloc(heap, 300);                // object at 520
            HeapTesting.Malloc(heap, 300);                        // object at 824
            HeapTesting.Free(heap, a);                            // gap [520, 824)
            Assert.AreEqual("8:slots56x2(8/9,first 8) 520:free(304) 824:used(304)", heap.Describe());
            int[] rows = new int[heap.MaxWalkRows * BaseHeap.WALK_WORDS];
            Assert.AreEqual(3, heap.WalkTable(rows));
            int[] expected = { 8, 512, 56, 8, 520, 304, BaseHeap.WalkFree, 0, 824, 304, BaseHeap.WalkObject, 0 };
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.AreEqual(expected[i], rows[i], "row int " + i.ToString());
            }

            int[] frees = new int[16];
            Assert.AreEqual(8, heap.WalkFreeSlots(frees));
            Assert.AreEqual(8 + (8 * 56), frees[0]);              // the list from the run's last slot down
            Assert.AreEqual(8 + 56, frees[7]);

            HeapSummary s = new HeapSummary();
            heap.Summarize(s);
            Assert.AreEqual(1, s.Objects);
            Assert.AreEqual(304, s.ObjectBytes);
            Assert.AreEqual(1, s.Holes);
            Assert.AreEqual(304, s.HoleBytes);
            int c = 6;                                            // classes 8, 16, ..., 56: 56 is class 6
            Assert.AreEqual(56, s.FragmentSize[c]);
            Assert.AreEqual(2, s.FragmentBlocks[c]);
            Assert.AreEqual(1, s.FragmentsUsed[c]);
            Assert.AreEqual(8, s.FragmentsFree[c]);
            MStats m = heap.MStats();
            Assert.AreEqual(m.ChunksUsed, s.Stats.ChunksUsed);
            Assert.AreEqual(m.BytesUsed, s.Stats.BytesUsed);
            Assert.AreEqual(m.ChunksFree, s.Stats.ChunksFree);
            Assert.AreEqual(m.BytesFree, s.Stats.BytesFree);
            Assert.AreEqual(304, s.Stats.LargestFreeRun);
            Assert.AreEqual(heap.FreeAndHeadroomBytes(), s.FreeBytes);
        }

        [TestMethod]
        public void Compact_MStats_CountsTheTableAndTheLists()
        {
            CompactHeap heap = NewHeap();
            MStats s = heap.MStats();

            // table: (65536 - 8) / 256 + 2 = 257 entries of 12 bytes; 14 classes (size, blocks,
            // slots, head: 13 bytes each); 24 size-to-class bytes; gap lists for 16 .. 64 KiB
            // (13 levels of 8 heads and a bitmap each) and the first-level bitmap; memalign's 16
            // pairs of offsets.
            Assert.AreEqual((257 * 12) + (14 * 13) + 24 + (13 * 8 * 4) + (13 * 4) + 4 + (16 * 8), s.MetadataBytes);
            Assert.AreEqual(s.MetadataBytes, heap.MetadataBytes);
            Assert.AreEqual(0, s.BytesTotal);
        }

        [TestMethod]
        public void Compact_Reset_ForgetsEverything()
        {
            CompactHeap heap = NewHeap();
            HeapTesting.Malloc(heap, 10);
            HeapTesting.Malloc(heap, 1000);
            heap.Reset();
            HeapTesting.Valid(heap);
            Assert.AreEqual("", heap.Describe());
            Assert.AreEqual(8, HeapTesting.Malloc(heap, 1000));
        }

        [TestMethod]
        public void Compact_Describe_ListsEveryItem_OfAHeapOfManyGaps()
        {
            // 40 items, large objects and gaps of one block: more than Describe's first array of 16 holds.
            CompactHeap heap = NewHeap();
            string expected = HeapTesting.FortyItems(heap, true, "free(256)", "used(256)");
            Assert.AreEqual(expected, heap.Describe());
            HeapTesting.Valid(heap);
        }

        [TestMethod]
        public void Compact_Validate_FindsDamage()
        {
            CompactHeap heap = NewHeap();
            int a = HeapTesting.Malloc(heap, 300);
            HeapTesting.Malloc(heap, 300);
            HeapTesting.Free(heap, a);

            // The gap's prev link (its bytes 4..7) overwritten.
            heap.Memory[a + 4] = 0x55;
            Assert.IsNotNull(heap.Validate());
            heap.Memory[a + 4] = 0;
            HeapTesting.Valid(heap);
        }

        [TestMethod]
        public void Compact_BreakMovedBehindItsBack_MallocThrowsDamaged_AndMovesNothing()
        {
            // Found by the reliability tool's bit flips (the heap's top flipped): growing the heap
            // let InvalidOperationException out. Now the documented answer to damage.
            CompactHeap heap = NewHeap();
            int p = HeapTesting.Malloc(heap, 1000);
            heap.Fill(p, 0, 1000, 0x5A);
            heap.Arena.Sbrk(16);
            int brk = heap.Arena.Break;
            string described = heap.Describe();
            Assert.IsNotNull(heap.Validate());
            HeapError error = HeapError.None;
            try
            {
                heap.Malloc(5000);
            }
            catch (HeapException e)
            {
                error = e.Error;
            }

            Assert.AreEqual((int)HeapError.Damaged, (int)error);
            Assert.AreEqual(brk, heap.Arena.Break);

            // realloc's grow answers before it frees the block: the block and its bytes stay.
            error = HeapError.None;
            try
            {
                heap.Realloc(p, 5000);
            }
            catch (HeapException e)
            {
                error = e.Error;
            }

            Assert.AreEqual((int)HeapError.Damaged, (int)error);
            Assert.AreEqual(described, heap.Describe());
            Assert.AreEqual(1008, heap.UsableSize(p));
            for (int i = 0; i < 1000; i++)
            {
                Assert.AreEqual((byte)0x5A, heap.Memory[p + i]);
            }

            error = HeapError.None;
            try
            {
                heap.Malloc(10);
            }
            catch (HeapException e)
            {
                error = e.Error;
            }

            Assert.AreEqual((int)HeapError.Damaged, (int)error);
            Assert.AreEqual(brk, heap.Arena.Break);

            heap.Arena.Sbrk(-16);
            HeapTesting.Valid(heap);
            Assert.AreNotEqual(0, heap.Malloc(5000));
            HeapTesting.Valid(heap);
        }

        [TestMethod]
        [DataRow(1, 256, 65536, 20000, 50)]
        [DataRow(2, 256, 65536, 20000, 100)]
        [DataRow(3, 512, 65536, 20000, 60)]
        [DataRow(4, 256, 16384, 20000, 100)]
        [DataRow(5, 64, 16384, 10000, 80)]
        public void Compact_RandomOperations_MatchTheModel(int seed, int blockSize, int heapBytes, int operations, int fillPercent)
        {
            OutputHelper.WriteLine("seed " + seed.ToString() + ", BLOCKSIZE " + blockSize.ToString() + ", HEAP " + heapBytes.ToString()
                + ", " + operations.ToString() + " operations, target fill " + fillPercent.ToString() + "%");
            CompactHeap heap = new CompactHeap(new Arena(new byte[heapBytes]), blockSize);
            HeapModel.RunAgainstTheModel(heap, seed, heapBytes, operations, fillPercent, blockSize, blockSize * 4, true);
            Assert.IsTrue(heap.MStats().ChunksFree <= 1, "everything freed leaves at most one gap: " + heap.Describe());
        }
    }
}
