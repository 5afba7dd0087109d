using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.IO.Ports;
using System.Linq;
using System.Text;
using System.Threading;
using Checker.Nano.Dumps;
using Checker.Nano.Testing;
using Xunit;

namespace Checker.Nano.Host.Tests
{
    /// <summary>A [Fact] that runs where pseudo-terminals can be opened (Linux with /dev/pts), skipped elsewhere.</summary>
    public sealed class LinuxFactAttribute : FactAttribute
    {
        public LinuxFactAttribute()
        {
            if (!PseudoTerminal.Supported)
            {
                Skip = "needs pseudo-terminals (Linux with /dev/pts)";
            }
        }
    }

    /// <summary>
    /// A real serial loop: the host firmware runs as its own process on one serial device, this
    /// test talks to it with System.IO.Ports.SerialPort on another, and the two devices are joined
    /// like a null-modem cable by two pseudo-terminal pairs whose master sides are bridged here
    /// (what `socat pty pty` does, with nothing to install).
    /// </summary>
    public class SerialLoopTests
    {
        private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

        [LinuxFact]
        public void HostFirmware_OnASerialDevice_DumpsOnCommandByte()
        {
            using var cable = new PtyCable();
            using var port = new SerialPort(cable.DeviceB, 115200) { NewLine = "\n", ReadTimeout = 500, WriteTimeout = 2000 };
            port.Open();
            cable.Start();

            string hostDll = typeof(Checker.Nano.Boards.Program).Assembly.Location;
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add("exec");
            start.ArgumentList.Add(hostDll);
            foreach (string a in new[] { "--serial", cable.DeviceA, "--seconds", "60", "--dump-every", "0" })
            {
                start.ArgumentList.Add(a);
            }

            using Process firmware = Process.Start(start);
            var stderr = new StringBuilder();
            firmware.ErrorDataReceived += (_, e) => { lock (stderr) { stderr.AppendLine(e.Data); } };
            firmware.BeginErrorReadLine();
            firmware.OutputDataReceived += (_, e) => { };
            firmware.BeginOutputReadLine();
            try
            {
                // The host tools' reader, fed line by line as the monitor feeds it.
                var parser = new LogParser("serial");
                var textLines = new List<string>();
                ParsedLog log = parser.Log;
                ReadUntil(port, parser, textLines, firmware, stderr, () => log.Hellos.Count > 0);
                Assert.Equal("host", log.Hellos[0].Board);

                port.Write("D");
                ReadUntil(port, parser, textLines, firmware, stderr, () => log.Dumps.Any(d => d.Why == "cmd-D" && d.HasEnd));
                Dump dump = log.Dumps.Single(d => d.Why == "cmd-D");
                Assert.True(dump.Complete, dump.Problem);
                Assert.Equal(65536, dump.First("STAT").IntOf("arena"));
                Assert.NotNull(dump.First("FRAG"));
                Assert.NotNull(dump.Map);
                Assert.Equal(5, dump.OfType("TYPE").Count());
                Assert.Contains(textLines, l => l.StartsWith("== Checker.Nano dump ") && l.Contains("(cmd-D)"));

                port.Write("?!");
                ReadUntil(port, parser, textLines, firmware, stderr, () => log.Notes.Any(r => r.Text("what") == "cmd-ignored"));
                CnRecord note = log.Notes.Last();
                Assert.Equal("0x21", note.Text("first"));
                Assert.Contains("commands: D dump, S statistics, L leaks, C check, V version, H or ? help", textLines);
                Assert.Empty(log.Skips);
                Assert.Equal(0, log.RecordsLost);
            }
            finally
            {
                if (!firmware.HasExited)
                {
                    firmware.Kill();
                    firmware.WaitForExit(10000);
                }
            }
        }

        private static void ReadUntil(SerialPort port, LogParser parser, List<string> textLines, Process firmware, StringBuilder stderr, Func<bool> done)
        {
            var clock = Stopwatch.StartNew();
            while (!done())
            {
                if (clock.Elapsed > Patience)
                {
                    throw new TimeoutException("no answer from the host firmware; its stderr: " + stderr);
                }

                if (firmware.HasExited)
                {
                    throw new InvalidOperationException("the host firmware exited with " + firmware.ExitCode + ": " + stderr);
                }

                try
                {
                    string line = port.ReadLine();
                    if (parser.AddLine(line).Count == 0 && !line.Contains("@CN", StringComparison.Ordinal))
                    {
                        textLines.Add(line.TrimEnd('\r'));
                    }
                }
                catch (TimeoutException)
                {
                }
            }
        }
    }

    /// <summary>
    /// Two pseudo-terminal pairs (tools/TestSupport/PseudoTerminal.cs, linked) whose masters are
    /// bridged both ways: whatever is written to DeviceA is read on DeviceB and the other way round.
    /// </summary>
    internal sealed class PtyCable : IDisposable
    {
        private readonly PseudoTerminal _a = new PseudoTerminal();
        private readonly PseudoTerminal _b = new PseudoTerminal();
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private Thread _aToB;
        private Thread _bToA;

        public string DeviceA => _a.SlavePath;

        public string DeviceB => _b.SlavePath;

        public void Start()
        {
            _aToB = new Thread(() => Pump(_a, _b)) { IsBackground = true, Name = "pty A to B" };
            _bToA = new Thread(() => Pump(_b, _a)) { IsBackground = true, Name = "pty B to A" };
            _aToB.Start();
            _bToA.Start();
        }

        public void Dispose()
        {
            _stop.Cancel();
            _aToB?.Join(2000);
            _bToA?.Join(2000);
            _a.Dispose();
            _b.Dispose();
        }

        private void Pump(PseudoTerminal from, PseudoTerminal to)
        {
            byte[] buffer = new byte[4096];
            while (!_stop.IsCancellationRequested)
            {
                int n = from.Read(buffer, 100);
                if (n > 0)
                {
                    to.Write(buffer, 0, n, _stop.Token);
                }
            }
        }
    }
}
