// The device benchmark: loops of malloc+free pairs of 16, 64 and 256 bytes (steady state: one
// block of the size stays allocated, so its block stays split) through every layer and policy,
// against a loop of `new byte[n]`, timed with the runtime's clock (DateTime.UtcNow.Ticks: 100 ns);
// and the prices of the interpreter's basic operations the hot paths are built from. Prints over
// the reporter, so it runs the same on a board (Board.BENCHMARK_AT_START), on nanoFramework's
// interpreter (tools/NanoRuntime/run.sh runs it; Checker.Nano.Tests/Benchmark tests it) and on
// the PC (`dotnet run --project boards/host -- --bench`). It is in the library so that a firmware
// can measure the allocator on its own chip.
//
// Every figure is ns per loop iteration, the loop's own cost included, and every ratio is one
// loop against the other: a pair loop against a `new byte[n]` loop of the same size. (Netting
// the loop out of both would divide two small differences, and the interpreter's loop is about
// half of a `new byte[n]` iteration.)
// Device subset: no generics, no LINQ; strings only for the printed lines.
using System;
using System.Threading;

namespace Checker.Nano
{
    /// <summary>Times malloc+free pair loops against new byte[n] loops and reports ns per iteration.</summary>
    public static class AllocBenchmark
    {
        /// <summary>The request sizes timed.</summary>
        public static readonly int[] Sizes = new int[] { 16, 64, 256 };

        /// <summary>The cases timed at each size, in the order printed (after the new byte[n] loop).</summary>
        public static readonly string[] Cases = new string[]
        {
            "heap", "heap, no lock", "compact", "compact, no lock", "debug heap", "debug heap, compact", "checker",
        };

        /// <summary>Index of the base heap with its lock in <see cref="Cases"/>.</summary>
        public const int HeapCase = 0;

        /// <summary>Timed rounds per case; the least of them is printed.</summary>
        public const int Rounds = 3;

        /// <summary>The bytes of Checker's data and stack zones in its case (its arena is twice HEAP: the maps live there too).</summary>
        public const int CheckerZoneBytes = 256;

        /// <summary>
        /// Runs <paramref name="pairs"/> iterations per size and case (the least of Rounds rounds) on fresh arenas of
        /// <paramref name="heapBytes"/> with <paramref name="blockSize"/>-byte blocks; prints the
        /// prices, then one line per size and case through <paramref name="reporter"/>. Returns
        /// ns per iteration for each size (rows) and case (columns: the new byte[n] loop, then
        /// <see cref="Cases"/>), for tests.
        /// </summary>
        public static long[][] Run(Reporter reporter, int heapBytes, int blockSize, int pairs)
        {
            if (pairs < 1)
            {
                throw new ArgumentOutOfRangeException("pairs", "pairs must be at least 1");
            }

            reporter.Line("bench: " + pairs.ToString() + " iterations per case, least of " + Rounds.ToString() + " rounds, HEAP " + heapBytes.ToString()
                + ", BLOCKSIZE " + blockSize.ToString() + "; ns per loop iteration, the loop included");
            Prices(reporter, pairs);

            long[][] result = new long[Sizes.Length][];

            // One untimed round first: on the PC it lets the JIT compile every path (the device
            // interprets, so there it only costs time). Then Rounds timed rounds, each case's
            // least kept: other work on the machine (or the board's other threads) only adds.
            for (int pass = 0; pass <= Rounds; pass++)
            {
                for (int k = 0; k < Sizes.Length; k++)
                {
                    long[] row = Measure(heapBytes, blockSize, Sizes[k], pass == 0 ? (pairs + 9) / 10 : pairs, reporter);
                    if (pass == 1)
                    {
                        result[k] = row;
                    }
                    else if (pass > 1)
                    {
                        for (int c = 0; c < row.Length; c++)
                        {
                            if (row[c] < result[k][c])
                            {
                                result[k][c] = row[c];
                            }
                        }
                    }
                }
            }

            reporter.Line("bench: size case                  ns/iter  ratio to new byte[n]");
            for (int k = 0; k < Sizes.Length; k++)
            {
                long[] row = result[k];
                Row(reporter, Sizes[k], "new byte[" + Sizes[k].ToString() + "]", row[0], row[0]);
                for (int c = 0; c < Cases.Length; c++)
                {
                    Row(reporter, Sizes[k], Cases[c], row[c + 1], row[0]);
                }
            }

            return result;
        }

        private static long[] Measure(int heapBytes, int blockSize, int size, int pairs, Reporter reporter)
        {
            long[] row = new long[Cases.Length + 1];
            row[0] = TimeNew(size, pairs);
            Heap heap = new Heap(new byte[heapBytes], blockSize);
            row[1] = TimeBase(heap, size, pairs);
            heap.ThreadSafe = false;
            row[2] = TimeBase(heap, size, pairs);
            CompactHeap compact = new CompactHeap(new byte[heapBytes], blockSize);
            row[3] = TimeBase(compact, size, pairs);
            compact.ThreadSafe = false;
            row[4] = TimeBase(compact, size, pairs);
            row[5] = TimeDebug(new DebugHeap(new Heap(new byte[heapBytes], blockSize), reporter), size, pairs);
            row[6] = TimeDebug(new DebugHeap(new CompactHeap(new byte[heapBytes], blockSize), reporter), size, pairs);
            row[7] = TimeChecker(new CheckerHeap(new byte[2 * heapBytes], blockSize, CheckerZoneBytes, CheckerZoneBytes, reporter), size, pairs);
            return row;
        }

        private static void Row(Reporter reporter, int size, string name, long ns, long baseline)
        {
            string n = name;
            while (n.Length < 22)
            {
                n += " ";
            }

            string t = ns.ToString();
            while (t.Length < 7)
            {
                t = " " + t;
            }

            reporter.Begin().Append("bench: ").AppendPadded(size, 4).Append(" ").Append(n).Append(t).Append("  ").Append(Ratio(ns, baseline)).End();
        }

        /// <summary>"12.3x": <paramref name="ns"/> over <paramref name="baseline"/>, to a tenth.</summary>
        public static string Ratio(long ns, long baseline)
        {
            if (baseline <= 0)
            {
                return "-";
            }

            long tenths = ((ns * 10) + (baseline / 2)) / baseline;
            return (tenths / 10).ToString() + "." + (tenths % 10).ToString() + "x";
        }

        private static long Least(long best, long now, int pass)
        {
            return pass == 0 || now < best ? now : best;
        }

        private static long PerIteration(long t0, int pairs)
        {
            return ((DateTime.UtcNow.Ticks - t0) * 100) / pairs;
        }

        // Both heaps keep one block of the size for the whole case (a firmware's long-lived
        // buffer): a fragment's block then stays split and a pair is the steady state.
        private static long TimeBase(BaseHeap heap, int size, int pairs)
        {
            if (heap.MStats().ChunksUsed == 0)
            {
                heap.Malloc(size);   // first use: initialize, split a block, keep the resident one
            }

            heap.Free(heap.Malloc(size));
            long t0 = DateTime.UtcNow.Ticks;
            for (int i = 0; i < pairs; i++)
            {
                heap.Free(heap.Malloc(size));
            }

            return PerIteration(t0, pairs);
        }

        private static long TimeDebug(DebugHeap debug, int size, int pairs)
        {
            debug.Malloc(size);   // the resident block
            debug.Free(debug.Malloc(size));
            long t0 = DateTime.UtcNow.Ticks;
            for (int i = 0; i < pairs; i++)
            {
                debug.Free(debug.Malloc(size));
            }

            return PerIteration(t0, pairs);
        }

        private static long TimeChecker(CheckerHeap checker, int size, int pairs)
        {
            checker.Malloc(size);   // the resident block
            checker.Free(checker.Malloc(size));
            long t0 = DateTime.UtcNow.Ticks;
            for (int i = 0; i < pairs; i++)
            {
                checker.Free(checker.Malloc(size));
            }

            return PerIteration(t0, pairs);
        }

        private static long TimeNew(int size, int pairs)
        {
            int s = 0;
            long t0 = DateTime.UtcNow.Ticks;
            for (int i = 0; i < pairs; i++)
            {
                byte[] b = new byte[size];
                s += b.Length;
            }

            long ns = PerIteration(t0, pairs);
            return s == size * pairs ? ns : -1;
        }

        // ---- Prices: what the hot paths are made of ---------------------------------------------

        private interface IProbe
        {
            int Call(int x);
        }

        private class Probe : IProbe
        {
            public int Field;

            public int Call(int x)
            {
                return x + 1;
            }

            public virtual int Virtual(int x)
            {
                return x + 1;
            }
        }

        private static int StaticCall(int x)
        {
            return x + 1;
        }

        /// <summary>
        /// One line of prices, ns per loop iteration with the loop included (the least of
        /// 1 + Rounds rounds): the empty loop, a
        /// static, virtual and interface call, an uncontended lock, an Interlocked
        /// CompareExchange+Exchange pair (a spin lock's price), try/finally, an int[] read, an
        /// int assembled from four arena bytes.
        /// </summary>
        private static void Prices(Reporter reporter, int n)
        {
            n *= 4;
            int s = 0;
            int[] words = new int[16];
            byte[] bytes = new byte[16];
            Probe p = new Probe();
            IProbe ip = p;
            object sync = new object();
            int flag = 0;
            long empty = 0, stat = 0, virt = 0, intf = 0, locked = 0, inter = 0, tryf = 0, read = 0, get = 0;
            for (int pass = 0; pass <= Rounds; pass++)
            {
                long t0 = DateTime.UtcNow.Ticks;
                for (int i = 0; i < n; i++)
                {
                    s += i;
                }

                empty = Least(empty, PerIteration(t0, n), pass);
                t0 = DateTime.UtcNow.Ticks;
                for (int i = 0; i < n; i++)
                {
                    s = StaticCall(s);
                }

                stat = Least(stat, PerIteration(t0, n), pass);
                t0 = DateTime.UtcNow.Ticks;
                for (int i = 0; i < n; i++)
                {
                    s = p.Virtual(s);
                }

                virt = Least(virt, PerIteration(t0, n), pass);
                t0 = DateTime.UtcNow.Ticks;
                for (int i = 0; i < n; i++)
                {
                    s = ip.Call(s);
                }

                intf = Least(intf, PerIteration(t0, n), pass);
                t0 = DateTime.UtcNow.Ticks;
                for (int i = 0; i < n; i++)
                {
                    lock (sync)
                    {
                        s += i;
                    }
                }

                locked = Least(locked, PerIteration(t0, n), pass);
                t0 = DateTime.UtcNow.Ticks;
                for (int i = 0; i < n; i++)
                {
                    if (Interlocked.CompareExchange(ref flag, 1, 0) == 0)
                    {
                        s += i;
                        Interlocked.Exchange(ref flag, 0);
                    }
                }

                inter = Least(inter, PerIteration(t0, n), pass);
                t0 = DateTime.UtcNow.Ticks;
                for (int i = 0; i < n; i++)
                {
                    try
                    {
                        s += i;
                    }
                    finally
                    {
                        p.Field = s;
                    }
                }

                tryf = Least(tryf, PerIteration(t0, n), pass);
                t0 = DateTime.UtcNow.Ticks;
                for (int i = 0; i < n; i++)
                {
                    s += words[i & 15];
                }

                read = Least(read, PerIteration(t0, n), pass);
                t0 = DateTime.UtcNow.Ticks;
                for (int i = 0; i < n; i++)
                {
                    int o = i & 12;
                    s += bytes[o] | (bytes[o + 1] << 8) | (bytes[o + 2] << 16) | (bytes[o + 3] << 24);
                }

                get = Least(get, PerIteration(t0, n), pass);
            }

            reporter.Begin().Append("bench: prices (ns per iteration): empty loop ").Append(empty).Append(", static call ").Append(stat)
                .Append(", virtual call ").Append(virt).Append(", interface call ").Append(intf).Append(", lock ").Append(locked)
                .Append(", Interlocked pair ").Append(inter).Append(", try/finally ").Append(tryf).Append(", int[] read ").Append(read)
                .Append(", int from 4 bytes ").Append(get).Append(s == 42 ? "." : "").End();
        }
    }
}
