// Checker: Tristan Gingold's memory checker, as the seed ("how malloc and checker work")
// describes it, layered on the debug heap. Checker gives every byte of the firmware's memory
// map two bits of access state (unavailable, read-only, write-only, read-write), checks every
// access made through its accessors against them, keeps freed blocks unavailable for a while
// (aging) so that uses after free are caught, and finds garbage: blocks no pointer in the data
// zone, the live stack or a reachable block refers to.
//
// One file per concern:
//   CheckerHeap.cs  state, construction, the lock
//   MemoryMap.cs    the zones (null, maps, data, heap, stack) and the layout computed from the board's sizes
//   Bitmap.cs       two bits per byte and the block map (one byte per granule), both in the arena
//   Access.cs       checked reads and writes by absolute address
//   Stack.cs        stack frames, slots and their checks
//   Alloc.cs        malloc, calloc, realloc, free over the debug heap
//   Aging.cs        the queue of freed blocks kept unavailable before they are given back
//   Errors.cs       the error enum, codes and messages
//   Options.cs      the options string (CHECKEROPTS) and suppressions
//   Report.cs       the text and records of every error report (the only place that formats them)
//   Garbage.cs      the garbage detector (marking)
//   Families.cs     grouping blocks by allocation site and the garbage, evolution and in-use reports
//   Validate.cs     the white-box Validate and CheckMemory
//   CheckerSection.cs  Checker's part of a HeapReport dump
//   Demo.cs         deliberate bugs in a few lines (CheckerDemo)
//
// Locking: the layers share the base heap's SyncRoot; like the layers below, the public
// operations skip it when Heap.ThreadSafe is off. Each operation takes it once and calls the
// debug heap's internal entry points that assume it is held (AllocLocked, FreeLocked,
// ReallocLocked, GetBlockInfoLocked, ...), not its public ones, which would take it again.
// Reports take the reporter's lock after it.
// Every block must be allocated and freed through Checker (not the debug heap or the base heap
// directly), or the maps will not know it.
namespace Checker.Nano
{
    /// <summary>
    /// Checker over a <see cref="DebugHeap"/>: a memory map with data, heap and stack zones,
    /// access-state bitmaps, checked accesses, aging of freed blocks and the garbage detector,
    /// reported through a <see cref="Reporter"/>.
    /// </summary>
    public sealed partial class CheckerHeap
    {
        private readonly byte[] _m;
        private readonly Arena _arena;
        private readonly BaseHeap _heap;
        private readonly DebugHeap _debug;
        private readonly Reporter _reporter;
        private readonly object _sync;
        private readonly BlockInfo _info = new BlockInfo();     // reused by every query of a block's header

        private bool _inCall;                   // malloc/realloc/free is running (rec)
        private CheckerError _lastError;        // the last error found (reported or suppressed)
        private readonly int[] _errorCounts = new int[CheckerErrors.Count];
        private int _suppressed;

        // Live blocks (allocated through Checker and not freed; aged blocks are not live).
        private int _liveBlocks;
        private int _liveBytes;

        /// <summary>
        /// Checker over a new arena on <paramref name="memory"/> (a multiple of 8 bytes) with
        /// <paramref name="blockSize"/>-byte blocks, a data zone of <paramref name="dataBytes"/> and a
        /// stack zone of <paramref name="stackBytes"/>, with a 32-entry file-name table.
        /// </summary>
        public CheckerHeap(byte[] memory, int blockSize, int dataBytes, int stackBytes, Reporter reporter)
            : this(memory, blockSize, dataBytes, stackBytes, reporter, DebugHeap.DefaultFileNameCapacity)
        {
        }

        /// <summary>
        /// Checker over a new arena on <paramref name="memory"/> with the seed's base heap (see the
        /// overload with a <see cref="HeapMaker"/>).
        /// </summary>
        public CheckerHeap(byte[] memory, int blockSize, int dataBytes, int stackBytes, Reporter reporter, int fileNameCapacity)
            : this(memory, blockSize, dataBytes, stackBytes, reporter, fileNameCapacity, null)
        {
        }

        /// <summary>
        /// Checker over a new arena on <paramref name="memory"/>: computes the memory map (see
        /// MemoryMap.cs), makes the arena, the base heap (<paramref name="makeHeap"/>, e.g.
        /// CompactHeap.Make for the Compact policy; null: the seed's Heap) and the debug heap over
        /// it, and marks the data zone read-write (it starts zeroed, like .bss). Everything Checker
        /// needs per operation is allocated here; the detector's work arrays grow with the number
        /// of blocks.
        /// </summary>
        public CheckerHeap(byte[] memory, int blockSize, int dataBytes, int stackBytes, Reporter reporter, int fileNameCapacity, HeapMaker makeHeap)
        {
            if (memory == null)
            {
                throw new System.ArgumentNullException("memory");
            }

            if (reporter == null)
            {
                throw new System.ArgumentNullException("reporter");
            }

            if ((memory.Length & 7) != 0)
            {
                throw new System.ArgumentException("the arena's length must be a multiple of 8", "memory");
            }

            if (dataBytes < 0)
            {
                throw new System.ArgumentOutOfRangeException("dataBytes", "dataBytes must not be negative");
            }

            if (stackBytes < 0)
            {
                throw new System.ArgumentOutOfRangeException("stackBytes", "stackBytes must not be negative");
            }

            if (blockSize < 2 * BaseHeap.GRANULE || (blockSize & (blockSize - 1)) != 0 || blockSize > BaseHeap.MAX_BLOCKSIZE)
            {
                throw new System.ArgumentOutOfRangeException("blockSize", "BLOCKSIZE must be a power of two from 16 to 64 KiB");
            }

            _m = memory;
            ComputeLayout(memory.Length, blockSize, dataBytes, stackBytes);
            _arena = new Arena(memory, _heapStart);
            _arena.SetLimit(_stackLimit);
            _heap = makeHeap == null ? new Heap(_arena, blockSize) : makeHeap(_arena, blockSize);
            if (_heap == null || _heap.Arena != _arena)
            {
                throw new System.ArgumentException("makeHeap must return a new heap over the arena it is given", "makeHeap");
            }

            _debug = new DebugHeap(_heap, reporter, fileNameCapacity);
            _reporter = reporter;
            _sync = _heap.SyncRoot;
            _sp = _stackTop;
            SetStates(_dataStart, _dataEnd - _dataStart, AccessState.ReadWrite);
            ResetOptions();
        }

        /// <summary>The debug heap under Checker (block headers, request numbers, sites).</summary>
        public DebugHeap DebugHeap
        {
            get { return _debug; }
        }

        /// <summary>The base heap (either policy).</summary>
        public BaseHeap Heap
        {
            get { return _heap; }
        }

        /// <summary>The arena (its Start is the heap's start, its Limit the stack zone's bottom).</summary>
        public Arena Arena
        {
            get { return _arena; }
        }

        /// <summary>The reporter every line goes through.</summary>
        public Reporter Reporter
        {
            get { return _reporter; }
        }

        /// <summary>The arena's bytes. Writes made here directly are not checked and not seen by the bitmap.</summary>
        public byte[] Memory
        {
            get { return _m; }
        }

        /// <summary>The last error found (reported or suppressed), None if none since <see cref="ClearErrors"/>.</summary>
        public CheckerError LastError
        {
            get { return _lastError; }
        }

        /// <summary>How many errors of <paramref name="error"/> were reported (suppressed ones are not counted).</summary>
        public int ErrorCount(CheckerError error)
        {
            int i = (int)error;
            return i > 0 && i < _errorCounts.Length ? _errorCounts[i] : 0;
        }

        /// <summary>How many errors were reported, all codes together.</summary>
        public int TotalErrors
        {
            get
            {
                int n = 0;
                for (int i = 1; i < _errorCounts.Length; i++)
                {
                    n += _errorCounts[i];
                }

                return n;
            }
        }

        /// <summary>How many errors were found but not reported because a suppression matched.</summary>
        public int SuppressedErrors
        {
            get { return _suppressed; }
        }

        /// <summary>Forgets the error counts and LastError.</summary>
        public void ClearErrors()
        {
            lock (_sync)
            {
                for (int i = 0; i < _errorCounts.Length; i++)
                {
                    _errorCounts[i] = 0;
                }

                _suppressed = 0;
                _lastError = CheckerError.None;
            }
        }

        /// <summary>Live blocks: allocated through Checker and not freed (aged blocks are not counted).</summary>
        public int LiveBlocks
        {
            get { return _liveBlocks; }
        }

        /// <summary>Bytes requested by the live blocks (the "bytes in use" of the garbage report).</summary>
        public int LiveBytes
        {
            get { return _liveBytes; }
        }
    }
}
