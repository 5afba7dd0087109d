// The sample firmware traces itself (SensorLogger.SetUpTrace: a HeapTracer on Checker), its log is
// read back and converted (DeviceTraces, what `checker-nano trace` runs), and the trace file is
// compared with the firmware's original events, written down by a hook beside the tracer with no
// wire in between: the same events, the same sites, and so the same smallest HEAP on every layer
// and policy. Also: the host board's --trace switch, in each mode.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Checker.Nano;
using Checker.Nano.Boards;
using Checker.Nano.Dumps;
using Checker.Nano.Traces;
using Xunit;

namespace Checker.Nano.Host.Tests
{
    public class TraceRoundTripTests
    {
        /// <summary>Hands each event to the tracer, and writes it down directly as a trace (ids by offset, sites as the converter names them).</summary>
        private sealed class DirectTrace : TraceHook
        {
            private readonly TraceHook _tracer;
            private readonly Dictionary<int, int> _live = new Dictionary<int, int>();

            public DirectTrace(TraceHook tracer)
            {
                _tracer = tracer;
            }

            public TraceWriter Writer { get; } = new TraceWriter();

            public override void Record(int op, int ptr, int aux, int size, int blockUse, string file, int line)
            {
                _tracer.Record(op, ptr, aux, size, blockUse, file, line);
                int site = file == null || op == OpFree ? 0 : Writer.Site(blockUse < 0 ? "-" : BlockTypes.Name(blockUse & 0xFFFF, (blockUse >> 16) == 0 ? null : blockUse >> 16),
                    Path.GetFileName(file.Replace('\\', '/')) + ":" + line);
                switch (op)
                {
                    case OpMalloc:
                    case OpCalloc:
                    case OpMemalign:
                        if (ptr != 0)
                        {
                            _live[ptr] = Writer.Allocate(op == OpCalloc ? aux : 1, size, op == OpCalloc, site);
                        }

                        break;
                    case OpRealloc:
                        if (ptr != 0)
                        {
                            int id = _live[aux];
                            _live.Remove(aux);
                            Writer.Realloc(id, size, site);
                            _live[ptr] = id;
                        }

                        break;
                    case OpFree:
                        Writer.Free(_live[ptr]);
                        _live.Remove(ptr);
                        break;
                }
            }
        }

        private static (string Log, Trace Direct) RunTraced(int mode, int capacity, int steps)
        {
            var sink = new MemorySink();
            var port = new HostPort(simulated: true, serial: null, commandInput: null, pending: null);
            var logger = new SensorLogger(HostBoard.Name, new byte[HostBoard.HEAP], HostBoard.BLOCKSIZE, sink, port);
            logger.DumpEveryMs = 30000;
            HeapTracer tracer = logger.SetUpTrace(mode, capacity);
            logger.Start();
            tracer.Start();
            var direct = new DirectTrace(tracer);
            logger.Checker.TraceHook = direct;
            logger.Run(steps);
            logger.Checker.TraceHook = tracer;
            logger.StopTrace();
            logger.Finish();
            Assert.Equal(0, tracer.Faults);
            return (sink.Text, TraceReader.Parse(direct.Writer.ToText("direct"), "direct"));
        }

        [Theory]
        [InlineData(TraceMode.Stream, 0)]
        [InlineData(TraceMode.Ring, 64)]
        public void Firmware_Log_Trace_Replay_GivesTheSmallestHeapOfTheOriginalEvents(int mode, int capacity)
        {
            (string text, Trace direct) = RunTraced(mode, capacity, 900);
            ParsedLog log = LogParser.ParseText(text, "board.log");
            Assert.Empty(log.Skips);
            DeviceTrace found = Assert.Single(DeviceTraces.Find(log));
            Assert.Equal(TraceMode.Name(mode), found.Mode);
            Assert.Equal("checker", found.Layer);
            TraceConversion c = DeviceTraces.Convert(found, "board.log", "firmware.trace", keepGoing: false);
            Assert.False(c.Refused, string.Join("; ", c.Problems));
            Assert.Equal(0, c.Lost);
            Assert.False(c.Incomplete);
            Trace fromLog = c.Trace;

            // The same events, in the same order, at the same sites.
            Assert.Equal(direct.Events.Length, fromLog.Events.Length);
            Assert.True(direct.Events.Length > 1900, direct.Events.Length.ToString());
            for (int i = 0; i < direct.Events.Length; i++)
            {
                Assert.Equal(direct.Events[i].ToString(), fromLog.Events[i].ToString());
                Assert.Equal(direct.EventSites[i] == 0 ? null : direct.Sites[direct.EventSites[i] - 1].ToString(),
                    fromLog.EventSites[i] == 0 ? null : fromLog.Sites[fromLog.EventSites[i] - 1].ToString());
            }

            Assert.Equal(direct.PeakLiveBytes, fromLog.PeakLiveBytes);

            // And so the same smallest HEAP on every layer and policy.
            foreach (HeapLayer layer in new[] { HeapLayer.Base, HeapLayer.Debug, HeapLayer.Checker })
            {
                foreach ((HeapPolicy policy, int bs) in new[] { (HeapPolicy.Seed, 4096), (HeapPolicy.Seed, 256), (HeapPolicy.Compact, 256) })
                {
                    Assert.Equal(TraceMaps.Search(direct, layer, bs, policy).HeapBytes, TraceMaps.Search(fromLog, layer, bs, policy).HeapBytes);
                }
            }
        }

        [Fact]
        public void HostBoard_TraceSwitch_StreamRingLeaks()
        {
            foreach (string mode in new[] { "stream", "ring", "leaks" })
            {
                var output = new StringWriter();
                Program.Options o = Program.Parse(new[] { "--trace", mode, "--trace-capacity", "32", "--steps", "200" });
                Assert.Equal(0, Program.Run(o, output, null));
                ParsedLog log = LogParser.ParseText(output.ToString());
                Assert.Empty(log.Skips);
                DeviceTrace t = Assert.Single(DeviceTraces.Find(log));
                Assert.Equal(mode, t.Mode);
                Assert.True(t.HasStart && t.HasStop);
                if (mode == "leaks")
                {
                    // The exit's leaks dump: the blocks still live, as a leak list: after 10 batches,
                    // the three packets kept for a retry (line 329) and the last four summaries (395).
                    Dump leaks = log.Dumps.Single(d => d.IsTraceLeaks);
                    Assert.Equal("trace-exit", leaks.Why);
                    Assert.Equal(new[] { 329, 329, 329, 395, 395, 395, 395 }, leaks.Leaks.Select(l => l.SourceLine ?? 0).OrderBy(x => x).ToArray());
                    Assert.Equal(new[] { "SensorLogger.cs" }, leaks.Leaks.Select(l => l.File).Distinct().ToArray());
                }
                else
                {
                    Assert.Equal(0, t.MissingEvents);
                    Assert.Equal(t.DeviceEvents, t.Events.Count);
                }
            }
        }
    }
}
