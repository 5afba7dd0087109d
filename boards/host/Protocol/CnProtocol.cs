// A host parser for Checker.Nano's line protocol (Checker.Nano/Reporter/PROTOCOL.md): reads a
// stream of lines (text and records mixed, as they come off a UART), keeps the records whose
// length and CRC check out, counts the others, and groups records into dumps by BEGIN / END.
// It follows the document's parsing rules and nothing else: it does not guess at damaged lines.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace Checker.Nano.Protocol
{
    /// <summary>One record that passed its length and CRC checks.</summary>
    public sealed class CnRecord
    {
        public CnRecord(int version, string type, IReadOnlyDictionary<string, string> fields, IReadOnlyList<string> keys, string body)
        {
            Version = version;
            Type = type;
            Fields = fields;
            Keys = keys;
            Body = body;
        }

        /// <summary>The marker's major version (1).</summary>
        public int Version { get; }

        /// <summary>The record type (STAT, LEAK, ...).</summary>
        public string Type { get; }

        /// <summary>The fields, values percent-decoded.</summary>
        public IReadOnlyDictionary<string, string> Fields { get; }

        /// <summary>The keys in the order they came.</summary>
        public IReadOnlyList<string> Keys { get; }

        /// <summary>The body as received (before " *LEN:CRC").</summary>
        public string Body { get; }

        /// <summary>n, or null (DROP).</summary>
        public long? N => Fields.TryGetValue("n", out string v) ? long.Parse(v, CultureInfo.InvariantCulture) : null;

        /// <summary>d, or null outside dumps.</summary>
        public int? D => Fields.TryGetValue("d", out string v) ? int.Parse(v, CultureInfo.InvariantCulture) : null;

        public bool Has(string key) => Fields.ContainsKey(key);

        public string this[string key] => Fields.TryGetValue(key, out string v) ? v : null;

        /// <summary>A decimal or 0x-hex field as a number; throws if absent.</summary>
        public long Long(string key)
        {
            string v = Fields[key];
            return v.StartsWith("0x", StringComparison.Ordinal)
                ? long.Parse(v.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)
                : long.Parse(v, CultureInfo.InvariantCulture);
        }

        public int Int(string key) => checked((int)Long(key));

        public override string ToString() => Body;
    }

    /// <summary>A dump: the records from BEGIN to END with the same d.</summary>
    public sealed class CnDump
    {
        public int D { get; init; }
        public string Why { get; init; }
        public long? TimeMs { get; init; }
        public List<CnRecord> Records { get; } = new();

        /// <summary>END's count, once END arrived.</summary>
        public int? ExpectedCount { get; set; }

        /// <summary>END arrived and as many records as it counts came between BEGIN and END.</summary>
        public bool Complete => ExpectedCount.HasValue && ExpectedCount.Value == Records.Count;

        public IEnumerable<CnRecord> OfType(string type)
        {
            foreach (CnRecord r in Records)
            {
                if (r.Type == type)
                {
                    yield return r;
                }
            }
        }

        public CnRecord First(string type)
        {
            foreach (CnRecord r in OfType(type))
            {
                return r;
            }

            return null;
        }
    }

    /// <summary>Parses single lines (PROTOCOL.md, "How a parser reads a line").</summary>
    public static class CnParser
    {
        public const string MarkerStart = "@CN";

        /// <summary>CRC-16/CCITT-FALSE.</summary>
        public static int Crc16(ReadOnlySpan<byte> data)
        {
            int crc = 0xFFFF;
            foreach (byte b in data)
            {
                crc ^= b << 8;
                for (int i = 0; i < 8; i++)
                {
                    crc = (crc & 0x8000) != 0 ? ((crc << 1) ^ 0x1021) & 0xFFFF : (crc << 1) & 0xFFFF;
                }
            }

            return crc;
        }

        /// <summary>
        /// The records of one line (usually none or one; more if newlines were lost between them).
        /// <paramref name="bad"/> counts candidates that failed their checks.
        /// </summary>
        public static List<CnRecord> ParseLine(string line, out int bad, out int otherVersion)
        {
            bad = 0;
            otherVersion = 0;
            var records = new List<CnRecord>();
            line = line.TrimEnd('\n', '\r');
            int at = line.IndexOf(MarkerStart, StringComparison.Ordinal);
            while (at >= 0)
            {
                int next = line.IndexOf(MarkerStart, at + MarkerStart.Length, StringComparison.Ordinal);
                string candidate = next < 0 ? line.Substring(at) : line.Substring(at, next - at);
                switch (TryParse(candidate, out CnRecord record, out _))
                {
                    case Result.Record:
                        records.Add(record);
                        break;
                    case Result.OtherVersion:
                        otherVersion++;
                        break;
                    default:
                        bad++;
                        break;
                }

                at = next;
            }

            return records;
        }

        public enum Result
        {
            Record,
            Bad,
            OtherVersion,
        }

        /// <summary>Checks and splits one candidate that starts with "@CN".</summary>
        public static Result TryParse(string candidate, out CnRecord record, out string problem)
        {
            record = null;
            int digits = MarkerStart.Length;
            while (digits < candidate.Length && candidate[digits] >= '0' && candidate[digits] <= '9')
            {
                digits++;
            }

            if (digits == MarkerStart.Length || digits == candidate.Length || candidate[digits] != ' ')
            {
                problem = "bad marker";
                return Result.Bad;
            }

            if (candidate.Substring(MarkerStart.Length, digits - MarkerStart.Length) != "1")
            {
                problem = "version " + candidate.Substring(MarkerStart.Length, digits - MarkerStart.Length);
                return Result.OtherVersion;
            }

            int star = candidate.LastIndexOf(" *", StringComparison.Ordinal);
            if (star < 0)
            {
                problem = "cut: no suffix";
                return Result.Bad;
            }

            string body = candidate.Substring(0, star);
            string suffix = candidate.Substring(star + 2);
            int colon = suffix.IndexOf(':');
            if (colon <= 0 || suffix.Length - colon - 1 != 4 || !IsDigits(suffix.AsSpan(0, colon)) || !IsUpperHex(suffix.AsSpan(colon + 1)))
            {
                problem = "cut: malformed suffix";
                return Result.Bad;
            }

            if (!int.TryParse(suffix.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out int length) || length != body.Length)
            {
                problem = "cut: length";
                return Result.Bad;
            }

            foreach (char c in body)
            {
                if (c < 0x20 || c > 0x7E)
                {
                    problem = "noise: byte outside ASCII";
                    return Result.Bad;
                }
            }

            int crc = int.Parse(suffix.AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (Crc16(Encoding.ASCII.GetBytes(body)) != crc)
            {
                problem = "noise: CRC";
                return Result.Bad;
            }

            string[] tokens = body.Split(' ');
            const int version = 1;
            if (tokens.Length < 2 || tokens[1].Length == 0 || !IsUpper(tokens[1]))
            {
                problem = "bad type";
                return Result.Bad;
            }

            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            var keys = new List<string>();
            for (int i = 2; i < tokens.Length; i++)
            {
                int eq = tokens[i].IndexOf('=');
                if (eq <= 0)
                {
                    problem = "bad field " + tokens[i];
                    return Result.Bad;
                }

                string key = tokens[i].Substring(0, eq);
                if (fields.ContainsKey(key))
                {
                    problem = "field twice: " + key;
                    return Result.Bad;
                }

                fields[key] = Decode(tokens[i].Substring(eq + 1));
                keys.Add(key);
            }

            record = new CnRecord(version, tokens[1], fields, keys, body);
            problem = null;
            return Result.Record;
        }

        /// <summary>Percent-decoding (UTF-8).</summary>
        public static string Decode(string value)
        {
            if (value.IndexOf('%') < 0)
            {
                return value;
            }

            var bytes = new List<byte>(value.Length);
            for (int i = 0; i < value.Length; i++)
            {
                if (value[i] == '%' && i + 2 < value.Length
                    && byte.TryParse(value.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte b))
                {
                    bytes.Add(b);   // "%zz" is not an escape: kept as written
                    i += 2;
                }
                else
                {
                    bytes.Add((byte)value[i]);
                }
            }

            return Encoding.UTF8.GetString(bytes.ToArray());
        }

        private static bool IsDigits(ReadOnlySpan<char> s)
        {
            if (s.Length == 0)
            {
                return false;
            }

            foreach (char c in s)
            {
                if (c < '0' || c > '9')
                {
                    return false;
                }
            }

            return true;
        }

        private static bool IsUpperHex(ReadOnlySpan<char> s)
        {
            foreach (char c in s)
            {
                if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F')))
                {
                    return false;
                }
            }

            return true;
        }

        private static bool IsUpper(string s)
        {
            foreach (char c in s)
            {
                if (c < 'A' || c > 'Z')
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>Reads a stream of lines: keeps the good records, counts the rest, assembles dumps.</summary>
    public sealed class CnReader
    {
        private CnDump _open;
        private long _lastN;

        public List<CnRecord> Records { get; } = new();
        public List<CnDump> Dumps { get; } = new();
        public List<string> TextLines { get; } = new();

        /// <summary>Candidates that failed their length or CRC checks.</summary>
        public int BadRecords { get; private set; }

        /// <summary>Records of another major version (skipped).</summary>
        public int OtherVersion { get; private set; }

        /// <summary>Record numbers skipped (n jumped forward): records lost on the way.</summary>
        public long MissingNumbers { get; private set; }

        /// <summary>Lines the firmware said it dropped (DROP records).</summary>
        public long DroppedLines { get; private set; }

        /// <summary>The last HELLO.</summary>
        public CnRecord Hello { get; private set; }

        /// <summary>Dumps whose END arrived with a full count.</summary>
        public IEnumerable<CnDump> CompleteDumps
        {
            get
            {
                foreach (CnDump d in Dumps)
                {
                    if (d.Complete)
                    {
                        yield return d;
                    }
                }
            }
        }

        public void FeedText(string text)
        {
            using var reader = new StringReader(text);
            string line;
            while ((line = reader.ReadLine()) != null)
            {
                Feed(line);
            }
        }

        public void Feed(string line)
        {
            List<CnRecord> records = CnParser.ParseLine(line, out int bad, out int other);
            BadRecords += bad;
            OtherVersion += other;
            if (records.Count == 0 && bad == 0 && other == 0)
            {
                TextLines.Add(line.TrimEnd('\r', '\n'));
                return;
            }

            foreach (CnRecord r in records)
            {
                if (!Usable(r))
                {
                    BadRecords++;   // sealed as written, but a number this reader uses is not one
                    continue;
                }

                Add(r);
            }
        }

        /// <summary>Whether the numbers Add reads (n, d, DROP lines, BEGIN t, END count) are numbers.</summary>
        private static bool Usable(CnRecord r)
        {
            return Number(r, "n", false) && Number(r, "d", true)
                && (r.Type != "DROP" || (r.Has("lines") && Number(r, "lines", false)))
                && (r.Type != "BEGIN" || Number(r, "t", false))
                && (r.Type != "END" || (r.Has("count") && Number(r, "count", true)));
        }

        /// <summary>Whether field <paramref name="key"/> is absent or a number CnRecord reads (decimal or 0x hex; an int when asked).</summary>
        private static bool Number(CnRecord r, string key, bool asInt)
        {
            string v = r[key];
            if (v == null)
            {
                return true;
            }

            bool hex = v.StartsWith("0x", StringComparison.Ordinal) && key != "n" && key != "d";
            if (!long.TryParse(hex ? v.AsSpan(2) : v.AsSpan(), hex ? NumberStyles.AllowHexSpecifier : NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
            {
                return false;
            }

            return !asInt || (value >= int.MinValue && value <= int.MaxValue);
        }

        private void Add(CnRecord r)
        {
            Records.Add(r);
            long? n = r.N;
            if (n.HasValue)
            {
                if (r.Type == "HELLO" && n.Value <= _lastN)
                {
                    _lastN = 0;   // the firmware restarted
                }

                if (_lastN != 0 && n.Value > _lastN + 1)
                {
                    MissingNumbers += n.Value - _lastN - 1;
                }

                _lastN = n.Value;
            }

            switch (r.Type)
            {
                case "HELLO":
                    Hello = r;
                    _open = null;
                    break;
                case "DROP":
                    DroppedLines += r.Long("lines");
                    break;
                case "BEGIN":
                    _open = new CnDump
                    {
                        D = r.D ?? 0,
                        Why = r["why"],
                        TimeMs = r.Has("t") ? r.Long("t") : null,
                    };
                    Dumps.Add(_open);
                    break;
                case "END":
                    if (_open != null && r.D == _open.D)
                    {
                        _open.ExpectedCount = r.Int("count");
                    }

                    _open = null;
                    break;
                default:
                    if (_open != null && r.D == _open.D)
                    {
                        _open.Records.Add(r);
                    }

                    break;
            }
        }
    }
}
