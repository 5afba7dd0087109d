// Writes "checker-nano trace v1" (the traces README's format): the two header lines, notes, the
// allocation sites of a device trace ("# site: <n> <type> <file>:<line>") and the events, each
// allocation preceded by "# @<n>" when its site is not the one of the allocation before it. The
// source line ends with the figures the reader checks (events, peak live bytes and blocks),
// computed here from the events; TraceReader reads the result back (and so checks it).
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Checker.Nano.Traces
{
    /// <summary>Builds the text of a trace, event by event.</summary>
    public sealed class TraceWriter
    {
        private readonly List<string> _notes = new List<string>();
        private readonly List<TraceSite> _sites = new List<TraceSite>();
        private readonly Dictionary<(string, string), int> _siteIndex = new Dictionary<(string, string), int>();
        private readonly List<(TraceOp Op, int Id, int Count, int Size, int Site)> _events = new List<(TraceOp, int, int, int, int)>();
        private readonly Dictionary<int, long> _live = new Dictionary<int, long>();
        private long _liveBytes, _peak;
        private int _peakBlocks;

        /// <summary>Events so far.</summary>
        public int Count => _events.Count;

        /// <summary>The next new id (ids run 1, 2, ... in order of allocation).</summary>
        public int NextId { get; private set; } = 1;

        /// <summary>The peak live bytes so far (calloc counts count * size).</summary>
        public long PeakLiveBytes => _peak;

        /// <summary>Blocks live when the peak was first reached.</summary>
        public int PeakLiveBlocks => _peakBlocks;

        /// <summary>Sites so far.</summary>
        public IReadOnlyList<TraceSite> Sites => _sites;

        /// <summary>Whether <paramref name="id"/> is live.</summary>
        public bool IsLive(int id) => _live.ContainsKey(id);

        /// <summary>A "# note: " line.</summary>
        public void Note(string note) => _notes.Add(note);

        /// <summary>The site's number (1..), added on first sight; <paramref name="type"/> "Normal", "Client/1" or "-".</summary>
        public int Site(string type, string location)
        {
            if (!_siteIndex.TryGetValue((type, location), out int n))
            {
                n = _sites.Count + 1;
                _sites.Add(new TraceSite(n, type, location));
                _siteIndex.Add((type, location), n);
            }

            return n;
        }

        /// <summary>malloc (count 1) or calloc of a new id; returns the id.</summary>
        public int Allocate(int count, int size, bool calloc, int site)
        {
            int id = NextId++;
            _events.Add((calloc ? TraceOp.Calloc : TraceOp.Malloc, id, count, size, site));
            Live(id, (long)count * size);
            return id;
        }

        /// <summary>realloc of a live id to <paramref name="size"/> bytes (above 0).</summary>
        public void Realloc(int id, int size, int site)
        {
            _events.Add((TraceOp.Realloc, id, 1, size, site));
            Live(id, size);
        }

        /// <summary>free of a live id.</summary>
        public void Free(int id)
        {
            _events.Add((TraceOp.Free, id, 0, 0, 0));
            _liveBytes -= _live[id];
            _live.Remove(id);
        }

        private void Live(int id, long bytes)
        {
            _live.TryGetValue(id, out long before);
            _live[id] = bytes;
            _liveBytes += bytes - before;
            if (_liveBytes > _peak)
            {
                _peak = _liveBytes;
                _peakBlocks = _live.Count;
            }
        }

        /// <summary>The trace's text; <paramref name="source"/> is what line 2 says before the figures.</summary>
        public string ToText(string source)
        {
            var sb = new StringBuilder();
            sb.Append(TraceReader.Magic).Append('\n');
            sb.Append(TraceReader.SourcePrefix).Append(source)
                .Append(string.Create(CultureInfo.InvariantCulture, $", {_events.Count} events, peak live {_peak} bytes in {_peakBlocks} blocks")).Append('\n');
            foreach (string n in _notes)
            {
                sb.Append(TraceReader.NotePrefix).Append(n).Append('\n');
            }

            foreach (TraceSite s in _sites)
            {
                sb.Append(TraceReader.SitePrefix).Append(s.Index.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(s.Type).Append(' ').Append(s.Location).Append('\n');
            }

            int current = 0;
            foreach ((TraceOp op, int id, int count, int size, int site) in _events)
            {
                if (op != TraceOp.Free && _sites.Count > 0 && site != current)
                {
                    sb.Append(TraceReader.AtPrefix).Append(site.ToString(CultureInfo.InvariantCulture)).Append('\n');
                    current = site;
                }

                sb.Append(new TraceEvent(op, id, count, size, 0).ToString()).Append('\n');
            }

            return sb.ToString();
        }
    }
}
