// The Compact policy's malloc, free and realloc (see COMPACT.md and CompactHeap.cs); calloc is
// written once, in BaseHeap.
//
// Invariants kept (checked by CompactValidate):
//  - the heap [base, top) is a sequence of runs (whole, aligned blocks), large objects and gaps;
//    objects and gaps start and end on 16-byte granules, objects are at least BLOCKSIZE long,
//    gaps at least 16 bytes; two gaps never touch (they are coalesced);
//  - a gap's links are its first 8 bytes: next at +0, prev at +4 (0 = the head of its list);
//  - the free slots of a run stand together in their class's list, from the run's first to its
//    last; the list's head is the first free slot of the run freed into most recently;
//  - a run never has all its slots free: it goes back to the gaps instead.
namespace Checker.Nano
{
    public sealed partial class CompactHeap
    {
        /// <summary>malloc without the lock (the seam: the caller holds SyncRoot).</summary>
        public override int MallocLocked(int size)
        {
            if (!_initialized)
            {
                CompactInitialize();
            }

            if (size <= 0)
            {
                return 0;
            }

            if (size <= _cMax)
            {
                return CMallocSlot(_cOf[(size - 1) >> 3]);
            }

            if (size > _arena.Size)
            {
                return 0;   // more than the arena could ever hold (and no overflow below)
            }

            int len = size <= BLOCKSIZE ? BLOCKSIZE : (size + (C_GRANULE - 1)) & ~(C_GRANULE - 1);
            int a = CAlloc(len, C_GRANULE);
            if (a == 0)
            {
                return 0;
            }

            SetObject(a, len);
            _chunksUsed++;
            _bytesUsed += len;
            return a;
        }

        /// <summary>A slot of class <paramref name="c"/>: the head of its list, else a new run.</summary>
        private int CMallocSlot(int c)
        {
            int[] h = _heapinfo;
            byte[] m = _m;
            int size = _cSize[c];
            int p = _cHead[c];
            if (p != 0)
            {
                int b3 = C3(p);
                int r3 = (h[b3] & C_RUNI) != 0 ? h[b3 + 1] * HEAPINFO_WORDS : b3;
                int next = m[p] | (m[p + 1] << 8) | (m[p + 2] << 16) | (m[p + 3] << 24);
                _cHead[c] = next;
                if (next != 0)
                {
                    m[next + 4] = 0;
                    m[next + 5] = 0;
                    m[next + 6] = 0;
                    m[next + 7] = 0;
                }

                int nfree = h[r3 + 1] - 1;
                h[r3 + 1] = nfree;
                if (nfree != 0)
                {
                    h[r3 + 2] = (next - ADDRESS(r3 / HEAPINFO_WORDS)) / size;
                }

                _chunksUsed++;
                _bytesUsed += size;
                _chunksFree--;
                _bytesFree -= size;
                return p;
            }

            // A new run: slot 0 is handed out, the others make the (empty) list from the last
            // slot down to slot 1, as the seed splits a block.
            int k = _cBlocks[c];
            int n = _cSlots[c];
            int a = CAlloc(k << BLOCKLOG, BLOCKSIZE);
            if (a == 0)
            {
                return 0;
            }

            int rb = ((a - _heapbase) >> BLOCKLOG) + 1;
            int rb3 = rb * HEAPINFO_WORDS;
            h[rb3] = C_RUN | c | ((n > 1 ? 1 : 0) << C_LAST_SHIFT);
            h[rb3 + 1] = n - 1;
            h[rb3 + 2] = n > 1 ? n - 1 : 0;
            for (int j = 1; j < k; j++)
            {
                h[rb3 + (j * HEAPINFO_WORDS)] = C_RUNI;
                h[rb3 + (j * HEAPINFO_WORDS) + 1] = rb;
                h[rb3 + (j * HEAPINFO_WORDS) + 2] = 0;
            }

            for (int i = n - 1; i >= 1; i--)
            {
                int q = a + (i * size);
                Bytes.PutInt32(m, q, i > 1 ? q - size : 0);
                Bytes.PutInt32(m, q + 4, i < n - 1 ? q + size : 0);
            }

            CountFragmentSteps(n - 1);
            if (n > 1)
            {
                _cHead[c] = a + ((n - 1) * size);
            }

            _chunksUsed++;
            _bytesUsed += size;
            _chunksFree += n - 1;
            _bytesFree += (n - 1) * size;
            return a;
        }

        private int AlignUp(int p, int align)
        {
            return _heapbase + ((p - _heapbase + align - 1) & ~(align - 1));
        }

        /// <summary>The first gap list whose every gap holds <paramref name="need"/> bytes (TLSF's rounding up).</summary>
        private static int RoundedList(int need)
        {
            int fl = Log2(need);
            return GapList(need + (1 << (fl - C_SL)) - 1);
        }

        /// <summary>
        /// Takes <paramref name="len"/> bytes at a multiple of <paramref name="align"/> from the free
        /// gap at <paramref name="s"/> if they fit in it (one fit step); returns where, or 0.
        /// </summary>
        private int TakeIfFits(int s, int len, int align)
        {
            CountClusterStep();
            int size = _heapinfo[C3(s) + 2];
            int a = AlignUp(s, align);
            if (a + len > s + size)
            {
                return 0;
            }

            Take(s, size, a, len);
            return a;
        }

        /// <summary>
        /// <paramref name="len"/> bytes at a multiple of <paramref name="align"/> (16 or BLOCKSIZE,
        /// from the heap base): up to 4 gaps of the request's own list, then the heads of the
        /// non-empty lists from the rounded-up one (a few), then (aligned) the first list whose gaps
        /// all fit after alignment; else at the break, growing the gap that ends there. 0 when the
        /// arena is exhausted, with nothing changed.
        /// </summary>
        private int CAlloc(int len, int align)
        {
            int[] h = _heapinfo;
            byte[] m = _m;
            int tries = 0;
            int own = GapList(len);
            if (own < _gHead.Length)
            {
                int s = _gHead[own];
                while (s != 0 && tries < C_OWN_LIST_TRIES)
                {
                    tries++;
                    int a = TakeIfFits(s, len, align);
                    if (a != 0)
                    {
                        return a;
                    }

                    s = Bytes.GetInt32(m, s);
                }
            }

            int list = FindGapList(RoundedList(len));
            while (list >= 0)
            {
                tries++;
                int a = TakeIfFits(_gHead[list], len, align);
                if (a != 0)
                {
                    return a;
                }

                if (tries > C_OWN_LIST_TRIES || list + 1 >= _gHead.Length)
                {
                    break;
                }

                list = FindGapList(list + 1);
            }

            if (align > C_GRANULE)
            {
                list = FindGapList(RoundedList(len + align - C_GRANULE));
                if (list >= 0)
                {
                    int a = TakeIfFits(_gHead[list], len, align);
                    if (a != 0)
                    {
                        return a;
                    }
                }
            }

            // At the break: grow the gap that ends there, or add at the break.
            int top = _top;
            int g = top > _heapbase ? GapEndingAt(top) : 0;
            if (g != 0)
            {
                int a = AlignUp(g, align);
                if (!CGrow(a + len - top))
                {
                    return 0;
                }

                RemoveGap(g, top - g);
                if (a > g)
                {
                    InsertGap(g, a - g);
                }

                return a;
            }

            int at = AlignUp(top, align);
            if (!CGrow(at + len - top))
            {
                return 0;
            }

            if (at > top)
            {
                InsertGap(top, at - top);
            }

            return at;
        }

        /// <summary>Cuts [a, a + len) out of the gap [s, s + size): what is left before and after stays free.</summary>
        private void Take(int s, int size, int a, int len)
        {
            RemoveGap(s, size);
            if (a > s)
            {
                InsertGap(s, a - s);
            }

            if (a + len < s + size)
            {
                InsertGap(a + len, s + size - a - len);
            }
        }

        /// <summary>morecore: moves the break up by <paramref name="bytes"/>; false when the arena is exhausted.</summary>
        private bool CGrow(int bytes)
        {
            if (_arena.Break != _top)
            {
                // The heap's top and the arena's break disagree (Validate says so too): the
                // heap's own record is damaged or the break was moved behind its back. Nothing
                // is moved: the heap's documented answer to damage.
                throw Damaged("morecore", _top);
            }

            if (bytes > _arena.Limit - _arena.Break)
            {
                return false;
            }

            int result = _arena.Sbrk(bytes);
            if (result == Arena.SbrkFailed)
            {
                return false;
            }

            SetTop(_top + bytes);
            return true;
        }

        /// <summary>
        /// Frees [s, s + len): coalesces with the gap after it and the gap before it (both found
        /// through the table), and gives a gap of at least FINAL_FREE_BLOCKS blocks at the top back
        /// to the arena when <paramref name="shrink"/>. Returns where the gap holding it starts
        /// (0 when it went back to the arena).
        /// </summary>
        private int CFreeSpace(int s, int len, bool shrink)
        {
            int e = s + len;
            int start = s;
            int end = e;
            if (e < _top)
            {
                int after = GapAt(e);
                if (after != 0)
                {
                    RemoveGap(e, after);
                    end = e + after;
                }
            }

            if (s > _heapbase)
            {
                int before = GapEndingAt(s);
                if (before != 0)
                {
                    RemoveGap(before, s - before);
                    start = before;
                }
            }

            if (shrink && end == _top && end - start >= FINAL_FREE_BLOCKS << BLOCKLOG && _arena.Sbrk(0) == _top)
            {
                _arena.Sbrk(start - end);
                SetTop(start);
                return 0;
            }

            InsertGap(start, end - start);
            return start;
        }

        /// <summary>Frees a slot or large object already known to be live.</summary>
        protected override void FreeRaw(int p)
        {
            int[] h = _heapinfo;
            int b3 = C3(p);
            int w = h[b3];
            if ((w & C_AREA) != 0)
            {
                int len = h[b3 + 1];
                ClearObject(p);
                _chunksUsed--;
                _bytesUsed -= len;
                CFreeSpace(p, len, true);
                return;
            }

            CFreeSlot(p, (w & C_RUNI) != 0 ? h[b3 + 1] * HEAPINFO_WORDS : b3);
        }

        private void CFreeSlot(int p, int r3)
        {
            int[] h = _heapinfo;
            byte[] m = _m;
            int w = h[r3];
            int c = w & C_CLASS_MASK;
            int size = _cSize[c];
            int n = _cSlots[c];
            int rs = ADDRESS(r3 / HEAPINFO_WORDS);
            int index = (p - rs) / size;
            int nfree = h[r3 + 1];
            _chunksUsed--;
            _bytesUsed -= size;
            _chunksFree++;
            _bytesFree += size;

            if (nfree == n - 1)
            {
                // The run's last live slot: unlink its free slots (first to last) and free the run.
                if (nfree > 0)
                {
                    int first = rs + (h[r3 + 2] * size);
                    int last = rs + (((w >> C_LAST_SHIFT) & C_LAST_MASK) * size);
                    Unlink(_cHead, c, Bytes.GetInt32(m, first + 4), Bytes.GetInt32(m, last));
                }

                _chunksFree -= n;
                _bytesFree -= n * size;
                int k = _cBlocks[c];
                for (int j = 0; j < k; j++)
                {
                    h[r3 + (j * HEAPINFO_WORDS)] = C_AREA;
                    h[r3 + (j * HEAPINFO_WORDS) + 1] = 0;
                    h[r3 + (j * HEAPINFO_WORDS) + 2] = 0;
                }

                CFreeSpace(rs, k << BLOCKLOG, true);
            }
            else if (nfree != 0)
            {
                // Right after the run's first free slot, keeping the run's slots together.
                int first = rs + (h[r3 + 2] * size);
                int next = Bytes.GetInt32(m, first);
                Bytes.PutInt32(m, p, next);
                Bytes.PutInt32(m, p + 4, first);
                Bytes.PutInt32(m, first, p);
                if (next != 0)
                {
                    Bytes.PutInt32(m, next + 4, p);
                }

                h[r3 + 1] = nfree + 1;
                if (nfree == 1)
                {
                    h[r3] = C_RUN | c | (index << C_LAST_SHIFT);   // the run was [first]: p ends it now
                }
            }
            else
            {
                // The run's first free slot: it heads the class list (most recently freed-into first).
                PushFront(_cHead, c, p);
                h[r3] = C_RUN | c | (index << C_LAST_SHIFT);
                h[r3 + 1] = 1;
                h[r3 + 2] = index;
            }
        }

        /// <summary>
        /// realloc with the seed's rules where they apply: a slot whose class still fits stays; a
        /// large object shrinks in place (the tail freed) or stays at the same length; to grow, it is
        /// freed first (coalescing, without giving the top back) and allocated again, so it may stay,
        /// grow into the gap after it, move down into the gap before it, or move. A gap's links would
        /// overwrite 8 bytes of the data on the way (the freed object's first 8, the rest of the gap
        /// when the object moves down), so those are saved in locals and put back before the copy.
        /// </summary>
        protected override int ReallocRaw(int ptr, int size)
        {
            if (ptr == 0)
            {
                return MallocLocked(size);
            }

            if (size == 0)
            {
                FreeRaw(ptr);
                return 0;
            }

            if (size < 0)
            {
                return 0;
            }

            int[] h = _heapinfo;
            byte[] m = _m;
            int b3 = C3(ptr);
            int w = h[b3];
            if ((w & C_AREA) == 0)
            {
                int r3 = (w & C_RUNI) != 0 ? h[b3 + 1] * HEAPINFO_WORDS : b3;
                int c = h[r3] & C_CLASS_MASK;
                if (size <= _cMax && _cOf[(size - 1) >> 3] == c)
                {
                    return ptr;
                }

                int moved = MallocLocked(size);
                if (moved == 0)
                {
                    return 0;
                }

                int keep = _cSize[c] < size ? _cSize[c] : size;
                CountBytesCopied(keep);
                System.Array.Copy(m, ptr, m, moved, keep);
                FreeRaw(ptr);
                return moved;
            }

            int old = h[b3 + 1];
            if (size <= _cMax)
            {
                int small = MallocLocked(size);
                if (small == 0)
                {
                    return 0;
                }

                CountBytesCopied(size);
                System.Array.Copy(m, ptr, m, small, size);
                FreeRaw(ptr);
                return small;
            }

            if (size > _arena.Size)
            {
                return 0;
            }

            int len = size <= BLOCKSIZE ? BLOCKSIZE : (size + (C_GRANULE - 1)) & ~(C_GRANULE - 1);
            if (len < old)
            {
                h[b3 + 1] = len;
                _bytesUsed -= old - len;
                CFreeSpace(ptr + len, old - len, true);
                return ptr;
            }

            if (len == old)
            {
                return ptr;
            }

            if (_arena.Break != _top)
            {
                throw Damaged("realloc", ptr);   // before the block is freed: CGrow would throw halfway
            }

            // Grow: free first, without giving the top back, then allocate again.
            int s1a = Bytes.GetInt32(m, ptr);
            int s1b = Bytes.GetInt32(m, ptr + 4);
            ClearObject(ptr);
            _chunksUsed--;
            _bytesUsed -= old;
            int ms = CFreeSpace(ptr, old, false);
            int msize = h[C3(ms) + 2];

            // If the new place is the freed gap's start (moving down), what is left of the gap after
            // it starts at ms + len: its links would land inside the old data.
            int w2 = ms + len;
            bool save2 = w2 >= ptr && w2 < ptr + old;
            int s2a = 0;
            int s2b = 0;
            if (save2)
            {
                s2a = Bytes.GetInt32(m, w2);
                s2b = Bytes.GetInt32(m, w2 + 4);
            }

            int q = CAlloc(len, C_GRANULE);
            if (q == 0)
            {
                // Take the old place back (CAlloc changed nothing).
                RemoveGap(ms, msize);
                if (ms < ptr)
                {
                    InsertGap(ms, ptr - ms);
                }

                if (ptr + old < ms + msize)
                {
                    InsertGap(ptr + old, ms + msize - ptr - old);
                }

                Bytes.PutInt32(m, ptr, s1a);
                Bytes.PutInt32(m, ptr + 4, s1b);
                SetObject(ptr, old);
                _chunksUsed++;
                _bytesUsed += old;
                return 0;
            }

            SetObject(q, len);
            _chunksUsed++;
            _bytesUsed += len;
            if (q == ptr)
            {
                Bytes.PutInt32(m, ptr, s1a);
                Bytes.PutInt32(m, ptr + 4, s1b);
                return q;
            }

            // The gap links now at ptr and w2 (if any), to write back after the copy.
            int h1a = Bytes.GetInt32(m, ptr);
            int h1b = Bytes.GetInt32(m, ptr + 4);
            int h2a = 0;
            int h2b = 0;
            if (save2)
            {
                h2a = Bytes.GetInt32(m, w2);
                h2b = Bytes.GetInt32(m, w2 + 4);
                Bytes.PutInt32(m, w2, s2a);
                Bytes.PutInt32(m, w2 + 4, s2b);
            }

            Bytes.PutInt32(m, ptr, s1a);
            Bytes.PutInt32(m, ptr + 4, s1b);
            CountBytesCopied(old);
            System.Array.Copy(m, ptr, m, q, old);
            if (ptr < q || ptr >= q + len)
            {
                Bytes.PutInt32(m, ptr, h1a);
                Bytes.PutInt32(m, ptr + 4, h1b);
            }

            if (save2 && (w2 < q || w2 >= q + len))
            {
                Bytes.PutInt32(m, w2, h2a);
                Bytes.PutInt32(m, w2 + 4, h2b);
            }

            return q;
        }

        /// <summary>The seam's LiveSizeLocked: CheckLocked, then UsableSizeLocked.</summary>
        public override int LiveSizeLocked(int ptr)
        {
            return LiveSizeChecked(ptr);
        }

        /// <summary>The usable size of a live slot (its class's size) or large object (its length).</summary>
        protected override int UsableSizeRaw(int ptr)
        {
            int b3 = C3(ptr);
            int w = _heapinfo[b3];
            if ((w & C_AREA) != 0)
            {
                return _heapinfo[b3 + 1];
            }

            int r3 = (w & C_RUNI) != 0 ? _heapinfo[b3 + 1] * HEAPINFO_WORDS : b3;
            return _cSize[_heapinfo[r3] & C_CLASS_MASK];
        }
    }
}
