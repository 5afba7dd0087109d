// malloc, calloc, realloc and free: the debug heap does the allocating (headers, guards,
// request numbers, sites); Checker checks the pointer first, keeps the maps, and reports with
// its own codes, so the debug heap is never handed a bad pointer.
//
// Maps kept on the way (see Bitmap.cs for the invariants):
//   malloc   the data write-only; the granule of the header START, the block's other granules cleared
//   calloc   the data read-write (it is initialized)
//   realloc  the kept bytes keep their states, new bytes write-only. With aging on, realloc
//            always moves: a new block, the data and states copied, the old block aged, so a
//            stale pointer to the old block is caught. If that finds no room (or aging is off)
//            the debug heap resizes the block, in place when it can.
//   free     the data unavailable; the block goes to the aging queue (Aging.cs)
// Each operation refuses to run inside another ("rec"): an allocation hook that allocates
// would otherwise see the maps half updated.
// Order of the pointer checks (free, realloc): a live block's start goes ahead; an aged
// block's start or a released block's start is a double free ("ffb"); anything else is "fba".
namespace Checker.Nano
{
    public sealed partial class CheckerHeap
    {
        /// <summary>
        /// malloc: <paramref name="size"/> write-only bytes of <paramref name="blockUse"/> (a debug
        /// heap block use), recording the call's site. 0 when there is no room ("oom", reported).
        /// malloc(0) gives a 0-byte block, or 0 with -m=0.
        /// </summary>
        public int Malloc(int size, int blockUse = BlockType.Normal,
            [System.Runtime.CompilerServices.CallerFilePath] string file = null,
            [System.Runtime.CompilerServices.CallerLineNumber] int line = 0)
        {
            if (_tracer != null)
            {
                return AllocTraced(1, size, blockUse, false, file, line);   // Trace.cs: the same malloc, then the event
            }

            if (!_heap.ThreadSafe)
            {
                return AllocLocked(1, size, blockUse, false, file, line);
            }

            lock (_sync)
            {
                return AllocLocked(1, size, blockUse, false, file, line);
            }
        }

        /// <summary>calloc: <paramref name="count"/> * <paramref name="size"/> zeroed, read-write bytes.</summary>
        public int Calloc(int count, int size, int blockUse = BlockType.Normal,
            [System.Runtime.CompilerServices.CallerFilePath] string file = null,
            [System.Runtime.CompilerServices.CallerLineNumber] int line = 0)
        {
            if (_tracer != null)
            {
                return AllocTraced(count, size, blockUse, true, file, line);
            }

            if (!_heap.ThreadSafe)
            {
                return AllocLocked(count, size, blockUse, true, file, line);
            }

            lock (_sync)
            {
                return AllocLocked(count, size, blockUse, true, file, line);
            }
        }

        /// <summary>
        /// realloc: resizes the block at <paramref name="ptr"/> keeping its bytes (and their states)
        /// up to the smaller size; returns the new address, or 0 (the old block untouched).
        /// realloc(0, n) is malloc(n); realloc(p, 0) frees p and returns 0.
        /// </summary>
        public int Realloc(int ptr, int size,
            [System.Runtime.CompilerServices.CallerFilePath] string file = null,
            [System.Runtime.CompilerServices.CallerLineNumber] int line = 0)
        {
            if (_tracer != null)
            {
                return ReallocTraced(ptr, size, file, line);
            }

            if (!_heap.ThreadSafe)
            {
                return ReallocLocked(ptr, size, file, line);
            }

            lock (_sync)
            {
                return ReallocLocked(ptr, size, file, line);
            }
        }

        /// <summary>free: the block becomes unavailable and is aged. free(0) frees nothing and is reported ("fnl", as the original does).</summary>
        public void Free(int ptr,
            [System.Runtime.CompilerServices.CallerFilePath] string file = null,
            [System.Runtime.CompilerServices.CallerLineNumber] int line = 0)
        {
            if (_tracer != null)
            {
                FreeTraced(ptr, file, line);
                return;
            }

            if (!_heap.ThreadSafe)
            {
                FreeLocked(ptr, file, line);
                return;
            }

            lock (_sync)
            {
                FreeLocked(ptr, file, line);
            }
        }

        // ---- Allocation --------------------------------------------------------------------------

        private int AllocLocked(int count, int size, int blockUse, bool zero, string file, int line)
        {
            string op = zero ? "calloc" : "malloc";
            if (_inCall)
            {
                ReportRecursive(op, 0, size, file, line);
                return 0;
            }

            int p;
            _inCall = true;
            try
            {
                p = Allocate(op, count, size, blockUse, zero, file, line);
            }
            catch (System.Exception e)
            {
                if (!IsDamage(e))
                {
                    throw;
                }

                ReportMapsDamaged(op + " found the heap's bookkeeping damaged; the call was abandoned", file, line);
                p = 0;
            }
            finally
            {
                _inCall = false;
            }

            if (p != 0)
            {
                CountAllocation();
            }

            return p;
        }

        private int Allocate(string op, int count, int size, int blockUse, bool zero, string file, int line)
        {
            long total = (long)count * size;
            if (total == 0 && _malloc0Null && count >= 0 && size >= 0)
            {
                return 0;
            }

            int p = zero ? _debug.CallocLocked(count, size, blockUse, file, line) : _debug.AllocLocked(size, blockUse, file, line);
            if (p == 0 && _debug.LastError == DebugHeapError.OutOfMemory && _agingCount > 0)
            {
                ReleaseAllAged();
                p = zero ? _debug.CallocLocked(count, size, blockUse, file, line) : _debug.AllocLocked(size, blockUse, file, line);
            }

            if (p == 0)
            {
                if (_debug.LastError == DebugHeapError.OutOfMemory)
                {
                    ReportOutOfMemory(op, 0, (int)total, file, line);
                }

                return 0;
            }

            MarkAllocated(p, (int)total, zero ? AccessState.ReadWrite : AccessState.WriteOnly);
            return p;
        }

        /// <summary>Maps a new block: its granules cleared, its header's granule START, its data in <paramref name="state"/>.</summary>
        private void MarkAllocated(int p, int size, int state)
        {
            int header = p - DebugHeap.HEADER_BYTES;
            ClearGranules(header, _heap.UsableSizeLocked(header));
            _m[GranuleOf(header)] = MapByte(header, G_START);
            SetStates(p, size, state);
            _liveBlocks++;
            _liveBytes += size;
        }

        /// <summary>
        /// Whether <paramref name="e"/> says the heap's bookkeeping is damaged (an index out of the
        /// arena, a copy sized by a damaged field, the base heap's HeapException): then the call
        /// reports "bmd" and is abandoned, so nothing but Checker's reports comes out of it.
        /// </summary>
        private static bool IsDamage(System.Exception e)
        {
            return e is System.IndexOutOfRangeException || e is HeapException || e is System.ArgumentException;
        }

        // ---- Free --------------------------------------------------------------------------------

        private void FreeLocked(int ptr, string file, int line)
        {
            if (_inCall)
            {
                ReportRecursive("free", ptr, -1, file, line);
                return;
            }

            if (ptr == 0)
            {
                ReportFreeNull("free", file, line);

                return;
            }

            _inCall = true;
            try
            {
                if (CheckFreeable("free", ptr, file, line))
                {
                    int size = _info.Size;
                    SetStates(ptr, size, AccessState.Unavailable);
                    _liveBlocks--;
                    _liveBytes -= size;
                    Age(ptr, file, line);
                }
            }
            catch (System.Exception e)
            {
                if (!IsDamage(e))
                {
                    throw;
                }

                ReportMapsDamaged("free found the heap's bookkeeping damaged; the call was abandoned", file, line);
            }
            finally
            {
                _inCall = false;
            }
        }

        /// <summary>
        /// Whether <paramref name="ptr"/> is a live block that free or realloc may take (its header
        /// is then in _info); otherwise reports why ("ffb", "fba", or "bmd" when the maps and the
        /// debug heap disagree) and returns false.
        /// </summary>
        private bool CheckFreeable(string op, int ptr, string file, int line)
        {
            int header = ptr - DebugHeap.HEADER_BYTES;
            int flags = FlagsAt(header);
            if ((flags & G_START) != 0)
            {
                if (_debug.GetBlockInfoLocked(ptr, _info) == DebugHeapError.None && _info.BlockUse != BlockType.Free)
                {
                    return true;
                }

                ReportMapsDamaged("the block map has a block at " + Bytes.Hex8(ptr) + " that the debug heap does not know", file, line);
                return false;
            }

            if ((flags & (G_AGED | G_FREED)) != 0)
            {
                ReportDoubleFree(op, ptr, (flags & G_AGED) != 0, file, line);
                return false;
            }

            ReportBadFree(op, ptr, file, line);
            return false;
        }

        // ---- Realloc -----------------------------------------------------------------------------

        private int ReallocLocked(int ptr, int size, string file, int line)
        {
            if (_inCall)
            {
                ReportRecursive("realloc", ptr, size, file, line);
                return 0;
            }

            if (ptr == 0)
            {
                return AllocLocked(1, size, BlockType.Normal, false, file, line);
            }

            if (size == 0)
            {
                FreeLocked(ptr, file, line);
                return 0;
            }

            int q;
            _inCall = true;
            try
            {
                q = Reallocate(ptr, size, file, line);
            }
            catch (System.Exception e)
            {
                if (!IsDamage(e))
                {
                    throw;
                }

                ReportMapsDamaged("realloc found the heap's bookkeeping damaged; the call was abandoned", file, line);
                q = 0;
            }
            finally
            {
                _inCall = false;
            }

            if (q != 0)
            {
                CountAllocation();
            }

            return q;
        }

        private int Reallocate(int ptr, int size, string file, int line)
        {
            if (!CheckFreeable("realloc", ptr, file, line))
            {
                return 0;
            }

            int oldSize = _info.Size;
            int use = _info.BlockUse == BlockType.Ignore ? BlockType.Normal : _info.BlockUse;
            if (size < 0)
            {
                // The debug heap reports the bad size and leaves the block alone.
                return _debug.ReallocLocked(ptr, size, BlockType.Normal, file, line);
            }

            int keep = oldSize < size ? oldSize : size;
            if (_agingDepth > 0)
            {
                int q = _debug.AllocLocked(size, use, file, line);
                if (q == 0 && _debug.LastError == DebugHeapError.OutOfMemory && _agingCount > 0)
                {
                    ReleaseAllAged();
                    q = _debug.AllocLocked(size, use, file, line);
                }

                if (q != 0)
                {
                    System.Array.Copy(_m, ptr, _m, q, keep);
                    MarkAllocated(q, size, AccessState.WriteOnly);
                    MoveStates(ptr, q, keep);
                    SetStates(ptr, oldSize, AccessState.Unavailable);
                    _liveBlocks--;
                    _liveBytes -= oldSize;
                    Age(ptr, file, line);
                    return q;
                }
            }

            return ReallocInPlace(ptr, oldSize, size, keep, file, line);
        }

        /// <summary>The debug heap's realloc (in place when it can), then the maps moved along.</summary>
        private int ReallocInPlace(int ptr, int oldSize, int size, int keep, string file, int line)
        {
            int q = _debug.ReallocLocked(ptr, size, BlockType.Normal, file, line);
            if (q == 0 && _debug.LastError == DebugHeapError.OutOfMemory && _agingCount > 0)
            {
                ReleaseAllAged();
                q = _debug.ReallocLocked(ptr, size, BlockType.Normal, file, line);
            }

            if (q == 0)
            {
                if (_debug.LastError == DebugHeapError.OutOfMemory)
                {
                    ReportOutOfMemory("realloc", ptr, size, file, line);
                }

                return 0;
            }

            int oldHeader = ptr - DebugHeap.HEADER_BYTES;
            int header = q - DebugHeap.HEADER_BYTES;
            if (q == ptr)
            {
                if (size > oldSize)
                {
                    SetStates(ptr + oldSize, size - oldSize, AccessState.WriteOnly);
                }
                else
                {
                    SetStates(ptr + size, oldSize - size, AccessState.Unavailable);
                }
            }
            else
            {
                // States first (the source may be overwritten below), then what is left of the old
                // block outside the new one becomes unavailable, then the new block's own bytes.
                MoveStates(ptr, q, keep);
                int newEnd = q + size + DebugHeap.NO_MANS_LAND_SIZE;
                int oldEnd = ptr + oldSize;
                if (ptr < header)
                {
                    SetStates(ptr, (oldEnd < header ? oldEnd : header) - ptr, AccessState.Unavailable);
                }

                if (oldEnd > newEnd)
                {
                    int from = ptr > newEnd ? ptr : newEnd;
                    SetStates(from, oldEnd - from, AccessState.Unavailable);
                }

                SetStates(header, DebugHeap.HEADER_BYTES, AccessState.Unavailable);
                SetStates(q + keep, size - keep, AccessState.WriteOnly);
                SetStates(q + size, DebugHeap.NO_MANS_LAND_SIZE, AccessState.Unavailable);
                _m[GranuleOf(oldHeader)] = MapByte(oldHeader, G_FREED);
            }

            // The base block may have grown or moved: its granules are this block's alone.
            ClearGranules(header, _heap.UsableSizeLocked(header));
            _m[GranuleOf(header)] = MapByte(header, G_START);
            _liveBytes += size - oldSize;
            return q;
        }
    }
}
