// Walk (the seed's policy): the heapinfo table and the free-fragment lists as plain int arrays,
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
            else if (w0 > 0)
            {
                span = 1;
                state = w0 & FRAGLOG_MASK;   // log2 of the fragment size
                nfree = _heapinfo[b3 + 1];
            }
            else
            {
                span = -w0;
                state = WalkFree;
            }

            if (span < 1)
            {
                span = 1;
                state = WalkAnomaly;
            }

            return span;
        }

        /// <summary>Every free fragment, list by list from the smallest size (see BaseHeap.WalkFreeSlots).</summary>
        protected override int WalkFreeSlotsLocked(int[] offsets)
        {
            int count = 0;
            int limit = ((_heaplimit - 1) << BLOCKLOG) >> MINFRAGLOG;   // fragment slots in the heap
            for (int log = MINFRAGLOG; log < BLOCKLOG; log++)
            {
                int frag = _fraghead[log];
                int steps = 0;
                while (frag != 0 && steps++ <= limit && frag >= _heapbase && frag <= _m.Length - MINFRAG)
                {
                    if (count < offsets.Length)
                    {
                        offsets[count] = frag;
                    }

                    count++;
                    frag = FragNext(frag, log);
                }
            }

            return count;
        }

        /// <summary>One walk of the table into <paramref name="s"/> (see HeapSummary).</summary>
        protected override void SummarizeLocked(HeapSummary s)
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
                    s.ObjectBytes += span << BLOCKLOG;
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
                    s.HoleBytes += span << BLOCKLOG;
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
                    s.FragmentSize[state] = 1 << state;
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
            FinishSummary(s);
        }
    }
}
