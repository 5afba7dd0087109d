// Leak summaries: the LEAK records of one or more dumps (or the T records of a heap tracer's
// leaks-mode dump, which the log reader lists as leaks) grouped by allocation site (file:line),
// block type and client subtype, with counts, bytes and each group's share of the bytes, sorted
// by bytes (then count, then site) so the biggest leaker comes first. Checker's lost garbage
// families (GARB kind=lost, or a rev 0 GARB) are grouped the same way, by site; potential leaks
// (kind=maybe) and in-use families are not garbage and are left out.
using System;
using System.Collections.Generic;
using System.Linq;

namespace Checker.Nano.Dumps
{
    /// <summary>One group of a leak summary.</summary>
    public sealed class LeakGroup
    {
        /// <summary>"file:line" or "(unknown site)".</summary>
        public string Site { get; init; }

        /// <summary>The file, null when unknown.</summary>
        public string File { get; init; }

        /// <summary>The line, null when unknown.</summary>
        public int? Line { get; init; }

        /// <summary>Block type number.</summary>
        public int Type { get; init; }

        /// <summary>Client subtype, when any.</summary>
        public int? Sub { get; init; }

        /// <summary>"Normal", "Client/1".</summary>
        public string TypeName => BlockTypes.Name(Type, Sub);

        /// <summary>Blocks.</summary>
        public int Count { get; set; }

        /// <summary>Bytes asked for.</summary>
        public long Bytes { get; set; }

        /// <summary>Share of all leaked bytes, 0..1.</summary>
        public double Share { get; set; }

        /// <summary>Smallest request number in the group.</summary>
        public int FirstRequest { get; set; } = int.MaxValue;

        /// <summary>Largest request number in the group.</summary>
        public int LastRequest { get; set; }
    }

    /// <summary>A leak summary over some dumps.</summary>
    public sealed class LeakSummary
    {
        /// <summary>The dumps it was made from, "log: dump title".</summary>
        public List<string> Sources { get; } = new List<string>();

        /// <summary>Groups, sorted by bytes, count, site.</summary>
        public List<LeakGroup> Groups { get; } = new List<LeakGroup>();

        /// <summary>Lost garbage families by site (Checker), sorted like Groups (Type = -1).</summary>
        public List<LeakGroup> Garbage { get; } = new List<LeakGroup>();

        /// <summary>Leaked blocks in all.</summary>
        public int Count => Groups.Sum(g => g.Count);

        /// <summary>Leaked bytes in all.</summary>
        public long Bytes => Groups.Sum(g => g.Bytes);

        /// <summary>Dumps that had no leak section (the debug heap was not in use, or the dump was cut before it).</summary>
        public int DumpsWithoutLeakSection { get; set; }

        /// <summary>Whether any source dump was incomplete (its leak list may be short).</summary>
        public bool Incomplete { get; set; }

        /// <summary>Whether the sources are heap-trace leaks dumps (rev 4): the numbers are event numbers (e), not request numbers.</summary>
        public bool EventNumbers { get; set; }

        /// <summary>Groups the LEAK and GARB records of <paramref name="dumps"/> (each named by its log).</summary>
        public static LeakSummary Of(IEnumerable<(string Log, Dump Dump)> dumps)
        {
            var s = new LeakSummary();
            var groups = new Dictionary<(string, int, int?), LeakGroup>();
            var garbage = new Dictionary<string, LeakGroup>();
            foreach ((string log, Dump d) in dumps)
            {
                s.Sources.Add(log == null ? d.Title : log + ": " + d.Title);
                if (!d.HasLeakSection && d.Garbage.Count == 0)
                {
                    s.DumpsWithoutLeakSection++;
                }

                if (!d.Complete)
                {
                    s.Incomplete = true;
                }

                s.EventNumbers |= d.IsTraceLeaks;

                foreach (Leak l in d.Leaks)
                {
                    var key = (l.Site, l.Type, l.Sub);
                    if (!groups.TryGetValue(key, out LeakGroup g))
                    {
                        g = new LeakGroup { Site = l.Site, File = l.File, Line = l.SourceLine, Type = l.Type, Sub = l.Sub };
                        groups.Add(key, g);
                    }

                    g.Count++;
                    g.Bytes += l.Size;
                    g.FirstRequest = Math.Min(g.FirstRequest, l.Request);
                    g.LastRequest = Math.Max(g.LastRequest, l.Request);
                }

                foreach (GarbageFamily f in d.Garbage.Where(f => f.IsLost))
                {
                    if (!garbage.TryGetValue(f.Site, out LeakGroup g))
                    {
                        g = new LeakGroup { Site = f.Site, File = f.File, Line = f.SourceLine, Type = -1, FirstRequest = 0 };
                        garbage.Add(f.Site, g);
                    }

                    g.Count += f.Count;
                    g.Bytes += f.Bytes;
                }
            }

            s.Groups.AddRange(Sort(groups.Values));
            s.Garbage.AddRange(Sort(garbage.Values));
            return s;
        }

        private static IEnumerable<LeakGroup> Sort(IEnumerable<LeakGroup> groups)
        {
            List<LeakGroup> list = groups.OrderByDescending(g => g.Bytes).ThenByDescending(g => g.Count)
                .ThenBy(g => g.Site, StringComparer.Ordinal).ThenBy(g => g.Type).ThenBy(g => g.Sub ?? -1).ToList();
            long total = list.Sum(g => g.Bytes);
            foreach (LeakGroup g in list)
            {
                g.Share = total == 0 ? 0 : (double)g.Bytes / total;
            }

            return list;
        }
    }
}
