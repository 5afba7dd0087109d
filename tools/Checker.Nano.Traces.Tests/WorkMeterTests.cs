// The work meter on small hand-written traces whose work can be followed step by step in the
// heap's code (Malloc.cs, Free.cs, Realloc.cs; CompactAlloc.cs for the Compact case at 256),
// BLOCKSIZE 4096, an arena of 64 KiB. The expected figures below are worked out from the code,
// not copied from a run.
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
        public void Compact_ANewRunWritesItsLinks_AFitCountsTheGapsTried_AndFreesWalkNothing()
        {
            // BLOCKSIZE 256, Compact (CompactAlloc.cs):
            // a 1 8:   no 8-byte slot free, no gap: a new run of one block at the break, 32 slots;
            //          its 31 free slots get their links written: 31 fragment steps;
            // a 2 300: large, 304 bytes; no gap: at the break, nothing tried;
            // f 1:     the run's last live slot: its free slots leave the list by first and last
            //          (no walk) and the block becomes the gap [8, 264): 0 steps;
            // a 3 200: larger than the largest class (192): 256 bytes; the gap heads its own
            //          list and fits: 1 cluster step;
            // f 2, f 3: coalescing through the table, the top given back: 0 steps.
            HeapWorkReport w = HeapWorkMeter.Measure(T("a 1 8\na 2 300\nf 1\na 3 200\nf 2\nf 3\n"), 256, 1 << 16, HeapPolicy.Compact);

            Assert.Equal(1, w.ClusterSteps.Sum);
            Assert.Equal(31, w.FragmentSteps.Sum);
            Assert.Equal(32, w.Steps.Sum);
            Assert.Equal(3, w.WorstEvent.Line);
            Assert.Equal(31, w.WorstWork.FragmentSteps);
            Assert.Equal(31, w.MallocSteps.Max);
            Assert.Equal(0, w.FreeSteps.Max);
            Assert.Equal(0, w.BytesCopied.Sum);
        }

        [Fact]
        public void SplittingABlock_WritesItsBitmapWords_AndReleasingItClearsThem()
        {
            // a 1 8: no 8-byte fragment free: one block; no free cluster exists (the bound on the
            //        largest is 0), so no lap: straight to morecore; the split writes the block's
            //        16 bitmap words (a bit per 8 bytes): 16 fragment steps;
            // a 2 8: the lowest bit of the hint word: nothing else;
            // f 1:   the block keeps a live fragment: its bit set, nothing else;
            // f 2:   the last live fragment: the block leaves its list (links in the table) and
            //        its 16 words are cleared: 16 steps; then the block is freed: the scan of the
            //        table finds the anchor below block 1 at once, no list step.
            HeapWorkReport w = Measure("a 1 8\na 2 8\nf 1\nf 2\n");

            Assert.Equal(0, w.ClusterSteps.Sum);
            Assert.Equal(32, w.FragmentSteps.Sum);
            Assert.Equal(0, w.BytesCopied.Sum);
            Assert.Equal(32, w.Steps.Sum);
            Assert.Equal(32, w.Total.Sum);
            Assert.Equal(3, w.WorstEvent.Line);            // 16 steps each: the first is named
            Assert.Equal(0, w.WorstWork.ClusterSteps);
            Assert.Equal(16, w.WorstWork.FragmentSteps);
            Assert.Equal(16, w.Steps.Max);
            Assert.Equal(0, w.Steps.P50);                  // of 16, 0, 0, 16
            Assert.Equal(16, w.MallocSteps.Max);
            Assert.Equal(16, w.FreeSteps.Max);
            Assert.Equal(0, w.ReallocSteps.Count);
            Assert.Equal(0, w.LargestCopyWork.BytesCopied);
        }

        [Fact]
        public void ReallocToAnotherFragmentSize_SplitsCopiesTheOldFragmentAndReleasesItsBlock()
        {
            // a 1 100:  a 128-byte fragment: no cluster to look at (bound 0), a split: 16 words;
            // r 1 200:  a 256-byte fragment now: again no cluster, a split: 16 words; 128 bytes
            //           copied (the old fragment, all of it), then the old block's last fragment
            //           is freed: its 16 words cleared; the table scan finds the anchor below
            //           block 1 at once.
            HeapWorkReport w = Measure("a 1 100\nr 1 200\n");

            Assert.Equal(0, w.ClusterSteps.Sum);
            Assert.Equal(48, w.FragmentSteps.Sum);
            Assert.Equal(128, w.BytesCopied.Sum);
            Assert.Equal(48, w.Steps.Sum);
            Assert.Equal(176, w.Total.Sum);
            Assert.Equal(4, w.WorstEvent.Line);           // the realloc: 32 steps
            Assert.Equal(4, w.LargestCopyEvent.Line);
            Assert.Equal(0, w.LargestCopyWork.ClusterSteps);
            Assert.Equal(32, w.LargestCopyWork.FragmentSteps);
            Assert.Equal(128, w.LargestCopyWork.BytesCopied);
            Assert.Equal(128, w.ReallocBytesCopied.Max);
            Assert.Equal(1, w.ReallocBytesCopied.Count);
        }

        [Fact]
        public void WholeBlocks_FirstFitWalksTheClusters_AndAGrowingReallocCopiesItsBlocks()
        {
            // a 1..a 5 4096: one block each; no free cluster (bound 0): no lap, 0 steps;
            // f 1:    the table scan finds the anchor below block 1 at once: 0; the rover is 1;
            // f 3:    from the rover 1 (as near as the list's ends, which are 1 too), forward:
            //         block 2 below is busy, so one step along the list, to the anchor: 1;
            //         cluster 3 links in after 1 and the rover is 3;
            // a 6 8192: two blocks, but the bound on the largest cluster is 1: no lap, morecore
            //         (blocks 6-7): 0 steps;
            // r 2 8192: grow: block 2 is freed first; the table scan finds cluster 1 right
            //         below it: 0 steps; 1-2-3 coalesce into one cluster of 3 blocks and the rover
            //         is 1; malloc of 2 blocks fits at once (1 step) at block 1, so block 2's 4096
            //         bytes are copied down.
            HeapWorkReport w = Measure("a 1 4096\na 2 4096\na 3 4096\na 4 4096\na 5 4096\nf 1\nf 3\na 6 8192\nr 2 8192\n");

            Assert.Equal(2, w.ClusterSteps.Sum);
            Assert.Equal(0, w.FragmentSteps.Sum);
            Assert.Equal(4096, w.BytesCopied.Sum);
            Assert.Equal(9, w.WorstEvent.Line);            // f 3, the first with 1 step
            Assert.Equal(1, w.WorstWork.ClusterSteps);
            Assert.Equal(new[] { 0, 1 }, new[] { w.FreeSteps.P50, w.FreeSteps.Max });
            Assert.Equal(1, w.ReallocSteps.Max);
            Assert.Equal(11, w.LargestCopyEvent.Line);
            Assert.Equal(4097, w.Total.Max);
        }

        [Fact]
        public void Calloc_ZeroingIsNotCopying()
        {
            // c 1 4 16: a 64-byte fragment: no cluster to look at, a split: 16 words; the 64
            // bytes zeroed are not counted as copied; f 1 releases the block (16 words cleared),
            // the anchor at once.
            HeapWorkReport w = Measure("c 1 4 16\nf 1\n");
            Assert.Equal(0, w.ClusterSteps.Sum);
            Assert.Equal(32, w.FragmentSteps.Sum);
            Assert.Equal(0, w.BytesCopied.Sum);
            Assert.Equal(16, w.MallocSteps.Max);
        }

        [Fact]
        public void FreeOfAPartlyWrittenFragment_DoesNotWalk()
        {
            // id 2 writes 2 bytes of its 8-byte fragment; whatever its bytes, free's "is it
            // free?" test is one bit: no step. The split writes 16 words, f 1 releases the block
            // and clears them.
            HeapWorkReport w = Measure("a 1 8\na 2 2\nf 2\nf 1\n");
            Assert.Equal(32, w.FragmentSteps.Sum);
            Assert.Equal(16, w.FragmentSteps.Max);
            Assert.Equal(0, w.FreeSteps.P50);
            Assert.Equal(16, w.FreeSteps.Max);             // f 1: the release
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
