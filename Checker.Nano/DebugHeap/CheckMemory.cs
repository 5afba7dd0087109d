// Integrity checks: CheckMemory (_CrtCheckMemory), the CHECK_ALWAYS / CHECK_EVERY_N cadence
// (validate_heap_if_required_nolock), and the pointer queries IsValidHeapPointer,
// IsMemoryBlock and ReportBlockType.
//
// CheckMemory walks the list from the newest block. Each step first makes sure the link can be
// followed (the node is a live base block on the heap's grain whose prev link points back, and
// the walk has not taken more steps than there are linked blocks: a corrupted, cyclic list
// ends); a broken link is reported and ends the walk. Then the header's fields are checked
// ("Bad memory block found at"), then both guards and, for a Free block, its 0xDD fill (the
// CRT's "HEAP CORRUPTION DETECTED" reports). Ours, beyond the CRT: the request numbers must fall
// from the newest block on, and once the whole list is walked the per-type counts and bytes it
// holds must be the statistics every operation keeps (what MemCheckpoint and the dumps show), so
// a header whose block use, size or request number was damaged into another plausible value is
// reported too ("HEAP CORRUPTION DETECTED: debug block headers damaged: ..."). Last, the base
// heap's Validate (the CRT's _heapchk). Like the CRT's, it does nothing while ALLOC_MEM_DF is off.
// Ignore blocks made while ALLOC_MEM_DF is off are not linked, so not checked; linked ones
// (Malloc with BlockType.Ignore, Checker's aged blocks) are checked like any other.
//
// The cadence: every malloc, realloc and free counts; with a frequency of N (CHECK_ALWAYS_DF is
// N = 1, CHECK_EVERY_16_DF N = 16, ...) every N-th operation runs CheckMemory before doing its
// work, and if that finds damage reports "Assertion failed: _CrtCheckMemory()" at its call site.
namespace Checker.Nano
{
    public sealed partial class DebugHeap
    {
        // CheckMemory's recount of the list, per block use (made once: a check allocates nothing).
        private readonly int[] _checkCounts = new int[BlockType.MaxBlocks];
        private readonly int[] _checkSizes = new int[BlockType.MaxBlocks];

        /// <summary>
        /// _CrtCheckMemory: checks every linked block (links, header, guards, Free blocks' fill) and
        /// the base heap; reports each fault and returns whether all was well.
        /// </summary>
        public bool CheckMemory()
        {
            if (!_heap.ThreadSafe)
            {
                return CheckMemoryLocked();
            }

            lock (_heap.SyncRoot)
            {
                return CheckMemoryLocked();
            }
        }

        /// <summary>
        /// _CrtIsValidHeapPointer: whether <paramref name="ptr"/> is the data of a debug block of
        /// this heap (live, ignore, or delay-freed and still held), with a plausible header.
        /// </summary>
        public bool IsValidHeapPointer(int ptr)
        {
            if (!_heap.ThreadSafe)
            {
                return IsValidHeapPointerLocked(ptr);
            }

            lock (_heap.SyncRoot)
            {
                return IsValidHeapPointerLocked(ptr);
            }
        }

        private bool IsValidHeapPointerLocked(int ptr)
        {
            try
            {
                int header;
                return CheckUserPointer(ptr, out header) == DebugHeapError.None;
            }
            catch (System.IndexOutOfRangeException)
            {
                ReportDamagedHeap("is_valid_heap_pointer", ptr, null, 0);
                return false;
            }
        }

        /// <summary>
        /// _CrtReportBlockType: the block use (type | subtype &lt;&lt; 16) of the block at
        /// <paramref name="ptr"/>, or -1 if it is not a valid heap pointer.
        /// </summary>
        public int ReportBlockType(int ptr)
        {
            if (!_heap.ThreadSafe)
            {
                return ReportBlockTypeLocked(ptr);
            }

            lock (_heap.SyncRoot)
            {
                return ReportBlockTypeLocked(ptr);
            }
        }

        /// <summary>
        /// _CrtIsMemoryBlock: whether <paramref name="ptr"/> is a live (not Free) block of exactly
        /// <paramref name="size"/> requested bytes; if so its request number, file and line.
        /// </summary>
        public bool IsMemoryBlock(int ptr, int size, out int requestNumber, out string file, out int line)
        {
            if (!_heap.ThreadSafe)
            {
                return IsMemoryBlockLocked(ptr, size, out requestNumber, out file, out line);
            }

            lock (_heap.SyncRoot)
            {
                return IsMemoryBlockLocked(ptr, size, out requestNumber, out file, out line);
            }
        }

        private int ReportBlockTypeLocked(int ptr)
        {
            try
            {
                int header;
                return CheckUserPointer(ptr, out header) == DebugHeapError.None ? Get(header + H_USE) : -1;
            }
            catch (System.Exception e)
            {
                if (!IsDamage(e))
                {
                    throw;
                }

                ReportDamagedHeap("report_block_type", ptr, null, 0);
                return -1;
            }
        }

        private bool IsMemoryBlockLocked(int ptr, int size, out int requestNumber, out string file, out int line)
        {
            try
            {
                requestNumber = 0;
                file = null;
                line = 0;
                int header;
                if (CheckUserPointer(ptr, out header) != DebugHeapError.None)
                {
                    return false;
                }

                int use = Get(header + H_USE);
                if (use == BlockType.Free || Get(header + H_SIZE) != size)
                {
                    return false;
                }

                requestNumber = Get(header + H_REQUEST);
                if (requestNumber != 0)
                {
                    int fileLine = Get(header + H_FILELINE);
                    file = FileName(FileIndexOf(fileLine));
                    line = LineOf(fileLine);
                }

                return true;
            }
            catch (System.Exception e)
            {
                if (!IsDamage(e))
                {
                    throw;
                }

                ReportDamagedHeap("is_memory_block", ptr, null, 0);
                requestNumber = 0;
                file = null;
                line = 0;
                return false;
            }
        }

        /// <summary>
        /// "HEAP CORRUPTION DETECTED: debug block headers damaged: " and what the list and the
        /// statistics say (Validate's words), with an ERR record of <paramref name="what"/> at the
        /// block <paramref name="header"/> (0: no one block).
        /// </summary>
        private void ReportHeaders(DebugHeapError what, int header, string problem)
        {
            _faults++;
            lock (_reporter.SyncRoot)
            {
                _reporter.Begin().Append("HEAP CORRUPTION DETECTED: debug block headers damaged: ").Append(problem).Append('.');
                End(ReportType.ERROR);
                RecordError(what, "check", header == 0 ? -1 : header + HEADER_BYTES, -1, header, null, 0);
            }
        }

        /// <summary>validate_heap_if_required_nolock: the CHECK_EVERY_N cadence, called first by malloc, realloc and free.</summary>
        private void ValidateIfRequired(string file, int line)
        {
            if (_checkFrequency == 0)
            {
                return;
            }

            if (_checkCounter != _checkFrequency - 1)
            {
                _checkCounter++;
                return;
            }

            _checkCounter = 0;
            _autoChecks++;
            if (!CheckMemoryLocked())
            {
                ReportCheckFailed(file, line);
            }
        }

        private bool CheckMemoryLocked()
        {
            try
            {
                _checks++;
                if ((_flag & DbgFlag.ALLOC_MEM_DF) == 0)
                {
                    return true;
                }

                bool ok = true;
                int node = _first;
                int prev = 0;
                int steps = 0;
                int newer = int.MaxValue;
                int live = 0;
                System.Array.Clear(_checkCounts, 0, BlockType.MaxBlocks);
                System.Array.Clear(_checkSizes, 0, BlockType.MaxBlocks);
                while (node != 0)
                {
                    if (++steps > _linkedBlocks)
                    {
                        ReportList(DebugHeapError.ListCycle, prev);
                        ok = false;
                        break;
                    }

                    if (!InHeapRange(node) || _heap.CheckLocked(node) != HeapError.None
                        || _heap.UsableSizeLocked(node) < OVERHEAD_BYTES || Get(node + H_PREV) != prev)
                    {
                        ReportList(DebugHeapError.ListDamaged, prev);
                        ok = false;
                        break;
                    }

                    DebugHeapError e = CheckHeaderFields(node);
                    if (e != DebugHeapError.None)
                    {
                        ReportBadBlock(e, node);
                        ok = false;
                    }
                    else
                    {
                        int size = Get(node + H_SIZE);
                        int use = Get(node + H_USE) & 0xFFFF;
                        _checkCounts[use]++;
                        _checkSizes[use] += size;
                        bool intact;
                        if (use == BlockType.Free)
                        {
                            intact = CheckFreeBlock(node, size, "check");
                        }
                        else
                        {
                            live += size;
                            intact = CheckGuards(node, size, "check", null, 0) == DebugHeapError.None;
                        }

                        if (!intact)
                        {
                            ReportDamagedBlockAt(node);
                            ok = false;
                        }

                        int request = Get(node + H_REQUEST);
                        string order = OrderProblem(node, request, newer);
                        if (order != null)
                        {
                            ReportHeaders(DebugHeapError.BadHeaderRequest, node, order);
                            ok = false;
                        }

                        newer = request;
                    }

                    prev = node;
                    node = Get(node + H_NEXT);
                }

                if (ok && (prev != _last || steps != _linkedBlocks))
                {
                    // The walk ended early: the list lost blocks the counts still hold.
                    ReportList(DebugHeapError.ListDamaged, prev);
                    ok = false;
                }

                string statistics = ok ? StatisticsProblem(_checkCounts, _checkSizes, live) : null;
                if (statistics != null)
                {
                    // Every header checked and the whole list walked: a block use or a size that
                    // changed into another plausible value.
                    ReportHeaders(DebugHeapError.BadHeaderSize, 0, statistics);
                    ok = false;
                }

                string problem = _heap.Validate();
                if (problem != null)
                {
                    ReportBaseHeap(problem);
                    ok = false;
                }

                return ok;
            }
            catch (System.Exception e)
            {
                if (!IsDamage(e))
                {
                    throw;
                }

                ReportDamagedHeap("check", 0, null, 0);
                return false;
            }
        }
    }
}
