// The heap tracer: records a firmware's mallocs, callocs, reallocs, memaligns and frees so that a
// PC can replay them (checker-nano trace, then replay or map), as ESP-IDF's heap tracing does on
// the same chips. It is a TraceHook (Checker.Nano/Heap/TraceHook.cs) attached to the layer the
// firmware calls (the base heap of either policy, the debug heap or Checker): Start sets the
// layer's hook, Stop clears it, so a layer with its tracer stopped pays one field test per
// public operation and nothing else. Three modes, as ESP-IDF's:
//   stream  each event goes out at once as a T record (PROTOCOL.md): the wire is the storage.
//           Lines the sink loses are counted by the reporter (DROP, gaps in n); each event's
//           number e says which events are missing;
//   ring    the last Capacity events in fixed storage, listed by Dump (command E, the
//           low-memory trigger, a call) in a dump of T records; when DumpWhenFull (the default)
//           the ring is dumped each time it fills with events no dump has listed, so nothing is
//           lost; otherwise the oldest is overwritten and counted as lost;
//   leaks   only the allocations still live (a free removes its entry) in a table of Capacity
//           entries, listed by Dump in allocation order; an allocation that finds the table
//           full is counted as missed.
// Every event carries its number since Start (e), the operation, the offset, the size (and
// calloc's count, realloc's old offset), the firmware's clock and, from the debug heap and
// Checker, the block use and the caller's file and line. A file's name goes out once per trace
// (stream) or per dump (ring, leaks) with the first event of its index fi; later events carry
// fi alone (a stream record whose file name was lost sends it again).
//
// Storage is made once, in the constructor, sized by the mode and Capacity and counted in
// MetadataBytes (32 bytes per ring or leaks entry, plus the leaks table's hash and links and the
// file table); recording an event allocates nothing, takes no lock of its own (the heap's is
// held) and never throws into the heap: a fault is caught and counted (Faults). Recording runs
// under the heap's lock, then the reporter's (stream mode and a full ring's dump), the order
// every writer keeps.
namespace Checker.Nano
{
    /// <summary>The tracer's modes (ints: Enum.ToString gives a number on the device).</summary>
    public static class TraceMode
    {
        /// <summary>Every event out on the reporter at once, as a T record.</summary>
        public const int Stream = 1;

        /// <summary>The last Capacity events in fixed storage, dumped on command, low memory or when full.</summary>
        public const int Ring = 2;

        /// <summary>The allocations still live, in a fixed table, dumped on command.</summary>
        public const int Leaks = 3;

        /// <summary>"stream", "ring" or "leaks" (the mode= of TRACE records).</summary>
        public static string Name(int mode)
        {
            return mode == Stream ? "stream" : mode == Ring ? "ring" : mode == Leaks ? "leaks" : "unknown";
        }
    }

    /// <summary>The firmware's clock for the tracer (the default reads DateTime.UtcNow).</summary>
    public abstract class TraceClock
    {
        /// <summary>Milliseconds on the firmware's clock.</summary>
        public abstract long NowMs { get; }
    }

    /// <summary>Records a layer's heap operations in one of the <see cref="TraceMode"/>s and reports them as T records.</summary>
    public sealed class HeapTracer : TraceHook
    {
        /// <summary>ints per kept event: number, kind (op, file index, line), offset, aux, size, block use.</summary>
        public const int EVENT_WORDS = 6;

        /// <summary>The file table's size unless the constructor says otherwise.</summary>
        public const int DefaultFileCapacity = 32;

        /// <summary>The largest file table (file indexes have 9 bits in a kept event).</summary>
        public const int MaxFileCapacity = 511;

        /// <summary>The largest line kept (20 bits); larger lines are kept as this.</summary>
        public const int MaxLine = 0xFFFFF;

        private const int OpMask = 7;
        private const int FileShift = 3;
        private const int FileMask = 511;
        private const int LineShift = 12;

        private readonly ITraceable _layer;
        private readonly BaseHeap _heap;
        private readonly Reporter _reporter;
        private readonly int _mode;
        private readonly int _capacity;

        // Kept events (ring and leaks): EVENT_WORDS ints and one clock reading per entry.
        private readonly int[] _ev;
        private readonly long[] _time;

        // The file table: index 1.. (0: unknown); whether a file's name went out in this trace or dump.
        private readonly string[] _files;
        private readonly bool[] _fileSent;
        private int _fileCount;
        private string _lastFile;
        private int _lastFileIndex;

        // Leaks: an open-addressing hash of the live offsets (entry + 1, 0 empty), the entries in
        // allocation order (doubly linked), the free entries (linked through _next).
        private readonly int[] _hash;
        private readonly int _hashShift;
        private readonly int[] _next;
        private readonly int[] _prev;
        private int _head = -1;
        private int _tail = -1;
        private int _freeEntry = -1;

        // Ring: the oldest kept entry, how many are kept, how many of the newest no dump listed.
        private int _oldest;
        private int _kept;
        private int _undumped;

        private TraceClock _clock;
        private bool _running;
        private bool _dumpWhenFull = true;
        private int _events;
        private long _lost;
        private long _missed;
        private int _faults;

        /// <summary>
        /// A tracer of <paramref name="layer"/> reporting to <paramref name="reporter"/> in
        /// <paramref name="mode"/>; <paramref name="capacity"/> is the events the ring keeps, or the
        /// live allocations the leaks table keeps (stream mode keeps none: 0). Stopped until Start.
        /// </summary>
        public HeapTracer(ITraceable layer, Reporter reporter, int mode, int capacity)
            : this(layer, reporter, mode, capacity, DefaultFileCapacity)
        {
        }

        /// <summary>As above, with a file table of <paramref name="fileCapacity"/> names (1 to 511).</summary>
        public HeapTracer(ITraceable layer, Reporter reporter, int mode, int capacity, int fileCapacity)
        {
            if (layer == null)
            {
                throw new System.ArgumentNullException("layer");
            }

            if (reporter == null)
            {
                throw new System.ArgumentNullException("reporter");
            }

            if (mode != TraceMode.Stream && mode != TraceMode.Ring && mode != TraceMode.Leaks)
            {
                throw new System.ArgumentOutOfRangeException("mode", "mode must be TraceMode.Stream, Ring or Leaks");
            }

            if (mode == TraceMode.Stream ? capacity != 0 : capacity < 1)
            {
                throw new System.ArgumentOutOfRangeException("capacity", "capacity must be 0 in stream mode and at least 1 in ring and leaks modes");
            }

            if (fileCapacity < 1 || fileCapacity > MaxFileCapacity)
            {
                throw new System.ArgumentOutOfRangeException("fileCapacity", "fileCapacity must be from 1 to 511");
            }

            _layer = layer;
            _heap = layer.TraceHeap;
            _reporter = reporter;
            _mode = mode;
            _capacity = capacity;
            _ev = new int[capacity * EVENT_WORDS];
            _time = new long[capacity];
            _files = new string[fileCapacity + 1];
            _fileSent = new bool[fileCapacity + 1];
            if (mode == TraceMode.Leaks)
            {
                int bits = 1;
                while ((1 << bits) < 2 * capacity)
                {
                    bits++;
                }

                _hash = new int[1 << bits];
                _hashShift = 32 - bits;
                _next = new int[capacity];
                _prev = new int[capacity];
            }
            else
            {
                _hash = new int[0];
                _next = new int[0];
                _prev = new int[0];
            }

            Clear();
        }

        /// <summary>The layer traced.</summary>
        public ITraceable Layer
        {
            get { return _layer; }
        }

        /// <summary>The mode (<see cref="TraceMode"/>).</summary>
        public int Mode
        {
            get { return _mode; }
        }

        /// <summary>Events the ring keeps, or live allocations the leaks table keeps (0 in stream mode).</summary>
        public int Capacity
        {
            get { return _capacity; }
        }

        /// <summary>Whether events are being recorded (between Start and Stop).</summary>
        public bool Running
        {
            get { return _running; }
        }

        /// <summary>Events recorded since the last Start.</summary>
        public int Events
        {
            get { return _events; }
        }

        /// <summary>Events (ring) or live allocations (leaks) kept now.</summary>
        public int Kept
        {
            get { return _mode == TraceMode.Leaks ? LiveEntries() : _kept; }
        }

        /// <summary>Ring: events overwritten before any dump listed them, since Start.</summary>
        public long Lost
        {
            get { return _lost; }
        }

        /// <summary>Leaks: allocations not kept because the table was full, since Start.</summary>
        public long Missed
        {
            get { return _missed; }
        }

        /// <summary>Faults caught while recording (the heap's operation went on regardless).</summary>
        public int Faults
        {
            get { return _faults; }
        }

        /// <summary>Ring: dump the ring each time it fills with events no dump has listed (default true); off, the oldest is overwritten.</summary>
        public bool DumpWhenFull
        {
            get { return _dumpWhenFull; }
            set { _dumpWhenFull = value; }
        }

        /// <summary>The clock events are stamped with (null: DateTime.UtcNow in ms).</summary>
        public TraceClock Clock
        {
            get { return _clock; }
            set { _clock = value; }
        }

        /// <summary>Bytes of the tracer's fixed storage: the kept events, the leaks table, the file table.</summary>
        public int MetadataBytes
        {
            get
            {
                return ((_ev.Length + _hash.Length + _next.Length + _prev.Length + _files.Length) * 4)
                    + (_time.Length * 8) + _fileSent.Length;
            }
        }

        /// <summary>Starts recording (from event 1, with an empty ring or table) and says so (TRACE what=start). No effect while running.</summary>
        public void Start()
        {
            lock (_heap.SyncRoot)
            {
                if (_running)
                {
                    return;
                }

                Clear();
                _running = true;
                WriteStartStop(true);
                _layer.TraceHook = this;
            }
        }

        /// <summary>Stops recording and says so (TRACE what=stop); what the ring or the table keeps stays for Dump. No effect when stopped.</summary>
        public void Stop()
        {
            lock (_heap.SyncRoot)
            {
                if (!_running)
                {
                    return;
                }

                if (_layer.TraceHook == this)
                {
                    _layer.TraceHook = null;
                }

                _running = false;
                WriteStartStop(false);
            }
        }

        /// <summary>
        /// Writes what the ring or the leaks table keeps as a dump (BEGIN why=<paramref name="why"/>,
        /// TRACE, one T per event or live allocation, END); <paramref name="timeMs"/> negative takes
        /// the tracer's clock. Returns the dump's number; in stream mode there is nothing to list
        /// (a NOTE says so) and it returns 0.
        /// </summary>
        public int Dump(string why, long timeMs)
        {
            lock (_heap.SyncRoot)
            {
                return DumpLocked(why, timeMs < 0 ? Now() : timeMs);
            }
        }

        /// <summary>The event (called by the traced layer under its lock): kept or sent as the mode says.</summary>
        public override void Record(int op, int ptr, int aux, int size, int blockUse, string file, int line)
        {
            try
            {
                int e = ++_events;
                long t = Now();
                int fi = file == null ? 0 : FileIndex(file);
                int kind = op | (fi << FileShift) | ((line < 0 ? 0 : line > MaxLine ? MaxLine : line) << LineShift);
                if (_mode == TraceMode.Stream)
                {
                    Send(e, kind, ptr, aux, size, blockUse, t);
                }
                else if (_mode == TraceMode.Ring)
                {
                    Keep(e, kind, ptr, aux, size, blockUse, t);
                }
                else if (op == TraceHook.OpFree)
                {
                    Forget(ptr);
                }
                else if (ptr != 0)
                {
                    if (op == TraceHook.OpRealloc)
                    {
                        Forget(aux);
                    }

                    Remember(e, kind, ptr, aux, size, blockUse, t);
                }
            }
            catch (System.Exception)
            {
                _faults++;
            }
        }

        /// <summary>Writes the tracer's status (text and TRACE what=status) in a dump HeapReport is writing.</summary>
        public void WriteStatus(Reporter r, bool text)
        {
            if (text)
            {
                r.Begin().Append("trace: ").Append(TraceMode.Name(_mode)).Append(" mode, ").Append(_running ? "on" : "off").Append(", ")
                    .Append(_events).Append(" event(s) since start");
                if (_mode != TraceMode.Stream)
                {
                    r.Append(", ").Append(Kept).Append(" kept of ").Append(_capacity);
                }

                r.Append("; ").Append(MetadataBytes).Append(" bytes of fixed storage").End();
                return;
            }

            Records.Trace(r, "status", TraceMode.Name(_mode), _layer.TraceLayer, _heap.PolicyName, -1, -1, _running ? 1 : 0,
                _capacity, MetadataBytes, _events, _mode == TraceMode.Stream ? -1 : Kept,
                _mode == TraceMode.Ring ? _lost : -1, _mode == TraceMode.Leaks ? _missed : -1, -1);
        }

        // ---- recording -------------------------------------------------------------------------

        private long Now()
        {
            TraceClock c = _clock;
            return c != null ? c.NowMs : System.DateTime.UtcNow.Ticks / 10000;
        }

        /// <summary>The file's index in the table (1..), added on first sight; 0 when the table is full.</summary>
        private int FileIndex(string file)
        {
            if ((object)file == (object)_lastFile)
            {
                return _lastFileIndex;
            }

            int i = 1;
            while (i <= _fileCount && (object)_files[i] != (object)file && _files[i] != file)
            {
                i++;
            }

            if (i > _fileCount)
            {
                if (_fileCount + 1 >= _files.Length)
                {
                    return 0;   // the table is full: the event's site is unknown
                }

                _fileCount = i;
                _files[i] = file;
                _fileSent[i] = false;
            }

            _lastFile = file;
            _lastFileIndex = i;
            return i;
        }

        private void Send(int e, int kind, int ptr, int aux, int size, int blockUse, long t)
        {
            Reporter r = _reporter;
            lock (r.SyncRoot)
            {
                int fi = (kind >> FileShift) & FileMask;
                string name = null;
                if (fi != 0 && !_fileSent[fi])
                {
                    name = _files[fi];
                    _fileSent[fi] = true;
                }

                int dropped = r.Dropped;
                Records.TraceEvent(r, e, kind & OpMask, ptr, aux, size, t, blockUse, fi, name, (kind >> LineShift) & MaxLine);
                if (name != null && r.Dropped > dropped)
                {
                    _fileSent[fi] = false;   // the line with the name was lost: the next event of the file sends it again
                }
            }
        }

        private void Keep(int e, int kind, int ptr, int aux, int size, int blockUse, long t)
        {
            int cap = _capacity;
            int slot;
            if (_kept < cap)
            {
                slot = _oldest + _kept;
                if (slot >= cap)
                {
                    slot -= cap;
                }

                _kept++;
            }
            else
            {
                slot = _oldest;   // the oldest goes
                _oldest = _oldest + 1 == cap ? 0 : _oldest + 1;
            }

            if (_undumped == cap)
            {
                _lost++;   // the one overwritten was never listed
            }
            else
            {
                _undumped++;
            }

            Store(slot, e, kind, ptr, aux, size, blockUse, t);
            if (_undumped == cap && _dumpWhenFull)
            {
                DumpLocked("trace-full", t);
            }
        }

        private void Store(int slot, int e, int kind, int ptr, int aux, int size, int blockUse, long t)
        {
            int[] ev = _ev;
            int w = slot * EVENT_WORDS;
            ev[w] = e;
            ev[w + 1] = kind;
            ev[w + 2] = ptr;
            ev[w + 3] = aux;
            ev[w + 4] = size;
            ev[w + 5] = blockUse;
            _time[slot] = t;
        }

        private void Remember(int e, int kind, int ptr, int aux, int size, int blockUse, long t)
        {
            int slot = _freeEntry;
            if (slot < 0)
            {
                _missed++;
                return;
            }

            _freeEntry = _next[slot];
            Store(slot, e, kind, ptr, aux, size, blockUse, t);
            _next[slot] = -1;
            _prev[slot] = _tail;
            if (_tail >= 0)
            {
                _next[_tail] = slot;
            }
            else
            {
                _head = slot;
            }

            _tail = slot;
            int mask = _hash.Length - 1;
            int h = Hash(ptr);
            while (_hash[h] != 0)
            {
                h = (h + 1) & mask;
            }

            _hash[h] = slot + 1;
        }

        /// <summary>Leaks: the entry of <paramref name="ptr"/> leaves the table (no effect when it is not there: allocated before Start, or missed).</summary>
        private void Forget(int ptr)
        {
            int[] hash = _hash;
            int mask = hash.Length - 1;
            int i = Hash(ptr);
            int slot;
            while (true)
            {
                slot = hash[i] - 1;
                if (slot < 0)
                {
                    return;
                }

                if (_ev[(slot * EVENT_WORDS) + 2] == ptr)
                {
                    break;
                }

                i = (i + 1) & mask;
            }

            // Out of the allocation-order list, onto the free list.
            int next = _next[slot];
            int prev = _prev[slot];
            if (prev >= 0)
            {
                _next[prev] = next;
            }
            else
            {
                _head = next;
            }

            if (next >= 0)
            {
                _prev[next] = prev;
            }
            else
            {
                _tail = prev;
            }

            _next[slot] = _freeEntry;
            _freeEntry = slot;

            // Out of the hash, linear probing's way: the entries after the hole move back into it
            // unless their own position lies between the hole and them.
            int j = i;
            while (true)
            {
                hash[i] = 0;
                while (true)
                {
                    j = (j + 1) & mask;
                    if (hash[j] == 0)
                    {
                        return;
                    }

                    int k = Hash(_ev[((hash[j] - 1) * EVENT_WORDS) + 2]);
                    bool stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
                    if (!stays)
                    {
                        break;
                    }
                }

                hash[i] = hash[j];
                i = j;
            }
        }

        private int Hash(int ptr)
        {
            return (int)(((uint)ptr * 2654435769u) >> _hashShift);
        }

        private int LiveEntries()
        {
            int n = 0;
            for (int s = _head; s >= 0 && n <= _capacity; s = _next[s])
            {
                n++;
            }

            return n;
        }

        /// <summary>Empties the ring or the table and the file table, and zeroes the counts (Start).</summary>
        private void Clear()
        {
            _events = 0;
            _lost = 0;
            _missed = 0;
            _faults = 0;
            _oldest = 0;
            _kept = 0;
            _undumped = 0;
            _fileCount = 0;
            _lastFile = null;
            _lastFileIndex = 0;
            for (int i = 0; i < _files.Length; i++)
            {
                _files[i] = null;
                _fileSent[i] = false;
            }

            for (int i = 0; i < _hash.Length; i++)
            {
                _hash[i] = 0;
            }

            _head = -1;
            _tail = -1;
            _freeEntry = _next.Length > 0 ? 0 : -1;
            for (int i = 0; i < _next.Length; i++)
            {
                _next[i] = i + 1 < _next.Length ? i + 1 : -1;
                _prev[i] = -1;
            }
        }

        // ---- reporting -------------------------------------------------------------------------

        private void WriteStartStop(bool start)
        {
            Reporter r = _reporter;
            long t = Now();
            lock (r.SyncRoot)
            {
                r.Begin().Append("[trace] ").Append(TraceMode.Name(_mode)).Append(start ? " on" : " off").Append(": layer ").Append(_layer.TraceLayer)
                    .Append(" over the ").Append(_heap.PolicyName).Append(" policy");
                if (start)
                {
                    r.Append(", ").Append(MetadataBytes).Append(" bytes of fixed storage");
                }
                else
                {
                    r.Append(", ").Append(_events).Append(" event(s)");
                }

                r.End();
                if (start)
                {
                    Records.Trace(r, "start", TraceMode.Name(_mode), _layer.TraceLayer, _heap.PolicyName, _heap.Arena.Size, _heap.BLOCKSIZE,
                        -1, _capacity, MetadataBytes, -1, -1, -1, -1, t);
                }
                else
                {
                    Records.Trace(r, "stop", TraceMode.Name(_mode), _layer.TraceLayer, _heap.PolicyName, -1, -1, -1, -1, -1, _events, -1,
                        _mode == TraceMode.Ring ? _lost : -1, _mode == TraceMode.Leaks ? _missed : -1, t);
                }
            }
        }

        private int DumpLocked(string why, long timeMs)
        {
            Reporter r = _reporter;
            lock (r.SyncRoot)
            {
                if (_mode == TraceMode.Stream)
                {
                    r.Line("[trace] stream mode keeps nothing to dump: every event went out as it happened");
                    Records.Note(r, "trace-stream", null);
                    return 0;
                }

                bool ring = _mode == TraceMode.Ring;
                int count = ring ? _kept : LiveEntries();
                r.Begin().Append("[trace] ").Append(ring ? "ring" : "leaks").Append(": ").Append(count)
                    .Append(ring ? " event(s) listed of " : " live allocation(s) of ").Append(_events).Append(" event(s) since start");
                if (ring ? _lost > 0 : _missed > 0)
                {
                    r.Append(", ").Append(ring ? _lost : _missed).Append(ring ? " lost (overwritten)" : " missed (table full)");
                }

                r.End();
                int d = r.BeginDump(why, timeMs);
                Records.Trace(r, ring ? "ring" : "leaks", TraceMode.Name(_mode), _layer.TraceLayer, _heap.PolicyName, _heap.Arena.Size,
                    _heap.BLOCKSIZE, -1, _capacity, -1, _events, count, ring ? _lost : -1, ring ? -1 : _missed, -1);
                for (int i = 0; i < _fileSent.Length; i++)
                {
                    _fileSent[i] = false;
                }

                if (ring)
                {
                    int slot = _oldest;
                    for (int i = 0; i < _kept; i++)
                    {
                        WriteKept(r, slot);
                        slot = slot + 1 == _capacity ? 0 : slot + 1;
                    }

                    _undumped = 0;
                }
                else
                {
                    int n = 0;
                    for (int s = _head; s >= 0 && n < _capacity; s = _next[s])
                    {
                        WriteKept(r, s);
                        n++;
                    }
                }

                r.EndDump();
                return d;
            }
        }

        private void WriteKept(Reporter r, int slot)
        {
            int[] ev = _ev;
            int w = slot * EVENT_WORDS;
            int kind = ev[w + 1];
            int fi = (kind >> FileShift) & FileMask;
            string name = null;
            if (fi != 0 && !_fileSent[fi])
            {
                name = _files[fi];
                _fileSent[fi] = true;
            }

            Records.TraceEvent(r, ev[w], kind & OpMask, ev[w + 2], ev[w + 3], ev[w + 4], _time[slot], ev[w + 5], fi, name, (kind >> LineShift) & MaxLine);
        }
    }
}
