// monitor --port <dev>: the live console. Reads a serial port (System.IO.Ports), writes every byte
// received to --log, passes ordinary output through, and turns the records into tables as each
// dump ends (leaks by site, block types, heap figures, what changed since the last dump);
// corruption (ERR records, failed checks, the CRT's damage messages) is shown in red at once.
// Survives the board resetting (HELLO, n back to 1) and the cable being pulled: when the port
// fails or disappears it waits for it and reopens it, closing the dump that was cut. Keys (on a
// terminal): d dump, s statistics, l leaks, c check, v version, h help, q quit; --send sends
// command bytes on every connect. Ctrl+C, q, --duration or --dumps ends it cleanly.
using System;
using System.CommandLine;
using System.Diagnostics;
using System.IO;
using System.IO.Ports;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using Checker.Nano.Dumps;
using Spectre.Console;

namespace Checker.Nano.Cli
{
    /// <summary>The monitor command.</summary>
    public static class MonitorCommand
    {
        public static Command Build(CliContext ctx)
        {
            var port = new Option<string>("--port", "-p") { Description = "the serial device (/dev/ttyUSB0, COM3, a pseudo-terminal)", Required = true };
            var baud = new Option<int>("--baud", "-b") { Description = "baud rate", DefaultValueFactory = _ => 115200 };
            var log = new Option<string>("--log") { Description = "append every byte received to this file" };
            var sendDump = new Option<bool>("--send-dump") { Description = "send the dump command byte (D) each time the port opens" };
            var send = new Option<string>("--send") { Description = "command bytes to send each time the port opens (e.g. SL)" };
            var duration = new Option<double>("--duration") { Description = "stop after this many seconds (0: until Ctrl+C or q)", DefaultValueFactory = _ => 0 };
            var dumps = new Option<int>("--dumps") { Description = "stop once this many dumps have ended (0: no limit); a script's way to catch one dump", DefaultValueFactory = _ => 0 };
            var raw = new Option<bool>("--raw") { Description = "also show the record lines themselves" };
            var showText = new Option<bool>("--show-text-dumps") { Description = "also show the text form of dumps (tables are shown either way)" };
            var noWait = new Option<bool>("--no-wait") { Description = "exit 3 when the port cannot be opened at start instead of waiting for it" };
            var failOnErrors = new Option<bool>("--fail-on-errors") { Description = "exit 1 when heap corruption or a Checker error was seen" };
            var cmd = new Command("monitor", "Live console on a board's report UART: pass-through, dump tables, corruption highlighted, reconnects.")
            {
                port, baud, log, sendDump, send, duration, dumps, raw, showText, noWait, failOnErrors,
            };
            cmd.SetAction(p => new Monitor(ctx)
            {
                Port = p.GetValue(port), Baud = p.GetValue(baud), LogPath = p.GetValue(log),
                Send = (p.GetValue(sendDump) ? "D" : "") + (p.GetValue(send) ?? ""),
                Duration = p.GetValue(duration), Raw = p.GetValue(raw), ShowTextDumps = p.GetValue(showText), NoWait = p.GetValue(noWait),
                FailOnErrors = p.GetValue(failOnErrors), MaxDumps = p.GetValue(dumps),
            }.Run());
            return cmd;
        }
    }

    /// <summary>One monitoring session.</summary>
    public sealed partial class Monitor
    {
        private readonly CliContext _ctx;
        private readonly LogParser _parser;
        private readonly StringBuilder _partial = new StringBuilder();
        private FileStream _log;
        private Dump _lastLeakDump;
        private bool _inTextDump;
        private int _errors;
        private int _dumps;

        public Monitor(CliContext ctx)
        {
            _ctx = ctx;
            _parser = new LogParser("serial");
            _parser.DumpClosed = OnDump;
            _parser.RecordRead = OnRecord;
        }

        public string Port { get; init; }
        public int Baud { get; init; } = 115200;
        public string LogPath { get; init; }
        public string Send { get; init; } = "";
        public double Duration { get; init; }
        public int MaxDumps { get; init; }
        public bool Raw { get; init; }
        public bool ShowTextDumps { get; init; }
        public bool NoWait { get; init; }
        public bool FailOnErrors { get; init; }

        [GeneratedRegex(@"(?i)(corrupt|damage|double.free|error|invalid|bad guard|overflow|underflow|use after free|\bfault\b)")]
        private static partial Regex Alarm();

        private IAnsiConsole C => _ctx.Console;

        public int Run()
        {
            if (Duration < 0 || MaxDumps < 0)
            {
                _ctx.Err.WriteLine($"checker-nano: {(Duration < 0 ? "--duration " + Duration : "--dumps " + MaxDumps)}: give 0 (no limit) or more");
                return ExitCodes.BadInput;
            }

            if (LogPath != null)
            {
                try
                {
                    _log = new FileStream(LogPath, FileMode.Append, FileAccess.Write, FileShare.Read);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    _ctx.Err.WriteLine($"checker-nano: {LogPath}: {e.Message}");
                    return ExitCodes.IoError;
                }
            }

            var clock = Stopwatch.StartNew();
            bool everOpened = false, waitingSaid = false;
            byte[] buffer = new byte[4096];
            C.MarkupLine($"[grey][[monitor]] {Markup.Escape(Port)} at {Baud} baud; keys: d dump, s stats, l leaks, c check, v version, q quit; Ctrl+C ends[/]");
            try
            {
                while (!Done(clock))
                {
                    SerialPort sp;
                    try
                    {
                        sp = new SerialPort(Port, Baud) { ReadTimeout = 100, WriteTimeout = 1000, Encoding = Encoding.Latin1 };
                        sp.Open();
                    }
                    catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException || e is InvalidOperationException)
                    {
                        if (!everOpened && NoWait)
                        {
                            _ctx.Err.WriteLine($"checker-nano: cannot open {Port}: {e.Message}");
                            return ExitCodes.IoError;
                        }

                        if (!waitingSaid)
                        {
                            C.MarkupLine($"[yellow][[monitor]] waiting for {Markup.Escape(Port)} ({Markup.Escape(e.Message)})[/]");
                            waitingSaid = true;
                        }

                        Sleep(300);
                        continue;
                    }

                    everOpened = true;
                    waitingSaid = false;
                    C.MarkupLine($"[green][[monitor]] connected to {Markup.Escape(Port)}[/]");
                    using (sp)
                    {
                        SendBytes(sp, Send);
                        ReadUntilLost(sp, buffer, clock);
                    }
                }
            }
            finally
            {
                if (_partial.Length > 0)
                {
                    HandleLine(_partial.ToString());
                    _partial.Clear();
                }

                _parser.Finish();
                _log?.Dispose();
            }

            ParsedLog log = _parser.Log;
            C.MarkupLine(Markup.Escape("[monitor] " + Inputs.Summary(log, Port) + $"; {_errors} error report(s)"));
            return FailOnErrors && _errors > 0 ? ExitCodes.Findings : ExitCodes.Ok;
        }

        private bool Done(Stopwatch clock) => _ctx.Cancel.IsCancellationRequested || (Duration > 0 && clock.Elapsed.TotalSeconds >= Duration)
            || (MaxDumps > 0 && _dumps >= MaxDumps) || _quit;

        private bool _quit;

        private void Sleep(int ms)
        {
            _ctx.Cancel.WaitHandle.WaitOne(ms);
        }

        private void ReadUntilLost(SerialPort sp, byte[] buffer, Stopwatch clock)
        {
            while (!Done(clock))
            {
                PollKeys(sp);
                int n;
                try
                {
                    n = sp.Read(buffer, 0, buffer.Length);
                }
                catch (TimeoutException)
                {
                    if (!File.Exists(Port) && Port.StartsWith('/'))
                    {
                        Lost("the device went away");
                        return;
                    }

                    continue;
                }
                catch (Exception e) when (e is IOException || e is InvalidOperationException || e is UnauthorizedAccessException)
                {
                    Lost(e.Message);
                    return;
                }

                if (n <= 0)
                {
                    continue;
                }

                Received(buffer, n);
            }
        }

        /// <summary>Bytes from the board: logged as they are, then split into lines.</summary>
        public void Received(byte[] buffer, int n)
        {
            _log?.Write(buffer, 0, n);
            _log?.Flush();
            for (int i = 0; i < n; i++)
            {
                if (buffer[i] == (byte)'\n')
                {
                    HandleLine(_partial.ToString());
                    _partial.Clear();
                }
                else
                {
                    _partial.Append((char)buffer[i]);
                }
            }
        }

        private void Lost(string why)
        {
            if (_partial.Length > 0)
            {
                HandleLine(_partial.ToString());
                _partial.Clear();
                _log?.WriteByte((byte)'\n');
            }

            _parser.Interrupt("the connection was lost before END");
            _inTextDump = false;
            C.MarkupLine($"[yellow][[monitor]] connection lost ({Markup.Escape(why)}); reconnecting...[/]");
            Sleep(300);
        }

        private void SendBytes(SerialPort sp, string bytes)
        {
            if (string.IsNullOrEmpty(bytes))
            {
                return;
            }

            try
            {
                sp.Write(bytes);
                C.MarkupLine($"[grey][[monitor]] sent {Markup.Escape(bytes)}[/]");
            }
            catch (Exception e) when (e is IOException || e is TimeoutException || e is InvalidOperationException)
            {
                C.MarkupLine($"[yellow][[monitor]] could not send {Markup.Escape(bytes)}: {Markup.Escape(e.Message)}[/]");
            }
        }

        private void PollKeys(SerialPort sp)
        {
            Func<ConsoleKeyInfo?> read = _ctx.ReadKey;
            if (read == null || !_ctx.Interactive)
            {
                return;
            }

            while (read() is ConsoleKeyInfo k)
            {
                char c = char.ToUpperInvariant(k.KeyChar);
                if (c == 'Q')
                {
                    _quit = true;
                    return;
                }

                if ("DSLCVH?".IndexOf(c) >= 0)
                {
                    SendBytes(sp, c.ToString());
                }
            }
        }

        /// <summary>One line from the board (also used by tests and the log replayer).</summary>
        public void HandleLine(string line)
        {
            var records = _parser.AddLine(line);
            if (records.Count > 0)
            {
                if (Raw)
                {
                    C.MarkupLine("[grey]" + Markup.Escape(line.TrimEnd('\r')) + "[/]");
                }

                return;
            }

            string text = line.TrimEnd('\r');
            if (text.StartsWith("== Checker.Nano dump ", StringComparison.Ordinal))
            {
                _inTextDump = true;
            }

            bool show = ShowTextDumps || !_inTextDump;
            if (text.StartsWith("== end of dump ", StringComparison.Ordinal))
            {
                _inTextDump = false;
            }

            if (!show)
            {
                return;
            }

            string printable = new string(text.Select(ch => ch < 0x20 || ch > 0x7E ? '?' : ch).ToArray());
            if (RecordParser.IsGarbled(text) && text.Length > 0)
            {
                C.MarkupLine("[grey]" + Markup.Escape(printable) + "[/] [yellow](garbled: wrong baud rate?)[/]");
            }
            else if (Alarm().IsMatch(text))
            {
                C.MarkupLine("[bold red]" + Markup.Escape(printable) + "[/]");
            }
            else
            {
                C.WriteLine(printable);
            }
        }

        private void OnRecord(CnRecord r)
        {
            switch (r.Type)
            {
                case "HELLO":
                    Hello h = Hello.From(r);
                    C.MarkupLine($"[bold green][[board]] {Markup.Escape(h.App ?? "app")} on {Markup.Escape(h.Board ?? "?")}: HEAP {h.Heap}, BLOCKSIZE {h.BlockSize}, protocol rev {h.Rev}[/]");
                    break;
                case "ERR":
                    _errors++;
                    C.MarkupLine("[bold white on red] HEAP ERROR [/] [red]" + Markup.Escape(HeapErrorReport.From(r).ToString()) + "[/]");
                    break;
                case "CHECK":
                    CheckResult c = CheckResult.From(r);
                    if (c != null && !c.Ok)
                    {
                        _errors++;
                        C.MarkupLine($"[bold white on red] CHECK FAILED [/] [red]{Markup.Escape(c.What ?? "")}: {c.Problems} problem(s){(c.First != null ? ": " + Markup.Escape(c.First) : "")}[/]");
                    }
                    else if (c != null && Raw)
                    {
                        C.MarkupLine($"[green][[check]] {Markup.Escape(c.What ?? "")}: ok[/]");
                    }

                    break;
                case "DROP":
                    C.MarkupLine($"[yellow][[board]] {r.Int("lines")} line(s) dropped by the board's sink[/]");
                    break;
            }
        }

        private void OnDump(Dump d)
        {
            _dumps++;
            var header = new Rule($"[bold]{Markup.Escape(d.Title)}[/]") { Justification = Justify.Left };
            C.Write(header);
            if (!d.Complete)
            {
                C.MarkupLine($"[yellow]incomplete: {Markup.Escape(d.Problem)}[/]");
            }

            if (d.Stat != null)
            {
                string frag = d.Fragmentation != null ? $"; fragmentation {d.Fragmentation.PerMille / 10}.{d.Fragmentation.PerMille % 10}%, largest request that fits {d.Fragmentation.LargestBytes}" : "";
                C.MarkupLine(Markup.Escape($"heap {d.Stat.BytesTotal} of {d.Stat.Arena} bytes: used {d.Stat.BytesUsed} in {d.Stat.ChunksUsed} chunk(s), free {d.Stat.BytesFree}{frag}"));
            }

            if (d.Types.Any(t => t.Count > 0))
            {
                var t = new Table().Border(TableBorder.Rounded).Title("block types").AddColumn("type")
                    .AddColumn(new TableColumn("blocks").RightAligned()).AddColumn(new TableColumn("bytes").RightAligned());
                foreach (TypeCount tc in d.Types.Where(t => t.Count > 0))
                {
                    t.AddRow(Markup.Escape(BlockTypes.Name(tc.Type, tc.Sub)), tc.Count.ToString(), tc.Bytes.ToString());
                }

                C.Write(t);
                if (d.Peak != null)
                {
                    C.MarkupLine(Markup.Escape($"high water {d.Peak.Max} bytes; {d.Peak.Total} bytes in {d.Peak.Allocs} allocations so far"));
                }
            }

            if (d.HasLeakSection)
            {
                LeakSummary s = LeakSummary.Of(new[] { ((string)null, d) });
                if (s.Groups.Count > 0)
                {
                    C.Write(LeaksCommand.LeakTable(s.Groups, 12, s.Count, s.Bytes));
                }
                else
                {
                    C.MarkupLine("[green]no block is still allocated[/]");
                }

                if (_lastLeakDump != null && _lastLeakDump.Session == d.Session)
                {
                    DumpDiff diff = DumpDiff.Of(_lastLeakDump, d);
                    foreach (SiteChange sc in diff.Grown.Take(5))
                    {
                        C.MarkupLine($"[red]  since dump {_lastLeakDump.Index}: {Markup.Escape(sc.Site)} {sc.Change} {sc.CountBefore} -> {sc.CountAfter} block(s), +{sc.BytesDelta} bytes[/]");
                    }
                }

                _lastLeakDump = d;
            }

            foreach (GarbageFamily g in d.Garbage)
            {
                if (g.IsLost)
                {
                    C.MarkupLine($"[red]garbage: {g.Count} unreachable block(s), {g.Bytes} bytes, allocated at {Markup.Escape(g.Site)}[/]");
                }
                else if (g.Kind == GarbageFamily.Maybe)
                {
                    C.MarkupLine($"[yellow]maybe garbage: {g.Count} block(s) reachable only through pointers into them, {g.Bytes} bytes, allocated at {Markup.Escape(g.Site)}[/]");
                }
            }

            foreach (RuntimeRecord f in d.Runtime)
            {
                string figures = string.Join(", ", new[] { ("total", f.Total), ("free", f.Free), ("largest", f.Largest) }.Where(x => x.Item2.HasValue).Select(x => $"{x.Item1} {x.Item2}"));
                C.MarkupLine(Markup.Escape($"runtime {f.Kind}: {(figures.Length == 0 ? "unknown" : figures)}"));
            }
        }
    }
}
