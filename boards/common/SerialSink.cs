// The report UART: a ReportSink over System.IO.Ports.SerialPort, which also reads the command
// bytes coming back on the same port. The same source builds against nanoFramework's
// System.IO.Ports (the ESP32 boards) and .NET's System.IO.Ports package (the host board, on a
// pseudo-terminal or a USB-serial adapter): both have IsOpen, BytesToRead, Read and
// Write(byte[], int, int).
//
// On an ESP32 never use COM1 (UART0): it carries nanoFramework's debugger wire protocol. The
// boards open COM2 on pins routed with Configuration.SetPinFunction (see each Board.cs).
// A write that throws (port closed, write timeout because nobody reads) is the reporter's to
// count: the firmware carries on.
using System.IO.Ports;

namespace Checker.Nano.Boards
{
    /// <summary>Report lines out, command bytes in, on one serial port.</summary>
    public sealed class SerialSink : ReportSink
    {
        private readonly SerialPort _port;

        /// <summary>A sink on <paramref name="port"/> (opened by the caller).</summary>
        public SerialSink(SerialPort port)
        {
            if (port == null)
            {
                throw new System.ArgumentNullException("port");
            }

            _port = port;
        }

        /// <summary>The port.</summary>
        public SerialPort Port
        {
            get { return _port; }
        }

        /// <summary>Whether the port is open: a closed port is not written to (the reporter counts the lines).</summary>
        public override bool IsConnected
        {
            get { return _port.IsOpen; }
        }

        /// <summary>Writes the bytes to the port.</summary>
        public override void Write(byte[] buffer, int offset, int count)
        {
            _port.Write(buffer, offset, count);
        }

        /// <summary>Reads the bytes waiting on the port (without blocking); returns how many.</summary>
        public int ReadCommands(byte[] buffer, int offset, int count)
        {
            try
            {
                if (!_port.IsOpen)
                {
                    return 0;
                }

                int waiting = _port.BytesToRead;
                if (waiting <= 0)
                {
                    return 0;
                }

                return _port.Read(buffer, offset, waiting < count ? waiting : count);
            }
            catch (System.Exception)
            {
                return 0;   // a port that fails to read gives no commands; the firmware carries on
            }
        }
    }
}
