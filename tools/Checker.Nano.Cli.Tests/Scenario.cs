// The fixed scenario the golden log, the map picture and the README come from: a 64 KiB arena
// with 4096-byte blocks, the debug heap and its report section, the proposed MAP records
// (MapSection below), fixed runtime figures, three dumps (call, timer, exit), a double free
// (an ERR record) and a check between the second and the third. Deterministic byte for byte.
using System.Collections.Generic;
using System.Text;
using Checker.Nano.Dumps;

namespace Checker.Nano.Cli.Tests
{
    /// <summary>
    /// The proposed MAP record writer: the heapinfo table in address order as runs (U n: object of
    /// n blocks, H n: free cluster, F size/free: a fragment block, X: anomaly), as many records as
    /// the line capacity needs, each starting at block at=. Only public API (Heap.WalkTable,
    /// Reporter.BeginRecord/Field*/EndRecord), so it could move into Records.cs and HeapReport as is.
    /// </summary>
    public sealed class MapSection : ReportSection
    {
        private readonly Heap _heap;

        public MapSection(Heap heap)
        {
            _heap = heap;
        }

        public override int Kind => Other;

        public override void WriteText(Reporter reporter)
        {
        }

        public override void WriteRecords(Reporter reporter)
        {
            int[] rows = new int[256 * Heap.WALK_WORDS];
            int count = _heap.WalkTable(rows);
            int i = 0;
            while (i < count && i < rows.Length / Heap.WALK_WORDS)
            {
                var runs = new StringBuilder();
                int at = rows[i * Heap.WALK_WORDS];
                while (i < count && runs.Length < 150)
                {
                    int r = i * Heap.WALK_WORDS;
                    if (runs.Length > 0)
                    {
                        runs.Append(',');
                    }

                    int state = rows[r + 2];
                    runs.Append(state == Heap.WalkObject ? "U" + rows[r + 1] : state == Heap.WalkFree ? "H" + rows[r + 1]
                        : state == Heap.WalkAnomaly ? "X" : "F" + (1 << state) + "/" + rows[r + 3]);
                    i++;
                }

                reporter.BeginRecord("MAP").FieldAddress("base", _heap.HeapBase).Field("at", at).FieldText("runs", runs.ToString()).EndRecord();
            }
        }
    }

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
            report.AddSection(new MapSection(heap));
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
