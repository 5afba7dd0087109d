// What a dump says about the base heap, taken in one walk of the table in address order (the same
// walk Validate and Describe make) into a snapshot allocated once and reused, so a dump allocates
// nothing. Each policy fills it (SummarizeLocked); the reporter is its user.
//
// Figures (units in the names):
//  - busy objects (whole blocks for the seed's policy, Compact's large objects), and for each
//    fragment or slot size the blocks cut into it with their used and free fragments;
//  - free clusters (Compact: gaps), the largest, and the one ending at the break ("top", which
//    morecore grows in place, so a request can have it plus the arena the break has not taken yet);
//  - the mstats counters recomputed from the walk (Validate checks they equal the heap's own);
//  - the fragmentation figure:
//        FreeBytes    = bytes free in the heap + the whole blocks the break can still take
//                       from the arena (the remainder, less than a block, can never be a block)
//        LargestBytes = the largest whole-block request that fits now
//                     = max(largest free cluster, top cluster + arena headroom)
//        FragmentationPerMille = 1000 * (FreeBytes - LargestBytes) / FreeBytes  (0 if FreeBytes = 0)
//    i.e. 1 - largest free run / free bytes, with the arena's headroom counted as part of the run
//    it extends: a fresh heap is 0, and free memory scattered in small holes and fragments
//    tends to 1000.
namespace Checker.Nano
{
    /// <summary>A snapshot of the base heap for dumps, filled by <see cref="BaseHeap.Summarize"/>.</summary>
    public sealed class HeapSummary
    {
        /// <summary>How many fragment or slot sizes a summary can hold (the seed's logs, Compact's classes).</summary>
        public const int MaxSizes = 64;

        /// <summary>The mstats figures, recomputed from the walk (same values as MStats()).</summary>
        public readonly MStats Stats = new MStats();

        /// <summary>
        /// For each size index (the seed's policy: log2 of the fragment size; Compact: the class):
        /// the fragment or slot size in bytes, 0 where the index is not a size.
        /// </summary>
        public readonly int[] FragmentSize = new int[MaxSizes];

        /// <summary>For each size index: blocks cut into fragments or slots of that size.</summary>
        public readonly int[] FragmentBlocks = new int[MaxSizes];

        /// <summary>For each size index: fragments in use.</summary>
        public readonly int[] FragmentsUsed = new int[MaxSizes];

        /// <summary>For each size index: fragments free.</summary>
        public readonly int[] FragmentsFree = new int[MaxSizes];

        /// <summary>Busy objects (not cut into fragments or slots).</summary>
        public int Objects;

        /// <summary>Blocks held by busy objects: their bytes / BLOCKSIZE (exact for the seed's whole-block objects).</summary>
        public int ObjectBlocks;

        /// <summary>Bytes held by busy objects.</summary>
        public int ObjectBytes;

        /// <summary>Free clusters (Compact: gaps).</summary>
        public int Holes;

        /// <summary>Blocks in free clusters: their bytes / BLOCKSIZE (exact for the seed).</summary>
        public int HoleBlocks;

        /// <summary>Bytes in free clusters.</summary>
        public int HoleBytes;

        /// <summary>Bytes of the free cluster that ends at the break (0 if none).</summary>
        public int TopHoleBytes;

        /// <summary>Bytes free in the heap plus the whole blocks the break can still take from the arena.</summary>
        public int FreeBytes;

        /// <summary>The largest whole-block request that fits now, in bytes.</summary>
        public int LargestBytes;

        /// <summary>1000 * (FreeBytes - LargestBytes) / FreeBytes, or 0 when nothing is free.</summary>
        public int FragmentationPerMille;

        /// <summary>Table entries the walk found where a block or cluster should start (0 in a sound heap).</summary>
        public int Anomalies;

        /// <summary>log2(BLOCKSIZE) of the heap summarized.</summary>
        public int BlockLog;

        /// <summary>Every figure back to 0 (the policies call it first).</summary>
        public void Clear()
        {
            for (int i = 0; i < MaxSizes; i++)
            {
                FragmentSize[i] = 0;
                FragmentBlocks[i] = 0;
                FragmentsUsed[i] = 0;
                FragmentsFree[i] = 0;
            }

            Objects = 0;
            ObjectBlocks = 0;
            ObjectBytes = 0;
            Holes = 0;
            HoleBlocks = 0;
            HoleBytes = 0;
            TopHoleBytes = 0;
            FreeBytes = 0;
            LargestBytes = 0;
            FragmentationPerMille = 0;
            Anomalies = 0;
        }
    }
}
