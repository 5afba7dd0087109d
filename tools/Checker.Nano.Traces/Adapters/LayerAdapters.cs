// The layers above the base heap as replay targets, so a trace can be replayed on what a board
// really runs: the debug heap (32 bytes of header and guard per block, request numbers, fills)
// and Checker (the debug heap plus access bitmaps and aging of freed blocks, all in the arena).
// Each keeps its offsets per trace id like HeapAdapter; reports (out of memory, ...) go to a
// reporter whose sink discards them. Begin makes a fresh layer over a fresh (zeroed) arena, since
// neither layer has a Reset; the arena's array and the offsets are made once and cleared on later
// Begins, so a benchmark's replays allocate no arena (the clearing stays in the timed replay; what
// each replay still allocates is the new layer's own objects: a few KiB).
// Touch writes every handed-out byte once, as HeapAdapter does: directly for the debug heap (a
// program under it writes its memory directly), through Checker's checked Fill for Checker (a
// program under Checker writes through its accessors, which check and update the bitmaps).
using System;

namespace Checker.Nano.Traces
{
    /// <summary>A sink that drops every line (reports of a replay are not wanted).</summary>
    public sealed class DiscardSink : ReportSink
    {
        /// <inheritdoc/>
        public override void Write(byte[] buffer, int offset, int count)
        {
        }
    }

    /// <summary>Replays a trace on the debug heap (<see cref="DebugHeap"/>) over the base heap.</summary>
    public sealed class DebugHeapAdapter : IAllocatorAdapter
    {
        private readonly int _arenaBytes;
        private readonly int _blockSize;
        private readonly bool _threadSafe;
        private readonly HeapPolicy _policy;
        private int[] _offsets = Array.Empty<int>();
        private byte[] _memory;

        /// <summary>
        /// A debug heap with <paramref name="blockSize"/>-byte blocks over an arena of
        /// <paramref name="arenaBytes"/> bytes, over a base heap of <paramref name="policy"/>.
        /// </summary>
        public DebugHeapAdapter(int arenaBytes, int blockSize, bool threadSafe = true, HeapPolicy policy = HeapPolicy.Seed)
        {
            _arenaBytes = arenaBytes;
            _blockSize = blockSize;
            _threadSafe = threadSafe;
            _policy = policy;
            Create();
        }

        /// <inheritdoc/>
        public string Name => _policy == HeapPolicy.Compact ? "debug heap, compact" : "debug heap";

        /// <inheritdoc/>
        public bool Touch { get; set; } = true;

        /// <summary>The debug heap being driven.</summary>
        public DebugHeap DebugHeap { get; private set; }

        /// <summary>The base heap under it.</summary>
        public BaseHeap Heap => DebugHeap.Heap;

        /// <summary>The user offset trace id <paramref name="id"/> holds now (0 when none).</summary>
        public int OffsetOf(int id) => _offsets[id];

        /// <inheritdoc/>
        public long ArenaBytesInUse => Heap.Arena.Break - Heap.Arena.Start;

        private void Create()
        {
            BaseHeap heap = HeapPolicies.Make(_policy, new Arena(FreshArena(ref _memory, _arenaBytes)), _blockSize);
            heap.ThreadSafe = _threadSafe;
            DebugHeap = new DebugHeap(heap, new Reporter(new DiscardSink()));
        }

        /// <inheritdoc/>
        public void Begin(int maxId)
        {
            Create();
            if (_offsets.Length < maxId + 1)
            {
                _offsets = new int[maxId + 1];
            }
            else
            {
                Array.Clear(_offsets);
            }
        }

        /// <inheritdoc/>
        public bool Malloc(int id, int size)
        {
            int p = DebugHeap.Malloc(size, BlockType.Normal, "trace", 0);
            if (p == 0 && size > 0)
            {
                return false;
            }

            _offsets[id] = p;
            if (Touch)
            {
                DebugHeap.Memory.AsSpan(p, size).Fill(HeapAdapter.Pattern(id));
            }

            return true;
        }

        /// <inheritdoc/>
        public bool Calloc(int id, int count, int size)
        {
            int p = DebugHeap.Calloc(count, size, BlockType.Normal, "trace", 0);
            if (p == 0 && count * size > 0)
            {
                return false;
            }

            _offsets[id] = p;
            if (Touch)
            {
                DebugHeap.Memory.AsSpan(p, count * size).Fill(HeapAdapter.Pattern(id));
            }

            return true;
        }

        /// <inheritdoc/>
        public bool Realloc(int id, int oldSize, int newSize)
        {
            int r = DebugHeap.Realloc(_offsets[id], newSize, BlockType.Normal, "trace", 0);
            if (r == 0 && newSize > 0)
            {
                return false;
            }

            _offsets[id] = r;
            if (Touch && newSize > oldSize)
            {
                DebugHeap.Memory.AsSpan(r + oldSize, newSize - oldSize).Fill(HeapAdapter.Pattern(id));
            }

            return true;
        }

        /// <inheritdoc/>
        public void Free(int id, int size)
        {
            DebugHeap.Free(_offsets[id], BlockType.Normal, "trace", 0);
            _offsets[id] = 0;
        }

        /// <inheritdoc/>
        public string Validate() => DebugHeap.Validate();

        /// <summary>Faults the debug heap reported during the replay (every call of a replay is legal: 0).</summary>
        public int Faults => DebugHeap.Stats().Faults;

        /// <inheritdoc/>
        public void Dispose()
        {
        }

        /// <summary>A zeroed arena of <paramref name="bytes"/> bytes: <paramref name="memory"/> cleared, or a new array the first time.</summary>
        internal static byte[] FreshArena(ref byte[] memory, int bytes)
        {
            if (memory == null || memory.Length != bytes)
            {
                memory = new byte[bytes];
            }
            else
            {
                Array.Clear(memory);
            }

            return memory;
        }
    }

    /// <summary>Replays a trace on Checker (<see cref="CheckerHeap"/>): debug heap, access bitmaps and aging.</summary>
    public sealed class CheckerAdapter : IAllocatorAdapter
    {
        /// <summary>Bytes of the data zone Checker's map reserves for a replay (no globals are used).</summary>
        public const int DataBytes = 256;

        /// <summary>Bytes of the stack zone Checker's map reserves for a replay.</summary>
        public const int StackBytes = 1024;

        private readonly int _arenaBytes;
        private readonly int _blockSize;
        private readonly bool _threadSafe;
        private readonly HeapPolicy _policy;
        private int[] _offsets = Array.Empty<int>();
        private byte[] _memory;

        /// <summary>
        /// Checker with <paramref name="blockSize"/>-byte blocks over an arena of
        /// <paramref name="arenaBytes"/> bytes (a multiple of 8), over a base heap of <paramref name="policy"/>.
        /// </summary>
        public CheckerAdapter(int arenaBytes, int blockSize, bool threadSafe = true, HeapPolicy policy = HeapPolicy.Seed)
        {
            _arenaBytes = arenaBytes & ~7;
            _blockSize = blockSize;
            _threadSafe = threadSafe;
            _policy = policy;
            Create();
        }

        /// <inheritdoc/>
        public string Name => _policy == HeapPolicy.Compact ? "Checker, compact" : "Checker";

        /// <inheritdoc/>
        public bool Touch { get; set; }

        /// <summary>Checker being driven.</summary>
        public CheckerHeap Checker { get; private set; }

        /// <summary>The base heap under it.</summary>
        public BaseHeap Heap => Checker.Heap;

        /// <summary>The user offset trace id <paramref name="id"/> holds now (0 when none).</summary>
        public int OffsetOf(int id) => _offsets[id];

        /// <inheritdoc/>
        public long ArenaBytesInUse => Heap.Arena.Break - Heap.Arena.Start;

        private void Create()
        {
            Checker = new CheckerHeap(DebugHeapAdapter.FreshArena(ref _memory, _arenaBytes), _blockSize, DataBytes, StackBytes,
                new Reporter(new DiscardSink()), DebugHeap.DefaultFileNameCapacity, HeapPolicies.Maker(_policy));
            Checker.Heap.ThreadSafe = _threadSafe;
        }

        /// <inheritdoc/>
        public void Begin(int maxId)
        {
            Create();
            if (_offsets.Length < maxId + 1)
            {
                _offsets = new int[maxId + 1];
            }
            else
            {
                Array.Clear(_offsets);
            }
        }

        /// <inheritdoc/>
        public bool Malloc(int id, int size)
        {
            int p = Checker.Malloc(size, BlockType.Normal, "trace", 0);
            if (p == 0 && size > 0)
            {
                return false;
            }

            _offsets[id] = p;
            if (Touch && size > 0)
            {
                Checker.Fill(p, size, HeapAdapter.Pattern(id), "trace", 0);
            }

            return true;
        }

        /// <inheritdoc/>
        public bool Calloc(int id, int count, int size)
        {
            int p = Checker.Calloc(count, size, BlockType.Normal, "trace", 0);
            if (p == 0 && count * size > 0)
            {
                return false;
            }

            _offsets[id] = p;
            if (Touch && count * size > 0)
            {
                Checker.Fill(p, count * size, HeapAdapter.Pattern(id), "trace", 0);
            }

            return true;
        }

        /// <inheritdoc/>
        public bool Realloc(int id, int oldSize, int newSize)
        {
            int r = Checker.Realloc(_offsets[id], newSize, "trace", 0);
            if (r == 0 && newSize > 0)
            {
                return false;
            }

            _offsets[id] = r;
            if (Touch && newSize > oldSize)
            {
                Checker.Fill(r + oldSize, newSize - oldSize, HeapAdapter.Pattern(id), "trace", 0);
            }

            return true;
        }

        /// <inheritdoc/>
        public void Free(int id, int size)
        {
            Checker.Free(_offsets[id], "trace", 0);
            _offsets[id] = 0;
        }

        /// <inheritdoc/>
        public string Validate() => Checker.Validate();

        /// <summary>Errors Checker found during the replay (every access of a replay is legal: 0, but for "oom" where an allocation fails).</summary>
        public int Errors => Checker.TotalErrors;

        /// <summary>
        /// Reports other than running out of memory and free(NULL)'s "fnl" (legal C, which Checker
        /// reports as the original does), by Checker and the debug heap under it (a replay's calls
        /// are all legal: 0).
        /// </summary>
        public int FalseReports => Checker.TotalErrors - Checker.ErrorCount(CheckerError.OutOfMemory) - Checker.ErrorCount(CheckerError.FreeNull)
            + Checker.DebugHeap.Stats().Faults;

        /// <inheritdoc/>
        public void Dispose()
        {
        }
    }
}
