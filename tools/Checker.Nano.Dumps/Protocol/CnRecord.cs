// One @CN1 record as read from a log: its type, n, d and its fields in wire order, text values
// percent-decoded. A record only exists once its LEN and CRC matched (RecordParser), so what is
// here is what the board wrote; typed getters return null for a field that is missing or does
// not hold the kind of value asked for (a newer revision, or a writer bug), never throw.
using System;
using System.Collections.Generic;
using System.Globalization;

namespace Checker.Nano.Dumps
{
    /// <summary>A record of the line protocol (PROTOCOL.md, "A record").</summary>
    public sealed class CnRecord
    {
        private readonly List<KeyValuePair<string, string>> _fields;

        internal CnRecord(int version, string type, List<KeyValuePair<string, string>> fields, int line, string raw)
        {
            Version = version;
            Type = type;
            _fields = fields;
            Line = line;
            Raw = raw;
            N = Int("n");
            long? d = Int("d");
            D = d.HasValue && d.Value >= 0 && d.Value <= int.MaxValue ? (int)d.Value : null;
        }

        /// <summary>The marker's major version (1).</summary>
        public int Version { get; }

        /// <summary>The record type (HELLO, BEGIN, STAT, LEAK...).</summary>
        public string Type { get; }

        /// <summary>The record's number n (null for DROP, or when missing).</summary>
        public long? N { get; }

        /// <summary>The dump number d (records inside a dump).</summary>
        public int? D { get; }

        /// <summary>The 1-based line of the log it was read from.</summary>
        public int Line { get; }

        /// <summary>The record as received (from the marker up to the CRC).</summary>
        public string Raw { get; }

        /// <summary>The firmware run it belongs to (1-based; a HELLO or n restarting makes a new one), set by the log reader.</summary>
        public int Session { get; internal set; }

        /// <summary>Whether the writer left fields out for lack of room (cut=1).</summary>
        public bool Cut => Text("cut") == "1";

        /// <summary>The fields in wire order (n and d included), values decoded.</summary>
        public IReadOnlyList<KeyValuePair<string, string>> Fields => _fields;

        /// <summary>The decoded value of <paramref name="key"/>, null when absent.</summary>
        public string Text(string key)
        {
            foreach (KeyValuePair<string, string> f in _fields)
            {
                if (f.Key == key)
                {
                    return f.Value;
                }
            }

            return null;
        }

        /// <summary>Whether the field is present.</summary>
        public bool Has(string key) => Text(key) != null;

        /// <summary>A decimal integer (possibly negative) or a 0x hex value; null when absent or not a number.</summary>
        public long? Int(string key)
        {
            string v = Text(key);
            if (string.IsNullOrEmpty(v))
            {
                return null;
            }

            if (v.StartsWith("0x", StringComparison.Ordinal))
            {
                return long.TryParse(v.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out long h) && v.Length > 2 && v.Length <= 18
                    ? h : null;
            }

            foreach (char c in v.AsSpan(v[0] == '-' ? 1 : 0))
            {
                if (c < '0' || c > '9')
                {
                    return null;
                }
            }

            return long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long x) ? x : null;
        }

        /// <summary>An integer that fits an int, else null.</summary>
        public int? Int32(string key)
        {
            long? v = Int(key);
            return v.HasValue && v.Value >= int.MinValue && v.Value <= int.MaxValue ? (int)v.Value : null;
        }

        /// <summary>A hex-pairs field ("CDCD41") as bytes; null when absent or malformed.</summary>
        public byte[] Bytes(string key)
        {
            string v = Text(key);
            if (v == null || (v.Length & 1) != 0)
            {
                return null;
            }

            try
            {
                return Convert.FromHexString(v);
            }
            catch (FormatException)
            {
                return null;
            }
        }

        /// <inheritdoc/>
        public override string ToString() => Raw;
    }
}
