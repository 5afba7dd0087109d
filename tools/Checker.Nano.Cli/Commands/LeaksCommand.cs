// leaks <log>...: the leak summary of one dump per log (by default the last dump that carries the
// debug heap's part), grouped by allocation site, block type and subtype; text, json or csv.
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
    /// <summary>The leaks command.</summary>
    public static class LeaksCommand
    {
        public static Command Build(CliContext ctx)
        {
            var logs = new Argument<string[]>("log") { Description = "log file(s) holding @CN1 dumps", Arity = ArgumentArity.OneOrMore };
            var dump = new Option<int?>("--dump") { Description = "which dump of each log (1 = first; negative counts from the end); default: the last with a leak list" };
            var format = new Option<string>("--format") { Description = "text, json or csv", DefaultValueFactory = _ => "text" };
            format.AcceptOnlyFromAmong("text", "json", "csv");
            var failOnLeaks = new Option<bool>("--fail-on-leaks") { Description = "exit 1 when any leak is listed" };
            var top = new Option<int>("--top") { Description = "show only the N biggest groups (0: all)", DefaultValueFactory = _ => 0 };
            var strict = Common.Strict();
            var verbose = Common.Verbose();
            var cmd = new Command("leaks", "Leak summary by allocation site (file:line), block type and subtype: counts, bytes, share.")
            {
                logs, dump, format, failOnLeaks, top, strict, verbose,
            };
            cmd.SetAction(p => Run(ctx, p.GetValue(logs), p.GetValue(dump), p.GetValue(format), p.GetValue(failOnLeaks), p.GetValue(top), p.GetValue(strict), p.GetValue(verbose)));
            return cmd;
        }

        public static int Run(CliContext ctx, string[] paths, int? dumpIndex, string format, bool failOnLeaks, int top, bool strict, bool verbose)
        {
            var chosen = new List<(string, Dump)>();
            bool damaged = false;
            foreach (string path in paths)
            {
                ParsedLog log = Inputs.ReadLog(ctx, path, out int exit);
                if (log == null)
                {
                    return exit;
                }

                Inputs.Report(ctx, log, path, verbose);
                damaged |= Inputs.StrictFails(log, strict);
                Dump d = Common.PickDump(ctx, log, path, dumpIndex, requireLeaks: true, out exit);
                if (d == null)
                {
                    return exit;
                }

                chosen.Add((System.IO.Path.GetFileName(path), d));
            }

            LeakSummary s = LeakSummary.Of(chosen);
            switch (format)
            {
                case "json":
                    WriteJson(ctx, s, top);
                    break;
                case "csv":
                    WriteCsv(ctx, s, top);
                    break;
                default:
                    WriteText(ctx, s, top);
                    break;
            }

            if (damaged)
            {
                ctx.Err.WriteLine("checker-nano: --strict: the log had skipped lines or incomplete dumps");
                return ExitCodes.BadInput;
            }

            return failOnLeaks && (s.Count > 0 || s.Garbage.Count > 0) ? ExitCodes.Findings : ExitCodes.Ok;
        }

        private static IEnumerable<LeakGroup> Top(IEnumerable<LeakGroup> groups, int top) => top > 0 ? groups.Take(top) : groups;

        internal static void WriteText(CliContext ctx, LeakSummary s, int top)
        {
            IAnsiConsole c = ctx.Console;
            foreach (string src in s.Sources)
            {
                c.MarkupLine("[bold]" + Markup.Escape(src) + "[/]");
            }

            if (s.Groups.Count == 0)
            {
                c.MarkupLine("[green]No memory leaks: no block is still allocated.[/]");
            }
            else
            {
                c.Write(LeakTable(s.Groups, top, s.Count, s.Bytes, s.EventNumbers ? "events" : "requests"));
                if (top > 0 && s.Groups.Count > top)
                {
                    c.MarkupLine($"[grey]... {s.Groups.Count - top} more group(s)[/]");
                }

                c.MarkupLine($"[bold]{s.Count} block(s), {s.Bytes} bytes still allocated at {s.Groups.Select(g => g.Site).Distinct().Count()} site(s)[/]");
            }

            if (s.Garbage.Count > 0)
            {
                var t = new Table().Title("garbage (Checker: unreachable blocks)").AddColumns("site", "blocks", "bytes", "share");
                foreach (LeakGroup g in Top(s.Garbage, top))
                {
                    t.AddRow(Markup.Escape(g.Site), N(g.Count), N(g.Bytes), Pct(g.Share));
                }

                c.Write(t);
            }

            if (s.Incomplete)
            {
                c.MarkupLine("[yellow]note: a dump was incomplete; its leak list may be short[/]");
            }
        }

        /// <summary>The leaks-by-site table (also the monitor's).</summary>
        public static Table LeakTable(IEnumerable<LeakGroup> groups, int top, int count, long bytes, string numbers = "requests")
        {
            var t = new Table().Border(TableBorder.Rounded).Title("leaks by allocation site")
                .AddColumn("site").AddColumn("type").AddColumn(new TableColumn("blocks").RightAligned())
                .AddColumn(new TableColumn("bytes").RightAligned()).AddColumn(new TableColumn("share").RightAligned()).AddColumn(numbers);
            foreach (LeakGroup g in Top(groups, top))
            {
                t.AddRow(Markup.Escape(g.Site), g.TypeName, N(g.Count), N(g.Bytes), Pct(g.Share),
                    g.FirstRequest == g.LastRequest ? $"{{{g.FirstRequest}}}" : $"{{{g.FirstRequest}}}..{{{g.LastRequest}}}");
            }

            t.AddRow("[bold]total[/]", "", $"[bold]{count}[/]", $"[bold]{bytes}[/]", count == 0 ? "" : "100.0%", "");
            return t;
        }

        private static string N(long v) => v.ToString(CultureInfo.InvariantCulture);

        private static string Pct(double share) => (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

        private static void WriteJson(CliContext ctx, LeakSummary s, int top)
        {
            var doc = new
            {
                sources = s.Sources,
                blocks = s.Count,
                bytes = s.Bytes,
                incomplete = s.Incomplete,
                numbers = s.EventNumbers ? "events" : "requests",
                groups = Top(s.Groups, top).Select(g => new
                {
                    site = g.Site, file = g.File, line = g.Line, type = g.Type, type_name = BlockTypes.Name(g.Type), sub = g.Sub,
                    blocks = g.Count, bytes = g.Bytes, share = Math.Round(g.Share, 4), first_req = g.FirstRequest, last_req = g.LastRequest,
                }),
                garbage = Top(s.Garbage, top).Select(g => new { site = g.Site, file = g.File, line = g.Line, blocks = g.Count, bytes = g.Bytes, share = Math.Round(g.Share, 4) }),
            };
            ctx.Out.WriteLine(JsonSerializer.Serialize(doc, Common.Json));
        }

        private static void WriteCsv(CliContext ctx, LeakSummary s, int top)
        {
            ctx.Out.WriteLine("site,file,line,type,type_name,sub,blocks,bytes,share,first_req,last_req");
            foreach (LeakGroup g in Top(s.Groups, top))
            {
                ctx.Out.WriteLine(string.Join(",", Common.Csv(g.Site), Common.Csv(g.File), g.Line?.ToString(CultureInfo.InvariantCulture) ?? "",
                    g.Type.ToString(CultureInfo.InvariantCulture), BlockTypes.Name(g.Type), g.Sub?.ToString(CultureInfo.InvariantCulture) ?? "",
                    N(g.Count), N(g.Bytes), g.Share.ToString("0.0000", CultureInfo.InvariantCulture), N(g.FirstRequest), N(g.LastRequest)));
            }
        }
    }

    /// <summary>Options and helpers several commands share.</summary>
    public static class Common
    {
        public static readonly JsonSerializerOptions Json = new JsonSerializerOptions { WriteIndented = true };

        public static Option<bool> Strict() => new Option<bool>("--strict") { Description = "exit 2 when the log had skipped lines, lost records or incomplete dumps" };

        public static Option<bool> Verbose() => new Option<bool>("--verbose", "-v") { Description = "list every skipped line and why" };

        /// <summary>A CSV field, quoted when needed.</summary>
        public static string Csv(string s)
        {
            if (s == null)
            {
                return "";
            }

            return s.IndexOfAny(new[] { ',', '"', '\n', '\r' }) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
        }

        /// <summary>
        /// The dump <paramref name="index"/> asks for (1-based; negative from the end), or the last
        /// one with a leak list (<paramref name="requireLeaks"/>) or the last one with a base part.
        /// </summary>
        public static Dump PickDump(CliContext ctx, ParsedLog log, string name, int? index, bool requireLeaks, out int exit)
        {
            exit = ExitCodes.Ok;
            if (log.Dumps.Count == 0)
            {
                ctx.Err.WriteLine($"checker-nano: {name}: no dump in this log" + (log.TextDumps > 0 ? " (only text dumps: the board must print records)" : ""));
                exit = ExitCodes.BadInput;
                return null;
            }

            if (index.HasValue)
            {
                int i = index.Value < 0 ? log.Dumps.Count + index.Value + 1 : index.Value;
                if (i < 1 || i > log.Dumps.Count)
                {
                    ctx.Err.WriteLine($"checker-nano: {name}: no dump {index} (the log has {log.Dumps.Count})");
                    exit = ExitCodes.BadInput;
                    return null;
                }

                return log.Dumps[i - 1];
            }

            Dump d = requireLeaks ? log.Dumps.LastOrDefault(x => x.HasLeakSection) : log.Dumps.LastOrDefault(x => x.Stat != null) ?? log.Dumps[^1];
            if (d == null)
            {
                ctx.Err.WriteLine($"checker-nano: {name}: no dump carries a leak list (TYPE/PEAK/LEAK records, or a heap tracer's leaks dump): is the debug heap's section registered?");
                exit = ExitCodes.BadInput;
            }

            return d;
        }
    }
}
