// The seam under the layers: what every base-heap policy gives the debug heap, Checker, the
// reporter and the tools, after the UCRT's _base functions (_malloc_base, _free_base,
// _realloc_base, _msize_base), which are all its debug heap calls of the heap under it.
//
// Two policies fulfil it, each its own type in its own assembly, so a firmware carries only the
// one it uses:
//   Heap         the seed's policy (GNU malloc: power-of-two fragments, whole blocks, first fit),
//                assembly Checker.Nano.Heap, with this class;
//   CompactHeap  the Compact policy (size classes in runs, large objects at 16-byte granules),
//                assembly Checker.Nano.Compact (Checker.Nano/Compact/COMPACT.md).
//
// The contract, for a layer that holds SyncRoot (or has ThreadSafe off) around every call:
//   MallocLocked(size)        an offset, or 0 when the arena is exhausted (or size <= 0)
//   FreeLocked(ptr)           ptr must be live (CheckLocked(ptr) == None)
//   ReallocLocked(ptr, size)  ptr live or 0; the new offset, or 0 with the old block untouched
//   CheckLocked(ptr)          None for a live block, else NotInHeap, FreeMemory, Interior, Damaged
//   UsableSizeLocked(ptr)     ptr live: the bytes it may use (at least the size asked for)
//   ValidateLocked()          null, or the first thing wrong and where
//   HeapStart, HeapEnd        every block lies in [HeapStart, HeapEnd); offsets handed out are
//                             multiples of GRANULE from HeapStart
// Any of them may throw HeapException(Damaged), IndexOutOfRangeException or ArgumentException
// when it finds the bookkeeping damaged; the public operations turn the last two into the first.
// The public operations (Malloc, Free, ... below) take the lock themselves and check their
// arguments: firmware without a layer above calls those. Malloc and Free are each policy's own
// flat code (the hot path: one call, no extra layer); the others are written once, here.
//
// Both policies keep a table of HEAPINFO_WORDS ints per block beside the arena (gmalloc.c's
// _heapinfo, see Heap.cs for why it is not inside the heap), blocks of BLOCKSIZE bytes numbered
// from 1 at the heap base, and the seed's statistics counters; each policy gives the table's
// words its own meaning. Walks (WalkTable, WalkFreeSlots, Summarize) describe the heap in
// policy-neutral rows of bytes, so the reporter and the tools need not know the policy.
namespace Checker.Nano
{
    /// <summary>
    /// Makes a base heap over <paramref name="arena"/> with <paramref name="blockSize"/>-byte
    /// blocks, for a layer that lays out its own arena (CheckerHeap): Heap.Make or CompactHeap.Make.
    /// </summary>
    public delegate BaseHeap HeapMaker(Arena arena, int blockSize);

    /// <summary>
    /// A base heap over an <see cref="Arena"/>: the contract the layers above use (the seam), the
    /// state both policies share and the public operations written once for both.
    /// </summary>
    public abstract partial class BaseHeap
    {
        /// <summary>ints per heapinfo entry (12 bytes).</summary>
        public const int HEAPINFO_WORDS = 3;

        /// <summary>Every offset handed out is a multiple of this from <see cref="HeapStart"/> (8: a free slot's two links).</summary>
        public const int GRANULE = 8;

        /// <summary>The largest BLOCKSIZE (a fragment block's word 0 has 13 bits for each fragment index).</summary>
        public const int MAX_BLOCKSIZE = 1 << 16;

        /// <summary>ints per row of <see cref="WalkTable"/>: offset, bytes, state, free slots.</summary>
        public const int WALK_WORDS = 4;

        /// <summary>Walk state: a busy object (whole blocks for the seed's policy, any multiple of 16 bytes for Compact).</summary>
        public const int WalkObject = 0;

        /// <summary>Walk state: free memory (a free cluster of blocks, or a Compact gap).</summary>
        public const int WalkFree = -1;

        /// <summary>Walk state: a table entry where something should start but does not (damage; its row covers one block).</summary>
        public const int WalkAnomaly = -2;

        /// <summary>log2(BLOCKSIZE).</summary>
        public readonly int BLOCKLOG;

        /// <summary>Bytes per block: a power of two from 16 up.</summary>
        public readonly int BLOCKSIZE;

        /// <summary>The arena this heap grows in.</summary>
        protected readonly Arena _arena;

        /// <summary>The arena's bytes.</summary>
        protected readonly byte[] _m;

        /// <summary>The table: HEAPINFO_WORDS ints per block, entry 0 a policy's anchor.</summary>
        protected readonly int[] _heapinfo;

        /// <summary>Entries in _heapinfo (anchor, every block the arena can hold, one spare).</summary>
        protected readonly int _tableBlocks;

        /// <summary>The lock the heap and the layers over it share.</summary>
        protected readonly object _sync = new object();

        /// <summary>Whether public operations take the lock.</summary>
        protected bool _threadSafe = true;

        /// <summary>
        /// Neither the lock nor a tracer: the seed's Malloc and Free test this one field before
        /// their unlocked hot path (one test instead of two, measured on the interpreter).
        /// </summary>
        protected bool _plain;

        /// <summary>__malloc_initialized: the first operation initializes the heap.</summary>
        protected bool _initialized;

        /// <summary>The offset of block 1 (the heap's first byte).</summary>
        protected int _heapbase;

        /// <summary>_heaplimit: one past the last block number in the heap.</summary>
        protected int _heaplimit;

        /// <summary>Statistics as in the seed: live chunks (blocks, fragments, slots, objects).</summary>
        protected int _chunksUsed;

        /// <summary>Statistics: bytes in live chunks (rounded up to what each is given).</summary>
        protected int _bytesUsed;

        /// <summary>Statistics: free chunks (clusters, gaps, free fragments or slots).</summary>
        protected int _chunksFree;

        /// <summary>Statistics: bytes in free chunks.</summary>
        protected int _bytesFree;

        private readonly HeapWork _work = new HeapWork();

        /// <summary>
        /// A heap over <paramref name="arena"/> with <paramref name="blockSize"/>-byte blocks. The
        /// table is allocated here, sized for every block the arena can hold, so malloc and free
        /// never allocate managed memory.
        /// </summary>
        protected BaseHeap(Arena arena, int blockSize)
        {
            LayerLock = _sync;   // ThreadSafe's default
            if (arena == null)
            {
                throw new System.ArgumentNullException("arena");
            }

            if (blockSize < 2 * GRANULE || (blockSize & (blockSize - 1)) != 0 || blockSize > MAX_BLOCKSIZE)
            {
                throw new System.ArgumentOutOfRangeException("blockSize", "BLOCKSIZE must be a power of two from 16 to 64 KiB");
            }

            int log = 0;
            while ((1 << log) < blockSize)
            {
                log++;
            }

            BLOCKLOG = log;
            BLOCKSIZE = blockSize;
            _arena = arena;
            _m = arena.Memory;

            // Anchor + every block between the arena's start and its end + one spare entry, so
            // that "the entry after the last block" can always be written.
            _tableBlocks = ((arena.Size - arena.Start) >> log) + 2;
            _heapinfo = new int[_tableBlocks * HEAPINFO_WORDS];
        }

        // ---- the seam: the caller holds SyncRoot (or ThreadSafe is off) -------------------------

        /// <summary>malloc without the lock: an offset, or 0 (exhausted, or size &lt;= 0).</summary>
        public abstract int MallocLocked(int size);

        /// <summary>free without the lock or the check: <paramref name="ptr"/> is live (a memalign offset too).</summary>
        public virtual void FreeLocked(int ptr)
        {
            if (_alignedCount != 0)
            {
                int slot = AlignedSlot(ptr);
                if (slot >= 0)
                {
                    ptr = TakeAligned(slot);
                }
            }

            FreeRaw(ptr);
        }

        /// <summary>realloc without the lock or the check: <paramref name="ptr"/> is live or 0; 0 when there is no room (the old block untouched).</summary>
        public int ReallocLocked(int ptr, int size)
        {
            if (_alignedCount != 0)
            {
                int slot = AlignedSlot(ptr);
                if (slot >= 0)
                {
                    return ReallocAligned(ptr, slot, size);
                }
            }

            return ReallocRaw(ptr, size);
        }

        /// <summary>Whether <paramref name="ptr"/> is a live block (memalign's offsets count as live), and if not why not; changes nothing.</summary>
        public HeapError CheckLocked(int ptr)
        {
            HeapError error = CheckRaw(ptr);
            return _alignedCount == 0 ? error : CheckAligned(ptr, error);
        }

        /// <summary>
        /// CheckLocked and UsableSizeLocked in one call: the usable size of the live block at
        /// <paramref name="ptr"/>, or -1 when it is not one (the debug heap's free asks this first;
        /// a call costs as much as a dozen array reads on the device).
        /// </summary>
        public abstract int LiveSizeLocked(int ptr);

        /// <summary>LiveSizeLocked the long way: CheckLocked, then UsableSizeLocked.</summary>
        protected int LiveSizeChecked(int ptr)
        {
            return CheckLocked(ptr) == HeapError.None ? UsableSizeLocked(ptr) : -1;
        }

        /// <summary>The usable size of the live block at <paramref name="ptr"/> (from a memalign offset: to its block's end).</summary>
        public int UsableSizeLocked(int ptr)
        {
            if (_alignedCount != 0)
            {
                int slot = AlignedSlot(ptr);
                if (slot >= 0)
                {
                    int exact = AlignedExact(slot);
                    return UsableSizeRaw(exact) - (ptr - exact);
                }
            }

            return UsableSizeRaw(ptr);
        }

        /// <summary>The full invariant check: null, or the first thing wrong and where.</summary>
        public string ValidateLocked()
        {
            if (!_initialized)
            {
                return null;
            }

            string problem = ValidateRaw();
            return problem != null ? problem : ValidateAligned();
        }

        // ---- each policy's own code, under the seam ------------------------------------------------

        /// <summary>Frees the live block that starts at <paramref name="ptr"/> (never a memalign offset).</summary>
        protected abstract void FreeRaw(int ptr);

        /// <summary>realloc of the live block at <paramref name="ptr"/> (or 0: malloc), never a memalign offset.</summary>
        protected abstract int ReallocRaw(int ptr, int size);

        /// <summary>Whether <paramref name="ptr"/> starts a live block by the table alone (memalign's pairs unknown).</summary>
        protected abstract HeapError CheckRaw(int ptr);

        /// <summary>The usable size of the live block that starts at <paramref name="ptr"/>.</summary>
        protected abstract int UsableSizeRaw(int ptr);

        /// <summary>The policy's invariant check of an initialized heap (its table, lists and counters).</summary>
        protected abstract string ValidateRaw();

        /// <summary>The table as text (tests, dumps): the policy's own notation.</summary>
        protected abstract string DescribeLocked();

        /// <summary>Fills <paramref name="s"/> with the statistics (the table's counters and a walk for the largest free run).</summary>
        protected abstract void StatsLocked(MStats s);

        /// <summary>Rows of <see cref="WALK_WORDS"/> ints in address order (see <see cref="WalkTable"/>).</summary>
        protected abstract int WalkLocked(int[] rows);

        /// <summary>The offset of every free fragment or slot (see <see cref="WalkFreeSlots"/>).</summary>
        protected abstract int WalkFreeSlotsLocked(int[] offsets);

        /// <summary>One walk of the heap into <paramref name="s"/> (see <see cref="Summarize"/>).</summary>
        protected abstract void SummarizeLocked(HeapSummary s);

        /// <summary>Forgets every block and puts the arena's break back at its start.</summary>
        protected abstract void ResetLocked();

        /// <summary>Initializes the heap at the arena's break if no operation has yet.</summary>
        protected abstract void EnsureInitialized();

        /// <summary>Bytes of the heap's fixed storage beside the arena (its table, lists and size tables, memalign's pairs).</summary>
        public abstract int MetadataBytes { get; }

        /// <summary>The bytes a request of <paramref name="size"/> is given under this policy, without allocating; 0 for size &lt;= 0.</summary>
        public abstract int AllottedBytes(int size);

        /// <summary>The most rows <see cref="WalkTable"/> can return (an array of MaxWalkRows * WALK_WORDS ints always holds the whole heap).</summary>
        public abstract int MaxWalkRows { get; }

        /// <summary>The policy's name in reports and tools: "seed" or "compact".</summary>
        public abstract string PolicyName { get; }

        /// <summary>Allocates <paramref name="size"/> bytes; 0 when the arena is exhausted. Throws <see cref="HeapException"/> (Damaged) on damaged bookkeeping.</summary>
        public abstract int Malloc(int size);

        /// <summary>Frees the block at <paramref name="ptr"/>; free(0) does nothing; any other offset that is not a live block throws <see cref="HeapException"/> and changes nothing.</summary>
        public abstract void Free(int ptr);

        // ---- state -------------------------------------------------------------------------------

        /// <summary>The arena this heap grows in.</summary>
        public Arena Arena
        {
            get { return _arena; }
        }

        /// <summary>The arena's bytes: a block's data is (Memory, offset, UsableSize(offset)).</summary>
        public byte[] Memory
        {
            get { return _m; }
        }

        /// <summary>
        /// Whether public operations take the heap's lock (default true). Single-threaded firmware may
        /// switch it off: on nanoFramework's interpreter an uncontended lock costs about as much as
        /// the rest of a malloc (see the README's device table).
        /// </summary>
        public bool ThreadSafe
        {
            get { return _threadSafe; }
            set
            {
                _threadSafe = value;
                _plain = !value && _tracer == null;
                LayerLock = value ? _sync : null;
            }
        }

        /// <summary>
        /// What the layers above lock around an operation: <see cref="SyncRoot"/> while
        /// <see cref="ThreadSafe"/> is on, null while it is off. A field, so that the debug heap's
        /// and Checker's malloc and free read it without a call (a property is a call on the
        /// interpreter, about 25 ns). Kept by ThreadSafe's setter: read it, never write it.
        /// </summary>
        public object LayerLock;

        /// <summary>The lock the heap and the layers over it share.</summary>
        public object SyncRoot
        {
            get { return _sync; }
        }

        /// <summary>Offset of block 1 (the heap's first byte); valid once the heap is initialized.</summary>
        public int HeapBase
        {
            get { return _heapbase; }
        }

        /// <summary>_heaplimit: one past the last block number in the heap.</summary>
        public int HeapLimit
        {
            get { return _heaplimit; }
        }

        /// <summary>The heap's first byte (the seam's name for <see cref="HeapBase"/>).</summary>
        public int HeapStart
        {
            get { return _heapbase; }
        }

        /// <summary>One past the heap's last byte, by the heap's own record (the arena's break while the heap is sound).</summary>
        public abstract int HeapEnd { get; }

        /// <summary>Whether the heap has been initialized (__malloc_initialized).</summary>
        public bool Initialized
        {
            get { return _initialized; }
        }

        /// <summary>The work counters (counted only where HEAP_WORK is defined: the host build).</summary>
        public HeapWork Work
        {
            get { return _work; }
        }

        /// <summary>BLOCK(A): the block number of offset <paramref name="offset"/>.</summary>
        public int BLOCK(int offset)
        {
            return ((offset - _heapbase) >> BLOCKLOG) + 1;
        }

        /// <summary>ADDRESS(B): the offset of block <paramref name="block"/>.</summary>
        public int ADDRESS(int block)
        {
            return ((block - 1) << BLOCKLOG) + _heapbase;
        }

        /// <summary>BLOCKIFY(SIZE): how many blocks hold <paramref name="size"/> bytes.</summary>
        public int BLOCKIFY(int size)
        {
            return ((size - 1) >> BLOCKLOG) + 1;   // no overflow near int.MaxValue; size > 0
        }

        // ---- public operations written once ------------------------------------------------------

        /// <summary>
        /// Resizes the block at <paramref name="ptr"/> to <paramref name="size"/> bytes, keeping its
        /// contents up to the smaller size, and returns its (maybe new) offset; 0 when there is no
        /// room, in which case the old block is untouched. realloc(0, n) is malloc(n); realloc(p, 0)
        /// frees p and returns 0. A bad offset throws <see cref="HeapException"/>.
        /// </summary>
        public int Realloc(int ptr, int size)
        {
            try
            {
                if (!_threadSafe)
                {
                    return _tracer == null ? ReallocChecked(ptr, size) : ReallocRecorded(ptr, size);
                }

                lock (_sync)
                {
                    return _tracer == null ? ReallocChecked(ptr, size) : ReallocRecorded(ptr, size);
                }
            }
            catch (System.IndexOutOfRangeException)
            {
                throw Damaged("realloc", ptr);
            }
            catch (System.ArgumentException)
            {
                throw Damaged("realloc", ptr);   // a copy sized by a damaged entry (realloc throws none of its own)
            }
        }

        private int ReallocChecked(int ptr, int size)
        {
            EnsureInitialized();
            if (ptr != 0)
            {
                HeapError error = CheckLocked(ptr);
                if (error != HeapError.None)
                {
                    throw new HeapException("realloc", error, ptr);
                }
            }

            return ReallocLocked(ptr, size);
        }

        /// <summary>
        /// Allocates <paramref name="count"/> * <paramref name="size"/> zeroed bytes; 0 if the product
        /// overflows, is 0, or does not fit.
        /// </summary>
        public int Calloc(int count, int size)
        {
            try
            {
                if (!_threadSafe)
                {
                    return _tracer == null ? CallocLocked(count, size) : CallocRecorded(count, size);
                }

                lock (_sync)
                {
                    return _tracer == null ? CallocLocked(count, size) : CallocRecorded(count, size);
                }
            }
            catch (System.IndexOutOfRangeException)
            {
                throw Damaged("calloc", 0);
            }
            catch (System.ArgumentException)
            {
                throw Damaged("calloc", 0);   // the zeroing of a block handed out by a damaged list
            }
        }

        /// <summary>calloc without the lock (the caller holds SyncRoot).</summary>
        public int CallocLocked(int count, int size)
        {
            if (count < 0 || size < 0)
            {
                return 0;
            }

            long total = (long)count * size;
            if (total > int.MaxValue)
            {
                return 0;
            }

            int result = MallocLocked((int)total);
            if (result != 0)
            {
                System.Array.Clear(_m, result, (int)total);
            }

            return result;
        }

        /// <summary>
        /// Says whether <paramref name="ptr"/> is a live block or fragment, and if not why not,
        /// without changing anything. 0 gives <see cref="HeapError.NotInHeap"/>; a damaged table
        /// or list gives <see cref="HeapError.Damaged"/>.
        /// </summary>
        public HeapError CheckPointer(int ptr)
        {
            try
            {
                if (!_threadSafe)
                {
                    return CheckLocked(ptr);
                }

                lock (_sync)
                {
                    return CheckLocked(ptr);
                }
            }
            catch (System.IndexOutOfRangeException)
            {
                return HeapError.Damaged;
            }
        }

        /// <summary>
        /// Bytes usable at <paramref name="ptr"/> (its fragment, slot or blocks). Throws
        /// <see cref="HeapException"/> for an offset that is not a live block.
        /// </summary>
        public int UsableSize(int ptr)
        {
            try
            {
                if (!_threadSafe)
                {
                    return UsableSizeChecked(ptr, "usable_size");
                }

                lock (_sync)
                {
                    return UsableSizeChecked(ptr, "usable_size");
                }
            }
            catch (System.IndexOutOfRangeException)
            {
                throw Damaged("usable_size", ptr);
            }
        }

        private int UsableSizeChecked(int ptr, string operation)
        {
            HeapError error = CheckLocked(ptr);
            if (error != HeapError.None)
            {
                throw new HeapException(operation, error, ptr);
            }

            return UsableSizeLocked(ptr);
        }

        /// <summary>Checks every invariant of the heap; null if all hold, else what is wrong and where.</summary>
        public string Validate()
        {
            lock (_sync)
            {
                try
                {
                    return ValidateLocked();
                }
                catch (System.IndexOutOfRangeException)
                {
                    return "a link points outside the arena or the table";
                }
            }
        }

        /// <summary>The table as text, in the policy's notation (see each policy's DescribeLocked); "" for an empty heap.</summary>
        public string Describe()
        {
            lock (_sync)
            {
                return _initialized ? DescribeLocked() : "";
            }
        }

        /// <summary>The seed's mstats(): counters kept by every operation, plus a walk for the largest free run.</summary>
        public MStats MStats()
        {
            lock (_sync)
            {
                EnsureInitialized();
                MStats s = new MStats();
                StatsLocked(s);
                return s;
            }
        }

        /// <summary>Forgets every block and puts the arena's break back at its start (tests, restarts).</summary>
        public void Reset()
        {
            if (!_threadSafe)
            {
                ResetLocked();
                return;
            }

            lock (_sync)
            {
                ResetLocked();
            }
        }

        /// <summary>
        /// Writes one row of <see cref="WALK_WORDS"/> ints per thing the heap holds, in address
        /// order, as many as fit in <paramref name="rows"/>, and returns how many there are (call
        /// again with a bigger array when it is more than rows.Length / WALK_WORDS); 0 for a heap
        /// not yet initialized. A row is [0] offset [1] bytes [2] state [3] free slots, the state
        /// <see cref="WalkObject"/>, <see cref="WalkFree"/>, <see cref="WalkAnomaly"/>, or (above 0)
        /// the size of the equal slots the row is cut into (a fragment block of the seed's policy,
        /// a run of the Compact policy), with [3] of them free. Changes nothing; every walk is
        /// bounded, so a damaged table still ends.
        /// </summary>
        public int WalkTable(int[] rows)
        {
            if (rows == null)
            {
                throw new System.ArgumentNullException("rows");
            }

            lock (_sync)
            {
                return _initialized ? WalkLocked(rows) : 0;
            }
        }

        /// <summary>
        /// Writes the offset of every free fragment or slot (the seed's policy in address order,
        /// from its bitmap; Compact's class list by class list) into <paramref name="offsets"/>, as
        /// many as fit, and returns how many there are. Each list walk is bounded, so a cyclic list
        /// ends.
        /// </summary>
        public int WalkFreeSlots(int[] offsets)
        {
            if (offsets == null)
            {
                throw new System.ArgumentNullException("offsets");
            }

            lock (_sync)
            {
                return _initialized ? WalkFreeSlotsLocked(offsets) : 0;
            }
        }

        /// <summary>Fills <paramref name="summary"/> from one walk of the heap (allocates nothing).</summary>
        public void Summarize(HeapSummary summary)
        {
            if (summary == null)
            {
                throw new System.ArgumentNullException("summary");
            }

            lock (_sync)
            {
                EnsureInitialized();
                SummarizeLocked(summary);
            }
        }

        /// <summary>
        /// Bytes free in the heap plus the whole blocks the break can still take from the arena
        /// (HeapSummary.FreeBytes): the figure a low-memory trigger compares with its threshold.
        /// Compact keeps the counter; the seed's policy walks its table (a few hundred entries).
        /// </summary>
        public int FreeAndHeadroomBytes()
        {
            lock (_sync)
            {
                return (_initialized ? FreeBytesLocked() : 0) + (((_arena.Limit - _arena.Break) >> BLOCKLOG) << BLOCKLOG);
            }
        }

        /// <summary>Bytes free in the heap (free clusters, gaps, free fragments and slots).</summary>
        protected virtual int FreeBytesLocked()
        {
            return _bytesFree;
        }

        // ---- for the policies ----------------------------------------------------------------------

        /// <summary>
        /// The exception every operation throws when it finds the bookkeeping damaged: an index out
        /// of the table or the arena (caught at the public call, so no runtime exception escapes),
        /// or a walk longer than the table (a cycle).
        /// </summary>
        protected static HeapException Damaged(string operation, int offset)
        {
            return new HeapException(operation, HeapError.Damaged, offset);
        }

        /// <summary>Every entry of the table set to { <paramref name="word0"/>, 0, 0 } (both policies' initialize).</summary>
        protected void FillTable(int word0)
        {
            int[] h = _heapinfo;
            for (int i = 0; i < h.Length; i += HEAPINFO_WORDS)
            {
                h[i] = word0;
                h[i + 1] = 0;
                h[i + 2] = 0;
            }
        }

        /// <summary>
        /// Both policies' initialize: an empty heap at the arena's break, moved up to a multiple of 8
        /// when the arena allows (blocks, fragments and slots are 8-aligned), statistics at 0, no
        /// memalign pairs.
        /// </summary>
        protected void StartAtBreak()
        {
            _heapbase = _arena.Sbrk(0);
            if ((_heapbase & 7) != 0 && _arena.Sbrk(8 - (_heapbase & 7)) != Arena.SbrkFailed)
            {
                _heapbase = _arena.Sbrk(0);
            }

            _heaplimit = 1;
            _chunksUsed = 0;
            _bytesUsed = 0;
            _chunksFree = 0;
            _bytesFree = 0;
            ClearAligned();
        }

        /// <summary>The counters both policies keep, the arena's figures and the metadata, into <paramref name="s"/>.</summary>
        protected void FillCommonStats(MStats s)
        {
            s.BytesTotal = _initialized ? _arena.Break - _heapbase : 0;
            s.ChunksUsed = _chunksUsed;
            s.BytesUsed = _bytesUsed;
            s.ChunksFree = _chunksFree;
            s.BytesFree = _bytesFree;
            s.ArenaBytes = _arena.Size;
            s.ArenaAvailable = _arena.Limit - _arena.Break;
            s.MetadataBytes = MetadataBytes;
            s.BlockSize = BLOCKSIZE;
        }

        /// <summary>Validate's last step for both policies: the kept statistics against a recount.</summary>
        protected string CheckCounters(int chunksUsed, int bytesUsed, int chunksFree, int bytesFree)
        {
            if (chunksUsed != _chunksUsed || bytesUsed != _bytesUsed || chunksFree != _chunksFree || bytesFree != _bytesFree)
            {
                return "statistics: counted " + chunksUsed.ToString() + " used chunks (" + bytesUsed.ToString() + " bytes), "
                    + chunksFree.ToString() + " free (" + bytesFree.ToString() + " bytes); kept "
                    + _chunksUsed.ToString() + " (" + _bytesUsed.ToString() + "), " + _chunksFree.ToString() + " (" + _bytesFree.ToString() + ")";
            }

            return null;
        }

        /// <summary>
        /// The fragmentation figures of a summary whose counts are filled: FreeBytes counts the
        /// whole blocks the break can still take; LargestBytes is the larger of the largest free run
        /// and the top run plus that headroom (see HeapSummary).
        /// </summary>
        protected void FinishSummary(HeapSummary s)
        {
            MStats m = s.Stats;
            m.ArenaBytes = _arena.Size;
            m.ArenaAvailable = _arena.Limit - _arena.Break;
            m.MetadataBytes = MetadataBytes;
            m.BlockSize = BLOCKSIZE;
            int headroom = (m.ArenaAvailable >> BLOCKLOG) << BLOCKLOG;
            int largest = m.LargestFreeRun;
            if (s.TopHoleBytes + headroom > largest)
            {
                largest = s.TopHoleBytes + headroom;
            }

            s.FreeBytes = m.BytesFree + headroom;
            s.LargestBytes = largest;
            s.FragmentationPerMille = s.FreeBytes <= 0 ? 0 : (int)(1000L * (s.FreeBytes - largest) / s.FreeBytes);
        }

        /// <summary>One walk row: [offset, bytes, state, free] at row <paramref name="count"/> if it fits.</summary>
        protected static void PutRow(int[] rows, int count, int offset, int bytes, int state, int free)
        {
            if ((count + 1) * WALK_WORDS <= rows.Length)
            {
                int r = count * WALK_WORDS;
                rows[r] = offset;
                rows[r + 1] = bytes;
                rows[r + 2] = state;
                rows[r + 3] = free;
            }
        }

        /// <summary>
        /// Describe's items: <paramref name="item"/> stored at <paramref name="count"/> (after a
        /// space unless it is the first), the array doubled when full. They are joined once by
        /// <see cref="JoinItems"/>: appending each to a string would copy the whole string per
        /// item, quadratic on a heap of thousands of blocks. Only mscorlib is used.
        /// </summary>
        protected static string[] AddItem(string[] items, int count, string item)
        {
            if (count == items.Length)
            {
                string[] bigger = new string[count * 2];
                System.Array.Copy(items, bigger, count);
                items = bigger;
            }

            items[count] = count == 0 ? item : " " + item;
            return items;
        }

        /// <summary>The first <paramref name="count"/> items, concatenated by one String.Concat.</summary>
        protected static string JoinItems(string[] items, int count)
        {
            if (count == 0)
            {
                return "";
            }

            string[] exact = new string[count];
            System.Array.Copy(items, exact, count);
            return string.Concat(exact);
        }

        /// <summary>HEAP_WORK: one free-cluster (or gap) step.</summary>
        [System.Diagnostics.Conditional("HEAP_WORK")]
        protected void CountClusterStep()
        {
            _work.ClusterSteps++;
        }

        /// <summary>HEAP_WORK: fragment (or slot) links followed or written.</summary>
        [System.Diagnostics.Conditional("HEAP_WORK")]
        protected void CountFragmentSteps(int steps)
        {
            _work.FragmentSteps += steps;
        }

        /// <summary>HEAP_WORK: bytes copied by realloc.</summary>
        [System.Diagnostics.Conditional("HEAP_WORK")]
        protected void CountBytesCopied(int bytes)
        {
            _work.BytesCopied += bytes;
        }
    }
}
