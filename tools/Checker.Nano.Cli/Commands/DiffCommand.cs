// diff <log> [--from N --to M]: what changed between two dumps (checkpoints) of a log: new leaks,
// blocks freed, sites that grew, and the heap's figures before and after.
using System.CommandLine;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using Checker.Nano.Dumps;
using Spectre.Console;

namespace Checker.Nano.Cli
{
    /// <summary>The diff command.</summary>
    public static class DiffCommand
    {
        public static Command Build(CliContext ctx)
        {
            var log = new Argument<string>("log") { Description = "log file holding two or more @CN1 dumps" };
            var from = new Option<int?>("--from") { Description = "the earlier dump (1 = first; negative from the end); default: the one before --to" };
            var to = new Option<int?>("--to") { Description = "the later dump; default: the last" };
            var format = new Option<string>("--format") { Description = "text or json", DefaultValueFactory = _ => "text" };
            format.AcceptOnlyFromAmong("text", "json");
            var failOnGrowth = new Option<bool>("--fail-on-growth") { Description = "exit 1 when a site holds more bytes in --to than in --from" };
            var strict = Common.Strict();
            var verbose = Common.Verbose();
            var cmd = new Command("diff", "What changed between two checkpoints/dumps: new leaks, freed blocks, grown sites, figures.")
            {
                log, from, to, format, failOnGrowth, strict, verbose,
            };
            cmd.SetAction(p => Run(ctx, p.GetValue(log), p.GetValue(from), p.GetValue(to), p.GetValue(format), p.GetValue(failOnGrowth), p.GetValue(strict), p.GetValue(verbose)));
            return cmd;
        }

        public static int Run(CliContext ctx, string path, int? from, int? to, string format, bool failOnGrowth, bool strict, bool verbose)
        {
            ParsedLog log = Inputs.ReadLog(ctx, path, out int exit);
            if (log == null)
            {
                return exit;
            }

            Inputs.Report(ctx, log, path, verbose);
            Dump b = Common.PickDump(ctx, log, path, to ?? -1, false, out exit);
            if (b == null)
            {
                return exit;
            }

            Dump a;
            if (from.HasValue)
            {
                a = Common.PickDump(ctx, log, path, from, false, out exit);
                if (a == null)
                {
                    return exit;
                }
            }
            else if (b.Index > 1)
            {
                a = log.Dumps[b.Index - 2];
            }
            else
            {
                ctx.Err.WriteLine($"checker-nano: {path}: a diff needs two dumps (the log has {log.Dumps.Count})");
                return ExitCodes.BadInput;
            }

            DumpDiff d = DumpDiff.Of(a, b);
            if (format == "json")
            {
                WriteJson(ctx, d);
            }
            else
            {
                WriteText(ctx, d);
            }

            if (Inputs.StrictFails(log, strict))
            {
                ctx.Err.WriteLine("checker-nano: --strict: the log had skipped lines or incomplete dumps");
                return ExitCodes.BadInput;
            }

            return failOnGrowth && d.Grown.Any() ? ExitCodes.Findings : ExitCodes.Ok;
        }

        private static string Delta(long? v) => v is long x ? (x > 0 ? "+" : "") + x.ToString(CultureInfo.InvariantCulture) : "";

        private static void WriteText(CliContext ctx, DumpDiff d)
        {
            IAnsiConsole c = ctx.Console;
            c.MarkupLine($"[bold]from {Markup.Escape(d.From.Title)} to {Markup.Escape(d.To.Title)}[/]");
            if (d.DifferentRuns)
            {
                c.MarkupLine("[yellow]note: the board restarted between these dumps; request numbers started again[/]");
            }

            foreach (Dump x in new[] { d.From, d.To })
            {
                if (!x.Complete)
                {
                    c.MarkupLine($"[yellow]note: {Markup.Escape(x.Title)} is incomplete: {Markup.Escape(x.Problem)}[/]");
                }

                if (!x.HasLeakSection)
                {
                    c.MarkupLine($"[yellow]note: {Markup.Escape(x.Title)} has no leak list; leaks cannot be compared[/]");
                }
            }

            var figures = new Table().Border(TableBorder.Rounded).Title("figures").AddColumn("figure")
                .AddColumn(new TableColumn("before").RightAligned()).AddColumn(new TableColumn("after").RightAligned()).AddColumn(new TableColumn("change").RightAligned());
            foreach (FigureChange f in d.Figures.Where(f => f.Before.HasValue || f.After.HasValue))
            {
                figures.AddRow(f.Name, f.Before?.ToString(CultureInfo.InvariantCulture) ?? "-", f.After?.ToString(CultureInfo.InvariantCulture) ?? "-", Delta(f.Delta));
            }

            c.Write(figures);
            if (d.Sites.Count == 0)
            {
                c.MarkupLine("[green]No site changed.[/]");
            }
            else
            {
                var sites = new Table().Border(TableBorder.Rounded).Title("sites").AddColumn("change").AddColumn("site").AddColumn("type")
                    .AddColumn(new TableColumn("blocks").RightAligned()).AddColumn(new TableColumn("bytes").RightAligned());
                foreach (SiteChange s in d.Sites)
                {
                    string color = s.BytesDelta > 0 ? "red" : "green";
                    sites.AddRow($"[{color}]{s.Change}[/]", Markup.Escape(s.Site), s.TypeName, $"{s.CountBefore} -> {s.CountAfter} ({Delta(s.CountDelta)})",
                        $"{s.BytesBefore} -> {s.BytesAfter} ({Delta(s.BytesDelta)})");
                }

                c.Write(sites);
            }

            ListLeaks(c, "new leaks (allocated since, still live)", d.NewLeaks, "red");
            ListLeaks(c, "freed since", d.Freed, "green");
        }

        private static void ListLeaks(IAnsiConsole c, string title, System.Collections.Generic.List<Leak> leaks, string color)
        {
            c.MarkupLine($"[bold {color}]{title}: {leaks.Count} block(s), {leaks.Sum(l => (long)l.Size)} bytes[/]");
            foreach (Leak l in leaks.Take(20))
            {
                c.MarkupLine($"  {{{l.Request}}} {Markup.Escape(l.Site)} {BlockTypes.Name(l.Type, l.Sub)}, {l.Size} bytes" + (l.Address is int a ? $" at 0x{a:X8}" : ""));
            }

            if (leaks.Count > 20)
            {
                c.MarkupLine($"  [grey]... {leaks.Count - 20} more[/]");
            }
        }

        private static object LeakJson(Leak l) => new { req = l.Request, site = l.Site, type = l.Type, sub = l.Sub, size = l.Size, addr = l.Address };

        private static void WriteJson(CliContext ctx, DumpDiff d)
        {
            var doc = new
            {
                from = new { index = d.From.Index, d = d.From.Number, why = d.From.Why, t = d.From.TimeMs, complete = d.From.Complete },
                to = new { index = d.To.Index, d = d.To.Number, why = d.To.Why, t = d.To.TimeMs, complete = d.To.Complete },
                different_runs = d.DifferentRuns,
                figures = d.Figures.Select(f => new { name = f.Name, before = f.Before, after = f.After, delta = f.Delta }),
                sites = d.Sites.Select(s => new
                {
                    change = s.Change, site = s.Site, type = s.Type, sub = s.Sub, blocks_before = s.CountBefore, blocks_after = s.CountAfter,
                    bytes_before = s.BytesBefore, bytes_after = s.BytesAfter, bytes_delta = s.BytesDelta,
                }),
                new_leaks = d.NewLeaks.Select(LeakJson),
                freed = d.Freed.Select(LeakJson),
            };
            ctx.Out.WriteLine(JsonSerializer.Serialize(doc, Common.Json));
        }
    }
}
