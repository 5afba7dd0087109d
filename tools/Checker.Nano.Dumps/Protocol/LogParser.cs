// The tolerant reader of a whole log: every line a board printed (text for people, records, boot
// noise, lines cut by a reset, bytes garbled by a wrong baud rate). It keeps what the protocol
// lets it trust and counts the rest with a reason; it never throws on content and never loops on
// its input. What it builds:
//  - dumps (BEGIN..END), typed, with their problems (BEGIN lost, END missing, records lost);
//  - the records outside dumps: HELLO (sessions), ERR, CHECK, NOTE, DROP;
//  - gaps in n (records lost) and restarts (n back to 1, or a HELLO);
//  - the skips, each with its line and reason, and the counts per reason.
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Checker.Nano.Dumps
{
    /// <summary>Everything read from one log.</summary>
    public sealed class ParsedLog
    {
        /// <summary>Where the log came from.</summary>
        public string Source { get; internal set; }

        /// <summary>Lines read.</summary>
        public int Lines { get; internal set; }

        /// <summary>Bytes read.</summary>
        public long Bytes { get; internal set; }

        /// <summary>Lines with no record marker (text for people, noise).</summary>
        public int TextLines { get; internal set; }

        /// <summary>Text dump headers ("== Checker.Nano dump ...") seen: dumps printed in text form.</summary>
        public int TextDumps { get; internal set; }

        /// <summary>Records read (valid LEN and CRC, version 1).</summary>
        public List<CnRecord> Records { get; } = new List<CnRecord>();

        /// <summary>Records of types this parser does not know (a newer revision): kept in Records, counted here.</summary>
        public int UnknownTypes { get; internal set; }

        /// <summary>The dumps in log order.</summary>
        public List<Dump> Dumps { get; } = new List<Dump>();

        /// <summary>HELLO records (one per firmware start or 'V').</summary>
        public List<Hello> Hellos { get; } = new List<Hello>();

        /// <summary>ERR records, inside and outside dumps.</summary>
        public List<HeapErrorReport> Errors { get; } = new List<HeapErrorReport>();

        /// <summary>CHECK records.</summary>
        public List<CheckResult> Checks { get; } = new List<CheckResult>();

        /// <summary>NOTE records.</summary>
        public List<CnRecord> Notes { get; } = new List<CnRecord>();

        /// <summary>Lines the board said it dropped (DROP lines=).</summary>
        public long DroppedByBoard { get; internal set; }

        /// <summary>Records missing by the gaps in n.</summary>
        public long RecordsLost { get; internal set; }

        /// <summary>Firmware runs seen (1 + restarts).</summary>
        public int Sessions { get; internal set; }

        /// <summary>Everything skipped, with line and reason.</summary>
        public List<Skip> Skips { get; } = new List<Skip>();

        /// <summary>Skips per reason.</summary>
        public int SkipCount(SkipReason reason)
        {
            int n = 0;
            foreach (Skip s in Skips)
            {
                if (s.Reason == reason)
                {
                    n++;
                }
            }

            return n;
        }

        /// <summary>The last HELLO's board, or null.</summary>
        public Hello LastHello => Hellos.Count == 0 ? null : Hellos[^1];

        /// <summary>Whether anything in the log is a finding: an ERR, a failed CHECK.</summary>
        public bool HasCorruption => Errors.Count > 0 || Checks.Exists(c => !c.Ok);

        /// <summary>Whether the log had anything that is not clean (skips, lost records, incomplete dumps).</summary>
        public bool HasDamage => Skips.Count > 0 || RecordsLost > 0 || Dumps.Exists(d => !d.Complete);
    }

    /// <summary>Reads logs; one instance can also be fed line by line (the live monitor).</summary>
    public sealed class LogParser
    {
        private static readonly HashSet<string> KnownTypes = new HashSet<string>
        {
            "HELLO", "BEGIN", "END", "STAT", "OBJS", "FRGS", "HOLES", "FRAG", "RTMEM", "TYPE", "PEAK", "LEAK", "GARB",
            "ERR", "CHECK", "NOTE", "DROP", "MAP", "T", "TRACE",
        };

        private readonly ParsedLog _log = new ParsedLog();
        private readonly List<CnRecord> _lineRecords = new List<CnRecord>();
        private int _lineNumber;
        private long _lastN = -1;
        private string _lastRaw;
        private Dump _open;

        /// <summary>Called when a dump ends (END, or closed unfinished).</summary>
        public Action<Dump> DumpClosed { get; set; }

        /// <summary>Called for each valid record as it is read.</summary>
        public Action<CnRecord> RecordRead { get; set; }

        /// <summary>A parser for the log named <paramref name="source"/>.</summary>
        public LogParser(string source = null)
        {
            _log.Source = source;
            _log.Sessions = 0;
        }

        /// <summary>What has been read so far.</summary>
        public ParsedLog Log => _log;

        /// <summary>The dump being read (BEGIN seen, END not yet), or null.</summary>
        public Dump OpenDump => _open;

        /// <summary>Reads a whole file (Latin-1: one char per byte).</summary>
        public static ParsedLog ParseFile(string path)
        {
            using FileStream f = File.OpenRead(path);
            return Parse(f, path);
        }

        /// <summary>Reads a whole stream.</summary>
        public static ParsedLog Parse(Stream stream, string source = null)
        {
            var p = new LogParser(source);
            using var reader = new StreamReader(stream, Encoding.Latin1, false, 1 << 16);
            p.ReadAll(reader);
            return p.Finish();
        }

        /// <summary>Reads a whole text.</summary>
        public static ParsedLog ParseText(string text, string source = null)
        {
            var p = new LogParser(source);
            p.ReadAll(new StringReader(text));
            return p.Finish();
        }

        private void ReadAll(TextReader reader)
        {
            // Lines end at '\n' only ('\r' is stripped per line): StreamReader.ReadLine would also
            // split at a lone '\r', which garbage can hold.
            var sb = new StringBuilder();
            char[] buffer = new char[1 << 14];
            int read;
            while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
            {
                _log.Bytes += read;
                int start = 0;
                for (int i = 0; i < read; i++)
                {
                    if (buffer[i] == '\n')
                    {
                        sb.Append(buffer, start, i - start);
                        AddLine(sb.ToString());
                        sb.Clear();
                        start = i + 1;
                    }
                }

                sb.Append(buffer, start, read - start);
            }

            if (sb.Length > 0)
            {
                AddLine(sb.ToString());
            }
        }

        /// <summary>Reads one line (without its '\n'); returns the valid records it held.</summary>
        public IReadOnlyList<CnRecord> AddLine(string line)
        {
            _lineNumber++;
            _log.Lines = _lineNumber;
            _lineRecords.Clear();
            if (!RecordParser.ParseLine(line, _lineNumber, _lineRecords, _log.Skips))
            {
                _log.TextLines++;
                if (line.StartsWith("== Checker.Nano dump ", StringComparison.Ordinal))
                {
                    _log.TextDumps++;
                }

                return Array.Empty<CnRecord>();
            }

            var result = new List<CnRecord>(_lineRecords);
            foreach (CnRecord r in result)
            {
                Accept(r);
            }

            return result;
        }

        /// <summary>Ends the log: a dump still open is closed as unfinished. Returns the log.</summary>
        public ParsedLog Finish()
        {
            if (_open != null)
            {
                CloseUnfinished("no END before the log ends (board reset or log cut)");
            }

            if (_log.Sessions == 0 && _log.Records.Count > 0)
            {
                _log.Sessions = 1;
            }

            return _log;
        }

        /// <summary>
        /// Closes the dump being read as unfinished, saying <paramref name="why"/> (the monitor calls
        /// it when the port goes away); the next record starts afresh. No effect when none is open.
        /// </summary>
        public void Interrupt(string why)
        {
            if (_open != null)
            {
                CloseUnfinished(why);
            }
        }

        private void Accept(CnRecord r)
        {
            _log.Records.Add(r);
            if (!KnownTypes.Contains(r.Type))
            {
                _log.UnknownTypes++;
            }

            if (!TrackNumbers(r))
            {
                _log.Records.RemoveAt(_log.Records.Count - 1);
                _log.Skips.Add(new Skip(r.Line, SkipReason.Duplicate, $"record n={r.N} received twice", RecordParser.Excerpt(r.Raw)));
                return;
            }

            r.Session = Math.Max(1, _log.Sessions);
            RecordRead?.Invoke(r);
            switch (r.Type)
            {
                case "T":
                case "TRACE":
                    if (!r.D.HasValue)
                    {
                        return;   // heap tracing outside dumps (stream mode, start, stop): read by DeviceTraces from Records
                    }

                    break;
                case "HELLO":
                    _log.Hellos.Add(Hello.From(r));
                    return;
                case "BEGIN":
                    Begin(r);
                    return;
                case "DROP":
                    _log.DroppedByBoard += r.Int("lines") ?? 0;
                    return;
                case "NOTE":
                    _log.Notes.Add(r);
                    return;
                case "CHECK":
                    CheckResult c = CheckResult.From(r);
                    if (c == null)
                    {
                        Bad(r, "ok");
                    }
                    else
                    {
                        _log.Checks.Add(c);
                    }

                    return;
                case "ERR":
                    HeapErrorReport e = HeapErrorReport.From(r);
                    _log.Errors.Add(e);
                    if (r.D.HasValue && _open != null && _open.Number == r.D)
                    {
                        _open.Errors.Add(e);
                        _open.ReceivedCount++;
                        _open.Records.Add(r);
                        _open.LastLine = r.Line;
                    }

                    return;
            }

            if (!r.D.HasValue)
            {
                if (KnownTypes.Contains(r.Type))
                {
                    _log.Skips.Add(new Skip(r.Line, SkipReason.OutOfDump, r.Type + " without d=", RecordParser.Excerpt(r.Raw)));
                }

                return;
            }

            Dump dump = _open;
            if (dump == null || dump.Number != r.D.Value)
            {
                if (dump != null)
                {
                    CloseUnfinished($"records of dump d={r.D} arrived before its END");
                }

                // BEGIN lost: keep what arrives as a dump of its own.
                dump = NewDump(r.D.Value);
                dump.FirstLine = r.Line;
            }

            dump.LastLine = r.Line;
            dump.Records.Add(r);
            if (r.Type == "END")
            {
                dump.HasEnd = true;
                dump.ExpectedCount = r.Int32("count");
                Close();
                return;
            }

            dump.ReceivedCount++;
            AddPart(dump, r);
        }

        private bool TrackNumbers(CnRecord r)
        {
            if (r.Type == "DROP" || !r.N.HasValue)
            {
                return true;
            }

            long n = r.N.Value;
            if (n == _lastN && r.Raw == _lastRaw)
            {
                return false;
            }

            _lastRaw = r.Raw;
            bool restart = _log.Sessions == 0 || n <= _lastN || (r.Type == "HELLO" && n == 1);
            if (_log.Sessions == 0)
            {
                _log.Sessions = 1;
            }
            else if (restart)
            {
                _log.Sessions++;
                if (_open != null)
                {
                    CloseUnfinished("the board restarted before END");
                }
            }
            else if (n > _lastN + 1)
            {
                _log.RecordsLost += n - _lastN - 1;
            }

            _lastN = n;
            return true;
        }

        private void Begin(CnRecord r)
        {
            if (_open != null)
            {
                CloseUnfinished("a new BEGIN came before END");
            }

            if (!r.D.HasValue)
            {
                Bad(r, "d");
                return;
            }

            Dump d = NewDump(r.D.Value);
            d.HasBegin = true;
            d.Why = r.Text("why");
            d.TimeMs = r.Int("t");
            d.Rev = r.Int32("rev");
            d.FirstLine = r.Line;
            d.LastLine = r.Line;
            d.Records.Add(r);
        }

        private Dump NewDump(int number)
        {
            var d = new Dump(_log.Dumps.Count + 1, number, Math.Max(1, _log.Sessions));
            _log.Dumps.Add(d);
            _open = d;
            return d;
        }

        private void Close()
        {
            Dump d = _open;
            _open = null;
            DumpClosed?.Invoke(d);
        }

        private void CloseUnfinished(string why)
        {
            _open.Unfinished = why;
            Close();
        }

        private void AddPart(Dump dump, CnRecord r)
        {
            switch (r.Type)
            {
                case "STAT":
                    dump.Stat = HeapStat.From(r) ?? Bad<HeapStat>(r, "bytes_total, bytes_used, bytes_free, bs");
                    break;
                case "OBJS":
                    dump.Objects = Objects.From(r) ?? Bad<Objects>(r, "count, blocks");
                    break;
                case "FRGS":
                    Add(dump.FragmentSizes, FragmentSize.From(r), r, "size, blocks, used, free");
                    break;
                case "HOLES":
                    dump.Holes = Holes.From(r) ?? Bad<Holes>(r, "count, blocks");
                    break;
                case "FRAG":
                    dump.Fragmentation = FragFigure.From(r) ?? Bad<FragFigure>(r, "free, largest, pm");
                    break;
                case "TYPE":
                    Add(dump.Types, TypeCount.From(r), r, "type, count, bytes");
                    break;
                case "PEAK":
                    dump.Peak = Peak.From(r) ?? Bad<Peak>(r, "max");
                    break;
                case "LEAK":
                    Add(dump.Leaks, Leak.From(r), r, "req, type, size");
                    break;
                case "GARB":
                    Add(dump.Garbage, GarbageFamily.From(r), r, "fam, count, bytes");
                    break;
                case "RTMEM":
                    Add(dump.Runtime, RuntimeRecord.From(r), r, "kind");
                    break;
                case "MAP":
                    AddMap(dump, r);
                    break;
                case "TRACE":
                    dump.TraceHead ??= r;
                    break;
                case "T":
                    AddTraceEvent(dump, r);
                    break;
            }
        }

        /// <summary>
        /// T inside a dump (rev 4): kept with the dump; in a leaks-mode dump (TRACE what=leaks) each is
        /// also one live allocation, listed as a LEAK would be (request = the event's number e), so
        /// that the leak summary reads it. File names come with the first T of each fi in the dump.
        /// </summary>
        private void AddTraceEvent(Dump dump, CnRecord r)
        {
            dump.TraceEvents.Add(r);
            int? fi = r.Int32("fi");
            string file = r.Text("file");
            if (fi is int f && file != null)
            {
                dump.TraceFiles[f] = file;
            }

            if (dump.TraceHead?.Text("what") != "leaks")
            {
                return;
            }

            int? e = r.Int32("e"), p = r.Int32("p"), s = r.Int32("s");
            if (e == null || p == null || s == null || s < 0)
            {
                Bad(r, "e, p, s");
                return;
            }

            long size = r.Text("op") == "c" ? (long)s.Value * (r.Int32("k") ?? 1) : s.Value;
            string name = fi is int k ? (dump.TraceFiles.TryGetValue(k, out string n) ? n : $"fi#{k}") : null;
            dump.Leaks.Add(new Leak
            {
                Line = r.Line, Request = e.Value, Type = r.Int32("ty") ?? -1, Sub = r.Int32("sub"), Size = (int)Math.Min(int.MaxValue, size),
                Address = p, File = name, SourceLine = r.Int32("l"),
            });
        }

        /// <summary>
        /// MAP (PROTOCOL.md): a rev 2 dump's records are read as rev 2 defined them (U, H, F of a
        /// power-of-two size, X; nothing else); every other dump's (rev 3, or a dump whose BEGIN was
        /// lost) also with the Compact policy's codes (F with /k, u, h, x) and off=.
        /// </summary>
        private void AddMap(Dump dump, CnRecord r)
        {
            int? baseOffset = r.Int32("base"), at = r.Int32("at");
            string runs = r.Text("runs");
            if (baseOffset == null || at == null || at < 1 || runs == null)
            {
                Bad(r, "base, at, runs");
                return;
            }

            if (dump.Rev is int rev && rev < 3)
            {
                AddMapRev2(dump, r, baseOffset.Value, at.Value, runs);
                return;
            }

            int bs = MapBlockSize(dump);
            int off = 0;
            if (r.Has("off"))
            {
                int? o = r.Int32("off");
                if (o == null || o < 0 || (bs > 0 && o >= bs))
                {
                    BadMap(r, $"MAP off={r.Text("off")} is not a byte offset inside block {at}");
                    return;
                }

                off = o.Value;
                if (off != 0 && bs == 0)
                {
                    BadMap(r, $"MAP off={off} needs BLOCKSIZE, and no STAT or HELLO came before it");
                    return;
                }
            }

            var parsed = new List<MapRun>();
            long pos = bs > 0 ? ((long)(at.Value - 1) * bs) + off : 0;
            int block = at.Value;
            foreach (string item in runs.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                MapRun? run = ParseRun(item, pos, bs, block, out string why);
                if (run == null)
                {
                    BadMap(r, why);
                    return;
                }

                MapRun e = run.Value;
                if (bs > 0 ? e.EndIn(bs) > (long)int.MaxValue * bs : block > int.MaxValue - e.Blocks)
                {
                    BadMap(r, $"MAP run '{item}' at block {e.FirstBlock} runs past the last block number");
                    return;
                }

                parsed.Add(e);
                pos = bs > 0 ? e.EndIn(bs) : 0;
                block = e.FirstBlock + e.Blocks;
            }

            MapRecords map = dump.Map ??= new MapRecords { HeapBase = baseOffset.Value };
            if (bs > 0)
            {
                long expected = map.Runs.Count == 0 ? 0 : map.Runs[^1].EndIn(bs);
                long start = ((long)(at.Value - 1) * bs) + off;
                if (start < expected)
                {
                    BadMap(r, $"MAP at={at}{(off != 0 ? " off=" + off : "")} overlaps what the records before it described (up to byte {expected} of the heap)");
                    return;
                }

                map.MissingBlocks += (int)Math.Min(int.MaxValue, (start - expected + bs - 1) / bs);
            }
            else
            {
                int expected = map.Runs.Count == 0 ? 1 : map.Runs[^1].FirstBlock + map.Runs[^1].Blocks;
                if (at.Value < expected)
                {
                    BadMap(r, $"MAP at={at} overlaps block {expected - 1} already described");
                    return;
                }

                map.MissingBlocks += at.Value - expected;
            }

            map.Runs.AddRange(parsed);
        }

        /// <summary>BLOCKSIZE for a dump's MAP records: its STAT's, else the last HELLO's; 0 when neither says (or says nonsense).</summary>
        private int MapBlockSize(Dump dump)
        {
            int bs = dump.Stat?.BlockSize ?? (_log.Hellos.Count == 0 ? null : _log.Hellos[^1].BlockSize) ?? 0;
            return bs >= 16 && (bs & (bs - 1)) == 0 ? bs : 0;
        }

        private void BadMap(CnRecord r, string why)
        {
            _log.Skips.Add(new Skip(r.Line, SkipReason.BadField, why, RecordParser.Excerpt(r.Raw)));
        }

        /// <summary>A rev 2 dump's MAP record, read as rev 2 reads it (this is the reader of rev 2, unchanged).</summary>
        private void AddMapRev2(Dump dump, CnRecord r, int baseOffset, int at, string runs)
        {
            var parsed = new List<MapRun>();
            int block = at;
            foreach (string item in runs.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                MapRun? run = ParseRun(item, block);
                if (run == null)
                {
                    _log.Skips.Add(new Skip(r.Line, SkipReason.BadField, $"MAP run '{item}' is not U<n>, H<n>, F<size>/<free> or X", RecordParser.Excerpt(r.Raw)));
                    return;
                }

                if (block > int.MaxValue - run.Value.Blocks)
                {
                    _log.Skips.Add(new Skip(r.Line, SkipReason.BadField, $"MAP run '{item}' at block {block} runs past the last block number", RecordParser.Excerpt(r.Raw)));
                    return;
                }

                parsed.Add(run.Value);
                block += run.Value.Blocks;
            }

            MapRecords map = dump.Map ??= new MapRecords { HeapBase = baseOffset };
            int expected = map.Runs.Count == 0 ? 1 : map.Runs[^1].FirstBlock + map.Runs[^1].Blocks;
            if (at < expected)
            {
                _log.Skips.Add(new Skip(r.Line, SkipReason.BadField, $"MAP at={at} overlaps block {expected - 1} already described", RecordParser.Excerpt(r.Raw)));
                return;
            }

            map.MissingBlocks += at - expected;
            map.Runs.AddRange(parsed);
        }

        /// <summary>One item of a rev 2 MAP record's runs starting at <paramref name="block"/>, or null.</summary>
        public static MapRun? ParseRun(string item, int block)
        {
            if (item.Length == 0)
            {
                return null;
            }

            char k = item[0];
            string rest = item[1..];
            switch (k)
            {
                case 'U':
                case 'H':
                    return int.TryParse(rest, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) && n >= 1
                        ? new MapRun(block, n, k == 'U' ? MapRunKind.Object : MapRunKind.Free, 0, 0) : null;
                case 'X':
                    return rest.Length == 0 ? new MapRun(block, 1, MapRunKind.Anomaly, 0, 0) : null;
                case 'F':
                    int slash = rest.IndexOf('/');
                    if (slash > 0 && int.TryParse(rest.AsSpan(0, slash), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int size)
                        && int.TryParse(rest.AsSpan(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int free)
                        && size >= 8 && (size & (size - 1)) == 0 && size <= (1 << 23))
                    {
                        return new MapRun(block, 1, MapRunKind.Fragments, size, free);
                    }

                    return null;
                default:
                    return null;
            }
        }

        private static bool Number(ReadOnlySpan<char> text, out int value)
        {
            return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value);
        }

        /// <summary>
        /// One item of a rev 3 MAP record's runs (PROTOCOL.md), or null with <paramref name="why"/>:
        /// starting <paramref name="pos"/> bytes from the heap base when BLOCKSIZE
        /// <paramref name="bs"/> is known, else (bs 0) at <paramref name="block"/>, where only the
        /// whole-block codes can be placed. U, H, X and F must start on a block boundary; u, h and x
        /// are in canonical form (whole blocks) when they start and end on boundaries.
        /// </summary>
        public static MapRun? ParseRun(string item, long pos, int bs, int block, out string why)
        {
            why = $"MAP run '{item}' is not U<n>, H<n>, F<size>/<free>[/<k>], X, u<bytes>, h<bytes> or x<bytes>";
            if (item.Length == 0)
            {
                return null;
            }

            char k = item[0];
            ReadOnlySpan<char> rest = item.AsSpan(1);
            bool aligned = bs == 0 || pos % bs == 0;
            int first = bs > 0 ? (int)Math.Min(int.MaxValue, (pos / bs) + 1) : block;
            string notAligned = $"MAP run '{item}' starts {(bs > 0 ? pos % bs : 0)} bytes into block {first}: only u, h and x may start inside a block";
            switch (k)
            {
                case 'U':
                case 'H':
                case 'X':
                {
                    int n = 1;
                    if (k == 'X' ? rest.Length != 0 : !Number(rest, out n) || n < 1)
                    {
                        return null;
                    }

                    if (!aligned)
                    {
                        why = notAligned;
                        return null;
                    }

                    return new MapRun(first, n, k == 'U' ? MapRunKind.Object : k == 'H' ? MapRunKind.Free : MapRunKind.Anomaly, 0, 0);
                }

                case 'F':
                {
                    int s1 = rest.IndexOf('/');
                    if (s1 <= 0)
                    {
                        return null;
                    }

                    ReadOnlySpan<char> after = rest[(s1 + 1)..];
                    int s2 = after.IndexOf('/');
                    int runBlocks = 1;
                    if (!Number(rest[..s1], out int size) || !Number(s2 < 0 ? after : after[..s2], out int free)
                        || (s2 >= 0 && (!Number(after[(s2 + 1)..], out runBlocks) || runBlocks < 1))
                        || size < 8 || size % 8 != 0)
                    {
                        return null;
                    }

                    if (!aligned)
                    {
                        why = notAligned;
                        return null;
                    }

                    if (bs > 0 && (long)size > (long)runBlocks * bs)
                    {
                        why = $"MAP run '{item}': slots of {size} bytes do not fit {runBlocks} block(s) of {bs}";
                        return null;
                    }

                    if (bs > 0 && free > (long)runBlocks * bs / size)
                    {
                        why = $"MAP run '{item}': {free} free slots, but {runBlocks} block(s) of {bs} hold {(long)runBlocks * bs / size} of {size} bytes";
                        return null;
                    }

                    return new MapRun(first, runBlocks, MapRunKind.Fragments, size, free);
                }

                case 'u':
                case 'h':
                case 'x':
                {
                    if (!Number(rest, out int bytes) || bytes < 1)
                    {
                        return null;
                    }

                    if (bs == 0)
                    {
                        why = $"MAP run '{item}' needs BLOCKSIZE, and no STAT or HELLO came before it";
                        return null;
                    }

                    return MapRun.At(pos, bytes, bs, k == 'u' ? MapRunKind.Object : k == 'h' ? MapRunKind.Free : MapRunKind.Anomaly);
                }

                default:
                    return null;
            }
        }

        private void Add<T>(List<T> list, T item, CnRecord r, string needs)
            where T : class
        {
            if (item == null)
            {
                Bad(r, needs);
            }
            else
            {
                list.Add(item);
            }
        }

        private T Bad<T>(CnRecord r, string needs)
            where T : class
        {
            Bad(r, needs);
            return null;
        }

        private void Bad(CnRecord r, string needs)
        {
            _log.Skips.Add(new Skip(r.Line, SkipReason.BadField, $"{r.Type} lacks a valid {needs}", RecordParser.Excerpt(r.Raw)));
        }
    }
}
