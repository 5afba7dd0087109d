// Dumps (debug_heap.cpp's _CrtMemDumpAllObjectsSince, _CrtDumpMemoryLeaks,
// _CrtMemDumpStatistics, and the leak check at exit). The texts are the CRT's:
//
//   Detected memory leaks!
//   Dumping objects ->
//   Sensors.cs(117) : {42} normal block at 0x0000A010, 64 bytes long.
//    Data: <ABC             > 41 42 43 20 CD CD CD CD CD CD CD CD CD CD CD CD 
//   {43} client block at 0x0000A070, subtype 2, 16 bytes long.
//    Data: <                > CD CD CD CD CD CD CD CD CD CD CD CD CD CD CD CD 
//   Object dump complete.
//
// " Data:" shows the first 16 bytes (MAX_BYTES_TO_DUMP), printable ones (0x20-0x7E) between the
// angle brackets and every byte in hex, each followed by a space (so the line ends with one),
// as _printMemBlockData does. Subtypes are in lower-case hex (the CRT's %x). Blocks are listed
// newest first. Free and ignore blocks are never listed; CRT blocks only with CHECK_CRT_DF. A
// client block is shown by the dump-client hook, when one is set, instead of its Data line.
namespace Checker.Nano
{
    public sealed partial class DebugHeap
    {
        /// <summary>MAX_BYTES_TO_DUMP: the bytes of a block a dump shows.</summary>
        public const int MAX_BYTES_TO_DUMP = 16;

        /// <summary>
        /// _CrtDumpMemoryLeaks: if Normal or Client blocks (or CRT blocks with CHECK_CRT_DF) are
        /// live, reports "Detected memory leaks!" and dumps every object; returns whether it did.
        /// </summary>
        public bool DumpMemoryLeaks()
        {
            if (!_heap.ThreadSafe)
            {
                return DumpMemoryLeaksLocked();
            }

            lock (_heap.SyncRoot)
            {
                return DumpMemoryLeaksLocked();
            }
        }

        /// <summary>
        /// The leak check at exit: with LEAK_CHECK_DF set, DumpMemoryLeaks. The firmware calls it
        /// at shutdown (the CRT does at process exit); returns whether leaks were dumped.
        /// </summary>
        public bool ExitLeakCheck()
        {
            if (!_heap.ThreadSafe)
            {
                return (_flag & DbgFlag.LEAK_CHECK_DF) != 0 && DumpMemoryLeaksLocked();
            }

            lock (_heap.SyncRoot)
            {
                return (_flag & DbgFlag.LEAK_CHECK_DF) != 0 && DumpMemoryLeaksLocked();
            }
        }

        /// <summary>
        /// _CrtMemDumpAllObjectsSince: dumps the blocks allocated (or reallocated) after
        /// <paramref name="state"/> was taken; every block if it is null.
        /// </summary>
        public void MemDumpAllObjectsSince(MemState state)
        {
            if (!_heap.ThreadSafe)
            {
                DumpAllObjectsSinceLocked(state == null ? 0 : state.RequestNumber);
                return;
            }

            lock (_heap.SyncRoot)
            {
                DumpAllObjectsSinceLocked(state == null ? 0 : state.RequestNumber);
            }
        }

        /// <summary>_CrtMemDumpStatistics: bytes and blocks of each type, the high-water mark and the total.</summary>
        public void MemDumpStatistics(MemState state)
        {
            if (state == null)
            {
                throw new System.ArgumentNullException("state");
            }

            if (!_heap.ThreadSafe)
            {
                MemDumpStatisticsLocked(state);
                return;
            }

            lock (_heap.SyncRoot)
            {
                MemDumpStatisticsLocked(state);
            }
        }

        private bool DumpMemoryLeaksLocked()
        {
            try
            {
                lock (_reporter.SyncRoot)
                {
                    bool checkCrt = (_flag & DbgFlag.CHECK_CRT_DF) != 0;
                    if (_counts[BlockType.Client] == 0 && _counts[BlockType.Normal] == 0 && (!checkCrt || _counts[BlockType.Crt] == 0))
                    {
                        return false;
                    }

                    _reporter.Begin().Append("Detected memory leaks!");
                    End(ReportType.WARN);
                    DumpAllObjectsSinceLocked(0);
                    return true;
                }
            }
            catch (System.Exception e)
            {
                if (!IsDamage(e))
                {
                    throw;
                }

                ReportDamagedHeap("dump", 0, null, 0);
                return true;
            }
        }

        private void MemDumpStatisticsLocked(MemState state)
        {
            try
            {
                lock (_reporter.SyncRoot)
                {
                    Reporter r = _reporter;
                    for (int use = 0; use < BlockType.MaxBlocks; use++)
                    {
                        r.Begin().Append(state.Sizes[use]).Append(" bytes in ").Append(state.Counts[use]).Append(' ')
                            .Append(UseNames[use]).Append(" Blocks.");
                        End(ReportType.WARN);
                    }

                    r.Begin().Append("Largest number used: ").Append(state.HighWaterCount).Append(" bytes.");
                    End(ReportType.WARN);
                    r.Begin().Append("Total allocations: ").Append(state.TotalCount).Append(" bytes.");
                    End(ReportType.WARN);
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

        private void DumpAllObjectsSinceLocked(int sinceRequest)
        {
            try
            {
                lock (_reporter.SyncRoot)
                {
                    Reporter r = _reporter;
                    bool checkCrt = (_flag & DbgFlag.CHECK_CRT_DF) != 0;
                    r.Begin().Append("Dumping objects ->");
                    End(ReportType.WARN);

                    int node = _first;
                    int prev = 0;
                    int steps = 0;
                    while (node != 0)
                    {
                        if (++steps > _linkedBlocks)
                        {
                            ReportList(DebugHeapError.ListCycle, prev);
                            break;
                        }

                        if (!InHeapRange(node) || _heap.CheckLocked(node) != HeapError.None
                            || _heap.UsableSizeLocked(node) < OVERHEAD_BYTES || Get(node + H_PREV) != prev)
                        {
                            ReportList(DebugHeapError.ListDamaged, prev);
                            break;
                        }

                        DebugHeapError e = CheckHeaderFields(node);
                        if (e != DebugHeapError.None)
                        {
                            ReportBadBlock(e, node);
                        }
                        else
                        {
                            if (Get(node + H_REQUEST) <= sinceRequest)
                            {
                                break;   // the list is in request order: the rest is older
                            }

                            int use = Get(node + H_USE);
                            int type = use & 0xFFFF;
                            if (type == BlockType.Normal || type == BlockType.Client || (type == BlockType.Crt && checkCrt))
                            {
                                DumpBlock(node, use);
                            }
                        }

                        prev = node;
                        node = Get(node + H_NEXT);
                    }

                    r.Begin().Append("Object dump complete.");
                    End(ReportType.WARN);
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

        /// <summary>One block's lines: "file(line) : {n} normal block at 0x..., N bytes long." and its data.</summary>
        private void DumpBlock(int header, int use)
        {
            Reporter r = _reporter;
            int fileLine = Get(header + H_FILELINE);
            int size = Get(header + H_SIZE);
            int ptr = header + HEADER_BYTES;
            int type = use & 0xFFFF;
            r.Begin();
            string file = FileName(FileIndexOf(fileLine));
            if (file != null)
            {
                r.AppendFileName(file).Append('(').Append(LineOf(fileLine)).Append(") : ");
            }

            r.Append('{').Append(Get(header + H_REQUEST)).Append("} ");
            if (type == BlockType.Normal)
            {
                r.Append("normal block at ").AppendAddress(ptr);
            }
            else
            {
                r.Append(type == BlockType.Client ? "client block at " : "crt block at ").AppendAddress(ptr).Append(", subtype ");
                AppendLowerHex(BlockType.BLOCK_SUBTYPE(use));
            }

            r.Append(", ").Append(size).Append(" bytes long.");
            End(ReportType.WARN);

            DumpClient dump = _dumpClient;
            if (type == BlockType.Client && dump != null)
            {
                try
                {
                    dump(ptr, size);
                    return;
                }
                catch (System.Exception)
                {
                    _hookFailures++;
                }
            }

            DumpData(ptr, size);
        }

        /// <summary>_printMemBlockData: " Data: &lt;ABC &gt; 41 42 43 20 " for the first 16 bytes.</summary>
        private void DumpData(int ptr, int size)
        {
            Reporter r = _reporter;
            byte[] m = _m;
            int n = size < MAX_BYTES_TO_DUMP ? size : MAX_BYTES_TO_DUMP;
            r.Begin().Append(" Data: <");
            for (int i = 0; i < n; i++)
            {
                byte b = m[ptr + i];
                r.Append(b >= 0x20 && b < 0x7F ? (char)b : ' ');
            }

            r.Append("> ");
            for (int i = 0; i < n; i++)
            {
                r.AppendHex(m[ptr + i], 2).Append(' ');
            }

            End(ReportType.WARN);
        }

        /// <summary>printf's %x: lower-case hex without leading zeros.</summary>
        private void AppendLowerHex(int value)
        {
            int shift = 28;
            while (shift > 0 && ((value >> shift) & 0xF) == 0)
            {
                shift -= 4;
            }

            for (; shift >= 0; shift -= 4)
            {
                int d = (value >> shift) & 0xF;
                _reporter.Append((char)(d < 10 ? '0' + d : 'a' + d - 10));
            }
        }
    }
}
