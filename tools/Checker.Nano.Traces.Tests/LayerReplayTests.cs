// The debug heap and Checker as replay targets (LayerAdapters.cs): the benchmark loop, touching,
// arena reuse between replays, and the smallest-HEAP search over them.
using System;
using Xunit;

namespace Checker.Nano.Traces.Tests
{
    public class LayerReplayTests
    {
        private const string Header = "# checker-nano trace v1\n# source: test\n";

        private static Trace T(string events) => TraceReader.Parse(Header + events, "t.txt");

        private static readonly Trace Mixed = T("a 1 100\nc 2 3 50\nr 1 5000\na 3 17\nr 3 2000\nf 2\nr 1 10\nf 1\nf 3\na 4 0\nf 4\n");

        [Fact]
        public void DebugHeap_ReplaysTwice_TouchingEveryByte()
        {
            var held = new int[Mixed.MaxId + 1];
            using var a = new DebugHeapAdapter(1 << 16, 4096);
            Assert.True(a.Touch);
            Assert.Equal(0, Replayer.RunFast(Mixed, a, held));
            byte[] arena = a.Heap.Memory;
            Assert.Equal(0, Replayer.RunFast(Mixed, a, held));   // a fresh layer, the same (cleared) array
            Assert.Same(arena, a.Heap.Memory);
            Assert.Null(a.Validate());
        }

        [Fact]
        public void DebugHeap_CallocIsTouchedToo()
        {
            using var a = new DebugHeapAdapter(1 << 16, 4096);
            a.Begin(1);
            Assert.True(a.Calloc(1, 4, 16));
            Assert.False(a.DebugHeap.Memory.AsSpan(a.OffsetOf(1), 64).ContainsAnyExcept(HeapAdapter.Pattern(1)));
        }

        [Fact]
        public void Checker_WithTouch_WritesThroughItsCheckedFill_AndFindsNoError()
        {
            var held = new int[Mixed.MaxId + 1];
            using var a = new CheckerAdapter(1 << 16, 4096) { Touch = true };
            Assert.Equal(0, Replayer.RunFast(Mixed, a, held));
            Assert.Equal(0, a.Errors);
            Assert.Null(a.Validate());

            // Stopped after "a 1 100": the block is written, every one of its bytes read-write.
            Replayer.Run(Mixed, a, new ReplayOptions { StopAfterEvents = 1 });
            int p = a.OffsetOf(1);
            Assert.False(a.Checker.Memory.AsSpan(p, 100).ContainsAnyExcept(HeapAdapter.Pattern(1)));
            Assert.Equal(HeapAdapter.Pattern(1), a.Checker.ReadByte(p + 99, "test", 0));
            Assert.Equal(0, a.Errors);
        }

        [Fact]
        public void DebugHeap_OverCompact_ReplaysWithNoFault()
        {
            var held = new int[Mixed.MaxId + 1];
            using var a = new DebugHeapAdapter(1 << 16, 256, policy: HeapPolicy.Compact);
            Assert.Equal("debug heap, compact", a.Name);
            Assert.Equal(0, Replayer.RunFast(Mixed, a, held));
            Assert.IsType<CompactHeap>(a.Heap);
            Assert.Equal(0, a.Faults);
            Assert.Null(a.Validate());
        }

        [Fact]
        public void Checker_OverCompact_ReplaysWithNoFalseReport()
        {
            var held = new int[Mixed.MaxId + 1];
            using var a = new CheckerAdapter(1 << 16, 256, policy: HeapPolicy.Compact) { Touch = true };
            Assert.Equal(0, Replayer.RunFast(Mixed, a, held));
            Assert.IsType<CompactHeap>(a.Heap);
            Assert.Equal(0, a.FalseReports);
            Assert.Null(a.Validate());
        }

        [Fact]
        public void Checker_OverCompact_TwoSmallBlocks_OffTheBlockMapGranule_AreKeptTrackOf()
        {
            // The smallest program of a library fault, now fixed: two malloc(8) on Checker over a
            // 16 KiB Compact arena with 256-byte blocks. The debug heap asks for 40 bytes each, slots
            // of Compact's 40-byte class: the first header at the heap's start, the second 200 bytes
            // from it, not a multiple of Checker's 32-byte block-map granule. Checker lost track of
            // that block: Validate failed ("block map: a block at ... but the base heap has no live
            // block at ...") and its free reported fba.
            var sink = new MemorySink();
            var c = new CheckerHeap(new byte[16384], 256, 256, 1024, new Reporter(sink) { Forms = ReportForm.Text }, DebugHeap.DefaultFileNameCapacity, CompactHeap.Make);
            int a = c.Malloc(8, BlockType.Normal, "Probe.cs", 1);
            int b = c.Malloc(8, BlockType.Normal, "Probe.cs", 2);
            Assert.Equal(0, a - DebugHeap.HEADER_BYTES - c.HeapStart);
            Assert.Equal(200, b - DebugHeap.HEADER_BYTES - c.HeapStart);
            Assert.Null(c.Validate());
            c.Free(b, "Probe.cs", 3);
            c.Free(a, "Probe.cs", 4);
            Assert.Null(c.Validate());
            Assert.Equal(0, c.TotalErrors);
            Assert.Equal("", sink.Text);
        }

        [Fact]
        public void Checker_WithoutTouch_LeavesTheBytesAsTheLayerMadeThem()
        {
            using var a = new CheckerAdapter(1 << 16, 4096);
            Assert.False(a.Touch);
            Replayer.Run(Mixed, a, new ReplayOptions { StopAfterEvents = 1 });
            Assert.True(a.Checker.Memory.AsSpan(a.OffsetOf(1), 100).ContainsAnyExcept(HeapAdapter.Pattern(1)));
        }

        [Fact]
        public void MinHeap_OfTheDebugHeap_CountsItsHeaderInTheBlocks()
        {
            // 4090 bytes: one block for the base heap; 4090 + 32 for the debug heap: two. Both
            // then need the arena's 8 reserved bytes, rounded up to 16.
            Trace t = T("a 1 4090\nf 1\n");
            Assert.Equal(4096 + 16, MinHeapSearch.ForBaseHeap(t, 4096).HeapBytes);
            MinHeapResult d = MinHeapSearch.ForDebugHeap(t, 4096);
            Assert.Equal(8192 + 16, d.HeapBytes);
            Assert.Equal(new Heap(new byte[d.HeapBytes], 4096).MetadataBytes, d.MetadataBytes);
        }

        [Fact]
        public void MinHeap_OfChecker_IsTheBoundaryOfTheSearch()
        {
            Trace t = T("a 1 3000\na 2 3000\nf 1\na 3 100\nf 2\nf 3\n");
            MinHeapResult c = MinHeapSearch.ForChecker(t, 4096);
            MinHeapResult d = MinHeapSearch.ForDebugHeap(t, 4096);
            Assert.True(c.HeapBytes > d.HeapBytes + CheckerAdapter.DataBytes + CheckerAdapter.StackBytes);

            using var fits = new CheckerAdapter(c.HeapBytes, 4096);
            Assert.True(Replayer.Run(t, fits).Completed);
            using var smaller = new CheckerAdapter(c.HeapBytes - 16, 4096);
            Assert.False(Replayer.Run(t, smaller).Completed);
            Assert.Equal(fits.Heap.MetadataBytes, c.MetadataBytes);
        }

        [Fact]
        public void MinHeap_TooSmallForCheckersZones_CountsAsNotCompleting()
        {
            // Peak live 40 bytes: the search starts below Checker's data and stack zones, where
            // CheckerHeap cannot even be laid out; those sizes simply fail.
            Trace t = T("a 1 40\nf 1\n");
            MinHeapResult c = MinHeapSearch.ForChecker(t, 256);
            Assert.True(c.HeapBytes > CheckerAdapter.DataBytes + CheckerAdapter.StackBytes);
            Assert.Throws<ArgumentException>(() => new CheckerAdapter(CheckerAdapter.DataBytes + CheckerAdapter.StackBytes, 256));
        }
    }
}
