using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.IO.Ports;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using Checker.Nano.Protocol;
using Xunit;

namespace Checker.Nano.Host.Tests
{
    /// <summary>A [Fact] that runs on Linux only (pseudo-terminals through posix_openpt).</summary>
    public sealed class LinuxFactAttribute : FactAttribute
    {
        public LinuxFactAttribute()
        {
            if (!OperatingSystem.IsLinux())
            {
                Skip = "needs Linux pseudo-terminals";
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
                var reader = new CnReader();
                ReadUntil(port, reader, firmware, stderr, () => reader.Hello != null);
                Assert.Equal("host", reader.Hello["board"]);

                port.Write("D");
                ReadUntil(port, reader, firmware, stderr, () => reader.Dumps.Any(d => d.Why == "cmd-D" && d.ExpectedCount.HasValue));
                CnDump dump = reader.Dumps.Single(d => d.Why == "cmd-D");
                Assert.True(dump.Complete);
                Assert.Equal(65536, dump.First("STAT").Int("arena"));
                Assert.NotNull(dump.First("FRAG"));
                Assert.Equal(5, dump.OfType("TYPE").Count());
                Assert.Contains(reader.TextLines, l => l.StartsWith("== Checker.Nano dump ") && l.Contains("(cmd-D)"));

                port.Write("?!");
                ReadUntil(port, reader, firmware, stderr, () => reader.Records.Any(r => r.Type == "NOTE" && r["what"] == "cmd-ignored"));
                CnRecord note = reader.Records.Last(r => r.Type == "NOTE");
                Assert.Equal("0x21", note["first"]);
                Assert.Contains("commands: D dump, S statistics, L leaks, C check, V version, H or ? help", reader.TextLines);
                Assert.Equal(0, reader.BadRecords);
                Assert.Equal(0, reader.MissingNumbers);
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

        private static void ReadUntil(SerialPort port, CnReader reader, Process firmware, StringBuilder stderr, Func<bool> done)
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
                    reader.Feed(port.ReadLine());
                }
                catch (TimeoutException)
                {
                }
            }
        }
    }

    /// <summary>
    /// Two pseudo-terminal pairs whose masters are bridged both ways: whatever is written to
    /// DeviceA is read on DeviceB and the other way round.
    /// </summary>
    internal sealed class PtyCable : IDisposable
    {
        private const int O_RDWR = 2;
        private const int O_NOCTTY = 0x100;
        private const short POLLIN = 1;
        private const int EINTR = 4;

        private readonly int _masterA;
        private readonly int _masterB;
        private volatile bool _stop;
        private Thread _aToB;
        private Thread _bToA;

        public PtyCable()
        {
            _masterA = OpenMaster(out string a);
            _masterB = OpenMaster(out string b);
            DeviceA = a;
            DeviceB = b;
        }

        public string DeviceA { get; }

        public string DeviceB { get; }

        public void Start()
        {
            _aToB = new Thread(() => Pump(_masterA, _masterB)) { IsBackground = true, Name = "pty A to B" };
            _bToA = new Thread(() => Pump(_masterB, _masterA)) { IsBackground = true, Name = "pty B to A" };
            _aToB.Start();
            _bToA.Start();
        }

        public void Dispose()
        {
            _stop = true;
            _aToB?.Join(2000);
            _bToA?.Join(2000);
            close(_masterA);
            close(_masterB);
        }

        private void Pump(int from, int to)
        {
            byte[] buffer = new byte[4096];
            var fds = new PollFd { Fd = from, Events = POLLIN };
            while (!_stop)
            {
                fds.Revents = 0;
                int ready = poll(ref fds, 1, 100);
                if (ready <= 0 || (fds.Revents & POLLIN) == 0)
                {
                    if (ready > 0)
                    {
                        Thread.Sleep(20);   // hang-up: nobody has the device open yet
                    }

                    continue;
                }

                long n = (long)read(from, buffer, (nuint)buffer.Length);
                if (n <= 0)
                {
                    Thread.Sleep(20);
                    continue;
                }

                long written = 0;
                while (written < n && !_stop)
                {
                    byte[] rest = written == 0 ? buffer : buffer.Skip((int)written).ToArray();
                    long w = (long)write(to, rest, (nuint)(n - written));
                    if (w < 0)
                    {
                        if (Marshal.GetLastWin32Error() != EINTR)
                        {
                            Thread.Sleep(20);
                        }

                        continue;
                    }

                    written += w;
                }
            }
        }

        private static int OpenMaster(out string device)
        {
            int fd = posix_openpt(O_RDWR | O_NOCTTY);
            if (fd < 0 || grantpt(fd) != 0 || unlockpt(fd) != 0)
            {
                throw new IOException("posix_openpt failed, errno " + Marshal.GetLastWin32Error());
            }

            byte[] name = new byte[128];
            if (ptsname_r(fd, name, (nuint)name.Length) != 0)
            {
                throw new IOException("ptsname_r failed, errno " + Marshal.GetLastWin32Error());
            }

            device = Encoding.ASCII.GetString(name, 0, Array.IndexOf(name, (byte)0));
            return fd;
        }

        [StructLayout(LayoutKind.Sequential)]
        private struct PollFd
        {
            public int Fd;
            public short Events;
            public short Revents;
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int posix_openpt(int flags);

        [DllImport("libc", SetLastError = true)]
        private static extern int grantpt(int fd);

        [DllImport("libc", SetLastError = true)]
        private static extern int unlockpt(int fd);

        [DllImport("libc", SetLastError = true)]
        private static extern int ptsname_r(int fd, byte[] buffer, nuint length);

        [DllImport("libc", SetLastError = true)]
        private static extern nint read(int fd, byte[] buffer, nuint count);

        [DllImport("libc", SetLastError = true)]
        private static extern nint write(int fd, byte[] buffer, nuint count);

        [DllImport("libc", SetLastError = true)]
        private static extern int poll(ref PollFd fds, nuint count, int timeoutMs);

        [DllImport("libc", SetLastError = true)]
        private static extern int close(int fd);
    }
}
