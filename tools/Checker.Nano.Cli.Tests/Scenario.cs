// The fixed scenario the golden log, the map picture and the README come from: a 64 KiB arena
// with 4096-byte blocks, the debug heap and its report section, fixed runtime figures, three
// dumps (call, timer, exit: each with the heap's MAP records), a double free (an ERR record) and
// a check between the second and the third. Deterministic byte for byte.
using System.Collections.Generic;

namespace Checker.Nano.Cli.Tests
{
    /// <summary>Fixed runtime figures.</summary>
    public sealed class FixedRuntime : RuntimeMemory
    {
        private int _calls;

        public override int Sample(RuntimeFigure[] figures)
        {
            _calls++;
            figures[0].Set("internal", 327680, 120000 - (_calls * 1000), 65536);
            figures[1].Set("managed", -1, 34567 - (_calls * 500), -1);
            return 2;
        }
    }

    /// <summary>Builds the scenario.</summary>
    public static class Scenario
    {
        /// <summary>The heap, the debug heap and the log text the scenario leaves.</summary>
        public sealed class Result
        {
            public Heap Heap;
            public DebugHeap Debug;
            public string Log;
        }

        /// <summary>Runs the scenario; <paramref name="stopBeforeLast"/> leaves the heap as the second dump saw it.</summary>
        public static Result Run(bool stopBeforeLast = false)
        {
            var sink = new MemorySink();
            var heap = new Heap(new byte[65536], 4096);
            var reporter = new Reporter(sink) { SyncRoot = heap.SyncRoot };
            var debug = new DebugHeap(heap, reporter);
            var report = new HeapReport(heap, reporter) { Board = "host", App = "scenario", RuntimeMemory = new FixedRuntime() };
            report.AddSection(new DebugHeapSection(debug));
            report.Hello();

            var s1 = new List<int>();
            for (int i = 0; i < 3; i++)
            {
                s1.Add(debug.Malloc(24, BlockType.Normal, "sensor.cs", 42));
            }

            debug.Free(s1[1], BlockType.Normal, "sensor.cs", 50);
            int r1 = debug.Malloc(200, BlockType.Normal, "radio.cs", 88);
            int r2 = debug.Malloc(200, BlockType.Normal, "radio.cs", 88);
            int h1 = debug.Malloc(16, BlockType.ClientBlock(1), "history.cs", 17);
            int h2 = debug.Malloc(16, BlockType.ClientBlock(1), "history.cs", 17);
            int table = debug.Malloc(5000, BlockType.Normal, "table.cs", 9);
            int buffer = debug.Malloc(9000, BlockType.Normal, "buffer.cs", 31);
            int crt = debug.Malloc(64, BlockType.Crt, "crt.cs", 5);
            report.Dump("call", 1000);

            debug.Free(table, BlockType.Normal, "table.cs", 12);
            debug.Malloc(200, BlockType.Normal, "radio.cs", 88);
            debug.Malloc(24, BlockType.Normal, "sensor.cs", 42);
            debug.Malloc(24, BlockType.Normal, "sensor.cs", 42);
            debug.Free(h1, BlockType.ClientBlock(1), "history.cs", 20);
            debug.Malloc(700, BlockType.Normal, "json.cs", 120);
            report.Dump("timer", 2000);
            if (!stopBeforeLast)
            {
                debug.Free(h1, BlockType.ClientBlock(1), "history.cs", 20);   // the double free: an ERR record
                report.Check();
                debug.Free(r1, BlockType.Normal, "radio.cs", 95);
                debug.Malloc(3000, BlockType.Normal, "cal.cs", 7);
                report.Dump("exit", 3000);
            }

            System.GC.KeepAlive(new object[] { r2, h2, buffer, crt });
            return new Result { Heap = heap, Debug = debug, Log = sink.Text };
        }
    }
}
