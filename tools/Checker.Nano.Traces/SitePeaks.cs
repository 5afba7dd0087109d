// Peak live bytes by allocation site, for a device trace (one whose allocations carry "# site:"
// notes): for each site, how many allocations it made, the most bytes it held live at once, and
// what it held at the moment the whole trace's live bytes peaked (the first time that peak was
// reached), so the sites that make the peak come first. A realloc moves a block to the realloc's
// site, as the debug heap records it.
using System;
using System.Collections.Generic;
using System.Linq;

namespace Checker.Nano.Traces
{
    /// <summary>One site's figures.</summary>
    public sealed class SitePeak
    {
        /// <summary>The site.</summary>
        public TraceSite Site { get; init; }

        /// <summary>Allocations (malloc, calloc, realloc) made at the site.</summary>
        public int Allocations { get; set; }

        /// <summary>The most bytes the site's blocks held live at once.</summary>
        public long PeakBytes { get; set; }

        /// <summary>The site's live bytes when the trace's live bytes peaked.</summary>
        public long BytesAtPeak { get; set; }

        /// <summary>The site's live blocks when the trace's live bytes peaked.</summary>
        public int BlocksAtPeak { get; set; }

        /// <summary>BytesAtPeak ÷ the trace's peak live bytes.</summary>
        public double Share { get; set; }
    }

    /// <summary>Computes <see cref="SitePeak"/>s.</summary>
    public static class SitePeaks
    {
        /// <summary>
        /// The trace's sites, those holding the most bytes at the trace's peak first (then by their
        /// own peak, then by location); empty when the trace has no sites. Allocations at no known
        /// site are gathered under a site "(unknown site)" (index 0).
        /// </summary>
        public static IReadOnlyList<SitePeak> Of(Trace trace)
        {
            ArgumentNullException.ThrowIfNull(trace);
            if (trace.EventSites == null)
            {
                return Array.Empty<SitePeak>();
            }

            var peaks = new SitePeak[trace.Sites.Count + 1];
            peaks[0] = new SitePeak { Site = new TraceSite(0, "-", "(unknown site)") };
            for (int i = 0; i < trace.Sites.Count; i++)
            {
                peaks[i + 1] = new SitePeak { Site = trace.Sites[i] };
            }

            var live = new long[peaks.Length];
            var blocks = new int[peaks.Length];
            var size = new long[trace.MaxId + 1];
            var siteOf = new int[trace.MaxId + 1];
            long total = 0, peak = -1;
            long[] atPeak = new long[peaks.Length];
            int[] blocksAtPeak = new int[peaks.Length];
            for (int i = 0; i < trace.Events.Length; i++)
            {
                TraceEvent e = trace.Events[i];
                int s = siteOf[e.Id];
                if (e.Op != TraceOp.Malloc && e.Op != TraceOp.Calloc)
                {
                    live[s] -= size[e.Id];
                    blocks[s]--;
                    total -= size[e.Id];
                    size[e.Id] = 0;
                }

                if (e.Op != TraceOp.Free)
                {
                    s = trace.EventSites[i];
                    siteOf[e.Id] = s;
                    size[e.Id] = e.Size;
                    live[s] += e.Size;
                    blocks[s]++;
                    total += e.Size;
                    peaks[s].Allocations++;
                    peaks[s].PeakBytes = Math.Max(peaks[s].PeakBytes, live[s]);
                }

                if (total > peak)
                {
                    peak = total;
                    Array.Copy(live, atPeak, live.Length);
                    Array.Copy(blocks, blocksAtPeak, blocks.Length);
                }
            }

            for (int s = 0; s < peaks.Length; s++)
            {
                peaks[s].BytesAtPeak = atPeak[s];
                peaks[s].BlocksAtPeak = blocksAtPeak[s];
                peaks[s].Share = peak <= 0 ? 0 : (double)atPeak[s] / peak;
            }

            return peaks.Where(p => p.Allocations > 0)
                .OrderByDescending(p => p.BytesAtPeak).ThenByDescending(p => p.PeakBytes).ThenBy(p => p.Site.Location, StringComparer.Ordinal)
                .ToList();
        }
    }
}
