// Faults of the library that the host tools know how to find with the smallest program that shows
// them, so that their tests and campaigns can say "not run: <what>" instead of failing a thousand
// times on the same cause; each probe answers null once the library is fixed, and what it guarded
// runs again by itself.
using System;

namespace Checker.Nano.Traces
{
    /// <summary>Probes of known library faults.</summary>
    public static class KnownFaults
    {
        private static readonly Lazy<string> CheckerCompact = new Lazy<string>(ProbeCheckerOverCompact);

        /// <summary>
        /// Null when Checker works over the Compact policy; else what is wrong. Two malloc(8) on
        /// Checker over a 16 KiB Compact arena with 256-byte blocks: the debug heap asks the base heap
        /// for 40 bytes each, which the Compact policy gives as two slots of its 40-byte class, so the
        /// second block's header lies 200 bytes (not a multiple of 32) from the heap's start.
        /// Checker's Validate must be clean, and freeing that block must report nothing.
        /// </summary>
        public static string CheckerOverCompact => CheckerCompact.Value;

        private static string ProbeCheckerOverCompact()
        {
            var sink = new MemorySink();
            var c = new CheckerHeap(new byte[16384], 256, 256, 1024, new Reporter(sink) { Forms = ReportForm.Text }, DebugHeap.DefaultFileNameCapacity, CompactHeap.Make);
            c.Malloc(8, BlockType.Normal, "Probe.cs", 1);
            int b = c.Malloc(8, BlockType.Normal, "Probe.cs", 2);
            string valid = c.Validate();
            c.Free(b, "Probe.cs", 3);
            if (valid == null && c.TotalErrors == 0)
            {
                return null;
            }

            string report = sink.Text.Split('\n')[0].Trim();
            return $"library fault: Checker over the Compact policy loses track of blocks whose debug header is not on its {c.GranuleBytes}-byte block-map granule "
                + $"(two malloc(8) on 16K/256: the second header at heap start + {b - DebugHeap.HEADER_BYTES - c.HeapStart}; Validate: {valid ?? "clean"}; its free: {(report.Length == 0 ? "no report" : report)})";
        }
    }
}
