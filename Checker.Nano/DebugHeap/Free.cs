// Free (debug_heap.cpp's free_dbg_nolock, _free_dbg).
//
// Order: free(0) does nothing; the periodic check; the pointer is checked (a live base block
// with a plausible header) and a bad one is reported and left alone: nothing in the heap
// changes and nothing throws; a Free block (delay-freed already) is a double free; the block use
// must match (free with Normal accepts any block, as C's free() does); the allocation hook may
// refuse. Ignore blocks made while ALLOC_MEM_DF was off are filled with 0xDD and freed without
// checks, as in the CRT; a linked ignore block is freed like any other (the CRT leaves it in its
// list, which then leads into freed memory). For the
// others both guards are checked and damage reported (the block is still freed, as in the CRT,
// and its guards are rewritten so a Free block reports the damage once). With DELAY_FREE_MEM_DF
// the block stays in the list as a Free block with its data filled with 0xDD; otherwise it is
// unlinked, filled with 0xDD whole (header included) and given to the base heap.
namespace Checker.Nano
{
    public sealed partial class DebugHeap
    {
        /// <summary>
        /// _free_dbg: frees the block at <paramref name="ptr"/>. Returns None, a guard error (the
        /// damage was reported and the block freed), or why nothing was freed (reported too).
        /// <paramref name="blockUse"/> other than Normal must be the block's own.
        /// </summary>
        public DebugHeapError Free(int ptr, int blockUse = BlockType.Normal,
            [System.Runtime.CompilerServices.CallerFilePath] string file = null,
            [System.Runtime.CompilerServices.CallerLineNumber] int line = 0)
        {
            if (ptr == 0)
            {
                _lastError = DebugHeapError.None;
                return DebugHeapError.None;
            }

            if (_tracer != null)
            {
                return FreeTraced(ptr, blockUse, file, line);   // Trace.cs: the same free, then the event
            }

            object sync = _heap.LayerLock;   // a field: no call
            if (sync == null)
            {
                return FreeLocked(ptr, blockUse, file, line);
            }

            lock (sync)
            {
                return FreeLocked(ptr, blockUse, file, line);
            }
        }

        /// <summary>
        /// Checks and gives back every delay-freed block (reporting writes after free); the heap
        /// does this by itself when the arena is full. Returns how many were given back.
        /// </summary>
        public int ReleaseDelayedFreeBlocks()
        {
            if (!_heap.ThreadSafe)
            {
                return ReleaseDelayedFreeBlocksLocked();
            }

            lock (_heap.SyncRoot)
            {
                return ReleaseDelayedFreeBlocksLocked();
            }
        }

        /// <summary>Free of a non-zero <paramref name="ptr"/> with the lock held by the caller (Checker's entry point).</summary>
        /// <remarks>
        /// The common case is written out here in one method: no periodic check, no hook, no
        /// delay-free, and a block whose header passes every check CheckUserPointer makes, with
        /// both guards intact. Each header word is read once, in place. Anything else, a bad
        /// pointer included, takes FreeChecked, the general way, which reports it: the fast path
        /// changes nothing before it knows the block is sound.
        /// </remarks>
        public DebugHeapError FreeLocked(int ptr, int blockUse, string file, int line)
        {
            if (_general || ptr < HEADER_BYTES)
            {
                return FreeChecked(ptr, blockUse, file, line);
            }

            try
            {
                int header = ptr - HEADER_BYTES;
                int usable = _heap.LiveSizeLocked(header);
                if (usable >= OVERHEAD_BYTES)
                {
                    byte[] m = _m;
                    int o = header;
                    int use = m[o + 4] | (m[o + 5] << 8) | (m[o + 6] << 16) | (m[o + 7] << 24);
                    int next = m[o + 8] | (m[o + 9] << 8) | (m[o + 10] << 16) | (m[o + 11] << 24);
                    int prev = m[o + 12] | (m[o + 13] << 8) | (m[o + 14] << 16) | (m[o + 15] << 24);
                    int size = m[o + 16] | (m[o + 17] << 8) | (m[o + 18] << 16) | (m[o + 19] << 24);
                    int request = m[o + 20] | (m[o + 21] << 8) | (m[o + 22] << 16) | (m[o + 23] << 24);
                    int type = use & 0xFFFF;
                    int file0 = (m[o + 3] << 4) | (m[o + 2] >> 4);   // the file index: the top 12 bits of file|line
                    if ((use == BlockType.Normal || type == BlockType.Client || type == BlockType.Crt || use == BlockType.Ignore)
                        && (blockUse == BlockType.Normal || blockUse == use)
                        && size >= 0 && size <= usable - OVERHEAD_BYTES
                        && request >= 1 && (request < _nextRequest || request == int.MaxValue)
                        && (file0 <= _fileCount || (file0 == UNKNOWN_FILE && (m[o] & m[o + 1] & m[o + 2]) != 0xFF)))
                    {
                        int start = _heapStart;   // the heap is initialized: it holds this block
                        if (start == 0)
                        {
                            start = _heapStart = _heap.HeapStart;
                        }

                        int top = _heap.HeapEnd - OVERHEAD_BYTES;
                        int at = prev + H_NEXT;
                        bool linked = prev == 0
                            ? _first == header
                            : prev >= start && prev <= top && ((prev - start) & (BaseHeap.GRANULE - 1)) == 0
                                && (m[at] | (m[at + 1] << 8) | (m[at + 2] << 16) | (m[at + 3] << 24)) == header;
                        at = next + H_PREV;
                        linked = linked && (next == 0
                            ? _last == header
                            : next >= start && next <= top && ((next - start) & (BaseHeap.GRANULE - 1)) == 0
                                && (m[at] | (m[at + 1] << 8) | (m[at + 2] << 16) | (m[at + 3] << 24)) == header);
                        at = o + H_GAP;
                        int end = ptr + size;
                        if (linked && (m[at] | (m[at + 1] << 8) | (m[at + 2] << 16) | (m[at + 3] << 24)) == GuardWord
                            && (m[end] | (m[end + 1] << 8) | (m[end + 2] << 16) | (m[end + 3] << 24)) == GuardWord)
                        {
                            // Unlink, count, fill the whole block with 0xDD, give it back.
                            if (prev == 0)
                            {
                                _first = next;
                            }
                            else
                            {
                                at = prev + H_NEXT;
                                m[at] = (byte)next;
                                m[at + 1] = (byte)(next >> 8);
                                m[at + 2] = (byte)(next >> 16);
                                m[at + 3] = (byte)(next >> 24);
                            }

                            if (next == 0)
                            {
                                _last = prev;
                            }
                            else
                            {
                                at = next + H_PREV;
                                m[at] = (byte)prev;
                                m[at + 1] = (byte)(prev >> 8);
                                m[at + 2] = (byte)(prev >> 16);
                                m[at + 3] = (byte)(prev >> 24);
                            }

                            _linkedBlocks--;
                            _counts[type]--;
                            _sizes[type] -= size;
                            _currentBytes -= size;
                            FillWith(DeadLand, header, size + OVERHEAD_BYTES);
                            _heap.FreeLocked(header);
                            _lastError = DebugHeapError.None;
                            return DebugHeapError.None;
                        }
                    }
                }
            }
            catch (System.Exception e)
            {
                if (!IsDamage(e))
                {
                    throw;
                }

                ReportDamagedHeap("free", ptr, file, line);
                return DebugHeapError.BaseHeapDamaged;
            }

            return FreeChecked(ptr, blockUse, file, line);
        }

        /// <summary>FreeLocked the general way: every check and report, the hook, delay-free, ignore blocks.</summary>
        private DebugHeapError FreeChecked(int ptr, int blockUse, string file, int line)
        {
            try
            {
                ValidateIfRequired(file, line);
                int header;
                DebugHeapError e = CheckFreeable("free", ptr, blockUse, file, line, out header);
                if (e != DebugHeapError.None)
                {
                    _lastError = e;
                    return e;
                }

                int use = Get(header + H_USE);
                AllocHook hook = _allocHook;
                if (hook != null && !CallAllocHook(hook, HookType.FREE, ptr, 0, use, Get(header + H_REQUEST), file, line))
                {
                    ReportHookRefused(HookType.FREE, ptr, -1, file, line);
                    _lastError = DebugHeapError.HookRefused;
                    return DebugHeapError.HookRefused;
                }

                int size = Get(header + H_SIZE);
                if (IsLooseIgnore(header))
                {
                    _ignoreBlocks--;
                    _ignoreBytes -= size;
                    FillWith(DeadLand, header, size + OVERHEAD_BYTES);
                    _heap.FreeLocked(header);
                    _lastError = DebugHeapError.None;
                    return DebugHeapError.None;
                }

                e = CheckGuards(header, size, "free", file, line);
                FreeTracked(header, use, size, (_flag & DbgFlag.DELAY_FREE_MEM_DF) != 0);
                _lastError = e;
                return e;
            }
            catch (System.Exception e)
            {
                if (!IsDamage(e))
                {
                    throw;
                }

                ReportDamagedHeap("free", ptr, file, line);
                return DebugHeapError.BaseHeapDamaged;
            }
        }

        /// <summary>
        /// The checks Free and Realloc make before touching a block: a valid pointer, not a Free
        /// block, a matching block use. Reports and returns what is wrong.
        /// </summary>
        private DebugHeapError CheckFreeable(string operation, int ptr, int blockUse, string file, int line, out int header)
        {
            DebugHeapError e = CheckUserPointer(ptr, out header);
            if (e != DebugHeapError.None)
            {
                ReportPointerError(operation, ptr, e, file, line);
                return e;
            }

            int use = Get(header + H_USE);
            if (use == BlockType.Free)
            {
                ReportBadPointer(operation, ptr, DebugHeapError.AlreadyFreed, header, file, line);
                return DebugHeapError.AlreadyFreed;
            }

            if (blockUse != BlockType.Normal && blockUse != use && use != BlockType.Ignore)
            {
                ReportBadPointer(operation, ptr, DebugHeapError.WrongBlockType, header, file, line);
                return DebugHeapError.WrongBlockType;
            }

            return DebugHeapError.None;
        }

        /// <summary>Checks both guards of a live block and reports damage; returns the first damage found.</summary>
        private DebugHeapError CheckGuards(int header, int size, string operation, string file, int line)
        {
            DebugHeapError e = DebugHeapError.None;
            if (!GuardIntact(header + H_GAP))
            {
                ReportDamage(DebugHeapError.GuardBefore, header, operation, file, line);
                e = DebugHeapError.GuardBefore;
            }

            if (!GuardIntact(header + HEADER_BYTES + size))
            {
                ReportDamage(DebugHeapError.GuardAfter, header, operation, file, line);
                if (e == DebugHeapError.None)
                {
                    e = DebugHeapError.GuardAfter;
                }
            }

            return e;
        }

        /// <summary>Frees a checked, linked block: to the Free blocks (delay) or to the base heap.</summary>
        private void FreeTracked(int header, int use, int size, bool delay)
        {
            int type = use & 0xFFFF;
            _counts[type]--;
            _sizes[type] -= size;
            _currentBytes -= size;
            if (delay)
            {
                Put(header + H_USE, BlockType.Free);
                _counts[BlockType.Free]++;
                _sizes[BlockType.Free] += size;
                WriteGuardsAndFill(header, size, DEAD_LAND_FILL);
                return;
            }

            Unlink(Get(header + H_NEXT), Get(header + H_PREV));
            FillWith(DeadLand, header, size + OVERHEAD_BYTES);
            _heap.FreeLocked(header);
        }

        private int ReleaseDelayedFreeBlocksLocked()
        {
            try
            {
                // Bounded by the count at the start (each release shrinks the count as it goes).
                int released = 0;
                int node = _first;
                int steps = 0;
                int limit = _linkedBlocks;
                while (node != 0 && steps++ < limit && InHeapRange(node))
                {
                    int next = Get(node + H_NEXT);
                    if (Get(node + H_USE) == BlockType.Free && _heap.CheckLocked(node) == HeapError.None
                        && CheckHeaderFields(node) == DebugHeapError.None && CheckLinks(node) == DebugHeapError.None)
                    {
                        int size = Get(node + H_SIZE);
                        CheckFreeBlock(node, size, "check");
                        _counts[BlockType.Free]--;
                        _sizes[BlockType.Free] -= size;
                        Unlink(next, Get(node + H_PREV));
                        FillWith(DeadLand, node, size + OVERHEAD_BYTES);
                        _heap.FreeLocked(node);
                        released++;
                    }

                    node = next;
                }

                _released += released;
                return released;
            }
            catch (System.Exception e)
            {
                if (!IsDamage(e))
                {
                    throw;
                }

                ReportDamagedHeap("release", 0, null, 0);
                return 0;
            }
        }

        /// <summary>Checks a Free block's guards and 0xDD fill, reporting damage; returns whether it was intact.</summary>
        private bool CheckFreeBlock(int header, int size, string operation)
        {
            bool ok = true;
            if (!GuardIntact(header + H_GAP))
            {
                ReportDamage(DebugHeapError.GuardBefore, header, operation, null, 0);
                ok = false;
            }

            if (!GuardIntact(header + HEADER_BYTES + size))
            {
                ReportDamage(DebugHeapError.GuardAfter, header, operation, null, 0);
                ok = false;
            }

            if (!DeadFillIntact(header + HEADER_BYTES, size))
            {
                ReportDamage(DebugHeapError.WriteAfterFree, header, operation, null, 0);
                ok = false;
            }

            return ok;
        }
    }
}
