// The debug heap's part of a HeapReport dump (Reporter/ReportSection.cs, PROTOCOL.md): register
// it with report.AddSection(new DebugHeapSection(debugHeap)) and every dump 'D' and leak dump
// 'L' carries the debug heap's state, and command 'C' runs CheckMemory.
//   text pass:    the CRT's statistics of the current state (MemDumpStatistics) and the CRT's
//                 leak dump (DumpMemoryLeaks), or "No memory leaks detected." (ours: the CRT
//                 prints nothing, but a dump should say it looked);
//   records pass: one TYPE per block type, PEAK, one LEAK per block the leak dump lists (same
//                 selection: Normal and Client blocks, CRT blocks with CHECK_CRT_DF), newest first,
//                 with the first 16 bytes;
//   check:        CheckMemory (each fault reported in text and as an ERR record), then
//                 "[check] debug: ok" or "[check] debug: N problem(s)" and a CHECK record.
// The report holds the heap's lock, then the reporter's, while it calls the section; the debug
// heap takes the same locks again (both are reentrant), in the same order. The records pass walks
// the list quietly: a damaged list ends it without a report (the text pass or a check reports it).
namespace Checker.Nano
{
    /// <summary>The debug heap's section of a heap dump (kind Leaks).</summary>
    public sealed class DebugHeapSection : ReportSection
    {
        private readonly DebugHeap _debug;

        /// <summary>The section of <paramref name="debug"/>.</summary>
        public DebugHeapSection(DebugHeap debug)
        {
            if (debug == null)
            {
                throw new System.ArgumentNullException("debug");
            }

            _debug = debug;
        }

        /// <summary>Leaks: dumped by 'D' and 'L'.</summary>
        public override int Kind
        {
            get { return Leaks; }
        }

        /// <summary>The statistics of the current state and the leak dump, in the CRT's text.</summary>
        public override void WriteText(Reporter reporter)
        {
            _debug.WriteSectionText();
        }

        /// <summary>TYPE, PEAK and LEAK records.</summary>
        public override void WriteRecords(Reporter reporter)
        {
            _debug.WriteSectionRecords();
        }

        /// <summary>CheckMemory; returns the number of faults it reported.</summary>
        public override int Check(Reporter reporter)
        {
            return _debug.CheckForReport();
        }
    }

    public sealed partial class DebugHeap
    {
        private MemState _sectionState;

        internal void WriteSectionText()
        {
            lock (_heap.SyncRoot)
            {
                lock (_reporter.SyncRoot)
                {
                    if (_sectionState == null)
                    {
                        _sectionState = new MemState();
                    }

                    MemCheckpointLocked(_sectionState);
                    MemDumpStatisticsLocked(_sectionState);
                    if (!DumpMemoryLeaksLocked())
                    {
                        _reporter.Begin().Append("No memory leaks detected.");
                        End(ReportType.WARN);
                    }
                }
            }
        }

        internal void WriteSectionRecords()
        {
            lock (_heap.SyncRoot)
            {
                Reporter r = _reporter;
                lock (r.SyncRoot)
                {
                    for (int use = 0; use < BlockType.MaxBlocks; use++)
                    {
                        Records.BlockType(r, use, UseNames[use], -1, _counts[use], _sizes[use]);
                    }

                    Records.Peak(r, _highWaterBytes, _totalBytes, _nextRequest - 1);
                    try
                    {
                        bool checkCrt = (_flag & DbgFlag.CHECK_CRT_DF) != 0;
                        int node = _first;
                        int prev = 0;
                        int steps = 0;
                        while (node != 0 && ++steps <= _linkedBlocks && InHeapRange(node)
                            && _heap.CheckLocked(node) == HeapError.None && _heap.UsableSizeLocked(node) >= OVERHEAD_BYTES
                            && Get(node + H_PREV) == prev)
                        {
                            if (CheckHeaderFields(node) == DebugHeapError.None)
                            {
                                int use = Get(node + H_USE);
                                int type = use & 0xFFFF;
                                if (type == BlockType.Normal || type == BlockType.Client || (type == BlockType.Crt && checkCrt))
                                {
                                    int size = Get(node + H_SIZE);
                                    int fileLine = Get(node + H_FILELINE);
                                    string file = FileName(FileIndexOf(fileLine));
                                    Records.Leak(r, Get(node + H_REQUEST), type, type == BlockType.Normal ? -1 : BlockType.BLOCK_SUBTYPE(use),
                                        size, node + HEADER_BYTES, file, file == null ? -1 : LineOf(fileLine), _m, node + HEADER_BYTES,
                                        size < MAX_BYTES_TO_DUMP ? size : MAX_BYTES_TO_DUMP);
                                }
                            }

                            prev = node;
                            node = Get(node + H_NEXT);
                        }
                    }
                    catch (System.Exception e)
                    {
                        if (!IsDamage(e))
                        {
                            throw;
                        }

                        ReportDamagedHeap("dump", 0, null, 0);
                    }
                }
            }
        }

        internal int CheckForReport()
        {
            lock (_heap.SyncRoot)
            {
                Reporter r = _reporter;
                lock (r.SyncRoot)
                {
                    int before = _faults;
                    CheckMemoryLocked();
                    int problems = _faults - before;
                    r.Begin().Append("[check] debug: ");
                    if (problems == 0)
                    {
                        r.Append("ok");
                    }
                    else
                    {
                        r.Append(problems).Append(" problem(s)");
                    }

                    End(ReportType.WARN);
                    Records.Check(r, "debug", problems, null);
                    return problems;
                }
            }
        }
    }
}
