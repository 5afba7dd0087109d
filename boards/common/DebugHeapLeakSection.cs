// The debug heap's part of a dump, as the sample firmware wires it today: a ReportSection built on
// the debug heap's public API only.
//  - text: _CrtMemDumpStatistics ("N bytes in M Normal Blocks." ...) and _CrtDumpMemoryLeaks
//    ("Detected memory leaks!" / "Dumping objects ->" / one line per live block with its
//    file(line) and " Data:" / "Object dump complete."), exactly as the debug heap writes them;
//  - records: TYPE (one per block type) and PEAK from a checkpoint (MemCheckpoint);
//  - check (command C): CheckMemory, and a CHECK record.
// The LEAK records (one per live block: request number, type, size, address, file, line, first
// bytes) need a walk of the debug heap's block list, which only the debug heap can make: they
// come when the debug heap provides its own ReportSection (see Checker.Nano/Reporter/PROTOCOL.md,
// "How the layers write their parts"); SensorLogger then registers that one instead of this.
using Checker.Nano;

namespace Checker.Nano.Boards
{
    /// <summary>The debug heap's statistics and leak list in every dump (see the top of this file).</summary>
    public sealed class DebugHeapLeakSection : ReportSection
    {
        private static readonly string[] TypeNames = { "Free", "Normal", "CRT", "Ignore", "Client" };

        private readonly DebugHeap _debug;
        private readonly MemState _state = new MemState();

        /// <summary>The section of <paramref name="debug"/>.</summary>
        public DebugHeapLeakSection(DebugHeap debug)
        {
            if (debug == null)
            {
                throw new System.ArgumentNullException("debug");
            }

            _debug = debug;
        }

        /// <summary>Leaks: dumped by D and L.</summary>
        public override int Kind
        {
            get { return Leaks; }
        }

        /// <summary>The CRT's statistics and leak dump, through the debug heap.</summary>
        public override void WriteText(Reporter reporter)
        {
            _debug.MemCheckpoint(_state);
            _debug.MemDumpStatistics(_state);
            if (!_debug.DumpMemoryLeaks())
            {
                reporter.Line("No memory leaks detected.");
            }
        }

        /// <summary>TYPE per block type and PEAK.</summary>
        public override void WriteRecords(Reporter reporter)
        {
            _debug.MemCheckpoint(_state);
            for (int use = 0; use < BlockType.MaxBlocks; use++)
            {
                Records.BlockType(reporter, use, TypeNames[use], -1, _state.Counts[use], _state.Sizes[use]);
            }

            Records.Peak(reporter, _state.HighWaterCount, _state.TotalCount, _state.RequestNumber);
        }

        /// <summary>_CrtCheckMemory, then a CHECK record.</summary>
        public override int Check(Reporter reporter)
        {
            bool ok = _debug.CheckMemory();
            reporter.Begin().Append("[check] debug heap: ").Append(ok ? "ok" : "damaged (see above)").End();
            Records.Check(reporter, "debug", ok ? 0 : 1, ok ? null : "see the ERR records and text above");
            return ok ? 0 : 1;
        }
    }
}
