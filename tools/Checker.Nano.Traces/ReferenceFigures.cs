// The reference figures of the traces README ("min arena ÷ peak live" for the classic GNU malloc
// at 4096- and 512-byte blocks, TLSF and umm_malloc), read from the README itself so the tables
// we print always quote the figures that ship with the traces.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace Checker.Nano.Traces
{
    /// <summary>The README's reference table: column names and, per trace, each column's text.</summary>
    public sealed class ReferenceFigures
    {
        private readonly Dictionary<string, string[]> _rows;

        private ReferenceFigures(string[] columns, Dictionary<string, string[]> rows)
        {
            Columns = columns;
            _rows = rows;
        }

        /// <summary>The allocator columns (without the "trace" column), e.g. "GNU malloc, 4096-byte blocks".</summary>
        public IReadOnlyList<string> Columns { get; }

        /// <summary>The traces with a row.</summary>
        public IEnumerable<string> Traces => _rows.Keys;

        /// <summary>The cell of <paramref name="trace"/> in column <paramref name="column"/> as written ("1.199 (16)", "fails (...)"), or null.</summary>
        public string Text(string trace, int column)
        {
            return _rows.TryGetValue(trace, out string[] cells) && column < cells.Length ? cells[column] : null;
        }

        /// <summary>The cell's leading number, or NaN when it has none ("fails").</summary>
        public double Value(string trace, int column)
        {
            string text = Text(trace, column);
            if (text == null)
            {
                return double.NaN;
            }

            string first = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
            return double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : double.NaN;
        }

        /// <summary>The column whose name contains <paramref name="part"/> (case-insensitive), or -1.</summary>
        public int Find(string part)
        {
            for (int i = 0; i < Columns.Count; i++)
            {
                if (Columns[i].Contains(part, StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>Reads the table under "## Reference figures" of the README in <paramref name="tracesDirectory"/>; null when absent.</summary>
        public static ReferenceFigures Load(string tracesDirectory)
        {
            string path = Path.Combine(tracesDirectory, "README.md");
            return File.Exists(path) ? Parse(File.ReadAllText(path)) : null;
        }

        /// <summary>Parses the first markdown table after "## Reference figures"; null when there is none.</summary>
        public static ReferenceFigures Parse(string readme)
        {
            string[] lines = readme.Replace("\r", "").Split('\n');
            int at = Array.FindIndex(lines, l => l.StartsWith("## Reference figures", StringComparison.Ordinal));
            if (at < 0)
            {
                return null;
            }

            string[] columns = null;
            var rows = new Dictionary<string, string[]>(StringComparer.Ordinal);
            for (int i = at + 1; i < lines.Length; i++)
            {
                string line = lines[i].Trim();
                if (!line.StartsWith('|'))
                {
                    if (columns != null)
                    {
                        break;
                    }

                    continue;
                }

                string[] cells = line.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
                if (columns == null)
                {
                    columns = cells.Skip(1).ToArray();
                }
                else if (!cells[0].StartsWith("---", StringComparison.Ordinal))
                {
                    rows[cells[0]] = cells.Skip(1).ToArray();
                }
            }

            return columns == null ? null : new ReferenceFigures(columns, rows);
        }
    }
}
