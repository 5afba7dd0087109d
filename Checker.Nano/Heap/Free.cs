// free (gmalloc.c's free.c): fragments back to their list, whole blocks back to the address-
// ordered free list with coalescing, the top run back to the arena.
//
// Invariants kept (checked by Validate):
//  - the free list is circular through the anchor (entry 0), in address order, and no two
//    clusters touch (they would have been coalesced);
//  - a fragment block's free fragments are its set bits in _bits (see malloc);
//  - a block never has all its fragments free: it goes back to the block pool instead;
//  - entries from _heaplimit up are INTERIOR.
// Every offset is checked before anything changes (CheckPointer), so a rejected free leaves the
// heap as it was.
namespace Checker.Nano
{
    public sealed partial class Heap
    {
        /// <summary>
        /// Frees the block or fragment at <paramref name="ptr"/>. free(0) does nothing. Any other
        /// offset that is not a live block throws <see cref="HeapException"/> and changes nothing.
        /// </summary>
        /// <remarks>
        /// The hot path (a live fragment, not its block's last, in a block with other free
        /// fragments) is written out here twice, as Malloc's is, for the same measured reasons. A
        /// memalign offset is never a fragment boundary, so it takes the checked way.
        /// </remarks>
        public override void Free(int ptr)
        {
            if (ptr == 0)
            {
                return;
            }

            if (!_plain)
            {
                if (_tracer != null)
                {
                    FreeTraced(ptr);   // Trace.cs: the same free, then the event
                    return;
                }

                FreeWithLock(ptr);
                return;
            }

            try
            {
                int rel = ptr - _heapbase;
                int b = (rel >> BLOCKLOG) + 1;
                if (rel >= 0 && b < _heaplimit)
                {
                    int[] h = _heapinfo;
                    int b3 = b * HEAPINFO_WORDS;
                    int log = h[b3];
                    if (log > 0 && (rel & ((1 << log) - 1)) == 0)
                    {
                        int[] bits = _bits;
                        int wi = rel >> _wordLog;
                        int bw = bits[wi];
                        int bit = 1 << ((rel >> MINFRAGLOG) & _bitMask);
                        int w1 = h[b3 + 1];
                        if ((bw & bit) == 0 && (w1 & 0xFFFF) > (FRAG_INLIST | 1))
                        {
                            bits[wi] = bw | bit;
                            h[b3 + 1] = ((w1 & 0xFFFF) | (wi << FRAG_HINT_SHIFT)) - 1;
                            return;
                        }
                    }
                }

                FreeChecked(ptr, "free");
            }
            catch (System.IndexOutOfRangeException)
            {
                throw Damaged("free", ptr);
            }
        }

        private void FreeWithLock(int ptr)
        {
            try
            {
                lock (_sync)
                {
                    // Free's hot path, under the lock.
                    int rel = ptr - _heapbase;
                    int b = (rel >> BLOCKLOG) + 1;
                    if (rel >= 0 && b < _heaplimit)
                    {
                        int[] h = _heapinfo;
                        int b3 = b * HEAPINFO_WORDS;
                        int log = h[b3];
                        if (log > 0 && (rel & ((1 << log) - 1)) == 0)
                        {
                            int[] bits = _bits;
                            int wi = rel >> _wordLog;
                            int bw = bits[wi];
                            int bit = 1 << ((rel >> MINFRAGLOG) & _bitMask);
                            int w1 = h[b3 + 1];
                            if ((bw & bit) == 0 && (w1 & 0xFFFF) > (FRAG_INLIST | 1))
                            {
                                bits[wi] = bw | bit;
                                h[b3 + 1] = ((w1 & 0xFFFF) | (wi << FRAG_HINT_SHIFT)) - 1;
                                return;
                            }
                        }
                    }

                    FreeChecked(ptr, "free");
                }
            }
            catch (System.IndexOutOfRangeException)
            {
                throw Damaged("free", ptr);
            }
        }

        private void FreeChecked(int ptr, string operation)
        {
            HeapError error = CheckLocked(ptr);
            if (error != HeapError.None)
            {
                throw new HeapException(operation, error, ptr);
            }

            FreeLocked(ptr);
        }

        /// <summary>Whether ptr is the start of a live block or fragment, by the table alone.</summary>
        protected override HeapError CheckRaw(int ptr)
        {
            if (!_initialized || ptr < _heapbase || ptr >= ADDRESS(_heaplimit))
            {
                return HeapError.NotInHeap;
            }

            int[] h = _heapinfo;
            int block = ((ptr - _heapbase) >> BLOCKLOG) + 1;
            int type = h[block * HEAPINFO_WORDS];
            if (type == 0)
            {
                return ptr == ADDRESS(block) ? HeapError.None : HeapError.Interior;
            }

            if (type > 0)
            {
                // A fragment block (type is log2 of its fragment size): free if the fragment's bit is set.
                int fragment = ptr - ((ptr - ADDRESS(block)) & ((1 << type) - 1));
                if ((_bits[BitWord(fragment)] & BitOf(fragment)) != 0)
                {
                    return HeapError.FreeMemory;
                }

                return fragment == ptr ? HeapError.None : HeapError.Interior;
            }

            if (type != INTERIOR)
            {
                return HeapError.FreeMemory;   // the start of a free cluster
            }

            // Inside a cluster: find where it starts (entries before it are INTERIOR).
            int start = block - 1;
            while (start > 0 && h[start * HEAPINFO_WORDS] == INTERIOR)
            {
                start--;
            }

            return start > 0 && h[start * HEAPINFO_WORDS] == 0 ? HeapError.Interior : HeapError.FreeMemory;
        }

        /// <summary>The usable size of a block already known to be live: its fragment, or its blocks.</summary>
        protected override int UsableSizeRaw(int ptr)
        {
            int b3 = (((ptr - _heapbase) >> BLOCKLOG) + 1) * HEAPINFO_WORDS;
            int type = _heapinfo[b3];
            return type == 0 ? _heapinfo[b3 + 1] << BLOCKLOG : 1 << type;
        }

        /// <summary>
        /// CheckRaw and UsableSizeRaw in one: the table entry (and a fragment's bit) read once.
        /// </summary>
        public override int LiveSizeLocked(int ptr)
        {
            int rel = ptr - _heapbase;
            int b = (rel >> BLOCKLOG) + 1;
            if (_alignedCount != 0 || !_initialized || rel < 0 || b >= _heaplimit)
            {
                return LiveSizeChecked(ptr);
            }

            int[] h = _heapinfo;
            int b3 = b * HEAPINFO_WORDS;
            int type = h[b3];
            if (type == 0)
            {
                return (rel & _blockmask) == 0 ? h[b3 + 1] << BLOCKLOG : -1;
            }

            if (type > 0 && (rel & ((1 << type) - 1)) == 0 && (_bits[rel >> _wordLog] & (1 << ((rel >> MINFRAGLOG) & _bitMask))) == 0)
            {
                return 1 << type;
            }

            return -1;
        }

        /// <summary>
        /// The seam's free (the layers above free through here): the common case (a fragment, not
        /// its block's last live one, in a block with free fragments already) written out, as in
        /// Free; anything else, memalign offsets included, the base class's way.
        /// </summary>
        public override void FreeLocked(int ptr)
        {
            if (_alignedCount == 0)
            {
                int[] h = _heapinfo;
                int rel = ptr - _heapbase;
                int b3 = ((rel >> BLOCKLOG) + 1) * HEAPINFO_WORDS;
                int w1 = h[b3 + 1];
                if (h[b3] > 0 && (w1 & 0xFFFF) > (FRAG_INLIST | 1))
                {
                    int wi = rel >> _wordLog;
                    _bits[wi] |= 1 << ((rel >> MINFRAGLOG) & _bitMask);
                    h[b3 + 1] = ((w1 & 0xFFFF) | (wi << FRAG_HINT_SHIFT)) - 1;
                    return;
                }
            }

            base.FreeLocked(ptr);
        }

        /// <summary>_free_internal: frees a block or fragment already known to be live.</summary>
        protected override void FreeRaw(int ptr)
        {
            int[] h = _heapinfo;
            int block = ((ptr - _heapbase) >> BLOCKLOG) + 1;
            int type = h[block * HEAPINFO_WORDS];
            if (type == 0)
            {
                FreeBlocks(block);
                return;
            }

            FreeFragment(ptr, block, type);
        }

        /// <summary>
        /// Frees the live fragment at <paramref name="ptr"/> of <paramref name="block"/> (fragments
        /// of 1 &lt;&lt; log bytes): its bit set, one live fewer. A block that had no free fragment
        /// goes to the head of its size's list (the seed's: the freed fragment heads its list); a
        /// block whose last live fragment this was leaves the list, its bits are cleared, and it
        /// goes back to the block pool.
        /// </summary>
        private void FreeFragment(int ptr, int block, int log)
        {
            int[] h = _heapinfo;
            int[] bits = _bits;
            int b3 = block * HEAPINFO_WORDS;
            int w1 = h[b3 + 1];
            int live = w1 & FRAG_LIVE_MASK;
            int wi = BitWord(ptr);
            if (live == 1)
            {
                // The last live fragment: out of the list, the block's bits cleared, the block
                // freed as one busy block.
                if ((w1 & FRAG_INLIST) != 0)
                {
                    UnlinkFragmentBlock(block, log);
                }

                System.Array.Clear(bits, FirstWord(block), WordsPerBlock);
                CountFragmentSteps(WordsPerBlock);
                h[b3] = 0;
                h[b3 + 1] = 1;
                h[b3 + 2] = 0;
                FreeBlocks(block);
                return;
            }

            if ((w1 & FRAG_INLIST) == 0)
            {
                // Its first free fragment: the block heads its size's list, this word its hint.
                int head = _fraghead[log];
                h[b3 + 2] = head;
                if (head != 0)
                {
                    h[(head * HEAPINFO_WORDS) + 2] = (h[(head * HEAPINFO_WORDS) + 2] & FRAG_LINK_MASK) | (block << FRAG_PREV_SHIFT);
                }

                _fraghead[log] = block;
                w1 = live | FRAG_INLIST | (wi << FRAG_HINT_SHIFT);
            }
            else
            {
                w1 = (w1 & 0xFFFF) | (wi << FRAG_HINT_SHIFT);
            }

            bits[wi] |= BitOf(ptr);
            h[b3 + 1] = w1 - 1;
        }

        /// <summary>Takes fragment block <paramref name="block"/> out of _fraghead[log]'s list.</summary>
        private void UnlinkFragmentBlock(int block, int log)
        {
            int[] h = _heapinfo;
            int w2 = h[(block * HEAPINFO_WORDS) + 2];
            int next = w2 & FRAG_LINK_MASK;
            int prev = (w2 >> FRAG_PREV_SHIFT) & FRAG_LINK_MASK;
            if (prev == 0)
            {
                _fraghead[log] = next;
            }
            else
            {
                h[(prev * HEAPINFO_WORDS) + 2] = (h[(prev * HEAPINFO_WORDS) + 2] & ~FRAG_LINK_MASK) | next;
            }

            if (next != 0)
            {
                h[(next * HEAPINFO_WORDS) + 2] = (h[(next * HEAPINFO_WORDS) + 2] & FRAG_LINK_MASK) | (prev << FRAG_PREV_SHIFT);
            }

            h[(block * HEAPINFO_WORDS) + 2] = 0;
            h[(block * HEAPINFO_WORDS) + 1] &= ~FRAG_INLIST;
        }

        /// <summary>Frees the busy whole-block object that starts at <paramref name="block"/>.</summary>
        private void FreeBlocks(int block)
        {
            int[] h = _heapinfo;
            int size = h[block * HEAPINFO_WORDS + 1];

            // Find the free cluster before this one. The seed starts at the rover (locality); we
            // start at whichever of the rover, the first cluster and the last is nearest to the
            // block by address (the list is in address order, so that is usually the shortest
            // walk; the cluster found is the same). The list is shorter than the table: more
            // steps is a damaged list that cycles.
            int i = _heapindex;
            int distance = i > block ? i - block : block - i;
            int end = h[1];   // the first cluster (anchor's next)
            if (end != 0 && (end > block ? end - block : block - end) < distance)
            {
                i = end;
                distance = end > block ? end - block : block - end;
            }

            end = h[2];       // the last cluster (anchor's prev)
            if (end != 0 && (end > block ? end - block : block - end) < distance)
            {
                i = end;
            }

            // The walk races a scan of the table down from the block: the first free-cluster
            // start below the block (or the anchor, entry 0) is the same cluster, so whichever
            // gets there first answers, in at most twice the shorter of the two distances.
            int t = (block - 1) * HEAPINFO_WORDS;
            int steps = _tableBlocks;
            if (i > block)
            {
                while (i > block)
                {
                    if (t == 0 || (h[t] < 0 && h[t] != INTERIOR))
                    {
                        i = t / HEAPINFO_WORDS;
                        break;
                    }

                    t -= HEAPINFO_WORDS;
                    CountClusterStep();
                    i = h[i * HEAPINFO_WORDS + 2];
                    if (--steps == 0)
                    {
                        throw Damaged("free", ADDRESS(block));
                    }
                }
            }
            else
            {
                bool scanned = false;
                do
                {
                    if (t == 0 || (h[t] < 0 && h[t] != INTERIOR))
                    {
                        i = t / HEAPINFO_WORDS;
                        scanned = true;
                        break;
                    }

                    t -= HEAPINFO_WORDS;
                    CountClusterStep();
                    i = h[i * HEAPINFO_WORDS + 1];
                    if (--steps == 0)
                    {
                        throw Damaged("free", ADDRESS(block));
                    }
                }
                while (i > 0 && i < block);
                if (!scanned)
                {
                    i = h[i * HEAPINFO_WORDS + 2];
                }
            }

            int i3 = i * HEAPINFO_WORDS;
            if (block == i - h[i3])
            {
                // Coalesce with the cluster before.
                h[i3] -= size;
                h[block * HEAPINFO_WORDS] = INTERIOR;
                h[block * HEAPINFO_WORDS + 1] = 0;
                block = i;
            }
            else
            {
                // Link it in after i.
                int b3n = block * HEAPINFO_WORDS;
                int next = h[i3 + 1];
                h[b3n] = -size;
                h[b3n + 1] = next;
                h[b3n + 2] = i;
                h[i3 + 1] = block;
                h[next * HEAPINFO_WORDS + 2] = block;
            }

            // Coalesce with the cluster after, if it touches.
            int b3 = block * HEAPINFO_WORDS;
            int after = h[b3 + 1];
            if (block - h[b3] == after)
            {
                int a3 = after * HEAPINFO_WORDS;
                h[b3] += h[a3];
                int afterNext = h[a3 + 1];
                h[b3 + 1] = afterNext;
                h[afterNext * HEAPINFO_WORDS + 2] = block;
                h[a3] = INTERIOR;
                h[a3 + 1] = 0;
                h[a3 + 2] = 0;
            }

            // Give a large enough free run at the top back to the arena.
            int blocks = -h[b3];
            if (blocks > _largestFree)
            {
                _largestFree = blocks;
            }

            if (!_noShrink && blocks >= FINAL_FREE_BLOCKS && block + blocks == _heaplimit
                && _arena.Sbrk(0) == ADDRESS(block + blocks))
            {
                int bytes = blocks << BLOCKLOG;
                _arena.Sbrk(-bytes);
                _heaplimit -= blocks;
                int prev = h[b3 + 2];
                int next = h[b3 + 1];
                h[prev * HEAPINFO_WORDS + 1] = next;
                h[next * HEAPINFO_WORDS + 2] = prev;
                h[b3] = INTERIOR;
                h[b3 + 1] = 0;
                h[b3 + 2] = 0;
                block = prev;
            }

            _heapindex = block;
        }
    }
}
