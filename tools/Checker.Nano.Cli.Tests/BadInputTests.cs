// Bad input: logs with other output mixed in, cut lines, bytes garbled by a wrong baud rate, dumps
// truncated by a reset, unknown record versions, empty files; traces with unknown ids, double
// frees, bad numbers; bad usage. Each is parsed as far as it goes, each skip is counted with its
// reason, and the exit code says what happened.
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Checker.Nano.Dumps;
using Xunit;

namespace Checker.Nano.Cli.Tests
{
    public class BadInputTests
    {
        /// <summary>The host board's log, damaged in every way a wire can damage it (deterministic).</summary>
        internal static string Damaged()
        {
            List<string> lines = Golden.Read("host-board.log").Split('\n').ToList();
            int Find(string s, int from = 0) => lines.FindIndex(from, l => l.Contains(s));

            // Noise: one byte of dump 2's STAT changed (same length).
            int stat = Find("@CN1 STAT n=18 ");
            lines[stat] = lines[stat].Replace("chunks_used=", "chunks_usfd=");
            // Cut: dump 3's FRAG loses its tail; a text line and a record lose the newline between them.
            int frag = Find("@CN1 FRAG n=48 ");
            lines[frag] = lines[frag][..30];
            int typ = Find("@CN1 TYPE n=50 ");
            lines[typ] = "Largest number used: 3604 bytes." + lines[typ];
            // Garbled text (wrong baud rate) and boot noise in front of a record.
            lines.Insert(Find("== Checker.Nano dump 3"), "\u00fe\u00ff\u0003x\u0080\u0091!\u00e0");
            int hello = Find("@CN1 HELLO");
            lines[hello] = "ets Jun  8 2016 rst:0x1 \u00ff" + lines[hello];
            // A record of protocol version 2 (valid CRC) and one of an unknown type (version 1).
            lines.Insert(Find("@CN1 END n=40 "), RecordParser.Seal("@CN2 STAT n=99 d=2 bytes_total=1"));
            // A duplicated line.
            int leak = Find("@CN1 LEAK n=37 ");
            lines.Insert(leak, lines[leak]);
            // The board resets in the middle of dump 5 and starts again.
            int cut = Find("@CN1 LEAK n=115 ");
            lines.RemoveRange(cut, lines.Count - cut);
            lines.Add("@CN1 LEAK n=115 d=5 req=395 ty");
            lines.Add("ets Jun  8 2016 00:00:00 rst:0xc (SW_CPU_RESET)");
            lines.Add(RecordParser.Seal("@CN1 HELLO n=1 rev=1 board=host app=sensor-logger heap=65536 bs=4096 lcap=256 fw=2"));
            lines.Add(RecordParser.Seal("@CN1 WHAT n=2 x=1"));
            lines.Add("");
            return string.Join("\n", lines);
        }

        [Fact]
        public void DamagedLog_IsParsedAsFarAsItGoes_WithEachSkipCounted()
        {
            ParsedLog log = LogParser.ParseText(Damaged(), "damaged.log");
            Assert.Equal(1, log.SkipCount(SkipReason.Noise));
            Assert.Equal(2, log.SkipCount(SkipReason.Cut));            // FRAG cut, LEAK cut by the reset
            Assert.Equal(1, log.SkipCount(SkipReason.UnknownVersion));
            Assert.Equal(1, log.SkipCount(SkipReason.GarbledText));
            Assert.Equal(1, log.SkipCount(SkipReason.Duplicate));
            Assert.Equal(1, log.UnknownTypes);
            Assert.Equal(2, log.Sessions);
            Assert.Equal(2, log.Hellos.Count);
            Assert.Equal(5, log.Dumps.Count);
            Assert.True(log.Dumps[0].Complete);
            Assert.Equal("1 of 22 records lost", log.Dumps[1].Problem);   // the noisy STAT
            Assert.Null(log.Dumps[1].Stat);
            Assert.Equal("1 of 25 records lost", log.Dumps[2].Problem);   // the cut FRAG
            Assert.NotNull(log.Dumps[2].Types.FirstOrDefault(t => t.Type == 0));   // the TYPE after the text kept
            Assert.True(log.Dumps[3].Complete);
            Assert.Equal("the board restarted before END", log.Dumps[4].Problem);
            Assert.Equal(2, log.RecordsLost);                             // gaps in n: STAT n=18, FRAG n=48
        }

        [Fact]
        public void DamagedLog_Commands_StillAnswer_AndStrictFails()
        {
            string path = Path.Combine(Golden.TempDir(), "damaged.log");
            File.WriteAllText(path, Damaged(), Encoding.Latin1);
            CliRun r = CliRun.Of("leaks", path);
            Assert.Equal(0, r.Exit);
            Assert.Contains("dump 5 (d=5, exit at 40.000 s)", r.Out);
            Assert.Contains("a dump was incomplete", r.Out);
            Assert.Contains("skipped 6: cut 2, noise 1, unknown-version 1, duplicate 1, garbled-text 1; 2 record(s) lost (gaps in n); 2 firmware runs; 1 record(s) of unknown types ignored", r.Err);
            Assert.Equal(2, CliRun.Of("leaks", path, "--strict").Exit);
            CliRun v = CliRun.Of("diff", path, "--verbose");
            Assert.Equal(0, v.Exit);
            Assert.Contains(": garbled-text: text with bytes no board prints: ???x??!?", v.Err);
            Assert.Equal(0, CliRun.Of("stats", path).Exit);
        }

        [Fact]
        public void EmptyFile_IsBadInput()
        {
            string path = Path.Combine(Golden.TempDir(), "empty.log");
            File.WriteAllText(path, "");
            foreach (string cmd in new[] { "leaks", "diff", "stats" })
            {
                CliRun r = CliRun.Of(cmd, path);
                Assert.Equal(ExitCodes.BadInput, r.Exit);
                Assert.Contains("empty file", r.Err);
            }
        }

        [Fact]
        public void TextOnlyLog_SaysRecordsAreNeeded()
        {
            string path = Path.Combine(Golden.TempDir(), "text.log");
            File.WriteAllText(path, string.Join("\n", Golden.Read("host-board.log").Split('\n').Where(l => !l.StartsWith("@CN1"))));
            CliRun r = CliRun.Of("leaks", path);
            Assert.Equal(ExitCodes.BadInput, r.Exit);
            Assert.Contains("no dump in this log (only text dumps: the board must print records)", r.Err);
        }

        [Fact]
        public void MissingFile_IsAnIoError()
        {
            CliRun r = CliRun.Of("leaks", Path.Combine(Golden.TempDir(), "none.log"));
            Assert.Equal(ExitCodes.IoError, r.Exit);
            Assert.Contains("no such file", r.Err);
            Assert.Equal(ExitCodes.IoError, CliRun.Of("replay", "no-such-trace.txt").Exit);
        }

        [Fact]
        public void BadUsage_IsExit2()
        {
            Assert.Equal(ExitCodes.BadInput, CliRun.Of("leaks").Exit);
            Assert.Equal(ExitCodes.BadInput, CliRun.Of("leaks", Golden.PathOf("host-board.log"), "--format", "xml").Exit);
            Assert.Equal(ExitCodes.BadInput, CliRun.Of("frobnicate").Exit);
            Assert.Equal(ExitCodes.BadInput, CliRun.Of("leaks", Golden.PathOf("host-board.log"), "--dump", "9").Exit);
            Assert.Equal(ExitCodes.BadInput, CliRun.Of("map", Golden.PathOf("host-board.log"), "-o", "x.bmp").Exit);
            Assert.Equal(0, CliRun.Of("--help").Exit);
        }

        [Fact]
        public void Findings_AreExit1_WhenAsked()
        {
            Assert.Equal(ExitCodes.Ok, CliRun.Of("leaks", Golden.PathOf("host-board.log")).Exit);
            Assert.Equal(ExitCodes.Findings, CliRun.Of("leaks", Golden.PathOf("host-board.log"), "--fail-on-leaks").Exit);
            Assert.Equal(ExitCodes.Findings, CliRun.Of("diff", Golden.PathOf("host-board.log"), "--fail-on-growth").Exit);
            Assert.Equal(ExitCodes.Ok, CliRun.Of("diff", Golden.PathOf("host-board.log"), "--from", "4", "--to", "4", "--fail-on-growth").Exit);
        }

        private static CliRun ReplayText(string body, params string[] more)
        {
            string path = Path.Combine(Golden.TempDir(), "t.txt");
            File.WriteAllText(path, "# checker-nano trace v1\n# source: unit test\n" + body);
            return CliRun.Of(new[] { "replay", path, "--no-search" }.Concat(more).ToArray());
        }

        [Theory]
        [InlineData("a 1 10\nf 2\n", "t.txt:4: ")]
        [InlineData("a 1 10\nf 1\nf 1\n", "t.txt:5: ")]
        [InlineData("a 1 1x0\n", "t.txt:3: ")]
        [InlineData("a 1 10\nr 1 -5\n", "t.txt:4: ")]
        [InlineData("a 2 10\n", "t.txt:3: ")]
        [InlineData("q 1 10\n", "t.txt:3: ")]
        public void BadTrace_NamesItsLine(string body, string where)
        {
            CliRun r = ReplayText(body);
            Assert.Equal(ExitCodes.BadInput, r.Exit);
            Assert.Contains(where, r.Err);
        }

        [Fact]
        public void NotATrace_IsBadInput()
        {
            string path = Path.Combine(Golden.TempDir(), "x.txt");
            File.WriteAllText(path, "hello\n");
            CliRun r = CliRun.Of("replay", path);
            Assert.Equal(ExitCodes.BadInput, r.Exit);
            Assert.Contains("x.txt:1: ", r.Err);
        }
    }
}
