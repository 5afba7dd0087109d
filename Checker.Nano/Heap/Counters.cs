// Work counters: how much each operation scans, for the worst-case tables (p50 / p99.9 / max
// per trace). BaseHeap's Count* methods are [Conditional("HEAP_WORK")]: the host build defines
// the symbol, so tests and tools see the figures; the device build does not, so the calls are
// not even compiled there and the interpreter pays nothing.
namespace Checker.Nano
{
    /// <summary>Running totals of the base heap's work (zero unless the build defines HEAP_WORK).</summary>
    public sealed class HeapWork
    {
        /// <summary>Free-cluster list nodes visited: malloc's first-fit search and free's search for the cluster before (Compact: the gaps a fit tries).</summary>
        public long ClusterSteps;

        /// <summary>
        /// Fragment work: the seed's free-fragment bitmap words written when a block is split or given
        /// back, and looked at past the hint by malloc; Compact's slot links written for a new run and
        /// its walk of a run's free slots.
        /// </summary>
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
