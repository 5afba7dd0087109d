// malloc (gmalloc.c's malloc.c): fragments from the per-size lists, whole blocks first fit from
// the rover, morecore when nothing fits.
//
// Invariants kept (checked by Validate):
//  - the free fragments of one block stand together in their size's list, starting with the
//    block's frag.first, frag.nfree of them; so the head of a list is the first free fragment of
//    its block, and popping it leaves the block's next free fragment right behind it;
//  - the run ends with the fragment whose index word 0 keeps above LAST_SHIFT; popping the
//    head never changes the end of a run;
//  - fragments 1..fresh (word 0 above FRESH_SHIFT) are free and end their block's run in
//    descending order; their links are implied (next of j is j-1, prev of j is j+1) except the
//    top's prev and fragment 1's next, which are written; popping the top makes the one below
//    it the top, and free() inserting after a fresh first takes it out of the fresh ones;
//  - a free fragment holds its links in its own first 8 bytes: next at +0, prev at +4 (0 = the
//    list head, _fraghead[log]);
//  - every entry inside a busy block or free cluster is INTERIOR.
namespace Checker.Nano
{
    public sealed partial class Heap
    {
        /// <summary>
        /// Allocates <paramref name="size"/> bytes and returns their offset, or 0 when the arena is
        /// exhausted. malloc(0) returns 0 as in the seed; a negative size returns 0. Throws
        /// <see cref="HeapException"/> (Damaged) if it finds the heap's bookkeeping damaged.
        /// </summary>
        public override int Malloc(int size)
        {
            try
            {
                if (!_threadSafe)
                {
                    return MallocLocked(size);
                }

                lock (_sync)
                {
                    return MallocLocked(size);
                }
            }
            catch (System.IndexOutOfRangeException)
            {
                throw Damaged("malloc", 0);
            }
        }

        /// <summary>malloc without the lock (the seam: the caller holds SyncRoot).</summary>
        public override int MallocLocked(int size)
        {
            if (!_initialized)
            {
                Initialize();
            }

            if (size <= 0)
            {
                return 0;
            }

            if (size <= BLOCKSIZE / 2)
            {
                // Small request: a fragment of 1 << log bytes.
                int log = _fraglog[(size - 1) >> MINFRAGLOG];
                int result = _fraghead[log];
                if (result != 0)
                {
                    // Pop the head of the list (the first free fragment of its block's run).
                    int[] h = _heapinfo;
                    byte[] m = _m;
                    int rel = result - _heapbase;
                    int b3 = ((rel >> BLOCKLOG) + 1) * HEAPINFO_WORDS;
                    int w0 = h[b3];
                    int fresh = w0 >> FRESH_SHIFT;
                    bool top = fresh != 0 && ((rel & (BLOCKSIZE - 1)) >> log) == fresh;
                    int next = top && fresh >= 2
                        ? result - (1 << log)   // the top fresh fragment's next is implied: the one below it
                        : m[result] | (m[result + 1] << 8) | (m[result + 2] << 16) | (m[result + 3] << 24);
                    if (top)
                    {
                        h[b3] = w0 - (1 << FRESH_SHIFT);   // the one below (if any) is the top now
                    }

                    _fraghead[log] = next;
                    if (next != 0)
                    {
                        // next->prev = head (written: the new head may be the new fresh top)
                        m[next + 4] = 0;
                        m[next + 5] = 0;
                        m[next + 6] = 0;
                        m[next + 7] = 0;
                    }

                    if (--h[b3 + 1] != 0)
                    {
                        h[b3 + 2] = ((next - _heapbase) & (BLOCKSIZE - 1)) >> log;
                    }

                    _chunksUsed++;
                    _bytesUsed += 1 << log;
                    _chunksFree--;
                    _bytesFree -= 1 << log;
                    return result;
                }

                return SplitBlock(log);
            }

            return MallocBlocks(BLOCKIFY(size));
        }

        /// <summary>
        /// No free fragment of 1 &lt;&lt; log bytes: take a block and return its first fragment. The
        /// others make the (empty) list, last fragment first as in the seed, so that it runs from
        /// the block's last fragment down to its second. They are all fresh: only the links that
        /// touch the rest of the list are written, the top's prev (the list head) and fragment
        /// 1's next (the end of the list); the seed writes every fragment's.
        /// </summary>
        private int SplitBlock(int log)
        {
            int result = MallocBlocks(1);
            if (result == 0)
            {
                return 0;
            }

            byte[] m = _m;
            int count = BLOCKSIZE >> log;
            int top = result + ((count - 1) << log);
            m[top + 4] = 0;
            m[top + 5] = 0;
            m[top + 6] = 0;
            m[top + 7] = 0;
            int one = result + (1 << log);
            m[one] = 0;
            m[one + 1] = 0;
            m[one + 2] = 0;
            m[one + 3] = 0;
            CountFragmentSteps(1);
            _fraghead[log] = top;

            int b3 = BLOCK(result) * HEAPINFO_WORDS;
            int[] h = _heapinfo;
            h[b3] = log | (1 << LAST_SHIFT) | ((count - 1) << FRESH_SHIFT);   // the run ends with fragment 1
            h[b3 + 1] = count - 1;     // frag.nfree
            h[b3 + 2] = count - 1;     // frag.first: the last fragment heads the list
            _chunksFree += count - 1;
            _bytesFree += BLOCKSIZE - (1 << log);
            _bytesUsed -= BLOCKSIZE - (1 << log);
            return result;
        }

        /// <summary>
        /// Large request: <paramref name="blocks"/> whole blocks, first fit searching the circular
        /// free list from the rover; morecore when a whole lap finds nothing. Ours: the lap is
        /// skipped when _largestFree, an upper bound on the largest free cluster (raised by every
        /// free, made exact by every lap that finds nothing), says it would find nothing; the
        /// seed's lap would end at the same morecore, so nothing observable changes.
        /// </summary>
        private int MallocBlocks(int blocks)
        {
            if (blocks >= _tableBlocks)
            {
                return 0;   // more blocks than the arena could ever hold (and no overflow below)
            }

            int[] h = _heapinfo;
            int block = _heapindex;
            if (blocks <= _largestFree)
            {
                int start = block;
                int steps = _tableBlocks;   // a lap is shorter: more steps is a damaged list that cycles
                int largest = 0;

                // free.size of an entry is -word0 (the anchor's is 0).
                CountClusterStep();
                int size;
                while ((size = -h[block * HEAPINFO_WORDS]) < blocks)
                {
                    if (size > largest)
                    {
                        largest = size;
                    }

                    CountClusterStep();
                    block = h[block * HEAPINFO_WORDS + 1];
                    if (--steps == 0)
                    {
                        throw Damaged("malloc", 0);
                    }

                    if (block == start)
                    {
                        _largestFree = largest;   // measured over a whole lap: exact
                        block = -1;
                        break;
                    }
                }

                if (block >= 0)
                {
                    return TakeCluster(block, blocks);
                }
            }

            // A whole lap found nothing (or the bound on the largest cluster says it would not):
            // get more from the arena. If the last free cluster ends at the break, only the
            // missing blocks are needed (the seed's trick, no hole left).
            block = h[2];   // _heapinfo[0].free.prev: the last cluster
            int lastblocks = -h[block * HEAPINFO_WORDS];
            if (block != 0 && block + lastblocks == _heaplimit
                && _arena.Sbrk(0) == ADDRESS(block + lastblocks)
                && Morecore((blocks - lastblocks) << BLOCKLOG) != 0)
            {
                h[block * HEAPINFO_WORDS] = -blocks;
                _bytesFree += (blocks - lastblocks) << BLOCKLOG;
                return TakeCluster(block, blocks);
            }

            int result = Morecore(blocks << BLOCKLOG);
            if (result == 0)
            {
                return 0;
            }

            int b3 = BLOCK(result) * HEAPINFO_WORDS;
            h[b3] = 0;
            h[b3 + 1] = blocks;
            h[b3 + 2] = 0;
            _chunksUsed++;
            _bytesUsed += blocks << BLOCKLOG;
            return result;
        }

        /// <summary>Takes the first <paramref name="blocks"/> blocks of the free cluster at <paramref name="block"/>.</summary>
        private int TakeCluster(int block, int blocks)
        {
            int[] h = _heapinfo;
            // A free cluster that fits: take its first blocks.
            int c3 = block * HEAPINFO_WORDS;
            int size = -h[c3];
            int next = h[c3 + 1];
            int prev = h[c3 + 2];
            if (size > blocks)
            {
                // Leave the tail in the list as a cluster of its own.
                int rest = block + blocks;
                int r3 = rest * HEAPINFO_WORDS;
                h[r3] = -(size - blocks);
                h[r3 + 1] = next;
                h[r3 + 2] = prev;
                h[prev * HEAPINFO_WORDS + 1] = rest;
                h[next * HEAPINFO_WORDS + 2] = rest;
                _heapindex = rest;
            }
            else
            {
                // An exact fit: unlink the cluster.
                h[next * HEAPINFO_WORDS + 2] = prev;
                h[prev * HEAPINFO_WORDS + 1] = next;
                _heapindex = next;
                _chunksFree--;
            }

            h[c3] = 0;
            h[c3 + 1] = blocks;
            h[c3 + 2] = 0;
            _chunksUsed++;
            _bytesUsed += blocks << BLOCKLOG;
            _bytesFree -= blocks << BLOCKLOG;
            return ADDRESS(block);
        }
    }
}
