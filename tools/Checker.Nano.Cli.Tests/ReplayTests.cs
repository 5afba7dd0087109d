// replay: small traces written here (exact figures, checked against a direct replay on the
// adapters), failures in a HEAP too small, the three layers, --map-at; and the shared traces
// (../shared/traces) when they are there.
using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Checker.Nano.Dumps;
using Checker.Nano.Traces;
using Xunit;

namespace Checker.Nano.Cli.Tests
{
    public class ReplayTests
    {
        private const string Small =
            "# checker-nano trace v1\n# source: unit test, 8 events, peak live 8100 bytes in 3 blocks\n" +
            "a 1 100\na 2 5000\na 3 3000\nf 2\na 4 20\nr 3 6000\nc 5 10 10\nf 1\n";

        private static string Write(string text, string name = "small.txt")
        {
            string path = Path.Combine(Golden.TempDir(), name);
            File.WriteAllText(path, text);
            return path;
        }

        private static JsonElement Json(CliRun r)
        {
            Assert.True(r.Exit == 0 || r.Exit == 1, "exit " + r.Exit + ": " + r.Err);
            return JsonDocument.Parse(r.Out).RootElement;
        }

        [Theory]
        [InlineData("base")]
        [InlineData("debug")]
        [InlineData("checker")]
        public void SmallTrace_FiguresAgreeWithADirectReplay(string layer)
        {
            string path = Write(Small);
            JsonElement j = Json(CliRun.Of("replay", path, "--heap", "64k", "--layer", layer, "--format", "json"));
            Trace t = TraceReader.Read(path);
            HeapLayer l = layer == "base" ? HeapLayer.Base : layer == "debug" ? HeapLayer.Debug : HeapLayer.Checker;
            using IAllocatorAdapter a = TraceMaps.Create(l, 65536, 4096);
            ReplayResult direct = Replayer.Run(t, a, new ReplayOptions { ValidateEvery = 1 });
            Assert.True(j.GetProperty("completed").GetBoolean());
            Assert.Equal(0, j.GetProperty("failures").GetInt32());
            Assert.Equal(8, j.GetProperty("events").GetInt32());
            Assert.Equal(4, j.GetProperty("mallocs").GetInt32());
            Assert.Equal(1, j.GetProperty("callocs").GetInt32());
            Assert.Equal(1, j.GetProperty("reallocs").GetInt32());
            Assert.Equal(2, j.GetProperty("frees").GetInt32());
            Assert.Equal(8100, j.GetProperty("peak_live_bytes").GetInt64());
            Assert.Equal(direct.PeakArenaBytes, j.GetProperty("peak_arena_bytes").GetInt64());
            MinHeapResult min = ReplayCommand.Search(t, l, 4096);
            Assert.Equal(min.HeapBytes, j.GetProperty("min_heap").GetProperty("bytes").GetInt32());
            // The smallest HEAP completes and 16 bytes less does not.
            Assert.Equal(0, CliRun.Of("replay", path, "--heap", min.HeapBytes.ToString(), "--layer", layer, "--no-search").Exit);
            Assert.Equal(ExitCodes.Findings, CliRun.Of("replay", path, "--heap", (min.HeapBytes - 16).ToString(), "--layer", layer, "--no-search").Exit);
        }

        [Theory]
        [InlineData("base")]
        [InlineData("debug")]
        [InlineData("checker")]
        public void SmallTrace_OverTheCompactPolicy_FiguresAgreeWithADirectReplay(string layer)
        {
            string path = Write(Small);
            CliRun run = CliRun.Of("replay", path, "--heap", "64k", "--blocksize", "256", "--layer", layer, "--policy", "compact", "--format", "json");
            JsonElement j = Json(run);
            Assert.Equal(0, run.Exit);
            Trace t = TraceReader.Read(path);
            HeapLayer l = layer == "base" ? HeapLayer.Base : layer == "debug" ? HeapLayer.Debug : HeapLayer.Checker;
            using IAllocatorAdapter a = TraceMaps.Create(l, 65536, 256, HeapPolicy.Compact);
            Assert.IsType<CompactHeap>(TraceMaps.HeapOf(a));
            ReplayResult direct = Replayer.Run(t, a, new ReplayOptions { ValidateEvery = 1 });
            Assert.Equal("compact", j.GetProperty("policy").GetString());
            Assert.True(j.GetProperty("completed").GetBoolean());
            Assert.Equal(0, j.GetProperty("false_reports").GetInt32());
            Assert.Equal(direct.PeakArenaBytes, j.GetProperty("peak_arena_bytes").GetInt64());
            MinHeapResult min = ReplayCommand.Search(t, l, 256, HeapPolicy.Compact);
            Assert.Equal(min.HeapBytes, j.GetProperty("min_heap").GetProperty("bytes").GetInt32());
            Assert.Equal(0, CliRun.Of("replay", path, "--heap", min.HeapBytes.ToString(), "--blocksize", "256", "--layer", layer, "--policy", "compact", "--no-search").Exit);
            Assert.Equal(ExitCodes.Findings, CliRun.Of("replay", path, "--heap", (min.HeapBytes - 16).ToString(), "--blocksize", "256", "--layer", layer, "--policy", "compact", "--no-search").Exit);
            Assert.Contains("on the " + TraceMaps.LayerName(l, HeapPolicy.Compact), CliRun.Of("replay", path, "--blocksize", "256", "--layer", layer, "--policy", "compact", "--no-search").Out);
        }

        [Theory]
        [InlineData("replay", "tlsf")]
        [InlineData("replay", "")]
        [InlineData("map", "Seed2")]
        public void Policy_OtherThanSeedOrCompact_IsAUsageError(string command, string policy)
        {
            string path = Write(Small);
            CliRun r = command == "map" ? CliRun.Of("map", path, "-o", Path.Combine(Golden.TempDir(), "m.svg"), "--policy", policy) : CliRun.Of("replay", path, "--policy", policy);
            Assert.Equal(ExitCodes.BadInput, r.Exit);
            Assert.Contains($"--policy {policy}: give seed or compact", r.Err);
        }

        [Fact]
        public void Compact_WithABlockSizeItCannotUse_IsAUsageError()
        {
            CliRun r = CliRun.Of("replay", Write(Small), "--policy", "compact", "--blocksize", "32");
            Assert.Equal(ExitCodes.BadInput, r.Exit);
            Assert.Contains("--blocksize 32: the compact policy needs BLOCKSIZE from 64", r.Err);
        }

        [Theory]
        [InlineData("seed")]
        [InlineData("compact")]
        public void DebugLayer_AtThePeak_ReadsTheReplaysOwnHeap(string policy)
        {
            // The layers' adapters make a fresh heap when a replay begins: the figures at the peak and
            // at the end are that heap's, not the one the adapter was built with (which stays empty).
            JsonElement j = Json(CliRun.Of("replay", Write(Small), "--heap", "64k", "--blocksize", "256", "--layer", "debug", "--policy", policy, "--no-search", "--format", "json"));
            JsonElement peak = j.GetProperty("at_peak");
            Assert.True(peak.GetProperty("used_bytes").GetInt32() >= 8100 + (3 * 32), peak.ToString());
            Assert.True(j.GetProperty("end_free_bytes").GetInt32() < 65536, j.ToString());
        }

        [Fact]
        public void MapOfATrace_OverCompact_DrawsItsEntriesToTheByte()
        {
            string svg = Path.Combine(Golden.TempDir(), "compact.svg");
            CliRun r = CliRun.Of("map", Write(Small), "--blocksize", "256", "--policy", "compact", "--at", "3", "-o", svg);
            Assert.True(r.Exit == 0, r.Err);
            string text = File.ReadAllText(svg);
            Assert.Contains("small: base heap, Compact policy after event 3", text);
            Assert.Contains("data-tag=\"seg:0x", text);   // a 100-byte slot run, then 5000 and 3000 bytes at 16-byte granules
        }

        [Fact]
        public void SmallTrace_BaseHeap_ExactFigures()
        {
            JsonElement j = Json(CliRun.Of("replay", Write(Small), "--heap", "64k", "--format", "json"));
            // At its peak the heap holds 4 blocks; the arena keeps its first 8 bytes, and the search
            // steps by 16, so the smallest HEAP is 4 blocks + 16.
            Assert.Equal(4 * 4096, j.GetProperty("peak_arena_bytes").GetInt64());
            Assert.Equal((4 * 4096) + 16, j.GetProperty("min_heap").GetProperty("bytes").GetInt32());
        }

        [Fact]
        public void TooSmallHeap_Fails_WithTheLine()
        {
            CliRun r = CliRun.Of("replay", Write(Small), "--heap", "8k", "--no-search");
            Assert.Equal(ExitCodes.Findings, r.Exit);
            Assert.Contains("allocation(s) failed, the first at line 4", r.Out);
        }

        [Fact]
        public void MapAt_WritesThePictureOfThatMoment()
        {
            string dir = Golden.TempDir();
            string svg = Path.Combine(dir, "at4.svg");
            CliRun r = CliRun.Of("replay", Write(Small), "--heap", "64k", "--no-search", "--map-at", "4", "-o", svg);
            Assert.True(r.Exit == 0, r.Err);
            string text = File.ReadAllText(svg);
            Assert.Contains("small: base heap after event 4 (line 6)", text);
            Assert.Contains($"fill=\"{MapPalette.Free}\" stroke=\"#FFFFFF\" stroke-width=\"1\" data-tag=\"block:2\"", text);   // a 2 freed
            Assert.Contains($"fill=\"{MapPalette.Used}\" stroke=\"#FFFFFF\" stroke-width=\"1\" data-tag=\"block:4\"", text);   // a 3

            string png = Path.Combine(dir, "map.png");
            Assert.Equal(0, CliRun.Of("map", Write(Small), "--at", "4", "--heap", "64k", "-o", png).Exit);
            Assert.True(new FileInfo(png).Length > 1000);
        }

        private static string SharedTraces()
        {
            string env = Environment.GetEnvironmentVariable("CHECKER_NANO_TRACES");
            if (!string.IsNullOrEmpty(env))
            {
                return env;
            }

            for (DirectoryInfo d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            {
                if (File.Exists(Path.Combine(d.FullName, "Checker.Nano.sln")))
                {
                    return Path.GetFullPath(Path.Combine(d.FullName, "..", "shared", "traces"));
                }
            }

            return Path.GetFullPath(Path.Combine("..", "shared", "traces"));
        }

        [SkippableTheory]
        [InlineData("synthetic-espidf.txt", "base", 4096)]
        [InlineData("synthetic-espidf.txt", "debug", 512)]
        [InlineData("lua51-wordfreq.txt", "base", 512)]
        public void SharedTrace_Replays_AndTheSearchIsRight(string file, string layer, int blockSize)
        {
            string dir = SharedTraces();
            Xunit.Skip.IfNot(File.Exists(Path.Combine(dir, file)), $"shared traces not found at {dir} (set CHECKER_NANO_TRACES to run this test)");
            string path = Path.Combine(dir, file);
            JsonElement j = Json(CliRun.Of("replay", path, "--layer", layer, "--blocksize", blockSize.ToString(), "--format", "json"));
            Trace t = TraceReader.Read(path);
            Assert.True(j.GetProperty("completed").GetBoolean());
            Assert.Equal(t.Events.Length, j.GetProperty("events").GetInt32());
            Assert.Equal(t.PeakLiveBytes, j.GetProperty("peak_live_bytes").GetInt64());
            Assert.True(j.GetProperty("peak_arena_bytes").GetInt64() >= t.PeakLiveBytes);
            int min = j.GetProperty("min_heap").GetProperty("bytes").GetInt32();
            Assert.Equal(ExitCodes.Ok, CliRun.Of("replay", path, "--layer", layer, "--blocksize", blockSize.ToString(), "--heap", min.ToString(), "--no-search").Exit);
            Assert.Equal(ExitCodes.Findings, CliRun.Of("replay", path, "--layer", layer, "--blocksize", blockSize.ToString(), "--heap", (min - 16).ToString(), "--no-search").Exit);
            if (layer == "base")
            {
                Assert.Equal(Checker.Nano.Traces.Fragmentation.PeakArena(t, blockSize) + 16, min, 16.0);
            }
        }

        public static TheoryData<string, string> SharedOverCompact()
        {
            var data = new TheoryData<string, string>();
            foreach (string file in new[] { "lua51-json.txt.gz", "lua51-wordfreq.txt", "lua54-strbuild.txt", "python-json.txt", "synthetic-espidf.txt" })
            {
                data.Add(file, "debug");
                data.Add(file, "checker");
            }

            return data;
        }

        [SkippableTheory]
        [MemberData(nameof(SharedOverCompact))]
        public void SharedTrace_OnTheUpperLayersOverCompact_CompletesWithNoFalseReport(string file, string layer)
        {
            string dir = SharedTraces();
            Xunit.Skip.IfNot(File.Exists(Path.Combine(dir, file)), $"shared traces not found at {dir} (set CHECKER_NANO_TRACES to run this test)");
            CliRun r = CliRun.Of("replay", Path.Combine(dir, file), "--layer", layer, "--policy", "compact", "--blocksize", "256", "--no-search", "--validate-every", "4096", "--format", "json");
            Assert.True(r.Exit == ExitCodes.Ok, $"exit {r.Exit}: {r.Err}");
            JsonElement j = JsonDocument.Parse(r.Out).RootElement;
            Assert.True(j.GetProperty("completed").GetBoolean());
            Assert.Equal(0, j.GetProperty("false_reports").GetInt32());
            Assert.Equal(TraceReader.Read(Path.Combine(dir, file)).Events.Length, j.GetProperty("events").GetInt32());
        }
    }
}
