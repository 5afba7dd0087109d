// checker-nano: the host-side CLI. One command per file under Commands/; this file builds the
// command tree (System.CommandLine), maps parse errors to exit code 2, and owns the exit codes.
using System;
using System.CommandLine;
using System.IO;
using System.Threading;
using Spectre.Console;

namespace Checker.Nano.Cli
{
    /// <summary>Exit codes every command uses (README.md, "Exit codes").</summary>
    public static class ExitCodes
    {
        /// <summary>Done, nothing to report (or findings not asked to fail on).</summary>
        public const int Ok = 0;

        /// <summary>Findings the options asked to fail on: leaks (--fail-on-leaks), growth, corruption or Checker errors, failed replays.</summary>
        public const int Findings = 1;

        /// <summary>Bad usage or input that cannot answer the question (empty log, no dump, a trace with errors; with --strict, any skipped line).</summary>
        public const int BadInput = 2;

        /// <summary>I/O error: a file that cannot be read or written, a serial port that cannot be opened.</summary>
        public const int IoError = 3;
    }

    /// <summary>Where a command writes: a Spectre console for tables, plain writers for data and messages.</summary>
    public sealed class CliContext
    {
        /// <summary>Tables and text for people.</summary>
        public IAnsiConsole Console { get; init; }

        /// <summary>Machine output (json, csv) and raw pass-through.</summary>
        public TextWriter Out { get; init; }

        /// <summary>Messages, warnings, parse summaries.</summary>
        public TextWriter Err { get; init; }

        /// <summary>Whether progress bars and keys make sense (a terminal).</summary>
        public bool Interactive { get; init; }

        /// <summary>Keyboard input for the monitor (null: none).</summary>
        public Func<ConsoleKeyInfo?> ReadKey { get; init; }

        /// <summary>Stops long-running commands (Ctrl+C).</summary>
        public CancellationToken Cancel { get; init; }

        /// <summary>The real console.</summary>
        public static CliContext FromConsole(CancellationToken cancel)
        {
            bool redirected = System.Console.IsOutputRedirected;
            IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(System.Console.Out),
                Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
                ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
                Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
            });
            if (redirected)
            {
                console.Profile.Width = 120;
            }

            return new CliContext
            {
                Console = console,
                Out = System.Console.Out,
                Err = System.Console.Error,
                Interactive = !redirected && !System.Console.IsInputRedirected,
                ReadKey = () => !System.Console.IsInputRedirected && System.Console.KeyAvailable ? System.Console.ReadKey(true) : null,
                Cancel = cancel,
            };
        }

        /// <summary>A context writing plain text (no colours, 120 columns) into <paramref name="output"/> and <paramref name="error"/>: tests.</summary>
        public static CliContext ForWriters(TextWriter output, TextWriter error, CancellationToken cancel = default)
        {
            IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(output),
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
            });
            console.Profile.Width = 120;
            return new CliContext { Console = console, Out = output, Err = error, Interactive = false, Cancel = cancel };
        }
    }

    /// <summary>The entry point.</summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            using var cts = new CancellationTokenSource();
            System.Console.CancelKeyPress += (_, e) =>
            {
                if (!cts.IsCancellationRequested)
                {
                    e.Cancel = true;   // let the command close its port and log
                    cts.Cancel();
                }
            };
            return Run(args, CliContext.FromConsole(cts.Token));
        }

        /// <summary>Runs the command line <paramref name="args"/> in <paramref name="ctx"/>; returns the exit code.</summary>
        public static int Run(string[] args, CliContext ctx)
        {
            RootCommand root = Build(ctx);
            ParseResult parsed = root.Parse(args);
            if (parsed.Errors.Count > 0)
            {
                foreach (System.CommandLine.Parsing.ParseError e in parsed.Errors)
                {
                    ctx.Err.WriteLine("checker-nano: " + e.Message);
                }

                ctx.Err.WriteLine("checker-nano: try --help");
                return ExitCodes.BadInput;
            }

            try
            {
                return parsed.Invoke(new InvocationConfiguration { Output = ctx.Out, Error = ctx.Err, EnableDefaultExceptionHandler = false });
            }
            catch (IOException e)
            {
                ctx.Err.WriteLine("checker-nano: " + e.Message);
                return ExitCodes.IoError;
            }
            catch (UnauthorizedAccessException e)
            {
                ctx.Err.WriteLine("checker-nano: " + e.Message);
                return ExitCodes.IoError;
            }
        }

        /// <summary>The command tree.</summary>
        public static RootCommand Build(CliContext ctx)
        {
            var root = new RootCommand("Checker.Nano host tools: what a board prints, turned into answers.");
            root.Subcommands.Add(MonitorCommand.Build(ctx));
            root.Subcommands.Add(LeaksCommand.Build(ctx));
            root.Subcommands.Add(DiffCommand.Build(ctx));
            root.Subcommands.Add(MapCommand.Build(ctx));
            root.Subcommands.Add(ReplayCommand.Build(ctx));
            root.Subcommands.Add(StatsCommand.Build(ctx));
            root.Subcommands.Add(TraceCommand.Build(ctx));
            return root;
        }
    }
}
