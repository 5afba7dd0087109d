// Work counters: how much each operation scans, for the worst-case tables (p50 / p99.9 / max
// per trace). BaseHeap's Count* methods are [Conditional("HEAP_WORK")]: the host build defines
// the symbol, so tests and tools see the figures; the device build does not, so the calls are
// not even compiled there and the interpreter pays nothing.
namespace Checker.Nano
{
    /// <summary>Running totals of the base heap's work (zero unless the build defines HEAP_WORK).</summary>
    public sealed class HeapWork
    {
        /// <summary>Free-cluster list nodes visited: malloc's first-fit search and free's search for the cluster before.</summary>
        public long ClusterSteps;

        /// <summary>Fragment links followed or written: the exact "is it free?" walk and splitting a block into fragments.</summary>
        public long FragmentSteps;

        /// <summary>Bytes copied by realloc (and calloc's zeroing is not counted).</summary>
        public long BytesCopied;

        /// <summary>Sets every total back to 0.</summary>
        public void Clear()
        {
            ClusterSteps = 0;
            FragmentSteps = 0;
            BytesCopied = 0;
        }
    }
}
