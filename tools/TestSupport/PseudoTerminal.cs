// One pseudo-terminal for tests that need a real serial device without hardware: libc's
// posix_openpt, grantpt, unlockpt and ptsname_r (Linux; nothing to install). The test holds the
// master side, as a board's UART would; whatever opens SlavePath (System.IO.Ports.SerialPort, the
// checker-nano monitor, the host firmware) is the other end of the cable.
//
// The one copy of this P/Invoke code: tools/Checker.Nano.Cli.Tests (the monitor tests) and
// boards/host/tests (the serial loop) link this file into their projects. The master is
// non-blocking: Read waits with poll, Write retries while the device's buffer is full.
using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;

namespace Checker.Nano.Testing
{
    /// <summary>A pseudo-terminal pair; the test reads and writes the master side.</summary>
    internal sealed class PseudoTerminal : IDisposable
    {
        private const int O_RDWR = 2;
        private const int O_NOCTTY = 0x100;
        private const int O_NONBLOCK = 0x800;
        private const int F_SETFL = 4;
        private const short POLLIN = 1;
        private const int EINTR = 4;

        private static readonly Lazy<bool> SupportedLazy = new Lazy<bool>(Probe);

        private int _fd;

        /// <summary>Opens a new pair; throws IOException when the system gives none.</summary>
        public PseudoTerminal()
        {
            _fd = posix_openpt(O_RDWR | O_NOCTTY);
            if (_fd < 0 || grantpt(_fd) != 0 || unlockpt(_fd) != 0)
            {
                int errno = Marshal.GetLastWin32Error();
                CloseFd();
                throw new IOException("posix_openpt failed: errno " + errno);
            }

            byte[] name = new byte[128];
            if (ptsname_r(_fd, name, (nuint)name.Length) != 0)
            {
                int errno = Marshal.GetLastWin32Error();
                CloseFd();
                throw new IOException("ptsname_r failed: errno " + errno);
            }

            SlavePath = Encoding.ASCII.GetString(name, 0, Array.IndexOf(name, (byte)0));
            fcntl(_fd, F_SETFL, O_NONBLOCK);
        }

        /// <summary>Whether this machine gives pseudo-terminals (Linux with /dev/pts mounted).</summary>
        public static bool Supported => SupportedLazy.Value;

        /// <summary>The device the other end opens: /dev/pts/N.</summary>
        public string SlavePath { get; }

        /// <summary>Writes all of <paramref name="data"/> as a board would, in pieces of at most 256 bytes.</summary>
        public void Write(byte[] data) => Write(data, 0, data.Length, CancellationToken.None);

        /// <summary>
        /// Writes <paramref name="count"/> bytes in pieces of at most 256, waiting while the device's
        /// buffer is full, until all are written or <paramref name="cancel"/> is cancelled.
        /// </summary>
        public void Write(byte[] data, int offset, int count, CancellationToken cancel)
        {
            byte[] piece = new byte[256];
            int done = 0;
            while (done < count && !cancel.IsCancellationRequested && _fd >= 0)
            {
                int size = Math.Min(piece.Length, count - done);
                Buffer.BlockCopy(data, offset + done, piece, 0, size);
                long n = write(_fd, piece, (nuint)size);
                if (n > 0)
                {
                    done += (int)n;
                }
                else if (Marshal.GetLastWin32Error() != EINTR)
                {
                    Thread.Sleep(5);   // full (EAGAIN), or nobody has the device open yet
                }
            }
        }

        /// <summary>
        /// Reads what arrives within <paramref name="timeoutMs"/> into <paramref name="buffer"/>:
        /// the bytes read, 0 when nothing came (it pauses briefly when nobody has the device open,
        /// so that a loop around it does not spin).
        /// </summary>
        public int Read(byte[] buffer, int timeoutMs)
        {
            if (_fd < 0)
            {
                return 0;
            }

            var fds = new PollFd { Fd = _fd, Events = POLLIN };
            int ready = poll(ref fds, 1, timeoutMs);
            if (ready <= 0)
            {
                return 0;
            }

            if ((fds.Revents & POLLIN) == 0)
            {
                Thread.Sleep(20);   // hang-up: nobody has the device open
                return 0;
            }

            long n = read(_fd, buffer, (nuint)buffer.Length);
            if (n <= 0)
            {
                Thread.Sleep(20);
                return 0;
            }

            return (int)n;
        }

        /// <summary>What the other end sent (e.g. command bytes) and is waiting now, as ASCII; never waits.</summary>
        public string ReadAvailable()
        {
            byte[] buffer = new byte[256];
            int n = Read(buffer, 0);
            return n > 0 ? Encoding.ASCII.GetString(buffer, 0, n) : "";
        }

        /// <summary>Closes the master: for the other end, the cable is pulled.</summary>
        public void Dispose() => CloseFd();

        private void CloseFd()
        {
            if (_fd >= 0)
            {
                close(_fd);
                _fd = -1;
            }
        }

        private static bool Probe()
        {
            if (!OperatingSystem.IsLinux())
            {
                return false;
            }

            try
            {
                using var p = new PseudoTerminal();
                return File.Exists(p.SlavePath);
            }
            catch (Exception)
            {
                return false;
            }
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
        private static extern int fcntl(int fd, int cmd, int arg);

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
