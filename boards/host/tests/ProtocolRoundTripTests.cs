using System;
using System.IO;
using System.Linq;
using Checker.Nano;
using Checker.Nano.Boards;
using Checker.Nano.Dumps;
using Xunit;

namespace Checker.Nano.Host.Tests
{
    /// <summary>Records written by the firmware's reporter, read back by the host tools' parser (tools/Checker.Nano.Dumps).</summary>
    public class ProtocolRoundTripTests
    {
        private static (SensorLogger logger, MemorySink sink) RunLogger(int steps, long dumpEveryMs)
        {
            var sink = new MemorySink();
            var port = new HostPort(simulated: true, serial: null, commandInput: null, pending: null);
            var logger = new SensorLogger(HostBoard.Name, new byte[HostBoard.HEAP], HostBoard.BLOCKSIZE, sink, port);
            logger.DumpEveryMs = dumpEveryMs;
            logger.Start();
            logger.Run(steps);
            logger.Finish();
            return (logger, sink);
        }

        [Fact]
        public void LoggerDumps_ParseBack_EveryRecordValidAndNumbered()
        {
            var (logger, sink) = RunLogger(150, 10000);
            ParsedLog log = LogParser.ParseText(sink.Text);

            Assert.Empty(log.Skips);
            Assert.Equal(0, log.RecordsLost);
            Assert.Equal(0, log.UnknownTypes);
            Hello hello = Assert.Single(log.Hellos);
            Assert.Equal("host", hello.Board);
            Assert.Equal(65536, hello.Heap);
            Assert.Equal(4096, hello.BlockSize);
            Assert.Equal(Reporter.ProtocolRevision, hello.Rev);
            Assert.Equal(new[] { "timer", "exit" }, log.Dumps.Select(d => d.Why));
            Assert.Equal(new long?[] { 10000, 15000 }, log.Dumps.Select(d => d.TimeMs));
            Assert.All(log.Dumps, d => Assert.True(d.Complete, "dump " + d.Number + ": " + d.Problem));
            Assert.Equal(log.Records.Count, log.Records.Select(r => r.N).Distinct().Count());
        }

        [Fact]
        public void LastDump_StatEqualsTheHeapsMStats()
        {
            var (logger, sink) = RunLogger(150, 0);
            ParsedLog log = LogParser.ParseText(sink.Text);
            Dump dump = Assert.Single(log.Dumps);
            CnRecord stat = dump.First("STAT");
            MStats m = logger.Heap.MStats();
            Assert.Equal(m.BytesTotal, stat.IntOf("bytes_total"));
            Assert.Equal(m.ChunksUsed, stat.IntOf("chunks_used"));
            Assert.Equal(m.BytesUsed, stat.IntOf("bytes_used"));
            Assert.Equal(m.ChunksFree, stat.IntOf("chunks_free"));
            Assert.Equal(m.BytesFree, stat.IntOf("bytes_free"));
            Assert.Equal(m.LargestFreeRun, stat.IntOf("largest_free"));
            Assert.Equal(m.ArenaBytes, stat.IntOf("arena"));
            Assert.Equal(m.ArenaAvailable, stat.IntOf("arena_avail"));
            Assert.Equal(m.MetadataBytes, stat.IntOf("meta"));
            Assert.Equal(m.BlockSize, stat.IntOf("bs"));

            CnRecord frag = dump.First("FRAG");
            long free = frag.LongOf("free"), largest = frag.LongOf("largest");
            Assert.Equal(1000 * (free - largest) / free, frag.LongOf("pm"));

            // Fragment rows add up to the chunks of STAT (no whole-block object is live at exit).
            long used = dump.OfType("FRGS").Sum(r => r.LongOf("used")) + dump.First("OBJS").LongOf("count");
            Assert.Equal(m.ChunksUsed, used);

            // MAP: the heap's own table, entry by entry.
            int[] rows = new int[logger.Heap.MaxWalkRows * BaseHeap.WALK_WORDS];
            int count = logger.Heap.WalkTable(rows);
            Assert.Equal(logger.Heap.HeapBase, dump.Map.HeapBase);
            Assert.Equal(0, dump.Map.MissingBlocks);
            Assert.Equal(count, dump.Map.Runs.Count);
            for (int i = 0; i < count; i++)
            {
                int r = i * BaseHeap.WALK_WORDS;   // offset, bytes, state, free
                MapRun run = dump.Map.Runs[i];
                Assert.Equal(logger.Heap.BLOCK(rows[r]), run.FirstBlock);
                Assert.Equal(rows[r + 1] / logger.Heap.BLOCKSIZE, run.Blocks);
                Assert.Equal(rows[r + 2] > 0 ? rows[r + 2] : 0, run.FragmentSize);
                Assert.Equal(rows[r + 3], run.FreeFragments);
            }

            // The debug heap's rows: the leaked packets are Normal blocks besides the open batch.
            CnRecord normal = dump.OfType("TYPE").Single(r => r.Text("name") == "Normal");
            Assert.Equal(logger.Leaked + 1, normal.IntOf("count"));
            var packets = dump.OfType("LEAK").Where(r => r.Int32("type") == 1 && r.Int32("size") == 88).ToList();
            Assert.Equal(logger.Leaked, packets.Count);
            Assert.All(packets, p => Assert.Equal("SensorLogger.cs", p.Text("file")));
            Assert.Equal(4, dump.OfType("LEAK").Count(r => r.Int32("type") == 4 && r.Int32("sub") == SensorLogger.SummarySubtype));

            // Checker's garbage report: every kept packet but the one still in the retry global is lost.
            CnRecord garb = Assert.Single(dump.OfType("GARB"));
            Assert.Equal(logger.Leaked - 1, garb.IntOf("count"));
            Assert.Equal(88 * (logger.Leaked - 1), garb.IntOf("bytes"));
            Assert.Equal(0, logger.Checker.AgingCount);   // freed blocks are given back every step
        }

        [Fact]
        public void EveryWriter_RoundTripsItsFields()
        {
            var sink = new MemorySink();
            var r = new Reporter(sink) { Forms = ReportForm.Records };
            Records.Hello(r, "esp32-s3", "app with spaces %=*@ é€", 524288, 2048);
            Records.Leak(r, 87, 4, 2, 40, 0x1C10, "C:\\src\\Sensor Logger.cs", 12, new byte[] { 0xCD, 0x41 }, 0, 2);
            Records.Error(r, 2, "double-free", "free", 0x1C10, -1, 0x1C10, 40, 87, 1, "/x/logger.cs", 51, null, -1);
            Records.Check(r, "heap", 1, "heapinfo[3]: nfree 2 of 64 fragments");
            Records.Garbage(r, 2, Records.GarbageMaybe, 1, 64, 0x593C, 4, 7, "/src/Sensors.cs", 117);
            ParsedLog log = LogParser.ParseText(sink.Text);
            Assert.Equal(0, log.Rejected());
            Assert.Equal(5, log.Records.Count);

            CnRecord hello = log.Records[0];
            Assert.Equal("app with spaces %=*@ é€", hello.Text("app"));
            Assert.Equal(new[] { "n", "rev", "board", "app", "heap", "bs", "lcap" }, hello.Fields.Select(f => f.Key));

            CnRecord leak = log.Records[1];
            Assert.Equal(0x1C10, leak.LongOf("addr"));
            Assert.Equal("Sensor Logger.cs", leak.Text("file"));
            Assert.Equal("CD41", leak.Text("data"));
            Assert.Equal(2, leak.IntOf("sub"));

            CnRecord err = log.Records[2];
            Assert.False(err.Has("size"));
            Assert.False(err.Has("afile"));
            Assert.Equal("logger.cs", err.Text("file"));

            Assert.Equal("heapinfo[3]: nfree 2 of 64 fragments", log.Records[3].Text("first"));
            Assert.Equal("0", log.Records[3].Text("ok"));

            CnRecord garb = log.Records[4];
            Assert.Equal(new[] { "n", "fam", "kind", "count", "bytes", "addr", "type", "sub", "line", "file" }, garb.Fields.Select(f => f.Key));
            Assert.Equal("maybe", garb.Text("kind"));
            Assert.Equal(7, garb.IntOf("sub"));
            Assert.Equal("Sensors.cs", garb.Text("file"));
        }

        [Fact]
        public void DamagedLines_AreRejectedNeverMisread()
        {
            var (_, sink) = RunLogger(30, 0);
            string[] records = sink.Text.Split('\n').Where(l => l.StartsWith("@CN1 ")).ToArray();
            Assert.True(records.Length > 10);
            var rng = new Random(6);
            foreach (string line in records)
            {
                // one character changed: the CRC (or the length) catches it
                int at = rng.Next(line.Length);
                char c = line[at] == 'x' ? 'y' : 'x';
                string noisy = line.Substring(0, at) + c + line.Substring(at + 1);
                var parser = new LogParser();
                if (parser.AddLine(noisy).Count == 1)
                {
                    Assert.Equal(line, parser.Log.Records[0].Raw);   // only if the change was undone
                }

                // cut anywhere: rejected
                string cut = line.Substring(0, rng.Next(5, line.Length - 1));
                parser = new LogParser();
                Assert.Empty(parser.AddLine(cut));
                Assert.Equal(1, parser.Log.SkipCount(SkipReason.Cut));
            }
        }

        [Fact]
        public void MergedLinesAndNoisePrefix_AreRecovered()
        {
            var sink = new MemorySink();
            var r = new Reporter(sink) { Forms = ReportForm.Records };
            Records.Note(r, "a", null);
            Records.Note(r, "b", "x y");
            string[] lines = sink.Text.TrimEnd('\n').Split('\n');
            var parser = new LogParser();
            parser.AddLine("\u0001\u00ffboot garbage " + lines[0] + lines[1]);
            Assert.Empty(parser.Log.Skips);
            Assert.Equal(new[] { "a", "b" }, parser.Log.Records.Select(x => x.Text("what")));
            Assert.Equal("x y", parser.Log.Records[1].Text("text"));
            parser.AddLine(lines[1].Replace("@CN1", "@CN2"));
            Assert.Equal(1, parser.Log.SkipCount(SkipReason.UnknownVersion));
        }

        [Fact]
        public void LostLines_ShowAsDropAndGaps()
        {
            var sink = new ThrowingSink();
            var r = new Reporter(sink) { Forms = ReportForm.Records };
            Records.Note(r, "1", null);
            sink.Throw = true;
            Records.Note(r, "2", null);
            Records.Note(r, "3", null);
            sink.Throw = false;
            Records.Note(r, "4", null);
            ParsedLog log = LogParser.ParseText(sink.Inner.Text);
            Assert.Equal(2, log.DroppedByBoard);
            Assert.Equal(2, log.RecordsLost);
            Assert.Equal(new[] { "1", "4" }, log.Notes.Select(x => x.Text("what")));
        }

        private sealed class ThrowingSink : ReportSink
        {
            public readonly MemorySink Inner = new();
            public bool Throw;

            public override void Write(byte[] buffer, int offset, int count)
            {
                if (Throw)
                {
                    throw new IOException("unplugged");
                }

                Inner.Write(buffer, offset, count);
            }
        }
    }
}
