// The line-level reader of the protocol: PROTOCOL.md, "How a parser reads a line", step by step.
// A line is bytes (read as Latin-1 so each char is one byte and the CRC is computed over what was
// received); it yields zero or more records and, for every candidate that fails, one skip with
// its reason. Never throws on any input.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Checker.Nano.Dumps
{
    /// <summary>Why a line or a record was not used.</summary>
    public enum SkipReason
    {
        /// <summary>The record has no valid " *LEN:CRC" suffix, or its length is not LEN: a line cut short (reset, lost bytes).</summary>
        Cut,

        /// <summary>LEN matched but the CRC did not: bytes changed on the wire (noise, wrong baud rate).</summary>
        Noise,

        /// <summary>A valid record of a major version other than 1.</summary>
        UnknownVersion,

        /// <summary>CRC matched but the body breaks the record syntax (type, key=value): a writer bug.</summary>
        Malformed,

        /// <summary>A known record type missing a field the parser needs, or holding a bad value.</summary>
        BadField,

        /// <summary>A dump record (d=) with no dump open for it, or a dump closed or restarted before its END.</summary>
        OutOfDump,

        /// <summary>The same record (same n, same bytes) received again.</summary>
        Duplicate,

        /// <summary>A text line with bytes no board prints (control characters, bytes above 0x7E): wrong baud rate or noise.</summary>
        GarbledText,
    }

    /// <summary>A candidate record or line that was not used, and why.</summary>
    public sealed class Skip
    {
        /// <summary>A skip at <paramref name="line"/>.</summary>
        public Skip(int line, SkipReason reason, string detail, string excerpt)
        {
            Line = line;
            Reason = reason;
            Detail = detail;
            Excerpt = excerpt;
        }

        /// <summary>The 1-based line of the log.</summary>
        public int Line { get; }

        /// <summary>Why.</summary>
        public SkipReason Reason { get; }

        /// <summary>What exactly (e.g. "LEN 41, body has 39 bytes").</summary>
        public string Detail { get; }

        /// <summary>The start of what was skipped, printable (at most 60 characters).</summary>
        public string Excerpt { get; }

        /// <summary>The token scripts see for a reason ("cut", "noise", "unknown-version"...).</summary>
        public static string Token(SkipReason reason) => reason switch
        {
            SkipReason.Cut => "cut",
            SkipReason.Noise => "noise",
            SkipReason.UnknownVersion => "unknown-version",
            SkipReason.Malformed => "malformed",
            SkipReason.BadField => "bad-field",
            SkipReason.OutOfDump => "out-of-dump",
            SkipReason.GarbledText => "garbled-text",
            SkipReason.Duplicate => "duplicate",
            _ => "other",
        };

        /// <inheritdoc/>
        public override string ToString() => $"line {Line}: {Token(Reason)}: {Detail}";
    }

    /// <summary>Reads the records of one line.</summary>
    public static class RecordParser
    {
        /// <summary>The marker's prefix; the version digit(s) follow.</summary>
        public const string MarkerPrefix = "@CN";

        /// <summary>The major version this parser reads.</summary>
        public const int Version = 1;

        /// <summary>CRC-16/CCITT-FALSE of the chars (each one byte, Latin-1) of <paramref name="s"/>.</summary>
        public static int Crc16(ReadOnlySpan<char> s)
        {
            int crc = 0xFFFF;
            foreach (char ch in s)
            {
                crc ^= (ch & 0xFF) << 8;
                for (int b = 0; b < 8; b++)
                {
                    crc = (crc & 0x8000) != 0 ? ((crc << 1) ^ 0x1021) & 0xFFFF : (crc << 1) & 0xFFFF;
                }
            }

            return crc;
        }

        /// <summary>
        /// Splits <paramref name="line"/> (without its newline; a trailing '\r' is stripped) into
        /// records and skips. Returns true when the line held a marker; false for a text line,
        /// which <paramref name="skips"/> gets as <see cref="SkipReason.GarbledText"/> when it holds
        /// bytes no board prints.
        /// </summary>
        public static bool ParseLine(string line, int lineNumber, List<CnRecord> records, List<Skip> skips)
        {
            if (line.Length > 0 && line[^1] == '\r')
            {
                line = line[..^1];
            }

            int at = line.IndexOf(MarkerPrefix, StringComparison.Ordinal);
            if (at < 0)
            {
                if (IsGarbled(line))
                {
                    skips.Add(new Skip(lineNumber, SkipReason.GarbledText, "text with bytes no board prints", Excerpt(line)));
                }

                return false;
            }

            while (at >= 0)
            {
                int next = line.IndexOf(MarkerPrefix, at + MarkerPrefix.Length, StringComparison.Ordinal);
                string candidate = next < 0 ? line[at..] : line[at..next];
                ParseCandidate(candidate, lineNumber, records, skips);
                at = next;
            }

            return true;
        }

        /// <summary>Whether a text line holds bytes a board does not print (controls other than tab, or above 0x7E).</summary>
        public static bool IsGarbled(string line)
        {
            foreach (char c in line)
            {
                if ((c < 0x20 && c != '\t') || c > 0x7E)
                {
                    return true;
                }
            }

            return false;
        }

        private static void ParseCandidate(string candidate, int lineNumber, List<CnRecord> records, List<Skip> skips)
        {
            // Step 3 of PROTOCOL.md's "How a parser reads a line": the version digits after "@CN"
            // come first: another major version may lay out its suffix differently, so it is
            // skipped as such, before its length and CRC are judged by this version's rules.
            int digits = MarkerPrefix.Length;
            while (digits < candidate.Length && candidate[digits] >= '0' && candidate[digits] <= '9')
            {
                digits++;
            }

            if (digits > MarkerPrefix.Length && digits < candidate.Length && candidate[digits] == ' '
                && !(digits == MarkerPrefix.Length + 1 && candidate[MarkerPrefix.Length] == '0' + Version))
            {
                skips.Add(new Skip(lineNumber, SkipReason.UnknownVersion, $"protocol version {Printable(candidate[MarkerPrefix.Length..digits])} (this parser reads {Version})", Excerpt(candidate)));
                return;
            }

            // Step 4: the last " *" and its "digits:XXXX".
            int star = candidate.LastIndexOf(" *", StringComparison.Ordinal);
            if (star < 0)
            {
                skips.Add(new Skip(lineNumber, SkipReason.Cut, "no ' *LEN:CRC' suffix", Excerpt(candidate)));
                return;
            }

            ReadOnlySpan<char> suffix = candidate.AsSpan(star + 2);
            int colon = suffix.IndexOf(':');
            if (colon < 1 || suffix.Length - colon - 1 != 4 || !AllDigits(suffix[..colon]) || !AllHex(suffix[(colon + 1)..]))
            {
                skips.Add(new Skip(lineNumber, SkipReason.Cut, "malformed suffix '" + Printable(suffix.ToString()) + "'", Excerpt(candidate)));
                return;
            }

            // Step 5: the body's length and CRC.
            string body = candidate[..star];
            if (!int.TryParse(suffix[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out int len) || len != body.Length)
            {
                skips.Add(new Skip(lineNumber, SkipReason.Cut, $"LEN {suffix[..colon].ToString()} but the body has {body.Length} bytes", Excerpt(candidate)));
                return;
            }

            int crc = int.Parse(suffix[(colon + 1)..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            int actual = Crc16(body);
            if (crc != actual)
            {
                skips.Add(new Skip(lineNumber, SkipReason.Noise, $"CRC {crc:X4} but the body's is {actual:X4}", Excerpt(candidate)));
                return;
            }

            // Step 6: marker, type, fields.
            string[] parts = body.Split(' ');
            if (parts.Length < 2)
            {
                skips.Add(new Skip(lineNumber, SkipReason.Malformed, "no record type", Excerpt(candidate)));
                return;
            }

            string marker = parts[0];
            if (marker.Length <= MarkerPrefix.Length || !AllDigits(marker.AsSpan(MarkerPrefix.Length))
                || !int.TryParse(marker.AsSpan(MarkerPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int version))
            {
                skips.Add(new Skip(lineNumber, SkipReason.Malformed, "marker '" + Printable(marker) + "' has no version", Excerpt(candidate)));
                return;
            }

            if (version != Version)
            {
                skips.Add(new Skip(lineNumber, SkipReason.UnknownVersion, $"protocol version {version} (this parser reads {Version})", Excerpt(candidate)));
                return;
            }

            string type = parts[1];
            if (type.Length == 0 || !IsUpper(type))
            {
                skips.Add(new Skip(lineNumber, SkipReason.Malformed, "record type '" + Printable(type) + "' is not upper-case letters", Excerpt(candidate)));
                return;
            }

            var fields = new List<KeyValuePair<string, string>>(parts.Length - 2);
            for (int i = 2; i < parts.Length; i++)
            {
                string p = parts[i];
                int eq = p.IndexOf('=');
                if (eq < 1 || !IsKey(p.AsSpan(0, eq)))
                {
                    skips.Add(new Skip(lineNumber, SkipReason.Malformed, "field '" + Printable(p) + "' is not key=value", Excerpt(candidate)));
                    return;
                }

                string value = Decode(p[(eq + 1)..]);
                if (value == null)
                {
                    skips.Add(new Skip(lineNumber, SkipReason.Malformed, "field '" + Printable(p) + "' has a bad %XX", Excerpt(candidate)));
                    return;
                }

                fields.Add(new KeyValuePair<string, string>(p[..eq], value));
            }

            records.Add(new CnRecord(version, type, fields, lineNumber, candidate));
        }

        /// <summary>Percent-decoding (UTF-8); null when a % is not followed by two hex digits.</summary>
        public static string Decode(string value)
        {
            if (value.IndexOf('%') < 0)
            {
                return value;
            }

            var bytes = new List<byte>(value.Length);
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                if (c == '%')
                {
                    if (i + 2 >= value.Length || !Uri.IsHexDigit(value[i + 1]) || !Uri.IsHexDigit(value[i + 2]))
                    {
                        return null;
                    }

                    bytes.Add((byte)((Hex(value[i + 1]) << 4) | Hex(value[i + 2])));
                    i += 2;
                }
                else
                {
                    bytes.Add((byte)c);
                }
            }

            return Encoding.UTF8.GetString(bytes.ToArray());
        }

        /// <summary>Percent-encoding as the writer does it (every byte outside '!'..'~', and % * = @).</summary>
        public static string Encode(string text)
        {
            var sb = new StringBuilder();
            foreach (byte b in Encoding.UTF8.GetBytes(text))
            {
                if (b < 0x21 || b > 0x7E || b == '%' || b == '*' || b == '=' || b == '@')
                {
                    sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
                }
                else
                {
                    sb.Append((char)b);
                }
            }

            return sb.ToString();
        }

        /// <summary>Seals a body into a record line: appends " *LEN:CRC" (for tests that write records by hand).</summary>
        public static string Seal(string body) => $"{body} *{body.Length}:{Crc16(body):X4}";

        /// <summary>A printable excerpt of at most 60 characters.</summary>
        public static string Excerpt(string s) => Printable(s.Length > 60 ? s[..60] + "..." : s);

        private static string Printable(string s)
        {
            var sb = new StringBuilder(s.Length);
            foreach (char c in s)
            {
                sb.Append(c < 0x20 || c > 0x7E ? '?' : c);
            }

            return sb.ToString();
        }

        private static int Hex(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

        private static bool AllDigits(ReadOnlySpan<char> s)
        {
            if (s.Length == 0 || s.Length > 9)
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

        private static bool AllHex(ReadOnlySpan<char> s)
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

        private static bool IsKey(ReadOnlySpan<char> s)
        {
            foreach (char c in s)
            {
                if ((c < 'a' || c > 'z') && c != '_')
                {
                    return false;
                }
            }

            return true;
        }
    }
}
