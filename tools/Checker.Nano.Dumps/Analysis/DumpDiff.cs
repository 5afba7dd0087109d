// What changed between two dumps (two checkpoints): leaks by request number (a request number
// names one allocation for the life of a firmware run), per site the blocks and bytes added and
// removed, and the base heap's figures before and after. Comparing dumps of two different runs
// (the board restarted between them) is allowed but flagged: request numbers start again.
using System;
using System.Collections.Generic;
using System.Linq;

namespace Checker.Nano.Dumps
{
    /// <summary>A site's change between two dumps.</summary>
    public sealed class SiteChange
    {
        public string Site { get; init; }
        public int Type { get; init; }
        public int? Sub { get; init; }
        public string TypeName => BlockTypes.Name(Type, Sub);
        public int CountBefore { get; set; }
        public int CountAfter { get; set; }
        public long BytesBefore { get; set; }
        public long BytesAfter { get; set; }
        public int CountDelta => CountAfter - CountBefore;
        public long BytesDelta => BytesAfter - BytesBefore;

        /// <summary>new (no block before), gone (none after), grown, shrunk or same.</summary>
        public string Change => CountBefore == 0 ? "new" : CountAfter == 0 ? "gone" : BytesDelta > 0 ? "grown" : BytesDelta < 0 ? "shrunk" : "same";
    }

    /// <summary>One figure before and after.</summary>
    public readonly record struct FigureChange(string Name, long? Before, long? After)
    {
        public long? Delta => Before.HasValue && After.HasValue ? After - Before : null;
    }

    /// <summary>The difference between two dumps.</summary>
    public sealed class DumpDiff
    {
        public Dump From { get; init; }
        public Dump To { get; init; }

        /// <summary>Whether the two dumps come from different firmware runs (request numbers restart).</summary>
        public bool DifferentRuns => From.Session != To.Session;

        /// <summary>Blocks live in To and not in From (by request number).</summary>
        public List<Leak> NewLeaks { get; } = new List<Leak>();

        /// <summary>Blocks live in From and freed by To.</summary>
        public List<Leak> Freed { get; } = new List<Leak>();

        /// <summary>Per site, sorted by bytes delta (largest growth first); unchanged sites left out.</summary>
        public List<SiteChange> Sites { get; } = new List<SiteChange>();

        /// <summary>Sites whose bytes grew (new or grown).</summary>
        public IEnumerable<SiteChange> Grown => Sites.Where(s => s.BytesDelta > 0);

        /// <summary>The base heap's and debug heap's figures before and after.</summary>
        public List<FigureChange> Figures { get; } = new List<FigureChange>();

        /// <summary>Compares <paramref name="from"/> with <paramref name="to"/>.</summary>
        public static DumpDiff Of(Dump from, Dump to)
        {
            ArgumentNullException.ThrowIfNull(from);
            ArgumentNullException.ThrowIfNull(to);
            var diff = new DumpDiff { From = from, To = to };
            var before = from.Leaks.GroupBy(l => l.Request).ToDictionary(g => g.Key, g => g.First());
            var after = to.Leaks.GroupBy(l => l.Request).ToDictionary(g => g.Key, g => g.First());
            diff.NewLeaks.AddRange(to.Leaks.Where(l => !before.ContainsKey(l.Request)).OrderBy(l => l.Request));
            diff.Freed.AddRange(from.Leaks.Where(l => !after.ContainsKey(l.Request)).OrderBy(l => l.Request));

            var sites = new Dictionary<(string, int, int?), SiteChange>();
            SiteChange Site(Leak l)
            {
                var key = (l.Site, l.Type, l.Sub);
                if (!sites.TryGetValue(key, out SiteChange s))
                {
                    s = new SiteChange { Site = l.Site, Type = l.Type, Sub = l.Sub };
                    sites.Add(key, s);
                }

                return s;
            }

            foreach (Leak l in from.Leaks)
            {
                SiteChange s = Site(l);
                s.CountBefore++;
                s.BytesBefore += l.Size;
            }

            foreach (Leak l in to.Leaks)
            {
                SiteChange s = Site(l);
                s.CountAfter++;
                s.BytesAfter += l.Size;
            }

            diff.Sites.AddRange(sites.Values.Where(s => s.CountDelta != 0 || s.BytesDelta != 0)
                .OrderByDescending(s => s.BytesDelta).ThenBy(s => s.Site, StringComparer.Ordinal).ThenBy(s => s.Type));

            diff.Figures.Add(new FigureChange("leaked blocks", from.HasLeakSection ? from.Leaks.Count : null, to.HasLeakSection ? to.Leaks.Count : null));
            diff.Figures.Add(new FigureChange("leaked bytes", from.HasLeakSection ? from.Leaks.Sum(l => (long)l.Size) : null, to.HasLeakSection ? to.Leaks.Sum(l => (long)l.Size) : null));
            diff.Figures.Add(new FigureChange("heap bytes", from.Stat?.BytesTotal, to.Stat?.BytesTotal));
            diff.Figures.Add(new FigureChange("used bytes", from.Stat?.BytesUsed, to.Stat?.BytesUsed));
            diff.Figures.Add(new FigureChange("used chunks", from.Stat?.ChunksUsed, to.Stat?.ChunksUsed));
            diff.Figures.Add(new FigureChange("free bytes", from.Stat?.BytesFree, to.Stat?.BytesFree));
            diff.Figures.Add(new FigureChange("largest request that fits", from.Fragmentation?.LargestBytes, to.Fragmentation?.LargestBytes));
            diff.Figures.Add(new FigureChange("fragmentation (per mille)", from.Fragmentation?.PerMille, to.Fragmentation?.PerMille));
            diff.Figures.Add(new FigureChange("high-water bytes", from.Peak?.Max, to.Peak?.Max));
            diff.Figures.Add(new FigureChange("allocations", from.Peak?.Allocs, to.Peak?.Allocs));
            return diff;
        }
    }
}
