// The host board: the sample firmware (boards/common/SensorLogger.cs) on the PC.
//
//   dotnet run --project boards/host                     quick run: 15 s of simulated time in
//                                                        well under a second, a periodic dump at
//                                                        10 s and the exit dump, on the console
//   dotnet run --project boards/host -- --seconds 60     real time, commands typed on stdin
//   dotnet run --project boards/host -- --serial /dev/pts/3
//                                                        real time on a serial device (a USB-serial
//                                                        adapter or a pseudo-terminal): dumps and
//                                                        command bytes go over it, as on a board
// Options: --steps N (readings, 100 ms apart), --seconds S (real time; 0 = until stopped),
// --serial PATH, --baud N, --write-timeout MS, --form text|records|both, --dump-every S (0 = off),
// --commands BYTES (fed as received command bytes at the first step), --board NAME, --heap N and
// --block-size N (preview another board's configuration on the PC), --trace stream|ring|leaks
// and --trace-capacity N (the firmware traces its own heap from the start: HeapTracer),
// --sample-ms MS (the time between readings), --bench [PAIRS] (the allocation benchmark every
// board can run: Checker.Nano/Benchmark/AllocBenchmark.cs), --bench-trace [PAIRS] (what tracing
// costs: TraceBenchmark.cs), --help.
using System;
using System.Diagnostics;
using System.IO;
using System.IO.Ports;
using System.Text;
using System.Threading;
using Checker.Nano;

namespace Checker.Nano.Boards
{
    /// <summary>The host board's constants (the seed's figures: 64 KiB arena, 4096-byte blocks).</summary>
    public static class HostBoard
    {
        /// <summary>The board's name in HELLO.</summary>
        public const string Name = "host";

        /// <summary>Arena bytes: the host board's HEAP.</summary>
        public const int HEAP = 65536;

        /// <summary>The host board's BLOCKSIZE (gmalloc.c's).</summary>
        public const int BLOCKSIZE = 4096;
    }

    /// <summary>The host board's entry point.</summary>
    public static class Program
    {
        /// <summary>What the options say.</summary>
        public sealed class Options
        {
            public int Steps = 150;
            public double Seconds = -1;           // < 0: simulated time
            public string Serial;
            public int Baud = 115200;
            public int WriteTimeoutMs = 2000;     // a serial write waiting longer loses its line (the reporter counts it)
            public ReportForm Form = ReportForm.Both;
            public double DumpEverySeconds = 10;
            public string Commands = "";
            public string Board = HostBoard.Name;
            public int Heap = HostBoard.HEAP;
            public int BlockSize = HostBoard.BLOCKSIZE;
            public int BenchPairs;                // > 0: run the allocation benchmark instead
            public int TraceBenchPairs;           // > 0: run the tracing benchmark instead
            public int TraceMode;                 // 0: no tracer; else Checker.Nano.TraceMode
            public int TraceCapacity = -1;        // < 0: the mode's default
            public double SampleMs = 100;
        }

        /// <summary>The ring's and the leaks table's size unless --trace-capacity says.</summary>
        public const int DefaultRingEvents = 256;

        /// <summary>The leaks table's size unless --trace-capacity says.</summary>
        public const int DefaultLeakEntries = 64;

        public const string Usage =
            "usage: dotnet run --project boards/host [-- options]\n" +
            "  (no option)         quick run: 150 readings 100 ms apart on a simulated clock, a dump\n" +
            "                      every 10 s and one at exit, on the console\n" +
            "  --steps N           readings to take (simulated clock)\n" +
            "  --seconds S         run in real time for S seconds (0: until stopped); commands from stdin\n" +
            "  --serial PATH       report on a serial device and read command bytes from it (real time)\n" +
            "  --baud N            serial baud rate (115200)\n" +
            "  --write-timeout MS  a serial write waiting longer loses its line (2000)\n" +
            "  --form F            text, records or both (both)\n" +
            "  --dump-every S      periodic dump every S seconds, 0 = none (10)\n" +
            "  --commands BYTES    command bytes received at the first step, e.g. D or SC\n" +
            "  --board NAME        the board name in HELLO (host)\n" +
            "  --heap N            HEAP, the arena's bytes (65536)\n" +
            "  --block-size N      BLOCKSIZE (4096)\n" +
            "  --trace MODE        trace the firmware's heap from the start: stream, ring or leaks\n" +
            "  --trace-capacity N  events the ring keeps (256) or allocations the leaks table keeps (64)\n" +
            "  --sample-ms MS      milliseconds between readings (100)\n" +
            "  --bench [PAIRS]     time malloc+free pairs against new byte[n] (100000 pairs) and exit\n" +
            "  --bench-trace [PAIRS]  time malloc+free pairs with tracing off and in each mode (100000) and exit\n" +
            "commands: D dump, S statistics, L leaks, C check, V version, H help; with --trace also T trace on, P trace off, E trace events";

        public static int Main(string[] args)
        {
            TextWriter stdout = Console.Out;
            try
            {
                Options o = Parse(args);
                if (o == null)
                {
                    stdout.WriteLine(Usage);
                    return 0;
                }

                if (o.BenchPairs > 0)
                {
                    Reporter reporter = new Reporter(new ConsoleSink());
                    reporter.Forms = ReportForm.Text;
                    AllocBenchmark.Run(reporter, o.Heap, o.BlockSize, o.BenchPairs);
                    return 0;
                }

                if (o.TraceBenchPairs > 0)
                {
                    Reporter reporter = new Reporter(new ConsoleSink());
                    reporter.Forms = ReportForm.Text;
                    TraceBenchmark.Run(reporter, o.Heap, o.BlockSize, o.TraceBenchPairs);
                    return 0;
                }

                return Run(o, stdout, o.Seconds >= 0 && o.Serial == null ? Console.In : null);
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine("host: " + e.Message);
                Console.Error.WriteLine(Usage);
                return 2;
            }
        }

        /// <summary>Parses the options (null for --help).</summary>
        public static Options Parse(string[] args)
        {
            Options o = new Options();
            for (int i = 0; i < args.Length; i++)
            {
                string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException(args[i] + " needs a value");
                switch (args[i])
                {
                    case "--steps":
                    case "--iterations":
                        o.Steps = int.Parse(Value());
                        break;
                    case "--seconds":
                        o.Seconds = double.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture);
                        break;
                    case "--serial":
                        o.Serial = Value();
                        if (o.Seconds < 0)
                        {
                            o.Seconds = 0;
                        }

                        break;
                    case "--baud":
                        o.Baud = int.Parse(Value());
                        break;
                    case "--write-timeout":
                        o.WriteTimeoutMs = int.Parse(Value());
                        if (o.WriteTimeoutMs < 1)
                        {
                            throw new ArgumentException("--write-timeout takes milliseconds, 1 or more");
                        }

                        break;
                    case "--form":
                        string f = Value();
                        o.Form = f == "text" ? ReportForm.Text : f == "records" ? ReportForm.Records : f == "both" ? ReportForm.Both
                            : throw new ArgumentException("--form takes text, records or both");
                        break;
                    case "--dump-every":
                        o.DumpEverySeconds = double.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture);
                        break;
                    case "--commands":
                        o.Commands = Value();
                        break;
                    case "--board":
                        o.Board = Value();
                        break;
                    case "--bench":
                        o.BenchPairs = i + 1 < args.Length && !args[i + 1].StartsWith("--") ? int.Parse(Value()) : 100000;
                        if (o.BenchPairs < 1)
                        {
                            throw new ArgumentException("--bench takes a number of pairs of at least 1");
                        }

                        break;
                    case "--bench-trace":
                        o.TraceBenchPairs = i + 1 < args.Length && !args[i + 1].StartsWith("--") ? int.Parse(Value()) : 100000;
                        if (o.TraceBenchPairs < 1)
                        {
                            throw new ArgumentException("--bench-trace takes a number of pairs of at least 1");
                        }

                        break;
                    case "--trace":
                        string mode = Value();
                        o.TraceMode = mode == "stream" ? Checker.Nano.TraceMode.Stream : mode == "ring" ? Checker.Nano.TraceMode.Ring
                            : mode == "leaks" ? Checker.Nano.TraceMode.Leaks : throw new ArgumentException("--trace takes stream, ring or leaks");
                        break;
                    case "--trace-capacity":
                        o.TraceCapacity = int.Parse(Value());
                        if (o.TraceCapacity < 1)
                        {
                            throw new ArgumentException("--trace-capacity takes a number of at least 1");
                        }

                        break;
                    case "--sample-ms":
                        o.SampleMs = double.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture);
                        if (o.SampleMs < 0)
                        {
                            throw new ArgumentException("--sample-ms takes a number of milliseconds, 0 or more");
                        }

                        break;
                    case "--heap":
                        o.Heap = int.Parse(Value());
                        break;
                    case "--block-size":
                        o.BlockSize = int.Parse(Value());
                        break;
                    case "-h":
                    case "--help":
                        return null;
                    default:
                        throw new ArgumentException("unknown option " + args[i]);
                }
            }

            return o;
        }

        /// <summary>
        /// Runs the firmware as <paramref name="o"/> says, the report going to
        /// <paramref name="output"/> (or to the serial device); command bytes come from
        /// <paramref name="commandInput"/> when it is given (real time on the console).
        /// </summary>
        public static int Run(Options o, TextWriter output, TextReader commandInput)
        {
            SerialPort port = null;
            SerialSink serial = null;
            ReportSink sink;
            if (o.Serial != null)
            {
                port = new SerialPort(o.Serial, o.Baud);
                port.WriteTimeout = o.WriteTimeoutMs;
                port.Open();
                serial = new SerialSink(port);
                sink = serial;
                output.WriteLine("host: reporting on " + o.Serial + " at " + o.Baud + " baud; send D, S, L, C, V or H there");
            }
            else
            {
                sink = new TextWriterSink(output);
            }

            bool simulated = o.Seconds < 0;
            HostPort hostPort = new HostPort(simulated, serial, commandInput, Encoding.ASCII.GetBytes(o.Commands));
            SensorLogger logger = new SensorLogger(o.Board, new byte[o.Heap], o.BlockSize, sink, hostPort);
            logger.Reporter.Forms = o.Form;
            logger.RuntimeMemory = new HostRuntimeMemory();
            logger.DumpEveryMs = (long)(o.DumpEverySeconds * 1000);
            int sampleMs = (int)Math.Ceiling(o.SampleMs);
            logger.SamplePeriodMs = Math.Max(sampleMs, 0);
            if (o.TraceMode != 0)
            {
                int capacity = o.TraceMode == Checker.Nano.TraceMode.Stream ? 0
                    : o.TraceCapacity > 0 ? o.TraceCapacity : o.TraceMode == Checker.Nano.TraceMode.Ring ? DefaultRingEvents : DefaultLeakEntries;
                logger.SetUpTrace(o.TraceMode, capacity);
            }

            logger.Start();
            logger.Tracer?.Start();
            try
            {
                if (simulated)
                {
                    logger.Run(o.Steps);
                }
                else
                {
                    // Steps on a schedule of SampleMs (fractions of a millisecond too): each waits for its
                    // time, a late one does not wait, so the rate holds as long as a step is faster.
                    Stopwatch sw = Stopwatch.StartNew();
                    for (long step = 1; o.Seconds == 0 || sw.Elapsed.TotalSeconds < o.Seconds; step++)
                    {
                        logger.Step();
                        double due = step * o.SampleMs;
                        double wait = due - sw.Elapsed.TotalMilliseconds;
                        if (wait >= 1)
                        {
                            hostPort.Sleep((int)wait);
                        }
                        else if (wait > 0)
                        {
                            SpinWait.SpinUntil(() => sw.Elapsed.TotalMilliseconds >= due);
                        }
                    }
                }

                logger.StopTrace();
                logger.Finish();
            }
            finally
            {
                output.Flush();
                port?.Close();
            }

            return 0;
        }
    }

    /// <summary>A sink writing the report lines to a TextWriter (the console).</summary>
    public sealed class TextWriterSink : ReportSink
    {
        private readonly TextWriter _writer;

        public TextWriterSink(TextWriter writer)
        {
            _writer = writer;
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            _writer.Write(Encoding.ASCII.GetString(buffer, offset, count));
        }
    }

    /// <summary>The PC's clock (or a simulated one), the serial device's or stdin's command bytes.</summary>
    public sealed class HostPort : BoardPort
    {
        private readonly bool _simulated;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly SerialSink _serial;
        private readonly byte[] _pending;
        private readonly System.Collections.Concurrent.ConcurrentQueue<byte> _typed = new();
        private long _simulatedMs;
        private int _pendingAt;

        public HostPort(bool simulated, SerialSink serial, TextReader commandInput, byte[] pending)
        {
            _simulated = simulated;
            _serial = serial;
            _pending = pending ?? Array.Empty<byte>();
            if (commandInput != null)
            {
                Thread reader = new Thread(() =>
                {
                    int c;
                    while ((c = commandInput.Read()) >= 0)
                    {
                        _typed.Enqueue((byte)c);
                    }
                })
                { IsBackground = true, Name = "stdin commands" };
                reader.Start();
            }
        }

        public override long NowMs => _simulated ? _simulatedMs : _clock.ElapsedMilliseconds;

        public override void Sleep(int milliseconds)
        {
            if (_simulated)
            {
                _simulatedMs += milliseconds;
            }
            else
            {
                Thread.Sleep(milliseconds);
            }
        }

        public override int ReadCommands(byte[] buffer, int offset, int count)
        {
            int n = 0;
            while (_pendingAt < _pending.Length && n < count)
            {
                buffer[offset + n++] = _pending[_pendingAt++];
            }

            if (n == 0 && _serial != null)
            {
                n = _serial.ReadCommands(buffer, offset, count);
            }

            while (n < count && _typed.TryDequeue(out byte b))
            {
                buffer[offset + n++] = b;
            }

            return n;
        }
    }

    /// <summary>
    /// The .NET runtime's memory figures (RTMEM on the host). Like the ESP32 boards' GC.Run(false),
    /// it collects first: managed = the bytes the GC has committed and how many of them hold no
    /// live object after the collection; process = the working set.
    /// </summary>
    public sealed class HostRuntimeMemory : RuntimeMemory
    {
        public override int Sample(RuntimeFigure[] figures)
        {
            GC.Collect();
            GCMemoryInfo info = GC.GetGCMemoryInfo();
            long committed = info.TotalCommittedBytes;
            long used = GC.GetTotalMemory(false);
            figures[0].Set("managed", committed, Math.Max(0, committed - used), -1);
            figures[1].Set("process", Environment.WorkingSet, -1, -1);
            return 2;
        }
    }
}
