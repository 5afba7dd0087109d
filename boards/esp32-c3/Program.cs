// The sample firmware on an ESP32-C3 board: route COM2 to its pins, open it, and run the sensor
// logger forever, dumping every 30 s, when the BOOT button is pressed, or when a command byte
// arrives on COM2 (D dump, S statistics, L leaks, C check, V version, H help).
using System.IO.Ports;
using nanoFramework.Hardware.Esp32;

namespace Checker.Nano.Boards
{
    public static class Program
    {
        public static void Main()
        {
            Configuration.SetPinFunction(Board.UART_TX_PIN, DeviceFunction.COM2_TX);
            Configuration.SetPinFunction(Board.UART_RX_PIN, DeviceFunction.COM2_RX);
            SerialPort port = new SerialPort(Board.UART, Board.BAUD);
            port.Open();
            SerialSink sink = new SerialSink(port);
            if (Board.BENCHMARK_AT_START)
            {
                Reporter bench = new Reporter(sink);
                bench.Forms = ReportForm.Text;
                AllocBenchmark.Run(bench, 16384, 1024, 2000);
            }

            SensorLogger logger = new SensorLogger(Board.Name, new byte[Board.HEAP], Board.BLOCKSIZE, sink, new Esp32Port(sink, Board.BUTTON_PIN));
            logger.RuntimeMemory = new Esp32RuntimeMemory();
            logger.DumpEveryMs = Board.DUMP_EVERY_MS;
            if (Board.TRACE_MODE != 0)
            {
                logger.SetUpTrace(Board.TRACE_MODE, Board.TRACE_MODE == TraceMode.Stream ? 0 : Board.TRACE_CAPACITY);
            }

            logger.Start();
            logger.Run(-1);
        }
    }
}
