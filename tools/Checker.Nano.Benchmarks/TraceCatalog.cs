// Where the traces are and which to use. The traces live outside the repository, in
// ../shared/traces beside its root; --traces DIR overrides that, and the benchmark processes
// BenchmarkDotNet starts learn the directory from the CHECKER_NANO_TRACES environment variable.
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Checker.Nano.Traces;

namespace Checker.Nano.Benchmarks
{
    /// <summary>Finds and caches the traces.</summary>
    public static class TraceCatalog
    {
        /// <summary>Environment variable holding the traces directory for benchmark child processes.</summary>
        public const string DirectoryVariable = "CHECKER_NANO_TRACES";

        /// <summary>Environment variable limiting the replay benchmarks to some traces (comma-separated names).</summary>
        public const string FilterVariable = "CHECKER_NANO_TRACE_FILTER";

        private static readonly ConcurrentDictionary<string, Trace> Cache = new();

        /// <summary>The traces directory: the option, else the environment variable, else ../shared/traces beside the repository root.</summary>
        public static string Resolve(string option)
        {
            if (!string.IsNullOrEmpty(option))
            {
                return Path.GetFullPath(option);
            }

            string fromEnvironment = Environment.GetEnvironmentVariable(DirectoryVariable);
            if (!string.IsNullOrEmpty(fromEnvironment))
            {
                return fromEnvironment;
            }

            string root = RepositoryRoot();
            return root == null
                ? Path.GetFullPath(Path.Combine("..", "shared", "traces"))
                : Path.GetFullPath(Path.Combine(root, "..", "shared", "traces"));
        }

        /// <summary>The repository root (the folder holding Checker.Nano.sln or .git) above the current or the program's directory, or null.</summary>
        public static string RepositoryRoot()
        {
            foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            {
                for (DirectoryInfo d = new DirectoryInfo(start); d != null; d = d.Parent)
                {
                    if (File.Exists(Path.Combine(d.FullName, "Checker.Nano.sln")) || Directory.Exists(Path.Combine(d.FullName, ".git")))
                    {
                        return d.FullName;
                    }
                }
            }

            return null;
        }

        /// <summary>Checks that <paramref name="directory"/> holds traces; the error text to print when not.</summary>
        public static string Problem(string directory)
        {
            if (!Directory.Exists(directory))
            {
                return $"traces directory not found: {directory}\n"
                    + "The traces live in ../shared/traces beside the repository root; pass --traces DIR to use another directory.";
            }

            return Files(directory).Count == 0 ? $"no trace files (*.txt, *.txt.gz) in {directory}" : null;
        }

        /// <summary>The trace files of <paramref name="directory"/>, sorted by name.</summary>
        public static IReadOnlyList<string> Files(string directory)
        {
            return Directory.EnumerateFiles(directory)
                .Where(f => f.EndsWith(".txt", StringComparison.Ordinal) || f.EndsWith(".txt.gz", StringComparison.Ordinal))
                .OrderBy(f => TraceReader.NameOf(f), StringComparer.Ordinal)
                .ToList();
        }

        /// <summary>The trace names in <paramref name="directory"/>, limited by <see cref="FilterVariable"/> when set.</summary>
        public static IReadOnlyList<string> Names(string directory)
        {
            IEnumerable<string> names = Files(directory).Select(TraceReader.NameOf);
            string filter = Environment.GetEnvironmentVariable(FilterVariable);
            if (!string.IsNullOrEmpty(filter))
            {
                var keep = new HashSet<string>(filter.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                names = names.Where(keep.Contains);
            }

            return names.ToList();
        }

        /// <summary>The trace called <paramref name="name"/> in <paramref name="directory"/>, read once per process.</summary>
        public static Trace Load(string directory, string name)
        {
            return Cache.GetOrAdd(Path.Combine(directory, name), _ =>
            {
                string file = Files(directory).FirstOrDefault(f => TraceReader.NameOf(f) == name)
                    ?? throw new FileNotFoundException($"no trace called {name} in {directory}");
                return TraceReader.Read(file);
            });
        }
    }
}
