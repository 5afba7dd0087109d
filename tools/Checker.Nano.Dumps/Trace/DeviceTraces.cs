// A firmware's heap traces, read back from a log (PROTOCOL.md, "Heap tracing", rev 4), and turned
// into "checker-nano trace v1" files that replay and map take like any other trace.
//
// Finding the traces. The log's records are walked in order: a TRACE what=start begins a trace,
// which takes every T record (stream mode, outside dumps; or listed by the ring's and the leaks
// table's dumps) until the next start, a restart of the firmware (a new run: n back to 1 or a
// HELLO n=1) or the end of the log. TRACE what=stop does not end it (a ring or a leaks table is
// dumped after the stop). T records with no start before them make a trace of their own (its
// start record was lost); so do stream records whose event number e goes back (the next trace's
// start was lost). Events are kept by e: a ring dump that lists an event again (the same e, the
// same fields) is a duplicate; different fields under one e are a conflict, counted, the first
// kept.
//
// Converting. Ids are assigned in order of allocation; an offset maps to the id live there. What
// cannot be read as it happened is counted and said, and some of it makes the trace refused
// (unreplayable) unless the caller keeps going:
//  - an allocation that found no room on the device (p=0): left out (the trace format has no
//    failures), counted;
//  - a free (or realloc) of an offset never seen allocated, with no gap in e before it: the block
//    was allocated before the trace's first event (tracing started late, or a ring's oldest
//    events were overwritten): left out (a realloc becomes a malloc), counted;
//  - the same after a gap in e: its allocation was lost on the way; the trace cannot pair it:
//    refused; kept going, the free is dropped (a realloc becomes a malloc);
//  - an allocation at an offset the trace believes live: the free of the block there was lost:
//    refused; kept going, that block's free is inferred just before;
//  - memalign: written as malloc of its size (the format has no memalign), counted.
// Events lost to gaps leave the trace short (their blocks are missing from its peak): said, with
// the ranges of e, but not refused; a strict caller fails on them.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Checker.Nano.Traces;

namespace Checker.Nano.Dumps
{
    /// <summary>One T record: a traced malloc, calloc, realloc, memalign or free.</summary>
    public sealed class DeviceTraceEvent
    {
        /// <summary>The event's number since the tracer started (e).</summary>
        public int E { get; init; }

        /// <summary>a, c, r, f or m.</summary>
        public char Op { get; init; }

        /// <summary>The offset handed out (0: no room) or freed.</summary>
        public int P { get; init; }

        /// <summary>Bytes asked (calloc: per element; realloc: the new size); 0 for free.</summary>
        public int S { get; init; }

        /// <summary>calloc's count (1 otherwise).</summary>
        public int K { get; init; } = 1;

        /// <summary>realloc's old offset.</summary>
        public int Q { get; init; }

        /// <summary>The firmware's clock, ms.</summary>
        public long? TimeMs { get; init; }

        /// <summary>Block type and subtype (the debug heap and Checker).</summary>
        public int? Type { get; init; }

        /// <summary>Client subtype.</summary>
        public int? Sub { get; init; }

        /// <summary>The caller's file index in the trace.</summary>
        public int? Fi { get; init; }

        /// <summary>The caller's line.</summary>
        public int? SourceLine { get; init; }

        /// <summary>The log line it was read from.</summary>
        public int LogLine { get; init; }

        /// <summary>Whether two records of one e say the same thing.</summary>
        public bool SameAs(DeviceTraceEvent o) => Op == o.Op && P == o.P && S == o.S && K == o.K && Q == o.Q;
    }

    /// <summary>One recording of a log: from a tracer's start to the next start, a restart or the log's end.</summary>
    public sealed class DeviceTrace
    {
        /// <summary>1-based position among the log's traces.</summary>
        public int Index { get; internal set; }

        /// <summary>The firmware run (1-based).</summary>
        public int Session { get; internal set; }

        /// <summary>stream, ring or leaks (null when no record said).</summary>
        public string Mode { get; internal set; }

        /// <summary>base, debug or checker.</summary>
        public string Layer { get; internal set; }

        /// <summary>seed or compact.</summary>
        public string Policy { get; internal set; }

        /// <summary>HEAP from the start record (or a dump head).</summary>
        public int? Heap { get; internal set; }

        /// <summary>BLOCKSIZE from the start record (or a dump head).</summary>
        public int? BlockSize { get; internal set; }

        /// <summary>The board and the app, from the run's HELLO.</summary>
        public string Board { get; internal set; }

        /// <summary>The app, from the run's HELLO.</summary>
        public string App { get; internal set; }

        /// <summary>Whether the start record arrived.</summary>
        public bool HasStart { get; internal set; }

        /// <summary>Whether a stop record arrived.</summary>
        public bool HasStop { get; internal set; }

        /// <summary>The events the tracer counted, by its stop record or its last dump head.</summary>
        public int? DeviceEvents { get; internal set; }

        /// <summary>Ring: events overwritten before any dump listed them (the device's count).</summary>
        public long DeviceLost { get; internal set; }

        /// <summary>Leaks: allocations the full table could not keep.</summary>
        public long Missed { get; internal set; }

        /// <summary>The events received, by e.</summary>
        public SortedDictionary<int, DeviceTraceEvent> Events { get; } = new SortedDictionary<int, DeviceTraceEvent>();

        /// <summary>File names by fi.</summary>
        public Dictionary<int, string> Files { get; } = new Dictionary<int, string>();

        /// <summary>Events listed again (ring dumps on command), same fields.</summary>
        public int Duplicates { get; internal set; }

        /// <summary>Events listed again with different fields (the first kept).</summary>
        public int Conflicts { get; internal set; }

        /// <summary>T records without a field a trace needs.</summary>
        public List<string> BadRecords { get; } = new List<string>();

        /// <summary>First and last log lines of the trace.</summary>
        public int FirstLine { get; internal set; }

        /// <summary>Last log line.</summary>
        public int LastLine { get; internal set; }

        /// <summary>What ended it: "stop", "a restart of the firmware at line N", "the next start at line N", "the end of the log".</summary>
        public string EndedBy { get; internal set; }

        /// <summary>Whether a restart of the firmware cut it (no stop before).</summary>
        public bool CutByRestart { get; internal set; }

        /// <summary>The highest event number known: received, or counted by the device.</summary>
        public int LastEvent => Math.Max(Events.Count == 0 ? 0 : Events.Keys.Max(), DeviceEvents ?? 0);

        /// <summary>The ranges of e in 1..LastEvent that never arrived.</summary>
        public List<(int From, int To)> Gaps()
        {
            var gaps = new List<(int, int)>();
            int next = 1;
            foreach (int e in Events.Keys)
            {
                if (e > next)
                {
                    gaps.Add((next, e - 1));
                }

                next = e + 1;
            }

            if (LastEvent >= next)
            {
                gaps.Add((next, LastEvent));
            }

            return gaps;
        }

        /// <summary>Events missing (the sum of the gaps).</summary>
        public int MissingEvents => Gaps().Sum(g => g.To - g.From + 1);

        /// <summary>"trace 1: run 1, stream mode, layer checker over the seed policy (HEAP 65536, BLOCKSIZE 4096), log lines 3-812, 523 event(s) received (e=1..523), ended by stop".</summary>
        public string Describe()
        {
            string s = $"trace {Index}: run {Session}, {Mode ?? "unknown"} mode, layer {Layer ?? "?"} over the {Policy ?? "?"} policy";
            if (Heap.HasValue || BlockSize.HasValue)
            {
                s += $" (HEAP {Heap?.ToString(CultureInfo.InvariantCulture) ?? "?"}, BLOCKSIZE {BlockSize?.ToString(CultureInfo.InvariantCulture) ?? "?"})";
            }

            s += $", log lines {FirstLine}-{LastLine}, {Events.Count} event(s) received";
            if (Events.Count > 0)
            {
                s += $" (e={Events.Keys.First()}..{Events.Keys.Last()})";
            }

            if (!HasStart)
            {
                s += ", its start record lost";
            }

            return s + ", ended by " + EndedBy;
        }
    }

    /// <summary>A device trace converted: the trace file's text, or why it was refused.</summary>
    public sealed class TraceConversion
    {
        /// <summary>The trace converted.</summary>
        public DeviceTrace Source { get; init; }

        /// <summary>The trace v1 text; null when refused.</summary>
        public string Text { get; internal set; }

        /// <summary>The text read back (its figures); null when refused.</summary>
        public Trace Trace { get; internal set; }

        /// <summary>Why the trace cannot be replayed as it came (each with its e); empty when it can.</summary>
        public List<string> Problems { get; } = new List<string>();

        /// <summary>Whether it was refused (problems, and the caller did not keep going).</summary>
        public bool Refused => Text == null;

        /// <summary>The notes written into the trace (also what the tool says it skipped).</summary>
        public List<string> Notes { get; } = new List<string>();

        /// <summary>Allocations that found no room on the device (left out).</summary>
        public int Failed { get; internal set; }

        /// <summary>Frees of blocks allocated before the trace's first event (left out).</summary>
        public int FreesBeforeTrace { get; internal set; }

        /// <summary>Reallocs of blocks allocated before the trace's first event (written as mallocs).</summary>
        public int ReallocsBeforeTrace { get; internal set; }

        /// <summary>Kept going: frees inferred where an offset was handed out again.</summary>
        public int InferredFrees { get; internal set; }

        /// <summary>Kept going: frees of blocks whose allocation was lost (dropped).</summary>
        public int DroppedFrees { get; internal set; }

        /// <summary>Kept going: reallocs of blocks whose allocation was lost (written as mallocs).</summary>
        public int ReallocsAsMallocs { get; internal set; }

        /// <summary>memaligns written as mallocs.</summary>
        public int Memaligns { get; internal set; }

        /// <summary>Events lost on the way (gaps in e).</summary>
        public int Lost { get; internal set; }

        /// <summary>Whether anything was lost, skipped or repaired: the trace is not the device's whole story.</summary>
        /// (Allocations that failed on the device, and frees of blocks allocated before a trace started
        /// late, are what happened: they do not make it incomplete.)
        public bool Incomplete => Lost > 0 || Problems.Count > 0 || Source.CutByRestart || Source.Conflicts > 0 || Source.BadRecords.Count > 0;
    }

    /// <summary>Finds and converts the heap traces of a log.</summary>
    public static class DeviceTraces
    {
        /// <summary>The traces of <paramref name="log"/>, in log order.</summary>
        public static List<DeviceTrace> Find(ParsedLog log)
        {
            ArgumentNullException.ThrowIfNull(log);
            var traces = new List<DeviceTrace>();
            var hellos = new Dictionary<int, (string Board, string App)>();
            DeviceTrace cur = null;
            int session = 0;
            int lastStreamE = 0;

            DeviceTrace Open(CnRecord r, bool start)
            {
                var t = new DeviceTrace { Index = traces.Count + 1, Session = r.Session, HasStart = start, FirstLine = r.Line, LastLine = r.Line };
                if (hellos.TryGetValue(r.Session, out var h))
                {
                    t.Board = h.Board;
                    t.App = h.App;
                }

                traces.Add(t);
                lastStreamE = 0;
                return t;
            }

            foreach (CnRecord r in log.Records)
            {
                if (r.Session != session)
                {
                    if (cur != null && session != 0)
                    {
                        cur.EndedBy = cur.HasStop ? "stop" : $"a restart of the firmware at line {r.Line}";
                        cur.CutByRestart = !cur.HasStop;
                    }

                    cur = null;
                    session = r.Session;
                }

                if (r.Type == "HELLO")
                {
                    hellos[r.Session] = (r.Text("board"), r.Text("app"));
                    if (cur != null && cur.Board == null)
                    {
                        cur.Board = r.Text("board");
                        cur.App = r.Text("app");
                    }

                    continue;
                }

                if (r.Type == "TRACE")
                {
                    string what = r.Text("what");
                    if (what == "status")
                    {
                        continue;
                    }

                    if (what == "start")
                    {
                        if (cur != null)
                        {
                            cur.EndedBy = cur.HasStop ? "stop" : $"the next start at line {r.Line}";
                        }

                        cur = Open(r, true);
                    }
                    else
                    {
                        cur ??= Open(r, false);
                    }

                    cur.LastLine = r.Line;
                    cur.Mode = r.Text("mode") ?? cur.Mode;
                    cur.Layer = r.Text("layer") ?? cur.Layer;
                    cur.Policy = r.Text("policy") ?? cur.Policy;
                    cur.Heap = r.Int32("heap") ?? cur.Heap;
                    cur.BlockSize = r.Int32("bs") ?? cur.BlockSize;
                    if (r.Int32("events") is int events)
                    {
                        cur.DeviceEvents = Math.Max(cur.DeviceEvents ?? 0, events);
                    }

                    cur.DeviceLost = Math.Max(cur.DeviceLost, r.Int("lost") ?? 0);
                    cur.Missed = Math.Max(cur.Missed, r.Int("missed") ?? 0);
                    if (what == "stop")
                    {
                        cur.HasStop = true;
                        cur.EndedBy = "stop";
                    }

                    continue;
                }

                if (r.Type != "T")
                {
                    continue;
                }

                DeviceTraceEvent e = Parse(r, out string bad);
                if (cur == null || (!r.D.HasValue && e != null && e.E <= lastStreamE))
                {
                    if (cur != null)
                    {
                        cur.EndedBy = cur.HasStop ? "stop" : $"event numbers going back at line {r.Line} (the next start record lost)";
                    }

                    cur = Open(r, false);
                    cur.Mode ??= r.D.HasValue ? null : "stream";
                }

                cur.LastLine = r.Line;
                if (r.Int32("fi") is int fi && r.Text("file") is string file)
                {
                    cur.Files[fi] = file;
                }

                if (e == null)
                {
                    cur.BadRecords.Add($"line {r.Line}: {bad}");
                    continue;
                }

                if (!r.D.HasValue)
                {
                    lastStreamE = e.E;
                }

                if (cur.Events.TryGetValue(e.E, out DeviceTraceEvent had))
                {
                    if (had.SameAs(e))
                    {
                        cur.Duplicates++;
                    }
                    else
                    {
                        cur.Conflicts++;
                    }

                    continue;
                }

                cur.Events.Add(e.E, e);
            }

            foreach (DeviceTrace t in traces)
            {
                t.EndedBy ??= "the end of the log";
            }

            return traces;
        }

        private static DeviceTraceEvent Parse(CnRecord r, out string bad)
        {
            bad = null;
            int? e = r.Int32("e"), p = r.Int32("p"), s = r.Int32("s");
            string op = r.Text("op");
            if (e == null || e < 1 || p == null || p < 0 || op == null || op.Length != 1 || "acrfm".IndexOf(op[0]) < 0)
            {
                bad = "a T record needs e (from 1), op (a, c, r, f or m) and p";
                return null;
            }

            char o = op[0];
            int? k = r.Int32("k"), q = r.Int32("q");
            if (o != 'f' && (s == null || s < 0))
            {
                bad = $"T op={o} needs s";
                return null;
            }

            if ((o == 'c' && (k == null || k < 0)) || (o == 'r' && (q == null || q <= 0)))
            {
                bad = o == 'c' ? "T op=c needs k" : "T op=r needs q";
                return null;
            }

            if (o == 'c' && (long)k.Value * s.Value > int.MaxValue)
            {
                bad = "T op=c: k * s does not fit a 32-bit size";
                return null;
            }

            return new DeviceTraceEvent
            {
                E = e.Value, Op = o, P = p.Value, S = s ?? 0, K = o == 'c' ? k.Value : 1, Q = q ?? 0, TimeMs = r.Int("t"),
                Type = r.Int32("ty"), Sub = r.Int32("sub"), Fi = r.Int32("fi"), SourceLine = r.Int32("l"), LogLine = r.Line,
            };
        }

        /// <summary>
        /// Converts <paramref name="t"/> (from the log named <paramref name="logName"/>) into a trace
        /// file named <paramref name="outputName"/> (for its messages); with
        /// <paramref name="keepGoing"/> a trace with problems is written with the repairs the top
        /// of this file lists.
        /// </summary>
        public static TraceConversion Convert(DeviceTrace t, string logName, string outputName, bool keepGoing)
        {
            ArgumentNullException.ThrowIfNull(t);
            var c = new TraceConversion { Source = t };
            var w = new TraceWriter();
            var live = new Dictionary<int, (int Id, int E)>();
            int first = t.Events.Count == 0 ? 1 : t.Events.Keys.First();
            int expected = first;
            bool afterGap = false;
            foreach (DeviceTraceEvent e in t.Events.Values)
            {
                afterGap |= e.E != expected;
                expected = e.E + 1;
                switch (e.Op)
                {
                    case 'a':
                    case 'c':
                    case 'm':
                    {
                        if (e.P == 0)
                        {
                            c.Failed++;
                            break;
                        }

                        HandedOutAgain(c, w, live, e, keepGoing);
                        if (e.Op == 'm')
                        {
                            c.Memaligns++;
                        }

                        live[e.P] = (w.Allocate(e.Op == 'c' ? e.K : 1, e.S, e.Op == 'c', SiteOf(w, t, e)), e.E);
                        break;
                    }

                    case 'f':
                        if (live.Remove(e.P, out var freed))
                        {
                            w.Free(freed.Id);
                        }
                        else if (!afterGap)
                        {
                            c.FreesBeforeTrace++;
                        }
                        else
                        {
                            c.Problems.Add($"e={e.E} (log line {e.LogLine}): free of offset {e.P}, whose allocation was lost in a gap");
                            c.DroppedFrees++;
                        }

                        break;
                    case 'r':
                    {
                        if (e.P == 0)
                        {
                            c.Failed++;
                            break;
                        }

                        if (live.Remove(e.Q, out var old))
                        {
                            HandedOutAgain(c, w, live, e, keepGoing);
                            w.Realloc(old.Id, e.S, SiteOf(w, t, e));
                            live[e.P] = (old.Id, e.E);
                            break;
                        }

                        if (!afterGap)
                        {
                            c.ReallocsBeforeTrace++;
                        }
                        else
                        {
                            c.Problems.Add($"e={e.E} (log line {e.LogLine}): realloc of offset {e.Q}, whose allocation was lost in a gap");
                            c.ReallocsAsMallocs++;
                        }

                        HandedOutAgain(c, w, live, e, keepGoing);
                        live[e.P] = (w.Allocate(1, e.S, false, SiteOf(w, t, e)), e.E);
                        break;
                    }
                }
            }

            List<(int From, int To)> gaps = t.Gaps();
            c.Lost = gaps.Sum(g => g.To - g.From + 1);
            Describe(c, t, logName, gaps, keepGoing);
            if (c.Problems.Count > 0 && !keepGoing)
            {
                return c;
            }

            string source = $"{t.App ?? "firmware"} on {t.Board ?? "a board"}, heap trace {t.Index} of {logName}";
            foreach (string n in c.Notes)
            {
                w.Note(n);
            }

            c.Text = w.ToText(source);
            c.Trace = TraceReader.Parse(c.Text, outputName);
            return c;
        }

        /// <summary>An allocation at an offset the trace believes live: the free of the block there was lost.</summary>
        private static void HandedOutAgain(TraceConversion c, TraceWriter w, Dictionary<int, (int Id, int E)> live, DeviceTraceEvent e, bool keepGoing)
        {
            if (!live.Remove(e.P, out var stale))
            {
                return;
            }

            c.Problems.Add($"e={e.E} (log line {e.LogLine}): offset {e.P} handed out while the block allocated there at e={stale.E} was live: its free was lost");
            c.InferredFrees++;
            w.Free(stale.Id);
        }

        private static int SiteOf(TraceWriter w, DeviceTrace t, DeviceTraceEvent e)
        {
            if (e.Op == 'f' || (e.Fi == null && e.SourceLine == null && e.Type == null))
            {
                return 0;
            }

            string file = e.Fi is int fi ? (t.Files.TryGetValue(fi, out string n) ? n : $"fi#{fi}") : "?";
            string location = e.SourceLine is int l ? $"{file}:{l}" : file;
            string type = e.Type is int ty ? BlockTypes.Name(ty, e.Sub) : "-";
            return w.Site(type, location);
        }

        private static void Describe(TraceConversion c, DeviceTrace t, string logName, List<(int From, int To)> gaps, bool keepGoing)
        {
            List<string> n = c.Notes;
            n.Add($"recorded by Checker.Nano's heap tracer on the device: {t.Mode ?? "unknown"} mode, layer {t.Layer ?? "?"} over the {t.Policy ?? "?"} policy"
                + (t.Heap.HasValue ? $", HEAP {t.Heap}" : "") + (t.BlockSize.HasValue ? $", BLOCKSIZE {t.BlockSize}" : "")
                + $" ({logName}, run {t.Session}, log lines {t.FirstLine}-{t.LastLine})");
            if (c.Lost > 0)
            {
                n.Add($"{c.Lost} event(s) lost on the way, e=" + string.Join(",", gaps.Take(8).Select(g => g.From == g.To ? $"{g.From}" : $"{g.From}-{g.To}"))
                    + (gaps.Count > 8 ? ",..." : "") + ": the trace misses them");
            }

            if (c.Failed > 0)
            {
                n.Add($"{c.Failed} allocation(s) found no room on the device (p=0): left out");
            }

            if (c.FreesBeforeTrace > 0 || c.ReallocsBeforeTrace > 0)
            {
                n.Add($"{c.FreesBeforeTrace} free(s) and {c.ReallocsBeforeTrace} realloc(s) of blocks allocated before the trace's first event: the frees left out, the reallocs written as mallocs");
            }

            if (c.Memaligns > 0)
            {
                n.Add($"{c.Memaligns} memalign(s) written as mallocs of their size");
            }

            if (t.Duplicates > 0)
            {
                n.Add($"{t.Duplicates} event(s) listed twice (ring dumps): read once");
            }

            if (t.Conflicts > 0)
            {
                n.Add($"{t.Conflicts} event number(s) listed twice with different fields: the first kept");
            }

            if (t.BadRecords.Count > 0)
            {
                n.Add($"{t.BadRecords.Count} T record(s) without the fields a trace needs: skipped (first: {t.BadRecords[0]})");
            }

            if (t.CutByRestart)
            {
                n.Add("cut by a restart of the firmware: blocks live then are never freed in the trace");
            }

            if (keepGoing && c.Problems.Count > 0)
            {
                n.Add($"kept going past {c.Problems.Count} problem(s): {c.InferredFrees} free(s) inferred where an offset was handed out again, "
                    + $"{c.DroppedFrees} free(s) of blocks whose allocation was lost dropped, {c.ReallocsAsMallocs} realloc(s) of such blocks written as mallocs");
            }
        }
    }
}
