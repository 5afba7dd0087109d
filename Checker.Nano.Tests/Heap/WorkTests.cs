using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class WorkTests
    {
        [TestMethod]
        public void Work_AWholeBlockOfFragments_WritesAndScansAFewBitmapWords()
        {
            Heap heap = HeapTesting.NewHeap();
            int[] p = new int[512];
            p[0] = heap.Malloc(8);
            RequireWorkCounting();
            // Splitting the block writes its 16 bitmap words (the seed writes 511 pairs of links).
            Assert.AreEqual(16L, heap.Work.FragmentSteps);

            // Handing the others out empties a word every 32 fragments: the next malloc moves the
            // hint on to the next word in one step (15 times); the block's last free fragment
            // takes it out of the list without looking (its live count says it is full).
            heap.Work.Clear();
            for (int i = 1; i < 512; i++)
            {
                p[i] = heap.Malloc(8);
            }

            Assert.AreEqual(15L, heap.Work.FragmentSteps);
            Assert.AreEqual("1:frag8(0/512)", heap.Describe());

            // Freeing them reads no link; the last free clears the block's 16 words (the seed
            // walks the 510 links of its run to find its end).
            heap.Work.Clear();
            for (int i = 0; i < 512; i++)
            {
                heap.Free(p[i]);
            }

            Assert.AreEqual(16L, heap.Work.FragmentSteps);
            Assert.AreEqual("1:free(1)", heap.Describe());
            HeapTesting.Valid(heap);
        }

        [TestMethod]
        public void Work_CountsClusterStepsAndCopies()
        {
            Heap heap = HeapTesting.NewHeap();
            int a = heap.Malloc(4096);
            int b = heap.Malloc(4096);
            heap.Malloc(4096);
            RequireWorkCounting();
            // malloc: no free cluster yet, and the bound on the largest says so without a lap.
            Assert.AreEqual(0L, heap.Work.ClusterSteps);
            heap.Work.Clear();
            heap.Free(a);

            // free: nothing lies below block 1, so the scan of the table answers at once (the
            // anchor) without a step along the list.
            Assert.AreEqual(0L, heap.Work.ClusterSteps);
            heap.Work.Clear();
            int c = heap.Realloc(b, 8000);
            Assert.AreEqual(8, c);   // b grows down into a's freed block
            Assert.AreEqual(4096L, heap.Work.BytesCopied);
            HeapTesting.Valid(heap);
        }

        [TestMethod]
        public void Work_FreeOfAFragment_WhateverItsBytes_CostsNoStep()
        {
            // The seed's free walks a block's run when a live fragment's bytes look like a free
            // one's links; here the bitmap answers in one test, so free takes no step.
            Heap heap = HeapTesting.NewHeap();
            int a = heap.Malloc(16);
            heap.Malloc(16);
            RequireWorkCounting();
            Bytes.PutInt32(heap.Memory, a + 4, a + (50 * 16));
            Bytes.PutInt32(heap.Memory, a + (50 * 16), a);
            heap.Work.Clear();
            heap.Free(a);
            Assert.AreEqual(0L, heap.Work.FragmentSteps);
            Assert.AreEqual("1:frag16(255/256,next 0)", heap.Describe());
            HeapTesting.Valid(heap);
        }

        [TestMethod]
        public void Work_NoLapWhenTheBoundSaysNoClusterFits()
        {
            Heap heap = HeapTesting.NewHeap();
            int a = heap.Malloc(4096);
            heap.Malloc(4096);
            int c = heap.Malloc(4096);
            heap.Malloc(4096);
            heap.Free(a);
            heap.Free(c);
            RequireWorkCounting();
            // Two free clusters of one block: two blocks cannot fit, so no lap, straight to the break.
            heap.Work.Clear();
            Assert.AreEqual(8 + (4 * 4096), heap.Malloc(8192));
            Assert.AreEqual(0L, heap.Work.ClusterSteps);

            // One block fits: first fit from the rover (c's cluster, the last one freed).
            Assert.AreEqual(c, heap.Malloc(4096));
            Assert.AreEqual(1L, heap.Work.ClusterSteps);
            Assert.AreEqual("1:free(1) 2:used(1) 3:used(1) 4:used(1) 5:used(2)", heap.Describe());
            HeapTesting.Valid(heap);
        }

        /// <summary>
        /// Skips where the build leaves the counting out (the device: HEAP_WORK is defined by the host
        /// builds of the library and of these tests); where it is defined, the counter must count:
        /// a split always takes fragment steps, so a counter that stays 0 fails the test.
        /// </summary>
        private static void RequireWorkCounting()
        {
#if HEAP_WORK
            Heap heap = HeapTesting.NewHeap();
            heap.Malloc(16);
            Assert.AreNotEqual(0L, heap.Work.FragmentSteps, "HEAP_WORK is defined, but a split counted no work");
#else
            Assert.SkipTest("this build does not count work (HEAP_WORK is a host-build symbol)");
#endif
        }
    }
}
