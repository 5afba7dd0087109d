// The README's heap-tracing path (README.md, "Heap tracing"), run in-process as its commands run:
// the host board with --trace stream and --trace leaks, `checker-nano trace`, `replay
// --all-sizes`, `map` and `leaks`. Key lines are asserted, and every output line the README quotes
// in that section's plain code blocks (all but the command lines, starting "$ ", and lines holding
// "...") must be found in what the commands printed or wrote, whitespace and wrapping aside.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Checker.Nano.Boards;
using Xunit;

namespace Checker.Nano.Host.Tests
{
    /// <summary>Tests that change the current directory run alone (no other test runs meanwhile).</summary>
    [CollectionDefinition("current directory", DisableParallelization = true)]
    public class CurrentDirectoryCollection
    {
    }

    [Collection("current directory")]
    public class ReadmeTracePathTests
    {
        private static string RepoRoot()
        {
            for (DirectoryInfo d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            {
                if (File.Exists(Path.Combine(d.FullName, "Checker.Nano.sln")))
                {
                    return d.FullName;
                }
            }

            throw new InvalidOperationException("no Checker.Nano.sln above " + AppContext.BaseDirectory);
        }

        private static string Board(params string[] args)
        {
            var output = new StringWriter();
            Assert.Equal(0, Program.Run(Program.Parse(args), output, null));
            return output.ToString();
        }

        private static string Cli(params string[] args)
        {
            var o = new StringWriter();
            var e = new StringWriter();
            int exit = Checker.Nano.Cli.Program.Run(args, Checker.Nano.Cli.CliContext.ForWriters(o, e));
            Assert.True(exit == 0, "checker-nano " + string.Join(" ", args) + " exited " + exit + ": " + e);
            return o.ToString() + "\n" + e.ToString();
        }

        private static string Flat(string s) => Regex.Replace(s, @"\s+", " ").Trim();

        [Fact]
        public void ReadmeTracePath_RunRecordConvertReplayMap_PrintsWhatTheReadmeQuotes()
        {
            string dir = Path.Combine(Path.GetTempPath(), "checker-nano-readme-trace", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            string cwd = Directory.GetCurrentDirectory();
            try
            {
                Directory.SetCurrentDirectory(dir);   // the README's commands name files relative to where they run
                var printed = new List<string>();

                // run and record
                string log = Board("--trace", "stream");
                File.WriteAllText("board.log", log);
                printed.Add(log);
                Assert.Contains("@CN1 TRACE n=2 what=start mode=stream layer=checker policy=seed heap=65536 bs=4096 cap=0 meta=165 t=0", log);

                // convert
                string converted = Cli("trace", "board.log", "-o", "firmware.trace");
                printed.Add(converted);
                Assert.Contains("341 event(s) received (e=1..341), ended by stop", converted);
                string trace = File.ReadAllText("firmware.trace");
                printed.Add(trace);
                Assert.StartsWith("# checker-nano trace v1\n", trace.Replace("\r\n", "\n"));

                // replay: the sizing table, the recommendation, the sites
                string replay = Cli("replay", "firmware.trace", "--all-sizes");
                printed.Add(replay);
                Assert.Contains("recommended: BLOCKSIZE 128, seed policy: HEAP 3600 (+ 636 bytes of table beside the arena), 1.344 x peak live", replay);
                string checker = Cli("replay", "firmware.trace", "--all-sizes", "--layer", "checker");
                printed.Add(checker);
                Assert.Contains("recommended: BLOCKSIZE 256, seed policy: HEAP 7520", checker);

                // map at the recommended size
                string map = Cli("map", "firmware.trace", "-o", "heap.svg", "--blocksize", "128", "--heap", "3600");
                printed.Add(map);
                Assert.True(new FileInfo("heap.svg").Length > 0);

                // leaks mode
                string leaksLog = Board("--trace", "leaks");
                File.WriteAllText("leaks.log", leaksLog);
                printed.Add(leaksLog);
                string leaks = Cli("leaks", "leaks.log", "--dump", "2");
                printed.Add(leaks);
                Assert.Contains("7 block(s), 400 bytes still allocated at 3 site(s)", leaks);

                string all = Flat(string.Join("\n", printed));
                int quoted = 0;
                foreach (string line in ReadmeQuotedLines(Path.Combine(RepoRoot(), "README.md")))
                {
                    Assert.True(all.Contains(Flat(line)), "README quotes a line the commands did not print: " + line);
                    quoted++;
                }

                Assert.True(quoted >= 20, "the README's tracing section quotes only " + quoted + " output lines");
            }
            finally
            {
                Directory.SetCurrentDirectory(cwd);
                Directory.Delete(dir, true);
            }
        }

        /// <summary>The output lines in the plain code blocks of README's "## Heap tracing" section.</summary>
        private static IEnumerable<string> ReadmeQuotedLines(string readme)
        {
            bool inSection = false;
            bool inBlock = false;
            bool inCode = false;
            foreach (string raw in File.ReadAllLines(readme))
            {
                if (raw.StartsWith("## "))
                {
                    inSection = raw == "## Heap tracing";
                    continue;
                }

                if (!inSection)
                {
                    continue;
                }

                if (raw.StartsWith("```"))
                {
                    if (inBlock || inCode)
                    {
                        inBlock = inCode = false;
                    }
                    else
                    {
                        inBlock = raw == "```";   // output; a ```csharp block is code
                        inCode = !inBlock;
                    }

                    continue;
                }

                if (inBlock && !inCode && raw.Trim().Length > 0 && !raw.StartsWith("$ ") && !raw.Contains("..."))
                {
                    yield return raw;
                }
            }
        }
    }
}
