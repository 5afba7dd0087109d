// Reading the inputs commands share: logs (tolerant, with a summary of what was skipped) and
// traces (strict: the first error names its line). Errors become exit codes, never exceptions.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Checker.Nano.Dumps;
using Checker.Nano.Traces;

namespace Checker.Nano.Cli
{
    /// <summary>Shared input handling.</summary>
    public static class Inputs
    {
        /// <summary>Reads a log; null with <paramref name="exit"/> set when it cannot be read or is empty.</summary>
        public static ParsedLog ReadLog(CliContext ctx, string path, out int exit)
        {
            exit = ExitCodes.Ok;
            if (!File.Exists(path))
            {
                ctx.Err.WriteLine($"checker-nano: {path}: no such file");
                exit = ExitCodes.IoError;
                return null;
            }

            ParsedLog log;
            try
            {
                log = LogParser.ParseFile(path);
            }
            catch (IOException e)
            {
                ctx.Err.WriteLine($"checker-nano: {path}: {e.Message}");
                exit = ExitCodes.IoError;
                return null;
            }

            if (log.Bytes == 0)
            {
                ctx.Err.WriteLine($"checker-nano: {path}: empty file");
                exit = ExitCodes.BadInput;
                return null;
            }

            return log;
        }

        /// <summary>One line saying what the parser read and skipped, e.g. for stderr.</summary>
        public static string Summary(ParsedLog log, string name)
        {
            string s = $"{name}: {log.Lines} lines, {log.Records.Count} records, {log.Dumps.Count} dump(s)";
            List<Dump> bad = log.Dumps.Where(d => !d.Complete).ToList();
            if (bad.Count > 0)
            {
                s += $" ({bad.Count} incomplete: " + string.Join("; ", bad.Take(3).Select(d => $"dump {d.Index} d={d.Number} {d.Problem}")) + (bad.Count > 3 ? "; ..." : "") + ")";
            }

            if (log.Skips.Count > 0)
            {
                s += $"; skipped {log.Skips.Count}: " + string.Join(", ", log.Skips.GroupBy(k => k.Reason).OrderBy(g => g.Key).Select(g => $"{Skip.Token(g.Key)} {g.Count()}"));
            }

            if (log.RecordsLost > 0)
            {
                s += $"; {log.RecordsLost} record(s) lost (gaps in n)";
            }

            if (log.DroppedByBoard > 0)
            {
                s += $"; the board dropped {log.DroppedByBoard} line(s)";
            }

            if (log.Sessions > 1)
            {
                s += $"; {log.Sessions} firmware runs";
            }

            if (log.UnknownTypes > 0)
            {
                s += $"; {log.UnknownTypes} record(s) of unknown types ignored";
            }

            if (log.Records.Count == 0 && log.TextDumps > 0)
            {
                s += $"; {log.TextDumps} dump(s) in text form only: set Reporter.Forms to Records or Both";
            }

            return s;
        }

        /// <summary>Writes the summary to stderr and, with --verbose, each skip.</summary>
        public static void Report(CliContext ctx, ParsedLog log, string name, bool verbose)
        {
            ctx.Err.WriteLine(Summary(log, name));
            if (verbose)
            {
                foreach (Skip s in log.Skips)
                {
                    ctx.Err.WriteLine($"  {name}:{s.Line}: {Skip.Token(s.Reason)}: {s.Detail}: {s.Excerpt}");
                }
            }
        }

        /// <summary>Whether --strict turns the log's damage into exit code 2.</summary>
        public static bool StrictFails(ParsedLog log, bool strict) => strict && log.HasDamage;

        /// <summary>Whether the file starts like a trace ("# checker-nano trace v1" or gzip).</summary>
        public static bool LooksLikeTrace(string path)
        {
            try
            {
                using FileStream f = File.OpenRead(path);
                byte[] head = new byte[TraceReader.Magic.Length];
                int n = f.Read(head, 0, head.Length);
                if (n >= 2 && head[0] == 0x1f && head[1] == 0x8b)
                {
                    return true;
                }

                return n == head.Length && System.Text.Encoding.ASCII.GetString(head) == TraceReader.Magic;
            }
            catch (IOException)
            {
                return false;
            }
        }

        /// <summary>Reads a trace; null with <paramref name="exit"/> set and the error (file:line: reason) written.</summary>
        public static Trace ReadTrace(CliContext ctx, string path, out int exit)
        {
            exit = ExitCodes.Ok;
            if (!File.Exists(path))
            {
                ctx.Err.WriteLine($"checker-nano: {path}: no such file");
                exit = ExitCodes.IoError;
                return null;
            }

            try
            {
                return TraceReader.Read(path);
            }
            catch (TraceFormatException e)
            {
                ctx.Err.WriteLine("checker-nano: " + e.Message);
                exit = ExitCodes.BadInput;
            }
            catch (InvalidDataException e)
            {
                ctx.Err.WriteLine($"checker-nano: {path}: {e.Message}");
                exit = ExitCodes.BadInput;
            }
            catch (IOException e)
            {
                ctx.Err.WriteLine($"checker-nano: {path}: {e.Message}");
                exit = ExitCodes.IoError;
            }

            return null;
        }

        /// <summary>
        /// Parses a size like 65536, 64k, 2M or 1G (k, M and G are powers of 1024, either case):
        /// false for anything else, 0, or more than 1T (so the caller says why a large one is refused).
        /// </summary>
        public static bool TryParseSize(string text, out long bytes)
        {
            bytes = 0;
            if (string.IsNullOrWhiteSpace(text))
            {
                return false;
            }

            text = text.Trim();
            int shift = char.ToLowerInvariant(text[^1]) switch { 'k' => 10, 'm' => 20, 'g' => 30, _ => 0 };
            if (shift > 0)
            {
                text = text[..^1];
            }

            if (text.Length == 0 || text.Length > 13 || !long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long v)
                || v <= 0 || v > (1L << 40) >> shift)
            {
                return false;
            }

            bytes = v << shift;
            return true;
        }
    }
}
