// One row of the reliability table per campaign and layer, and the table itself (Markdown, so
// the README's table is pasted from a run). Columns: operations run, faults injected, detected,
// harmless, missed, crashes (an exception of a type the library does not document escaping a
// public call, or a parser throwing on its input) and hangs (a call that did not return).
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Checker.Nano.Reliability
{
    /// <summary>The figures of one campaign on one layer.</summary>
    public sealed class Figure
    {
        /// <summary>The campaign ("property", "guards", ...).</summary>
        public string Part { get; set; }

        /// <summary>The layer or target ("base heap", "trace reader", ...).</summary>
        public string Target { get; set; }

        /// <summary>Library or parser calls made.</summary>
        public long Operations { get; set; }

        /// <summary>Faults injected (damaged bytes, flipped bits, failed allocations, bad handles, mutated inputs); 0 where none is.</summary>
        public long Injected { get; set; }

        /// <summary>Faults the library found and reported (or answered with its documented error).</summary>
        public long Detected { get; set; }

        /// <summary>Faults not reported that changed nothing a program could see.</summary>
        public long Harmless { get; set; }

        /// <summary>Faults neither reported nor harmless (silent damage), or property violations.</summary>
        public long Missed { get; set; }

        /// <summary>Undocumented exceptions escaping the library (or a parser).</summary>
        public long Crashes { get; set; }

        /// <summary>Calls that did not return in time.</summary>
        public long Hangs { get; set; }

        /// <summary>Wall time.</summary>
        public TimeSpan Time { get; set; }

        /// <summary>What else to say (seed, sizes, the first problem found).</summary>
        public string Notes { get; set; } = "";

        /// <summary>Problems found (the first few, for the console).</summary>
        public List<string> Problems { get; } = new List<string>();

        /// <summary>Whether the row is clean: nothing missed, no crash, no hang.</summary>
        public bool Clean => Missed == 0 && Crashes == 0 && Hangs == 0;

        /// <summary>Adds a problem (kept up to 20).</summary>
        public void Problem(string text)
        {
            lock (Problems)
            {
                if (Problems.Count < 20)
                {
                    Problems.Add(text);
                }
            }
        }

        /// <summary>"part/target: N operations, ...".</summary>
        public override string ToString()
        {
            return $"{Part}/{Target}: {Operations} operations, {Injected} injected, {Detected} detected, {Harmless} harmless, "
                + $"{Missed} missed, {Crashes} crashes, {Hangs} hangs, {Time.TotalSeconds:F1} s. {Notes}";
        }
    }

    /// <summary>The table of figures.</summary>
    public static class FigureTable
    {
        /// <summary>The rows as a Markdown table.</summary>
        public static string Markdown(IEnumerable<Figure> rows)
        {
            var sb = new StringBuilder();
            sb.AppendLine("| part | target | operations | faults injected | detected | harmless | missed | crashes | hangs | time | notes |");
            sb.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
            foreach (Figure f in rows)
            {
                sb.Append("| ").Append(f.Part).Append(" | ").Append(f.Target)
                    .Append(" | ").Append(N(f.Operations))
                    .Append(" | ").Append(f.Injected == 0 ? "-" : N(f.Injected))
                    .Append(" | ").Append(f.Injected == 0 ? "-" : N(f.Detected))
                    .Append(" | ").Append(f.Injected == 0 ? "-" : N(f.Harmless))
                    .Append(" | ").Append(N(f.Missed))
                    .Append(" | ").Append(N(f.Crashes))
                    .Append(" | ").Append(N(f.Hangs))
                    .Append(" | ").Append(f.Time.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)).Append(" s")
                    .Append(" | ").Append(f.Notes.Replace("|", "/", StringComparison.Ordinal)).AppendLine(" |");
            }

            return sb.ToString();
        }

        private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
    }
}
