// A fixed debug-heap program over the Compact policy (64 KiB arena, 256-byte blocks): slots of
// eight classes in runs of one and two blocks, large objects and free gaps that start and end
// inside blocks, a free cluster of whole blocks, the break inside its last block; one dump with a
// line capacity of 184, so that its MAP goes on in a second record that starts inside a block
// (off=). Deterministic byte for byte.
using System.Collections.Generic;

namespace Checker.Nano.Cli.Tests
{
    public static class CompactScenario
    {
        public sealed class Result
        {
            public CompactHeap Heap;
            public DebugHeap Debug;
            public string Log;
        }

        /// <summary>The sizes asked for, in order (see the top of the file).</summary>
        public static readonly int[] Sizes = { 8, 8, 8, 24, 24, 300, 1000, 100, 200, 5000, 300, 16, 700, 40, 2000, 90, 400, 60, 3000, 500, 120, 8, 600, 250, 1200, 32, 900, 64 };

        /// <summary>Which of them are freed once all are made.</summary>
        public static readonly int[] Freed = { 1, 6, 10, 14, 17, 20, 24 };

        public static Result Run(int lineCapacity = 184)
        {
            var sink = new MemorySink();
            var heap = new CompactHeap(new byte[65536], 256);
            var reporter = new Reporter(sink, lineCapacity) { SyncRoot = heap.SyncRoot };
            var debug = new DebugHeap(heap, reporter);
            var report = new HeapReport(heap, reporter) { Board = "host", App = "compact" };
            report.AddSection(new DebugHeapSection(debug));
            report.Hello();
            var blocks = new List<int>();
            for (int i = 0; i < Sizes.Length; i++)
            {
                blocks.Add(debug.Malloc(Sizes[i], BlockType.Normal, "compact.cs", 10 + i));
            }

            foreach (int k in Freed)
            {
                debug.Free(blocks[k], BlockType.Normal, "compact.cs", 90);
            }

            report.Dump("call", 1000);
            return new Result { Heap = heap, Debug = debug, Log = sink.Text };
        }
    }
}
