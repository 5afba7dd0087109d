// free (gmalloc.c's free.c): fragments back to their list, whole blocks back to the address-
// ordered free list with coalescing, the top run back to the arena.
//
// Invariants kept (checked by Validate):
//  - the free list is circular through the anchor (entry 0), in address order, and no two
//    clusters touch (they would have been coalesced);
//  - the free fragments of a block are contiguous in their list from frag.first (see malloc);
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
        public override void Free(int ptr)
        {
            if (ptr == 0)
            {
                return;
            }

            bool locked = _threadSafe;
            if (locked)
            {
                System.Threading.Monitor.Enter(_sync);
            }

            try
            {
                // The common case without a call to the checks: a fragment that is certainly
                // live (see IsFreeFragment for the test) and not its block's last live one.
                if (_initialized && ptr >= _heapbase && _alignedCount == 0)
                {
                    int rel = ptr - _heapbase;
                    int block = (rel >> BLOCKLOG) + 1;
                    if (block < _heaplimit)
                    {
                        int b3 = block * HEAPINFO_WORDS;
                        int w0 = _heapinfo[b3];
                        int log = w0 & FRAGLOG_MASK;
                        int index = (rel & (BLOCKSIZE - 1)) >> log;
                        int nfree = _heapinfo[b3 + 1];
                        if (w0 > 0 && (index << log) == (rel & (BLOCKSIZE - 1)) && (index > (w0 >> FRESH_SHIFT) || index == 0)
                            && nfree != (BLOCKSIZE >> log) - 1)
                        {
                            byte[] m = _m;
                            int prev = m[ptr + 4] | (m[ptr + 5] << 8) | (m[ptr + 6] << 16) | (m[ptr + 7] << 24);
                            if (nfree == 0
                                || (prev == 0 ? _fraghead[log] != ptr
                                    : prev < _heapbase || prev > m.Length - MINFRAG
                                        || (m[prev] | (m[prev + 1] << 8) | (m[prev + 2] << 16) | (m[prev + 3] << 24)) != ptr))
                            {
                                FreeFragment(ptr, block, log);
                                return;
                            }
                        }
                    }
                }

                FreeChecked(ptr, "free");
            }
            catch (System.IndexOutOfRangeException)
            {
                throw Damaged("free", ptr);
            }
            finally
            {
                if (locked)
                {
                    System.Threading.Monitor.Exit(_sync);
                }
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
                type &= FRAGLOG_MASK;
                int inside = (ptr - ADDRESS(block)) & ((1 << type) - 1);
                if (IsFreeFragment(ptr - inside, block, type))
                {
                    return HeapError.FreeMemory;
                }

                return inside == 0 ? HeapError.None : HeapError.Interior;
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
            return type == 0 ? _heapinfo[b3 + 1] << BLOCKLOG : 1 << (type & FRAGLOG_MASK);
        }

        /// <summary>
        /// Whether the fragment at <paramref name="ptr"/> (a fragment boundary of a fragment block)
        /// is on its free list. A free fragment's prev link leads back to it; a live fragment's
        /// bytes almost never do, so that cheap test settles most cases, and a walk of the block's
        /// run of free fragments (nfree long) settles the rest exactly.
        /// </summary>
        private bool IsFreeFragment(int ptr, int block, int log)
        {
            int[] h = _heapinfo;
            int b3 = block * HEAPINFO_WORDS;
            int nfree = h[b3 + 1];
            if (nfree == 0)
            {
                return false;
            }

            int index = (ptr - ADDRESS(block)) >> log;
            if (index >= 1 && index <= h[b3] >> FRESH_SHIFT)
            {
                return true;   // a fresh fragment (its links are implied, not written)
            }

            byte[] m = _m;
            int prev = Bytes.GetInt32(m, ptr + 4);
            if (prev == 0)
            {
                if (_fraghead[log] != ptr)
                {
                    return false;
                }
            }
            else if (prev < _heapbase || prev > _m.Length - MINFRAG || FragNext(prev, log) != ptr)
            {
                // (FragNext, not the bytes: a fresh fragment's stale bytes, from the block's
                // previous life, may still lead here.)
                return false;
            }

            // Exact: walk the block's free run (no longer than the block: a damaged run may cycle).
            int frag = ADDRESS(block) + (h[b3 + 2] << log);
            if (nfree > BLOCKSIZE >> log)
            {
                nfree = BLOCKSIZE >> log;
            }

            for (int i = 0; i < nfree && frag != 0; i++)
            {
                CountFragmentSteps(1);
                if (frag == ptr)
                {
                    return true;
                }

                frag = FragNext(frag, log);
            }

            return false;
        }

        /// <summary>
        /// The next link of the free fragment at <paramref name="frag"/> of 1 &lt;&lt; log bytes:
        /// implied for a fresh fragment above 1 (the one below it), written otherwise.
        /// </summary>
        private int FragNext(int frag, int log)
        {
            int rel = frag - _heapbase;
            int index = (rel & (BLOCKSIZE - 1)) >> log;
            if (index >= 2 && index <= _heapinfo[((rel >> BLOCKLOG) + 1) * HEAPINFO_WORDS] >> FRESH_SHIFT)
            {
                return frag - (1 << log);
            }

            return Bytes.GetInt32(_m, frag);
        }

        /// <summary>
        /// The prev link of the free fragment at <paramref name="frag"/>: implied for a fresh
        /// fragment below the top (the one above it), written otherwise.
        /// </summary>
        private int FragPrev(int frag, int log)
        {
            int rel = frag - _heapbase;
            int index = (rel & (BLOCKSIZE - 1)) >> log;
            if (index >= 1 && index < _heapinfo[((rel >> BLOCKLOG) + 1) * HEAPINFO_WORDS] >> FRESH_SHIFT)
            {
                return frag + (1 << log);
            }

            return Bytes.GetInt32(_m, frag + 4);
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

            FreeFragment(ptr, block, type & FRAGLOG_MASK);
        }

        private void FreeFragment(int ptr, int block, int log)
        {
            int[] h = _heapinfo;
            byte[] m = _m;
            int b3 = block * HEAPINFO_WORDS;
            int nfree = h[b3 + 1];
            int fragSize = 1 << log;
            int start = ptr - ((ptr - _heapbase) & (BLOCKSIZE - 1));   // ADDRESS(block), without the call
            _chunksUsed--;
            _bytesUsed -= fragSize;
            _chunksFree++;
            _bytesFree += fragSize;

            if (nfree == (BLOCKSIZE >> log) - 1)
            {
                // This was the last live fragment: unlink the block's whole run (first to last:
                // the seed walks the run to find its end, we keep it; both ends' links are
                // written, fresh or not), and free the block.
                int first = start + (h[b3 + 2] << log);
                int last = start + (((h[b3] >> LAST_SHIFT) & LAST_MASK) << log);

                int before = Bytes.GetInt32(m, first + 4);
                int after = Bytes.GetInt32(m, last);
                if (before == 0)
                {
                    _fraghead[log] = after;
                }
                else
                {
                    Bytes.PutInt32(m, before, after);
                }

                if (after != 0)
                {
                    Bytes.PutInt32(m, after + 4, before);
                }

                // The block is now one busy block of one block, freed as such.
                h[b3] = 0;
                h[b3 + 1] = 1;
                h[b3 + 2] = 0;
                _chunksFree -= BLOCKSIZE >> log;
                _bytesFree -= BLOCKSIZE;
                _chunksUsed++;
                _bytesUsed += BLOCKSIZE;
                FreeBlocks(block);
            }
            else if (nfree != 0)
            {
                // Link it in right after the block's first free fragment, keeping the run together.
                int w0 = h[b3];
                int firstIndex = h[b3 + 2];
                int first = start + (firstIndex << log);
                int next;
                if (w0 >> FRESH_SHIFT == firstIndex && firstIndex != 0)
                {
                    // The first is the fresh top: ptr goes between it and the fragment below, so
                    // the top stops being fresh (its next is written now) and the one below
                    // becomes the top (its prev is written below).
                    next = firstIndex >= 2 ? first - fragSize : m[first] | (m[first + 1] << 8) | (m[first + 2] << 16) | (m[first + 3] << 24);
                    w0 -= 1 << FRESH_SHIFT;
                    h[b3] = w0;
                }
                else
                {
                    next = m[first] | (m[first + 1] << 8) | (m[first + 2] << 16) | (m[first + 3] << 24);
                }

                m[ptr] = (byte)next;
                m[ptr + 1] = (byte)(next >> 8);
                m[ptr + 2] = (byte)(next >> 16);
                m[ptr + 3] = (byte)(next >> 24);
                m[ptr + 4] = (byte)first;
                m[ptr + 5] = (byte)(first >> 8);
                m[ptr + 6] = (byte)(first >> 16);
                m[ptr + 7] = (byte)(first >> 24);
                m[first] = (byte)ptr;
                m[first + 1] = (byte)(ptr >> 8);
                m[first + 2] = (byte)(ptr >> 16);
                m[first + 3] = (byte)(ptr >> 24);
                if (next != 0)
                {
                    m[next + 4] = (byte)ptr;
                    m[next + 5] = (byte)(ptr >> 8);
                    m[next + 6] = (byte)(ptr >> 16);
                    m[next + 7] = (byte)(ptr >> 24);
                }

                h[b3 + 1] = nfree + 1;
                if (nfree == 1)
                {
                    // The run was [first] (so nothing is fresh any more): ptr ends it now.
                    h[b3] = log | (((ptr - start) >> log) << LAST_SHIFT);
                }
            }
            else
            {
                // No free fragment in this block yet: this one heads the list and the block's run.
                int next = _fraghead[log];
                m[ptr] = (byte)next;
                m[ptr + 1] = (byte)(next >> 8);
                m[ptr + 2] = (byte)(next >> 16);
                m[ptr + 3] = (byte)(next >> 24);
                m[ptr + 4] = 0;
                m[ptr + 5] = 0;
                m[ptr + 6] = 0;
                m[ptr + 7] = 0;
                if (next != 0)
                {
                    m[next + 4] = (byte)ptr;
                    m[next + 5] = (byte)(ptr >> 8);
                    m[next + 6] = (byte)(ptr >> 16);
                    m[next + 7] = (byte)(ptr >> 24);
                }

                _fraghead[log] = ptr;
                int index = (ptr - start) >> log;
                h[b3] = log | (index << LAST_SHIFT);
                h[b3 + 1] = 1;
                h[b3 + 2] = index;
            }
        }

        /// <summary>Frees the busy whole-block object that starts at <paramref name="block"/>.</summary>
        private void FreeBlocks(int block)
        {
            int[] h = _heapinfo;
            int size = h[block * HEAPINFO_WORDS + 1];
            _chunksUsed--;
            _bytesUsed -= size << BLOCKLOG;
            _bytesFree += size << BLOCKLOG;

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
                _chunksFree++;
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
                _chunksFree--;
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
                _chunksFree--;
                _bytesFree -= bytes;
            }

            _heapindex = block;
        }
    }
}
