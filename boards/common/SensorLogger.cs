// The sample firmware every board runs: a small sensor logger that keeps its data in a
// Checker.Nano arena through the debug heap, and reports on the heap through the reporter.
//
// What it does, every step (SamplePeriodMs, 100 ms by default):
//  - reads the sensor into a short-lived "reading" block (12 bytes: time, value, sequence), copies
//    it into the current batch and frees it: the churn of small fragments a driver makes;
//  - every BatchSamples readings (2 s) packs the batch into a "packet" (min, max, mean and the
//    values), "sends" it (a checksum stands in for the radio), frees it, and keeps a 16-byte
//    summary in a ring of the last HistoryBatches summaries (client blocks, subtype 1);
//  - every CalibrationEveryBatches batches builds and drops a 3000-byte calibration table: a
//    whole-block object on every board;
//  - THE DELIBERATE LEAK: every LeakEveryBatches-th batch the send "fails" and the retry code
//    keeps the packet for a retry that never comes. The packet is never freed. At most MaxLeaks
//    packets leak, so a board can run for days; the leak dump shows them with the file and line
//    of the allocation in SendBatch.
//  - passes the command bytes received on the report UART to the triggers (D dump, S stats,
//    L leaks, C check, V version, H help), dumps when the user button goes down, and ticks the
//    periodic (DumpEveryMs) and low-memory (LowMemoryBytes) triggers.
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

        private const int ReadingBytes = 12;
        private const int SampleBytes = 8;
        private const int SummaryBytes = 16;
        private const int CalibrationBytes = 3000;

        private readonly Heap _heap;
        private readonly DebugHeap _debug;
        private readonly Reporter _reporter;
        private readonly HeapReport _report;
        private readonly ReportTriggers _triggers;
        private readonly BoardPort _port;
        private readonly int[] _history = new int[HistoryBatches];
        private readonly byte[] _rx = new byte[32];

        private int _batch;            // the current batch buffer (BatchSamples * 8 bytes), 0 = none
        private int _inBatch;          // readings in it
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
            _heap = new Heap(arena, blockSize);
            _reporter = new Reporter(sink);
            _reporter.SyncRoot = _heap.SyncRoot;   // one lock for the heap, its layers and the reporter
            _debug = new DebugHeap(_heap, _reporter);
            _report = new HeapReport(_heap, _reporter);
            _report.Board = board;
            _report.App = AppName;

            // The debug heap's part of every dump: its statistics, the leak list (TYPE, PEAK, LEAK).
            _report.AddSection(new DebugHeapSection(_debug));

            _triggers = new ReportTriggers(_report);
            _triggers.PeriodMs = 30000;
            _triggers.LowMemoryBytes = arena.Length / 8;
        }

        /// <summary>The base heap.</summary>
        public Heap Heap
        {
            get { return _heap; }
        }

        /// <summary>The debug heap every allocation goes through.</summary>
        public DebugHeap DebugHeap
        {
            get { return _debug; }
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

        /// <summary>Packets leaked on purpose so far.</summary>
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
            int reading = _debug.Malloc(ReadingBytes);
            if (reading == 0)
            {
                Failed("reading");
                return;
            }

            _debug.WriteInt32(reading, 0, (int)now);
            _debug.WriteInt32(reading, 4, value);
            _debug.WriteInt32(reading, 8, _sequence);
            _sequence++;

            if (_batch == 0)
            {
                _batch = _debug.Malloc(BatchSamples * SampleBytes);
                _inBatch = 0;
                if (_batch == 0)
                {
                    _debug.Free(reading);
                    Failed("batch");
                    return;
                }
            }

            // time and value into the batch; the reading itself is done with
            _debug.WriteInt32(_batch, _inBatch * SampleBytes, _debug.ReadInt32(reading, 0));
            _debug.WriteInt32(_batch, _inBatch * SampleBytes + 4, _debug.ReadInt32(reading, 4));
            _debug.Free(reading);
            _inBatch++;
            if (_inBatch == BatchSamples)
            {
                SendBatch();
            }
        }

        private void SendBatch()
        {
            int min = int.MaxValue, max = int.MinValue;
            long sum = 0;
            for (int i = 0; i < _inBatch; i++)
            {
                int v = _debug.ReadInt32(_batch, i * SampleBytes + 4);
                min = v < min ? v : min;
                max = v > max ? v : max;
                sum += v;
            }

            int mean = (int)(sum / _inBatch);
            _batches++;

            // The packet: min, max, then the values.
            int packet = _debug.Malloc(8 + (4 * _inBatch));
            if (packet != 0)
            {
                _debug.WriteInt32(packet, 0, min);
                _debug.WriteInt32(packet, 4, max);
                int checksum = min ^ max;
                for (int i = 0; i < _inBatch; i++)
                {
                    int v = _debug.ReadInt32(_batch, i * SampleBytes + 4);
                    _debug.WriteInt32(packet, 8 + (4 * i), v);
                    checksum = (checksum * 31) + v;
                }

                _lastChecksum = checksum;
                bool sendFailed = _batches % LeakEveryBatches == 0 && _leaked < MaxLeaks;
                if (sendFailed)
                {
                    // The bug the leak dump is for: the packet is "kept for a retry" and forgotten.
                    _leaked++;
                }
                else
                {
                    _debug.Free(packet);
                }
            }
            else
            {
                Failed("packet");
            }

            _debug.Free(_batch);
            _batch = 0;
            _inBatch = 0;
            KeepSummary(min, max, mean);

            if (_batches % CalibrationEveryBatches == 0)
            {
                int table = _debug.Malloc(CalibrationBytes);
                if (table != 0)
                {
                    _debug.Fill(table, 0, CalibrationBytes, 0x5A);
                    _debug.Free(table);
                }
                else
                {
                    Failed("calibration");
                }
            }
        }

        private void KeepSummary(int min, int max, int mean)
        {
            int old = _history[_historyNext];
            if (old != 0)
            {
                _debug.Free(old, BlockType.ClientBlock(SummarySubtype));
            }

            int summary = _debug.Malloc(SummaryBytes, BlockType.ClientBlock(SummarySubtype));
            _history[_historyNext] = summary;
            _historyNext = (_historyNext + 1) % HistoryBatches;
            if (summary == 0)
            {
                Failed("summary");
                return;
            }

            _debug.WriteInt32(summary, 0, _batches);
            _debug.WriteInt32(summary, 4, min);
            _debug.WriteInt32(summary, 8, max);
            _debug.WriteInt32(summary, 12, mean);
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
    }
}
