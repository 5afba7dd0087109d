using System;
using System.IO;
using System.Linq;
using Checker.Nano;
using Checker.Nano.Boards;
using Checker.Nano.Protocol;
using Xunit;

namespace Checker.Nano.Host.Tests
{
    /// <summary>Records written by the firmware's reporter, read back by the host parser.</summary>
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
            var reader = new CnReader();
            reader.FeedText(sink.Text);

            Assert.Equal(0, reader.BadRecords);
            Assert.Equal(0, reader.MissingNumbers);
            Assert.Equal(0, reader.OtherVersion);
            Assert.Equal("host", reader.Hello["board"]);
            Assert.Equal(65536, reader.Hello.Int("heap"));
            Assert.Equal(4096, reader.Hello.Int("bs"));
            Assert.Equal(new[] { "timer", "exit" }, reader.Dumps.Select(d => d.Why));
            Assert.Equal(new long?[] { 10000, 15000 }, reader.Dumps.Select(d => d.TimeMs));
            Assert.All(reader.Dumps, d => Assert.True(d.Complete, "dump " + d.D + " incomplete"));
            Assert.Equal(reader.Records.Count, reader.Records.Select(r => r.N).Distinct().Count());
        }

        [Fact]
        public void LastDump_StatEqualsTheHeapsMStats()
        {
            var (logger, sink) = RunLogger(150, 0);
            var reader = new CnReader();
            reader.FeedText(sink.Text);
            CnDump dump = Assert.Single(reader.Dumps);
            CnRecord stat = dump.First("STAT");
            MStats m = logger.Heap.MStats();
            Assert.Equal(m.BytesTotal, stat.Int("bytes_total"));
            Assert.Equal(m.ChunksUsed, stat.Int("chunks_used"));
            Assert.Equal(m.BytesUsed, stat.Int("bytes_used"));
            Assert.Equal(m.ChunksFree, stat.Int("chunks_free"));
            Assert.Equal(m.BytesFree, stat.Int("bytes_free"));
            Assert.Equal(m.LargestFreeRun, stat.Int("largest_free"));
            Assert.Equal(m.ArenaBytes, stat.Int("arena"));
            Assert.Equal(m.ArenaAvailable, stat.Int("arena_avail"));
            Assert.Equal(m.MetadataBytes, stat.Int("meta"));
            Assert.Equal(m.BlockSize, stat.Int("bs"));

            CnRecord frag = dump.First("FRAG");
            long free = frag.Long("free"), largest = frag.Long("largest");
            Assert.Equal(1000 * (free - largest) / free, frag.Long("pm"));

            // Fragment rows add up to the chunks of STAT (no whole-block object is live at exit).
            long used = dump.OfType("FRGS").Sum(r => r.Long("used")) + dump.First("OBJS").Long("count");
            Assert.Equal(m.ChunksUsed, used);

            // The debug heap's rows: the leaked packets are Normal blocks besides the open batch.
            CnRecord normal = dump.OfType("TYPE").Single(r => r["name"] == "Normal");
            Assert.Equal(logger.Leaked + 1, normal.Int("count"));
            var packets = dump.OfType("LEAK").Where(r => r.Int("type") == 1 && r.Int("size") == 88).ToList();
            Assert.Equal(logger.Leaked, packets.Count);
            Assert.All(packets, p => Assert.Equal("SensorLogger.cs", p["file"]));
            Assert.Equal(4, dump.OfType("LEAK").Count(r => r.Int("type") == 4 && r.Int("sub") == SensorLogger.SummarySubtype));

            // Checker's garbage report: every kept packet but the one still in the retry global is lost.
            CnRecord garb = Assert.Single(dump.OfType("GARB"));
            Assert.Equal(logger.Leaked - 1, garb.Int("count"));
            Assert.Equal(88 * (logger.Leaked - 1), garb.Int("bytes"));
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
            var reader = new CnReader();
            reader.FeedText(sink.Text);
            Assert.Equal(0, reader.BadRecords);
            Assert.Equal(5, reader.Records.Count);

            CnRecord hello = reader.Records[0];
            Assert.Equal("app with spaces %=*@ é€", hello["app"]);
            Assert.Equal(new[] { "n", "rev", "board", "app", "heap", "bs", "lcap" }, hello.Keys);

            CnRecord leak = reader.Records[1];
            Assert.Equal(0x1C10, leak.Long("addr"));
            Assert.Equal("Sensor Logger.cs", leak["file"]);
            Assert.Equal("CD41", leak["data"]);
            Assert.Equal(2, leak.Int("sub"));

            CnRecord err = reader.Records[2];
            Assert.False(err.Has("size"));
            Assert.False(err.Has("afile"));
            Assert.Equal("logger.cs", err["file"]);

            Assert.Equal("heapinfo[3]: nfree 2 of 64 fragments", reader.Records[3]["first"]);
            Assert.Equal("0", reader.Records[3]["ok"]);

            CnRecord garb = reader.Records[4];
            Assert.Equal(new[] { "n", "fam", "kind", "count", "bytes", "addr", "type", "sub", "line", "file" }, garb.Keys);
            Assert.Equal("maybe", garb["kind"]);
            Assert.Equal(7, garb.Int("sub"));
            Assert.Equal("Sensors.cs", garb["file"]);
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
                var reader = new CnReader();
                reader.Feed(noisy);
                if (reader.Records.Count == 1)
                {
                    Assert.Equal(line.Substring(0, line.LastIndexOf(" *")), reader.Records[0].Body);   // only if the change was undone
                }

                // cut anywhere: rejected
                string cut = line.Substring(0, rng.Next(5, line.Length - 1));
                reader = new CnReader();
                reader.Feed(cut);
                Assert.Empty(reader.Records);
                Assert.Equal(1, reader.BadRecords);
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
            var reader = new CnReader();
            reader.Feed("\u0001\u00ffboot garbage " + lines[0] + lines[1]);
            Assert.Equal(0, reader.BadRecords);
            Assert.Equal(new[] { "a", "b" }, reader.Records.Select(x => x["what"]));
            reader.Feed(lines[1].Replace("@CN1", "@CN2"));
            Assert.Equal(1, reader.OtherVersion);
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
            var reader = new CnReader();
            reader.FeedText(sink.Inner.Text);
            Assert.Equal(2, reader.DroppedLines);
            Assert.Equal(2, reader.MissingNumbers);
            Assert.Equal(new[] { "1", "4" }, reader.Records.Where(x => x.Type == "NOTE").Select(x => x["what"]));
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
