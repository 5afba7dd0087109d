// ESP32 (classic) dev boards: ESP32-DevKitC with an ESP32-WROVER module (4 or 8 MB PSRAM; flash
// the ESP32_PSRAM_REV0 firmware) or an ESP32-WROOM module (no PSRAM; ESP32_PSRAM_REV0 runs there
// too, or ESP32_REV0).
//
// HEAP and BLOCKSIZE. The arena is one managed byte[], so it comes out of nanoFramework's managed
// heap, and one managed object can be at most 65535 heap blocks of 12 bytes (786,420 bytes,
// CLR_RT_HeapBlock::HB_MaxSize in nf-interpreter): no arena can be larger than about 768 KiB.
//  - With PSRAM the runtime puts its managed heap in PSRAM: the largest free PSRAM block less
//    256 KiB kept for ESP-IDF (nf-interpreter targets/ESP32/_nanoCLR/Memory.cpp), about 3.7 MiB
//    on a 4 MB module. HEAP = 256 KiB takes under a tenth of it and leaves the application the
//    rest: 255 blocks of 1024 (the arena's first 8 bytes are never a block), and about 7.2 KiB
//    of heap metadata beside the arena, the table and the free-fragment bitmap
//    (MStats.MetadataBytes, "meta" in STAT: 2.8%).
//  - Without PSRAM the managed heap is internal RAM less 100 KiB kept for ESP-IDF (130 KiB with
//    BLE), capped at the largest free internal block: on the order of 100 KiB on an ESP32. HEAP
//    = 32 KiB is a third of it: 31 blocks, about 1.1 KiB of metadata (3.4%).
//  - BLOCKSIZE 1024 in both: requests up to 512 bytes are fragments (8..512, 7 sizes), larger
//    ones whole blocks. Each fragment size in use can leave one block partly free, so at worst
//    7 KiB are pinned that way: 3% of 256 KiB, 21% of 32 KiB; 4096-byte blocks would pin up to
//    36 KiB. Measured: on the synthetic ESP-IDF trace (shared traces, peak 74 KB live) the
//    smallest arena that completes, metadata included, is 1.458 x the peak live bytes with
//    1024-byte blocks against 1.577 (2048), 1.799 (4096) and 1.610 (512)
//    (tools/Checker.Nano.Benchmarks fragmentation). These choices follow the benchmarks: they
//    will be revised as more traces are measured.
// The first dump shows the real figures of your module: RTMEM kind=managed / internal / spiram.
//
// UART. COM1 (UART0, GPIO1/GPIO3) carries the debugger's wire protocol: never use it. The report
// goes to COM2 (UART1) with its pins routed by Configuration.SetPinFunction. GPIO16/17, the usual
// UART2 pins of WROOM boards, are wired to the PSRAM on WROVER modules, so this board uses
// GPIO27 (TX) and GPIO26 (RX), free on both modules and not strapping pins.
namespace Checker.Nano.Boards
{
    /// <summary>ESP32 (WROVER / WROOM) constants.</summary>
    public static class Board
    {
        /// <summary>The board's name in HELLO.</summary>
        public const string Name = "esp32";

        /// <summary>Arena bytes when the module has PSRAM.</summary>
        public const int HEAP = 262144;

        /// <summary>Block size when the module has PSRAM.</summary>
        public const int BLOCKSIZE = 1024;

        /// <summary>Arena bytes on a module without PSRAM.</summary>
        public const int HEAP_NO_PSRAM = 32768;

        /// <summary>Block size on a module without PSRAM.</summary>
        public const int BLOCKSIZE_NO_PSRAM = 1024;

        /// <summary>The report UART (UART1).</summary>
        public const string UART = "COM2";

        /// <summary>Report UART TX: to the adapter's RX.</summary>
        public const int UART_TX_PIN = 27;

        /// <summary>Report UART RX: to the adapter's TX (command bytes).</summary>
        public const int UART_RX_PIN = 26;

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
