// What heap tracing costs (Checker.Nano/Reporter/HeapTracer.cs): loops of malloc+free pairs of
// 64 bytes (one block of the size stays allocated, as in AllocBenchmark) through the base heap
// (no lock), the debug heap and Checker, each with no tracer and with a tracer in each mode:
//   stream  every event formatted as a T record, sealed and handed to a sink that keeps nothing
//           (the CPU's share; the UART's pace is the wire's, measured apart);
//   ring    every event stored in a ring of 256 that overwrites (DumpWhenFull off: the cost of
//           recording, not of the dumps);
//   leaks   every event looked up in the live table (64 entries).
// The modes of one layer are timed one after the other inside each round, so a busy machine
// slows them alike; the least of Rounds rounds is kept. Prints ns per pair (two events) and the
// ratio to the same layer untraced. Runs on a board, on the interpreter (tools/NanoRuntime's
// bench) and on the PC (`dotnet run --project boards/host -- --bench-trace`).
// Device subset: no generics; strings only for the printed lines.
using System;

namespace Checker.Nano
{
    /// <summary>Times malloc+free pairs with heap tracing off and in each mode.</summary>
    public static class TraceBenchmark
    {
        /// <summary>The layers timed (rows).</summary>
        public static readonly string[] Layers = new string[] { "heap, no lock", "debug heap", "checker" };

        /// <summary>The tracer's states timed (columns): none, then TraceMode 1, 2, 3.</summary>
        public static readonly string[] Modes = new string[] { "off", "stream", "ring", "leaks" };

        /// <summary>The request size.</summary>
        public const int Size = 64;

        /// <summary>Events the ring keeps.</summary>
        public const int RingEvents = 256;

        /// <summary>Allocations the leaks table keeps.</summary>
        public const int LeakEntries = 64;

        /// <summary>Timed rounds per case; the least is printed.</summary>
        public const int Rounds = 3;

        /// <summary>
        /// Runs <paramref name="pairs"/> pairs per layer and mode (the least of Rounds rounds, after
        /// an untimed one) on fresh arenas of <paramref name="heapBytes"/> with
        /// <paramref name="blockSize"/>-byte blocks (Checker's: twice that, its maps live there);
        /// prints one line per layer through <paramref name="reporter"/>. Returns ns per pair for
        /// each layer (rows) and mode (columns, as <see cref="Modes"/>).
        /// </summary>
        public static long[][] Run(Reporter reporter, int heapBytes, int blockSize, int pairs)
        {
            if (pairs < 1)
            {
                throw new ArgumentOutOfRangeException("pairs", "pairs must be at least 1");
            }

            reporter.Line("trace: " + Size.ToString() + "-byte malloc+free pairs, " + pairs.ToString() + " per case, least of " + Rounds.ToString()
                + " rounds, HEAP " + heapBytes.ToString() + ", BLOCKSIZE " + blockSize.ToString()
                + "; ns per pair (two events), ratio to the layer untraced; ring " + RingEvents.ToString() + " events, leaks "
                + LeakEntries.ToString() + " entries, stream to a sink that keeps nothing");
            long[][] result = new long[Layers.Length][];
            for (int pass = 0; pass <= Rounds; pass++)
            {
                int n = pass == 0 ? (pairs + 9) / 10 : pairs;
                for (int layer = 0; layer < Layers.Length; layer++)
                {
                    for (int mode = 0; mode < Modes.Length; mode++)
                    {
                        long ns = Time(layer, mode, heapBytes, blockSize, n);
                        if (pass == 1)
                        {
                            if (mode == 0)
                            {
                                result[layer] = new long[Modes.Length];
                            }

                            result[layer][mode] = ns;
                        }
                        else if (pass > 1 && ns < result[layer][mode])
                        {
                            result[layer][mode] = ns;
                        }
                    }
                }
            }

            for (int layer = 0; layer < Layers.Length; layer++)
            {
                long[] row = result[layer];
                reporter.Begin().Append("trace: ").Append(Layers[layer]).Append(": off ").Append(row[0]);
                for (int mode = 1; mode < Modes.Length; mode++)
                {
                    reporter.Append(", ").Append(Modes[mode]).Append(' ').Append(row[mode]).Append(" (")
                        .Append(AllocBenchmark.Ratio(row[mode], row[0])).Append(')');
                }

                reporter.End();
            }

            return result;
        }

        private static long Time(int layer, int mode, int heapBytes, int blockSize, int pairs)
        {
            Reporter sink = new Reporter(new DiscardSink());
            sink.Forms = ReportForm.Records;
            ITraceable target;
            Heap heap = null;
            DebugHeap debug = null;
            CheckerHeap checker = null;
            if (layer == 0)
            {
                heap = new Heap(new byte[heapBytes], blockSize);
                heap.ThreadSafe = false;
                target = heap;
            }
            else if (layer == 1)
            {
                debug = new DebugHeap(new Heap(new byte[heapBytes], blockSize), sink);
                target = debug;
            }
            else
            {
                checker = new CheckerHeap(new byte[2 * heapBytes], blockSize, AllocBenchmark.CheckerZoneBytes, AllocBenchmark.CheckerZoneBytes, sink);
                target = checker;
            }

            if (mode > 0)
            {
                HeapTracer tracer = new HeapTracer(target, sink, mode, mode == TraceMode.Stream ? 0 : mode == TraceMode.Ring ? RingEvents : LeakEntries);
                tracer.DumpWhenFull = false;
                tracer.Start();
            }

            long t0;
            if (heap != null)
            {
                heap.Malloc(Size);   // the resident block
                heap.Free(heap.Malloc(Size));
                t0 = DateTime.UtcNow.Ticks;
                for (int i = 0; i < pairs; i++)
                {
                    heap.Free(heap.Malloc(Size));
                }
            }
            else if (debug != null)
            {
                debug.Malloc(Size);
                debug.Free(debug.Malloc(Size));
                t0 = DateTime.UtcNow.Ticks;
                for (int i = 0; i < pairs; i++)
                {
                    debug.Free(debug.Malloc(Size));
                }
            }
            else
            {
                checker.Malloc(Size);
                checker.Free(checker.Malloc(Size));
                t0 = DateTime.UtcNow.Ticks;
                for (int i = 0; i < pairs; i++)
                {
                    checker.Free(checker.Malloc(Size));
                }
            }

            return ((DateTime.UtcNow.Ticks - t0) * 100) / pairs;
        }

        /// <summary>A sink that takes every line and keeps nothing (the tracer's CPU cost without a wire).</summary>
        private sealed class DiscardSink : ReportSink
        {
            public override void Write(byte[] buffer, int offset, int count)
            {
            }
        }
    }
}
