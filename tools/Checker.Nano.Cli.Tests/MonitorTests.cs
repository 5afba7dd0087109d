// The monitor through real pseudo-terminals (tools/TestSupport/PseudoTerminal.cs, linked: libc's
// posix_openpt and friends): the test holds the master side, as a board's UART would, and the
// monitor opens the slave side with System.IO.Ports. One test runs checker-nano as a real process; one runs the monitor
// in-process and pulls the "cable" (closes the master) in the middle of a dump, then plugs in a
// new one behind the same path (a symlink), as udev does for a USB adapter.
using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Checker.Nano.Testing;
using Xunit;

namespace Checker.Nano.Cli.Tests
{
    /// <summary>A TextWriter several threads may write to and one may read.</summary>
    public sealed class SharedWriter : StringWriter
    {
        private readonly object _lock = new object();

        public override void Write(char value)
        {
            lock (_lock)
            {
                base.Write(value);
            }
        }

        public override void Write(string value)
        {
            lock (_lock)
            {
                base.Write(value);
            }
        }

        public override void Write(char[] buffer, int index, int count)
        {
            lock (_lock)
            {
                base.Write(buffer, index, count);
            }
        }

        public string Text
        {
            get
            {
                lock (_lock)
                {
                    return ToString();
                }
            }
        }
    }

    public class MonitorTests
    {
        private static bool WaitFor(Func<bool> condition, double seconds)
        {
            var sw = Stopwatch.StartNew();
            while (sw.Elapsed.TotalSeconds < seconds)
            {
                if (condition())
                {
                    return true;
                }

                Thread.Sleep(20);
            }

            return condition();
        }

        [SkippableFact]
        public void RealProcess_ShowsTheLeakTable_SendsD_AndLogsEveryByte()
        {
            Skip.IfNot(PseudoTerminal.Supported, "no pseudo-terminals here (Linux with /dev/pts needed)");
            using var pty = new PseudoTerminal();
            string log = Path.Combine(Golden.TempDir(), "serial.log");
            byte[] board = File.ReadAllBytes(Golden.PathOf("host-board.log"));
            var psi = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string a in new[] { Path.Combine(AppContext.BaseDirectory, "checker-nano.dll"), "monitor", "--port", pty.SlavePath, "--log", log, "--send-dump", "--dumps", "5", "--duration", "60" })
            {
                psi.ArgumentList.Add(a);
            }

            var output = new SharedWriter();
            using Process p = Process.Start(psi);
            p.OutputDataReceived += (_, e) => { if (e.Data != null) { output.Write(e.Data + "\n"); } };
            p.ErrorDataReceived += (_, e) => { if (e.Data != null) { output.Write(e.Data + "\n"); } };
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            Assert.True(WaitFor(() => output.Text.Contains("connected to"), 30), output.Text);
            string sent = "";
            Assert.True(WaitFor(() => (sent += pty.ReadAvailable()).Contains('D'), 30), "the monitor did not send D: " + sent);
            pty.Write(board);
            Assert.True(p.WaitForExit(60000), output.Text);         // --dumps 5 ends it at the fifth END, however slow the machine
            p.WaitForExit();
            string text = output.Text;
            Assert.Equal(0, p.ExitCode);
            Assert.Contains("[board] sensor-logger on host: HEAP 65536, BLOCKSIZE 4096", text);
            Assert.Contains("dump 5 (d=5, exit at 40.000 s)", text);
            Assert.Contains("leaks by allocation site", text);
            Assert.Contains("│ SensorLogger.cs:329 │ Normal   │      6 │   528 │  89.2% │ {69}..{417}  │", text);
            Assert.Contains("since dump 4: SensorLogger.cs:329 grown 5 -> 6 block(s), +88 bytes", text);
            Assert.Contains("garbage: 5 unreachable block(s), 440 bytes, allocated at SensorLogger.cs:329", text);
            Assert.Contains("[check] heap: ok", text);                  // ordinary output passed through
            Assert.DoesNotContain("@CN1", text);                         // records become tables
            Assert.Contains("5 dump(s)", text);
            Assert.Equal(board, File.ReadAllBytes(log));
        }

        [SkippableFact]
        public void CablePulledMidDump_Reconnects_AndReportsTheCutDump()
        {
            Skip.IfNot(PseudoTerminal.Supported, "no pseudo-terminals here (Linux with /dev/pts needed)");
            string dir = Golden.TempDir();
            string link = Path.Combine(dir, "ttyBOARD");
            string log = Path.Combine(dir, "serial.log");
            string text = Golden.Read("scenario.log");
            int cut = text.IndexOf("@CN1 LEAK n=46 ", StringComparison.Ordinal);   // in the middle of dump 2
            byte[] first = Encoding.Latin1.GetBytes(text[..cut]), second = Encoding.Latin1.GetBytes(text[cut..]);

            var output = new SharedWriter();
            using var cts = new CancellationTokenSource();
            CliContext ctx = CliContext.ForWriters(output, output, cts.Token);
            var pty1 = new PseudoTerminal();
            File.CreateSymbolicLink(link, pty1.SlavePath);
            Task<int> run = Task.Run(() => new Monitor(ctx) { Port = link, LogPath = log }.Run());
            try
            {
                Assert.True(WaitFor(() => output.Text.Contains("connected to"), 30), output.Text);
                pty1.Write(first);
                Assert.True(WaitFor(() => output.Text.Contains("dump 1 (d=1, call at 1.000 s)"), 30), output.Text);
                Assert.True(WaitFor(() => new FileInfo(log).Length == first.Length, 30), "the monitor did not log the first part");
                pty1.Dispose();                                            // the cable is pulled
                File.Delete(link);
                Assert.True(WaitFor(() => output.Text.Contains("connection lost"), 30), output.Text);
                using var pty2 = new PseudoTerminal();                                // and plugged in again
                File.CreateSymbolicLink(link, pty2.SlavePath);
                Assert.True(WaitFor(() => output.Text.Split("connected to").Length == 3, 30), output.Text);
                pty2.Write(second);
                Assert.True(WaitFor(() => output.Text.Contains("(d=3, exit at 3.000 s)"), 30), output.Text);
                Assert.True(WaitFor(() => new FileInfo(log).Length >= text.Length, 30), "the monitor did not log the second part");
                cts.Cancel();                                              // Ctrl+C
                Assert.Equal(0, run.Result);
            }
            finally
            {
                cts.Cancel();
                pty1.Dispose();
            }

            string o = output.Text;
            Assert.Contains("── dump 2 (d=2, timer at 2.000 s) ──", o);
            Assert.Contains("incomplete: the connection was lost before END", o);
            Assert.Contains("── dump 3 (d=2) ──", o);                       // the rest of dump 2, after the reconnection
            Assert.Contains("incomplete: BEGIN lost", o);
            Assert.Contains("HEAP ERROR", o);
            Assert.Contains("free-memory in free at 0x00000064 (history.cs:20)", o);
            Assert.Contains("│ buffer.cs:31  │ Normal   │      1 │  9000 │  68.1% │ {9}       │", o);
            string logged = File.ReadAllText(log, Encoding.Latin1);
            Assert.Equal(text, logged);                                // every byte, across the reconnection
        }

        [Fact]
        public void NegativeLimits_AreBadInput()
        {
            CliRun r = CliRun.Of("monitor", "--port", "/dev/null", "--dumps", "-1");
            Assert.Equal(ExitCodes.BadInput, r.Exit);
            Assert.Contains("checker-nano: --dumps -1: give 0 (no limit) or more", r.Err);
            r = CliRun.Of("monitor", "--port", "/dev/null", "--duration", "-2");
            Assert.Equal(ExitCodes.BadInput, r.Exit);
            Assert.Contains("checker-nano: --duration -2: give 0 (no limit) or more", r.Err);
        }

        [Fact]
        public void NoWait_OnAMissingPort_IsAnIoError()
        {
            CliRun r = CliRun.Of("monitor", "--port", Path.Combine(Golden.TempDir(), "no-such-tty"), "--no-wait");
            Assert.Equal(ExitCodes.IoError, r.Exit);
            Assert.Contains("cannot open", r.Err);
        }
    }
}
