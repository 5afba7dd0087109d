// The host tests read the firmware's output with the host tools' reader of the line protocol
// (tools/Checker.Nano.Dumps: LogParser, the reader checker-nano uses), through these few helpers:
// a dump's records by type, and the text lines (everything that holds no record marker).
using System;
using System.Collections.Generic;
using System.Linq;
using Checker.Nano.Dumps;

namespace Checker.Nano.Host.Tests
{
    internal static class WireRecords
    {
        /// <summary>The records of <paramref name="type"/> in the dump, in wire order.</summary>
        public static IEnumerable<CnRecord> OfType(this Dump dump, string type) => dump.Records.Where(r => r.Type == type);

        /// <summary>The dump's first record of <paramref name="type"/>, or null.</summary>
        public static CnRecord First(this Dump dump, string type) => dump.Records.FirstOrDefault(r => r.Type == type);

        /// <summary>An int field that must be there.</summary>
        public static int IntOf(this CnRecord r, string key) => r.Int32(key) ?? throw new InvalidOperationException($"{r.Type} has no number {key}: {r.Raw}");

        /// <summary>A long field that must be there.</summary>
        public static long LongOf(this CnRecord r, string key) => r.Int(key) ?? throw new InvalidOperationException($"{r.Type} has no number {key}: {r.Raw}");

        /// <summary>Candidates that looked like records and were dropped: cut, noise, another major version, malformed.</summary>
        public static int Rejected(this ParsedLog log) =>
            log.SkipCount(SkipReason.Cut) + log.SkipCount(SkipReason.Noise) + log.SkipCount(SkipReason.UnknownVersion) + log.SkipCount(SkipReason.Malformed);

        /// <summary>The lines of <paramref name="text"/> that hold no record ('\r' stripped).</summary>
        public static string[] TextLines(string text) =>
            text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => !l.Contains("@CN", StringComparison.Ordinal)).ToArray();
    }
}
