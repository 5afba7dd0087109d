// Realloc (debug_heap.cpp's realloc_dbg_nolock, _realloc_dbg).
//
// Realloc(0, n) is Malloc(n) and Realloc(p, 0) is Free(p) returning 0, as in the UCRT. Otherwise,
// in order: the periodic check; the size; the pointer checks Free makes (a bad pointer is
// reported and nothing changes); a request number (and the break); the hook (REALLOC); the old
// block's guards (damage reported, the resize goes on). Then:
//  - without DELAY_FREE_MEM_DF, the base heap's realloc resizes the whole block (in place when
//    it can; it copies the header along when it moves);
//  - with it, a new block is allocated, the data copied and the old block delay-freed, so
//    writes through the old pointer are caught like writes after free.
// The block keeps its type (a Normal use given means "whatever it is") and whether it is
// tracked; it gets the new request number and the realloc's file and line (as in the CRT), the
// bytes beyond the old size are filled with 0xCD, and it is relinked at the head of the list
// (the CRT relinks only a block that moved; relinking always keeps the list in request-number
// order, which MemDumpAllObjectsSince relies on). If the base heap has no room, 0 is returned
// and the old block is untouched.
namespace Checker.Nano
{
    public sealed partial class DebugHeap
    {
        /// <summary>
        /// _realloc_dbg: resizes the block at <paramref name="ptr"/> to <paramref name="size"/>
        /// bytes, keeping its data up to the smaller size; returns the (maybe new) offset, or 0
        /// with the old block untouched (see LastError).
        /// </summary>
        public int Realloc(int ptr, int size, int blockUse = BlockType.Normal,
            [System.Runtime.CompilerServices.CallerFilePath] string file = null,
            [System.Runtime.CompilerServices.CallerLineNumber] int line = 0)
        {
            if (_tracer != null)
            {
                return ReallocTraced(ptr, size, blockUse, file, line);
            }

            if (!_heap.ThreadSafe)
            {
                return ReallocLocked(ptr, size, blockUse, file, line);
            }

            lock (_heap.SyncRoot)
            {
                return ReallocLocked(ptr, size, blockUse, file, line);
            }
        }

        /// <summary>Realloc with the lock held by the caller (Checker's entry point).</summary>
        public int ReallocLocked(int ptr, int size, int blockUse, string file, int line)
        {
            try
            {
                if (ptr == 0)
                {
                    return AllocLocked(size, blockUse, file, line);
                }

                if (size == 0)
                {
                    FreeLocked(ptr, blockUse, file, line);
                    return 0;
                }

                ValidateIfRequired(file, line);
                if (size < 0 || size > int.MaxValue - OVERHEAD_BYTES)
                {
                    ReportBadSize("realloc", size, file, line);
                    _lastError = DebugHeapError.BadSize;
                    return 0;
                }

                if (blockUse != BlockType.Normal && !IsAllocUse(blockUse))
                {
                    ReportBadBlockType("realloc", blockUse, file, line);
                    _lastError = DebugHeapError.BadBlockType;
                    return 0;
                }

                int header;
                DebugHeapError e = CheckFreeable("realloc", ptr, blockUse, file, line, out header);
                if (e != DebugHeapError.None)
                {
                    _lastError = e;
                    return 0;
                }

                int use = Get(header + H_USE);
                bool loose = IsLooseIgnore(header);
                int request = PeekRequestNumber(file, line);
                AllocHook hook = _allocHook;
                if (hook != null && !CallAllocHook(hook, HookType.REALLOC, ptr, size, use, request, file, line))
                {
                    ReportHookRefused(HookType.REALLOC, ptr, size, file, line);
                    _lastError = DebugHeapError.HookRefused;
                    return 0;
                }

                int oldSize = Get(header + H_SIZE);
                DebugHeapError guards = DebugHeapError.None;
                if (!loose)
                {
                    guards = CheckGuards(header, oldSize, "realloc", file, line);
                }

                int result = !loose && (_flag & DbgFlag.DELAY_FREE_MEM_DF) != 0
                    ? ReallocByCopy(header, use, oldSize, size, request, file, line)
                    : ReallocInPlace(header, use, loose, oldSize, size, request, file, line);
                if (result != 0)
                {
                    AdvanceRequestNumber();
                }

                _lastError = result == 0 ? DebugHeapError.OutOfMemory : guards;
                return result;
            }
            catch (System.Exception e)
            {
                if (!IsDamage(e))
                {
                    throw;
                }

                ReportDamagedHeap("realloc", ptr, file, line);
                return 0;
            }
        }

        /// <summary>Resizes through the base heap's realloc; the header moves along with the data.</summary>
        private int ReallocInPlace(int header, int use, bool loose, int oldSize, int size, int request, string file, int line)
        {
            int moved = _heap.ReallocLocked(header, size + OVERHEAD_BYTES);
            if (moved == 0 && _counts[BlockType.Free] > 0)
            {
                ReleaseDelayedFreeBlocksLocked();
                moved = _heap.ReallocLocked(header, size + OVERHEAD_BYTES);
            }

            if (moved == 0)
            {
                return 0;
            }

            // The base heap may have moved the block and freed the old one (its first bytes, our
            // links, then hold free-list links): the links are taken from the copy.
            Put(moved + H_SIZE, size);
            if (loose)
            {
                _ignoreBytes += size - oldSize;
            }
            else
            {
                Unlink(Get(moved + H_NEXT), Get(moved + H_PREV));
                Put(moved + H_FILELINE, PackFileLine(FileIndex(file), line));
                Put(moved + H_REQUEST, request);
                LinkAtHead(moved);
                int type = use & 0xFFFF;
                _sizes[type] += size - oldSize;
                _currentBytes -= oldSize;
                AddAllocated(size);
            }

            FillGrowth(moved, oldSize, size);
            return moved + HEADER_BYTES;
        }

        /// <summary>DELAY_FREE_MEM_DF: a new block, the data copied, the old block delay-freed.</summary>
        private int ReallocByCopy(int header, int use, int oldSize, int size, int request, string file, int line)
        {
            int fresh = BaseMalloc(size + OVERHEAD_BYTES);
            if (fresh == 0)
            {
                return 0;
            }

            CommitNew(fresh, size, use, request, false, FileIndex(file), line);
            System.Array.Copy(_m, header + HEADER_BYTES, _m, fresh + HEADER_BYTES, oldSize < size ? oldSize : size);
            FillGrowth(fresh, oldSize, size);
            FreeTracked(header, use, oldSize, true);
            return fresh + HEADER_BYTES;
        }

        /// <summary>Fills the bytes beyond the old size with 0xCD and writes both guards.</summary>
        private void FillGrowth(int header, int oldSize, int size)
        {
            byte[] m = _m;
            if (size > oldSize)
            {
                FillWith(CleanLand, header + HEADER_BYTES + oldSize, size - oldSize);
            }

            int gap = header + H_GAP;
            m[gap] = NO_MANS_LAND_FILL;
            m[gap + 1] = NO_MANS_LAND_FILL;
            m[gap + 2] = NO_MANS_LAND_FILL;
            m[gap + 3] = NO_MANS_LAND_FILL;
            int end = header + HEADER_BYTES + size;
            m[end] = NO_MANS_LAND_FILL;
            m[end + 1] = NO_MANS_LAND_FILL;
            m[end + 2] = NO_MANS_LAND_FILL;
            m[end + 3] = NO_MANS_LAND_FILL;
        }
    }
}
