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

            if (heap.Work.FragmentSteps == 0)
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
            if (heap.Work.ClusterSteps == 0)
            {
                Assert.SkipTest("this build does not count work (HEAP_WORK is a host-build symbol)");
            }

            heap.Work.Clear();
            heap.Free(a);

            // free: the rover is the anchor; one step to find there is no cluster after it.
            Assert.AreEqual(1L, heap.Work.ClusterSteps);
            heap.Work.Clear();
            int c = heap.Realloc(b, 8000);
            Assert.AreEqual(8, c);   // b grows down into a's freed block
            Assert.AreEqual(4096L, heap.Work.BytesCopied);
            HeapTesting.Valid(heap);
        }
    }
}
