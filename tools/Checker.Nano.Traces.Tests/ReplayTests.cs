using System;
using Xunit;

namespace Checker.Nano.Traces.Tests
{
    public class ReplayTests
    {
        private const string Header = "# checker-nano trace v1\n# source: test\n";

        private static Trace T(string events) => TraceReader.Parse(Header + events, "t.txt");

        [Fact]
        public void Run_FragmentsAndBlocks_GivesExactPeakLiveAndArenaUse()
        {
            // BLOCKSIZE 4096: a 100-byte fragment splits block 1 (4096), 5000 bytes take blocks 2-3
            // (break at 12288), freeing them leaves 2 free blocks (< FINAL_FREE_BLOCKS, kept), and
            // 3000 bytes reuse the first of them: the break never moves again.
            Trace t = T("a 1 100\na 2 5000\nf 2\na 3 3000\nf 1\n");
            using var heap = new HeapAdapter(1 << 16, 4096) { VerifyContents = true };
            ReplayResult r = Replayer.Run(t, heap, new ReplayOptions { ValidateEvery = 1 });

            Assert.True(r.Completed);
            Assert.Equal(5, r.EventsReplayed);
            Assert.Equal(5100, r.PeakLiveBytes);
            Assert.Equal(12288, r.PeakArenaBytes);
            Assert.Equal(12288, r.FinalArenaBytes);
            Assert.Equal(12288.0 / 5100 - 1, r.ArenaOverhead, 12);
            Assert.Equal(heap.Heap.HeapBase + 4096, heap.OffsetOf(3));
        }

        [Fact]
        public void Run_TopRunOfFinalFreeBlocks_GoesBackToTheArena()
        {
            // 40000 bytes = 10 blocks; freeing them frees >= FINAL_FREE_BLOCKS at the top: the break returns.
            Trace t = T("a 1 40000\nf 1\n");
            using var heap = new HeapAdapter(1 << 16, 4096);
            ReplayResult r = Replayer.Run(t, heap, new ReplayOptions { ValidateEvery = 1 });
            Assert.Equal(40960, r.PeakArenaBytes);
            Assert.Equal(0, r.FinalArenaBytes);
        }

        [Fact]
        public void Run_ReallocFromFragmentToBlocks_CopiesAndFreesTheFragmentBlock()
        {
            // 10 bytes: a 16-byte fragment in block 1; realloc to 5000 moves to blocks 2-3 (break 12288)
            // and block 1 goes back to the pool (its only fragment was freed).
            Trace t = T("a 1 10\nr 1 5000\nr 1 6000\nf 1\n");
            using var heap = new HeapAdapter(1 << 16, 4096) { VerifyContents = true };
            ReplayResult r = Replayer.Run(t, heap, new ReplayOptions { ValidateEvery = 1 });
            Assert.True(r.Completed);
            Assert.Equal(6000, r.PeakLiveBytes);
            Assert.Equal(12288, r.PeakArenaBytes);
            Assert.Equal(12288, r.FinalArenaBytes);   // 3 free blocks at the top: fewer than FINAL_FREE_BLOCKS
        }

        [Fact]
        public void Run_Calloc_IsZeroedThenWritten()
        {
            Trace t = T("a 1 64\nf 1\nc 2 4 16\nf 2\n");
            using var heap = new HeapAdapter(1 << 16, 4096) { VerifyContents = true };
            ReplayResult r = Replayer.Run(t, heap);
            Assert.True(r.Completed);
            Assert.Equal(64, r.PeakLiveBytes);
            Assert.Equal(4096, r.PeakArenaBytes);
        }

        [Fact]
        public void Run_ArenaTooSmall_CountsFailuresAndNamesTheFirstLine()
        {
            Trace t = T("a 1 3000\na 2 3000\nf 1\nr 2 9000\nf 2\n");
            using var heap = new HeapAdapter(4096 + 8, 4096);
            ReplayResult r = Replayer.Run(t, heap);
            Assert.False(r.Completed);
            Assert.Equal(5, r.EventsReplayed);
            Assert.Equal(2, r.Failures);      // a 2 (no second block) and r 2 (id 2 holds nothing: a malloc of 9000)
            Assert.Equal(4, r.FirstFailureLine);

            ReplayResult stopped = Replayer.Run(t, heap, new ReplayOptions { StopOnFailure = true });
            Assert.Equal(2, stopped.EventsReplayed);
            Assert.Equal(1, stopped.Failures);
        }

        [Fact]
        public void Run_ValidateFailure_IsReportedWithTheTraceLine()
        {
            Trace t = T("a 1 8\na 2 8\nf 1\n");
            using var broken = new BrokenAdapter();
            var e = Assert.Throws<ReplayException>(() => Replayer.Run(t, broken, new ReplayOptions { ValidateEvery = 2 }));
            Assert.Equal("t:4 (a 2 8): Validate: broken after 2 operations", e.Message);
            Assert.Equal(4, e.Line);
        }

        [Fact]
        public void Run_AdapterException_IsWrappedWithTheTraceLine()
        {
            Trace t = T("a 1 8\nf 1\n");
            using var heap = new HeapAdapter(1 << 16, 4096);
            heap.Begin(1);
            // Replay on a heap whose block 1 was freed behind the adapter's back: free throws.
            var adapter = new FreeTwiceAdapter(heap);
            var e = Assert.Throws<ReplayException>(() => Replayer.Run(t, adapter));
            Assert.StartsWith("t:4 (f 1): free(", e.Message);
        }

        [Fact]
        public void RunFast_AllAdapters_CompleteTheSameTrace()
        {
            Trace t = T("a 1 100\nc 2 3 50\nr 1 5000\na 3 17\nr 3 2000\nf 2\nr 1 10\nf 1\nf 3\n");
            var held = new int[t.MaxId + 1];
            IAllocatorAdapter[] adapters =
            {
                new HeapAdapter(1 << 16, 4096) { VerifyContents = true },
                new HeapAdapter(1 << 16, 256, threadSafe: false) { VerifyContents = true },
                new ArrayPoolAdapter(),
                new NativeMemoryAdapter(),
                new GcArrayAdapter(),
            };
            foreach (IAllocatorAdapter a in adapters)
            {
                using (a)
                {
                    Assert.Equal(0, Replayer.RunFast(t, a, held));
                    Assert.Equal(0, Replayer.RunFast(t, a, held));   // again: Begin cleans up
                    Assert.Null(a.Validate());
                }
            }
        }

        [Fact]
        public void MinHeap_OfTheBaseHeap_IsThePeakBreakPlusTheArenaStart()
        {
            Trace t = T("a 1 100\na 2 5000\nf 2\na 3 3000\nf 1\na 4 20000\n");
            MinHeapResult m = MinHeapSearch.ForBaseHeap(t, 4096);
            long peak = Fragmentation.PeakArena(t, 4096);
            Assert.Equal(7 * 4096, peak);   // blocks 1-2 busy, block 3 free at the top grows to the 5 blocks 20000 bytes need
            Assert.Equal(peak + 8 + 8, m.HeapBytes);   // + the arena's 8 reserved bytes, rounded up to 16
            Assert.Equal(new Heap(new byte[m.HeapBytes], 4096).MetadataBytes, m.MetadataBytes);
            Assert.Equal((double)(m.HeapBytes + m.MetadataBytes) / 23000, m.TotalRatio, 12);

            using var smaller = new HeapAdapter(m.HeapBytes - 16, 4096);
            Assert.False(Replayer.Run(t, smaller).Completed);
        }

        [Fact]
        public void ReferenceFigures_ParsesTheReadmeTable()
        {
            ReferenceFigures r = ReferenceFigures.Parse(
                "# x\n\n## Reference figures\n\ntext\n\n| trace | GNU malloc, 4096-byte blocks | umm |\n|---|---:|---:|\n"
                + "| a | 1.434 | 1.199 (16) |\n| b | 1.5 | fails (too big) |\n\nafter\n");
            Assert.Equal(new[] { "GNU malloc, 4096-byte blocks", "umm" }, r.Columns);
            Assert.Equal(0, r.Find("4096-byte"));
            Assert.Equal(1.434, r.Value("a", 0));
            Assert.Equal(1.199, r.Value("a", 1));
            Assert.Equal("fails (too big)", r.Text("b", 1));
            Assert.True(double.IsNaN(r.Value("b", 1)));
            Assert.True(double.IsNaN(r.Value("c", 0)));
        }

        private sealed class BrokenAdapter : IAllocatorAdapter
        {
            private int _ops;

            public string Name => "broken";

            public bool Touch { get; set; }

            public long ArenaBytesInUse => -1;

            public void Begin(int maxId) => _ops = 0;

            public bool Malloc(int id, int size) => ++_ops > 0;

            public bool Calloc(int id, int count, int size) => ++_ops > 0;

            public bool Realloc(int id, int oldSize, int newSize) => ++_ops > 0;

            public void Free(int id, int size) => _ops++;

            public string Validate() => _ops >= 2 ? $"broken after {_ops} operations" : null;

            public void Dispose()
            {
            }
        }

        private sealed class FreeTwiceAdapter : IAllocatorAdapter
        {
            private readonly HeapAdapter _inner;

            public FreeTwiceAdapter(HeapAdapter inner) => _inner = inner;

            public string Name => "free twice";

            public bool Touch { get; set; }

            public long ArenaBytesInUse => _inner.ArenaBytesInUse;

            public void Begin(int maxId) => _inner.Begin(maxId);

            public bool Malloc(int id, int size) => _inner.Malloc(id, size);

            public bool Calloc(int id, int count, int size) => _inner.Calloc(id, count, size);

            public bool Realloc(int id, int oldSize, int newSize) => _inner.Realloc(id, oldSize, newSize);

            public void Free(int id, int size)
            {
                _inner.Heap.Free(_inner.OffsetOf(id));
                _inner.Free(id, size);
            }

            public string Validate() => _inner.Validate();

            public void Dispose()
            {
            }
        }
    }
}
