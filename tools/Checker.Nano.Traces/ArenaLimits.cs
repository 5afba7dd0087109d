// The arenas the host tools can make for a layer over a base-heap policy at a BLOCKSIZE, so that
// a replay, a map or a search is refused with a message instead of failing inside a constructor:
//   largest:  every policy stops at ToolMaxBytes (1 GiB: a PC replays that in memory, and every
//             offset stays far from int's end); the seed's policy also numbers blocks, and the
//             words of its free-fragment bitmap, in 16 bits (Heap's constructor refuses more than
//             65,535 table entries or bitmap words), which puts its largest arena near 16 MiB at
//             BLOCKSIZE 256 and above and at 65,534 blocks below; Checker lays its maps, data and
//             stack zones out in the same array, so its heap part is smaller than the array and
//             its largest array is found by trying (a binary search, once per policy and size);
//   smallest: the base heap and the debug heap take any arena from 64 bytes; Checker needs its
//             null zone, maps, data and stack zones and a heap, also found by trying.
using System;
using System.Collections.Concurrent;

namespace Checker.Nano.Traces
{
    /// <summary>The smallest and largest arenas of each layer over each policy.</summary>
    public static class ArenaLimits
    {
        /// <summary>The largest arena the host tools make, for any layer and policy: 1 GiB.</summary>
        public const int ToolMaxBytes = 1 << 30;

        /// <summary>The smallest arena of the base heap and the debug heap.</summary>
        public const int SmallestBytes = 64;

        /// <summary>The most table entries (and free-fragment bitmap words) of the seed's policy.</summary>
        private const int SeedMaxEntries = 65535;

        private static readonly ConcurrentDictionary<(HeapPolicy, int), int> CheckerLargest = new ConcurrentDictionary<(HeapPolicy, int), int>();

        private static readonly ConcurrentDictionary<(HeapPolicy, int), int> CheckerSmallest = new ConcurrentDictionary<(HeapPolicy, int), int>();

        /// <summary>
        /// The largest arena (a multiple of 16) of the base heap or the debug heap over
        /// <paramref name="policy"/> at <paramref name="blockSize"/>, or of Checker's whole array
        /// when <paramref name="checker"/>.
        /// </summary>
        public static int Largest(HeapPolicy policy, int blockSize, bool checker = false)
        {
            int heap = LargestHeap(policy, blockSize);
            if (!checker || heap == ToolMaxBytes)
            {
                return heap;
            }

            return CheckerLargest.GetOrAdd((policy, blockSize), k => SearchCheckerLargest(k.Item1, k.Item2, heap));
        }

        /// <summary>
        /// The smallest arena of the base heap or the debug heap (64 bytes), or of Checker's whole
        /// array (a multiple of 8) when <paramref name="checker"/>.
        /// </summary>
        public static int Smallest(HeapPolicy policy, int blockSize, bool checker = false)
        {
            return checker ? CheckerSmallest.GetOrAdd((policy, blockSize), k => SearchCheckerSmallest(k.Item1, k.Item2)) : SmallestBytes;
        }

        /// <summary>
        /// The largest arena of a base heap of <paramref name="policy"/> by itself: its table has
        /// ((HEAP - 8) &gt;&gt; BLOCKLOG) + 2 entries and, for the seed's policy, at most 65,535 of
        /// them, and at most 65,535 bitmap words of 256 bytes each when BLOCKSIZE is 256 or more.
        /// </summary>
        private static int LargestHeap(HeapPolicy policy, int blockSize)
        {
            if (policy != HeapPolicy.Seed)
            {
                return ToolMaxBytes;
            }

            int log = 0;
            while ((1 << log) < blockSize)
            {
                log++;
            }

            int entries = log > 8 ? SeedMaxEntries >> (log - 8) : SeedMaxEntries;
            long bytes = (long)(entries - 1) << log;   // (entries - 2) blocks after the arena's 8 bytes, less than one more
            return (int)Math.Min(bytes, ToolMaxBytes);
        }

        private static bool CheckerFits(HeapPolicy policy, int blockSize, int bytes)
        {
            try
            {
                var c = new CheckerHeap(new byte[bytes], blockSize, CheckerAdapter.DataBytes, CheckerAdapter.StackBytes,
                    new Reporter(new DiscardSink()), DebugHeap.DefaultFileNameCapacity, HeapPolicies.Maker(policy));
                return c.Heap != null;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }

        /// <summary>Checker's heap part is smaller than its array: the array may pass the heap's limit, by up to the maps and zones.</summary>
        private static int SearchCheckerLargest(HeapPolicy policy, int blockSize, int heapLargest)
        {
            long lo = heapLargest;   // fits: the heap part is smaller than the array
            long hi = Math.Min(2L * heapLargest, ToolMaxBytes);
            if (CheckerFits(policy, blockSize, (int)hi))
            {
                return (int)hi;
            }

            while (hi - lo > 16)
            {
                long mid = (lo + ((hi - lo) / 2)) & ~15L;
                if (CheckerFits(policy, blockSize, (int)mid))
                {
                    lo = mid;
                }
                else
                {
                    hi = mid;
                }
            }

            return (int)lo;
        }

        private static int SearchCheckerSmallest(HeapPolicy policy, int blockSize)
        {
            int lo = 0;   // does not fit
            int hi = 8;
            while (!CheckerFits(policy, blockSize, hi))
            {
                lo = hi;
                hi *= 2;
            }

            while (hi - lo > 8)
            {
                int mid = (lo + ((hi - lo) / 2)) & ~7;
                if (CheckerFits(policy, blockSize, mid))
                {
                    hi = mid;
                }
                else
                {
                    lo = mid;
                }
            }

            return hi;
        }
    }
}
