// Every line the debug heap reports, and the one place that ends a line (so the report hook
// sees each of them). Lines are built in the reporter's buffer: nothing here allocates unless a
// report hook is installed (which gets the line as a string).
//
// Texts follow the CRT's where it has one (debug_heap.cpp's _RPT calls):
//   HEAP CORRUPTION DETECTED: after Normal block (#42) at 0x0000A010.
//   CRT detected that the application wrote to memory after end of heap buffer.
//
//   Memory allocated at Sensors.cs(117).
// and, from CheckMemory, after each damaged block (check_block's statistics of the block):
//   Normal located at 0x0000A010 is 64 bytes long.
//
//   Memory allocated at Sensors.cs(117).
// File names are shown without their directories (CallerFilePath gives the build machine's
// full path). The blank lines are the CRT's (its _ALLOCATION_FILE_LINENUM starts with "\n").
// A bad pointer is reported as an assertion, as the CRT's _ASSERTE would, at the call site
// (which the CRT cannot show, but caller info gives us), then what is wrong and where the
// block came from:
//   Main.cs(40) : Assertion failed: _CrtIsValidHeapPointer(block)
//   free(0x0000A011): address is inside a block, not at its start: Normal block (#42) at 0x0000A010, 64 bytes long.
//   Memory allocated at Sensors.cs(117).
//
// Each fault is also written as one ERR record (Reporter/PROTOCOL.md) after its text lines:
// code and name from DebugHeapError's tables, op, the address, the block concerned (its data
// offset, size, request number and type), the faulty call's file and line and the block's
// allocation site. Records do not go through the report hook (it is about the CRT's text).
// Locks: the callers hold the heap's lock; each report holds the reporter's SyncRoot for all of
// its lines and its record (heap first, then reporter, as HeapReport does).
namespace Checker.Nano
{
    public sealed partial class DebugHeap
    {
        /// <summary>
        /// Writes one line of <paramref name="reportType"/> through the report path (the report
        /// hook, then the reporter), for dump-client hooks and other code that reports on behalf
        /// of the heap.
        /// </summary>
        public void ReportLine(int reportType, string text)
        {
            if (!_heap.ThreadSafe)
            {
                ReportLineLocked(reportType, text);
                return;
            }

            lock (_heap.SyncRoot)
            {
                ReportLineLocked(reportType, text);
            }
        }

        private void ReportLineLocked(int reportType, string text)
        {
            lock (_reporter.SyncRoot)
            {
                _reporter.Begin().Append(text);
                End(reportType);
            }
        }

        /// <summary>Ends the line in the reporter: the report hook sees it first and may consume it.</summary>
        private void End(int reportType)
        {
            ReportHook hook = _reportHook;
            if (hook != null)
            {
                bool consumed;
                try
                {
                    consumed = hook(reportType, _reporter.Current);
                }
                catch (System.Exception)
                {
                    // A hook that throws must not break the heap operation reporting: print the line.
                    _hookFailures++;
                    consumed = false;
                }

                if (consumed)
                {
                    _reportsConsumed++;
                    _reporter.Begin();
                    return;
                }
            }

            _reporter.End();
        }

        /// <summary>"Sensors.cs(117) : " for a call site with a file; nothing without.</summary>
        private void AppendSitePrefix(string file, int line)
        {
            if (file == null || file.Length == 0)
            {
                return;
            }

            _reporter.AppendFileName(file).Append('(').Append(line).Append(") : ");
        }

        /// <summary>The block's type name, e.g. "Normal" (block_use_names).</summary>
        private static string UseName(int use)
        {
            int type = use & 0xFFFF;
            return type < UseNames.Length ? UseNames[type] : "Unknown";
        }

        /// <summary>The allocation site's file of a plausible header (null for none and for ignore blocks).</summary>
        private string AllocFile(int header)
        {
            return IsLooseIgnore(header) ? null : FileName(FileIndexOf(Get(header + H_FILELINE)));
        }

        /// <summary>The allocation site's line of a plausible header (-1 when there is no file).</summary>
        private int AllocLine(int header)
        {
            return AllocFile(header) == null ? -1 : LineOf(Get(header + H_FILELINE));
        }

        /// <summary>"Memory allocated at Sensors.cs(117)." if the header names a file.</summary>
        private void ReportAllocatedAt(int header, int reportType)
        {
            string file = AllocFile(header);
            if (file == null)
            {
                return;
            }

            _reporter.Begin().Append("Memory allocated at ").AppendFileName(file).Append('(').Append(LineOf(Get(header + H_FILELINE))).Append(").");
            End(reportType);
        }

        /// <summary>A blank line and "Memory allocated at Sensors.cs(117)." if the header names a file (the CRT's _ALLOCATION_FILE_LINENUM).</summary>
        private void ReportSiteAfterBlank(int header, int reportType)
        {
            if (AllocFile(header) != null)
            {
                _reporter.Begin();
                End(reportType);
                ReportAllocatedAt(header, reportType);
            }
        }

        /// <summary>
        /// CheckMemory's last lines about a damaged block (check_block): "Normal located at
        /// 0x0000A010 is 64 bytes long." and, if it names a file, a blank line and where it was allocated.
        /// </summary>
        private void ReportDamagedBlockAt(int header)
        {
            lock (_reporter.SyncRoot)
            {
                _reporter.Begin().Append(UseName(Get(header + H_USE))).Append(" located at ").AppendAddress(header + HEADER_BYTES)
                    .Append(" is ").Append(Get(header + H_SIZE)).Append(" bytes long.");
                End(ReportType.WARN);
                ReportSiteAfterBlank(header, ReportType.WARN);
            }
        }

        /// <summary>The ERR record of a fault about the block at <paramref name="header"/> (0: none known).</summary>
        private void RecordError(DebugHeapError what, string operation, int address, int size, int header, string file, int line)
        {
            if (!_reporter.WantsRecords)
            {
                return;
            }

            int block = -1, blockSize = -1, request = -1, type = -1;
            string allocFile = null;
            int allocLine = -1;
            if (header != 0)
            {
                block = header + HEADER_BYTES;
                blockSize = Get(header + H_SIZE);
                request = Get(header + H_REQUEST);
                type = Get(header + H_USE) & 0xFFFF;
                allocFile = AllocFile(header);
                allocLine = AllocLine(header);
            }

            Records.Error(_reporter, (int)what, DebugHeapException.NameOf(what), operation, address, size, block, blockSize,
                request, type, file == null || file.Length == 0 ? null : file, file == null || file.Length == 0 ? -1 : line, allocFile, allocLine);
        }

        /// <summary>
        /// A damaged guard or free fill (GuardBefore, GuardAfter, WriteAfterFree) found by
        /// <paramref name="operation"/>: the CRT's "HEAP CORRUPTION DETECTED" lines, then where
        /// the block was allocated.
        /// </summary>
        private void ReportDamage(DebugHeapError what, int header, string operation, string file, int line)
        {
            _faults++;
            Reporter r = _reporter;
            lock (r.SyncRoot)
            {
                int use = Get(header + H_USE);
                r.Begin().Append("HEAP CORRUPTION DETECTED: ");
                if (what == DebugHeapError.WriteAfterFree)
                {
                    r.Append("on top of Free block at ");
                }
                else
                {
                    r.Append(what == DebugHeapError.GuardBefore ? "before " : "after ").Append(UseName(use))
                        .Append(" block (#").Append(Get(header + H_REQUEST)).Append(") at ");
                }

                r.AppendAddress(header + HEADER_BYTES).Append('.');
                End(ReportType.ERROR);

                r.Begin().Append("CRT detected that the application wrote to ");
                if (what == DebugHeapError.GuardBefore)
                {
                    r.Append("memory before start of heap buffer.");
                }
                else if (what == DebugHeapError.GuardAfter)
                {
                    r.Append("memory after end of heap buffer.");
                }
                else
                {
                    r.Append("a heap buffer that was freed.");
                }

                End(ReportType.ERROR);
                ReportSiteAfterBlank(header, ReportType.ERROR);
                int address = what == DebugHeapError.GuardBefore ? header + H_GAP
                    : what == DebugHeapError.GuardAfter ? header + HEADER_BYTES + Get(header + H_SIZE) : header + HEADER_BYTES;
                RecordError(what, operation, address, -1, header, file, line);
            }
        }

        /// <summary>"Bad memory block found at 0x...." and what is wrong with its header (CheckMemory).</summary>
        private void ReportBadBlock(DebugHeapError what, int header)
        {
            _faults++;
            lock (_reporter.SyncRoot)
            {
                _reporter.Begin().Append("Bad memory block found at ").AppendAddress(header + HEADER_BYTES).Append('.');
                End(ReportType.ERROR);
                _reporter.Begin().Append("Block header damaged: ").Append(DebugHeapException.MessageOf(what));
                AppendTrustedRequest(header);
                _reporter.Append('.');
                End(ReportType.ERROR);
                ReportTrustedSite(header, ReportType.ERROR);
                RecordDamagedHeader(what, "check", header + HEADER_BYTES, header, null, 0);
            }
        }

        // A damaged header's fields are each used only if they look right on their own: the
        // request number if it was given out, the file if its index names a table entry.
        private int TrustedRequest(int header)
        {
            int request = Get(header + H_REQUEST);
            return request >= 1 && (request < _nextRequest || request == int.MaxValue) ? request : -1;
        }

        private string TrustedFile(int header)
        {
            int fileLine = Get(header + H_FILELINE);
            int file = FileIndexOf(fileLine);
            return fileLine != -1 && file >= 1 && (file <= _fileCount || file == UNKNOWN_FILE) ? FileName(file) : null;
        }

        /// <summary>" (#2)" if the damaged header's request number looks right.</summary>
        private void AppendTrustedRequest(int header)
        {
            int request = TrustedRequest(header);
            if (request > 0)
            {
                _reporter.Append(" (#").Append(request).Append(')');
            }
        }

        /// <summary>"Memory allocated at a.cs(2)." if the damaged header's file looks right.</summary>
        private void ReportTrustedSite(int header, int reportType)
        {
            string file = TrustedFile(header);
            if (file != null)
            {
                _reporter.Begin().Append("Memory allocated at ").AppendFileName(file).Append('(').Append(LineOf(Get(header + H_FILELINE))).Append(").");
                End(reportType);
            }
        }

        /// <summary>The ERR record of a damaged header: only the fields that look right.</summary>
        private void RecordDamagedHeader(DebugHeapError what, string operation, int address, int header, string file, int line)
        {
            if (!_reporter.WantsRecords)
            {
                return;
            }

            string allocFile = TrustedFile(header);
            Records.Error(_reporter, (int)what, DebugHeapException.NameOf(what), operation, address, -1, header + HEADER_BYTES, -1,
                TrustedRequest(header), -1, file == null || file.Length == 0 ? null : file, file == null || file.Length == 0 ? -1 : line,
                allocFile, allocFile == null ? -1 : LineOf(Get(header + H_FILELINE)));
        }

        /// <summary>A broken list link found at the block <paramref name="header"/> (0: the list's head).</summary>
        private void ReportList(DebugHeapError what, int header)
        {
            _faults++;
            lock (_reporter.SyncRoot)
            {
                _reporter.Begin().Append("HEAP CORRUPTION DETECTED: debug block list damaged at ");
                if (header == 0)
                {
                    _reporter.Append("its head.");
                }
                else
                {
                    _reporter.AppendAddress(header + HEADER_BYTES).Append('.');
                }

                End(ReportType.ERROR);
                _reporter.Begin().Append("Block list: ").Append(DebugHeapException.MessageOf(what)).Append('.');
                End(ReportType.ERROR);
                RecordError(what, "check", header == 0 ? -1 : header + HEADER_BYTES, -1, 0, null, 0);
            }
        }

        /// <summary>"_heapchk fails: ..." with the base heap's Validate text.</summary>
        private void ReportBaseHeap(string problem)
        {
            _faults++;
            lock (_reporter.SyncRoot)
            {
                _reporter.Begin().Append("_heapchk fails: ").Append(problem).Append('.');
                End(ReportType.ERROR);
                RecordError(DebugHeapError.BaseHeapDamaged, "check", -1, -1, 0, null, 0);
            }
        }

        /// <summary>
        /// Whether <paramref name="e"/> says the heap's bookkeeping is damaged: an index out of the
        /// arena or the table, a copy sized by a damaged field (the layer's own code throws no
        /// argument exception where this is asked), or the base heap's HeapException (Damaged).
        /// Anything else (a hook's exception, out of managed memory) goes on to the caller.
        /// </summary>
        private static bool IsDamage(System.Exception e)
        {
            return e is System.IndexOutOfRangeException || e is HeapException || e is System.ArgumentException;
        }

        /// <summary>
        /// An operation that found the heap's bookkeeping damaged on its way (an index out of the
        /// arena or the table, a list that cycles) and was abandoned: "Main.cs(40) : _heapchk fails:
        /// free found the heap's bookkeeping damaged; the call was abandoned." and an ERR record
        /// (base-heap). Sets LastError; nothing is thrown (CheckMemory says where the damage is).
        /// </summary>
        private void ReportDamagedHeap(string operation, int address, string file, int line)
        {
            _faults++;
            _lastError = DebugHeapError.BaseHeapDamaged;
            lock (_reporter.SyncRoot)
            {
                _reporter.Begin();
                AppendSitePrefix(file, line);
                _reporter.Append("_heapchk fails: ").Append(operation).Append(" found the heap's bookkeeping damaged; the call was abandoned.");
                End(ReportType.ERROR);
                RecordError(DebugHeapError.BaseHeapDamaged, operation, address, -1, 0, file, line);
            }
        }

        /// <summary>"Main.cs(12) : Assertion failed: _CrtCheckMemory()" after a periodic check found damage.</summary>
        private void ReportCheckFailed(string file, int line)
        {
            lock (_reporter.SyncRoot)
            {
                _reporter.Begin();
                AppendSitePrefix(file, line);
                _reporter.Append("Assertion failed: _CrtCheckMemory()");
                End(ReportType.ASSERT);
            }
        }

        /// <summary>" Normal block (#42) at 0x0000A010, 64 bytes long" for a plausible header.</summary>
        private void AppendBlock(int header)
        {
            int use = Get(header + H_USE);
            _reporter.Append(UseName(use)).Append(" block (#").Append(Get(header + H_REQUEST)).Append(") at ")
                .AppendAddress(header + HEADER_BYTES).Append(", ").Append(Get(header + H_SIZE)).Append(" bytes long");
        }

        /// <summary>
        /// A bad pointer given to <paramref name="operation"/>: the assertion at the call site,
        /// what is wrong (with the block it belongs to, when one is known) and where that block
        /// was allocated. <paramref name="header"/> is a plausible header to describe, or 0.
        /// </summary>
        private void ReportBadPointer(string operation, int ptr, DebugHeapError what, int header, string file, int line)
        {
            if (DebugHeapException.IsBadHeader(what))
            {
                ReportDamagedPointer(operation, ptr, what, file, line);
                return;
            }

            _faults++;
            Reporter r = _reporter;
            lock (r.SyncRoot)
            {
                r.Begin();
                AppendSitePrefix(file, line);
                r.Append("Assertion failed: ").Append(DebugHeapException.ExpressionOf(what));
                End(ReportType.ASSERT);

                r.Begin().Append(operation).Append('(').AppendAddress(ptr).Append("): ").Append(DebugHeapException.MessageOf(what));
                if (header != 0)
                {
                    r.Append(": ");
                    AppendBlock(header);
                }

                r.Append('.');
                End(ReportType.ASSERT);
                if (header != 0)
                {
                    ReportAllocatedAt(header, ReportType.ASSERT);
                }

                RecordError(what, operation, ptr, -1, header, file, line);
            }
        }

        /// <summary>
        /// A pointer whose header is damaged: the assertion, what is wrong with the header, and
        /// its request number and allocation site where those fields look right on their own.
        /// </summary>
        private void ReportDamagedPointer(string operation, int ptr, DebugHeapError what, string file, int line)
        {
            _faults++;
            Reporter r = _reporter;
            int header = ptr - HEADER_BYTES;   // a live base block (CheckUserPointer got that far)
            lock (r.SyncRoot)
            {
                r.Begin();
                AppendSitePrefix(file, line);
                r.Append("Assertion failed: ").Append(DebugHeapException.ExpressionOf(what));
                End(ReportType.ASSERT);
                r.Begin().Append(operation).Append('(').AppendAddress(ptr).Append("): ").Append(DebugHeapException.MessageOf(what));
                AppendTrustedRequest(header);
                r.Append('.');
                End(ReportType.ASSERT);
                ReportTrustedSite(header, ReportType.ASSERT);
                RecordDamagedHeader(what, operation, ptr, header, file, line);
            }
        }

        /// <summary>
        /// Reports a pointer that failed CheckUserPointer: for an interior address, the block it
        /// lies in (found by a walk of the list); for a damaged header, nothing from it is trusted.
        /// </summary>
        private void ReportPointerError(string operation, int ptr, DebugHeapError what, string file, int line)
        {
            int header = 0;
            if (what == DebugHeapError.Interior)
            {
                header = FindHeaderContaining(ptr);
            }

            ReportBadPointer(operation, ptr, what, header, file, line);
        }

        /// <summary>"Error: memory allocation: bad memory block type." (the CRT's text) at the call site.</summary>
        private void ReportBadBlockType(string operation, int blockUse, string file, int line)
        {
            _faults++;
            lock (_reporter.SyncRoot)
            {
                _reporter.Begin();
                AppendSitePrefix(file, line);
                _reporter.Append("Error: memory allocation: bad memory block type.");
                End(ReportType.ERROR);
                RecordError(DebugHeapError.BadBlockType, operation, -1, -1, 0, file, line);
            }
        }

        /// <summary>"Invalid allocation size: -5 bytes." (the CRT's text) at the call site.</summary>
        private void ReportBadSize(string operation, long size, string file, int line)
        {
            _faults++;
            lock (_reporter.SyncRoot)
            {
                _reporter.Begin();
                AppendSitePrefix(file, line);
                _reporter.Append("Invalid allocation size: ").Append(size).Append(" bytes.");
                End(ReportType.ERROR);
                RecordError(DebugHeapError.BadSize, operation, -1, size >= 0 && size <= int.MaxValue ? (int)size : -1, 0, file, line);
            }
        }

        /// <summary>The CRT's hook-failure warnings: "Client hook allocation failure at file X line N." etc.</summary>
        private void ReportHookRefused(int hookType, int ptr, int size, string file, int line)
        {
            _hookRefusals++;
            Reporter r = _reporter;
            lock (r.SyncRoot)
            {
                r.Begin();
                if (hookType == HookType.FREE)
                {
                    r.Append("Client hook free failure.");
                }
                else
                {
                    r.Append(hookType == HookType.ALLOC ? "Client hook allocation failure" : "Client hook re-allocation failure");
                    if (file != null && file.Length > 0)
                    {
                        r.Append(" at file ").AppendFileName(file).Append(" line ").Append(line);
                    }

                    r.Append('.');
                }

                End(ReportType.WARN);
                string operation = hookType == HookType.FREE ? "free" : hookType == HookType.ALLOC ? "malloc" : "realloc";
                RecordError(DebugHeapError.HookRefused, operation, ptr == 0 ? -1 : ptr, size, 0, file, line);
            }
        }

        /// <summary>"SetDbgFlag(0x00000040): unknown flag bits." (the CRT's _VALIDATE_RETURN fires here).</summary>
        private void ReportBadFlag(int flag)
        {
            _faults++;
            lock (_reporter.SyncRoot)
            {
                _reporter.Begin().Append("SetDbgFlag(").AppendAddress(flag).Append("): ").Append(DebugHeapException.MessageOf(DebugHeapError.BadFlag)).Append('.');
                End(ReportType.ASSERT);
                RecordError(DebugHeapError.BadFlag, "setflag", -1, -1, 0, null, 0);
            }
        }

        /// <summary>"Sensors.cs(117) : Break at allocation request {42}." when no break hook is set.</summary>
        private void ReportBreak(int request, string file, int line)
        {
            lock (_reporter.SyncRoot)
            {
                _reporter.Begin();
                AppendSitePrefix(file, line);
                _reporter.Append("Break at allocation request {").Append(request).Append("}.");
                End(ReportType.ASSERT);
            }
        }
    }
}
