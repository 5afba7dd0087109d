// malloc (gmalloc.c's malloc.c): fragments from the head block of their size's list, whole
// blocks first fit from the rover, morecore when nothing fits.
//
// Invariants kept (checked by Validate):
//  - a fragment block's set bits in _bits are exactly its free fragments (one at each free
//    fragment's first byte, none elsewhere in the block), and its live count plus their number is
//    BLOCKSIZE >> log; no bit is set outside fragment blocks;
//  - a fragment block is in _fraghead[log]'s list (INLIST) exactly when it has a free fragment
//    (its live count is short of BLOCKSIZE >> log), and its hint is then one of its bitmap words
//    (the last one freed into, or one malloc emptied since: the next malloc looks further);
//  - a block never has all its fragments free: it goes back to the block pool instead;
//  - every entry inside a busy block or free cluster is INTERIOR.
// The hot path (a fragment from the head block's hint word, not the block's last free one) is
// written out in Malloc itself: one call, the table and bitmap read once each, no statistics
// to update (MStats walks the table).
namespace Checker.Nano
{
    public sealed partial class Heap
    {
        // Lowest set bit by de Bruijn multiplication (no intrinsics on the device).
        private static readonly byte[] DeBruijn =
        {
            0, 1, 28, 2, 29, 14, 24, 3, 30, 22, 20, 15, 25, 17, 4, 8,
            31, 27, 13, 23, 21, 19, 16, 7, 26, 12, 18, 6, 11, 5, 10, 9,
        };

        /// <summary>
        /// Allocates <paramref name="size"/> bytes and returns their offset, or 0 when the arena is
        /// exhausted. malloc(0) returns 0 as in the seed; a negative size returns 0. Throws
        /// <see cref="HeapException"/> (Damaged) if it finds the heap's bookkeeping damaged.
        /// </summary>
        /// <remarks>
        /// The hot path (a fragment from the head block of its size's list) is written out here,
        /// and again in MallocLocked (which the lock's way and the layers above call). Measured on
        /// nanoFramework's interpreter, a call costs as much as a third of it, and a try/finally
        /// around an optional lock adds more than that to the unlocked path (README, device
        /// table); so neither is on it.
        /// </remarks>
        public override int Malloc(int size)
        {
            if (!_plain)
            {
                if (_tracer != null)
                {
                    return MallocTraced(size);   // Trace.cs: the same malloc, then the event
                }

                return MallocWithLock(size);
            }

            try
            {
                if ((uint)(size - 1) < (uint)_half)
                {
                    int log = _fraglog[(size - 1) >> MINFRAGLOG];
                    int b = _fraghead[log];
                    if (b != 0)
                    {
                        int[] h = _heapinfo;
                        int i1 = (b * HEAPINFO_WORDS) + 1;
                        int w1 = h[i1];
                        int wi = w1 >> FRAG_HINT_SHIFT;
                        int[] bits = _bits;
                        int bw = bits[wi];
                        int low = bw & -bw;

                        // Not the block's last free fragment: another in the word, or its live count short of full.
                        if (low != 0 && (bw != low || (w1 & FRAG_LIVE_MASK) + 1 < (BLOCKSIZE >> log)))
                        {
                            bits[wi] = bw ^ low;
                            h[i1] = w1 + 1;
                            return _heapbase + (wi << _wordLog) + (DeBruijn[(int)((uint)(low * 0x077CB531) >> 27)] << MINFRAGLOG);
                        }
                    }
                }

                return MallocLocked(size);
            }
            catch (System.IndexOutOfRangeException)
            {
                throw Damaged("malloc", 0);
            }
        }

        private int MallocWithLock(int size)
        {
            try
            {
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
        /// <remarks>Malloc's hot path again, for the layers above and for Malloc under the lock.</remarks>
        public override int MallocLocked(int size)
        {
            if ((uint)(size - 1) < (uint)_half)
            {
                int log = _fraglog[(size - 1) >> MINFRAGLOG];
                int b = _fraghead[log];
                if (b != 0)
                {
                    int[] h = _heapinfo;
                    int i1 = (b * HEAPINFO_WORDS) + 1;
                    int w1 = h[i1];
                    int wi = w1 >> FRAG_HINT_SHIFT;
                    int[] bits = _bits;
                    int bw = bits[wi];
                    int low = bw & -bw;
                    if (low != 0 && (bw != low || (w1 & FRAG_LIVE_MASK) + 1 < (BLOCKSIZE >> log)))
                    {
                        bits[wi] = bw ^ low;
                        h[i1] = w1 + 1;
                        return _heapbase + (wi << _wordLog) + (DeBruijn[(int)((uint)(low * 0x077CB531) >> 27)] << MINFRAGLOG);
                    }

                    return TakeFragment(b, log);
                }
            }

            if (!_initialized)
            {
                Initialize();
            }

            if (size <= 0)
            {
                return 0;
            }

            // No block has a free fragment of the size (an uninitialized heap has none).
            return size <= _half ? SplitBlock(_fraglog[(size - 1) >> MINFRAGLOG]) : MallocBlocks(BLOCKIFY(size));
        }

        /// <summary>
        /// Hands out a free fragment of block <paramref name="b"/>, the head of the list of
        /// fragments of 1 &lt;&lt; <paramref name="log"/> bytes: the lowest of its hint word (the word
        /// last freed into), or, when malloc emptied that word, of the next word round the block
        /// that has one (the hint is left on an emptied word: the next free often refills it, and
        /// a pair then never searches). A block whose last free fragment this is leaves the list.
        /// </summary>
        private int TakeFragment(int b, int log)
        {
            int[] h = _heapinfo;
            int[] bits = _bits;
            int b3 = b * HEAPINFO_WORDS;
            int w1 = h[b3 + 1];
            int live = (w1 & FRAG_LIVE_MASK) + 1;
            int count = BLOCKSIZE >> log;
            int words = BLOCKSIZE >> _wordLog;   // WordsPerBlock and FirstWord, written out
            int first = (b - 1) * words;
            int wi = w1 >> FRAG_HINT_SHIFT;
            if ((w1 & FRAG_INLIST) == 0 || live > count || wi < first || wi >= first + words)
            {
                throw Damaged("malloc", ADDRESS(b));   // the head of a list that cannot have a free fragment
            }

            int bw = bits[wi];
            for (int n = 1; bw == 0 && n < words; n++)
            {
                CountFragmentSteps(1);
                if (++wi == first + words)
                {
                    wi = first;
                }

                bw = bits[wi];
            }

            if (bw == 0)
            {
                throw Damaged("malloc", ADDRESS(b));   // listed, its live count short of full, and no bit set
            }

            int low = bw & -bw;
            bits[wi] = bw ^ low;
            if (live == count)
            {
                // Its last free fragment: out of the list (it is the head).
                int next = h[b3 + 2] & FRAG_LINK_MASK;
                _fraghead[log] = next;
                if (next != 0)
                {
                    h[(next * HEAPINFO_WORDS) + 2] &= FRAG_LINK_MASK;
                }

                h[b3 + 2] = 0;
                h[b3 + 1] = live;
            }
            else
            {
                h[b3 + 1] = (wi << FRAG_HINT_SHIFT) | FRAG_INLIST | live;
            }

            return _heapbase + (wi << _wordLog) + (DeBruijn[(int)((uint)(low * 0x077CB531) >> 27)] << MINFRAGLOG);
        }

        /// <summary>The index in _bits of the word that holds <paramref name="offset"/>'s bit.</summary>
        private int BitWord(int offset)
        {
            return (offset - _heapbase) >> _wordLog;
        }

        /// <summary>The bit of <paramref name="offset"/> in its word of _bits.</summary>
        private int BitOf(int offset)
        {
            return 1 << (((offset - _heapbase) >> MINFRAGLOG) & _bitMask);
        }

        /// <summary>The index in _bits of block <paramref name="block"/>'s first word.</summary>
        private int FirstWord(int block)
        {
            return BitWord(ADDRESS(block));
        }

        /// <summary>The words of _bits a block covers (one when BLOCKSIZE is under 256).</summary>
        private int WordsPerBlock
        {
            get { return BLOCKSIZE >> _wordLog; }
        }

        /// <summary>
        /// No block has a free fragment of 1 &lt;&lt; log bytes: take a block and return its first
        /// fragment; the others are free (their bits set a word at a time) and the block heads the
        /// size's list. The seed writes every fragment's links here.
        /// </summary>
        private int SplitBlock(int log)
        {
            int result = MallocBlocks(1);
            if (result == 0)
            {
                return 0;
            }

            // Fragments of 1 << log bytes start every 1 << (log - 3) bits: when that step is at
            // most a word, every word of the block gets the same pattern; else one word in every
            // few has its bit 0. Fragments 1 .. count - 1 are free; fragment 0 is handed out.
            int b = BLOCK(result);
            int[] bits = _bits;
            int first = FirstWord(b);
            int words = WordsPerBlock;
            int wordBits = _bitMask + 1;
            int step = 1 << (log - MINFRAGLOG);
            if (step <= wordBits)
            {
                int pattern = 0;
                for (int j = 0; j < wordBits; j += step)
                {
                    pattern |= 1 << j;
                }

                for (int k = 0; k < words; k++)
                {
                    bits[first + k] = pattern;
                }
            }
            else
            {
                for (int k = 0; k < words; k += step / wordBits)
                {
                    bits[first + k] = 1;
                }
            }

            bits[first] &= ~1;
            CountFragmentSteps(words);
            int hint = step < wordBits ? first : first + (step / wordBits);   // the word of fragment 1
            int b3 = b * HEAPINFO_WORDS;
            int[] h = _heapinfo;
            h[b3] = log;
            h[b3 + 1] = (hint << FRAG_HINT_SHIFT) | FRAG_INLIST | 1;
            h[b3 + 2] = 0;   // the list was empty: alone in it
            _fraghead[log] = b;
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
            }

            h[c3] = 0;
            h[c3 + 1] = blocks;
            h[c3 + 2] = 0;
            return ADDRESS(block);
        }
    }
}
