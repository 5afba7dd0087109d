// After a trace-replay run: ns per operation for each allocator and trace, its ratio to the base
// heap, the geometric mean of the ratios over the traces, and the managed bytes allocated per
// replay (the memory diagnoser's figure), as one markdown table.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Checker.Nano.Benchmarks
{
    /// <summary>BenchmarkDotNet column: mean ÷ the trace's events.</summary>
    public sealed class NsPerOpColumn : IColumn
    {
        public string Id => nameof(NsPerOpColumn);

        public string ColumnName => "ns/op";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => "Mean time of one replay ÷ the trace's events";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            double v = ReplaySummary.NsPerOp(summary[benchmarkCase], benchmarkCase);
            return double.IsNaN(v) ? "-" : v.ToString("0.0", CultureInfo.InvariantCulture);
        }

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    }

    /// <summary>The per-trace and overall table of a replay run.</summary>
    public static class ReplaySummary
    {
        /// <summary>The trace a case replays, or null.</summary>
        public static string TraceOf(BenchmarkCase c) => c.Parameters.Items.FirstOrDefault(p => p.Name == "Trace")?.Value as string;

        /// <summary>ns per trace event, or NaN.</summary>
        public static double NsPerOp(BenchmarkReport report, BenchmarkCase c)
        {
            string trace = TraceOf(c);
            if (report?.ResultStatistics == null || trace == null)
            {
                return double.NaN;
            }

            int events = TraceCatalog.Load(TraceCatalog.Resolve(null), trace).Events.Length;
            return report.ResultStatistics.Mean / events;
        }

        /// <summary>The markdown table.</summary>
        public static string Build(Summary summary)
        {
            var cells = new Dictionary<(string Trace, string Allocator), (double Ns, long Bytes)>();
            var traces = new List<string>();
            var allocators = new List<string>();
            string baseline = null;
            foreach (BenchmarkReport r in summary.Reports)
            {
                BenchmarkCase c = r.BenchmarkCase;
                string trace = TraceOf(c);
                string allocator = c.Descriptor.WorkloadMethodDisplayInfo.Trim('\'');
                if (trace == null)
                {
                    continue;
                }

                if (!traces.Contains(trace))
                {
                    traces.Add(trace);
                }

                if (!allocators.Contains(allocator))
                {
                    allocators.Add(allocator);
                }

                if (c.Descriptor.Baseline)
                {
                    baseline = allocator;
                }

                long bytes = r.GcStats.GetBytesAllocatedPerOperation(c) ?? -1;
                cells[(trace, allocator)] = (NsPerOp(r, c), bytes);
            }

            baseline ??= allocators.FirstOrDefault();
            string F(double v, string format) => double.IsNaN(v) ? "-" : v.ToString(format, CultureInfo.InvariantCulture);
            var sb = new StringBuilder();
            sb.AppendLine("### Trace replay: ns per operation (ratio to the base heap)");
            sb.AppendLine();
            sb.Append("| trace |");
            foreach (string a in allocators)
            {
                sb.Append($" {a} |");
            }

            sb.AppendLine();
            sb.Append("|---|").Append(string.Concat(allocators.Select(_ => "---:|"))).AppendLine();
            var logSums = new double[allocators.Count];
            var counts = new int[allocators.Count];
            foreach (string t in traces)
            {
                sb.Append($"| {t} |");
                double b = cells.TryGetValue((t, baseline), out var bc) ? bc.Ns : double.NaN;
                for (int i = 0; i < allocators.Count; i++)
                {
                    double v = cells.TryGetValue((t, allocators[i]), out var cell) ? cell.Ns : double.NaN;
                    double ratio = v / b;
                    sb.Append($" {F(v, "0.0")} ({F(ratio, "0.00")}×) |");
                    if (!double.IsNaN(ratio) && ratio > 0)
                    {
                        logSums[i] += Math.Log(ratio);
                        counts[i]++;
                    }
                }

                sb.AppendLine();
            }

            sb.Append("| geometric mean of ratios |");
            for (int i = 0; i < allocators.Count; i++)
            {
                sb.Append($" {(counts[i] == 0 ? "-" : F(Math.Exp(logSums[i] / counts[i]), "0.00") + "×")} |");
            }

            sb.AppendLine();
            sb.Append("| managed bytes allocated per replay (largest over traces) |");
            foreach (string a in allocators)
            {
                long max = traces.Select(t => cells.TryGetValue((t, a), out var c) ? c.Bytes : -1).DefaultIfEmpty(-1).Max();
                sb.Append($" {(max < 0 ? "-" : max.ToString(CultureInfo.InvariantCulture))} |");
            }

            sb.AppendLine();
            return sb.ToString();
        }
    }
}
