// A gzip trace is checked against its trailer (the CRC-32 and length of its data) before a line
// is parsed: a file cut anywhere says "truncated", never what its partial last line would say.
using System;
using System.IO;
using System.IO.Compression;
using System.Text;
using Xunit;

namespace Checker.Nano.Traces.Tests
{
    public class GzipTrailerTests
    {
        /// <summary>Ids 1..1012 allocated, 101 freed early, 1012 freed last: a cut can leave "f 101".</summary>
        private static string Text()
        {
            var b = new StringBuilder("# checker-nano trace v1\n# source: test\n");
            for (int id = 1; id <= 1012; id++)
            {
                b.Append("a ").Append(id).Append(' ').Append(8 + (id % 50)).Append('\n');
            }

            b.Append("f 101\nf 1012\n");
            return b.ToString();
        }

        private static byte[] Gzip(string text)
        {
            using var output = new MemoryStream();
            using (var z = new GZipStream(output, CompressionLevel.Optimal))
            {
                byte[] bytes = Encoding.ASCII.GetBytes(text);
                z.Write(bytes, 0, bytes.Length);
            }

            return output.ToArray();
        }

        /// <summary>What a plain decompression makes of <paramref name="file"/> (no trailer check), or null when it throws.</summary>
        private static string Lenient(byte[] file)
        {
            try
            {
                using var gz = new GZipStream(new MemoryStream(file), CompressionMode.Decompress);
                using var text = new StreamReader(gz, Encoding.ASCII);
                return text.ReadToEnd();
            }
            catch (InvalidDataException)
            {
                return null;
            }
        }

        private static string Write(byte[] bytes)
        {
            string path = Path.Combine(Path.GetTempPath(), "checker-nano-traces-" + Guid.NewGuid().ToString("N") + ".txt.gz");
            File.WriteAllBytes(path, bytes);
            return path;
        }

        [Fact]
        public void Crc32_IsGzipsOwn()
        {
            byte[] check = Encoding.ASCII.GetBytes("123456789");
            Assert.Equal(0xCBF43926u, TraceReader.Crc32(check, 0, check.Length));
            byte[] file = Gzip(Text());
            Assert.Equal(BitConverter.ToUInt32(file, file.Length - 8), TraceReader.Crc32(Encoding.ASCII.GetBytes(Text()), 0, Text().Length));
        }

        [Fact]
        public void WholeFile_Reads()
        {
            string path = Write(Gzip(Text()));
            try
            {
                Trace t = TraceReader.Read(path);
                Assert.Equal(1014, t.Events.Length);
                Assert.Equal(1010, t.LiveBlocksAtEnd);
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Fact]
        public void EveryCut_IsReportedAsTruncated_NeverAsAnErrorOfItsLines()
        {
            byte[] file = Gzip(Text());
            int falseDoubleFrees = 0;
            for (int cut = 0; cut < file.Length; cut++)
            {
                byte[] part = file.AsSpan(0, cut).ToArray();
                string lenient = Lenient(part);
                if (lenient != null && lenient.EndsWith("\nf 101\nf 101", StringComparison.Ordinal))
                {
                    // What the reader made of such a cut before it read the trailer: a double free
                    // that the program never did ("f 1012" cut to "f 101").
                    falseDoubleFrees++;
                    var e = Assert.Throws<TraceFormatException>(() => TraceReader.Parse(lenient, "t.txt.gz"));
                    Assert.Equal("t.txt.gz:1016: id 101 is freed twice (first freed at line 1015)", e.Message);
                }

                var x = Assert.Throws<InvalidDataException>(() => TraceReader.Gunzip(part));
                Assert.StartsWith(cut < 18 ? "truncated gzip: " + cut + " bytes, less than a header and a trailer" : "truncated", x.Message);
            }

            Assert.True(falseDoubleFrees > 0, "no cut left \"f 101\": the test shows nothing");
        }

        [Fact]
        public void ACutFile_SaysTruncated_WithTheBytesItHolds()
        {
            byte[] file = Gzip(Text());
            for (int cut = file.Length - 8; cut > 18; cut--)
            {
                byte[] part = file.AsSpan(0, cut).ToArray();
                string lenient = Lenient(part);
                if (lenient != null && lenient.EndsWith("\nf 101\nf 101", StringComparison.Ordinal))
                {
                    string path = Write(part);
                    try
                    {
                        var e = Assert.Throws<InvalidDataException>(() => TraceReader.Read(path));
                        Assert.Equal($"truncated gzip: its trailer's CRC-32 and length do not match the {lenient.Length} bytes it decompresses to", e.Message);
                        return;
                    }
                    finally
                    {
                        File.Delete(path);
                    }
                }
            }

            Assert.Fail("no cut left \"f 101\"");
        }

        [Fact]
        public void TwoMembers_AreCheckedByTheLast()
        {
            // gzip files may be concatenated: the trailer at the end describes the last member's
            // data, which ends the whole.
            string text = Text();
            int half = text.IndexOf("a 500 ", StringComparison.Ordinal);
            byte[] first = Gzip(text[..half]), second = Gzip(text[half..]);
            byte[] both = new byte[first.Length + second.Length];
            first.CopyTo(both, 0);
            second.CopyTo(both, first.Length);
            Assert.Equal(text, Encoding.ASCII.GetString(TraceReader.Gunzip(both)));
            Assert.Throws<InvalidDataException>(() => TraceReader.Gunzip(both.AsSpan(0, both.Length - 1).ToArray()));
        }
    }
}
