// Every line the debug heap reports, and the one place that ends a line (so the report hook
// sees each of them). Lines are built in the reporter's buffer: nothing here allocates unless a
// report hook is installed (which gets the line as a string).
//
// Texts follow the CRT's where it has one (debug_heap.cpp's _RPT calls):
//   HEAP CORRUPTION DETECTED: after Normal block (#42) at 0x0000A010.
//   CRT detected that the application wrote to memory after end of heap buffer.
//   Memory allocated at Sensors.cs(117).
// File names are shown without their directories (CallerFilePath gives the build machine's
// full path). The CRT's blank line before "Memory allocated at" is left out.
// A bad pointer is reported as an assertion, as the CRT's _ASSERTE would, at the call site
// (which the CRT cannot show, but caller info gives us), then what is wrong and where the
// block came from:
//   Main.cs(40) : Assertion failed: _CrtIsValidHeapPointer(block)
//   free(0x0000A011): address is inside a block, not at its start: Normal block (#42) at 0x0000A010, 64 bytes long.
//   Memory allocated at Sensors.cs(117).
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
                _reporter.Begin().Append(text);
                End(reportType);
                return;
            }

            lock (_heap.SyncRoot)
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

        /// <summary>Appends the file name of <paramref name="path"/> without its directories.</summary>
        private void AppendFileName(string path)
        {
            int start = 0;
            int n = path.Length;
            for (int i = 0; i < n; i++)
            {
                char c = path[i];
                if (c == '/' || c == '\\')
                {
                    start = i + 1;
                }
            }

            Reporter r = _reporter;
            for (int i = start; i < n; i++)
            {
                r.Append(path[i]);
            }
        }

        /// <summary>"Sensors.cs(117) : " for a call site with a file; nothing without.</summary>
        private void AppendSitePrefix(string file, int line)
        {
            if (file == null || file.Length == 0)
            {
                return;
            }

            AppendFileName(file);
            _reporter.Append('(').Append(line).Append(") : ");
        }

        /// <summary>The block's type name, e.g. "Normal" (block_use_names).</summary>
        private static string UseName(int use)
        {
            int type = use & 0xFFFF;
            return type < UseNames.Length ? UseNames[type] : "Unknown";
        }

        /// <summary>"Memory allocated at Sensors.cs(117)." if the header names a file.</summary>
        private void ReportAllocatedAt(int header, int reportType)
        {
            int fileLine = Get(header + H_FILELINE);
            string file = Get(header + H_USE) == BlockType.Ignore ? null : FileName(FileIndexOf(fileLine));
            if (file == null)
            {
                return;
            }

            _reporter.Begin().Append("Memory allocated at ");
            AppendFileName(file);
            _reporter.Append('(').Append(LineOf(fileLine)).Append(").");
            End(reportType);
        }

        /// <summary>
        /// A damaged guard or free fill (GuardBefore, GuardAfter, WriteAfterFree): the CRT's
        /// "HEAP CORRUPTION DETECTED" lines, then where the block was allocated.
        /// </summary>
        private void ReportDamage(DebugHeapError what, int header)
        {
            _faults++;
            Reporter r = _reporter;
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
            ReportAllocatedAt(header, ReportType.ERROR);
        }

        /// <summary>
        /// "Bad memory block found at 0x...." and what is wrong with its header (CheckMemory).
        /// </summary>
        private void ReportBadBlock(DebugHeapError what, int header)
        {
            _faults++;
            _reporter.Begin().Append("Bad memory block found at ").AppendAddress(header + HEADER_BYTES).Append('.');
            End(ReportType.ERROR);
            _reporter.Begin().Append("Block header damaged: ").Append(DebugHeapException.MessageOf(what)).Append('.');
            End(ReportType.ERROR);
        }

        /// <summary>A broken list link found at the block <paramref name="header"/> (0: the list's head).</summary>
        private void ReportList(DebugHeapError what, int header)
        {
            _faults++;
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
        }

        /// <summary>"_heapchk fails: ..." with the base heap's Validate text.</summary>
        private void ReportBaseHeap(string problem)
        {
            _faults++;
            _reporter.Begin().Append("_heapchk fails: ").Append(problem).Append('.');
            End(ReportType.ERROR);
        }

        /// <summary>"Main.cs(12) : Assertion failed: _CrtCheckMemory()" after a periodic check found damage.</summary>
        private void ReportCheckFailed(string file, int line)
        {
            _reporter.Begin();
            AppendSitePrefix(file, line);
            _reporter.Append("Assertion failed: _CrtCheckMemory()");
            End(ReportType.ASSERT);
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
            _faults++;
            Reporter r = _reporter;
            string expression = DebugHeapException.ExpressionOf(what);
            r.Begin();
            AppendSitePrefix(file, line);
            r.Append("Assertion failed: ").Append(expression);
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
        private void ReportBadBlockType(string file, int line)
        {
            _faults++;
            _reporter.Begin();
            AppendSitePrefix(file, line);
            _reporter.Append("Error: memory allocation: bad memory block type.");
            End(ReportType.ERROR);
        }

        /// <summary>"Invalid allocation size: -5 bytes." (the CRT's text) at the call site.</summary>
        private void ReportBadSize(long size, string file, int line)
        {
            _faults++;
            _reporter.Begin();
            AppendSitePrefix(file, line);
            _reporter.Append("Invalid allocation size: ").Append(size).Append(" bytes.");
            End(ReportType.ERROR);
        }

        /// <summary>The CRT's hook-failure warnings: "Client hook allocation failure at file X line N." etc.</summary>
        private void ReportHookRefused(int hookType, string file, int line)
        {
            _hookRefusals++;
            Reporter r = _reporter;
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
                    r.Append(" at file ");
                    AppendFileName(file);
                    r.Append(" line ").Append(line);
                }

                r.Append('.');
            }

            End(ReportType.WARN);
        }

        /// <summary>"SetDbgFlag(0x00000040): unknown flag bits." (the CRT's _VALIDATE_RETURN fires here).</summary>
        private void ReportBadFlag(int flag)
        {
            _faults++;
            _reporter.Begin().Append("SetDbgFlag(").AppendAddress(flag).Append("): ").Append(DebugHeapException.MessageOf(DebugHeapError.BadFlag)).Append('.');
            End(ReportType.ASSERT);
        }
    }
}
