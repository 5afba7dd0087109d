// stats <log>: the runtime memory figures over time, one row per dump; --plot writes a PNG chart
// (ScottPlot) of the heap's use, free space, leaks and the runtime's free memory.
using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using Checker.Nano.Dumps;
using Spectre.Console;

namespace Checker.Nano.Cli
{
    /// <summary>The stats command.</summary>
    public static class StatsCommand
    {
        public static Command Build(CliContext ctx)
        {
            var log = new Argument<string>("log") { Description = "log file holding @CN1 dumps" };
            var format = new Option<string>("--format") { Description = "text, json or csv", DefaultValueFactory = _ => "text" };
            format.AcceptOnlyFromAmong("text", "json", "csv");
            var plot = new Option<string>("--plot") { Description = "also write a chart of the figures over time to this PNG file" };
            var strict = Common.Strict();
            var verbose = Common.Verbose();
            var cmd = new Command("stats", "The runtime memory figures over time (one row per dump); --plot draws them.") { log, format, plot, strict, verbose };
            cmd.SetAction(p => Run(ctx, p.GetValue(log), p.GetValue(format), p.GetValue(plot), p.GetValue(strict), p.GetValue(verbose)));
            return cmd;
        }

        private static string S(long? v) => v?.ToString(CultureInfo.InvariantCulture) ?? "";

        private static string Time(long? ms) => ms is long t ? (t / 1000.0).ToString("0.000", CultureInfo.InvariantCulture) : "";

        private static string Header(string name) => name switch
        {
            "t_s" => "t (s)",
            "largest_fits" => "fits",
            "frag_pm" => "frag",
            "leak_bytes" => "leak B",
            _ => name.Replace('_', ' '),
        };

        private static string Pm(string pm) => int.TryParse(pm, out int v) ? $"{v / 10}.{v % 10}%" : pm;

        public static int Run(CliContext ctx, string path, string format, string plot, bool strict, bool verbose)
        {
            ParsedLog log = Inputs.ReadLog(ctx, path, out int exit);
            if (log == null)
            {
                return exit;
            }

            Inputs.Report(ctx, log, path, verbose);
            StatsSeries s = StatsSeries.Of(log);
            if (s.Points.Count == 0)
            {
                ctx.Err.WriteLine($"checker-nano: {path}: no dump with figures (STAT, RTMEM or PEAK) in this log");
                return ExitCodes.BadInput;
            }

            var columns = new List<(string Name, Func<StatsPoint, string> Value)>
            {
                ("dump", p => p.Dump.Index.ToString(CultureInfo.InvariantCulture)),
                ("t_s", p => Time(p.TimeMs)),
                ("why", p => p.Dump.Why ?? ""),
                ("heap", p => S(p.Stat?.BytesTotal)),
                ("used", p => S(p.Stat?.BytesUsed)),
                ("free", p => S(p.Stat?.BytesFree)),
                ("arena_avail", p => S(p.Stat?.ArenaAvail)),
                ("largest_fits", p => S(p.Fragmentation?.LargestBytes)),
                ("frag_pm", p => S(p.Fragmentation?.PerMille)),
                ("peak", p => S(p.PeakBytes)),
                ("leaks", p => S(p.LeakCount)),
                ("leak_bytes", p => S(p.LeakBytes)),
            };
            foreach (string kind in s.RuntimeKinds)
            {
                columns.Add((kind + "_free", p => S(p.Runtime(kind)?.Free)));
                columns.Add((kind + "_total", p => S(p.Runtime(kind)?.Total)));
            }

            if (format == "csv")
            {
                ctx.Out.WriteLine(string.Join(",", columns.Select(c => c.Name)));
                foreach (StatsPoint p in s.Points)
                {
                    ctx.Out.WriteLine(string.Join(",", columns.Select(c => Common.Csv(c.Value(p)))));
                }
            }
            else if (format == "json")
            {
                var rows = s.Points.Select(p => columns.ToDictionary(c => c.Name, c => c.Value(p)));
                ctx.Out.WriteLine(JsonSerializer.Serialize(new { source = path, dumps = rows }, Common.Json));
            }
            else
            {
                // For people: the key figures only, and no column that is empty in every row.
                string[] keep = { "dump", "t_s", "why", "heap", "used", "free", "largest_fits", "frag_pm", "peak", "leaks", "leak_bytes" };
                var shown = columns.Where(c => (keep.Contains(c.Name) || c.Name.EndsWith("_free", StringComparison.Ordinal))
                    && s.Points.Any(p => c.Value(p).Length > 0)).ToList();
                var t = new Table().Border(TableBorder.Rounded).Title("memory figures per dump");
                foreach ((string name, _) in shown)
                {
                    t.AddColumn(new TableColumn(Header(name)).RightAligned());
                }

                foreach (StatsPoint p in s.Points)
                {
                    t.AddRow(shown.Select(c => Markup.Escape(c.Name == "frag_pm" && c.Value(p).Length > 0 ? Pm(c.Value(p)) : c.Value(p))).ToArray());
                }

                ctx.Console.Write(t);
                StatsPoint first = s.Points[0], last = s.Points[^1];
                if (first.Stat != null && last.Stat != null && s.Points.Count > 1)
                {
                    ctx.Console.MarkupLine($"used bytes {first.Stat.BytesUsed} -> {last.Stat.BytesUsed}, heap {first.Stat.BytesTotal} -> {last.Stat.BytesTotal}"
                        + (first.LeakBytes.HasValue && last.LeakBytes.HasValue ? $", live debug blocks {first.LeakBytes} -> {last.LeakBytes} bytes" : ""));
                }
            }

            if (plot != null)
            {
                try
                {
                    Plot(s, path, plot);
                    ctx.Err.WriteLine($"wrote {plot}");
                }
                catch (System.IO.IOException e)
                {
                    ctx.Err.WriteLine($"checker-nano: {plot}: {e.Message}");
                    return ExitCodes.IoError;
                }
            }

            return Inputs.StrictFails(log, strict) ? ExitCodes.BadInput : ExitCodes.Ok;
        }

        /// <summary>Draws the figures over time (x: the firmware clock in seconds, or the dump's index when a dump has no clock).</summary>
        public static void Plot(StatsSeries s, string title, string path)
        {
            bool clock = s.Points.All(p => p.TimeMs.HasValue) && s.Points.Select(p => p.TimeMs).Distinct().Count() == s.Points.Count;
            double X(StatsPoint p) => clock ? p.TimeMs.Value / 1000.0 : p.Dump.Index;
            var plt = new ScottPlot.Plot();
            void Line(string label, Func<StatsPoint, long?> value)
            {
                List<StatsPoint> have = s.Points.Where(p => value(p).HasValue).ToList();
                if (have.Count > 0)
                {
                    double[] xs = have.Select(X).ToArray();
                    double[] ys = have.Select(p => (double)value(p).Value).ToArray();
                    var sc = plt.Add.Scatter(xs, ys);
                    sc.LegendText = label;
                    sc.LineWidth = 2;
                }
            }

            Line("heap bytes (to the break)", p => p.Stat?.BytesTotal);
            Line("used bytes", p => p.Stat?.BytesUsed);
            Line("free bytes in the heap", p => p.Stat?.BytesFree);
            Line("largest request that fits", p => p.Fragmentation?.LargestBytes);
            Line("live debug blocks, bytes", p => p.LeakBytes);
            Line("high-water bytes", p => p.PeakBytes);
            plt.Title("Checker.Nano: " + System.IO.Path.GetFileName(title));
            plt.XLabel(clock ? "firmware time (s)" : "dump");
            plt.YLabel("bytes");
            plt.ShowLegend(ScottPlot.Alignment.UpperLeft);
            plt.SavePng(path, 900, 500);
        }
    }
}
