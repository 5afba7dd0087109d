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
        public void SharedTrace_WorkProbe_PredictsEveryOperationOfTheHeap(string file)
        {
            Trace t = Load(file);
            foreach (int bs in new[] { 4096, 256 })
            {
                HeapWorkReport w = HeapWork.Measure(t, bs, Fragmentation.RoomyArena(t, bs));
                Assert.True(w.Mismatches == 0, $"{t.Name} at {bs}: {w.Mismatches} mismatches, first {w.FirstMismatch}");
                Assert.Equal(t.Events.Length, w.Steps.Count);
                Assert.True(w.Steps.Max >= w.Steps.P999 && w.Steps.P999 >= w.Steps.P50);
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
