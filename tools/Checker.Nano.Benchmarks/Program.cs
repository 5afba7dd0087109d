// Entry point. Modes (first argument):
//   fragmentation   memory and work tables for every trace at BLOCKSIZE 4096/1024/512/256
//   replay          BenchmarkDotNet trace replays across allocators, then the ratio table
//   micro           BenchmarkDotNet micro-benchmarks (malloc+free, realloc, calloc)
//   all             every table of the README's Performance section: fragmentation, replay,
//                   layers, pairs, then micro (BenchmarkDotNet), in that order
//   layers          the debug heap and Checker against the base heap, interleaved in one process
//                   (ratios that hold on a loaded machine; --rounds N, default 15)
//   quick           CI smoke: one small trace, in-process, one iteration each; seconds, not minutes
//   pairs           malloc+free pairs of 8..16384 bytes against ArrayPool, NativeMemory and
//                   new byte[n], Stopwatch-timed in one process, interleaved (PairRatios.cs;
//                   --rounds N, default 15; --pairs N, default 1,000,000)
//   anything else   passed to BenchmarkDotNet's switcher (e.g. --filter '*Calloc*')
// Options: --traces DIR (default ../shared/traces beside the repository root),
//          --block-sizes 4096,512 (fragmentation), --trace NAME[,NAME] (fragmentation, replay),
//          --no-work (fragmentation without the work table), --no-layers (without the debug heap
//          and Checker's smallest HEAP), --out FILE (also write the markdown),
//          --fast (BenchmarkDotNet runs with 2 warmups and 6 iterations instead of 4 and 12),
//          --pairs N (pairs).
// The device figures are not here: they are measured on nanoFramework's real interpreter
// (tools/NanoRuntime/run.sh runs Checker.Nano/Benchmark/AllocBenchmark.cs there).
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Checker.Nano.Traces;

namespace Checker.Nano.Benchmarks
{
    public static class Program
    {
        private const string Usage =
            "usage: dotnet run -c Release --project tools/Checker.Nano.Benchmarks -- <mode> [options]\n"
            + "modes: fragmentation | replay | micro | all | layers | quick | pairs | <BenchmarkDotNet switcher arguments>\n"
            + "options: --traces DIR  --trace NAME[,NAME]  --block-sizes 4096,1024,512,256  --no-work  --no-layers  --rounds N  --out FILE  --fast  --pairs N";

        private static bool _fast;

        public static int Main(string[] args)
        {
            var rest = new List<string>();
            string tracesOption = null, outFile = null;
            List<string> only = null;
            List<int> blockSizes = FragmentationReport.DefaultBlockSizes.ToList();
            bool work = true, layers = true;
            int rounds = LayerRatios.DefaultRounds;
            int pairs = 1_000_000;
            for (int i = 0; i < args.Length; i++)
            {
                string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                switch (args[i])
                {
                    case "--traces": tracesOption = Value(); break;
                    case "--trace": only = Value().Split(',', StringSplitOptions.RemoveEmptyEntries).ToList(); break;
                    case "--block-sizes": blockSizes = Value().Split(',').Select(int.Parse).ToList(); break;
                    case "--no-work": work = false; break;
                    case "--no-layers": layers = false; break;
                    case "--rounds": rounds = int.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture); break;
                    case "--fast": _fast = true; break;
                    case "--pairs": pairs = int.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture); break;
                    case "--out": outFile = Value(); break;
                    case "-h":
                    case "--help": Console.WriteLine(Usage); return 0;
                    default: rest.Add(args[i]); break;
                }
            }

            string mode = rest.Count > 0 ? rest[0] : "";
            if (mode.Length == 0)
            {
                Console.Error.WriteLine(Usage);
                return 2;
            }

            string directory = TraceCatalog.Resolve(tracesOption);
            bool needsTraces = mode is "fragmentation" or "replay" or "all" or "layers" or "quick";
            if (needsTraces)
            {
                string problem = TraceCatalog.Problem(directory);
                if (problem != null)
                {
                    Console.Error.WriteLine("error: " + problem);
                    return 2;
                }
            }

            // Benchmark child processes find the traces (and the filter) through the environment.
            Environment.SetEnvironmentVariable(TraceCatalog.DirectoryVariable, directory);
            if (only != null)
            {
                Environment.SetEnvironmentVariable(TraceCatalog.FilterVariable, string.Join(",", only));
            }

            var output = new List<string>();
            switch (mode)
            {
                case "fragmentation":
                    output.Add(FragmentationReport.Build(directory, blockSizes, only, work, Console.Error, layers));
                    break;
                case "replay":
                    output.Add(RunReplay(FullConfig(directory)));
                    break;
                case "micro":
                    RunMicro(FullConfig(directory));
                    break;
                case "layers":
                    output.Add(LayerRatios.Build(directory, only, rounds, Console.Error));
                    break;
                case "all":
                    // Every table of the README's Performance section, in its order.
                    output.Add(FragmentationReport.Build(directory, blockSizes, only, work, Console.Error, layers));
                    Console.WriteLine(output[^1]);
                    output.Add(RunReplay(FullConfig(directory)));
                    Console.WriteLine(output[^1]);
                    output.Add(LayerRatios.Build(directory, only, rounds, Console.Error));
                    Console.WriteLine(output[^1]);
                    output.Add(PairRatios.Build(rounds, pairs, Console.Error));
                    Console.WriteLine(output[^1]);
                    RunMicro(FullConfig(directory));
                    break;
                case "quick":
                    return Quick(directory);
                case "pairs":
                    output.Add(PairRatios.Build(rounds, pairs, Console.Error));
                    break;
                default:
                    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest.ToArray(), FullConfig(directory));
                    return 0;
            }

            string text = string.Join(Environment.NewLine, output);
            Console.WriteLine(text);
            if (outFile != null)
            {
                File.WriteAllText(outFile, text);
            }

            return 0;
        }

        /// <summary>The configuration of real runs: one launch, 4 warmups, 12 iterations (--fast: 2 and 6), memory diagnoser.</summary>
        private static IConfig FullConfig(string directory)
        {
            Job job = Job.Default
                .WithLaunchCount(1)
                .WithWarmupCount(_fast ? 2 : 4)
                .WithIterationCount(_fast ? 6 : 12)
                .WithEnvironmentVariables(new EnvironmentVariable(TraceCatalog.DirectoryVariable, directory));
            string filter = Environment.GetEnvironmentVariable(TraceCatalog.FilterVariable);
            if (!string.IsNullOrEmpty(filter))
            {
                job = job.WithEnvironmentVariables(
                    new EnvironmentVariable(TraceCatalog.DirectoryVariable, directory),
                    new EnvironmentVariable(TraceCatalog.FilterVariable, filter));
            }

            return DefaultConfig.Instance
                .WithArtifactsPath(ArtifactsPath())
                .AddJob(job)
                .AddDiagnoser(MemoryDiagnoser.Default)
                .AddColumn(new NsPerOpColumn());
        }

        /// <summary>BenchmarkDotNet's reports go to out/benchmarks under the repository root (ignored by git).</summary>
        private static string ArtifactsPath()
        {
            string root = TraceCatalog.RepositoryRoot();
            return root == null ? Path.GetFullPath("BenchmarkDotNet.Artifacts") : Path.Combine(root, "out", "benchmarks");
        }

        private static string RunReplay(IConfig config)
        {
            Summary summary = BenchmarkRunner.Run<TraceReplayBenchmarks>(config);
            return ReplaySummary.Build(summary);
        }

        private static void RunMicro(IConfig config)
        {
            BenchmarkRunner.Run(new[] { typeof(MallocFreeBenchmarks), typeof(ReallocBenchmarks), typeof(CallocBenchmarks) }, config);
        }

        /// <summary>
        /// CI smoke: the fragmentation table of the smallest trace at one BLOCKSIZE, and every
        /// benchmark method once (in-process, one iteration) on it and on one size. Proves the
        /// modes work; the figures mean nothing.
        /// </summary>
        private static int Quick(string directory)
        {
            string smallest = TraceCatalog.Files(directory).OrderBy(f => new FileInfo(f).Length).Select(TraceReader.NameOf).First();
            Environment.SetEnvironmentVariable(TraceCatalog.FilterVariable, smallest);
            Console.WriteLine(FragmentationReport.Build(directory, new[] { 4096 }, new[] { smallest }, work: true, progress: null));

            IConfig config = ManualConfig.CreateMinimumViable()
                .WithArtifactsPath(ArtifactsPath())
                .AddJob(Job.Dry.WithToolchain(InProcessEmitToolchain.Instance))
                .AddDiagnoser(MemoryDiagnoser.Default)
                .AddColumn(new NsPerOpColumn())
                .AddFilter(new SimpleFilter(c => !c.Parameters.Items.Any(p => p.Name == "Size") || Equals(c.Parameters["Size"], 64)))
                .WithOptions(ConfigOptions.DisableLogFile);
            Summary replay = BenchmarkRunner.Run<TraceReplayBenchmarks>(config);
            Summary[] micro = BenchmarkRunner.Run(new[] { typeof(MallocFreeBenchmarks), typeof(ReallocBenchmarks), typeof(CallocBenchmarks) }, config);
            Console.WriteLine(ReplaySummary.Build(replay));
            int failed = replay.Reports.Count(r => !r.Success) + micro.Sum(s => s.Reports.Count(r => !r.Success));
            int ran = replay.Reports.Length + micro.Sum(s => s.Reports.Length);
            Console.WriteLine(failed == 0 && ran > 0
                ? $"quick: {ran} benchmark cases ran once each; fragmentation and work tables built for {smallest}"
                : $"quick: {failed} of {ran} benchmark cases failed");
            return failed == 0 && ran > 0 ? 0 : 1;
        }
    }
}
