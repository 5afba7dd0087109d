using System.IO;
using System.Linq;
using Checker.Nano.Boards;
using Checker.Nano.Protocol;
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
            var reader = new CnReader();
            reader.FeedText(text);
            Assert.Equal(0, reader.BadRecords);
            Assert.Equal(2, reader.CompleteDumps.Count());
            Assert.StartsWith("Checker.Nano sensor-logger on host: HEAP 65536, BLOCKSIZE 4096", text);
            Assert.Contains("== Checker.Nano dump 1 (timer) at 10.000 s ==", reader.TextLines);
            Assert.Contains("== Checker.Nano dump 2 (exit) at 15.000 s ==", reader.TextLines);
            Assert.Contains("Detected memory leaks!", reader.TextLines);

            // 150 readings make 7 batches; batches 3 and 6 leak their 88-byte packet.
            string[] exitDump = reader.TextLines.SkipWhile(l => !l.Contains("dump 2")).ToArray();
            Assert.Equal(2, exitDump.Count(l => l.StartsWith("SensorLogger.cs(") && l.Contains("normal block at") && l.EndsWith(", 88 bytes long.")));
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
            var reader = new CnReader();
            reader.FeedText(text);
            Assert.DoesNotContain(reader.TextLines, l => l.Length > 0);
            CnRecord note = reader.Records.Single(r => r.Type == "NOTE");
            Assert.Equal("cmd-ignored", note["what"]);
            Assert.Equal("0x7A", note["first"]);
            Assert.Equal(new[] { "cmd-S", "exit" }, reader.Dumps.Select(d => d.Why));
            Assert.Null(reader.Dumps[0].First("TYPE"));   // S leaves the sections out
            Assert.NotNull(reader.Dumps[1].First("TYPE"));
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
