// malloc (gmalloc.c's malloc.c): fragments from the per-size lists, whole blocks first fit from
// the rover, morecore when nothing fits.
//
// Invariants kept (checked by Validate):
//  - the free fragments of one block stand together in their size's list, starting with the
//    block's frag.first, frag.nfree of them; so the head of a list is the first free fragment of
//    its block, and popping it leaves the block's next free fragment right behind it;
//  - the run ends with the fragment whose index word 0 keeps above LAST_SHIFT; popping the
//    head never changes the end of a run;
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
        public int Malloc(int size)
        {
            try
            {
                if (!_threadSafe)
                {
                    return MallocInternal(size);
                }

                lock (_sync)
                {
                    return MallocInternal(size);
                }
            }
            catch (System.IndexOutOfRangeException)
            {
                throw Damaged("malloc", 0);
            }
        }

        internal int MallocInternal(int size)
        {
            if (!_initialized)
            {
                Initialize();
            }

            if (size <= 0)
            {
                return 0;
            }

            if (size < MINFRAG)
            {
                size = MINFRAG;
            }

            int[] h = _heapinfo;
            if (size <= BLOCKSIZE / 2)
            {
                // Small request: a fragment of 1 << log bytes.
                int log = _fraglog[(size - 1) >> MINFRAGLOG];
                byte[] m = _m;
                int result = _fraghead[log];
                if (result != 0)
                {
                    // Pop the head of the list (the block's first free fragment).
                    int next = m[result] | (m[result + 1] << 8) | (m[result + 2] << 16) | (m[result + 3] << 24);
                    _fraghead[log] = next;
                    if (next != 0)
                    {
                        // next->prev = head
                        m[next + 4] = 0;
                        m[next + 5] = 0;
                        m[next + 6] = 0;
                        m[next + 7] = 0;
                    }

                    int b3 = (((result - _heapbase) >> BLOCKLOG) + 1) * HEAPINFO_WORDS;
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
        /// No free fragment of 1 &lt;&lt; log bytes: take a block, return its first fragment and
        /// chain the others into the (empty) list, last fragment first as in the seed, so that the
        /// list runs from the block's last fragment down to its second.
        /// </summary>
        private int SplitBlock(int log)
        {
            int result = MallocBlocks(1);
            if (result == 0)
            {
                return 0;
            }

            byte[] m = _m;
            int fragSize = 1 << log;
            int count = BLOCKSIZE >> log;

            // Fragment i (1..count-1) at result + (i << log): next = fragment i-1 (0 for i = 1),
            // prev = fragment i+1 (0, the head, for the last one).
            for (int i = 1; i < count; i++)
            {
                int frag = result + (i << log);
                int next = i == 1 ? 0 : frag - fragSize;
                int prev = i == count - 1 ? 0 : frag + fragSize;
                m[frag] = (byte)next;
                m[frag + 1] = (byte)(next >> 8);
                m[frag + 2] = (byte)(next >> 16);
                m[frag + 3] = (byte)(next >> 24);
                m[frag + 4] = (byte)prev;
                m[frag + 5] = (byte)(prev >> 8);
                m[frag + 6] = (byte)(prev >> 16);
                m[frag + 7] = (byte)(prev >> 24);
            }

            CountFragmentSteps(count - 1);
            _fraghead[log] = count > 1 ? result + ((count - 1) << log) : 0;

            int b3 = BLOCK(result) * HEAPINFO_WORDS;
            int[] h = _heapinfo;
            h[b3] = log | (1 << LAST_SHIFT);   // the run ends with fragment 1
            h[b3 + 1] = count - 1;     // frag.nfree
            h[b3 + 2] = count - 1;     // frag.first: the last fragment heads the list
            _chunksFree += count - 1;
            _bytesFree += BLOCKSIZE - fragSize;
            _bytesUsed -= BLOCKSIZE - fragSize;
            return result;
        }

        /// <summary>
        /// Large request: <paramref name="blocks"/> whole blocks, first fit searching the circular
        /// free list from the rover; morecore when a whole lap finds nothing.
        /// </summary>
        private int MallocBlocks(int blocks)
        {
            if (blocks >= _tableBlocks)
            {
                return 0;   // more blocks than the arena could ever hold (and no overflow below)
            }

            int[] h = _heapinfo;
            int start = _heapindex;
            int block = start;
            int steps = _tableBlocks;   // a lap is shorter: more steps is a damaged list that cycles

            // free.size of an entry is -word0 (the anchor's is 0).
            CountClusterStep();
            while (-h[block * HEAPINFO_WORDS] < blocks)
            {
                CountClusterStep();
                block = h[block * HEAPINFO_WORDS + 1];
                if (--steps == 0)
                {
                    throw Damaged("malloc", 0);
                }

                if (block == start)
                {
                    // A whole lap: get more from the arena. If the last free cluster ends at the
                    // break, only the missing blocks are needed (the seed's trick, no hole left).
                    block = h[2];   // _heapinfo[0].free.prev: the last cluster
                    int lastblocks = -h[block * HEAPINFO_WORDS];
                    if (block != 0 && block + lastblocks == _heaplimit
                        && _arena.Sbrk(0) == ADDRESS(block + lastblocks)
                        && Morecore((blocks - lastblocks) << BLOCKLOG) != 0)
                    {
                        h[block * HEAPINFO_WORDS] = -blocks;
                        _bytesFree += (blocks - lastblocks) << BLOCKLOG;
                        continue;
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
            }

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
