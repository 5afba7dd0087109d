using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class ReallocTests
    {
        [TestMethod]
        public void Realloc_OfNull_IsMalloc()
        {
            Heap heap = HeapTesting.NewHeap();
            Assert.AreEqual(8, HeapTesting.Realloc(heap, 0, 100));
            Assert.AreEqual("1:frag128(31/32,next 1)", heap.Describe());
        }

        [TestMethod]
        public void Realloc_ToZero_FreesAndReturnsNull()
        {
            Heap heap = HeapTesting.NewHeap();
            int p = HeapTesting.Malloc(heap, 5000);
            HeapTesting.Malloc(heap, 4096);
            Assert.AreEqual(0, HeapTesting.Realloc(heap, p, 0));
            Assert.AreEqual("1:free(2) 3:used(1)", heap.Describe());
        }

        [TestMethod]
        public void Realloc_FragmentWithinItsSize_StaysInPlace()
        {
            Heap heap = HeapTesting.NewHeap();
            int p = HeapTesting.Malloc(heap, 100);
            Assert.AreEqual(p, HeapTesting.Realloc(heap, p, 128));
            Assert.AreEqual(p, HeapTesting.Realloc(heap, p, 65));
            int q = HeapTesting.Malloc(heap, 4);
            Assert.AreEqual(q, HeapTesting.Realloc(heap, q, 1));
            Assert.AreEqual(q, HeapTesting.Realloc(heap, q, 8));
        }

        [TestMethod]
        public void Realloc_FragmentToOtherSize_MovesAndKeepsContents()
        {
            Heap heap = HeapTesting.NewHeap();
            int p = HeapTesting.Malloc(heap, 100);
            HeapTesting.Pattern(heap.Memory, p, 100, 5);
            int q = HeapTesting.Realloc(heap, p, 40);
            Assert.AreEqual(8 + 4096, q);
            Assert.AreEqual(-1, HeapTesting.CheckPattern(heap.Memory, q, 40, 5));
            Assert.AreEqual("1:free(1) 2:frag64(63/64,next 1)", heap.Describe());

            int r = HeapTesting.Realloc(heap, q, 3000);
            Assert.AreEqual(8, r);
            Assert.AreEqual(-1, HeapTesting.CheckPattern(heap.Memory, r, 40, 5));
            Assert.AreEqual("1:used(1) 2:free(1)", heap.Describe());
        }

        [TestMethod]
        public void Realloc_BlocksToFragment_MovesAndKeepsContents()
        {
            Heap heap = HeapTesting.NewHeap();
            int p = HeapTesting.Malloc(heap, 5000);
            HeapTesting.Pattern(heap.Memory, p, 5000, 9);
            int q = HeapTesting.Realloc(heap, p, 100);
            Assert.AreEqual(8 + 8192, q);
            Assert.AreEqual(-1, HeapTesting.CheckPattern(heap.Memory, q, 100, 9));
            Assert.AreEqual("1:free(2) 3:frag128(31/32,next 1)", heap.Describe());
        }

        [TestMethod]
        public void Realloc_FewerBlocks_ShrinksInPlace()
        {
            Heap heap = HeapTesting.NewHeap();
            int p = HeapTesting.Malloc(heap, 5 * 4096);
            HeapTesting.Malloc(heap, 4096);
            Assert.AreEqual(p, HeapTesting.Realloc(heap, p, 2 * 4096));
            Assert.AreEqual("1:used(2) 3:free(3) 6:used(1)", heap.Describe());
            Assert.AreEqual(p, HeapTesting.Realloc(heap, p, 2 * 4096 - 100));
            Assert.AreEqual("1:used(2) 3:free(3) 6:used(1)", heap.Describe());
        }

        [TestMethod]
        public void Realloc_FewerBlocksAtTheTop_GivesThemBack()
        {
            Heap heap = HeapTesting.NewHeap();
            int p = HeapTesting.Malloc(heap, 12 * 4096);
            Assert.AreEqual(p, HeapTesting.Realloc(heap, p, 2 * 4096));
            Assert.AreEqual("1:used(2)", heap.Describe());
            Assert.AreEqual(8 + 8192, heap.Arena.Break);
        }

        [TestMethod]
        public void Realloc_MoreBlocks_GrowsInPlaceIntoTheFreeBlocksAfter()
        {
            Heap heap = HeapTesting.NewHeap();
            int a = HeapTesting.Malloc(heap, 2 * 4096);
            int b = HeapTesting.Malloc(heap, 2 * 4096);
            HeapTesting.Malloc(heap, 4096);
            HeapTesting.Pattern(heap.Memory, a, 8192, 3);
            HeapTesting.Free(heap, b);
            Assert.AreEqual(a, HeapTesting.Realloc(heap, a, 4 * 4096));
            Assert.AreEqual("1:used(4) 5:used(1)", heap.Describe());
            Assert.AreEqual(-1, HeapTesting.CheckPattern(heap.Memory, a, 8192, 3));
        }

        [TestMethod]
        public void Realloc_MoreBlocksAtTheTop_ExtendsTheBreak()
        {
            Heap heap = HeapTesting.NewHeap();
            HeapTesting.Malloc(heap, 4096);
            int a = HeapTesting.Malloc(heap, 4096);
            Assert.AreEqual(a, HeapTesting.Realloc(heap, a, 3 * 4096));
            Assert.AreEqual("1:used(1) 2:used(3)", heap.Describe());
            Assert.AreEqual(8 + (4 * 4096), heap.Arena.Break);
        }

        [TestMethod]
        public void Realloc_MoreBlocks_MovesDownIntoAFreeNeighbourBefore()
        {
            Heap heap = HeapTesting.NewHeap();
            int p = HeapTesting.Malloc(heap, 4096);
            int a = HeapTesting.Malloc(heap, 4096);
            HeapTesting.Malloc(heap, 4096);
            HeapTesting.Pattern(heap.Memory, a, 4096, 7);
            HeapTesting.Free(heap, p);
            int r = HeapTesting.Realloc(heap, a, 2 * 4096);
            Assert.AreEqual(p, r);
            Assert.AreEqual("1:used(2) 3:used(1)", heap.Describe());
            Assert.AreEqual(-1, HeapTesting.CheckPattern(heap.Memory, r, 4096, 7));
        }

        [TestMethod]
        public void Realloc_MoreBlocks_MovesAndCopiesWhenNothingAdjacentIsFree()
        {
            Heap heap = HeapTesting.NewHeap();
            int a = HeapTesting.Malloc(heap, 4096);
            HeapTesting.Malloc(heap, 4096);
            HeapTesting.Pattern(heap.Memory, a, 4096, 11);
            int r = HeapTesting.Realloc(heap, a, 2 * 4096);
            Assert.AreEqual(8 + 8192, r);
            Assert.AreEqual("1:free(1) 2:used(1) 3:used(2)", heap.Describe());
            Assert.AreEqual(-1, HeapTesting.CheckPattern(heap.Memory, r, 4096, 11));
        }

        [TestMethod]
        public void Realloc_GrowthThatCannotFit_ReturnsNullAndLeavesTheBlock()
        {
            Heap heap = HeapTesting.NewHeap();
            int p = HeapTesting.Malloc(heap, 4096);
            int a = HeapTesting.Malloc(heap, 4096);
            int q = HeapTesting.Malloc(heap, 4096);
            HeapTesting.Malloc(heap, 12 * 4096);   // the arena is full now: 15 blocks
            HeapTesting.Pattern(heap.Memory, a, 4096, 13);
            HeapTesting.Free(heap, p);
            Assert.AreEqual("1:free(1) 2:used(1) 3:used(1) 4:used(12)", heap.Describe());
            int rover = heap.HeapIndex;

            // a + its free neighbour make 2 blocks; 3 are asked for and the arena is full.
            Assert.AreEqual(0, HeapTesting.Realloc(heap, a, 3 * 4096));
            Assert.AreEqual("1:free(1) 2:used(1) 3:used(1) 4:used(12)", heap.Describe());
            Assert.AreEqual(-1, HeapTesting.CheckPattern(heap.Memory, a, 4096, 13));
            Assert.AreEqual(rover, heap.HeapIndex);

            // Without a free neighbour before it.
            HeapTesting.Pattern(heap.Memory, q, 4096, 17);
            Assert.AreEqual(0, HeapTesting.Realloc(heap, q, 2 * 4096));
            Assert.AreEqual("1:free(1) 2:used(1) 3:used(1) 4:used(12)", heap.Describe());
            Assert.AreEqual(-1, HeapTesting.CheckPattern(heap.Memory, q, 4096, 17));
        }

        [TestMethod]
        public void Realloc_NegativeSize_ReturnsNullAndKeepsTheBlock()
        {
            Heap heap = HeapTesting.NewHeap();
            int p = HeapTesting.Malloc(heap, 100);
            Assert.AreEqual(0, HeapTesting.Realloc(heap, p, -1));
            Assert.AreEqual("1:frag128(31/32,next 1)", heap.Describe());
        }

        [TestMethod]
        public void Realloc_BadOffsets_AreRejected()
        {
            Heap heap = HeapTesting.NewHeap();
            int p = HeapTesting.Malloc(heap, 100);
            int q = HeapTesting.Malloc(heap, 100);
            HeapTesting.Free(heap, q);
            HeapTesting.Rejects(heap, HeapError.FreeMemory, "realloc(0x00000088): offset is free memory (double free, or never allocated)", () => heap.Realloc(q, 10));
            HeapTesting.Rejects(heap, HeapError.Interior, null, () => heap.Realloc(p + 2, 10));
            HeapTesting.Rejects(heap, HeapError.NotInHeap, null, () => heap.Realloc(60000, 10));
        }
    }
}
