// trace <log> -o <file>: turns a firmware's heap trace (the T records its HeapTracer wrote,
// PROTOCOL.md "Heap tracing") into a "checker-nano trace v1" file, which replay and map take like
// any other trace: ids assigned, reallocs and frees matched to their blocks, allocation sites kept
// as "# site:" lines. Says on stderr what it read, which traces the log holds, how many events
// were lost and where, and what it left out; refuses a trace whose gaps make it unreplayable
// (a free whose allocation was lost, an offset handed out again while the trace believes it live)
// unless --keep-going; with --strict any loss at all is exit 2 (a complete trace was asked for).
using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using Checker.Nano.Dumps;
using Checker.Nano.Traces;

namespace Checker.Nano.Cli
{
    /// <summary>The trace command.</summary>
    public static class TraceCommand
    {
        public static Command Build(CliContext ctx)
        {
            var log = new Argument<string>("log") { Description = "log holding a heap trace (T records: HeapTracer in stream or ring mode)" };
            var output = new Option<string>("--output", "-o") { Description = "the trace file to write (default: standard output)" };
            var which = new Option<int>("--trace") { Description = "which trace of the log (1 = first)", DefaultValueFactory = _ => 1 };
            var keepGoing = new Option<bool>("--keep-going") { Description = "write a trace whose gaps make it unreplayable as it came, with the repairs listed" };
            var strict = new Option<bool>("--strict") { Description = "exit 2 unless the trace is complete: no lost or skipped line or event" };
            var verbose = Common.Verbose();
            var cmd = new Command("trace", "Turn a firmware's heap trace (T records) into a checker-nano trace v1 file for replay and map.")
            {
                log, output, which, keepGoing, strict, verbose,
            };
            cmd.SetAction(p => Run(ctx, p.GetValue(log), p.GetValue(output), p.GetValue(which), p.GetValue(keepGoing), p.GetValue(strict), p.GetValue(verbose)));
            return cmd;
        }

        public static int Run(CliContext ctx, string path, string output, int which, bool keepGoing, bool strict, bool verbose)
        {
            ParsedLog log = Inputs.ReadLog(ctx, path, out int exit);
            if (log == null)
            {
                return exit;
            }

            string name = Path.GetFileName(path);
            Inputs.Report(ctx, log, name, verbose);
            var traces = DeviceTraces.Find(log);
            if (traces.Count == 0)
            {
                ctx.Err.WriteLine($"checker-nano: {name}: no heap trace in this log (no T records): start the firmware's HeapTracer (HeapTracer.Start, or command byte T)");
                return ExitCodes.BadInput;
            }

            foreach (DeviceTrace t in traces)
            {
                ctx.Err.WriteLine(t.Describe());
            }

            if (which < 1 || which > traces.Count)
            {
                ctx.Err.WriteLine($"checker-nano: --trace {which}: the log holds {traces.Count} trace(s)");
                return ExitCodes.BadInput;
            }

            DeviceTrace trace = traces[which - 1];
            if (trace.Mode == "leaks")
            {
                ctx.Err.WriteLine($"checker-nano: trace {which} is a leaks-mode trace: it lists the live allocations only, not the events (checker-nano leaks {name} reads it)");
                return ExitCodes.BadInput;
            }

            if (trace.Events.Count == 0)
            {
                ctx.Err.WriteLine($"checker-nano: trace {which} has no event (a ring or leaks table is listed by command E or HeapTracer.Dump)");
                return ExitCodes.BadInput;
            }

            TraceConversion c = DeviceTraces.Convert(trace, name, output == null ? "stdout" : Path.GetFileName(output), keepGoing);
            foreach (string note in c.Notes.Skip(1))
            {
                ctx.Err.WriteLine($"trace {which}: {note}");
            }

            if (verbose)
            {
                foreach (string bad in trace.BadRecords)
                {
                    ctx.Err.WriteLine($"  {name}: {bad}");
                }
            }

            foreach (string problem in c.Problems.Take(verbose ? int.MaxValue : 5))
            {
                ctx.Err.WriteLine($"trace {which}: {problem}");
            }

            if (!verbose && c.Problems.Count > 5)
            {
                ctx.Err.WriteLine($"trace {which}: ... {c.Problems.Count - 5} more (--verbose lists them)");
            }

            if (c.Refused)
            {
                ctx.Err.WriteLine($"checker-nano: trace {which} refused: its gaps make it unreplayable as it came ({c.Problems.Count} problem(s)); --keep-going writes it with the repairs listed");
                return ExitCodes.BadInput;
            }

            if (output == null)
            {
                ctx.Out.Write(c.Text);
            }
            else
            {
                File.WriteAllText(output, c.Text);
            }

            Trace tr = c.Trace;
            ctx.Err.WriteLine($"{(output == null ? "stdout" : Path.GetFileName(output))}: {tr.Events.Length} events (malloc {tr.Mallocs}, calloc {tr.Callocs}, realloc {tr.Reallocs}, free {tr.Frees}), "
                + $"peak live {tr.PeakLiveBytes} bytes in {tr.PeakLiveBlocks} blocks, {tr.Sites.Count} site(s)");
            if (strict && (c.Incomplete || log.HasDamage))
            {
                ctx.Err.WriteLine("checker-nano: --strict: the trace is not complete (lost or skipped lines or events, above)");
                return ExitCodes.BadInput;
            }

            return ExitCodes.Ok;
        }
    }
}
