// Where the shared allocation traces are: ../shared/traces beside the repository (as the traces
// tests and the benchmarks look for them), or the folder given with --traces or the
// CHECKER_NANO_TRACES environment variable.
using System;
using System.IO;

namespace Checker.Nano.Reliability
{
    /// <summary>Finds the shared traces.</summary>
    public static class TraceFiles
    {
        /// <summary>The trace files in the order the soak replays them (smallest first).</summary>
        public static readonly string[] Names =
        {
            "synthetic-espidf.txt", "lua51-wordfreq.txt", "lua54-strbuild.txt", "python-json.txt", "lua51-json.txt.gz",
        };

        /// <summary>CHECKER_NANO_TRACES, else the first ../shared/traces found walking up from here, else null.</summary>
        public static string DefaultDirectory()
        {
            string env = Environment.GetEnvironmentVariable("CHECKER_NANO_TRACES");
            if (!string.IsNullOrEmpty(env))
            {
                return env;
            }

            foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            {
                var dir = new DirectoryInfo(start);
                while (dir != null)
                {
                    string candidate = Path.Combine(dir.FullName, "shared", "traces");
                    if (File.Exists(Path.Combine(candidate, Names[0])))
                    {
                        return candidate;
                    }

                    dir = dir.Parent;
                }
            }

            return null;
        }

        /// <summary>The path of trace <paramref name="name"/> in <paramref name="directory"/>, or null when absent.</summary>
        public static string Find(string directory, string name)
        {
            if (directory == null)
            {
                return null;
            }

            string path = Path.Combine(directory, name);
            return File.Exists(path) ? path : null;
        }
    }
}
