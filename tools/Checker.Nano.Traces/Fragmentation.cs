// Memory figures of the base heap over one trace at one BLOCKSIZE:
//  - peak arena use ÷ peak live − 1: how far the break got beyond what the program held;
//  - the smallest HEAP that completes the trace ÷ peak live (binary search), alone and with the
//    heapinfo table that sits beside the arena (the reference's GNU malloc keeps its table inside
//    its heap, so "with table" is the figure to set beside it);
//  - the rounding-only bound: the peak of live bytes after rounding each request up to its
//    fragment or whole blocks, i.e. what the heap would need with no holes and no table.
// The base heap takes no different path in a smaller arena until something fails, so its
// smallest HEAP is the peak break plus the arena's 8 reserved bytes, rounded up to 16; the tests
// check that the search agrees.
using System;

namespace Checker.Nano.Traces
{
    /// <summary>One trace at one BLOCKSIZE.</summary>
    public sealed class FragmentationRow
    {
        /// <summary>The trace.</summary>
        public Trace Trace { get; init; }

        /// <summary>BLOCKSIZE.</summary>
        public int BlockSize { get; init; }

        /// <summary>The base heap's allocation policy (the seed's unless Compact was asked for).</summary>
        public HeapPolicy Policy { get; init; }

        /// <summary>The trace's peak live requested bytes.</summary>
        public long PeakLiveBytes => Trace.PeakLiveBytes;

        /// <summary>Peak live bytes after the heap's rounding (fragment size or whole blocks).</summary>
        public long PeakRoundedBytes { get; init; }

        /// <summary>The peak of the heap's break above the arena's start, in an arena that never runs out.</summary>
        public long PeakArenaBytes { get; init; }

        /// <summary>The smallest HEAP that completes the trace.</summary>
        public MinHeapResult MinHeap { get; init; }

        /// <summary>Peak arena use ÷ peak live − 1.</summary>
        public double ArenaOverhead => ((double)PeakArenaBytes / PeakLiveBytes) - 1;

        /// <summary>Peak rounded live ÷ peak live: the part of the overhead that is rounding.</summary>
        public double RoundingRatio => (double)PeakRoundedBytes / PeakLiveBytes;
    }

    /// <summary>Computes <see cref="FragmentationRow"/>s.</summary>
    public static class Fragmentation
    {
        /// <summary>How the base heap rounds a request of <paramref name="size"/> bytes at <paramref name="blockSize"/>.</summary>
        public static long HeapRounding(int size, int blockSize)
        {
            if (size <= 0)
            {
                return 0;
            }

            if (size <= blockSize / 2)
            {
                long f = Heap.MINFRAG;
                while (f < size)
                {
                    f <<= 1;
                }

                return f;
            }

            return ((long)(size - 1) / blockSize + 1) * blockSize;
        }

        /// <summary>Measures <paramref name="trace"/> on the base heap at <paramref name="blockSize"/>.</summary>
        public static FragmentationRow Measure(Trace trace, int blockSize)
        {
            ArgumentNullException.ThrowIfNull(trace);
            long peakArena = PeakArena(trace, blockSize);
            return new FragmentationRow
            {
                Trace = trace,
                BlockSize = blockSize,
                PeakRoundedBytes = trace.PeakRoundedLiveBytes(s => HeapRounding(s, blockSize)),
                PeakArenaBytes = peakArena,
                MinHeap = MinHeapSearch.ForBaseHeap(trace, blockSize),
            };
        }

        /// <summary>Measures <paramref name="trace"/> on the base heap at <paramref name="blockSize"/> with <paramref name="policy"/>.</summary>
        public static FragmentationRow Measure(Trace trace, int blockSize, HeapPolicy policy)
        {
            ArgumentNullException.ThrowIfNull(trace);
            if (policy == HeapPolicy.Seed)
            {
                return Measure(trace, blockSize);
            }

            var rounding = HeapPolicies.Make(policy, new Arena(new byte[1 << 16]), blockSize);
            return new FragmentationRow
            {
                Trace = trace,
                BlockSize = blockSize,
                Policy = policy,
                PeakRoundedBytes = trace.PeakRoundedLiveBytes(s => rounding.AllottedBytes(s)),
                PeakArenaBytes = PeakArena(trace, blockSize, policy),
                MinHeap = MinHeapSearch.ForBaseHeap(trace, blockSize, policy),
            };
        }

        /// <summary>An arena size in which the trace surely completes (peak break + margin), for replays that must not fail.</summary>
        public static int RoomyArena(Trace trace, int blockSize) => RoomyArena(trace, blockSize, MinHeapSearch.MaxHeapBytes);

        /// <summary>As <see cref="RoomyArena(Trace, int)"/>, but never more than <paramref name="largest"/> (the allocator's largest arena).</summary>
        public static int RoomyArena(Trace trace, int blockSize, int largest)
        {
            long size = (trace.PeakLiveBytes * 4) + (64L * blockSize) + (1 << 20);
            return (int)Math.Min(size, Math.Min(largest, MinHeapSearch.MaxHeapBytes));
        }

        /// <summary>The peak break of the base heap over the trace in an arena that does not run out.</summary>
        public static long PeakArena(Trace trace, int blockSize) => PeakArena(trace, blockSize, HeapPolicy.Seed);

        /// <summary>The peak break of the base heap with <paramref name="policy"/> over the trace in an arena that does not run out.</summary>
        public static long PeakArena(Trace trace, int blockSize, HeapPolicy policy)
        {
            int largest = ArenaLimits.Largest(policy, blockSize);
            int size = RoomyArena(trace, blockSize, largest);
            while (true)
            {
                using var adapter = new HeapAdapter(size, blockSize, policy, threadSafe: false) { Touch = false };
                ReplayResult r = Replayer.Run(trace, adapter, new ReplayOptions { StopOnFailure = true });
                if (r.Completed)
                {
                    return r.PeakArenaBytes;
                }

                if (size >= largest)
                {
                    throw new InvalidOperationException($"{trace.Name}: does not complete in {size} bytes");
                }

                size = (int)Math.Min(2L * size, largest);
            }
        }
    }
}
