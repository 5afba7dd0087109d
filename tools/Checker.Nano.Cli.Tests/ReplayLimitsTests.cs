// replay and map on input no arena can answer, and on options out of range: one line on stderr and
// exit 2, never a stack trace. Requests of 1 GiB or more, live bytes past the largest arena, a
// trace that completes in no arena up to the largest, --heap outside the layer's smallest and
// largest arena (ArenaLimits), --validate-every below 0, a cut .gz trace. And the false reports:
// a layer's report on a replay (all of whose calls are legal) is counted, and exits 1.
using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Text.Json;
using Checker.Nano.Dumps;
using Checker.Nano.Traces;
using Xunit;

namespace Checker.Nano.Cli.Tests
{
    public class ReplayLimitsTests
    {
        private const string Header = "# checker-nano trace v1\n# source: unit test\n";

        private static string Write(string body, string name = "t.txt")
        {
            string path = Path.Combine(Golden.TempDir(), name);
            File.WriteAllText(path, Header + body);
            return path;
        }

        private static void OneLine(CliRun r, int exit, string message)
        {
            Assert.Equal(exit, r.Exit);
            Assert.Equal(message + "\n", r.Err);
        }

        [Theory]
        [InlineData("a 1 2147483647\nf 1\n", 2147483647L)]
        [InlineData("a 1 1073741824\nf 1\n", 1073741824L)]
        [InlineData("c 1 2 1073741823\nf 1\n", 2147483646L)]
        public void ARequestOf1GiBOrMore_IsRefused_ByReplayAndMap(string body, long bytes)
        {
            string path = Write(body);
            string seed = $"checker-nano: {path}:3: a request of {bytes} bytes does not fit in the largest arena of the base heap at BLOCKSIZE 4096 (16769024 bytes)";
            OneLine(CliRun.Of("replay", path), 2, seed);
            OneLine(CliRun.Of("replay", path, "--format", "json"), 2, seed);
            OneLine(CliRun.Of("map", path, "-o", Path.Combine(Golden.TempDir(), "m.svg")), 2, seed);
            OneLine(CliRun.Of("replay", path, "--policy", "compact", "--blocksize", "256", "--layer", "debug"), 2,
                $"checker-nano: {path}:3: a request of {bytes} bytes does not fit in the largest arena of the debug heap over the Compact policy at BLOCKSIZE 256 (1073741824 bytes)");
            OneLine(CliRun.Of("replay", path, "--layer", "checker", "--policy", "compact", "--blocksize", "512"), 2,
                $"checker-nano: {path}:3: a request of {bytes} bytes does not fit in the largest arena of Checker over the Compact policy at BLOCKSIZE 512 (1073741824 bytes)");

            // With a HEAP given and no search, the replay answers: that allocation failed there.
            CliRun given = CliRun.Of("replay", path, "--heap", "64k", "--no-search");
            Assert.Equal(ExitCodes.Findings, given.Exit);
            Assert.Contains("no: 1 allocation(s) failed, the first at line 3", given.Out);
        }

        [Fact]
        public void LiveBytesPastTheLargestArena_AreRefused_WhereTheyPassIt()
        {
            string path = Write("a 1 600000\na 2 600000\nf 1\nf 2\n");
            OneLine(CliRun.Of("replay", path, "--blocksize", "16"), 2,
                $"checker-nano: {path}:4: 1200000 bytes are live here, more than the largest arena of the base heap at BLOCKSIZE 16 (1048544 bytes)");
            Assert.Equal(ExitCodes.Ok, CliRun.Of("replay", path, "--blocksize", "4096", "--no-search").Exit);
        }

        [Fact]
        public void ATraceThatCompletesInNoArena_SaysNone()
        {
            // 25,000 one-byte blocks on the debug heap at BLOCKSIZE 16: 48 bytes each with the
            // header and the guard, 1.2 MB, past the seed's largest arena at that size.
            string path = Write(string.Concat(Enumerable.Range(1, 25000).Select(i => $"a {i} 1\n")));
            CliRun r = CliRun.Of("replay", path, "--blocksize", "16", "--layer", "debug", "--format", "json");
            Assert.Equal(ExitCodes.Findings, r.Exit);
            JsonElement j = JsonDocument.Parse(r.Out).RootElement;
            Assert.Equal(1048544, j.GetProperty("heap").GetInt32());
            Assert.False(j.GetProperty("completed").GetBoolean());
            JsonElement min = j.GetProperty("min_heap");
            Assert.Equal(JsonValueKind.Null, min.GetProperty("bytes").ValueKind);
            Assert.Equal(1048544, min.GetProperty("largest_tried").GetInt32());

            CliRun text = CliRun.Of("replay", path, "--blocksize", "16", "--layer", "debug");
            Assert.Contains("│ HEAP / BLOCKSIZE             │ 1048544 / 16 (HEAP: the largest the debug heap can have at this BLOCKSIZE; --heap to  │", text.Out);
            Assert.Contains("│ smallest HEAP that completes │ none up to 1048544 bytes, the largest arena of the debug heap at BLOCKSIZE 16; ", text.Out);

            OneLine(CliRun.Of("map", path, "--blocksize", "16", "--layer", "debug", "-o", Path.Combine(Golden.TempDir(), "m.svg")), 2,
                $"checker-nano: {path}: the trace does not complete on the debug heap at BLOCKSIZE 16 in any arena up to its largest (1048544 bytes); give --heap to map it as far as it goes");
        }

        [Theory]
        [InlineData("checker", "seed", "4096", "64", "--heap 64: Checker needs at least 1632 bytes at BLOCKSIZE 4096 (its maps, its 256-byte data and 1024-byte stack zones and a heap)")]
        [InlineData("checker", "seed", "4096", "1600", "--heap 1600: Checker needs at least 1632 bytes at BLOCKSIZE 4096 (its maps, its 256-byte data and 1024-byte stack zones and a heap)")]
        [InlineData("checker", "seed", "4096", "1631", "--heap 1631: Checker needs at least 1632 bytes at BLOCKSIZE 4096 (its maps, its 256-byte data and 1024-byte stack zones and a heap)")]
        [InlineData("checker", "compact", "256", "1k", "--heap 1k: Checker over the Compact policy needs at least 1632 bytes at BLOCKSIZE 256 (its maps, its 256-byte data and 1024-byte stack zones and a heap)")]
        [InlineData("base", "seed", "4096", "32", "--heap 32: give at least 64 bytes")]
        [InlineData("base", "seed", "4096", "2147483647", "--heap 2147483647: the largest arena the host tools make is 1G (1073741824 bytes)")]
        [InlineData("base", "compact", "256", "2047M", "--heap 2047M: the largest arena the host tools make is 1G (1073741824 bytes)")]
        [InlineData("base", "compact", "256", "1025m", "--heap 1025m: the largest arena the host tools make is 1G (1073741824 bytes)")]
        [InlineData("base", "seed", "4096", "1G", "--heap 1G: the base heap takes at most 16769024 bytes at BLOCKSIZE 4096 (the seed's policy numbers its blocks in 16 bits; --policy compact goes to 1G)")]
        [InlineData("debug", "seed", "16", "2M", "--heap 2M: the debug heap takes at most 1048544 bytes at BLOCKSIZE 16 (the seed's policy numbers its blocks in 16 bits; --policy compact goes to 1G)")]
        [InlineData("checker", "seed", "4096", "1G", "--heap 1G: Checker takes at most 21485600 bytes at BLOCKSIZE 4096 (the seed's policy numbers its blocks in 16 bits; --policy compact goes to 1G)")]
        [InlineData("base", "seed", "4096", "0", "--heap 0: give bytes, e.g. 65536, 64k, 2M or 1G")]
        [InlineData("base", "seed", "4096", "-5", "--heap -5: give bytes, e.g. 65536, 64k, 2M or 1G")]
        [InlineData("base", "seed", "4096", "2T", "--heap 2T: give bytes, e.g. 65536, 64k, 2M or 1G")]
        public void AHeapOutsideTheLayersArenas_IsAUsageError(string layer, string policy, string blockSize, string heap, string message)
        {
            string path = Write("a 1 100\nf 1\n");
            OneLine(CliRun.Of("replay", path, "--layer", layer, "--policy", policy, "--blocksize", blockSize, "--heap", heap, "--no-search"), 2, "checker-nano: " + message);
            OneLine(CliRun.Of("map", path, "--layer", layer, "--policy", policy, "--blocksize", blockSize, "--heap", heap, "-o", Path.Combine(Golden.TempDir(), "m.svg")), 2, "checker-nano: " + message);
        }

        [Fact]
        public void OneG_AndItsEqualsInOtherUnits_AreTheLargestArena()
        {
            var err = new StringWriter();
            CliContext ctx = CliContext.ForWriters(new StringWriter(), err);
            foreach (string text in new[] { "1G", "1g", "1024M", "1048576k", "1073741824" })
            {
                Assert.True(ReplayCommand.TryOptions(ctx, text, 256, "base", "compact", out int? heap, out _, out _), err.ToString());
                Assert.Equal(1 << 30, heap);
            }

            Assert.True(Inputs.TryParseSize("2047M", out long big));
            Assert.Equal(2047L << 20, big);
            Assert.False(ReplayCommand.TryOptions(ctx, "1073741840", 256, "base", "compact", out _, out _, out _));
        }

        [Fact]
        public void TheLargestArenaOfALayer_IsAccepted_AndTheSmallest()
        {
            string path = Write("a 1 100\nf 1\n");
            Assert.Equal(ExitCodes.Ok, CliRun.Of("replay", path, "--heap", "16769024", "--no-search").Exit);
            Assert.Equal(ExitCodes.Ok, CliRun.Of("replay", path, "--layer", "checker", "--heap", "21485600", "--no-search").Exit);
            Assert.Equal(ExitCodes.Findings, CliRun.Of("replay", path, "--layer", "checker", "--heap", "1632", "--no-search").Exit);   // laid out, but no room for 100 bytes
        }

        [Fact]
        public void ValidateEveryBelowZero_IsAUsageError()
        {
            OneLine(CliRun.Of("replay", Write("a 1 100\nf 1\n"), "--validate-every", "-1"), 2,
                "checker-nano: --validate-every -1: give 0 (Validate only at the end) or a number of events");
        }

        [Fact]
        public void ACutGzipTrace_IsReportedAsTruncated()
        {
            string text = Header + string.Concat(Enumerable.Range(1, 300).Select(i => $"a {i} {i}\n")) + string.Concat(Enumerable.Range(1, 300).Select(i => $"f {i}\n"));
            using var whole = new MemoryStream();
            using (var z = new GZipStream(whole, CompressionLevel.Optimal, leaveOpen: true))
            {
                z.Write(Encoding.ASCII.GetBytes(text));
            }

            string dir = Golden.TempDir();
            string good = Path.Combine(dir, "good.txt.gz");
            File.WriteAllBytes(good, whole.ToArray());
            Assert.Equal(ExitCodes.Ok, CliRun.Of("replay", good, "--no-search").Exit);

            byte[] bytes = whole.ToArray();
            string cut = Path.Combine(dir, "cut.txt.gz");
            File.WriteAllBytes(cut, bytes.AsSpan(0, bytes.Length - 4).ToArray());   // the length lost, the CRC-32 whole
            OneLine(CliRun.Of("replay", cut), 2, $"checker-nano: {cut}: truncated gzip: its trailer's CRC-32 and length do not match the {text.Length} bytes it decompresses to");
            OneLine(CliRun.Of("map", cut, "-o", Path.Combine(dir, "m.svg")), 2, $"checker-nano: {cut}: truncated gzip: its trailer's CRC-32 and length do not match the {text.Length} bytes it decompresses to");
            File.WriteAllBytes(cut, bytes.AsSpan(0, 12).ToArray());
            OneLine(CliRun.Of("replay", cut), 2, $"checker-nano: {cut}: truncated gzip: 12 bytes, less than a header and a trailer");
        }

        [Theory]
        [InlineData("debug", "seed", "the debug heap")]
        [InlineData("debug", "compact", "debug heap, Compact policy")]
        [InlineData("checker", "seed", "Checker")]
        [InlineData("checker", "compact", "Checker, Compact policy")]
        public void AReportOfTheLayer_IsAFalseReport_AndExits1(string layer, string policy, string name)
        {
            // After "a 1 100" the guard after the block's data is overwritten, as a program never
            // does in a replay: the debug heap reports it when the block is freed (under Checker,
            // when it leaves the aging queue of 8, 8 frees later); Validate, which leaves guards to
            // CheckMemory, stays clean.
            string path = Write(string.Concat(Enumerable.Range(1, 24).Select(i => $"a {i} 100\n")) + string.Concat(Enumerable.Range(1, 24).Select(i => $"f {i}\n")));
            void Damage(IAllocatorAdapter a, int i)
            {
                if (i == 0)
                {
                    int p = a is DebugHeapAdapter d ? d.OffsetOf(1) : ((CheckerAdapter)a).OffsetOf(1);
                    TraceMaps.HeapOf(a).Memory[p + 100] = 0;
                }
            }

            var o = new StringWriter();
            var e = new StringWriter();
            int exit = ReplayCommand.Run(CliContext.ForWriters(o, e), path, "64k", 256, layer, null, null, true, 0, "json", true, policy, Damage);
            Assert.True(exit == ExitCodes.Findings, e.ToString());
            JsonElement j = JsonDocument.Parse(o.ToString()).RootElement;
            Assert.True(j.GetProperty("completed").GetBoolean());
            Assert.Equal(1, j.GetProperty("false_reports").GetInt32());
            string on = name.StartsWith("the ", StringComparison.Ordinal) ? name[4..] : name;
            Assert.Equal($"checker-nano: the {on} reported 1 fault(s) on a replay whose every call is legal: false reports\n", e.ToString());

            var t = new StringWriter();
            Assert.Equal(ExitCodes.Findings, ReplayCommand.Run(CliContext.ForWriters(t, new StringWriter()), path, "64k", 256, layer, null, null, true, 0, "text", true, policy, Damage));
            Assert.Contains("│ reports                  │ 1 other than out of memory: false reports", t.ToString());

            // Undamaged, the same replay reports nothing and exits 0.
            Assert.Equal(ExitCodes.Ok, ReplayCommand.Run(CliContext.ForWriters(new StringWriter(), new StringWriter()), path, "64k", 256, layer, null, null, true, 0, "text", true, policy, null));
        }
    }
}
