// The runtime's own memory figures in a dump, so a user can tell our arena from the rest: on an
// ESP32 the board supplies them from nanoFramework.Hardware.Esp32.NativeMemory.GetMemoryInfo
// (internal RAM, SPI RAM) and nanoFramework.Runtime.Native.GC.Run(false) (the managed heap's free
// bytes); the host supplies the .NET GC's. The library references neither assembly: a board
// derives from RuntimeMemory (boards/common/Esp32RuntimeMemory.cs, boards/host).
namespace Checker.Nano
{
    /// <summary>One figure: a kind and its bytes (-1 = unknown, left out of the report).</summary>
    public sealed class RuntimeFigure
    {
        /// <summary>internal, spiram, all, managed (the runtime's managed heap), process (host).</summary>
        public string Kind;

        /// <summary>Total bytes, or -1.</summary>
        public long Total = -1;

        /// <summary>Free bytes, or -1.</summary>
        public long Free = -1;

        /// <summary>Largest free block in bytes, or -1.</summary>
        public long Largest = -1;

        /// <summary>Sets all four fields.</summary>
        public void Set(string kind, long total, long free, long largest)
        {
            Kind = kind;
            Total = total;
            Free = free;
            Largest = largest;
        }
    }

    /// <summary>Supplies the runtime's memory figures for a dump.</summary>
    public abstract class RuntimeMemory
    {
        /// <summary>
        /// Fills up to <paramref name="figures"/>.Length figures (preallocated by the report) and
        /// returns how many it filled. Called once per dump, before the report takes any lock
        /// (it may run the runtime's GC). Must not throw; a figure it cannot read is left out.
        /// </summary>
        public abstract int Sample(RuntimeFigure[] figures);
    }
}
