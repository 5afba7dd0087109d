// ESP32-S3 dev boards: ESP32-S3-DevKitC-1 and the like. Flash ESP32_S3_OCTAL for modules with
// octal PSRAM (N8R8, N16R8: the usual DevKitC-1), ESP32_S3_QUAD for quad PSRAM (N8R2) or no
// PSRAM (N8; the firmware boots without PSRAM). Older firmware lists named ESP32_S3_ALL.
//
// HEAP and BLOCKSIZE. The arena is one managed byte[] from nanoFramework's managed heap; one
// managed object can be at most 65535 heap blocks of 12 bytes (786,420 bytes), so no arena can be
// larger than about 768 KiB.
//  - With PSRAM (2 to 16 MB) the managed heap is the largest free PSRAM block less 256 KiB kept
//    for ESP-IDF (nf-interpreter targets/ESP32/_nanoCLR/Memory.cpp): megabytes. HEAP = 512 KiB
//    stays well under the object limit; BLOCKSIZE 2048 gives 255 blocks and about 11.3 KiB of heap
//    metadata beside the arena (2.2%: the table and the free-fragment bitmap, 8 KiB of it);
//    fragments are 8..1024 bytes (8 sizes), so at worst 16 KiB (3%) are pinned in partly used
//    fragment blocks. On the synthetic ESP-IDF trace 1024-byte blocks need about 8% less arena
//    than 2048 (1.458 against 1.577 x the peak live bytes, tools/Checker.Nano.Benchmarks
//    fragmentation), but twice the blocks mean twice the table and a longer free-cluster walk
//    for every whole-block request on the interpreter; at 512 KiB we take the shorter walk.
//  - Without PSRAM the managed heap is internal RAM (512 KiB SRAM on the chip) less 130 KiB kept
//    for ESP-IDF (160 KiB with BLE), capped at the largest free internal block: a few hundred
//    KiB at most. HEAP = 64 KiB with BLOCKSIZE 1024: 63 blocks, about 2 KiB of metadata (3.1%), at
//    worst 7 KiB pinned (11%); 1024 is the best BLOCKSIZE measured at this size.
// These choices follow the benchmarks and will be revised as more traces are measured. The first
// dump shows your module's real figures (RTMEM kind=managed / internal / spiram).
//
// UART. COM1 (UART0, GPIO43 TX / GPIO44 RX) may carry the debugger's wire protocol (the S3
// firmware uses the USB-Serial-JTAG port or UART0, whichever is connected): never use it for the
// report. The report goes to COM2 (UART1) on GPIO17 (TX) and GPIO18 (RX), UART1's usual pins on
// the S3: not strapping pins (0, 3, 45, 46) and not the octal PSRAM's (33-37).
namespace Checker.Nano.Boards
{
    /// <summary>ESP32-S3 constants.</summary>
    public static class Board
    {
        /// <summary>The board's name in HELLO.</summary>
        public const string Name = "esp32-s3";

        /// <summary>Arena bytes when the module has PSRAM.</summary>
        public const int HEAP = 524288;

        /// <summary>Block size when the module has PSRAM.</summary>
        public const int BLOCKSIZE = 2048;

        /// <summary>Arena bytes on a module without PSRAM.</summary>
        public const int HEAP_NO_PSRAM = 65536;

        /// <summary>Block size on a module without PSRAM.</summary>
        public const int BLOCKSIZE_NO_PSRAM = 1024;

        /// <summary>The report UART (UART1).</summary>
        public const string UART = "COM2";

        /// <summary>Report UART TX: to the adapter's RX.</summary>
        public const int UART_TX_PIN = 17;

        /// <summary>Report UART RX: to the adapter's TX (command bytes).</summary>
        public const int UART_RX_PIN = 18;

        /// <summary>Baud rate (8N1).</summary>
        public const int BAUD = 115200;

        /// <summary>The BOOT button (GPIO0, active low): press it for a dump.</summary>
        public const int BUTTON_PIN = 0;

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
