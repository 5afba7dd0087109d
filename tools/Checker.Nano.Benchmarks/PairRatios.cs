// The `pairs` mode: malloc+free pairs of one size at a time through the base heap (with and
// without its lock), ArrayPool<byte>.Shared, NativeMemory (the C library's malloc) and new byte[n],
// timed with a Stopwatch in one process, the cases interleaved round by round and the best round
// of each kept. The same cases as MicroBenchmarks.MallocFreeBenchmarks (BLOCKSIZE 4096, 1 MiB
// arena, one resident block of the size) in about half a minute instead of BenchmarkDotNet's
// half hour on this machine; ratios, not absolute times, are the figures to read. A sixth case
// runs the same pairs through a heap with the Compact policy at BLOCKSIZE 256 (COMPACT.md).
using System;
using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Checker.Nano.Benchmarks
{
    public static class PairRatios
    {
        public static readonly int[] Sizes = { 8, 16, 64, 256, 1024, 2048, 4096, 16384 };

        private const int Cases = 6;
        private static readonly string[] Names = { "base heap", "base heap, no lock", "ArrayPool.Shared", "NativeMemory (C malloc)", "new byte[n] (GC)", "base heap with the Compact policy at BLOCKSIZE 256 (with its lock)" };

        public static string Build(int rounds, int pairs, System.IO.TextWriter progress)
        {
            var text = new StringBuilder();
            text.AppendLine("### malloc+free pairs, ns per pair (best of " + rounds.ToString(CultureInfo.InvariantCulture)
                + " interleaved rounds of " + pairs.ToString("N0", CultureInfo.InvariantCulture) + " pairs; BLOCKSIZE 4096, one resident block of the size)");
            text.AppendLine();
            text.AppendLine("| size | base heap | no lock | ArrayPool | NativeMemory | new byte[n] | heap ÷ ArrayPool | no lock ÷ ArrayPool | heap ÷ NativeMemory | no lock ÷ NativeMemory | Compact 256 | Compact ÷ heap |");
            text.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (int size in Sizes)
            {
                progress.WriteLine("timing pairs of " + size.ToString(CultureInfo.InvariantCulture) + " bytes");
                double[] best = Measure(size, rounds, pairs);
                text.Append("| ").Append(size.ToString(CultureInfo.InvariantCulture));
                for (int c = 0; c < 5; c++)
                {
                    text.Append(" | ").Append(best[c].ToString("F1", CultureInfo.InvariantCulture));
                }

                text.Append(" | ").Append(Ratio(best[0], best[2])).Append(" | ").Append(Ratio(best[1], best[2]))
                    .Append(" | ").Append(Ratio(best[0], best[3])).Append(" | ").Append(Ratio(best[1], best[3]))
                    .Append(" | ").Append(best[5].ToString("F1", CultureInfo.InvariantCulture)).Append(" | ").Append(Ratio(best[5], best[0])).AppendLine(" |");
            }

            text.AppendLine();
            text.AppendLine("Cases: " + string.Join("; ", Names) + ".");
            return text.ToString();
        }

        private static string Ratio(double a, double b) => (a / b).ToString("F2", CultureInfo.InvariantCulture) + "×";

        /// <summary>ns per pair of each case, the best of <paramref name="rounds"/> interleaved rounds.</summary>
        public static double[] Measure(int size, int rounds, int pairs)
        {
            var heap = new Heap(new byte[1 << 20], 4096);
            var heapNoLock = new Heap(new byte[1 << 20], 4096) { ThreadSafe = false };
            var compact = new CompactHeap(new Arena(new byte[1 << 20]), 256);
            heap.Malloc(size);
            heapNoLock.Malloc(size);
            compact.Malloc(size);
            var best = new double[Cases];
            for (int c = 0; c < Cases; c++)
            {
                best[c] = double.MaxValue;
            }

            for (int round = -1; round < rounds; round++)
            {
                for (int c = 0; c < Cases; c++)
                {
                    int n = round < 0 ? Math.Max(1, pairs / 10) : pairs;   // round -1 warms the JIT up
                    long t0 = Stopwatch.GetTimestamp();
                    long check = Run(c, size, n, c == 5 ? compact : heap, heapNoLock);
                    double ns = Stopwatch.GetElapsedTime(t0).TotalNanoseconds / n;
                    if (check == long.MinValue)
                    {
                        throw new InvalidOperationException("unreachable");
                    }

                    if (round >= 0 && ns < best[c])
                    {
                        best[c] = ns;
                    }
                }
            }

            return best;
        }

        private static unsafe long Run(int c, int size, int n, BaseHeap heap, BaseHeap heapNoLock)
        {
            long sum = 0;
            switch (c)
            {
                case 0:
                case 5:
                    for (int i = 0; i < n; i++)
                    {
                        int p = heap.Malloc(size);
                        heap.Free(p);
                        sum += p;
                    }

                    break;
                case 1:
                    for (int i = 0; i < n; i++)
                    {
                        int p = heapNoLock.Malloc(size);
                        heapNoLock.Free(p);
                        sum += p;
                    }

                    break;
                case 2:
                    for (int i = 0; i < n; i++)
                    {
                        byte[] a = ArrayPool<byte>.Shared.Rent(size);
                        ArrayPool<byte>.Shared.Return(a);
                        sum += a.Length;
                    }

                    break;
                case 3:
                    for (int i = 0; i < n; i++)
                    {
                        void* p = NativeMemory.Alloc((nuint)size);
                        NativeMemory.Free(p);
                        sum += (long)p;
                    }

                    break;
                default:
                    for (int i = 0; i < n; i++)
                    {
                        sum += new byte[size].Length;
                    }

                    break;
            }

            return sum;
        }
    }
}
