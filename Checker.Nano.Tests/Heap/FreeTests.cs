using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class FreeTests
    {
        [TestMethod]
        public void Free_OfNull_DoesNothing()
        {
            Heap heap = HeapTesting.NewHeap();
            HeapTesting.Free(heap, 0);
            HeapTesting.Malloc(heap, 10);
            HeapTesting.Free(heap, 0);
            Assert.AreEqual("1:frag16(255/256,next 1)", heap.Describe());
        }

        [TestMethod]
        public void Describe_ListsEveryItem_OfAHeapOfManyClusters()
        {
            // 40 items: more than Describe's first array of 16 holds (it doubles twice).
            Heap heap = new Heap(new Arena(new byte[65536]), 256);
            string expected = HeapTesting.FortyItems(heap, false, "free(1)", "used(1)");
            Assert.AreEqual(expected, heap.Describe());
            HeapTesting.Valid(heap);
        }

        [TestMethod]
        public void Free_CoalescesWithBothNeighbours()
        {
            Heap heap = HeapTesting.NewHeap();
            int a = HeapTesting.Malloc(heap, 4096);
            int b = HeapTesting.Malloc(heap, 4096);
            int c = HeapTesting.Malloc(heap, 4096);
            HeapTesting.Malloc(heap, 4096);
            HeapTesting.Free(heap, a);
            HeapTesting.Free(heap, c);
            Assert.AreEqual("1:free(1) 2:used(1) 3:free(1) 4:used(1)", heap.Describe());
            Assert.AreEqual(2, heap.MStats().ChunksFree);
            HeapTesting.Free(heap, b);
            Assert.AreEqual("1:free(3) 4:used(1)", heap.Describe());
            Assert.AreEqual(1, heap.MStats().ChunksFree);
            Assert.AreEqual(1, heap.HeapIndex);
        }

        [TestMethod]
        public void Free_TopRunOfFinalFreeBlocks_ShrinksTheBreak()
        {
            Heap heap = HeapTesting.NewHeap();
            HeapTesting.Malloc(heap, 4096);
            int big = HeapTesting.Malloc(heap, 8 * 4096);
            Assert.AreEqual(8 + (9 * 4096), heap.Arena.Break);
            HeapTesting.Free(heap, big);
            Assert.AreEqual("1:used(1)", heap.Describe());
            Assert.AreEqual(8 + 4096, heap.Arena.Break);
            Assert.AreEqual(0, heap.MStats().ChunksFree);
        }

        [TestMethod]
        public void Free_TopRunShorterThanFinalFreeBlocks_KeepsTheBreak()
        {
            Heap heap = HeapTesting.NewHeap();
            HeapTesting.Malloc(heap, 4096);
            int run = HeapTesting.Malloc(heap, 7 * 4096);
            HeapTesting.Free(heap, run);
            Assert.AreEqual("1:used(1) 2:free(7)", heap.Describe());
            Assert.AreEqual(8 + (8 * 4096), heap.Arena.Break);
        }

        [TestMethod]
        public void Free_CoalescingIntoTheTopRun_ShrinksTheBreak()
        {
            Heap heap = HeapTesting.NewHeap();
            HeapTesting.Malloc(heap, 4096);
            int a = HeapTesting.Malloc(heap, 4 * 4096);
            int b = HeapTesting.Malloc(heap, 4 * 4096);
            HeapTesting.Free(heap, b);
            Assert.AreEqual("1:used(1) 2:used(4) 6:free(4)", heap.Describe());
            HeapTesting.Free(heap, a);
            Assert.AreEqual("1:used(1)", heap.Describe());
            Assert.AreEqual(8 + 4096, heap.Arena.Break);
        }

        [TestMethod]
        public void Free_LastFragmentOfABlock_ReturnsTheBlock()
        {
            Heap heap = HeapTesting.NewHeap();
            int keep = HeapTesting.Malloc(heap, 5000);
            int a = HeapTesting.Malloc(heap, 100);
            int b = HeapTesting.Malloc(heap, 100);
            Assert.AreEqual("1:used(2) 3:frag128(30/32,next 2)", heap.Describe());
            HeapTesting.Free(heap, a);
            Assert.AreEqual("1:used(2) 3:frag128(31/32,next 0)", heap.Describe());
            HeapTesting.Free(heap, b);
            Assert.AreEqual("1:used(2) 3:free(1)", heap.Describe());
            Assert.AreEqual(3 * 4096, heap.MStats().BytesTotal);
            Assert.AreEqual(8, keep);
        }

        [TestMethod]
        public void Free_FragmentsOfTwoBlocks_EachBlockKeepsItsOwn()
        {
            Heap heap = HeapTesting.NewHeap();
            int[] p = new int[64];
            for (int i = 0; i < 64; i++)
            {
                p[i] = HeapTesting.Malloc(heap, 128);
            }

            Assert.AreEqual("1:frag128(0/32) 2:frag128(0/32)", heap.Describe());

            // Interleave frees between the two blocks: each block's free fragments are its own, and
            // a block freed into while it had none free goes to the head of the list (the seed's).
            for (int i = 0; i < 10; i++)
            {
                HeapTesting.Free(heap, p[i]);
                HeapTesting.Free(heap, p[32 + i]);
            }

            // Each block's hint is the bitmap word of the last fragment freed into it: fragment 9's,
            // which holds fragments 8 and 9 (128 bytes each in 256 bytes).
            Assert.AreEqual("1:frag128(10/32,next 8) 2:frag128(10/32,next 8)", heap.Describe());

            // The head of the list is block 2 (the last to get a free fragment back); malloc takes
            // the lowest of its hint word, fragment 8 (p[40]); fragment 9 is next.
            Assert.AreEqual(p[40], HeapTesting.Malloc(heap, 128));
            Assert.AreEqual("1:frag128(10/32,next 8) 2:frag128(9/32,next 9)", heap.Describe());
            Assert.AreEqual(p[41], HeapTesting.Malloc(heap, 128));
            HeapTesting.Valid(heap);
        }

        [TestMethod]
        public void Free_Twice_Block_IsRejected()
        {
            Heap heap = HeapTesting.NewHeap();
            HeapTesting.Malloc(heap, 4096);
            int p = HeapTesting.Malloc(heap, 4096);
            HeapTesting.Malloc(heap, 4096);
            HeapTesting.Free(heap, p);
            HeapTesting.Rejects(heap, HeapError.FreeMemory, "free(0x00001008): offset is free memory (double free, or never allocated)", () => heap.Free(p));
        }

        [TestMethod]
        public void Free_Twice_Fragment_IsRejected()
        {
            Heap heap = HeapTesting.NewHeap();
            int a = HeapTesting.Malloc(heap, 100);
            int b = HeapTesting.Malloc(heap, 100);
            int c = HeapTesting.Malloc(heap, 100);
            HeapTesting.Free(heap, b);
            HeapTesting.Rejects(heap, HeapError.FreeMemory, null, () => heap.Free(b));
            HeapTesting.Free(heap, a);
            HeapTesting.Rejects(heap, HeapError.FreeMemory, null, () => heap.Free(a));
            HeapTesting.Rejects(heap, HeapError.FreeMemory, null, () => heap.Free(b));
            Assert.AreEqual("1:frag128(31/32,next 0)", heap.Describe());

            // A fragment never handed out is free memory too.
            HeapTesting.Rejects(heap, HeapError.FreeMemory, null, () => heap.Free(8 + (5 * 128)));
            HeapTesting.Free(heap, c);
            Assert.AreEqual("1:free(1)", heap.Describe());
        }

        [TestMethod]
        public void Free_LiveFragmentWhoseBytesLookLikeLinks_IsNotMistakenForFree()
        {
            Heap heap = HeapTesting.NewHeap();
            int a = HeapTesting.Malloc(heap, 8);
            int b = HeapTesting.Malloc(heap, 8);
            int c = HeapTesting.Malloc(heap, 8);
            HeapTesting.Free(heap, c);

            // A user list node {next, prev} in b whose prev is a and a's next is b: the link test
            // passes, the walk of the block's free run decides.
            heap.WriteInt32(b, 0, a);
            heap.WriteInt32(b, 4, a);
            heap.WriteInt32(a, 0, b);
            HeapTesting.Free(heap, b);
            HeapTesting.Free(heap, a);
        }

        [TestMethod]
        public void Free_InteriorOfBlock_IsRejected()
        {
            Heap heap = HeapTesting.NewHeap();
            int p = HeapTesting.Malloc(heap, 3 * 4096);
            HeapTesting.Rejects(heap, HeapError.Interior, "free(0x0000000C): offset is inside a block, not at its start", () => heap.Free(p + 4));
            HeapTesting.Rejects(heap, HeapError.Interior, null, () => heap.Free(p + 4096));
            HeapTesting.Rejects(heap, HeapError.Interior, null, () => heap.Free(p + (3 * 4096) - 1));
        }

        [TestMethod]
        public void Free_InteriorOfFragment_IsRejected()
        {
            Heap heap = HeapTesting.NewHeap();
            int p = HeapTesting.Malloc(heap, 64);
            HeapTesting.Rejects(heap, HeapError.Interior, null, () => heap.Free(p + 1));
            HeapTesting.Rejects(heap, HeapError.Interior, null, () => heap.Free(p + 63));
        }

        [TestMethod]
        [DataRow(-5)]
        [DataRow(1)]
        [DataRow(7)]
        [DataRow(8 + 8192)]
        [DataRow(65535)]
        [DataRow(65536)]
        [DataRow(int.MaxValue)]
        public void Free_OutsideTheHeap_IsRejected(int offset)
        {
            Heap heap = HeapTesting.NewHeap();
            HeapTesting.Malloc(heap, 8000);
            HeapTesting.Rejects(heap, HeapError.NotInHeap, null, () => heap.Free(offset));
        }

        [TestMethod]
        public void Free_InsideAFreeCluster_IsRejected()
        {
            Heap heap = HeapTesting.NewHeap();
            int a = HeapTesting.Malloc(heap, 3 * 4096);
            HeapTesting.Malloc(heap, 4096);
            HeapTesting.Free(heap, a);
            HeapTesting.Rejects(heap, HeapError.FreeMemory, null, () => heap.Free(a + 4096));
            HeapTesting.Rejects(heap, HeapError.FreeMemory, null, () => heap.Free(a + 100));
        }

        [TestMethod]
        public void Free_BeforeAnyMalloc_IsRejected()
        {
            Heap heap = HeapTesting.NewHeap();
            HeapTesting.Rejects(heap, HeapError.NotInHeap, "free(0x00000008): offset is not inside the heap", () => heap.Free(8));
        }

        [TestMethod]
        public void CheckPointer_ClassifiesWithoutChanging()
        {
            Heap heap = HeapTesting.NewHeap();
            int a = HeapTesting.Malloc(heap, 100);
            Assert.AreEqual((int)HeapError.None, (int)heap.CheckPointer(a));
            Assert.AreEqual((int)HeapError.Interior, (int)heap.CheckPointer(a + 8));
            Assert.AreEqual((int)HeapError.FreeMemory, (int)heap.CheckPointer(a + 128));
            Assert.AreEqual((int)HeapError.NotInHeap, (int)heap.CheckPointer(0));
            Assert.AreEqual("1:frag128(31/32,next 1)", heap.Describe());
        }
    }
}
