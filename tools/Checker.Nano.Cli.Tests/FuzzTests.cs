// Property tests of the log reader with fixed seeds: random garbage and mutated real dumps (bit
// flips, cuts, lines duplicated, dropped or merged) never make it throw or hang, every record it
// accepts is one a writer could have sealed (its LEN and CRC hold), and what it skips is counted.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Checker.Nano.Dumps;
using Xunit;

namespace Checker.Nano.Cli.Tests
{
    public class FuzzTests
    {
        private static void Holds(ParsedLog log, string input)
        {
            foreach (CnRecord r in log.Records)
            {
                Assert.Equal(RecordParser.Seal(r.Raw[..r.Raw.LastIndexOf(" *", StringComparison.Ordinal)]), r.Raw);
                Assert.Equal(1, r.Version);
            }

            Assert.Equal(Enumerable.Range(1, log.Dumps.Count), log.Dumps.Select(d => d.Index));
            Assert.All(log.Dumps, d => Assert.True(d.Complete == (d.Problem == null)));
            Assert.True(log.Lines <= input.Count(c => c == '\n') + 1);
            Assert.All(log.Skips, s => Assert.InRange(s.Line, 1, log.Lines));
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        public void RandomGarbage_NeverThrows(int seed)
        {
            var rng = new Random(seed);
            const string alphabet = "@CN1 *:=%0123456789ABCDEFabcdefn d\r\n\t\u00ff\u0000";
            for (int i = 0; i < 150; i++)
            {
                var sb = new StringBuilder();
                int len = rng.Next(0, 2000);
                for (int k = 0; k < len; k++)
                {
                    sb.Append(rng.Next(3) == 0 ? (char)rng.Next(0, 256) : alphabet[rng.Next(alphabet.Length)]);
                }

                string text = sb.ToString();
                ParsedLog log = LogParser.ParseText(text);
                Holds(log, text);
            }

        }

        private static string Mutate(Random rng, string[] lines)
        {
            var list = new List<string>(lines);
            int mutations = rng.Next(1, 12);
            for (int m = 0; m < mutations && list.Count > 0; m++)
            {
                int i = rng.Next(list.Count);
                string l = list[i];
                switch (rng.Next(7))
                {
                    case 0:   // bit flip
                        if (l.Length > 0)
                        {
                            int at = rng.Next(l.Length);
                            char[] c = l.ToCharArray();
                            c[at] = (char)((c[at] ^ (1 << rng.Next(8))) & 0xFF);
                            list[i] = new string(c);
                        }

                        break;
                    case 1:   // cut
                        list[i] = l[..rng.Next(l.Length + 1)];
                        break;
                    case 2:   // duplicate
                        list.Insert(i, l);
                        break;
                    case 3:   // drop
                        list.RemoveAt(i);
                        break;
                    case 4:   // two lines merged (a newline lost)
                        if (i + 1 < list.Count)
                        {
                            list[i] = l + list[i + 1];
                            list.RemoveAt(i + 1);
                        }

                        break;
                    case 5:   // the log ends here (reset)
                        list.RemoveRange(i, list.Count - i);
                        break;
                    default:  // noise inserted
                        list.Insert(i, new string(Enumerable.Range(0, rng.Next(1, 40)).Select(_ => (char)rng.Next(0, 256)).ToArray()));
                        break;
                }
            }

            return string.Join("\n", list);
        }

        [Theory]
        [InlineData("host-board.log", 11)]
        [InlineData("host-board.log", 12)]
        [InlineData("scenario.log", 13)]
        public void MutatedDumps_NeverThrow_AndSkipsAreCounted(string file, int seed)
        {
            string[] lines = Golden.Read(file).Split('\n');
            ParsedLog clean = LogParser.ParseText(Golden.Read(file));
            var rng = new Random(seed);
            int damaged = 0;
            for (int i = 0; i < 150; i++)
            {
                string text = Mutate(rng, lines);
                ParsedLog log = LogParser.ParseText(text);
                Holds(log, text);
                Assert.True(log.Records.Count <= clean.Records.Count + 12, $"seed {seed} case {i}: more records than the clean log");
                if (log.HasDamage)
                {
                    damaged++;
                }

                // The analyses never throw on what the reader kept.
                LeakSummary.Of(log.Dumps.Select(d => ((string)null, d)));
                StatsSeries.Of(log);
                if (log.Dumps.Count >= 2)
                {
                    DumpDiff.Of(log.Dumps[0], log.Dumps[^1]);
                }

                foreach (Dump d in log.Dumps)
                {
                    HeapMapRenderer.Render(HeapMapBuilder.FromDump(d, log.LastHello, "fuzz"));
                }
            }

            Assert.True(damaged > 75, $"seed {seed}: only {damaged} of 150 mutated logs showed damage");
        }

        [Fact]
        public void EveryRecordOfTheCleanLogs_RoundTrips()
        {
            foreach (string file in new[] { "host-board.log", "scenario.log" })
            {
                ParsedLog log = LogParser.ParseText(Golden.Read(file));
                Assert.Empty(log.Skips);
                Holds(log, Golden.Read(file));
            }
        }

        [Fact]
        public void Crc_IsCcittFalse()
        {
            Assert.Equal(0x29B1, RecordParser.Crc16("123456789"));
            // The protocol's example record.
            ParsedLog log = LogParser.ParseText("@CN1 BEGIN n=1 d=1 why=call t=12345 rev=0 *41:F218\n@CN1 END n=11 d=1 count=9 *25:ADDA\n");
            Assert.Equal(2, log.Records.Count);
            Assert.Equal("9 of 9 records lost", log.Dumps[0].Problem);
            Assert.Equal(9, log.RecordsLost);
        }
    }
}
