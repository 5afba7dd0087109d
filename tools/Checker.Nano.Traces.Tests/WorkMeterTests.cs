// The work meter on small hand-written traces whose work can be followed step by step in the
// heap's code (Malloc.cs, Free.cs, Realloc.cs), BLOCKSIZE 4096, an arena of 64 KiB. The
// expected figures below are worked out from the code, not copied from a run.
using Xunit;

namespace Checker.Nano.Traces.Tests
{
    public class WorkMeterTests
    {
        private const string Header = "# checker-nano trace v1\n# source: test\n";

        private static Trace T(string events) => TraceReader.Parse(Header + events, "t.txt");

        private static HeapWorkReport Measure(string events) => HeapWorkMeter.Measure(T(events), 4096, 1 << 16);

        [Fact]
        public void TheHostBuild_CountsWork()
        {
            Assert.True(HeapWorkMeter.IsCounting, "Checker.Nano was built without HEAP_WORK");
        }

        [Fact]
        public void SplittingABlock_WritesItsFragmentLinks_AndReleasingItWalksNone()
        {
            // a 1 8: no 8-byte fragment free: one block from an empty free list (the rover's
            //        node, the anchor, then its next, the anchor again: a lap of 2 steps, then
            //        morecore), split into 512 fragments: 511 links written;
            // a 2 8: pops the list head: nothing;
            // f 1:   the block keeps 510 free fragments: linked in after the first, nothing;
            // f 2:   the last live fragment: the run is unlinked from its first to its last
            //        fragment (kept in heapinfo word 0, no walk), then the block is freed: the
            //        search for the cluster before it takes 1 step from the anchor.
            HeapWorkReport w = Measure("a 1 8\na 2 8\nf 1\nf 2\n");

            Assert.Equal(3, w.ClusterSteps.Sum);
            Assert.Equal(511, w.FragmentSteps.Sum);
            Assert.Equal(0, w.BytesCopied.Sum);
            Assert.Equal(514, w.Steps.Sum);
            Assert.Equal(514, w.Total.Sum);
            Assert.Equal(3, w.WorstEvent.Line);
            Assert.Equal(2, w.WorstWork.ClusterSteps);
            Assert.Equal(511, w.WorstWork.FragmentSteps);
            Assert.Equal(513, w.Steps.Max);
            Assert.Equal(0, w.Steps.P50);                  // of 0, 0, 1, 513
            Assert.Equal(new[] { 513, 0 }, new[] { w.MallocSteps.Max, w.MallocSteps.P50 });
            Assert.Equal(1, w.FreeSteps.Max);
            Assert.Equal(0, w.ReallocSteps.Count);
            Assert.Equal(0, w.LargestCopyWork.BytesCopied);
        }

        [Fact]
        public void ReallocToAnotherFragmentSize_SplitsCopiesTheOldFragmentAndReleasesItsBlock()
        {
            // a 1 100:  a 128-byte fragment: lap of 2 cluster steps, 31 links written;
            // r 1 200:  a 256-byte fragment now: lap of 2 steps (the list is still empty), 15
            //           links written, 128 bytes copied (the old fragment, all of it), then the old
            //           block's last fragment is freed: 1 step to find the cluster before it.
            HeapWorkReport w = Measure("a 1 100\nr 1 200\n");

            Assert.Equal(5, w.ClusterSteps.Sum);
            Assert.Equal(46, w.FragmentSteps.Sum);
            Assert.Equal(128, w.BytesCopied.Sum);
            Assert.Equal(51, w.Steps.Sum);
            Assert.Equal(179, w.Total.Sum);
            Assert.Equal(3, w.WorstEvent.Line);           // 33 steps against the realloc's 18
            Assert.Equal(4, w.LargestCopyEvent.Line);
            Assert.Equal(3, w.LargestCopyWork.ClusterSteps);
            Assert.Equal(15, w.LargestCopyWork.FragmentSteps);
            Assert.Equal(128, w.LargestCopyWork.BytesCopied);
            Assert.Equal(128, w.ReallocBytesCopied.Max);
            Assert.Equal(1, w.ReallocBytesCopied.Count);
        }

        [Fact]
        public void WholeBlocks_FirstFitWalksTheClusters_AndAGrowingReallocCopiesItsBlocks()
        {
            // a 1..a 5 4096: one block each from an empty free list: 2 steps each (10);
            // f 1:    the anchor's next is the anchor: 1 step; cluster 1 links in, the rover is 1;
            // f 3:    from the rover 1: its next is the anchor: 1 step; cluster 3 links in after 1;
            // a 6 8192: two blocks, first fit from the rover 3: 3 (1 block), the anchor, 1 (1 block),
            //         3 again: a lap of 4 steps, then morecore (blocks 6-7);
            // r 2 8192: grow: block 2 is freed first, the search goes back from the rover 3 to 1
            //         (1 step), 1-2-3 coalesce into one cluster of 3 blocks and the rover is 1;
            //         malloc of 2 blocks fits at once (1 step) at block 1, so block 2's 4096
            //         bytes are copied down.
            HeapWorkReport w = Measure("a 1 4096\na 2 4096\na 3 4096\na 4 4096\na 5 4096\nf 1\nf 3\na 6 8192\nr 2 8192\n");

            Assert.Equal(18, w.ClusterSteps.Sum);
            Assert.Equal(0, w.FragmentSteps.Sum);
            Assert.Equal(4096, w.BytesCopied.Sum);
            Assert.Equal(10, w.WorstEvent.Line);           // a 6 8192
            Assert.Equal(4, w.WorstWork.ClusterSteps);
            Assert.Equal(new[] { 1, 1 }, new[] { w.FreeSteps.P50, w.FreeSteps.Max });
            Assert.Equal(2, w.ReallocSteps.Max);
            Assert.Equal(11, w.LargestCopyEvent.Line);
            Assert.Equal(4098, w.Total.Max);
        }

        [Fact]
        public void Calloc_ZeroingIsNotCopying()
        {
            // c 1 4 16: a 64-byte fragment: lap of 2 steps, 63 links written; the 64 bytes zeroed
            // are not counted as copied.
            HeapWorkReport w = Measure("c 1 4 16\nf 1\n");
            Assert.Equal(3, w.ClusterSteps.Sum);
            Assert.Equal(63, w.FragmentSteps.Sum);
            Assert.Equal(0, w.BytesCopied.Sum);
            Assert.Equal(65, w.MallocSteps.Max);
        }

        [Fact]
        public void FreeOfAPartlyWrittenFragment_DoesNotWalk()
        {
            // id 2 writes 2 bytes of its 8-byte fragment; the rest is as the free list left it:
            // popped as the head, its prev link is 0, and it is not the head any more, so free's
            // "is it free?" test settles at once without the exact walk. Only the split counts.
            HeapWorkReport w = Measure("a 1 8\na 2 2\nf 2\nf 1\n");
            Assert.Equal(511, w.FragmentSteps.Sum);
            Assert.Equal(511, w.FragmentSteps.Max);
            Assert.Equal(0, w.FreeSteps.P50);
            Assert.Equal(1, w.FreeSteps.Max);              // f 1 releases the block: 1 cluster step
        }

        [Fact]
        public void EveryOperationIsCounted_AndTheSumsAgree()
        {
            Trace t = T("a 1 100\nc 2 3 50\nr 1 5000\na 3 17\nr 3 2000\nf 2\nr 1 10\nf 1\nf 3\n");
            HeapWorkReport w = HeapWorkMeter.Measure(t, 4096, 1 << 16);
            Assert.Equal(t.Events.Length, w.Steps.Count);
            Assert.Equal(w.ClusterSteps.Sum + w.FragmentSteps.Sum, w.Steps.Sum);
            Assert.Equal(w.Steps.Sum + w.BytesCopied.Sum, w.Total.Sum);
            Assert.Equal(w.MallocSteps.Sum + w.FreeSteps.Sum + w.ReallocSteps.Sum, w.Steps.Sum);
            Assert.Equal(w.BytesCopied.Sum, w.ReallocBytesCopied.Sum);
            Assert.Equal(t.Mallocs + t.Callocs, w.MallocSteps.Count);
            Assert.Equal(t.Frees, w.FreeSteps.Count);
            Assert.Equal(t.Reallocs, w.ReallocSteps.Count);
        }
    }
}
