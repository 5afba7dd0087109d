// interp mode: a MODEL of what a malloc+free pair costs on the nanoFramework interpreter, not a
// measurement (there is no nanoFramework runtime on this machine). Issue 8's goal: a fragment's
// pair within 10x of `new byte[n]` on the device, aiming for 5x.
//
// 1. The IL the device runs: tools/Checker.Nano.DeviceIL compiles the library's sources without
//    HEAP_WORK (the host build's work counters are [Conditional("HEAP_WORK")] calls, absent from
//    the device build) and optimized; its output is copied beside this tool.
// 2. That assembly is instrumented (IlCounting.cs: one counter per IL instruction) and loaded in
//    its own AssemblyLoadContext; the cases below drive it by reflection, the way
//    Checker.Nano/Benchmark/AllocBenchmark.cs drives the library on a board, and read the
//    counters around the timed part: IL executed, calls into the library and out of it (BCL
//    natives: Monitor.Enter/Exit...), int[] and byte[] element accesses, per method.
// 3. The counts are priced with figures of nanoFramework's interpreter built for Linux (issue 8;
//    also ../shared/nano-surface/README.md), giving a low and a high estimate (CostModel).
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using Checker.Nano.Traces;

namespace Checker.Nano.Benchmarks
{
    /// <summary>
    /// Prices counted IL with the interpreter's figures. Derivation (figures from issue 8: the
    /// interpreter built for Linux, ns per loop iteration):
    /// <list type="bullet">
    /// <item>empty <c>for</c> loop iteration, 26 ns = 7 IL (ldloc i; ldc.i4.1; add; stloc i;
    /// ldloc i; ldarg n; blt) → <b>3.71 ns per IL</b> (low);</item>
    /// <item>loop reading an int[] element (<c>s += a[i]</c>: ldloc s; ldarg a; ldloc i; ldelem.i4;
    /// add; stloc s, 6 IL more), 52 ns → 26 ns / 6 = <b>4.33 ns per IL</b> (high);</item>
    /// <item>the same reading a byte[] element, 60 ns: a byte[] access costs <b>8 ns</b> more than
    /// an int[] one (high only);</item>
    /// <item>little-endian int from a byte[] (4 ldelem.u1, shifts, ors: 28 IL), 140 ns → 114 / 28 =
    /// 4.1 ns per IL with its 4 byte loads: inside the range, a check;</item>
    /// <item>loop with a call to an empty static method (call + the callee's ret: 2 IL more),
    /// 70–85 ns → 70 − 26 − 2 × 3.71 = <b>37 ns</b> to 85 − 26 − 2 × 3.71 = <b>52 ns</b> per call
    /// on top of its IL;</item>
    /// <item>calls out of the library (Monitor.Enter/Exit, Array.Copy...): no figure; priced as a
    /// library call (low) and as two (high), a guess;</item>
    /// <item>check: <c>new byte[n]</c> 70–90 ns (80 the centre); a toy GNU-style fragment
    /// allocator 0.9 µs per pair with its metadata in int[] (2.5–3.5 µs in the byte[]).</item>
    /// </list>
    /// </summary>
    public sealed class CostModel
    {
        /// <summary>The low estimate: every IL at the empty loop's rate, calls at 37 ns.</summary>
        public static readonly CostModel Low = new CostModel("low", 26.0 / 7, 0, 70 - 26 - (2 * 26.0 / 7), 70 - 26 - (2 * 26.0 / 7));

        /// <summary>The high estimate: the int[] loop's rate, byte[] accesses +8 ns, calls at 52 ns, calls out at 103 ns.</summary>
        public static readonly CostModel High = new CostModel("high", 26.0 / 6, 60 - 52, 85 - 26 - (2 * 26.0 / 7), 2 * (85 - 26 - (2 * 26.0 / 7)));

        /// <summary>`new byte[n]` on the interpreter: 70–90 ns, 80 the centre.</summary>
        public const double NewByteArrayNs = 80, NewByteArrayLowNs = 70, NewByteArrayHighNs = 90;

        private CostModel(string name, double ilNs, double byteArrayExtraNs, double callNs, double outsideCallNs)
        {
            Name = name;
            IlNs = ilNs;
            ByteArrayExtraNs = byteArrayExtraNs;
            CallNs = callNs;
            OutsideCallNs = outsideCallNs;
        }

        /// <summary>"low" or "high".</summary>
        public string Name { get; }

        /// <summary>ns per IL instruction (any).</summary>
        public double IlNs { get; }

        /// <summary>ns more for a byte[] element access.</summary>
        public double ByteArrayExtraNs { get; }

        /// <summary>ns per call into the library, on top of the call's IL.</summary>
        public double CallNs { get; }

        /// <summary>ns per call out of it, on top of the call's IL.</summary>
        public double OutsideCallNs { get; }

        /// <summary>ns for the given counts (per pair or per operation).</summary>
        public double Price(double il, double byteArray, double callsInside, double callsOutside)
            => (il * IlNs) + (byteArray * ByteArrayExtraNs) + (callsInside * CallNs) + (callsOutside * OutsideCallNs);
    }

    /// <summary>One case: a layer at a BLOCKSIZE, pairs of one size.</summary>
    public sealed record PairCase(string Layer, int BlockSize, int Size, bool Resident)
    {
        /// <summary>The base heap as shipped (one lock per call).</summary>
        public const string BaseHeap = "base heap";

        /// <summary>The base heap with ThreadSafe = false.</summary>
        public const string BaseHeapNoLock = "base heap, no lock";

        /// <summary>The debug heap over a base heap (lock on, as AllocBenchmark makes it).</summary>
        public const string DebugHeap = "debug heap";

        /// <summary>The row's label.</summary>
        public string Label => $"{Size} B, {Layer}, BLOCKSIZE {BlockSize}" + (Resident ? "" : ", no resident block");
    }

    /// <summary>Counts of one case, per pair (or per trace operation), and their price.</summary>
    public sealed class ModelRow
    {
        /// <summary>The row's label.</summary>
        public string Label { get; init; }

        /// <summary>The counts over the whole run.</summary>
        public IlTally Tally { get; init; }

        /// <summary>Pairs (or operations) the counts are over.</summary>
        public long Units { get; init; }

        /// <summary>The caller's IL per unit (loading the heap and the arguments, the calls themselves).</summary>
        public int CallerIl { get; init; }

        /// <summary>The caller's calls into the library per unit (Malloc and Free: 2).</summary>
        public int CallerCalls { get; init; }

        /// <summary>Compare with `new byte[n]` and the goals (pairs, not trace operations).</summary>
        public bool Compare { get; init; } = true;

        /// <summary>Library IL per unit.</summary>
        public double Il => (double)Tally.Instructions / Units;

        /// <summary>Library calls per unit (inside the library).</summary>
        public double CallsInside => (double)Tally.CallsInside / Units;

        /// <summary>Calls out of the library per unit.</summary>
        public double CallsOutside => (double)Tally.CallsOutside / Units;

        /// <summary>int[] element accesses per unit.</summary>
        public double IntArray => (double)Tally.IntArray / Units;

        /// <summary>byte[] element accesses per unit.</summary>
        public double ByteArray => (double)Tally.ByteArray / Units;

        /// <summary>The estimate in ns per unit with <paramref name="model"/>, the caller's IL and calls included.</summary>
        public double Ns(CostModel model) => model.Price(Il + CallerIl, ByteArray, CallsInside + CallerCalls, CallsOutside);
    }

    /// <summary>The interp mode: counts, prices and the markdown table.</summary>
    public static class InterpreterModel
    {
        /// <summary>Pairs counted per case.</summary>
        public const int DefaultPairs = 10_000;

        /// <summary>The arena of every pair case: the boards' AllocBenchmark.Run(reporter, 16384, 1024, 2000).</summary>
        public const int ArenaBytes = 16384;

        /// <summary>Pairs run before counting (after the resident block, when there is one).</summary>
        public const int WarmupPairs = 16;

        /// <summary>The trace replayed for the per-operation row.</summary>
        public const string TraceName = "synthetic-espidf";

        /// <summary>The device-style library beside this tool (built by tools/Checker.Nano.DeviceIL).</summary>
        public static string DeviceAssemblyPath => Path.Combine(AppContext.BaseDirectory, "Checker.Nano.DeviceIL.dll");

        /// <summary>The cases of the table: the boards' sizes, BLOCKSIZE 1024 and 4096, three layers, steady state; then AllocBenchmark's own way (no resident block) at 1024.</summary>
        public static IReadOnlyList<PairCase> DefaultCases()
        {
            var cases = new List<PairCase>();
            foreach (int blockSize in new[] { 1024, 4096 })
            {
                foreach (int size in new[] { 16, 64, 256 })
                {
                    foreach (string layer in new[] { PairCase.BaseHeap, PairCase.BaseHeapNoLock, PairCase.DebugHeap })
                    {
                        cases.Add(new PairCase(layer, blockSize, size, Resident: true));
                    }
                }
            }

            foreach (int size in new[] { 16, 64, 256 })
            {
                cases.Add(new PairCase(PairCase.BaseHeap, 1024, size, Resident: false));
            }

            return cases;
        }

        /// <summary>
        /// Counts <paramref name="pairs"/> malloc+free pairs of <paramref name="c"/> on the
        /// instrumented library <paramref name="library"/>, after the warm-up.
        /// </summary>
        public static ModelRow MeasurePairs(InstrumentedAssembly library, PairCase c, int pairs)
        {
            var target = new PairTarget(library, c.Layer, c.BlockSize);
            if (c.Resident)
            {
                target.Malloc(c.Size);   // kept: its block stays split, so a pair is a list pop and push
            }

            for (int i = 0; i < WarmupPairs; i++)
            {
                target.Free(target.Malloc(c.Size));
            }

            library.Reset();
            for (int i = 0; i < pairs; i++)
            {
                int p = target.Malloc(c.Size);
                if (p == 0)
                {
                    throw new InvalidOperationException($"{c.Label}: malloc returned 0");
                }

                target.Free(p);
            }

            return new ModelRow
            {
                Label = c.Label,
                Tally = library.Tally(),
                Units = pairs,
                CallerIl = target.CallerIl,
                CallerCalls = 2,
            };
        }

        /// <summary>
        /// Counts one replay of <paramref name="trace"/> through the base heap (lock on, every byte
        /// left unwritten: the program's writes are not the allocator's) at <paramref name="blockSize"/>,
        /// in its smallest HEAP × 1.25 as the replay benchmarks run it; per trace operation.
        /// </summary>
        public static ModelRow MeasureTrace(InstrumentedAssembly library, Trace trace, int blockSize)
        {
            int arena = TraceReplayBenchmarks.Arena(MinHeapSearch.ForBaseHeap(trace, blockSize));
            using var adapter = new InstrumentedHeapAdapter(library, arena, blockSize);
            int failures = Replayer.RunFast(trace, adapter, new int[trace.MaxId + 1]);
            if (failures != 0)
            {
                throw new InvalidOperationException($"{trace.Name}: {failures} allocations failed in an arena of {arena} bytes");
            }

            return new ModelRow
            {
                Label = $"one operation of {trace.Name} ({trace.Events.Length} operations), base heap, BLOCKSIZE {blockSize}, HEAP {arena}",
                Tally = library.Tally(),
                Units = trace.Events.Length,
                CallerIl = 4,   // ldarg heap, the arguments (1-2), call, stloc/pop: about 4
                CallerCalls = 1,
                Compare = false,
            };
        }

        /// <summary>The interp mode: every case, the table, the top methods. <paramref name="directory"/> (traces) may be null or missing: the trace row is then left out, saying so.</summary>
        public static string Build(string directory, int pairs, TextWriter progress)
        {
            var started = DateTime.UtcNow;
            using InstrumentedAssembly library = InstrumentedAssembly.Load(DeviceAssemblyPath);
            progress?.WriteLine($"interp: instrumented {Path.GetFileName(DeviceAssemblyPath)} ({library.Sites.Count} IL sites)");
            var rows = new List<ModelRow>();
            ModelRow top = null;
            foreach (PairCase c in DefaultCases())
            {
                ModelRow row = MeasurePairs(library, c, pairs);
                rows.Add(row);
                if (c == new PairCase(PairCase.BaseHeap, 1024, 64, true))
                {
                    top = row;
                }

                progress?.WriteLine($"interp: {c.Label}: {row.Il:0.#} IL per pair");
            }

            string traceNote = null;
            string problem = directory == null ? "no traces directory" : TraceCatalog.Problem(directory);
            if (problem == null && TraceCatalog.Names(directory).Contains(TraceName))
            {
                Trace trace = TraceCatalog.Load(directory, TraceName);
                rows.Add(MeasureTrace(library, trace, 1024));
                progress?.WriteLine($"interp: {TraceName} replayed");
            }
            else
            {
                traceNote = $"(The {TraceName} row is missing: {(problem ?? TraceName + " not found in " + directory).Replace(Environment.NewLine, " ").TrimEnd('.')}.)";
            }

            string text = Render(rows, top, pairs, traceNote);
            progress?.WriteLine($"interp: {(DateTime.UtcNow - started).TotalSeconds:0.0} s");
            return text;
        }

        /// <summary>The markdown: the legend, the table, the top methods of <paramref name="top"/>.</summary>
        public static string Render(IReadOnlyList<ModelRow> rows, ModelRow top, int pairs, string traceNote)
        {
            var s = new StringBuilder();
            s.AppendLine("## Interpreter model (issue 8): a model calibrated on the interpreter's figures, NOT a measurement");
            s.AppendLine();
            s.AppendLine("IL counted by instrumenting the library compiled as for the device (no HEAP_WORK, optimized),");
            s.AppendLine("priced with nanoFramework's interpreter figures from issue 8 (built for Linux; no device or emulator ran): "
                + F(CostModel.Low.IlNs, 2) + "–" + F(CostModel.High.IlNs, 2) + " ns per IL, +" + F(CostModel.High.ByteArrayExtraNs, 0)
                + " ns per byte[] access (high), " + F(CostModel.Low.CallNs, 0) + "–" + F(CostModel.High.CallNs, 0)
                + " ns per call into the library, " + F(CostModel.Low.OutsideCallNs, 0) + "–" + F(CostModel.High.OutsideCallNs, 0)
                + " ns per call out of it (a guess), `new byte[n]` 70–90 ns (80).");
            s.AppendLine("Derivation: empty loop 26 ns ÷ 7 IL = 3.71 ns/IL (low); int[] read loop 52 − 26 ns ÷ 6 IL = 4.33 (high); byte[] read loop 60 ns: +8 per byte[] access;");
            s.AppendLine("call loop 70–85 ns − 26 − 2 IL × 3.71 = 37–52 ns per call; calls out of the library: no figure, 1–2 calls' worth (tools/Checker.Nano.Benchmarks/README.md).");
            s.AppendLine($"Steady state: {pairs:N0} pairs per case after a resident block of the size (kept, so its block stays split) and {WarmupPairs} warm-up pairs;");
            s.AppendLine("counts are per pair, the library's own (the caller's IL and its 2 calls are added in the estimate only). HEAP " + ArenaBytes + " as on the boards.");
            s.AppendLine();
            s.AppendLine("| case | IL/pair | calls/pair (library / outside) | int[] / byte[] accesses | est. ns/pair (low–high) | ÷ new byte[n] at 80 ns (range) | within 10× | within 5× |");
            s.AppendLine("|---|---:|---:|---:|---:|---:|---|---|");
            foreach (ModelRow r in rows)
            {
                double low = r.Ns(CostModel.Low), high = r.Ns(CostModel.High);
                string unit = r.Compare ? "" : " (per op)";
                string ratio = r.Compare
                    ? $"{F((low + high) / 2 / CostModel.NewByteArrayNs, 1)}× ({F(low / CostModel.NewByteArrayHighNs, 1)}–{F(high / CostModel.NewByteArrayLowNs, 1)}×)"
                    : "-";
                s.AppendLine($"| {r.Label} | {F(r.Il, 1)}{unit} | {F(r.CallsInside, 1)} / {F(r.CallsOutside, 1)} | {F(r.IntArray, 1)} / {F(r.ByteArray, 1)} | {F(low, 0)}–{F(high, 0)} | {ratio} | {(r.Compare ? Verdict(low, high, 10) : "-")} | {(r.Compare ? Verdict(low, high, 5) : "-")} |");
            }

            s.AppendLine();
            s.AppendLine("Verdicts: **yes** when even the high estimate ÷ 70 ns is within the goal, **no** when even the low estimate ÷ 90 ns is past it, otherwise *maybe*.");
            long allocations = rows.Where(r => r.Compare).Sum(r => r.Tally.Allocations);
            s.AppendLine($"Managed allocations (newobj, newarr, box) in the counted pairs, all cases: {allocations:N0}.");
            if (traceNote != null)
            {
                s.AppendLine(traceNote);
            }

            var outside = rows.Where(r => r.Compare).SelectMany(r => r.Tally.OutsideCallees.Keys).Distinct().OrderBy(k => k, StringComparer.Ordinal).ToList();
            s.AppendLine("Calls out of the library in the pairs: " + (outside.Count == 0 ? "none" : string.Join(", ", outside)) + ".");
            if (top != null)
            {
                s.AppendLine();
                s.AppendLine($"### Top 10 methods by IL per pair: {top.Label}");
                s.AppendLine();
                s.AppendLine("| method | IL/pair | share | calls/pair made (library / outside) |");
                s.AppendLine("|---|---:|---:|---:|");
                foreach (var m in top.Tally.PerMethod.OrderByDescending(kv => kv.Value.Instructions).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(10))
                {
                    s.AppendLine($"| `{m.Key}` | {F((double)m.Value.Instructions / top.Units, 1)} | {F(100.0 * m.Value.Instructions / top.Tally.Instructions, 0)}% | {F((double)m.Value.CallsInside / top.Units, 1)} / {F((double)m.Value.CallsOutside / top.Units, 1)} |");
                }
            }

            s.AppendLine();
            s.AppendLine("Not seen by the model: what each native call really costs (Monitor.Enter/Exit, Array.Copy...), the GC,");
            s.AppendLine("the interpreter's own caches and type checks, the device's clock and flash wait states. Read it as a guide, not a figure.");
            return s.ToString();
        }

        private static string Verdict(double low, double high, double goal)
        {
            if (high / CostModel.NewByteArrayLowNs <= goal)
            {
                return "**yes**";
            }

            return low / CostModel.NewByteArrayHighNs > goal ? "**no**" : "*maybe*";
        }

        private static string F(double value, int decimals) => value.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

        /// <summary>Malloc and Free of one layer of the instrumented library, called by reflection.</summary>
        private sealed class PairTarget
        {
            private const string CallerFile = @"C:\src\App\Program.cs";
            private readonly Func<int, int> _malloc;
            private readonly Action<int> _free;

            public PairTarget(InstrumentedAssembly library, string layer, int blockSize)
            {
                Assembly a = library.Assembly;
                Type heapType = a.GetType("Checker.Nano.Heap", throwOnError: true);
                object heap = Activator.CreateInstance(heapType, new byte[ArenaBytes], blockSize);
                if (layer == PairCase.BaseHeapNoLock)
                {
                    heapType.GetProperty("ThreadSafe").SetValue(heap, false);
                }

                if (layer == PairCase.DebugHeap)
                {
                    Type debugType = a.GetType("Checker.Nano.DebugHeap", throwOnError: true);
                    object sink = Activator.CreateInstance(a.GetType("Checker.Nano.MemorySink", throwOnError: true));
                    object reporter = Activator.CreateInstance(a.GetType("Checker.Nano.Reporter", throwOnError: true), sink);
                    object debug = Activator.CreateInstance(debugType, heap, reporter);
                    MethodInfo malloc = debugType.GetMethod("Malloc", new[] { typeof(int), typeof(int), typeof(string), typeof(int) });
                    MethodInfo free = debugType.GetMethod("Free", new[] { typeof(int), typeof(int), typeof(string), typeof(int) });
                    object blockUse = malloc.GetParameters()[1].DefaultValue;
                    var m = malloc.CreateDelegate<Func<int, int, string, int, int>>(debug);
                    _malloc = size => m(size, (int)blockUse, CallerFile, 10);
                    _free = p =>
                    {
                        object error = free.Invoke(debug, new object[] { p, blockUse, CallerFile, 11 });
                        if (Convert.ToInt32(error, CultureInfo.InvariantCulture) != 0)
                        {
                            throw new InvalidOperationException("debug heap free: " + error);
                        }
                    };
                    CallerIl = PairIl(malloc, free);
                }
                else
                {
                    MethodInfo malloc = heapType.GetMethod("Malloc", new[] { typeof(int) });
                    MethodInfo free = heapType.GetMethod("Free", new[] { typeof(int) });
                    _malloc = malloc.CreateDelegate<Func<int, int>>(heap);
                    _free = free.CreateDelegate<Action<int>>(heap);
                    CallerIl = PairIl(malloc, free);
                }
            }

            /// <summary>The caller's IL for <c>x.Free(x.Malloc(n, ...), ...)</c>: each call loads the instance and its arguments (malloc's result is free's first), calls, and a result of free is popped.</summary>
            public int CallerIl { get; }

            public int Malloc(int size) => _malloc(size);

            public void Free(int p) => _free(p);

            private static int PairIl(MethodInfo malloc, MethodInfo free)
                => (1 + malloc.GetParameters().Length + 1) + (1 + free.GetParameters().Length - 1 + 1) + (free.ReturnType == typeof(void) ? 0 : 1);
        }

        /// <summary>The instrumented base heap as a replay target (no byte written, lock on).</summary>
        private sealed class InstrumentedHeapAdapter : IAllocatorAdapter
        {
            private readonly InstrumentedAssembly _library;
            private readonly int _arenaBytes;
            private readonly int _blockSize;
            private Func<int, int> _malloc;
            private Func<int, int, int> _calloc;
            private Func<int, int, int> _realloc;
            private Action<int> _free;
            private int[] _offsets = Array.Empty<int>();

            public InstrumentedHeapAdapter(InstrumentedAssembly library, int arenaBytes, int blockSize)
            {
                _library = library;
                _arenaBytes = arenaBytes;
                _blockSize = blockSize;
            }

            public string Name => "base heap (instrumented)";

            public bool Touch { get; set; }

            public long ArenaBytesInUse => 0;

            public void Begin(int maxId)
            {
                Type heapType = _library.Assembly.GetType("Checker.Nano.Heap", throwOnError: true);
                object heap = Activator.CreateInstance(heapType, new byte[_arenaBytes], _blockSize);
                _malloc = heapType.GetMethod("Malloc", new[] { typeof(int) }).CreateDelegate<Func<int, int>>(heap);
                _calloc = heapType.GetMethod("Calloc", new[] { typeof(int), typeof(int) }).CreateDelegate<Func<int, int, int>>(heap);
                _realloc = heapType.GetMethod("Realloc", new[] { typeof(int), typeof(int) }).CreateDelegate<Func<int, int, int>>(heap);
                _free = heapType.GetMethod("Free", new[] { typeof(int) }).CreateDelegate<Action<int>>(heap);
                _offsets = new int[maxId + 1];
                _library.Reset();   // the replay's counts start here: the heap's construction is not an operation
            }

            public bool Malloc(int id, int size)
            {
                int p = _malloc(size);
                _offsets[id] = p;
                return p != 0 || size == 0;
            }

            public bool Calloc(int id, int count, int size)
            {
                int p = _calloc(count, size);
                _offsets[id] = p;
                return p != 0 || count * size == 0;
            }

            public bool Realloc(int id, int oldSize, int newSize)
            {
                int p = _realloc(_offsets[id], newSize);
                if (p == 0 && newSize > 0)
                {
                    return false;
                }

                _offsets[id] = p;
                return true;
            }

            public void Free(int id, int size)
            {
                _free(_offsets[id]);
                _offsets[id] = 0;
            }

            public string Validate() => null;

            public void Dispose()
            {
            }
        }
    }
}
