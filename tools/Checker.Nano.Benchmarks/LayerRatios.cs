// The "layers" mode: the debug heap's and Checker's time against the base heap's, measured so that
// a loaded machine hurts every allocator alike. BenchmarkDotNet's replay run measures each
// allocator in its own process, minutes apart, so on a shared machine the load of the moment
// goes straight into the ratio (two replay runs here gave the debug heap 1.5× and 4.1× on the
// same trace). Here the replays of one trace take turns in one process, round after round
// (the order rotating), and the ratio is taken per round, then the median over rounds: a load
// that lasts longer than a round cancels out. Same adapters, arenas and touching as the
// TraceReplayBenchmarks rows; Stopwatch timing, so it is coarser than BenchmarkDotNet's but
// paired. One more Checker replay writes nothing: it separates what Checker's allocation paths
// cost from what its checked writes (Fill: a bitmap test per 4 bytes, then the states set) cost.
using System;
using System.Collections.Generic;
using Stopwatch = System.Diagnostics.Stopwatch;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Checker.Nano.Traces;

namespace Checker.Nano.Benchmarks
{
    /// <summary>Interleaved replays of the base heap, the debug heap and Checker.</summary>
    public static class LayerRatios
    {
        /// <summary>Rounds measured per trace (after 2 warm-up rounds).</summary>
        public const int DefaultRounds = 15;

        private static string F(double v, string format) => double.IsNaN(v) ? "-" : v.ToString(format, CultureInfo.InvariantCulture);

        /// <summary>Measures every trace in <paramref name="directory"/> (or those named) and returns the markdown.</summary>
        public static string Build(string directory, IReadOnlyList<string> only, int rounds, TextWriter progress)
        {
            var sb = new StringBuilder();
            sb.AppendLine("### The layers against the base heap, interleaved (ns per operation, median over rounds)");
            sb.AppendLine();
            sb.AppendLine($"{rounds} rounds per trace after 2 warm-up rounds; in each round the four replays run back to back");
            sb.AppendLine("in rotating order; ratio = the median over rounds of (layer ÷ base heap) in the same round;");
            sb.AppendLine("spread = the middle half of those per-round ratios (25th–75th percentile).");
            sb.AppendLine();
            sb.AppendLine("| trace | base heap | debug heap | debug ÷ base (spread) | Checker | Checker ÷ base (spread) | Checker, no writes ÷ base (spread) |");
            sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
            double logDebug = 0, logChecker = 0, logBare = 0;
            int n = 0;
            foreach (string file in TraceCatalog.Files(directory))
            {
                string name = TraceReader.NameOf(file);
                if (only != null && only.Count > 0 && !only.Contains(name))
                {
                    continue;
                }

                progress?.WriteLine($"layers: {name}");
                Trace t = TraceCatalog.Load(directory, name);
                Row r = Measure(t, rounds);
                sb.AppendLine($"| {name} | {F(r.Base, "0.0")} | {F(r.Debug, "0.0")} | {F(r.DebugRatio, "0.00")}× ({F(r.DebugLow, "0.00")}–{F(r.DebugHigh, "0.00")}) | "
                    + $"{F(r.Checker, "0.0")} | {F(r.CheckerRatio, "0.00")}× ({F(r.CheckerLow, "0.00")}–{F(r.CheckerHigh, "0.00")}) | "
                    + $"{F(r.BareRatio, "0.00")}× ({F(r.BareLow, "0.00")}–{F(r.BareHigh, "0.00")}) |");
                logDebug += Math.Log(r.DebugRatio);
                logChecker += Math.Log(r.CheckerRatio);
                logBare += Math.Log(r.BareRatio);
                n++;
            }

            if (n > 0)
            {
                sb.AppendLine($"| geometric mean of ratios | | | {F(Math.Exp(logDebug / n), "0.00")}× | | {F(Math.Exp(logChecker / n), "0.00")}× | {F(Math.Exp(logBare / n), "0.00")}× |");
            }

            sb.AppendLine();
            return sb.ToString();
        }

        private sealed class Row
        {
            public double Base, Debug, Checker;
            public double DebugRatio, DebugLow, DebugHigh;
            public double CheckerRatio, CheckerLow, CheckerHigh;
            public double BareRatio, BareLow, BareHigh;
        }

        private static Row Measure(Trace t, int rounds)
        {
            int bs = TraceReplayBenchmarks.BlockSize;
            int[] held = new int[t.MaxId + 1];
            int checkerArena = TraceReplayBenchmarks.Arena(MinHeapSearch.ForChecker(t, bs));
            IAllocatorAdapter[] adapters =
            {
                new HeapAdapter(TraceReplayBenchmarks.Arena(MinHeapSearch.ForBaseHeap(t, bs)), bs, threadSafe: true),
                new DebugHeapAdapter(TraceReplayBenchmarks.Arena(MinHeapSearch.ForDebugHeap(t, bs)), bs, threadSafe: true),
                new CheckerAdapter(checkerArena, bs, threadSafe: true) { Touch = true },
                new CheckerAdapter(checkerArena, bs, threadSafe: true) { Touch = false },
            };
            var times = new double[adapters.Length][];
            for (int a = 0; a < adapters.Length; a++)
            {
                times[a] = new double[rounds];
            }

            var sw = new Stopwatch();
            for (int round = -2; round < rounds; round++)
            {
                for (int k = 0; k < adapters.Length; k++)
                {
                    int a = (k + Math.Max(round, 0)) % adapters.Length;
                    sw.Restart();
                    int failures = Replayer.RunFast(t, adapters[a], held);
                    sw.Stop();
                    if (failures != 0)
                    {
                        throw new InvalidOperationException($"{adapters[a].Name}: {t.Name} did not complete in its arena");
                    }

                    if (round >= 0)
                    {
                        times[a][round] = sw.Elapsed.TotalMilliseconds * 1e6 / t.Events.Length;
                    }
                }
            }

            double[] debugRatios = Enumerable.Range(0, rounds).Select(i => times[1][i] / times[0][i]).ToArray();
            double[] checkerRatios = Enumerable.Range(0, rounds).Select(i => times[2][i] / times[0][i]).ToArray();
            double[] bareRatios = Enumerable.Range(0, rounds).Select(i => times[3][i] / times[0][i]).ToArray();
            return new Row
            {
                Base = Quantile(times[0], 0.5),
                Debug = Quantile(times[1], 0.5),
                Checker = Quantile(times[2], 0.5),
                DebugRatio = Quantile(debugRatios, 0.5),
                DebugLow = Quantile(debugRatios, 0.25),
                DebugHigh = Quantile(debugRatios, 0.75),
                CheckerRatio = Quantile(checkerRatios, 0.5),
                CheckerLow = Quantile(checkerRatios, 0.25),
                CheckerHigh = Quantile(checkerRatios, 0.75),
                BareRatio = Quantile(bareRatios, 0.5),
                BareLow = Quantile(bareRatios, 0.25),
                BareHigh = Quantile(bareRatios, 0.75),
            };
        }

        private static double Quantile(double[] values, double p)
        {
            double[] s = values.OrderBy(v => v).ToArray();
            double x = p * (s.Length - 1);
            int i = (int)Math.Floor(x);
            return i + 1 < s.Length ? s[i] + ((x - i) * (s[i + 1] - s[i])) : s[i];
        }
    }
}
