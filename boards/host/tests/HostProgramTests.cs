using System.IO;
using System.Linq;
using Checker.Nano.Boards;
using Checker.Nano.Dumps;
using Xunit;

namespace Checker.Nano.Host.Tests
{
    /// <summary>The README's main command, run in-process.</summary>
    public class HostProgramTests
    {
        private static string Run(params string[] args)
        {
            var output = new StringWriter();
            Assert.Equal(0, Program.Run(Program.Parse(args), output, null));
            return output.ToString();
        }

        [Fact]
        public void QuickRun_HelloTwoDumpsAndTheLeakedPackets()
        {
            string text = Run();
            ParsedLog log = LogParser.ParseText(text);
            string[] textLines = WireRecords.TextLines(text);
            Assert.Empty(log.Skips);
            Assert.Equal(2, log.Dumps.Count(d => d.Complete));
            Assert.StartsWith("Checker.Nano sensor-logger on host: HEAP 65536, BLOCKSIZE 4096", text);
            Assert.Contains("== Checker.Nano dump 1 (timer) at 10.000 s ==", textLines);
            Assert.Contains("== Checker.Nano dump 2 (exit) at 15.000 s ==", textLines);
            Assert.Contains("Detected memory leaks!", textLines);

            // 150 readings make 7 batches; batches 3 and 6 leak their 88-byte packet.
            string[] exitDump = textLines.SkipWhile(l => !l.Contains("dump 2")).ToArray();
            Assert.Equal(2, exitDump.Count(l => l.StartsWith("SensorLogger.cs(") && l.Contains("normal block at") && l.EndsWith(", 88 bytes long.")));
        }

        [Fact]
        public void QuickRun_CheckerReportsTheDeliberateBugsAndTheLostPacket()
        {
            string text = Run();
            ParsedLog log = LogParser.ParseText(text);
            string[] textLines = WireRecords.TextLines(text);

            // The status message's three bugs, each reported once at once (outside the dumps), in
            // text and as an ERR record, at their lines of SensorLogger.cs.
            Assert.Contains("From Checker: (ruh) read uninitialized byte(s) in a block.", textLines);
            Assert.Contains("From Checker: (bvh) block bounds violation in the heap.", textLines);
            Assert.Contains("From Checker: (rfb) read in a free block.", textLines);
            CnRecord[] errors = log.Records.Where(r => r.Type == "ERR").ToArray();
            Assert.Equal(new[] { "ruh", "bvh", "rfb" }, errors.Select(e => e.Text("name")));
            Assert.All(errors, e => Assert.Null(e.D));
            Assert.All(errors, e => Assert.Equal("SensorLogger.cs", e.Text("file")));
            Assert.All(errors, e => Assert.Equal(16, e.IntOf("bsize")));

            // Every dump has Checker's garbage report. At 10 s the one kept packet is still in the
            // retry global; at exit the second failure has overwritten it: one packet lost, while
            // the debug heap's leak dump lists both (still allocated).
            Assert.Equal(2, textLines.Count(l => l == "From Checker: (gar) garbage detector results."));
            Assert.Empty(log.Dumps[0].OfType("GARB"));
            Dump exit = log.Dumps[1];
            CnRecord garb = Assert.Single(exit.OfType("GARB"));
            Assert.Equal("lost", garb.Text("kind"));
            Assert.Equal(1, garb.IntOf("type"));
            Assert.Equal(1, garb.IntOf("count"));
            Assert.Equal(88, garb.IntOf("bytes"));
            Assert.Equal("SensorLogger.cs", garb.Text("file"));
            long[] packets = exit.OfType("LEAK").Where(r => r.Int32("size") == 88).Select(r => r.LongOf("addr")).ToArray();
            Assert.Equal(2, packets.Length);
            Assert.Equal(packets.Min(), garb.LongOf("addr"));   // the older one (batch 3)
            Assert.Contains(textLines, l => l.StartsWith("Found 1 block(s) of 88 byte(s) lost (") && l.EndsWith("Normal block allocated from: SensorLogger.cs(" + garb.Text("line") + ")"));
        }

        [Fact]
        public void CheckCommand_ChecksCheckersMapsToo()
        {
            string text = Run("--steps", "30", "--dump-every", "0", "--commands", "C");
            ParsedLog log = LogParser.ParseText(text);
            Assert.Equal(new[] { "heap", "debug", "checker" }, log.Checks.Select(c => c.What));
            Assert.All(log.Checks, c => Assert.True(c.Ok));
            Assert.Contains("[check] checker: ok", WireRecords.TextLines(text));
        }

        [Fact]
        public void QuickRun_IsTheSameEveryTime_ExceptRuntimeFigures()
        {
            static string[] Stable(string s) => s.Split('\n').Where(l => !l.StartsWith("runtime ") && !l.Contains(" RTMEM ")).ToArray();
            Assert.Equal(Stable(Run()), Stable(Run()));
        }

        [Fact]
        public void Commands_AreObeyedAndNoiseNoted()
        {
            string text = Run("--steps", "3", "--dump-every", "0", "--form", "records", "--commands", "zS");
            ParsedLog log = LogParser.ParseText(text);
            Assert.DoesNotContain(WireRecords.TextLines(text), l => l.Length > 0);
            CnRecord note = Assert.Single(log.Notes);
            Assert.Equal("cmd-ignored", note.Text("what"));
            Assert.Equal("0x7A", note.Text("first"));
            Assert.Equal(new[] { "cmd-S", "exit" }, log.Dumps.Select(d => d.Why));
            Assert.Null(log.Dumps[0].First("TYPE"));   // S leaves the sections out
            Assert.NotNull(log.Dumps[0].Map);          // but not the base heap's table
            Assert.NotNull(log.Dumps[1].First("TYPE"));
        }

        [Fact]
        public void BadOption_IsRefused()
        {
            Assert.Throws<System.ArgumentException>(() => Program.Parse(new[] { "--form", "xml" }));
            Assert.Throws<System.ArgumentException>(() => Program.Parse(new[] { "--bogus" }));
            Assert.Null(Program.Parse(new[] { "--help" }));
        }
    }
}
