using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class WorkTests
    {
        [TestMethod]
        public void Work_FreeingAWholeBlockOfFragments_WalksNoLinks()
        {
            Heap heap = HeapTesting.NewHeap();
            int[] p = new int[512];
            for (int i = 0; i < 512; i++)
            {
                p[i] = heap.Malloc(8);
            }

            if (!CountsWork())
            {
                Assert.SkipTest("this build does not count work (HEAP_WORK is a host-build symbol)");
            }

            // Splitting the block is one step, not the seed's 511: it writes the top's prev link
            // and fragment 1's next; the others' are implied while they are fresh, and handing
            // them out in order walks nothing either.
            Assert.AreEqual(1L, heap.Work.FragmentSteps);
            Assert.AreEqual("1:frag8(0/512)", heap.Describe());

            // A popped fragment's prev link is 0 and it is not the list head: no walk on free.
            // The last free unlinks the block's run from its first to its last fragment without
            // the seed's walk of 510 links.
            for (int i = 0; i < 512; i++)
            {
                heap.Free(p[i]);
            }

            Assert.AreEqual(1L, heap.Work.FragmentSteps);
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
            if (!CountsWork())
            {
                Assert.SkipTest("this build does not count work (HEAP_WORK is a host-build symbol)");
            }

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
        public void Work_StaleLinksInFreshFragments_CostNoWalk()
        {
            // Fragment 0 of a split block keeps the bytes of the block's previous life; here they
            // lead to fresh fragment 50, whose stale next leads back. The "is it free?" test
            // follows fragment 50's implied link instead of its bytes, so free walks nothing.
            Heap heap = HeapTesting.NewHeap();
            int a = heap.Malloc(16);
            heap.Malloc(16);
            if (!CountsWork())
            {
                Assert.SkipTest("this build does not count work (HEAP_WORK is a host-build symbol)");
            }

            int stale = a + (50 * 16);
            Bytes.PutInt32(heap.Memory, a + 4, stale);
            Bytes.PutInt32(heap.Memory, stale, a);
            heap.Work.Clear();
            heap.Free(a);
            Assert.AreEqual(0L, heap.Work.FragmentSteps);
            Assert.AreEqual("1:frag16(255/256,first 254)", heap.Describe());
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
            if (!CountsWork())
            {
                Assert.SkipTest("this build does not count work (HEAP_WORK is a host-build symbol)");
            }

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

        /// <summary>Whether this build counts work (a split always counts one fragment step).</summary>
        private static bool CountsWork()
        {
            Heap heap = HeapTesting.NewHeap();
            heap.Malloc(16);
            return heap.Work.FragmentSteps != 0;
        }
    }
}
