// One dump as read from a log: the records between a BEGIN and its END, typed, with what is known
// about its completeness. A dump whose BEGIN was lost (records with d= and no BEGIN) or whose END
// never came (reset, cable pulled) is still a dump: its parts are what arrived, and Problem says
// what is missing.
using System.Collections.Generic;

namespace Checker.Nano.Dumps
{
    /// <summary>A dump (BEGIN .. END) read from a log.</summary>
    public sealed class Dump
    {
        internal Dump(int index, int number, int session)
        {
            Index = index;
            Number = number;
            Session = session;
        }

        /// <summary>1-based position among the dumps of the log (what --from/--to count).</summary>
        public int Index { get; }

        /// <summary>The board's dump number d.</summary>
        public int Number { get; }

        /// <summary>1-based firmware run (a HELLO or n restarting makes a new one).</summary>
        public int Session { get; }

        /// <summary>The trigger (call, timer, low, cmd-D...), null when BEGIN was lost.</summary>
        public string Why { get; internal set; }

        /// <summary>The firmware's clock at BEGIN, ms.</summary>
        public long? TimeMs { get; internal set; }

        /// <summary>The protocol revision in BEGIN.</summary>
        public int? Rev { get; internal set; }

        /// <summary>Whether BEGIN was received.</summary>
        public bool HasBegin { get; internal set; }

        /// <summary>Whether END was received.</summary>
        public bool HasEnd { get; internal set; }

        /// <summary>END's count: records between BEGIN and END.</summary>
        public int? ExpectedCount { get; internal set; }

        /// <summary>Records received between BEGIN and END (valid or not: a record dropped for a bad field still arrived).</summary>
        public int ReceivedCount { get; internal set; }

        /// <summary>First and last log lines of the dump.</summary>
        public int FirstLine { get; internal set; }

        /// <summary>Last log line of the dump.</summary>
        public int LastLine { get; internal set; }

        /// <summary>Whether BEGIN and END arrived and END's count matches.</summary>
        public bool Complete => HasBegin && HasEnd && ExpectedCount == ReceivedCount;

        /// <summary>What is wrong with the dump, null when complete.</summary>
        public string Problem
        {
            get
            {
                if (!HasBegin)
                {
                    return "BEGIN lost";
                }

                if (!HasEnd)
                {
                    return Unfinished ?? "no END (board reset or log cut)";
                }

                if (ExpectedCount != ReceivedCount)
                {
                    return $"{ExpectedCount - ReceivedCount} of {ExpectedCount} records lost";
                }

                return null;
            }
        }

        internal string Unfinished { get; set; }

        /// <summary>The base heap's statistics.</summary>
        public HeapStat Stat { get; internal set; }

        /// <summary>OBJS.</summary>
        public Objects Objects { get; internal set; }

        /// <summary>FRGS, smallest first.</summary>
        public List<FragmentSize> FragmentSizes { get; } = new List<FragmentSize>();

        /// <summary>HOLES.</summary>
        public Holes Holes { get; internal set; }

        /// <summary>FRAG.</summary>
        public FragFigure Fragmentation { get; internal set; }

        /// <summary>TYPE records.</summary>
        public List<TypeCount> Types { get; } = new List<TypeCount>();

        /// <summary>PEAK.</summary>
        public Peak Peak { get; internal set; }

        /// <summary>LEAK records, in wire order.</summary>
        public List<Leak> Leaks { get; } = new List<Leak>();

        /// <summary>GARB records.</summary>
        public List<GarbageFamily> Garbage { get; } = new List<GarbageFamily>();

        /// <summary>RTMEM records.</summary>
        public List<RuntimeRecord> Runtime { get; } = new List<RuntimeRecord>();

        /// <summary>ERR records inside the dump.</summary>
        public List<HeapErrorReport> Errors { get; } = new List<HeapErrorReport>();

        /// <summary>MAP records (rev 2: the heapinfo table), null when the dump has none (a rev 1 firmware, or an L dump).</summary>
        public MapRecords Map { get; internal set; }

        /// <summary>The heap tracer's TRACE record heading a trace dump (rev 4: what=ring or leaks), or its status in a full dump; null when none.</summary>
        public CnRecord TraceHead { get; internal set; }

        /// <summary>The T records of a trace dump (rev 4), in wire order.</summary>
        public List<CnRecord> TraceEvents { get; } = new List<CnRecord>();

        /// <summary>The file names the dump's T records gave, by their fi.</summary>
        public Dictionary<int, string> TraceFiles { get; } = new Dictionary<int, string>();

        /// <summary>Whether this is a leaks-mode trace dump: its Leaks are the tracer's live allocations (Request = the event number e).</summary>
        public bool IsTraceLeaks => TraceHead?.Text("what") == "leaks";

        /// <summary>Every record of the dump, BEGIN and END included.</summary>
        public List<CnRecord> Records { get; } = new List<CnRecord>();

        /// <summary>Whether the dump carries the debug heap's part (TYPE/PEAK/LEAK).</summary>
        public bool HasLeakSection => Types.Count > 0 || Peak != null || Leaks.Count > 0 || IsTraceLeaks;

        /// <summary>"dump 3 (d=2, timer at 10.000 s)".</summary>
        public string Title
        {
            get
            {
                string s = $"dump {Index} (d={Number}";
                if (Why != null)
                {
                    s += ", " + Why;
                }

                if (TimeMs.HasValue)
                {
                    s += $" at {TimeMs.Value / 1000}.{TimeMs.Value % 1000:D3} s";
                }

                return s + ")";
            }
        }

        /// <inheritdoc/>
        public override string ToString() => Title;
    }
}
