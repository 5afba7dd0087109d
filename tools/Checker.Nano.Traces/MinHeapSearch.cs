// The smallest HEAP (arena bytes) in which a whole trace completes, by binary search in 16-byte
// steps like the reference figures in the traces README. Completing is not strictly monotonic in
// the arena's size for a first-fit allocator, so this is the boundary the search lands on, as it
// is for the reference: the result completes and the size 16 bytes below it does not.
//
// The lower bound is the peak live bytes rounded down to 16: an arena that small cannot hold
// every live byte (the arena keeps its first 8 bytes), so it always fails. The upper bound
// doubles from twice the peak until the trace completes, but never past the largest arena the
// allocator can have (ArenaLimits; the bound is checked as a long before it becomes an int): a
// trace that does not complete even there has no smallest HEAP (Found is false).
using System;

namespace Checker.Nano.Traces
{
    /// <summary>Result of a smallest-HEAP search.</summary>
    public sealed class MinHeapResult
    {
        /// <summary>The smallest arena size found that completes the trace (a multiple of <see cref="Step"/>); 0 when none does.</summary>
        public int HeapBytes { get; init; }

        /// <summary>Whether some arena up to <see cref="LargestTried"/> completes the trace.</summary>
        public bool Found => HeapBytes > 0;

        /// <summary>The largest arena the search could try (the allocator's largest, a multiple of <see cref="Step"/>).</summary>
        public int LargestTried { get; init; }

        /// <summary>The allocator's fixed storage beside an arena of that size (the base heap's table), 0 for none.</summary>
        public int MetadataBytes { get; init; }

        /// <summary>The search step in bytes.</summary>
        public int Step { get; init; }

        /// <summary>Replays the search ran.</summary>
        public int Replays { get; init; }

        /// <summary>The trace's peak live bytes.</summary>
        public long PeakLiveBytes { get; init; }

        /// <summary>HEAP ÷ peak live.</summary>
        public double HeapRatio => (double)HeapBytes / PeakLiveBytes;

        /// <summary>(HEAP + metadata) ÷ peak live: all the RAM the allocator needs, comparable to the
        /// reference's GNU malloc figure, whose heapinfo table lives inside its heap.</summary>
        public double TotalRatio => (double)(HeapBytes + MetadataBytes) / PeakLiveBytes;
    }

    /// <summary>Binary search for the smallest arena that completes a trace.</summary>
    public static class MinHeapSearch
    {
        /// <summary>The reference's step.</summary>
        public const int DefaultStep = 16;

        /// <summary>The largest arena the search tries for any allocator (ArenaLimits.ToolMaxBytes).</summary>
        public const int MaxHeapBytes = ArenaLimits.ToolMaxBytes;

        /// <summary>
        /// The smallest HEAP for the base heap with <paramref name="blockSize"/>-byte blocks.
        /// </summary>
        public static MinHeapResult ForBaseHeap(Trace trace, int blockSize, int step = DefaultStep)
        {
            return Required(trace, Find(trace, size => new HeapAdapter(size, blockSize, threadSafe: false) { Touch = false },
                size => new Heap(new byte[size], blockSize).MetadataBytes, step, ArenaLimits.Largest(HeapPolicy.Seed, blockSize)));
        }

        /// <summary>
        /// The smallest HEAP for the base heap with the given <paramref name="policy"/> (the Compact
        /// policy is opt-in); its metadata is the table and lists the policy keeps beside the arena.
        /// </summary>
        public static MinHeapResult ForBaseHeap(Trace trace, int blockSize, HeapPolicy policy, int step = DefaultStep)
        {
            return Required(trace, Find(trace, size => new HeapAdapter(size, blockSize, policy, threadSafe: false) { Touch = false },
                size => HeapPolicies.Make(policy, new Arena(new byte[size]), blockSize).MetadataBytes, step, ArenaLimits.Largest(policy, blockSize)));
        }

        /// <summary>
        /// The smallest HEAP for the debug heap over the base heap with <paramref name="blockSize"/>-byte
        /// blocks (32 bytes of header and guard per block, in the arena); its metadata is the base heap's table.
        /// </summary>
        public static MinHeapResult ForDebugHeap(Trace trace, int blockSize, int step = DefaultStep)
        {
            return Required(trace, Find(trace, size => new DebugHeapAdapter(size, blockSize, threadSafe: false) { Touch = false },
                size => new Heap(new byte[size], blockSize).MetadataBytes, step, ArenaLimits.Largest(HeapPolicy.Seed, blockSize)));
        }

        /// <summary>
        /// The smallest memory for Checker with <paramref name="blockSize"/>-byte blocks: the whole
        /// array Checker lays out (null zone, bitmap and block map, data and stack zones of
        /// <see cref="CheckerAdapter"/>, the heap with the debug heap's headers, aged blocks while there
        /// is room); its metadata is the base heap's table for the heap's part.
        /// </summary>
        public static MinHeapResult ForChecker(Trace trace, int blockSize, int step = DefaultStep)
        {
            return Required(trace, Find(trace, size => new CheckerAdapter(size, blockSize, threadSafe: false),
                size => new CheckerAdapter(size, blockSize, threadSafe: false).Heap.MetadataBytes, step, ArenaLimits.Largest(HeapPolicy.Seed, blockSize, checker: true)));
        }

        /// <summary><paramref name="result"/>, which must have found an arena (the benchmarks' traces all fit).</summary>
        private static MinHeapResult Required(Trace trace, MinHeapResult result)
        {
            if (!result.Found)
            {
                throw new InvalidOperationException($"{trace.Name}: does not complete even in {result.LargestTried} bytes");
            }

            return result;
        }

        /// <summary>
        /// The smallest HEAP for any allocator that lives in an arena: <paramref name="create"/> makes
        /// one over an arena of the given size, up to <paramref name="maxBytes"/> (the allocator's
        /// largest); <paramref name="metadataBytes"/> (may be null) tells its fixed storage beside the
        /// arena. When no arena up to <paramref name="maxBytes"/> completes the trace, the result's
        /// <see cref="MinHeapResult.Found"/> is false.
        /// </summary>
        public static MinHeapResult Find(Trace trace, Func<int, IAllocatorAdapter> create, Func<int, int> metadataBytes, int step = DefaultStep, int maxBytes = MaxHeapBytes)
        {
            ArgumentNullException.ThrowIfNull(trace);
            ArgumentNullException.ThrowIfNull(create);
            if (step < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(step), "step must be at least 1");
            }

            var options = new ReplayOptions { StopOnFailure = true };
            int replays = 0;
            bool Completes(int size)
            {
                replays++;
                IAllocatorAdapter made;
                try
                {
                    made = create(size);
                }
                catch (ArgumentException e) when (e is not ArgumentOutOfRangeException)
                {
                    return false;   // the allocator cannot even be laid out in that size (Checker's zones)
                }

                using IAllocatorAdapter a = made;
                return Replayer.Run(trace, a, options).Completed;
            }

            long largest = Math.Min(maxBytes, MaxHeapBytes) / step * step;
            var none = new MinHeapResult { HeapBytes = 0, LargestTried = (int)largest, Step = step, Replays = 0, PeakLiveBytes = trace.PeakLiveBytes };
            long lo = trace.PeakLiveBytes / step * step;   // always fails (see the top of this file)
            if (lo < step)
            {
                lo = 0;
            }

            if (lo >= largest)
            {
                return none;   // not even the live bytes fit
            }

            long hi = Math.Min(largest, Math.Max(step * 4L, ((trace.PeakLiveBytes * 2) + step - 1) / step * step));
            while (!Completes((int)hi))
            {
                if (hi >= largest)
                {
                    return new MinHeapResult { HeapBytes = 0, LargestTried = (int)largest, Step = step, Replays = replays, PeakLiveBytes = trace.PeakLiveBytes };
                }

                lo = hi;
                hi = Math.Min(hi * 2, largest);
            }

            while (hi - lo > step)
            {
                long mid = lo + ((hi - lo) / step / 2 * step);
                if (Completes((int)mid))
                {
                    hi = mid;
                }
                else
                {
                    lo = mid;
                }
            }

            return new MinHeapResult
            {
                HeapBytes = (int)hi,
                LargestTried = (int)largest,
                MetadataBytes = metadataBytes == null ? 0 : metadataBytes((int)hi),
                Step = step,
                Replays = replays,
                PeakLiveBytes = trace.PeakLiveBytes,
            };
        }
    }
}
