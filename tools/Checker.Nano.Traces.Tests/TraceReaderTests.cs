using System.IO;
using System.IO.Compression;
using System.Text;
using Xunit;

namespace Checker.Nano.Traces.Tests
{
    public class TraceReaderTests
    {
        private const string Header = "# checker-nano trace v1\n# source: test\n";

        [Fact]
        public void Parse_GoodTrace_GivesEventsHeaderAndFigures()
        {
            Trace t = TraceReader.Parse(
                "# checker-nano trace v1\n"
                + "# source: unit test, 6 events, peak live 340 bytes in 3 blocks\n"
                + "# note: first note\n"
                + "a 1 100\n"
                + "c 2 10 20\n"
                + "# a comment between events\n"
                + "r 1 40\n"
                + "a 3 100\n"
                + "f 2\n"
                + "f 3\n", "good.txt");

            Assert.Equal("good", t.Name);
            Assert.Equal("unit test, 6 events, peak live 340 bytes in 3 blocks", t.Source);
            Assert.Equal(new[] { "first note" }, t.Notes);
            Assert.Equal(6, t.Events.Length);
            Assert.Equal(3, t.MaxId);
            Assert.Equal(340, t.PeakLiveBytes);   // 40 + 200 + 100 after "a 3 100"
            Assert.Equal(3, t.PeakLiveBlocks);
            Assert.Equal((2, 1, 1, 2), (t.Mallocs, t.Callocs, t.Reallocs, t.Frees));
            Assert.Equal(1, t.LiveBlocksAtEnd);
            Assert.Equal(40, t.LiveBytesAtEnd);
            Assert.Equal(200, t.LargestRequest);

            TraceEvent c = t.Events[1];
            Assert.Equal(TraceOp.Calloc, c.Op);
            Assert.Equal((2, 10, 20, 200, 5), (c.Id, c.Count, c.ElementSize, c.Size, c.Line));
            Assert.Equal("c 2 10 20", c.ToString());
            Assert.Equal(7, t.Events[2].Line);
            Assert.Equal("r 1 40", t.Events[2].ToString());
        }

        [Fact]
        public void Parse_MallocOfZero_IsALiveBlockOfNoBytes()
        {
            Trace t = TraceReader.Parse(Header + "a 1 0\nf 1\n", "zero.txt");
            Assert.Equal(0, t.PeakLiveBytes);
            Assert.Equal(TraceOp.Free, t.Events[1].Op);
        }

        [Fact]
        public void Parse_CrLfLineEnds_AreAccepted()
        {
            Trace t = TraceReader.Parse("# checker-nano trace v1\r\n# source: x\r\na 1 8\r\nf 1\r\n", "crlf.txt");
            Assert.Equal(2, t.Events.Length);
        }

        [Theory]
        [InlineData("", 1, "empty file (expected '# checker-nano trace v1')")]
        [InlineData("# checker-nano trace v2\n# source: x\n", 1, "expected '# checker-nano trace v1' on line 1")]
        [InlineData("# checker-nano trace v1\na 1 8\n", 2, "expected '# source: ...' on line 2")]
        [InlineData("# checker-nano trace v1\n", 2, "expected '# source: ...' on line 2")]
        [InlineData(Header + "a 1 8\nx 2 8\n", 4, "unknown record 'x' (expected a, c, r or f)")]
        [InlineData(Header + "m 1 8\n", 3, "unknown record 'm' (expected a, c, r or f)")]
        [InlineData(Header + "aa 1 8\n", 3, "unknown record 'aa' (expected a, c, r or f)")]
        [InlineData(Header + "a 1\n", 3, "'a' takes two numbers: a <id> <size>")]
        [InlineData(Header + "a 1 8 9\n", 3, "'a' takes two numbers: a <id> <size>")]
        [InlineData(Header + "c 1 8\n", 3, "'c' takes three numbers: c <id> <count> <size>")]
        [InlineData(Header + "a 1 8\nr 1\n", 4, "'r' takes two numbers: r <id> <newsize>")]
        [InlineData(Header + "a 1 8\nf 1 8\n", 4, "'f' takes one number: f <id>")]
        [InlineData(Header + "a 1 -8\n", 3, "'-8' is not a decimal number")]
        [InlineData(Header + "a 1 8x\n", 3, "'8x' is not a decimal number")]
        [InlineData(Header + "a 1 0x10\n", 3, "'0x10' is not a decimal number")]
        [InlineData(Header + "a 1 2147483648\n", 3, "'2147483648' is too large (the limit is 2147483647)")]
        [InlineData(Header + "a 1  8\n", 3, "empty field (fields are separated by one space)")]
        [InlineData(Header + "a 1 8 \n", 3, "leading or trailing space")]
        [InlineData(Header + "a 1 8\n\nf 1\n", 4, "empty line")]
        [InlineData(Header + "a 0 8\n", 3, "id 0: ids start at 1")]
        [InlineData(Header + "a 1 8\na 1 8\n", 4, "id 1 is reused (first allocated at line 3)")]
        [InlineData(Header + "a 1 8\nf 1\na 1 8\n", 5, "id 1 is reused (first allocated at line 3)")]
        [InlineData(Header + "a 1 8\na 3 8\n", 4, "id 3 skips ahead: the next new id is 2")]
        [InlineData(Header + "a 1 8\nf 2\n", 4, "free of id 2, which was never allocated")]
        [InlineData(Header + "a 1 8\nr 7 16\n", 4, "realloc of id 7, which was never allocated")]
        [InlineData(Header + "a 1 8\nf 1\nf 1\n", 5, "id 1 is freed twice (first freed at line 4)")]
        [InlineData(Header + "a 1 8\nf 1\nr 1 16\n", 5, "realloc of id 1, which was freed at line 4")]
        [InlineData(Header + "a 1 8\nr 1 0\n", 4, "realloc to 0 bytes (the format writes realloc(p, 0) as 'f')")]
        [InlineData(Header + "c 1 65536 65536\n", 3, "calloc 65536 * 65536 does not fit in a 32-bit size")]
        [InlineData("# checker-nano trace v1\n# source: x, 3 events, peak live 8 bytes in 1 blocks\na 1 8\nf 1\n", 2,
            "the source line says 3 events but the trace has 2")]
        [InlineData("# checker-nano trace v1\n# source: x, 2 events, peak live 9 bytes in 1 blocks\na 1 8\nf 1\n", 2,
            "the source line says peak live 9 bytes in 1 blocks but the events give 8 bytes in 1 blocks")]
        public void Parse_BadInput_ThrowsNamingFileAndLine(string text, int line, string reason)
        {
            var e = Assert.Throws<TraceFormatException>(() => TraceReader.Parse(text, "bad.txt"));
            Assert.Equal(line, e.LineNumber);
            Assert.Equal(reason, e.Reason);
            Assert.Equal("bad.txt", e.FileName);
            Assert.Equal($"bad.txt:{line}: {reason}", e.Message);
        }

        [Fact]
        public void Read_GzipAndPlainFiles_GiveTheSameTrace()
        {
            string text = Header + "a 1 24\na 2 5000\nr 1 48\nf 2\n";
            string dir = Path.Combine(Path.GetTempPath(), "checker-nano-traces-" + System.Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            try
            {
                string plain = Path.Combine(dir, "t.txt");
                string gz = Path.Combine(dir, "t.txt.gz");
                File.WriteAllText(plain, text, Encoding.ASCII);
                using (FileStream f = File.Create(gz))
                using (var z = new GZipStream(f, CompressionLevel.Fastest))
                {
                    byte[] bytes = Encoding.ASCII.GetBytes(text);
                    z.Write(bytes, 0, bytes.Length);
                }

                Trace a = TraceReader.Read(plain);
                Trace b = TraceReader.Read(gz);
                Assert.Equal("t", a.Name);
                Assert.Equal("t", b.Name);
                Assert.Equal(a.Events, b.Events);
                Assert.Equal(5048, b.PeakLiveBytes);
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }

        [Fact]
        public void Read_BadGzipFile_NamesThePathAndLine()
        {
            string dir = Path.Combine(Path.GetTempPath(), "checker-nano-traces-" + System.Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            try
            {
                string gz = Path.Combine(dir, "bad.txt.gz");
                using (FileStream f = File.Create(gz))
                using (var z = new GZipStream(f, CompressionLevel.Fastest))
                {
                    byte[] bytes = Encoding.ASCII.GetBytes(Header + "a 1 8\nf 1\nf 1\n");
                    z.Write(bytes, 0, bytes.Length);
                }

                var e = Assert.Throws<TraceFormatException>(() => TraceReader.Read(gz));
                Assert.Equal($"{gz}:5: id 1 is freed twice (first freed at line 4)", e.Message);
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }

        [Fact]
        public void PeakRoundedLiveBytes_RoundsEachLiveRequest()
        {
            Trace t = TraceReader.Parse(Header + "a 1 5\na 2 100\nr 1 20\nf 2\na 3 3000\n", "r.txt");
            // live after each event, rounded at BLOCKSIZE 4096: 8; 8+128; 32+128; 32; 32+4096
            Assert.Equal(4128, t.PeakRoundedLiveBytes(s => Fragmentation.HeapRounding(s, 4096)));
        }
    }
}
