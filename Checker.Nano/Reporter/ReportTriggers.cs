// What starts a dump, besides a direct call to HeapReport.Dump:
//  - periodically: Tick(now) from the firmware's main loop (or a System.Threading.Timer callback)
//    dumps every PeriodMs (why=timer);
//  - on low memory: Tick(now) or CheckLowMemory(now) dumps once when the heap's free bytes plus the
//    arena's headroom fall below LowMemoryBytes (why=low), and again only after they have risen
//    above LowMemoryBytes + LowMemoryHysteresisBytes; a heap tracer in ring mode then dumps its
//    ring too (why=trace-low);
//  - by a command byte received on the same UART (Commands): D dump, S statistics, L leaks,
//    C check, V version (HELLO), T, P and E the heap tracer (HeapReport.Tracer: start, stop, dump
//    what it keeps), H or ? help. Letters are taken in either case. CR, LF, space,
//    tab and NUL are separators and ignored silently; any other byte is ignored with one note per
//    call ("[reporter] N command byte(s) ignored, first 0xNN; H for help" and NOTE cmd-ignored),
//    so a noisy line cannot flood the wire.
// The clock is the firmware's, in milliseconds (DateTime.UtcNow.Ticks / 10000 on a device, a
// simulated clock in tests and on the host's quick run). Every method takes the triggers' own lock,
// then the report takes the heap's and the reporter's.
namespace Checker.Nano
{
    /// <summary>Periodic, low-memory and command-byte triggers for a <see cref="HeapReport"/>.</summary>
    public sealed class ReportTriggers
    {
        private readonly HeapReport _report;
        private readonly object _sync = new object();
        private long _periodMs;
        private long _nextMs = -1;
        private int _lowBytes;
        private int _hysteresisBytes = -1;
        private bool _lowFired;

        /// <summary>Triggers for <paramref name="report"/>; all off until set.</summary>
        public ReportTriggers(HeapReport report)
        {
            if (report == null)
            {
                throw new System.ArgumentNullException("report");
            }

            _report = report;
        }

        /// <summary>The report the triggers dump.</summary>
        public HeapReport Report
        {
            get { return _report; }
        }

        /// <summary>Milliseconds between periodic dumps; 0 (the default) switches them off.</summary>
        public long PeriodMs
        {
            get { return _periodMs; }
            set
            {
                lock (_sync)
                {
                    _periodMs = value < 0 ? 0 : value;
                    _nextMs = -1;
                }
            }
        }

        /// <summary>Free bytes (heap free + arena headroom) under which a dump is made; 0 (the default) switches it off.</summary>
        public int LowMemoryBytes
        {
            get { return _lowBytes; }
            set
            {
                lock (_sync)
                {
                    _lowBytes = value < 0 ? 0 : value;
                    _lowFired = false;
                }
            }
        }

        /// <summary>How far free memory must rise above LowMemoryBytes to re-arm the trigger (default: one BLOCKSIZE).</summary>
        public int LowMemoryHysteresisBytes
        {
            get { return _hysteresisBytes < 0 ? _report.Heap.BLOCKSIZE : _hysteresisBytes; }
            set { _hysteresisBytes = value; }
        }

        /// <summary>
        /// Call regularly with the firmware's clock: makes the periodic dump when due, and checks
        /// low memory. Returns the number of the dump made, or 0.
        /// </summary>
        public int Tick(long nowMs)
        {
            lock (_sync)
            {
                int d = CheckLowMemoryInternal(nowMs);
                if (_periodMs <= 0)
                {
                    return d;
                }

                if (_nextMs < 0)
                {
                    _nextMs = nowMs + _periodMs;
                    return d;
                }

                if (nowMs < _nextMs)
                {
                    return d;
                }

                _nextMs += _periodMs;
                if (_nextMs <= nowMs)
                {
                    _nextMs = nowMs + _periodMs;   // late by more than a period: no burst of catch-up dumps
                }

                return _report.Dump("timer", nowMs);
            }
        }

        /// <summary>Checks low memory now (e.g. after a large allocation); returns the dump's number, or 0.</summary>
        public int CheckLowMemory(long nowMs)
        {
            lock (_sync)
            {
                return CheckLowMemoryInternal(nowMs);
            }
        }

        private int CheckLowMemoryInternal(long nowMs)
        {
            if (_lowBytes <= 0)
            {
                return 0;
            }

            int free = _report.Heap.FreeAndHeadroomBytes();
            if (_lowFired)
            {
                if (free > _lowBytes + LowMemoryHysteresisBytes)
                {
                    _lowFired = false;
                }

                return 0;
            }

            if (free >= _lowBytes)
            {
                return 0;
            }

            _lowFired = true;
            int d = _report.Dump("low", nowMs);
            HeapTracer tracer = _report.Tracer;
            if (tracer != null && tracer.Mode == TraceMode.Ring)
            {
                d = tracer.Dump("trace-low", nowMs);   // the events that led here
            }

            return d;
        }

        /// <summary>Handles one command byte; returns the dump's number if it made one, else 0.</summary>
        public int Command(byte command, long nowMs)
        {
            lock (_sync)
            {
                int ignored = 0;
                int d = Handle(command, nowMs, ref ignored);
                if (ignored > 0)
                {
                    NoteIgnored(ignored, command);
                }

                return d;
            }
        }

        /// <summary>
        /// Handles the command bytes received (e.g. what SerialPort.Read gave); returns the number
        /// of the last dump made, or 0. Bytes that mean nothing are noted once for the whole call.
        /// </summary>
        public int Commands(byte[] buffer, int offset, int count, long nowMs)
        {
            lock (_sync)
            {
                int last = 0;
                int ignored = 0;
                int first = -1;
                for (int i = 0; i < count; i++)
                {
                    byte b = buffer[offset + i];
                    int before = ignored;
                    int d = Handle(b, nowMs, ref ignored);
                    if (ignored > before && first < 0)
                    {
                        first = b;
                    }

                    if (d != 0)
                    {
                        last = d;
                    }
                }

                if (ignored > 0)
                {
                    NoteIgnored(ignored, first);
                }

                return last;
            }
        }

        private int Handle(byte b, long nowMs, ref int ignored)
        {
            int c = b >= 'a' && b <= 'z' ? b - 32 : b;
            switch (c)
            {
                case 'D':
                    return _report.Dump("cmd-D", nowMs, HeapReport.All);
                case 'S':
                    return _report.Dump("cmd-S", nowMs, HeapReport.Base | HeapReport.Runtime);
                case 'L':
                    if (!_report.HasLeakSection)
                    {
                        Reporter r = _report.Reporter;
                        lock (r.SyncRoot)
                        {
                            r.Line("[reporter] no leak list: the debug heap is not in use (D dumps the base heap)");
                            Records.Note(r, "no-leak-list", null);
                        }

                        return 0;
                    }

                    return _report.Dump("cmd-L", nowMs, HeapReport.LeakSections);
                case 'C':
                    _report.Check();
                    return 0;
                case 'V':
                    _report.Hello();
                    return 0;
                case 'T':
                case 'P':
                case 'E':
                    return TraceCommand(c, nowMs);
                case 'H':
                case '?':
                    _report.Help();
                    return 0;
                case ' ':
                case '\t':
                case '\r':
                case '\n':
                case 0:
                    return 0;
                default:
                    ignored++;
                    return 0;
            }
        }

        /// <summary>T starts the heap tracer, P stops it, E dumps what it keeps (ring or leaks); a note when there is none.</summary>
        private int TraceCommand(int c, long nowMs)
        {
            HeapTracer tracer = _report.Tracer;
            if (tracer == null)
            {
                Reporter r = _report.Reporter;
                lock (r.SyncRoot)
                {
                    r.Line("[reporter] no heap tracer: T, P and E need HeapReport.Tracer");
                    Records.Note(r, "no-tracer", null);
                }

                return 0;
            }

            if (c == 'T')
            {
                tracer.Start();
                return 0;
            }

            if (c == 'P')
            {
                tracer.Stop();
                return 0;
            }

            return tracer.Dump("cmd-E", nowMs);
        }

        private void NoteIgnored(int count, int first)
        {
            Reporter r = _report.Reporter;
            lock (r.SyncRoot)
            {
                r.Begin().Append("[reporter] ").Append(count).Append(" command byte(s) ignored, first 0x").AppendHex(first, 2)
                    .Append("; H for help").End();
                Records.IgnoredCommands(r, count, first);
            }
        }
    }
}
