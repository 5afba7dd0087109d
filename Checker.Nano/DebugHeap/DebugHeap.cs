// The debug heap: what the Microsoft CRT debug heap (UCRT debug_heap.cpp, _malloc_dbg and
// friends) gives C programmers, as a layer over the base heap. Laid out like debug_heap.cpp:
// constant data, types, state (and the lock that guards it), then one file per concern:
//   Header.cs      the block header: layout, reads and writes, the file-name table, the
//                  plausibility checks every operation starts with, linking and unlinking
//   Alloc.cs       Malloc, Calloc, MSize (_malloc_dbg, _calloc_dbg, _msize_dbg)
//   Free.cs        Free, delay-free, giving delay-freed blocks back (_free_dbg)
//   Realloc.cs     Realloc (_realloc_dbg)
//   CheckMemory.cs CheckMemory, the CHECK_EVERY_N cadence, IsValidHeapPointer, IsMemoryBlock,
//                  ReportBlockType (_CrtCheckMemory, _CrtIsValidHeapPointer, ...)
//   MemState.cs    MemState, MemCheckpoint, MemDifference (_CrtMemState, _CrtMemCheckpoint, ...)
//   Dump.cs        DumpMemoryLeaks, MemDumpAllObjectsSince, MemDumpStatistics, ExitLeakCheck
//   Hooks.cs       allocation, report, dump-client and break hooks, DoForAllClientObjects
//   Reports.cs     the text of every report line (the only place that formats them)
//   Access.cs      bounds-checked data access against the requested size
//   BlockInfo.cs   a block's header fields for the Checker layer (GetBlockInfo, FindBlock)
//   Validate.cs    DebugStats and the white-box Validate
//
// Policy. Every debug allocation of n bytes asks the base heap for n + OVERHEAD_BYTES (32) and
// lays a header, the guards and the data inside it (see Header.cs for the layout). Tracked
// blocks are linked in one doubly linked list, newest first (__acrt_first_block); the list is
// always in descending request-number order, because realloc relinks the block it returns at
// the head with its new number and delay-free leaves a block where it is. An allocation
// prepares everything (checks, request number, break, hook), then commits: base malloc, header,
// guards and fill, link. Nothing on the malloc/free path allocates managed memory unless a hook
// or a report fires.
//
// The lock is the base heap's SyncRoot (the layers share one lock); like the base heap, the
// public operations skip it when Heap.ThreadSafe is off. Hooks are called under the lock, as
// in the CRT: an allocation hook must not allocate from this heap. Checker, which holds the
// lock already for each of its operations, calls the internal entry points that assume it is
// held (AllocLocked, CallocLocked, ReallocLocked, FreeLocked, GetBlockInfoLocked,
// FillInfoKnown, ValidateLocked, StatsLocked): the same code as the public operations, without
// taking the lock a second time.
//
// With the debug layer off the base heap pays nothing: the firmware calls Heap directly (see
// README.md next to this file for the per-build and run-time switches). Blocks from one layer
// must be freed through the same layer.
namespace Checker.Nano
{
    /// <summary>
    /// Block types (debug_heap.cpp's block uses: _FREE_BLOCK, _NORMAL_BLOCK, _CRT_BLOCK,
    /// _IGNORE_BLOCK, _CLIENT_BLOCK), with the CRT's values. A block use is the type in its low
    /// 16 bits and, for client (and CRT) blocks, a 16-bit subtype in the upper bits.
    /// </summary>
    public static class BlockType
    {
        /// <summary>_FREE_BLOCK: a delay-freed block kept in the list, filled with 0xDD.</summary>
        public const int Free = 0;

        /// <summary>_NORMAL_BLOCK: an ordinary allocation.</summary>
        public const int Normal = 1;

        /// <summary>_CRT_BLOCK: the library's own allocations (Checker's layers); applications never make them.</summary>
        public const int Crt = 2;

        /// <summary>_IGNORE_BLOCK: made while ALLOC_MEM_DF is off: not linked, not checked, not reported.</summary>
        public const int Ignore = 3;

        /// <summary>_CLIENT_BLOCK: an application block with a subtype, dumped through the dump-client hook.</summary>
        public const int Client = 4;

        /// <summary>_MAX_BLOCKS: the number of block types (the length of MemState's per-type arrays).</summary>
        public const int MaxBlocks = 5;

        /// <summary>_BLOCK_TYPE(use): the type in the low 16 bits.</summary>
        public static int BLOCK_TYPE(int blockUse)
        {
            return blockUse & 0xFFFF;
        }

        /// <summary>_BLOCK_SUBTYPE(use): the subtype in the upper 16 bits.</summary>
        public static int BLOCK_SUBTYPE(int blockUse)
        {
            return (blockUse >> 16) & 0xFFFF;
        }

        /// <summary>The block use of a client block of <paramref name="subtype"/> (_CLIENT_BLOCK | subtype &lt;&lt; 16).</summary>
        public static int ClientBlock(int subtype)
        {
            return Client | (subtype << 16);
        }

        // A build-time check pins the values (debug_heap.cpp's static_asserts): a wrong value
        // makes a negative constant of type byte, which does not compile.
        private const byte PinFree = Free == 0 ? 0 : -1;
        private const byte PinNormal = Normal == 1 ? 0 : -1;
        private const byte PinCrt = Crt == 2 ? 0 : -1;
        private const byte PinIgnore = Ignore == 3 ? 0 : -1;
        private const byte PinClient = Client == 4 ? 0 : -1;
        private const byte PinMax = MaxBlocks == 5 ? 0 : -1;
    }

    /// <summary>Debug flags, with crtdbg.h's values (_CRTDBG_ALLOC_MEM_DF ...).</summary>
    public static class DbgFlag
    {
        /// <summary>_CRTDBG_ALLOC_MEM_DF: track allocations (off: new blocks are ignore blocks). On by default.</summary>
        public const int ALLOC_MEM_DF = 0x01;

        /// <summary>_CRTDBG_DELAY_FREE_MEM_DF: keep freed blocks in the list as Free blocks filled with 0xDD.</summary>
        public const int DELAY_FREE_MEM_DF = 0x02;

        /// <summary>_CRTDBG_CHECK_ALWAYS_DF: CheckMemory at every malloc, realloc and free.</summary>
        public const int CHECK_ALWAYS_DF = 0x04;

        /// <summary>_CRTDBG_CHECK_CRT_DF: count _CRT_BLOCKs in leak dumps and state differences.</summary>
        public const int CHECK_CRT_DF = 0x10;

        /// <summary>_CRTDBG_LEAK_CHECK_DF: ExitLeakCheck dumps leaks.</summary>
        public const int LEAK_CHECK_DF = 0x20;

        /// <summary>_CRTDBG_CHECK_EVERY_16_DF: CheckMemory every 16 heap operations (the frequency lives in the upper 16 bits).</summary>
        public const int CHECK_EVERY_16_DF = 0x00100000;

        /// <summary>_CRTDBG_CHECK_EVERY_128_DF.</summary>
        public const int CHECK_EVERY_128_DF = 0x00800000;

        /// <summary>_CRTDBG_CHECK_EVERY_1024_DF.</summary>
        public const int CHECK_EVERY_1024_DF = 0x04000000;

        /// <summary>_CRTDBG_CHECK_DEFAULT_DF: no periodic check.</summary>
        public const int CHECK_DEFAULT_DF = 0;

        /// <summary>_CRTDBG_REPORT_FLAG: SetDbgFlag(REPORT_FLAG) returns the flag without changing it.</summary>
        public const int REPORT_FLAG = -1;

        /// <summary>The low-16-bit flags SetDbgFlag accepts; others make it refuse.</summary>
        public const int VALID_BITS = ALLOC_MEM_DF | DELAY_FREE_MEM_DF | CHECK_ALWAYS_DF | CHECK_CRT_DF | LEAK_CHECK_DF;
    }

    /// <summary>Allocation hook operation codes (_HOOK_ALLOC, _HOOK_REALLOC, _HOOK_FREE).</summary>
    public static class HookType
    {
        /// <summary>_HOOK_ALLOC.</summary>
        public const int ALLOC = 1;

        /// <summary>_HOOK_REALLOC.</summary>
        public const int REALLOC = 2;

        /// <summary>_HOOK_FREE.</summary>
        public const int FREE = 3;
    }

    /// <summary>Report types (_CRT_WARN, _CRT_ERROR, _CRT_ASSERT).</summary>
    public static class ReportType
    {
        /// <summary>_CRT_WARN: dumps, statistics, hook failures.</summary>
        public const int WARN = 0;

        /// <summary>_CRT_ERROR: heap corruption found.</summary>
        public const int ERROR = 1;

        /// <summary>_CRT_ASSERT: a bad pointer or a failed check on a heap call.</summary>
        public const int ASSERT = 2;
    }

    /// <summary>
    /// _CRT_ALLOC_HOOK: called before every allocation, reallocation and free with
    /// <paramref name="allocType"/> one of <see cref="HookType"/>. <paramref name="userData"/> is
    /// the block's pointer (0 for ALLOC). Returning false makes the operation fail.
    /// </summary>
    public delegate bool AllocHook(int allocType, int userData, int size, int blockUse, int requestNumber, string file, int line);

    /// <summary>
    /// _CRT_REPORT_HOOK: sees every report line (without its newline) before it is printed;
    /// returning true consumes it. The string is only made when a hook is installed.
    /// </summary>
    public delegate bool ReportHook(int reportType, string message);

    /// <summary>_CRT_DUMP_CLIENT: dumps a client block in place of the " Data:" line.</summary>
    public delegate void DumpClient(int userData, int size);

    /// <summary>The callback of DoForAllClientObjects (_CrtDoForAllClientObjects).</summary>
    public delegate void ClientObjectCallback(int userData, object context);

    /// <summary>Called when the allocation request set with SetBreakAlloc happens (_CrtDbgBreak).</summary>
    public delegate void BreakHook(int requestNumber, string file, int line);

    /// <summary>
    /// The CRT debug heap over a <see cref="BaseHeap"/> of either policy: block headers, guards and fills, block
    /// types, integrity checks, checkpoints and leak dumps, reported through a <see cref="Reporter"/>.
    /// </summary>
    public sealed partial class DebugHeap
    {
        // ---- Constant data ---------------------------------------------------------------

        /// <summary>no_mans_land_size: guard bytes before and after the data.</summary>
        public const int NO_MANS_LAND_SIZE = 4;

        /// <summary>Header bytes before the data, the leading guard included (the data starts here).</summary>
        public const int HEADER_BYTES = 28;

        /// <summary>The whole per-block overhead: header, leading and trailing guard (the CRT's is 36 on 32-bit targets).</summary>
        public const int OVERHEAD_BYTES = HEADER_BYTES + NO_MANS_LAND_SIZE;

        /// <summary>
        /// no_mans_land_fill (0xFD): the guards. Not a valid small int, float or pointer in most
        /// data, so an overrun rarely writes it back by chance.
        /// </summary>
        public const byte NO_MANS_LAND_FILL = 0xFD;

        /// <summary>
        /// dead_land_fill (0xDD): freed memory. A stale pointer read through it gives an odd,
        /// easily spotted value; delay-freed blocks are checked for it.
        /// </summary>
        public const byte DEAD_LAND_FILL = 0xDD;

        /// <summary>
        /// clean_land_fill (0xCD): new memory, so code that reads before it writes sees a
        /// recognisable value and not the previous owner's data (or zero, which hides bugs).
        /// </summary>
        public const byte CLEAN_LAND_FILL = 0xCD;

        /// <summary>
        /// align_land_fill (0xED): the CRT's fill of the gap before an aligned block. No aligned
        /// allocation is offered here (offsets into a byte[] need no alignment); the value is
        /// kept for reference.
        /// </summary>
        public const byte ALIGN_LAND_FILL = 0xED;

        /// <summary>The default size of the file-name table.</summary>
        public const int DefaultFileNameCapacity = 32;

        /// <summary>The largest file-name table (file indices are 12 bits; 4077 and up are marks).</summary>
        public const int MaxFileNameCapacity = 4000;

        private static readonly string[] UseNames = { "Free", "Normal", "CRT", "Ignore", "Client" };   // block_use_names

        // ---- State (guarded by _heap.SyncRoot) ---------------------------------------------

        private readonly BaseHeap _heap;
        private readonly object _sync;              // _heap.SyncRoot (it never changes), for the traced operations
        private int _heapStart;                     // _heap.HeapStart once FreeLocked has needed it (0: not yet); the
                                                    // arena is the heap's own, so its first byte never moves, Reset or not
        private readonly byte[] _m;
        private readonly Reporter _reporter;
        private readonly string[] _files;     // index 0 unused: file index 0 means "no file"
        private int _fileCount;
        private string _lastFile;             // FileIndex's last answer (null: index 0)
        private int _lastFileIndex;

        private int _flag = DbgFlag.ALLOC_MEM_DF;   // _crtDbgFlag
        private int _checkFrequency;                // __acrt_check_frequency (0: never)
        private int _checkCounter;                  // __acrt_check_counter
        private int _nextRequest = 1;               // __acrt_current_request_number
        private int _breakAlloc = -1;               // _crtBreakAlloc
        private int _first;                         // __acrt_first_block: newest header, 0 = none
        private int _last;                          // __acrt_last_block: oldest header

        // Per-type counts and requested bytes of the linked blocks (what MemCheckpoint copies;
        // Validate recounts them), and the CRT's running totals.
        private readonly int[] _counts = new int[BlockType.MaxBlocks];
        private readonly int[] _sizes = new int[BlockType.MaxBlocks];
        private int _linkedBlocks;                  // blocks in the list, Free blocks included
        private int _currentBytes;                  // __acrt_current_allocations
        private int _highWaterBytes;                // __acrt_max_allocations
        private long _totalBytes;                   // __acrt_total_allocations

        // Ours: statistics of the layer (DebugStats).
        private int _ignoreBlocks;
        private int _ignoreBytes;
        private int _unknownFiles;
        private int _checks;
        private int _autoChecks;
        private int _faults;
        private int _reportsConsumed;
        private int _hookRefusals;
        private int _hookFailures;
        private int _breaks;
        private int _released;

        // AllocLocked's template: a header (file|line, use, next, prev 0, size, request), its
        // leading guard and FillChunk bytes of 0xCD, copied into the arena in one Array.Copy; the
        // _t fields say what its header words hold now, so that only changed words are rewritten.
        private readonly byte[] _template = NewTemplate();
        private int _tFileLine;
        private int _tUse;
        private int _tNext;
        private int _tSize;
        private int _tRequest;

        // Whether Malloc and Free must take the general way (AllocChecked, FreeChecked): a periodic
        // check, an allocation hook, a break request, ALLOC_MEM_DF off or DELAY_FREE_MEM_DF on.
        // One field for the fast paths to test; every setter of those calls UpdateGeneral.
        private bool _general;

        private AllocHook _allocHook;
        private ReportHook _reportHook;
        private DumpClient _dumpClient;
        private BreakHook _breakHook;
        private DebugHeapError _lastError;

        /// <summary>A debug heap over <paramref name="heap"/> reporting to <paramref name="reporter"/>, with a 32-entry file-name table.</summary>
        public DebugHeap(BaseHeap heap, Reporter reporter) : this(heap, reporter, DefaultFileNameCapacity)
        {
        }

        /// <summary>
        /// A debug heap over <paramref name="heap"/> reporting to <paramref name="reporter"/>.
        /// <paramref name="fileNameCapacity"/> distinct source files can be named in block headers
        /// (allocated here, once); allocations from further files show an unknown file and are counted.
        /// </summary>
        public DebugHeap(BaseHeap heap, Reporter reporter, int fileNameCapacity)
        {
            if (heap == null)
            {
                throw new System.ArgumentNullException("heap");
            }

            if (reporter == null)
            {
                throw new System.ArgumentNullException("reporter");
            }

            if (fileNameCapacity < 1 || fileNameCapacity > MaxFileNameCapacity)
            {
                throw new System.ArgumentOutOfRangeException("fileNameCapacity", "fileNameCapacity must be between 1 and 4000");
            }

            _heap = heap;
            _sync = heap.SyncRoot;
            _m = heap.Memory;
            _reporter = reporter;
            _files = new string[fileNameCapacity + 1];
        }

        /// <summary>The base heap under this layer (either policy).</summary>
        public BaseHeap Heap
        {
            get { return _heap; }
        }

        /// <summary>The reporter every line goes through.</summary>
        public Reporter Reporter
        {
            get { return _reporter; }
        }

        /// <summary>The arena's bytes: a block's data is (Memory, ptr, MSize(ptr)), its guards the 4 bytes either side.</summary>
        public byte[] Memory
        {
            get { return _m; }
        }

        /// <summary>
        /// The result of the most recent operation (None, or why it failed or what it reported).
        /// Meaningful for single-threaded firmware or under <see cref="Heap.SyncRoot"/>.
        /// </summary>
        public DebugHeapError LastError
        {
            get { return _lastError; }
        }

        /// <summary>The request number the next allocation will get (_CrtGetRequestNumber... in spirit: __acrt_current_request_number).</summary>
        public int NextRequestNumber
        {
            get { return _nextRequest; }
        }

        /// <summary>
        /// _CrtSetDbgFlag: sets the flag and returns the old one; REPORT_FLAG only reads it.
        /// Unknown bits in the low 16 make it refuse (reported, nothing changed). Setting it
        /// restarts the CHECK_EVERY_N count.
        /// </summary>
        public int SetDbgFlag(int newFlag)
        {
            if (!_heap.ThreadSafe)
            {
                return SetDbgFlagLocked(newFlag);
            }

            lock (_heap.SyncRoot)
            {
                return SetDbgFlagLocked(newFlag);
            }
        }

        /// <summary>The current flag (SetDbgFlag(REPORT_FLAG)).</summary>
        public int GetDbgFlag()
        {
            return SetDbgFlag(DbgFlag.REPORT_FLAG);
        }

        private void UpdateGeneral()
        {
            _general = _checkFrequency != 0 || _allocHook != null || _breakAlloc != -1
                || (_flag & (DbgFlag.ALLOC_MEM_DF | DbgFlag.DELAY_FREE_MEM_DF)) != DbgFlag.ALLOC_MEM_DF;
        }

        private int SetDbgFlagLocked(int newFlag)
        {
            int old = _flag;
            if (newFlag == DbgFlag.REPORT_FLAG)
            {
                return old;
            }

            if ((newFlag & 0xFFFF & ~DbgFlag.VALID_BITS) != 0)
            {
                _lastError = DebugHeapError.BadFlag;
                ReportBadFlag(newFlag);
                return old;
            }

            _flag = newFlag;
            _checkFrequency = (newFlag & DbgFlag.CHECK_ALWAYS_DF) != 0 ? 1 : (newFlag >> 16) & 0xFFFF;
            _checkCounter = 0;
            UpdateGeneral();
            _lastError = DebugHeapError.None;
            return old;
        }
    }
}
