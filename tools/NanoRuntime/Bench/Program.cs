// The device benchmark on nanoFramework's interpreter (tools/NanoRuntime/run.sh, kind "bench"):
// Checker.Nano's AllocBenchmark with the ESP32 boards' arena (boards/esp32*/Program.cs: HEAP
// 16384, BLOCKSIZE 1024), 10,000 iterations per case (the boards run 2,000: a few milliseconds
// per case, which a busy host's scheduler can double), then TraceBenchmark (what heap tracing
// costs per malloc+free pair in each mode, 2,000 pairs per case), their lines printed with
// Console.Write.
using Checker.Nano;

namespace Checker.Nano.NanoRuntime
{
    public static class BenchProgram
    {
        public static void Main()
        {
            Reporter reporter = new Reporter(new ConsoleSink());
            AllocBenchmark.Run(reporter, 16384, 1024, 10000);
            TraceBenchmark.Run(reporter, 16384, 1024, 2000);
        }
    }
}
