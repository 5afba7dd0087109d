// The debug layer's statistics (DebugStats) and its white-box Validate.
//
// Validate checks the layer's own invariants, not the application's behaviour: the list walked
// from the newest block by next links and from the oldest by prev links meets the same blocks,
// each a live base block with a plausible header, in strictly descending request order; the
// per-type counts and sizes recounted from the walk equal the ones every operation keeps (what
// MemCheckpoint copies), and the live bytes equal the CRT's current total; then the base heap's
// Validate. Guards and fills are the application's to damage: CheckMemory reports those, and
// Validate ignores them. Every walk is bounded, so a damaged list ends.
namespace Checker.Nano
{
    /// <summary>A snapshot of the debug layer's statistics.</summary>
    public sealed class DebugStats
    {
        /// <summary>The request number the next allocation gets.</summary>
        public int NextRequestNumber;

        /// <summary>Blocks in the list (live tracked blocks and delay-freed Free blocks).</summary>
        public int LinkedBlocks;

        /// <summary>Delay-freed Free blocks held, and their requested bytes.</summary>
        public int FreeBlocks;

        /// <summary>Requested bytes of the Free blocks held.</summary>
        public int FreeBytes;

        /// <summary>Live ignore blocks (not linked) and their requested bytes.</summary>
        public int IgnoreBlocks;

        /// <summary>Requested bytes of the live ignore blocks.</summary>
        public int IgnoreBytes;

        /// <summary>__acrt_current_allocations: requested bytes of live tracked blocks.</summary>
        public int CurrentBytes;

        /// <summary>__acrt_max_allocations: the most requested bytes live at once.</summary>
        public int HighWaterBytes;

        /// <summary>__acrt_total_allocations: every byte ever requested.</summary>
        public long TotalBytes;

        /// <summary>Header and guard bytes of every block the layer holds (OVERHEAD_BYTES each).</summary>
        public int OverheadBytes;

        /// <summary>Entries used in the file-name table, and its capacity.</summary>
        public int FileNames;

        /// <summary>The file-name table's capacity.</summary>
        public int FileNameCapacity;

        /// <summary>Allocations whose file did not fit the table (shown as an unknown file).</summary>
        public int UnknownFileAllocations;

        /// <summary>CheckMemory runs, and those made by the CHECK_EVERY_N cadence.</summary>
        public int Checks;

        /// <summary>CheckMemory runs made by the cadence.</summary>
        public int AutomaticChecks;

        /// <summary>Faults reported (bad pointers, damaged guards, fills, headers, lists, sizes, types).</summary>
        public int Faults;

        /// <summary>Report lines the report hook consumed.</summary>
        public int ReportsConsumed;

        /// <summary>Operations the allocation hook refused.</summary>
        public int HookRefusals;

        /// <summary>Hooks that threw (the operation went on).</summary>
        public int HookFailures;

        /// <summary>Times the break request came up.</summary>
        public int Breaks;

        /// <summary>Delay-freed blocks given back to the base heap.</summary>
        public int ReleasedFreeBlocks;

        /// <summary>One line, e.g. for a console.</summary>
        public override string ToString()
        {
            return "debug heap: " + LinkedBlocks.ToString() + " linked blocks (" + FreeBlocks.ToString() + " free, "
                + FreeBytes.ToString() + " bytes), " + IgnoreBlocks.ToString() + " ignore blocks (" + IgnoreBytes.ToString()
                + " bytes); current " + CurrentBytes.ToString() + ", largest " + HighWaterBytes.ToString() + ", total "
                + TotalBytes.ToString() + " bytes; overhead " + OverheadBytes.ToString() + " bytes; files "
                + FileNames.ToString() + "/" + FileNameCapacity.ToString() + " (" + UnknownFileAllocations.ToString()
                + " unknown); next request " + NextRequestNumber.ToString() + "; checks " + Checks.ToString() + " ("
                + AutomaticChecks.ToString() + " automatic), faults " + Faults.ToString();
        }
    }

    public sealed partial class DebugHeap
    {
        /// <summary>The layer's statistics now.</summary>
        public DebugStats Stats()
        {
            lock (_heap.SyncRoot)
            {
                return StatsLocked();
            }
        }

        /// <summary>Stats with the lock held by the caller (Checker's entry point).</summary>
        public DebugStats StatsLocked()
        {
            DebugStats s = new DebugStats();
            s.NextRequestNumber = _nextRequest;
            s.LinkedBlocks = _linkedBlocks;
            s.FreeBlocks = _counts[BlockType.Free];
            s.FreeBytes = _sizes[BlockType.Free];
            s.IgnoreBlocks = _ignoreBlocks;
            s.IgnoreBytes = _ignoreBytes;
            s.CurrentBytes = _currentBytes;
            s.HighWaterBytes = _highWaterBytes;
            s.TotalBytes = _totalBytes;
            s.OverheadBytes = (_linkedBlocks + _ignoreBlocks) * OVERHEAD_BYTES;
            s.FileNames = _fileCount;
            s.FileNameCapacity = _files.Length - 1;
            s.UnknownFileAllocations = _unknownFiles;
            s.Checks = _checks;
            s.AutomaticChecks = _autoChecks;
            s.Faults = _faults;
            s.ReportsConsumed = _reportsConsumed;
            s.HookRefusals = _hookRefusals;
            s.HookFailures = _hookFailures;
            s.Breaks = _breaks;
            s.ReleasedFreeBlocks = _released;
            return s;
        }

        /// <summary>Checks every invariant of the layer, then the base heap's; null if all hold, else what is wrong and where.</summary>
        public string Validate()
        {
            lock (_heap.SyncRoot)
            {
                return ValidateLocked();
            }
        }

        /// <summary>Validate with the lock held by the caller (Checker's entry point).</summary>
        public string ValidateLocked()
        {
            try
            {
                string problem = ValidateList();
                return problem != null ? problem : _heap.Validate();
            }
            catch (System.IndexOutOfRangeException)
            {
                return "a debug header link points outside the arena";
            }
        }

        private string ValidateList()
        {
            int[] counts = new int[BlockType.MaxBlocks];
            int[] sizes = new int[BlockType.MaxBlocks];
            int live = 0;

            // 1. Newest to oldest by next links.
            int node = _first;
            int prev = 0;
            int steps = 0;
            int lastRequest = int.MaxValue;
            while (node != 0)
            {
                if (++steps > _linkedBlocks)
                {
                    return "debug list: more than the " + _linkedBlocks.ToString() + " linked blocks counted (cycle?)";
                }

                string where = "debug block " + Bytes.Hex8(node + HEADER_BYTES);
                if (!InHeapRange(node) || _heap.CheckLocked(node) != HeapError.None)
                {
                    return where + ": not a live heap block";
                }

                if (Get(node + H_PREV) != prev)
                {
                    return where + ": prev is " + Bytes.Hex8(Get(node + H_PREV)) + ", expected " + Bytes.Hex8(prev);
                }

                DebugHeapError e = CheckHeaderFields(node);
                if (e != DebugHeapError.None)
                {
                    return where + ": " + DebugHeapException.MessageOf(e);
                }

                int use = Get(node + H_USE);
                int request = Get(node + H_REQUEST);
                if (request == 0 && use == BlockType.Ignore)
                {
                    return where + ": an ignore block is linked";
                }

                string order = OrderProblem(node, request, lastRequest);
                if (order != null)
                {
                    return order;
                }

                lastRequest = request;
                int size = Get(node + H_SIZE);
                counts[use & 0xFFFF]++;
                sizes[use & 0xFFFF] += size;
                if (use != BlockType.Free)
                {
                    live += size;
                }

                prev = node;
                node = Get(node + H_NEXT);
            }

            if (prev != _last)
            {
                return "debug list: ends at " + Bytes.Hex8(prev) + " but the last block is " + Bytes.Hex8(_last);
            }

            if (steps != _linkedBlocks)
            {
                return "debug list: " + steps.ToString() + " blocks linked, " + _linkedBlocks.ToString() + " counted";
            }

            // 2. Oldest to newest by prev links: the same blocks.
            node = _last;
            int next = 0;
            steps = 0;
            while (node != 0)
            {
                if (++steps > _linkedBlocks)
                {
                    return "debug list backwards: more than the " + _linkedBlocks.ToString() + " linked blocks counted (cycle?)";
                }

                if (!InHeapRange(node) || Get(node + H_NEXT) != next)
                {
                    return "debug list backwards: block " + Bytes.Hex8(node + HEADER_BYTES) + " has next " + Bytes.Hex8(Get(node + H_NEXT)) + ", expected " + Bytes.Hex8(next);
                }

                next = node;
                node = Get(node + H_PREV);
            }

            if (next != _first || steps != _linkedBlocks)
            {
                return "debug list backwards: reached " + Bytes.Hex8(next) + " after " + steps.ToString() + " blocks, expected " + Bytes.Hex8(_first);
            }

            // 3. The kept statistics against the recount.
            return StatisticsProblem(counts, sizes, live);
        }

        /// <summary>
        /// The list runs newest first: a block's request number below the newer block's (the counter
        /// stops at int.MaxValue, which may repeat). Null, or what is wrong at <paramref name="node"/>.
        /// Shared with CheckMemory, which reports it.
        /// </summary>
        private static string OrderProblem(int node, int request, int newer)
        {
            if (request < newer || request == int.MaxValue)
            {
                return null;
            }

            return "debug block " + Bytes.Hex8(node + HEADER_BYTES) + ": request " + request.ToString() + " after " + newer.ToString() + " (not newest first)";
        }

        /// <summary>
        /// The per-type counts and requested bytes (and the live bytes) recounted from the list
        /// against the ones every operation keeps: null, or the first that differs. Shared with
        /// CheckMemory, where a difference is a header whose block use or size was damaged.
        /// </summary>
        private string StatisticsProblem(int[] counts, int[] sizes, int live)
        {
            for (int use = 0; use < BlockType.MaxBlocks; use++)
            {
                if (counts[use] != _counts[use] || sizes[use] != _sizes[use])
                {
                    return "statistics: " + UseNames[use] + " blocks counted " + counts[use].ToString() + " (" + sizes[use].ToString()
                        + " bytes), kept " + _counts[use].ToString() + " (" + _sizes[use].ToString() + " bytes)";
                }
            }

            if (live != _currentBytes || _currentBytes > _highWaterBytes || _highWaterBytes > _totalBytes)
            {
                return "statistics: " + live.ToString() + " live bytes counted, current " + _currentBytes.ToString()
                    + ", largest " + _highWaterBytes.ToString() + ", total " + _totalBytes.ToString();
            }

            return null;
        }
    }
}
