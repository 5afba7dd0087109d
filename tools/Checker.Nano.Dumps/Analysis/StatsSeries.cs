// The runtime memory figures over time: one point per dump (with a base-heap part), in log order,
// each carrying the firmware clock, the trigger, the base heap's figures, the debug heap's peak
// and leak totals, and every RTMEM figure by kind.
using System.Collections.Generic;
using System.Linq;

namespace Checker.Nano.Dumps
{
    /// <summary>One dump's figures.</summary>
    public sealed class StatsPoint
    {
        public Dump Dump { get; init; }
        public long? TimeMs => Dump.TimeMs;
        public HeapStat Stat => Dump.Stat;
        public FragFigure Fragmentation => Dump.Fragmentation;
        public long? PeakBytes => Dump.Peak?.Max;
        public int? LeakCount => Dump.HasLeakSection ? Dump.Leaks.Count : null;
        public long? LeakBytes => Dump.HasLeakSection ? Dump.Leaks.Sum(l => (long)l.Size) : null;

        /// <summary>The RTMEM figure of <paramref name="kind"/>, or null.</summary>
        public RuntimeRecord Runtime(string kind) => Dump.Runtime.FirstOrDefault(r => r.Kind == kind);
    }

    /// <summary>The figures of every dump of a log.</summary>
    public sealed class StatsSeries
    {
        public List<StatsPoint> Points { get; } = new List<StatsPoint>();

        /// <summary>The RTMEM kinds seen, in first-seen order.</summary>
        public List<string> RuntimeKinds { get; } = new List<string>();

        /// <summary>The series of <paramref name="log"/>'s dumps.</summary>
        public static StatsSeries Of(ParsedLog log)
        {
            var s = new StatsSeries();
            foreach (Dump d in log.Dumps)
            {
                if (d.Stat == null && d.Runtime.Count == 0 && d.Peak == null)
                {
                    continue;
                }

                s.Points.Add(new StatsPoint { Dump = d });
                foreach (RuntimeRecord f in d.Runtime)
                {
                    if (!s.RuntimeKinds.Contains(f.Kind))
                    {
                        s.RuntimeKinds.Add(f.Kind);
                    }
                }
            }

            return s;
        }
    }
}
