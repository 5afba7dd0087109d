// Replays of the shared traces (../shared/traces beside the repository root, or the directory in
// CHECKER_NANO_TRACES). Skipped, with the path looked at, when the directory is absent.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace Checker.Nano.Traces.Tests
{
    public class SharedTraceTests
    {
        /// <summary>Validate the heap every this many events (and at the end).</summary>
        private const int ValidateEvery = 2000;

        private const string None = "(no shared traces)";

        public static string Directory_ { get; } = FindTraces();

        public static IEnumerable<object[]> Names()
        {
            if (!Directory.Exists(Directory_))
            {
                return new[] { new object[] { None } };
            }

            return Directory.EnumerateFiles(Directory_)
                .Where(f => f.EndsWith(".txt", StringComparison.Ordinal) || f.EndsWith(".txt.gz", StringComparison.Ordinal))
                .Select(f => new object[] { Path.GetFileName(f) })
                .OrderBy(o => (string)o[0], StringComparer.Ordinal)
                .ToList();
        }

        [SkippableTheory]
        [MemberData(nameof(Names))]
        public void SharedTrace_ReadsWithTheFiguresOfItsSourceLine(string file)
        {
            Trace t = Load(file);
            Assert.True(t.Events.Length > 0);
            Assert.Equal(t.Mallocs + t.Callocs + t.Reallocs + t.Frees, t.Events.Length);
            Assert.Matches(@", \d+ events, peak live \d+ bytes in \d+ blocks", t.Source);   // checked by the reader
        }

        [SkippableTheory]
        [MemberData(nameof(Names))]
        public void SharedTrace_ReplaysOnTheBaseHeapAt4096_WithValidateAndContentChecks(string file)
        {
            Trace t = Load(file);
            int arena = Fragmentation.RoomyArena(t, 4096);
            using var heap = new HeapAdapter(arena, 4096, threadSafe: false) { VerifyContents = true };
            ReplayResult r = Replayer.Run(t, heap, new ReplayOptions { ValidateEvery = ValidateEvery });
            Assert.True(r.Completed, $"{t.Name}: {r.Failures} failures, first at line {r.FirstFailureLine}");
            Assert.True(r.PeakArenaBytes >= t.PeakLiveBytes);
        }

        [SkippableTheory]
        [MemberData(nameof(Names))]
        public void SharedTrace_ReplaysOnTheCompactHeapAt256And512_WithValidateAndContentChecks(string file)
        {
            Trace t = Load(file);
            foreach (int blockSize in new[] { 256, 512 })
            {
                int arena = Fragmentation.RoomyArena(t, blockSize);
                using var heap = new HeapAdapter(arena, blockSize, HeapPolicy.Compact, threadSafe: false) { VerifyContents = true };
                ReplayResult r = Replayer.Run(t, heap, new ReplayOptions { ValidateEvery = ValidateEvery });
                Assert.True(r.Completed, $"{t.Name} at {blockSize}: {r.Failures} failures, first at line {r.FirstFailureLine}");
                Assert.Null(heap.Validate());
            }
        }

        /// <summary>
        /// The worst operation per trace at 4096 and 256, as the benchmarks' fragmentation mode
        /// measured them (its README's work table): trace, BLOCKSIZE, the worst operation's line,
        /// its cluster and fragment steps, and the most steps any free took. A fragment step is a
        /// bitmap word written or looked at: a split writes the block's words (16 at 4096, 1 at
        /// 256), a block's release clears them, a malloc that finds its hint word empty looks at
        /// the others; so at 4096 the worst operations are reallocs that split one block and
        /// release another (up to 32 steps), at 256 the cluster walks: malloc's first fit from the rover and
        /// free's search for the cluster before.
        /// </summary>
        private static readonly (string Trace, int BlockSize, int Line, int Cluster, int Fragment, int FreeMax)[] Worst =
        {
            ("lua51-json", 4096, 201592, 11, 16, 27),
            ("lua51-json", 256, 240906, 361, 0, 138),
            ("lua51-wordfreq", 4096, 157, 2, 16, 18),
            ("lua51-wordfreq", 256, 31428, 41, 0, 28),
            ("lua54-strbuild", 4096, 348, 2, 32, 21),
            ("lua54-strbuild", 256, 21103, 25, 0, 11),
            ("python-json", 4096, 77493, 28, 16, 44),
            ("python-json", 256, 67608, 261, 0, 261),
            ("synthetic-espidf", 4096, 11, 1, 20, 21),
            ("synthetic-espidf", 256, 6027, 63, 0, 19),
        };

        [SkippableTheory]
        [MemberData(nameof(Names))]
        public void SharedTrace_WorkPerOperation_HasTheMeasuredWorstCases(string file)
        {
            Trace t = Load(file);
            foreach (int bs in new[] { 4096, 256 })
            {
                HeapWorkReport w = HeapWorkMeter.Measure(t, bs, Fragmentation.RoomyArena(t, bs));
                Assert.Equal(t.Events.Length, w.Steps.Count);
                Assert.True(w.Steps.Max >= w.Steps.P999 && w.Steps.P999 >= w.Steps.P50);
                Assert.Equal(w.Steps.Max, w.WorstWork.Steps);
                Assert.Equal(w.ClusterSteps.Sum + w.FragmentSteps.Sum, w.Steps.Sum);

                // Bitmap words: a split writes a block's (BLOCKSIZE / 256, at least 1), a release
                // clears them, an emptied hint word looks at the others; one operation does at
                // most a split and a release (a realloc); no free looks at any fragment's bytes.
                int words = Math.Max(1, bs / 256);
                Assert.True(w.FragmentSteps.Max <= 2 * words, $"{t.Name} at {bs}: {w.FragmentSteps.Max} fragment steps in one operation");

                var known = Array.Find(Worst, x => x.Trace == t.Name && x.BlockSize == bs);
                if (known.Trace != null)
                {
                    string where = $"{t.Name} at {bs}: worst line {w.WorstEvent.Line} ({w.WorstWork}), free max {w.FreeSteps.Max}";
                    Assert.True(known.Line == w.WorstEvent.Line, where);
                    Assert.True(known.Cluster == w.WorstWork.ClusterSteps && known.Fragment == w.WorstWork.FragmentSteps, where);
                    Assert.True(known.FreeMax == w.FreeSteps.Max, where);
                }
            }
        }

        [SkippableTheory]
        [MemberData(nameof(Names))]
        public void SharedTrace_SmallestHeapSearch_AgreesWithThePeakBreak(string file)
        {
            Trace t = Load(file);
            Skip.If(t.Events.Length > 100_000, $"{t.Name}: the search replays it ~16 times; left to the benchmarks' fragmentation mode");
            MinHeapResult m = MinHeapSearch.ForBaseHeap(t, 4096);
            long peak = Fragmentation.PeakArena(t, 4096);
            Assert.Equal((peak + 8 + 15) / 16 * 16, m.HeapBytes);
        }

        [SkippableFact]
        public void SharedReadme_HasReferenceFiguresForEveryTrace()
        {
            Skip.IfNot(Directory.Exists(Directory_), $"shared traces not found at {Directory_} (set CHECKER_NANO_TRACES to run these tests)");
            ReferenceFigures r = ReferenceFigures.Load(Directory_);
            Assert.NotNull(r);
            Assert.True(r.Find("4096-byte") >= 0);
            Assert.True(r.Find("512-byte") >= 0);
            foreach (object[] name in Names())
            {
                Assert.False(double.IsNaN(r.Value(TraceReader.NameOf((string)name[0]), r.Find("4096-byte"))), (string)name[0]);
            }
        }

        private static Trace Load(string file)
        {
            Skip.If(file == None, $"shared traces not found at {Directory_} (set CHECKER_NANO_TRACES to run these tests)");
            return TraceReader.Read(Path.Combine(Directory_, file));
        }

        private static string FindTraces()
        {
            string env = Environment.GetEnvironmentVariable("CHECKER_NANO_TRACES");
            if (!string.IsNullOrEmpty(env))
            {
                return env;
            }

            for (DirectoryInfo d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            {
                if (File.Exists(Path.Combine(d.FullName, "Checker.Nano.sln")) || Directory.Exists(Path.Combine(d.FullName, ".git"))
                    || File.Exists(Path.Combine(d.FullName, ".git")))
                {
                    return Path.GetFullPath(Path.Combine(d.FullName, "..", "shared", "traces"));
                }
            }

            return Path.GetFullPath(Path.Combine("..", "shared", "traces"));
        }
    }
}
