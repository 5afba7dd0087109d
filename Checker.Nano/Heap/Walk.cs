// Walk (the seed's policy): the heapinfo table and the free-fragment bitmap as plain int arrays,
// for the reporter's MAP records and the tools that draw or inspect the heap. It changes
// nothing; like Describe it walks the table in address order, and every walk is bounded so a
// damaged table or list still ends.
//
// Rows are BaseHeap's (offset, bytes, state, free): one per table entry that starts something,
// in address order: a busy object of whole blocks (WalkObject), a free cluster (WalkFree), a
// block split into fragments (state = the fragment size, free = its free fragments), or an
// interior entry where something should start (WalkAnomaly; one block). No generics and no
// allocation: the caller passes the arrays (device subset).
namespace Checker.Nano
{
    public sealed partial class Heap
    {
        /// <summary>One row per block the arena can hold (every block a one-block object or a fragment block).</summary>
        public override int MaxWalkRows
        {
            get { return _tableBlocks - 2; }
        }

        /// <summary>The table's rows (see BaseHeap.WalkTable); the caller holds the lock, the heap is initialized.</summary>
        protected override int WalkLocked(int[] rows)
        {
            int count = 0;
            int block = 1;
            while (block < _heaplimit)
            {
                int state;
                int nfree;
                int span = ReadEntry(block, out state, out nfree);
                PutRow(rows, count, ADDRESS(block), span << BLOCKLOG, state > 0 ? 1 << state : state, nfree);
                count++;
                block += span;
            }

            return count;
        }

        /// <summary>
        /// Reads the table entry that starts at <paramref name="block"/> for the walkers (WalkTable,
        /// Describe, Summarize): returns its span in blocks (at least 1) and gives its state
        /// (WalkObject, the fragment log, WalkFree or WalkAnomaly) and its free fragments.
        /// Validate reads the table itself, strictly.
        /// </summary>
        private int ReadEntry(int block, out int state, out int nfree)
        {
            int b3 = block * HEAPINFO_WORDS;
            int w0 = _heapinfo[b3];
            int span;
            nfree = 0;
            if (w0 == 0)
            {
                span = _heapinfo[b3 + 1];
                state = WalkObject;
            }
            else if (w0 == INTERIOR)
            {
                span = 1;
                state = WalkAnomaly;
            }
            else if (w0 >= MINFRAGLOG && w0 < BLOCKLOG)
            {
                span = 1;
                state = w0;   // log2 of the fragment size
                nfree = (BLOCKSIZE >> w0) - (_heapinfo[b3 + 1] & FRAG_LIVE_MASK);
            }
            else if (w0 > 0)
            {
                span = 1;
                state = WalkAnomaly;   // a fragment log out of range: damage
            }
            else
            {
                span = -w0;
                state = WalkFree;
            }

            if (span < 1 || span > _heaplimit - block)
            {
                span = 1;   // damage: a span that runs past the heap (or none) covers its own block only
                state = WalkAnomaly;
            }

            return span;
        }

        /// <summary>Every free fragment, in address order (see BaseHeap.WalkFreeSlots).</summary>
        protected override int WalkFreeSlotsLocked(int[] offsets)
        {
            // The bitmap's set bits in address order (every bit is a free fragment's start).
            int count = 0;
            int end = BitWord(ADDRESS(_heaplimit));
            for (int wi = 0; wi < end && wi < _bits.Length; wi++)
            {
                int bw = _bits[wi];
                while (bw != 0)
                {
                    int low = bw & -bw;
                    bw ^= low;
                    if (count < offsets.Length)
                    {
                        offsets[count] = _heapbase + (wi << _wordLog) + (DeBruijn[(int)((uint)(low * 0x077CB531) >> 27)] << MINFRAGLOG);
                    }

                    count++;
                }
            }

            return count;
        }

        /// <summary>One walk of the table into <paramref name="s"/> (see HeapSummary).</summary>
        protected override void SummarizeLocked(HeapSummary s)
        {
            s.Clear();
            s.BlockLog = BLOCKLOG;
            CountTable(s.Stats, s);
            FinishSummary(s);
        }

        /// <summary>
        /// One walk of the table: the mstats figures into <paramref name="m"/> (the seed's counters,
        /// recounted: none is kept per operation) and, when <paramref name="s"/> is not null, the
        /// summary's counts by kind and fragment size.
        /// </summary>
        private void CountTable(MStats m, HeapSummary s)
        {
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
                    chunksUsed++;
                    bytesUsed += span << BLOCKLOG;
                    if (s != null)
                    {
                        s.Objects++;
                        s.ObjectBlocks += span;
                        s.ObjectBytes += span << BLOCKLOG;
                    }
                }
                else if (state == WalkFree)
                {
                    chunksFree++;
                    bytesFree += span << BLOCKLOG;
                    if (span > largestHole)
                    {
                        largestHole = span;
                    }

                    if (s != null)
                    {
                        s.Holes++;
                        s.HoleBlocks += span;
                        s.HoleBytes += span << BLOCKLOG;
                        if (block + span == _heaplimit)
                        {
                            s.TopHoleBytes = span << BLOCKLOG;
                        }
                    }
                }
                else if (state > 0)
                {
                    int count = BLOCKSIZE >> state;
                    chunksUsed += count - nfree;
                    bytesUsed += (count - nfree) << state;
                    chunksFree += nfree;
                    bytesFree += nfree << state;
                    if (s != null)
                    {
                        s.FragmentSize[state] = 1 << state;
                        s.FragmentBlocks[state]++;
                        s.FragmentsUsed[state] += count - nfree;
                        s.FragmentsFree[state] += nfree;
                    }
                }
                else if (s != null)
                {
                    s.Anomalies++;
                }

                block += span;
            }

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
        }
    }
}
