// Golden files: real logs (the host board's firmware; the fixed debug-heap scenario) and the exact
// outputs of leaks, diff and stats on them.
using System.IO;
using System.Linq;
using Checker.Nano.Dumps;
using Xunit;

namespace Checker.Nano.Cli.Tests
{
    public class GoldenTests
    {
        [Fact]
        public void Scenario_Log_IsTheCommittedGolden()
        {
            Golden.Check("scenario.log", Scenario.Run().Log);
        }

        [Fact]
        public void Scenario_Log_ParsesCleanly()
        {
            ParsedLog log = LogParser.ParseText(Scenario.Run().Log);
            Assert.Empty(log.Skips);
            Assert.Equal(3, log.Dumps.Count);
            Assert.All(log.Dumps, d => Assert.True(d.Complete, d.Problem));
            Assert.Equal(new[] { "call", "timer", "exit" }, log.Dumps.Select(d => d.Why));
            Assert.Single(log.Hellos);
            Assert.Equal("scenario", log.Hellos[0].App);
            Assert.Single(log.Errors);
            Assert.Equal("history.cs", log.Errors[0].File);
            Assert.Equal(20, log.Errors[0].SourceLine);
            Assert.Equal("free-memory", log.Errors[0].Name);
            Assert.Equal(0x0064, log.Errors[0].Address);
            Assert.All(log.Checks, c => Assert.True(c.Ok));
            Dump d1 = log.Dumps[0];
            Assert.Equal(8, d1.Leaks.Count);   // sensor.cs:42 x2, radio.cs:88 x2, history.cs:17 x2, table, buffer (CRT blocks only with CHECK_CRT_DF)
            Assert.NotNull(d1.Map);
            Assert.Equal(0, d1.Map.MissingBlocks);
        }

        [Fact]
        public void HostBoard_Log_ParsesCleanly()
        {
            ParsedLog log = LogParser.ParseFile(Golden.PathOf("host-board.log"));
            Assert.Empty(log.Skips);
            Assert.Equal(5, log.Dumps.Count);
            Assert.All(log.Dumps, d => Assert.True(d.Complete, d.Problem));
            Assert.Equal(0, log.RecordsLost);
            Assert.Equal("host", log.Hellos[0].Board);
            Assert.Equal(65536, log.Hellos[0].Heap);
            Assert.Equal(3, log.Checks.Count);   // C: heap, debug, checker
            Assert.Equal(new[] { "ruh", "bvh", "rfb" }, log.Errors.Select(e => e.Name));   // the status message's bugs
            Assert.True(log.TextLines > 100);
            Assert.Equal("cmd-L", log.Dumps[0].Why);
            Assert.Null(log.Dumps[0].Stat);   // L: leak sections only
            Assert.NotNull(log.Dumps[4].Stat);
        }

        [Theory]
        [InlineData("host-board", "leaks", "text")]
        [InlineData("host-board", "leaks", "json")]
        [InlineData("host-board", "leaks", "csv")]
        [InlineData("host-board", "diff", "text")]
        [InlineData("host-board", "stats", "csv")]
        [InlineData("scenario", "leaks", "text")]
        [InlineData("scenario", "leaks", "json")]
        [InlineData("scenario", "diff", "text")]
        [InlineData("scenario", "diff", "json")]
        [InlineData("scenario", "stats", "text")]
        public void Command_Output_IsGolden(string log, string command, string format)
        {
            CliRun r = CliRun.Of(command, Golden.PathOf(log + ".log"), "--format", format);
            Assert.True(r.Exit == 0, r.Err);
            Golden.Check($"{log}.{command}.{format}", r.Out);
        }
    }
}
