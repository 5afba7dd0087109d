// .ci/run's last line is the figure CI reads: "N passed, N failed[, N skipped]", and when the run
// failed although no test did (a project that did not build, a test host that crashed, no results)
// ", run failed: <why>" after it. The script runs here against a stand-in `dotnet` that writes the
// TRX results and the console lines it is told to and exits as told.
using System;
using System.Diagnostics;
using System.IO;
using Xunit;

namespace Checker.Nano.Reliability.Tests
{
    public class CiRunTests
    {
        private const string FakeDotnet = """
            #!/usr/bin/env bash
            if [ "$1" = "--version" ]; then echo 10.0.100; exit 0; fi
            dir=""
            while [ $# -gt 0 ]; do
                if [ "$1" = "--results-directory" ]; then dir="$2"; shift; fi
                shift
            done
            if [ -n "$FAKE_TRX" ]; then
                { echo '<TestRun>'; for o in $FAKE_TRX; do echo "<UnitTestResult testName=\"t\" outcome=\"$o\" />"; done; echo '</TestRun>'; } > "$dir/fake.trx"
            fi
            printf '%b' "$FAKE_CONSOLE"
            exit "$FAKE_EXIT"
            """;

        private static string Repository()
        {
            for (DirectoryInfo d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            {
                if (File.Exists(Path.Combine(d.FullName, "Checker.Nano.sln")))
                {
                    return d.FullName;
                }
            }

            throw new InvalidOperationException("the repository (Checker.Nano.sln) is not above " + AppContext.BaseDirectory);
        }

        /// <summary>Runs a copy of .ci/run in a scratch tree with the stand-in dotnet; its exit code and last line.</summary>
        private static (int Exit, string Last) Run(string trx, string console, int exit)
        {
            string root = Path.Combine(Path.GetTempPath(), "checker-nano-ci-" + Guid.NewGuid().ToString("N"));
            try
            {
                Directory.CreateDirectory(Path.Combine(root, ".ci"));
                Directory.CreateDirectory(Path.Combine(root, "bin"));
                File.Copy(Path.Combine(Repository(), ".ci", "run"), Path.Combine(root, ".ci", "run"));
                string dotnet = Path.Combine(root, "bin", "dotnet");
                File.WriteAllText(dotnet, FakeDotnet.Replace("\r\n", "\n") + "\n");
                File.SetUnixFileMode(dotnet, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                var start = new ProcessStartInfo("bash", Path.Combine(root, ".ci", "run")) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                start.Environment["PATH"] = Path.Combine(root, "bin") + ":" + Environment.GetEnvironmentVariable("PATH");
                start.Environment["FAKE_TRX"] = trx;
                start.Environment["FAKE_CONSOLE"] = console;
                start.Environment["FAKE_EXIT"] = exit.ToString();
                using Process p = Process.Start(start);
                string output = p.StandardOutput.ReadToEnd();
                p.StandardError.ReadToEnd();
                p.WaitForExit();
                string[] lines = output.TrimEnd('\n').Split('\n');
                return (p.ExitCode, lines[^1]);
            }
            finally
            {
                Directory.Delete(root, true);
            }
        }

        [SkippableFact]
        public void AllPassed_ExitsZero()
        {
            Skip.IfNot(File.Exists("/bin/bash") || File.Exists("/usr/bin/bash"), "bash is not installed");
            Assert.Equal((0, "3 passed, 0 failed, 1 skipped"), Run("Passed Passed NotExecuted Passed", "Passed!  - Failed: 0, Passed: 3, Skipped: 1, Total: 4\\n", 0));
        }

        [SkippableFact]
        public void AFailedTest_IsCounted()
        {
            Skip.IfNot(File.Exists("/bin/bash") || File.Exists("/usr/bin/bash"), "bash is not installed");
            Assert.Equal((1, "2 passed, 1 failed"), Run("Passed Failed Passed", "Failed!  - Failed: 1, Passed: 2, Skipped: 0, Total: 3\\n", 1));
        }

        [SkippableFact]
        public void AProjectThatDidNotBuild_SaysTheRunFailed()
        {
            Skip.IfNot(File.Exists("/bin/bash") || File.Exists("/usr/bin/bash"), "bash is not installed");
            Assert.Equal((1, "5 passed, 0 failed, run failed: dotnet test exited with 1 although no test failed (a project failed to build or a test host crashed)"),
                Run("Passed Passed Passed Passed Passed", "x.cs(1,1): error CS1002: ; expected\\nPassed!  - Failed: 0, Passed: 5, Skipped: 0, Total: 5\\n", 1));
        }

        [SkippableFact]
        public void NoResults_SaysTheRunFailed()
        {
            Skip.IfNot(File.Exists("/bin/bash") || File.Exists("/usr/bin/bash"), "bash is not installed");
            Assert.Equal((1, "0 passed, 0 failed, run failed: no test results were written (dotnet test exited with 1)"), Run("", "Build FAILED.\\n", 1));
        }

        [SkippableFact]
        public void ACrashedTestHost_CountsTheConsole_AndSaysTheRunFailed()
        {
            // Two projects report on the console, one TRX file is written (the other host crashed
            // after its summary): the console's counts are taken, and the exit code says failed.
            Skip.IfNot(File.Exists("/bin/bash") || File.Exists("/usr/bin/bash"), "bash is not installed");
            Assert.Equal((1, "7 passed, 0 failed, run failed: dotnet test exited with 1 although no test failed (a project failed to build or a test host crashed)"),
                Run("Passed Passed", "Passed!  - Failed: 0, Passed: 2, Skipped: 0, Total: 2\\nPassed!  - Failed: 0, Passed: 5, Skipped: 0, Total: 5\\nThe active test run was aborted.\\n", 1));
        }
    }
}
