// The sample firmware every board runs: a small sensor logger that keeps its data in a
// Checker.Nano arena through Checker (which owns the debug heap and the base heap), and reports
// on the heap through the reporter.
//
// Memory: the board's HEAP bytes are one CheckerHeap (Checker/README.md): Checker's maps at the
// bottom, then the data zone (DataBytes: the logger keeps no globals there; kept so the layouts
// stay as measured), then the heap. The offsets the firmware keeps from one step to the next (the
// batch being filled, the ring of summaries, the packet kept for a retry) are in a C# field, the
// int[] _roots, registered with Checker (AddRoots) so that the garbage detector reads them as
// roots; every read and write of a block goes through Checker's checked accessors.
//
// What it does, every step (SamplePeriodMs, 100 ms by default):
//  - reads the sensor into a short-lived "reading" block (12 bytes: time, value, sequence), copies
//    it into the current batch and frees it: the churn of small fragments a driver makes;
//  - every BatchSamples readings (2 s) packs the batch into a "packet" (min, max and the
//    values), "sends" it (a checksum stands in for the radio), frees it, and keeps a 16-byte
//    summary in a ring of the last HistoryBatches summaries (client blocks, subtype 1);
//  - every CalibrationEveryBatches batches builds and drops a 3000-byte calibration table: a
//    whole-block object on every board;
//  - THE DELIBERATE LEAK: every LeakEveryBatches-th batch the send "fails" and the packet is kept
//    for a retry in a root slot, RetryRoot. The next failure overwrites that slot without
//    freeing the packet it held, and the retry never comes. At most MaxLeaks packets are kept,
//    so a board can run for days. The debug heap's leak dump lists every kept packet (still
//    allocated, with the file and line of the allocation in SendBatch); Checker's garbage
//    report finds all but the last one lost (no root or live block points to them).
//  - THE DELIBERATE BUGS, once, with the first batch: a status message (SendStatus) is built
//    with one field never written and then read ("ruh"), a checksum written one word past the
//    end of its block ("bvh"), and a read through the pointer after free ("rfb"). Checker
//    reports each at once, in text and as an ERR record, with the lines of this file.
//  - gives the blocks freed during the step back (Checker ages freed blocks: until then a stale
//    pointer is a sure "rfb"/"wfb"), so the dumps see only live blocks;
//  - passes the command bytes received on the report UART to the triggers (D dump, S stats,
//    L leaks, C check, V version, H help), dumps when the user button goes down, and ticks the
//    periodic (DumpEveryMs) and low-memory (LowMemoryBytes) triggers.
// Every dump carries the debug heap's statistics and leak dump and Checker's garbage report;
// command C checks the base heap, the debug heap and Checker's maps.
// Device subset of C# only: it is compiled into every board's .nfproj and into the host board.
using Checker.Nano;

namespace Checker.Nano.Boards
{
    /// <summary>The sample sensor-logging firmware (see the top of this file).</summary>
    public sealed class SensorLogger
    {
        /// <summary>The app's name in HELLO.</summary>
        public const string AppName = "sensor-logger";

        /// <summary>Milliseconds between readings.</summary>
        public int SamplePeriodMs = 100;

        /// <summary>Readings per batch.</summary>
        public const int BatchSamples = 20;

        /// <summary>Batch summaries kept.</summary>
        public const int HistoryBatches = 4;

        /// <summary>Every this many batches, one packet leaks (the deliberate bug).</summary>
        public const int LeakEveryBatches = 3;

        /// <summary>No more packets leak than this.</summary>
        public const int MaxLeaks = 8;

        /// <summary>Every this many batches a calibration table is built and dropped.</summary>
        public const int CalibrationEveryBatches = 5;

        /// <summary>The client subtype of the batch summaries.</summary>
        public const int SummarySubtype = 1;

        /// <summary>Bytes of Checker's data zone (16 words; the logger's offsets are in its registered int[] instead).</summary>
        public const int DataBytes = 64;

        /// <summary>Bytes of Checker's stack zone: the firmware pushes no frames.</summary>
        public const int StackBytes = 0;

        /// <summary>Root slot (element of the registered int[]) holding the batch being filled, 0 = none.</summary>
        public const int BatchRoot = 0;

        /// <summary>First of the HistoryBatches root slots holding the kept summaries.</summary>
        public const int HistoryRoot = 1;

        /// <summary>Root slot holding the packet kept for a retry (overwritten by the next failure: the leak).</summary>
        public const int RetryRoot = HistoryRoot + HistoryBatches;

        /// <summary>How many root slots the logger keeps.</summary>
        public const int RootSlots = RetryRoot + 1;

        private const int ReadingBytes = 12;
        private const int SampleBytes = 8;
        private const int SummaryBytes = 16;
        private const int StatusBytes = 16;
        private const int CalibrationBytes = 3000;

        private readonly CheckerHeap _checker;
        private readonly Reporter _reporter;
        private readonly HeapReport _report;
        private readonly ReportTriggers _triggers;
        private readonly BoardPort _port;
        private readonly byte[] _rx = new byte[32];
        private readonly int[] _roots = new int[RootSlots];   // the offsets kept across steps: Checker's roots

        private int _inBatch;          // readings in the current batch
        private int _sequence;         // readings taken
        private int _batches;          // batches sent
        private int _historyNext;
        private int _leaked;
        private int _failures;         // allocations that failed
        private bool _buttonWasDown;
        private uint _noise = 12345;
        private int _lastChecksum;

        /// <summary>
        /// The logger on an arena of <paramref name="arena"/>.Length bytes (the board's HEAP) with
        /// <paramref name="blockSize"/>-byte blocks (its BLOCKSIZE), reporting to <paramref name="sink"/>.
        /// </summary>
        public SensorLogger(string board, byte[] arena, int blockSize, ReportSink sink, BoardPort port)
        {
            if (port == null)
            {
                throw new System.ArgumentNullException("port");
            }

            _port = port;
            _reporter = new Reporter(sink);
            _checker = new CheckerHeap(arena, blockSize, DataBytes, StackBytes, _reporter);
            _reporter.SyncRoot = _checker.Heap.SyncRoot;   // one lock for the heap, its layers and the reporter
            _checker.AddRoots(_roots);
            _report = new HeapReport(_checker.Heap, _reporter);
            _report.Board = board;
            _report.App = AppName;

            // Every dump: the debug heap's statistics and leak list (TYPE, PEAK, LEAK), then
            // Checker's garbage report (GARB).
            _report.AddSection(new DebugHeapSection(_checker.DebugHeap));
            _report.AddSection(new CheckerSection(_checker));

            _triggers = new ReportTriggers(_report);
            _triggers.PeriodMs = 30000;
            _triggers.LowMemoryBytes = arena.Length / 8;
        }

        /// <summary>The base heap.</summary>
        public BaseHeap Heap
        {
            get { return _checker.Heap; }
        }

        /// <summary>The debug heap under Checker.</summary>
        public DebugHeap DebugHeap
        {
            get { return _checker.DebugHeap; }
        }

        /// <summary>Checker: every allocation and every access to a block goes through it.</summary>
        public CheckerHeap Checker
        {
            get { return _checker; }
        }

        /// <summary>The reporter (its Forms choose text, records or both).</summary>
        public Reporter Reporter
        {
            get { return _reporter; }
        }

        /// <summary>The dump writer.</summary>
        public HeapReport Report
        {
            get { return _report; }
        }

        /// <summary>The triggers (PeriodMs, LowMemoryBytes).</summary>
        public ReportTriggers Triggers
        {
            get { return _triggers; }
        }

        /// <summary>Where the runtime's memory figures come from (the board's).</summary>
        public RuntimeMemory RuntimeMemory
        {
            get { return _report.RuntimeMemory; }
            set { _report.RuntimeMemory = value; }
        }

        /// <summary>Milliseconds between periodic dumps (0: none).</summary>
        public long DumpEveryMs
        {
            get { return _triggers.PeriodMs; }
            set { _triggers.PeriodMs = value; }
        }

        /// <summary>Readings taken.</summary>
        public int Readings
        {
            get { return _sequence; }
        }

        /// <summary>Batches sent.</summary>
        public int Batches
        {
            get { return _batches; }
        }

        /// <summary>Packets kept for a retry and never freed (the deliberate leak) so far.</summary>
        public int Leaked
        {
            get { return _leaked; }
        }

        /// <summary>Allocations that failed (the arena was full).</summary>
        public int Failures
        {
            get { return _failures; }
        }

        /// <summary>The checksum of the last packet "sent".</summary>
        public int LastChecksum
        {
            get { return _lastChecksum; }
        }

        /// <summary>Says hello (HELLO and the command list) and starts the clock of the periodic dump.</summary>
        public void Start()
        {
            _report.Hello();
            _report.Help();
            _triggers.Tick(_port.NowMs);
        }

        /// <summary>
        /// Runs <paramref name="steps"/> steps (negative: forever), waiting SamplePeriodMs after
        /// each.
        /// </summary>
        public void Run(int steps)
        {
            for (int i = 0; steps < 0 || i < steps; i++)
            {
                Step();
                _port.Sleep(SamplePeriodMs);
            }
        }

        /// <summary>One step: a reading, maybe a batch, the command bytes, the button, the triggers.</summary>
        public void Step()
        {
            long now = _port.NowMs;
            TakeReading(now);
            _checker.ReleaseAged();

            int n = _port.ReadCommands(_rx, 0, _rx.Length);
            if (n > 0)
            {
                _triggers.Commands(_rx, 0, n, now);
            }

            bool down = _port.ButtonPressed;
            if (down && !_buttonWasDown)
            {
                _report.Dump("button", now);
            }

            _buttonWasDown = down;
            _triggers.Tick(now);
        }

        /// <summary>The dump made when the firmware stops (why=exit).</summary>
        public int Finish()
        {
            return _report.Dump("exit", _port.NowMs);
        }

        private void TakeReading(long now)
        {
            _noise = _noise * 1103515245 + 12345;
            int value = _port.ReadSensor(_sequence, _noise >> 16);
            int reading = _checker.Malloc(ReadingBytes);
            if (reading == 0)
            {
                Failed("reading");
                return;
            }

            _checker.WriteInt32(reading, (int)now);
            _checker.WriteInt32(reading + 4, value);
            _checker.WriteInt32(reading + 8, _sequence);
            _sequence++;

            int batch = _roots[BatchRoot];
            if (batch == 0)
            {
                batch = _checker.Malloc(BatchSamples * SampleBytes);
                _inBatch = 0;
                if (batch == 0)
                {
                    _checker.Free(reading);
                    Failed("batch");
                    return;
                }

                _roots[BatchRoot] = batch;
            }

            // time and value into the batch; the reading itself is done with
            _checker.WriteInt32(batch + (_inBatch * SampleBytes), _checker.ReadInt32(reading));
            _checker.WriteInt32(batch + (_inBatch * SampleBytes) + 4, _checker.ReadInt32(reading + 4));
            _checker.Free(reading);
            _inBatch++;
            if (_inBatch == BatchSamples)
            {
                SendBatch(batch, now);
            }
        }

        private void SendBatch(int batch, long now)
        {
            int min = int.MaxValue, max = int.MinValue;
            long sum = 0;
            for (int i = 0; i < _inBatch; i++)
            {
                int v = _checker.ReadInt32(batch + (i * SampleBytes) + 4);
                min = v < min ? v : min;
                max = v > max ? v : max;
                sum += v;
            }

            int mean = (int)(sum / _inBatch);
            _batches++;

            // The packet: min, max, then the values.
            int packet = _checker.Malloc(8 + (4 * _inBatch));
            if (packet != 0)
            {
                _checker.WriteInt32(packet, min);
                _checker.WriteInt32(packet + 4, max);
                int checksum = min ^ max;
                for (int i = 0; i < _inBatch; i++)
                {
                    int v = _checker.ReadInt32(batch + (i * SampleBytes) + 4);
                    _checker.WriteInt32(packet + 8 + (4 * i), v);
                    checksum = (checksum * 31) + v;
                }

                _lastChecksum = checksum;
                bool sendFailed = _batches % LeakEveryBatches == 0 && _leaked < MaxLeaks;
                if (sendFailed)
                {
                    // The bug the leak dump and the garbage report are for: the packet is kept for
                    // a retry in a root slot that the next failure overwrites, and never freed.
                    _roots[RetryRoot] = packet;
                    _leaked++;
                }
                else
                {
                    _checker.Free(packet);
                }
            }
            else
            {
                Failed("packet");
            }

            _checker.Free(batch);
            _roots[BatchRoot] = 0;
            _inBatch = 0;
            KeepSummary(min, max, mean);

            if (_batches == 1)
            {
                SendStatus(now);
            }

            if (_batches % CalibrationEveryBatches == 0)
            {
                int table = _checker.Malloc(CalibrationBytes);
                if (table != 0)
                {
                    _checker.Fill(table, CalibrationBytes, 0x5A);
                    _checker.Free(table);
                }
                else
                {
                    Failed("calibration");
                }
            }
        }

        private void KeepSummary(int min, int max, int mean)
        {
            int slot = HistoryRoot + _historyNext;
            int old = _roots[slot];
            if (old != 0)
            {
                _checker.Free(old);
            }

            int summary = _checker.Malloc(SummaryBytes, BlockType.ClientBlock(SummarySubtype));
            _roots[slot] = summary;
            _historyNext = (_historyNext + 1) % HistoryBatches;
            if (summary == 0)
            {
                Failed("summary");
                return;
            }

            _checker.WriteInt32(summary, _batches);
            _checker.WriteInt32(summary + 4, min);
            _checker.WriteInt32(summary + 8, max);
            _checker.WriteInt32(summary + 12, mean);
        }

        /// <summary>
        /// The status message sent once, with the first batch: readings, batches, failures and
        /// uptime. It holds THE DELIBERATE BUGS Checker reports (ruh, bvh, rfb).
        /// </summary>
        private void SendStatus(long now)
        {
            int status = _checker.Malloc(StatusBytes);
            if (status == 0)
            {
                Failed("status");
                return;
            }

            _checker.WriteInt32(status, _sequence);
            _checker.WriteInt32(status + 4, _batches);
            _checker.WriteInt32(status + 12, (int)now);   // bug: the failures word (status + 8) is never written

            int checksum = 0;
            for (int i = 0; i < StatusBytes / 4; i++)
            {
                checksum = (checksum * 31) + _checker.ReadInt32(status + (4 * i));   // ruh at i = 2
            }

            _checker.WriteInt32(status + StatusBytes, checksum);   // bvh: the checksum has no room in the block
            _checker.Free(status);
            int batches = _checker.ReadInt32(status + 4);          // rfb: the log line reads it after the free
            lock (_reporter.SyncRoot)
            {
                _reporter.Begin().Append("[").Append(AppName).Append("] status sent: batch ").Append(batches)
                    .Append(", checksum ").Append(checksum).End();
            }
        }

        private void Failed(string what)
        {
            _failures++;
            lock (_reporter.SyncRoot)
            {
                _reporter.Begin().Append("[").Append(AppName).Append("] out of memory: no ").Append(what)
                    .Append(" (").Append(_failures).Append(" failure(s))").End();
                Records.Note(_reporter, "app-out-of-memory", what);
            }
        }

        // ---- Heap tracing (optional) ----------------------------------------------------------
        // A HeapTracer on Checker, the layer the firmware calls, stamped with the board's clock:
        // SetUpTrace before Start makes it (its storage, once) and gives it to the report, so that
        // commands T, P and E start it, stop it and dump what it keeps, and dumps carry its status.
        // (Kept at the end of this file so that the lines the READMEs quote stay where they are.)

        private HeapTracer _tracer;

        /// <summary>The heap tracer (null until SetUpTrace).</summary>
        public HeapTracer Tracer
        {
            get { return _tracer; }
        }

        /// <summary>
        /// Sets up heap tracing of the firmware's calls (Checker's) in <paramref name="mode"/>
        /// (TraceMode.Stream, Ring or Leaks) keeping <paramref name="capacity"/> events or live
        /// allocations (0 in stream mode). Call before Start; start it with Tracer.Start() or T.
        /// </summary>
        public HeapTracer SetUpTrace(int mode, int capacity)
        {
            _tracer = new HeapTracer(_checker, _reporter, mode, capacity);
            _tracer.Clock = new PortClock(_port);
            _report.Tracer = _tracer;
            return _tracer;
        }

        /// <summary>Stops the tracer and, in ring or leaks mode, dumps what it keeps (why=trace-exit); nothing without one.</summary>
        public void StopTrace()
        {
            if (_tracer == null)
            {
                return;
            }

            _tracer.Stop();
            if (_tracer.Mode != TraceMode.Stream)
            {
                _tracer.Dump("trace-exit", _port.NowMs);
            }
        }

        /// <summary>The board's clock for the tracer.</summary>
        private sealed class PortClock : TraceClock
        {
            private readonly BoardPort _port;

            public PortClock(BoardPort port)
            {
                _port = port;
            }

            public override long NowMs
            {
                get { return _port.NowMs; }
            }
        }
    }
}
