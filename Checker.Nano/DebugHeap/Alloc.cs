// Allocation (debug_heap.cpp's heap_alloc_dbg_internal, _malloc_dbg, _calloc_dbg, _msize_dbg).
//
// Order, as in the CRT: the periodic check; size and block-use checks; the request number is
// read and the break tested; the allocation hook may refuse; only then the base heap is asked,
// and the block committed: the request number used up (a refused or failed allocation leaves
// it for the next, as the CRT's), header, guards, 0xCD fill, link at the head of the list,
// statistics. BlockType.Ignore is accepted (the CRT's _IGNORE_BLOCK): the block is linked,
// counted under Ignore, checked by CheckMemory and left out of leak dumps. Malloc(0) gives a block of 0 bytes (a
// unique pointer, as the debug CRT's malloc(0)).
// While ALLOC_MEM_DF is off, Normal, Client and Ignore allocations become ignore blocks that
// are not linked (the CRT's); CRT blocks are always tracked. When the arena is full and delay-freed blocks are held, they are checked
// and given back first (ReleaseDelayedFreeBlocks), then the allocation is tried again: the CRT
// keeps them forever, which a microcontroller's arena cannot afford.
namespace Checker.Nano
{
    public sealed partial class DebugHeap
    {
        /// <summary>
        /// _malloc_dbg: <paramref name="size"/> bytes of <paramref name="blockUse"/> (Normal,
        /// CRT, or Client with a subtype), filled with 0xCD between two 0xFD guards; the file and
        /// line of the call are recorded. Returns the data's offset, or 0 (see LastError).
        /// </summary>
        public int Malloc(int size, int blockUse = BlockType.Normal,
            [System.Runtime.CompilerServices.CallerFilePath] string file = null,
            [System.Runtime.CompilerServices.CallerLineNumber] int line = 0)
        {
            if (_tracer != null)
            {
                return AllocTraced(1, size, blockUse, false, file, line);   // Trace.cs: the same malloc, then the event
            }

            object sync = _heap.LayerLock;   // a field: no call
            if (sync == null)
            {
                return AllocLocked(size, blockUse, file, line);
            }

            lock (sync)
            {
                return AllocLocked(size, blockUse, file, line);
            }
        }

        /// <summary>
        /// _calloc_dbg: <paramref name="count"/> * <paramref name="size"/> bytes set to zero (the
        /// guards still 0xFD). 0 if the product overflows or does not fit.
        /// </summary>
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
                return CallocLocked(count, size, blockUse, file, line);
            }

            lock (_heap.SyncRoot)
            {
                return CallocLocked(count, size, blockUse, file, line);
            }
        }

        /// <summary>
        /// _msize_dbg: the requested size of the block at <paramref name="ptr"/>. A bad pointer is
        /// reported and gives -1.
        /// </summary>
        public int MSize(int ptr,
            [System.Runtime.CompilerServices.CallerFilePath] string file = null,
            [System.Runtime.CompilerServices.CallerLineNumber] int line = 0)
        {
            if (!_heap.ThreadSafe)
            {
                return MSizeLocked(ptr, file, line);
            }

            lock (_heap.SyncRoot)
            {
                return MSizeLocked(ptr, file, line);
            }
        }

        private int MSizeLocked(int ptr, string file, int line)
        {
            try
            {
                int header;
                DebugHeapError e = CheckUserPointer(ptr, out header);
                if (e == DebugHeapError.None && Get(header + H_USE) == BlockType.Free)
                {
                    e = DebugHeapError.AlreadyFreed;
                }

                _lastError = e;
                if (e != DebugHeapError.None)
                {
                    if (e == DebugHeapError.AlreadyFreed)
                    {
                        ReportBadPointer("msize", ptr, e, header, file, line);
                    }
                    else
                    {
                        ReportPointerError("msize", ptr, e, file, line);
                    }

                    return -1;
                }

                return Get(header + H_SIZE);
            }
            catch (System.Exception e)
            {
                if (!IsDamage(e))
                {
                    throw;
                }

                ReportDamagedHeap("msize", ptr, file, line);
                return -1;
            }
        }

        /// <summary>Calloc with the lock held by the caller (Checker's entry point).</summary>
        public int CallocLocked(int count, int size, int blockUse, string file, int line)
        {
            try
            {
                long total = (long)count * size;
                if (count < 0 || size < 0 || total > int.MaxValue - OVERHEAD_BYTES)
                {
                    ValidateIfRequired(file, line);
                    ReportBadSize("calloc", total, file, line);
                    _lastError = DebugHeapError.BadSize;
                    return 0;
                }

                int p = AllocLocked((int)total, blockUse, file, line);
                if (p != 0)
                {
                    System.Array.Clear(_m, p, (int)total);
                }

                return p;
            }
            catch (System.Exception e)
            {
                if (!IsDamage(e))
                {
                    throw;
                }

                ReportDamagedHeap("calloc", 0, file, line);
                return 0;
            }
        }

        /// <summary>
        /// The allocation itself, Malloc with the lock held by the caller (Checker's entry point;
        /// Realloc(0, n) comes here too: an ALLOC for the hook, as in the CRT).
        /// </summary>
        /// <remarks>
        /// The common case is written out here in one method: no periodic check, no hook, no
        /// break, a tracked Normal, CRT or Client block, and the base heap has room. The header is
        /// copied from a template (see _template); a byte written from the interpreter costs
        /// about a fifth of an Array.Copy of 28. Anything else takes AllocChecked, the general
        /// way, which does the same for the common case; the fast path changes nothing before it
        /// knows it can finish.
        /// </remarks>
        public int AllocLocked(int size, int blockUse, string file, int line)
        {
            int type = blockUse & 0xFFFF;
            int request = _nextRequest;
            if (_general || (uint)size > (uint)(int.MaxValue - OVERHEAD_BYTES)
                || (blockUse != BlockType.Normal && type != BlockType.Client && type != BlockType.Crt) || request == int.MaxValue)
            {
                return AllocChecked(size, blockUse, file, line);
            }

            try
            {
                int header = _heap.MallocLocked(size + OVERHEAD_BYTES);
                if (header == 0)
                {
                    return AllocChecked(size, blockUse, file, line);   // full: delay-freed blocks back, or out of memory
                }

                _nextRequest = request + 1;
                int fileLine = (object)file == (object)_lastFile ? _lastFileIndex : FileIndex(file);
                fileLine = (fileLine << FILE_SHIFT) | (line < 0 ? 0 : (line > MAX_LINE ? MAX_LINE : line));
                int first = _first;

                // The header, its guard and the start of the 0xCD fill are one copy from the
                // template, where only the words that differ from the last block's are rewritten
                // (in a loop of allocations from one call site, the request number's low byte).
                byte[] t = _template;
                if (fileLine != _tFileLine)
                {
                    t[0] = (byte)fileLine;
                    t[1] = (byte)(fileLine >> 8);
                    t[2] = (byte)(fileLine >> 16);
                    t[3] = (byte)(fileLine >> 24);
                    _tFileLine = fileLine;
                }

                if (blockUse != _tUse)
                {
                    t[4] = (byte)blockUse;
                    t[5] = (byte)(blockUse >> 8);
                    t[6] = (byte)(blockUse >> 16);
                    t[7] = (byte)(blockUse >> 24);
                    _tUse = blockUse;
                }

                if (first != _tNext)
                {
                    t[8] = (byte)first;
                    t[9] = (byte)(first >> 8);
                    t[10] = (byte)(first >> 16);
                    t[11] = (byte)(first >> 24);
                    _tNext = first;
                }

                if (size != _tSize)
                {
                    t[16] = (byte)size;
                    t[17] = (byte)(size >> 8);
                    t[18] = (byte)(size >> 16);
                    t[19] = (byte)(size >> 24);
                    _tSize = size;
                }

                t[20] = (byte)request;
                if ((request ^ _tRequest) > 0xFF)
                {
                    t[21] = (byte)(request >> 8);
                    t[22] = (byte)(request >> 16);
                    t[23] = (byte)(request >> 24);
                }

                _tRequest = request;
                byte[] m = _m;
                int n = size < FillChunk ? size : FillChunk;
                System.Array.Copy(t, 0, m, header, HEADER_BYTES + n);
                if (size > n)
                {
                    FillWith(CleanLand, header + HEADER_BYTES + n, size - n);
                }

                System.Array.Copy(CleanLand, 0, m, header + HEADER_BYTES + size, 4);   // the trailing guard
                int o;
                if (first != 0)
                {
                    o = first + H_PREV;
                    m[o] = (byte)header;
                    m[o + 1] = (byte)(header >> 8);
                    m[o + 2] = (byte)(header >> 16);
                    m[o + 3] = (byte)(header >> 24);
                }
                else
                {
                    _last = header;
                }

                _first = header;
                _linkedBlocks++;
                _counts[type]++;
                _sizes[type] += size;
                _totalBytes += size;
                int current = _currentBytes + size;
                _currentBytes = current;
                if (current > _highWaterBytes)
                {
                    _highWaterBytes = current;
                }

                _lastError = DebugHeapError.None;
                return header + HEADER_BYTES;
            }
            catch (System.Exception e)
            {
                if (!IsDamage(e))
                {
                    throw;
                }

                ReportDamagedHeap("malloc", 0, file, line);
                return 0;
            }
        }

        /// <summary>AllocLocked the general way: every check, the hook, the break, ignore blocks, a full arena.</summary>
        private int AllocChecked(int size, int blockUse, string file, int line)
        {
            try
            {
                ValidateIfRequired(file, line);
                if (size < 0 || size > int.MaxValue - OVERHEAD_BYTES)
                {
                    ReportBadSize("malloc", size, file, line);
                    _lastError = DebugHeapError.BadSize;
                    return 0;
                }

                if (!IsAllocUse(blockUse))
                {
                    ReportBadBlockType("malloc", blockUse, file, line);
                    _lastError = DebugHeapError.BadBlockType;
                    return 0;
                }

                int request = PeekRequestNumber(file, line);
                AllocHook hook = _allocHook;
                if (hook != null && !CallAllocHook(hook, HookType.ALLOC, 0, size, blockUse, request, file, line))
                {
                    ReportHookRefused(HookType.ALLOC, 0, size, file, line);
                    _lastError = DebugHeapError.HookRefused;
                    return 0;
                }

                int header = BaseMalloc(size + OVERHEAD_BYTES);
                if (header == 0)
                {
                    _lastError = DebugHeapError.OutOfMemory;
                    return 0;
                }

                AdvanceRequestNumber();
                bool ignore = (blockUse & 0xFFFF) != BlockType.Crt && (_flag & DbgFlag.ALLOC_MEM_DF) == 0;
                CommitNew(header, size, blockUse, request, ignore, FileIndex(ignore ? null : file), line);
                WriteGuardsAndFill(header, size, CLEAN_LAND_FILL);
                _lastError = DebugHeapError.None;
                return header + HEADER_BYTES;
            }
            catch (System.Exception e)
            {
                if (!IsDamage(e))
                {
                    throw;
                }

                ReportDamagedHeap("malloc", 0, file, line);
                return 0;
            }
        }

        /// <summary>
        /// The next request number, breaking if it is the one SetBreakAlloc asked for. It is
        /// used up (AdvanceRequestNumber) only when the allocation succeeds, as in the CRT: a
        /// refused or failed one leaves it for the next.
        /// </summary>
        private int PeekRequestNumber(string file, int line)
        {
            int request = _nextRequest;
            if (request == _breakAlloc)
            {
                Break(request, file, line);
            }

            return request;
        }

        /// <summary>Uses up the request number (the counter stops at int.MaxValue, as the CRT's at LONG_MAX).</summary>
        private void AdvanceRequestNumber()
        {
            if (_nextRequest != int.MaxValue)
            {
                _nextRequest++;
            }
        }

        /// <summary>The base malloc, giving delay-freed blocks back and trying again when the arena is full.</summary>
        private int BaseMalloc(int bytes)
        {
            int header = _heap.MallocLocked(bytes);
            if (header == 0 && _counts[BlockType.Free] > 0)
            {
                ReleaseDelayedFreeBlocksLocked();
                header = _heap.MallocLocked(bytes);
            }

            return header;
        }

        /// <summary>Writes a new block's header fields and links and counts it (guards and fill are the caller's).</summary>
        private void CommitNew(int header, int size, int blockUse, int request, bool ignore, int fileIndex, int line)
        {
            Put(header + H_SIZE, size);
            if (ignore)
            {
                // Not linked, not counted in the CRT's totals (heap_alloc_dbg_internal).
                Put(header + H_NEXT, 0);
                Put(header + H_PREV, 0);
                Put(header + H_FILELINE, IGNORE_MARK);
                Put(header + H_USE, BlockType.Ignore);
                Put(header + H_REQUEST, 0);
                _ignoreBlocks++;
                _ignoreBytes += size;
                return;
            }

            Put(header + H_FILELINE, PackFileLine(fileIndex, line));
            Put(header + H_USE, blockUse);
            Put(header + H_REQUEST, request);
            LinkAtHead(header);
            int type = blockUse & 0xFFFF;
            _counts[type]++;
            _sizes[type] += size;
            AddAllocated(size);
        }

        /// <summary>The CRT's running totals for <paramref name="size"/> newly allocated bytes.</summary>
        private void AddAllocated(int size)
        {
            _totalBytes += size;
            _currentBytes += size;
            if (_currentBytes > _highWaterBytes)
            {
                _highWaterBytes = _currentBytes;
            }
        }
    }
}
