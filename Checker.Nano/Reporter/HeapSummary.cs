// What a dump says about the base heap, taken in one walk of the heapinfo table in address order
// (the same walk Validate and Describe make) into a snapshot allocated once and reused, so a dump
// allocates nothing. The walk is part of Heap (it reads the table); it lives here, beside the
// report that is its only user, and changes nothing in the heap.
//
// Figures (units in the names):
//  - busy whole-block objects, and for each fragment size the blocks split into it with their
//    used and free fragments;
//  - free clusters, the largest, and the one ending at the break ("top", which morecore grows in
//    place, so a request can have it plus the arena the break has not taken yet);
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
    /// <summary>A snapshot of the base heap for dumps, filled by <see cref="Heap.Summarize"/>.</summary>
    public sealed class HeapSummary
    {
        /// <summary>The mstats figures, recomputed from the walk (same values as Heap.MStats()).</summary>
        public readonly MStats Stats = new MStats();

        /// <summary>For each log2 fragment size: blocks split into fragments of that size.</summary>
        public readonly int[] FragmentBlocks = new int[32];

        /// <summary>For each log2 fragment size: fragments in use.</summary>
        public readonly int[] FragmentsUsed = new int[32];

        /// <summary>For each log2 fragment size: fragments free.</summary>
        public readonly int[] FragmentsFree = new int[32];

        /// <summary>Busy objects of whole blocks.</summary>
        public int Objects;

        /// <summary>Blocks held by busy whole-block objects.</summary>
        public int ObjectBlocks;

        /// <summary>Free clusters.</summary>
        public int Holes;

        /// <summary>Blocks in free clusters.</summary>
        public int HoleBlocks;

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

        /// <summary>log2(BLOCKSIZE) of the heap summarized: fragment sizes run from 8 to BLOCKSIZE/2.</summary>
        public int BlockLog;

        internal void Clear()
        {
            for (int i = 0; i < 32; i++)
            {
                FragmentBlocks[i] = 0;
                FragmentsUsed[i] = 0;
                FragmentsFree[i] = 0;
            }

            Objects = 0;
            ObjectBlocks = 0;
            Holes = 0;
            HoleBlocks = 0;
            TopHoleBytes = 0;
            FreeBytes = 0;
            LargestBytes = 0;
            FragmentationPerMille = 0;
            Anomalies = 0;
        }
    }

    public sealed partial class Heap
    {
        /// <summary>Fills <paramref name="summary"/> from one walk of the heap (allocates nothing).</summary>
        public void Summarize(HeapSummary summary)
        {
            if (_compact)
            {
                throw CompactUnsupported("Summarize (heap summaries and MAP reports)");
            }

            if (summary == null)
            {
                throw new System.ArgumentNullException("summary");
            }

            lock (_sync)
            {
                if (!_initialized)
                {
                    Initialize();
                }

                SummarizeInternal(summary);
            }
        }

        /// <summary>
        /// Bytes free in the heap plus the whole blocks the break can still take from the arena
        /// (HeapSummary.FreeBytes): the figure a low-memory trigger compares with its threshold.
        /// Cheap (two counters), no walk.
        /// </summary>
        public int FreeAndHeadroomBytes()
        {
            if (_compact)
            {
                throw CompactUnsupported("FreeAndHeadroomBytes");
            }

            lock (_sync)
            {
                return (_initialized ? _bytesFree : 0) + (((_arena.Limit - _arena.Break) >> BLOCKLOG) << BLOCKLOG);
            }
        }

        private void SummarizeInternal(HeapSummary s)
        {
            s.Clear();
            s.BlockLog = BLOCKLOG;
            int chunksUsed = 0, bytesUsed = 0, chunksFree = 0, bytesFree = 0;
            int largestHole = 0;
            int block = 1;
            while (block < _heaplimit)
            {
                int state;
                int nfree;
                int span = ReadEntry(block, out state, out nfree);
                if (state == WalkObject)
                {
                    s.Objects++;
                    s.ObjectBlocks += span;
                    chunksUsed++;
                    bytesUsed += span << BLOCKLOG;
                }
                else if (state == WalkAnomaly)
                {
                    s.Anomalies++;
                }
                else if (state == WalkFree)
                {
                    s.Holes++;
                    s.HoleBlocks += span;
                    if (span > largestHole)
                    {
                        largestHole = span;
                    }

                    if (block + span == _heaplimit)
                    {
                        s.TopHoleBytes = span << BLOCKLOG;
                    }

                    chunksFree++;
                    bytesFree += span << BLOCKLOG;
                }
                else
                {
                    int count = BLOCKSIZE >> state;
                    s.FragmentBlocks[state]++;
                    s.FragmentsUsed[state] += count - nfree;
                    s.FragmentsFree[state] += nfree;
                    chunksUsed += count - nfree;
                    bytesUsed += (count - nfree) << state;
                    chunksFree += nfree;
                    bytesFree += nfree << state;
                }

                block += span;
            }

            MStats m = s.Stats;
            m.BytesTotal = (_heaplimit - 1) << BLOCKLOG;
            m.ChunksUsed = chunksUsed;
            m.BytesUsed = bytesUsed;
            m.ChunksFree = chunksFree;
            m.BytesFree = bytesFree;
            m.LargestFreeRun = largestHole << BLOCKLOG;
            m.ArenaBytes = _arena.Size;
            m.ArenaAvailable = _arena.Limit - _arena.Break;
            m.MetadataBytes = MetadataBytes;
            m.BlockSize = BLOCKSIZE;

            // Whole blocks only: the break grows by whole blocks, so the headroom counts in blocks.
            int headroom = (m.ArenaAvailable >> BLOCKLOG) << BLOCKLOG;
            int largest = m.LargestFreeRun;
            if (s.TopHoleBytes + headroom > largest)
            {
                largest = s.TopHoleBytes + headroom;
            }

            s.FreeBytes = bytesFree + headroom;
            s.LargestBytes = largest;
            s.FragmentationPerMille = s.FreeBytes <= 0 ? 0 : (int)(1000L * (s.FreeBytes - largest) / s.FreeBytes);
        }
    }
}
