// Where the golden files are, and the in-process runner of the CLI. The golden logs are read
// from the test's output folder (copied from golden/); with CHECKER_NANO_REGEN_GOLDEN=1 the
// expected outputs are rewritten in the source folder instead of compared.
using System;
using System.IO;
using System.Runtime.CompilerServices;
using Xunit;

namespace Checker.Nano.Cli.Tests
{
    public static class Golden
    {
        public static string Dir => Path.Combine(AppContext.BaseDirectory, "golden");

        public static string PathOf(string name) => Path.Combine(Dir, name);

        public static string Read(string name) => File.ReadAllText(PathOf(name));

        private static string SourceDir([CallerFilePath] string file = null) => Path.Combine(Path.GetDirectoryName(file), "golden");

        public static bool Regenerate => Environment.GetEnvironmentVariable("CHECKER_NANO_REGEN_GOLDEN") == "1";

        /// <summary>Compares <paramref name="actual"/> with golden/<paramref name="name"/> (or rewrites it).</summary>
        public static void Check(string name, string actual)
        {
            actual = actual.Replace("\r\n", "\n");
            if (Regenerate)
            {
                File.WriteAllText(Path.Combine(SourceDir(), name), actual);
                return;
            }

            Assert.True(File.Exists(PathOf(name)), $"golden/{name} is missing: run the tests once with CHECKER_NANO_REGEN_GOLDEN=1");
            string expected = Read(name).Replace("\r\n", "\n");
            Assert.Equal(expected, actual);
        }

        /// <summary>A scratch folder for one test.</summary>
        public static string TempDir()
        {
            string d = Path.Combine(Path.GetTempPath(), "checker-nano-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(d);
            return d;
        }
    }

    /// <summary>The CLI run in-process with captured output.</summary>
    public sealed class CliRun
    {
        public int Exit;
        public string Out;
        public string Err;

        public static CliRun Of(params string[] args)
        {
            var o = new StringWriter();
            var e = new StringWriter();
            int exit = Program.Run(args, CliContext.ForWriters(o, e));
            return new CliRun { Exit = exit, Out = o.ToString().Replace("\r\n", "\n"), Err = e.ToString().Replace("\r\n", "\n") };
        }
    }
}
