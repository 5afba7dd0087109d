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
    }
}
