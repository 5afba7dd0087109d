// GARB records of protocol rev 1 (kind, type, sub) and rev 0 (no kind: a lost family): what the
// log reader keeps and what the leak summary counts as garbage.
using System.Linq;
using Checker.Nano.Dumps;
using Xunit;

namespace Checker.Nano.Cli.Tests
{
    public class GarbageRecordTests
    {
        private static string Log(params string[] bodies) => string.Join("\n", bodies.Select(RecordParser.Seal)) + "\n";

        [Fact]
        public void Rev1_KindTypeAndSub_AreRead_OnlyLostFamiliesAreGarbage()
        {
            ParsedLog log = LogParser.ParseText(Log(
                "@CN1 BEGIN n=1 d=1 why=garbage rev=1",
                "@CN1 GARB n=2 d=1 fam=1 kind=lost count=5 bytes=80 addr=0x0000493C type=1 line=20 file=List.cs",
                "@CN1 GARB n=3 d=1 fam=2 kind=maybe count=1 bytes=64 addr=0x0000593C type=4 sub=7 line=117 file=Sensors.cs",
                "@CN1 END n=4 d=1 count=2",
                "@CN1 BEGIN n=5 d=2 why=inuse rev=1",
                "@CN1 GARB n=6 d=2 fam=1 kind=inuse count=1 bytes=120 addr=0x0000393C type=1 line=8 file=Config.cs",
                "@CN1 END n=7 d=2 count=1"));
            Assert.Empty(log.Skips);
            Assert.Equal(2, log.Dumps.Count);
            GarbageFamily[] d1 = log.Dumps[0].Garbage.ToArray();
            Assert.Equal(new[] { "lost", "maybe" }, d1.Select(f => f.Kind));
            Assert.True(d1[0].IsLost);
            Assert.Equal(1, d1[0].Type);
            Assert.Null(d1[0].Sub);
            Assert.False(d1[1].IsLost);
            Assert.Equal(4, d1[1].Type);
            Assert.Equal(7, d1[1].Sub);
            Assert.Equal(GarbageFamily.InUse, log.Dumps[1].Garbage.Single().Kind);

            LeakSummary s = LeakSummary.Of(log.Dumps.Select(d => ((string)null, d)));
            LeakGroup g = Assert.Single(s.Garbage);
            Assert.Equal("List.cs:20", g.Site);
            Assert.Equal(5, g.Count);
        }

        [Fact]
        public void Rev0_GarbWithoutKind_IsALostFamily()
        {
            ParsedLog log = LogParser.ParseText(Log(
                "@CN1 BEGIN n=1 d=1 why=garbage rev=0",
                "@CN1 GARB n=2 d=1 fam=1 count=5 bytes=80 addr=0x0000493C line=20 file=List.cs",
                "@CN1 END n=3 d=1 count=1"));
            GarbageFamily f = Assert.Single(log.Dumps[0].Garbage);
            Assert.Equal(GarbageFamily.Lost, f.Kind);
            Assert.True(f.IsLost);
            Assert.Null(f.Type);
            Assert.Equal(80, Assert.Single(LeakSummary.Of(log.Dumps.Select(d => ((string)null, d))).Garbage).Bytes);
        }
    }
}
