// checker-nano trace: a firmware's heap trace (T records, made here by the library's HeapTracer over
// a debug heap, exactly as a board makes them) turned into a trace file: the exact file of a small
// log, and every kind of bad input: lost records (a gap the trace survives, a lost allocation, a
// lost free), a garbled record, a reset in the middle of the stream, no trace at all, a leaks-mode
// trace (which `leaks` reads instead), a ring that dumps itself as it fills; --keep-going,
// --strict, --trace. Then replay --all-sizes over the result.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Checker.Nano.Dumps;
using Checker.Nano.Traces;
using Xunit;

namespace Checker.Nano.Cli.Tests
{
    /// <summary>Logs of a traced debug heap, written by the library itself.</summary>
    internal static class TraceLogs
    {
        private sealed class StepClock : TraceClock
        {
            public long Ms;

            public override long NowMs => Ms += 10;
        }

        /// <summary>A debug heap on a 64 KiB arena (BLOCKSIZE 4096) reporting both forms, with HELLO (board host, app unit) and a tracer.</summary>
        public static (DebugHeap Debug, HeapTracer Tracer, MemorySink Sink) New(int mode, int capacity)
        {
            var sink = new MemorySink();
            var reporter = new Reporter(sink);
            var heap = new Heap(new byte[65536], 4096);
            var debug = new DebugHeap(heap, reporter);
            var report = new HeapReport(heap, reporter) { Board = "host", App = "unit" };
            report.Hello();
            var tracer = new HeapTracer(debug, reporter, mode, capacity) { Clock = new StepClock() };
            report.Tracer = tracer;
            return (debug, tracer, sink);
        }

        /// <summary>The small stream of TraceCommandTests.Trace_SmallStream_ExactFile.</summary>
        public static string Small()
        {
            (DebugHeap d, HeapTracer t, MemorySink sink) = New(TraceMode.Stream, 0);
            t.Start();
            int a = d.Malloc(100, BlockType.Normal, "/src/app/radio.cs", 10);
            int b = d.Calloc(4, 8, BlockType.ClientBlock(2), "/src/app/radio.cs", 20);
            a = d.Realloc(a, 300, BlockType.Normal, "/src/app/json.cs", 30);
            d.Free(b, BlockType.Normal, "/src/app/radio.cs", 25);
            d.Malloc(70000, BlockType.Normal, "/src/app/radio.cs", 40);
            d.Malloc(16, BlockType.Normal, "/src/app/radio.cs", 10);
            t.Stop();
            return sink.Text;
        }

        /// <summary>
        /// <paramref name="operations"/> random mallocs, reallocs and frees over 24 slots at four
        /// sites (fixed seed), then every slot freed; in <paramref name="mode"/>.
        /// </summary>
        public static string Workload(int mode, int capacity, int operations, int seed = 5)
        {
            (DebugHeap d, HeapTracer t, MemorySink sink) = New(mode, capacity);
            t.Start();
            var random = new Random(seed);
            var slots = new int[24];
            for (int i = 0; i < operations; i++)
            {
                int k = random.Next(slots.Length);
                int line = 10 * (1 + random.Next(4));
                if (slots[k] != 0 && random.Next(3) == 0)
                {
                    d.Free(slots[k], BlockType.Normal, "/src/app/load.cs", 99);
                    slots[k] = 0;
                }
                else if (slots[k] != 0)
                {
                    int q = d.Realloc(slots[k], random.Next(1, 600), BlockType.Normal, "/src/app/load.cs", line);
                    slots[k] = q != 0 ? q : slots[k];
                }
                else
                {
                    slots[k] = d.Malloc(random.Next(1, 900), BlockType.Normal, "/src/app/load.cs", line);
                }
            }

            foreach (int p in slots.Where(p => p != 0))
            {
                d.Free(p, BlockType.Normal, "/src/app/load.cs", 99);
            }

            t.Stop();
            if (mode != TraceMode.Stream)
            {
                t.Dump("call", -1);
            }

            return sink.Text;
        }

        private static readonly Lazy<string> Dir = new Lazy<string>(Golden.TempDir);

        /// <summary>A file of this test class's temporary directory.</summary>
        public static string PathOf(string name) => Path.Combine(Dir.Value, name);

        public static string Write(string text, string name)
        {
            string path = PathOf(name);
            File.WriteAllText(path, text);
            return path;
        }

        /// <summary>The log without the T records whose e is in <paramref name="events"/>.</summary>
        public static string Without(string log, params int[] events)
        {
            return string.Join("\n", log.Split('\n').Where(l => !(l.StartsWith("@CN1 T ") && events.Contains(E(l)))));
        }

        /// <summary>The e of a T record line.</summary>
        public static int E(string line)
        {
            int at = line.IndexOf(" e=", StringComparison.Ordinal) + 3;
            return int.Parse(line[at..line.IndexOf(' ', at)]);
        }

        /// <summary>The T record lines (stream mode) as (e, op, p, q).</summary>
        public static List<(int E, string Op, int P, int Q)> Events(string log)
        {
            return log.Split('\n').Where(l => l.StartsWith("@CN1 T ")).Select(l =>
            {
                CnRecord r = LogParser.ParseText(l + "\n").Records[0];
                return (r.Int32("e").Value, r.Text("op"), r.Int32("p").Value, r.Int32("q") ?? 0);
            }).ToList();
        }
    }

    public class TraceCommandTests
    {
        [Fact]
        public void Trace_SmallStream_ExactFile()
        {
            string log = TraceLogs.Write(TraceLogs.Small(), "small.log");
            string output = TraceLogs.PathOf("small.trace");
            CliRun r = CliRun.Of("trace", log, "-o", output);
            Assert.Equal(0, r.Exit);
            Assert.Equal(
                "small.log: 12 lines, 9 records, 0 dump(s)\n"
                + "trace 1: run 1, stream mode, layer debug over the seed policy (HEAP 65536, BLOCKSIZE 4096), log lines 4-12, 6 event(s) received (e=1..6), ended by stop\n"
                + "trace 1: 1 allocation(s) found no room on the device (p=0): left out\n"
                + "small.trace: 5 events (malloc 2, calloc 1, realloc 1, free 1), peak live 332 bytes in 2 blocks, 3 site(s)\n", r.Err);
            Assert.Equal(
                "# checker-nano trace v1\n"
                + "# source: unit on host, heap trace 1 of small.log, 5 events, peak live 332 bytes in 2 blocks\n"
                + "# note: recorded by Checker.Nano's heap tracer on the device: stream mode, layer debug over the seed policy, HEAP 65536, BLOCKSIZE 4096 (small.log, run 1, log lines 4-12)\n"
                + "# note: 1 allocation(s) found no room on the device (p=0): left out\n"
                + "# site: 1 Normal radio.cs:10\n"
                + "# site: 2 Client/2 radio.cs:20\n"
                + "# site: 3 Normal json.cs:30\n"
                + "# @1\na 1 100\n# @2\nc 2 4 8\n# @3\nr 1 300\nf 2\n# @1\na 3 16\n", File.ReadAllText(output));
            Trace t = TraceReader.Read(output);
            Assert.Equal(new[] { "Normal radio.cs:10", "Client/2 radio.cs:20", "Normal json.cs:30" }, t.Sites.Select(s => s.Type + " " + s.Location));
            Assert.Equal(new[] { 1, 2, 3, 0, 1 }, t.EventSites);

            // To standard output when -o is left out.
            CliRun toOut = CliRun.Of("trace", log);
            Assert.Equal(File.ReadAllText(output), toOut.Out);
        }

        [Fact]
        public void Trace_LostPair_IsAGapTheTraceSurvives_StrictFails()
        {
            string full = TraceLogs.Workload(TraceMode.Stream, 0, 400);
            List<(int E, string Op, int P, int Q)> events = TraceLogs.Events(full);

            // A malloc whose block is freed later, lost with its free: the trace misses a pair.
            var malloc = events.First(e => e.Op == "a" && e.E > 50);
            var free = events.First(e => e.E > malloc.E && e.P == malloc.P && e.Op == "f");
            Assert.True(events.Where(e => e.E > malloc.E && e.E < free.E).All(e => e.P != malloc.P && e.Q != malloc.P), "the block must be freed as it was allocated");
            string log = TraceLogs.Write(TraceLogs.Without(full, malloc.E, free.E), "lost-pair.log");
            CliRun r = CliRun.Of("trace", log, "-o", TraceLogs.PathOf("lost-pair.trace"));
            Assert.Equal(0, r.Exit);
            Assert.Contains("2 record(s) lost (gaps in n)", r.Err);
            Assert.Contains($"trace 1: 2 event(s) lost on the way, e={malloc.E},{free.E}: the trace misses them\n", r.Err);
            Assert.Contains($"# note: 2 event(s) lost on the way, e={malloc.E},{free.E}: the trace misses them\n", File.ReadAllText(TraceLogs.PathOf("lost-pair.trace")));
            CliRun strict = CliRun.Of("trace", log, "-o", TraceLogs.PathOf("lost-pair-strict.trace"), "--strict");
            Assert.Equal(ExitCodes.BadInput, strict.Exit);
            Assert.Contains("checker-nano: --strict: the trace is not complete", strict.Err);
        }

        [Fact]
        public void Trace_LostMalloc_IsRefused_KeepGoingDropsItsFree()
        {
            string full = TraceLogs.Workload(TraceMode.Stream, 0, 400);
            List<(int E, string Op, int P, int Q)> events = TraceLogs.Events(full);
            var malloc = events.First(e => e.Op == "a" && e.E > 50 && events.Any(f => f.E > e.E && f.Op == "f" && f.P == e.P));
            var free = events.First(e => e.E > malloc.E && e.P == malloc.P && e.Op == "f");
            string log = TraceLogs.Write(TraceLogs.Without(full, malloc.E), "lost-malloc.log");
            string output = TraceLogs.PathOf("lost-malloc.trace");
            File.Delete(output);
            CliRun r = CliRun.Of("trace", log, "-o", output);
            Assert.Equal(ExitCodes.BadInput, r.Exit);
            Assert.Contains($"trace 1: e={free.E} (log line ", r.Err);
            Assert.Contains($"): free of offset {free.P}, whose allocation was lost in a gap\n", r.Err);
            Assert.Contains("checker-nano: trace 1 refused: its gaps make it unreplayable as it came (1 problem(s)); --keep-going writes it with the repairs listed\n", r.Err);
            Assert.False(File.Exists(output));

            CliRun kept = CliRun.Of("trace", log, "-o", output, "--keep-going");
            Assert.Equal(0, kept.Exit);
            string text = File.ReadAllText(output);
            Assert.Contains("# note: kept going past 1 problem(s): 0 free(s) inferred where an offset was handed out again, 1 free(s) of blocks whose allocation was lost dropped, 0 realloc(s) of such blocks written as mallocs\n", text);
            Trace whole = TraceReader.Read(TraceLogs.Write(CliRun.Of("trace", TraceLogs.Write(full, "whole.log")).Out, "whole.trace"));
            Trace repaired = TraceReader.Read(output);
            Assert.Equal(whole.Mallocs - 1, repaired.Mallocs);
            Assert.Equal(whole.Frees - 1, repaired.Frees);
            Assert.Equal(ExitCodes.BadInput, CliRun.Of("trace", log, "-o", output, "--keep-going", "--strict").Exit);
        }

        [Fact]
        public void Trace_LostFree_OffsetHandedOutAgain_IsRefused_KeepGoingInfersIt()
        {
            string full = TraceLogs.Workload(TraceMode.Stream, 0, 400);
            List<(int E, string Op, int P, int Q)> events = TraceLogs.Events(full);
            var free = events.First(f => f.Op == "f" && f.E > 50 && events.Any(a => a.E > f.E && a.Op != "f" && a.P == f.P));
            var again = events.First(a => a.E > free.E && a.Op != "f" && a.P == free.P);
            string log = TraceLogs.Write(TraceLogs.Without(full, free.E), "lost-free.log");
            CliRun r = CliRun.Of("trace", log, "-o", TraceLogs.PathOf("lost-free.trace"));
            Assert.Equal(ExitCodes.BadInput, r.Exit);
            Assert.Contains($"e={again.E} (log line ", r.Err);
            Assert.Contains($"): offset {free.P} handed out while the block allocated there at e=", r.Err);
            Assert.Contains(" was live: its free was lost\n", r.Err);
            CliRun kept = CliRun.Of("trace", log, "-o", TraceLogs.PathOf("lost-free.trace"), "--keep-going");
            Assert.Equal(0, kept.Exit);
            Assert.Contains("kept going past 1 problem(s): 1 free(s) inferred where an offset was handed out again", File.ReadAllText(TraceLogs.PathOf("lost-free.trace")));
        }

        [Fact]
        public void Trace_GarbledRecord_IsSkippedAsNoise_AndItsEventALoss()
        {
            string full = TraceLogs.Workload(TraceMode.Stream, 0, 200);
            string[] lines = full.Split('\n');
            int i = Array.FindIndex(lines, l => l.StartsWith("@CN1 T ") && TraceLogs.E(l) == 120);
            string victim = lines[i];
            lines[i] = victim.Replace(" p=", " p=9");   // the length changes too: a cut record
            int j = Array.FindIndex(lines, l => l.StartsWith("@CN1 T ") && TraceLogs.E(l) == 121);
            char[] c = lines[j].ToCharArray();
            c[12] = c[12] == '1' ? '2' : '1';            // same length, wrong CRC: noise
            lines[j] = new string(c);
            string log = TraceLogs.Write(string.Join("\n", lines), "garbled.log");
            CliRun r = CliRun.Of("trace", log, "-o", TraceLogs.PathOf("garbled.trace"), "--keep-going", "--verbose");
            Assert.Equal(0, r.Exit);
            Assert.Contains("skipped 2: cut 1, noise 1", r.Err);
            Assert.Contains("2 event(s) lost on the way, e=120-121", r.Err);
            Assert.Contains($"garbled.log:{i + 1}: cut: ", r.Err);
            Assert.Contains($"garbled.log:{j + 1}: noise: ", r.Err);
        }

        [Fact]
        public void Trace_ResetMidStream_TwoTraces_TheFirstCut()
        {
            string first = TraceLogs.Workload(TraceMode.Stream, 0, 300, seed: 1);
            string second = TraceLogs.Workload(TraceMode.Stream, 0, 100, seed: 2);
            string[] a = first.Split('\n');
            int cut = Array.FindIndex(a, l => l.StartsWith("@CN1 T ") && TraceLogs.E(l) == 150);
            string log = TraceLogs.Write(string.Join("\n", a.Take(cut)) + "\n@CN1 T n=9" + "\n" + second, "reset.log");
            CliRun r = CliRun.Of("trace", log, "-o", TraceLogs.PathOf("reset1.trace"));
            Assert.Equal(0, r.Exit);
            Assert.Contains("; 2 firmware runs", r.Err);
            Assert.Contains("skipped 1: cut 1", r.Err);
            Assert.Contains("trace 1: run 1, stream mode, layer debug over the seed policy (HEAP 65536, BLOCKSIZE 4096), log lines 4-", r.Err);
            Assert.Contains(" 149 event(s) received (e=1..149), ended by a restart of the firmware at line ", r.Err);
            Assert.Contains("trace 2: run 2, stream mode", r.Err);
            Assert.Contains("trace 1: cut by a restart of the firmware: blocks live then are never freed in the trace\n", r.Err);
            Assert.Equal(ExitCodes.BadInput, CliRun.Of("trace", log, "-o", TraceLogs.PathOf("reset1s.trace"), "--strict").Exit);
            CliRun two = CliRun.Of("trace", log, "-o", TraceLogs.PathOf("reset2.trace"), "--trace", "2");
            Assert.Equal(0, two.Exit);
            Assert.Equal(TraceReader.Read(TraceLogs.Write(CliRun.Of("trace", TraceLogs.Write(second, "second.log")).Out, "second.trace")).Events.Length,
                TraceReader.Read(TraceLogs.PathOf("reset2.trace")).Events.Length);
            Assert.Equal(ExitCodes.BadInput, CliRun.Of("trace", log, "--trace", "3").Exit);
        }

        [Fact]
        public void Trace_NoTrace_OrEmptyLog_OrMissingFile()
        {
            CliRun none = CliRun.Of("trace", Golden.PathOf("scenario.log"));
            Assert.Equal(ExitCodes.BadInput, none.Exit);
            Assert.Contains("checker-nano: scenario.log: no heap trace in this log (no T records)", none.Err);
            Assert.Equal(ExitCodes.BadInput, CliRun.Of("trace", TraceLogs.Write("", "empty.log")).Exit);
            Assert.Equal(ExitCodes.IoError, CliRun.Of("trace", TraceLogs.PathOf("nothing-here.log")).Exit);
        }

        [Fact]
        public void Trace_RingThatDumpsAsItFills_GivesEveryEventOnce()
        {
            string stream = TraceLogs.Workload(TraceMode.Stream, 0, 500);
            string ring = TraceLogs.Workload(TraceMode.Ring, 64, 500);
            CliRun s = CliRun.Of("trace", TraceLogs.Write(stream, "s.log"));
            CliRun g = CliRun.Of("trace", TraceLogs.Write(ring, "g.log"));
            Assert.Equal(0, g.Exit);
            Assert.Contains("event(s) listed twice (ring dumps): read once", g.Out);
            string Events(string trace) => string.Join("\n", trace.Split('\n').Where(l => l.Length > 0 && l[0] != '#'));
            Assert.Equal(Events(s.Out), Events(g.Out));
        }

        [Fact]
        public void LeaksMode_TraceRefuses_LeaksReadsTheDump()
        {
            (DebugHeap d, HeapTracer t, MemorySink sink) = TraceLogs.New(TraceMode.Leaks, 16);
            t.Start();
            d.Malloc(100, BlockType.Normal, "/src/app/radio.cs", 10);
            int b = d.Malloc(200, BlockType.Normal, "/src/app/radio.cs", 10);
            d.Malloc(40, BlockType.ClientBlock(1), "/src/app/json.cs", 7);
            d.Free(b, BlockType.Normal, "/src/app/radio.cs", 12);
            d.Calloc(3, 100, BlockType.Normal, "/src/app/cal.cs", 5);
            t.Dump("cmd-E", -1);
            string log = TraceLogs.Write(sink.Text, "leaks.log");
            CliRun tr = CliRun.Of("trace", log);
            Assert.Equal(ExitCodes.BadInput, tr.Exit);
            Assert.Contains("checker-nano: trace 1 is a leaks-mode trace: it lists the live allocations only, not the events (checker-nano leaks leaks.log reads it)", tr.Err);
            CliRun leaks = CliRun.Of("leaks", log);
            Assert.Equal(0, leaks.Exit);
            Assert.Equal(
                "leaks.log: dump 1 (d=1, cmd-E at 0.070 s)\n"
                + "                  leaks by allocation site                   \n"
                + "╭─────────────┬──────────┬────────┬───────┬────────┬────────╮\n"
                + "│ site        │ type     │ blocks │ bytes │  share │ events │\n"
                + "├─────────────┼──────────┼────────┼───────┼────────┼────────┤\n"
                + "│ cal.cs:5    │ Normal   │      1 │   300 │  68.2% │ {5}    │\n"
                + "│ radio.cs:10 │ Normal   │      1 │   100 │  22.7% │ {1}    │\n"
                + "│ json.cs:7   │ Client/1 │      1 │    40 │   9.1% │ {3}    │\n"
                + "│ total       │          │      3 │   440 │ 100.0% │        │\n"
                + "╰─────────────┴──────────┴────────┴───────┴────────┴────────╯\n"
                + "3 block(s), 440 bytes still allocated at 3 site(s)\n", leaks.Out);
        }

        [Fact]
        public void Replay_AllSizes_OneTable_AndTheSites()
        {
            string trace = TraceLogs.Write(CliRun.Of("trace", TraceLogs.Write(TraceLogs.Workload(TraceMode.Stream, 0, 400), "w.log")).Out, "w.trace");
            Trace t = TraceReader.Read(trace);
            CliRun j = CliRun.Of("replay", trace, "--blocksizes", "256,1024", "--format", "json");
            Assert.Equal(0, j.Exit);
            JsonElement doc = JsonDocument.Parse(j.Out).RootElement;
            JsonElement[] rows = doc.GetProperty("sizes").EnumerateArray().ToArray();
            Assert.Equal(2, rows.Length);
            int bestTotal = int.MaxValue;
            foreach ((JsonElement row, int bs) in rows.Zip(new[] { 256, 1024 }))
            {
                Assert.Equal(bs, row.GetProperty("blocksize").GetInt32());
                foreach ((string name, HeapPolicy policy) in new[] { ("seed", HeapPolicy.Seed), ("compact", HeapPolicy.Compact) })
                {
                    MinHeapResult min = TraceMaps.Search(t, HeapLayer.Base, bs, policy);
                    JsonElement cell = row.GetProperty(name);
                    Assert.Equal(min.HeapBytes, cell.GetProperty("heap").GetInt32());
                    Assert.Equal(min.MetadataBytes, cell.GetProperty("metadata_bytes").GetInt32());
                    bestTotal = Math.Min(bestTotal, min.HeapBytes + min.MetadataBytes);
                }
            }

            JsonElement rec = doc.GetProperty("recommended");
            Assert.Equal(bestTotal, rec.GetProperty("heap").GetInt32() + rec.GetProperty("metadata_bytes").GetInt32());
            JsonElement[] sites = doc.GetProperty("sites").EnumerateArray().ToArray();
            Assert.Equal(4, sites.Length);
            Assert.Equal(t.PeakLiveBytes, sites.Sum(s => s.GetProperty("bytes_at_peak").GetInt64()));

            CliRun text = CliRun.Of("replay", trace, "--all-sizes", "--blocksizes", "256,1024");
            Assert.Equal(0, text.Exit);
            Assert.Contains($"recommended: BLOCKSIZE {rec.GetProperty("blocksize").GetInt32()}, {rec.GetProperty("policy").GetString()} policy: HEAP {rec.GetProperty("heap").GetInt32()} (+ {rec.GetProperty("metadata_bytes").GetInt32()} bytes of table beside the arena)", text.Out);
            Assert.Contains("peak live bytes by allocation site", text.Out);
            Assert.Equal(ExitCodes.BadInput, CliRun.Of("replay", trace, "--blocksizes", "300").Exit);
        }
    }
}
