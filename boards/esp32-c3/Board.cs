// ESP32-C3 dev boards: ESP32-C3-DevKitM-1, ESP32-C3 "SuperMini" and the like (RISC-V, 400 KiB
// SRAM, no PSRAM). Flash ESP32_C3 (ESP32_C3_BETA only for the pre-production revision 0.2).
//
// HEAP and BLOCKSIZE. The arena is one managed byte[] from nanoFramework's managed heap. With no
// PSRAM the managed heap is internal RAM less 100 KiB kept for ESP-IDF (130 KiB with BLE),
// capped at the largest free internal block (nf-interpreter targets/ESP32/_nanoCLR/Memory.cpp):
// on the order of 150 KiB on a C3. HEAP = 48 KiB is about a third of it, the rest staying with
// the application. BLOCKSIZE 1024: 47 blocks and about 1.5 KiB of heap metadata beside the
// arena (3.2%: the table and the free-fragment bitmap); fragments are 8..512 bytes (7 sizes), so
// at worst 7 KiB (15%) are pinned in partly used fragment blocks, where 4096-byte blocks could
// pin 36 KiB, three quarters of the arena. On the synthetic ESP-IDF trace 1024-byte blocks need
// the least arena of 512..4096 (1.458 x the peak live bytes, tools/Checker.Nano.Benchmarks
// fragmentation). These choices follow the benchmarks and will be revised as more traces are
// measured. The first dump shows your board's real figures (RTMEM kind=managed / internal).
//
// UART. The C3 has two UARTs. COM1 (UART0, GPIO21 TX / GPIO20 RX) may carry the debugger's wire
// protocol (the C3 firmware uses the USB-Serial-JTAG port or UART0, whichever is connected):
// never use it for the report. The report goes to COM2 (UART1), which has no fixed pins: GPIO7
// (TX) and GPIO6 (RX), on the header of the DevKitM-1 and the SuperMini, not strapping pins
// (2, 8, 9), not the USB pins (18, 19) and not ADC1 (0-4, kept for a real sensor).
namespace Checker.Nano.Boards
{
    /// <summary>ESP32-C3 constants.</summary>
    public static class Board
    {
        /// <summary>The board's name in HELLO.</summary>
        public const string Name = "esp32-c3";

        /// <summary>Arena bytes.</summary>
        public const int HEAP = 49152;

        /// <summary>Block size.</summary>
        public const int BLOCKSIZE = 1024;

        /// <summary>The report UART (UART1).</summary>
        public const string UART = "COM2";

        /// <summary>Report UART TX: to the adapter's RX.</summary>
        public const int UART_TX_PIN = 7;

        /// <summary>Report UART RX: to the adapter's TX (command bytes).</summary>
        public const int UART_RX_PIN = 6;

        /// <summary>Baud rate (8N1).</summary>
        public const int BAUD = 115200;

        /// <summary>The BOOT button (GPIO9, active low): press it for a dump.</summary>
        public const int BUTTON_PIN = 9;

        /// <summary>Milliseconds between periodic dumps.</summary>
        public const int DUMP_EVERY_MS = 30000;

        /// <summary>
        /// true: time malloc+free pairs against new byte[n] at start (AllocBenchmark, on a 16 KiB
        /// arena, 2000 pairs per case, a few seconds on the interpreter) and print the figures on the
        /// report UART before the logger starts.
        /// </summary>
        public const bool BENCHMARK_AT_START = false;

        /// <summary>
        /// Heap tracing: 0 (none), or TraceMode.Stream, Ring or Leaks (1, 2, 3) to set up a
        /// HeapTracer on Checker at start, stopped until command T (P stops it, E dumps its ring or
        /// leaks table; `checker-nano trace` reads the log). Its storage (TRACE_CAPACITY entries of
        /// 32 bytes in ring and leaks modes) comes out of the managed heap once, at start.
        /// </summary>
        public const int TRACE_MODE = 0;

        /// <summary>Events the ring keeps, or live allocations the leaks table keeps.</summary>
        public const int TRACE_CAPACITY = 256;
    }
}
