// The base heap: Mike Haertel's GNU malloc (gmalloc.c: malloc.c, free.c, realloc.c), as Tristan
// Gingold explains it in "how malloc and checker work", over an arena instead of sbrk.
//
// Policy. The heap is cut into blocks of BLOCKSIZE bytes, numbered from 1 at the heap base.
// A request larger than BLOCKSIZE/2 gets whole blocks, first fit from a rover (_heapindex) over a
// circular, address-ordered list of free clusters; when nothing fits, morecore moves the break,
// growing the last free cluster in place if it ends at the break. A smaller request gets a
// fragment: a power of two from 8 bytes (the size of a free fragment's two links) to
// BLOCKSIZE/2, taken from the list of free fragments of that size (_fraghead); when that list is
// empty a whole block is split into fragments of the size. Freed blocks coalesce with both
// neighbours; a free run of at least FINAL_FREE_BLOCKS at the top goes back to the arena; a block
// whose fragments are all free goes back to the block pool.
//
// Where the heapinfo table lives (decided by measurement). The seed allocates _heapinfo from the
// heap itself and reallocates it larger in morecore. Here it is a fixed int[] beside the arena,
// three ints (12 bytes) per block, sized for every block the arena can hold. Reasons:
//  - speed on the device: nanoFramework interprets IL; an int[] element costs ~25 ns, an int
//    assembled from four arena bytes ~140 ns, and a toy fragment allocator measured 0.9 us per
//    malloc+free pair with its metadata in int[] against 2.5-3.5 us with it in the byte[]. Every
//    malloc and free touches 2-6 heapinfo words and every free-list step 3, so the table pays
//    that difference on each one.
//  - memory: a table sized for the whole arena costs (HEAP/BLOCKSIZE + 2) * 12 bytes, e.g. 216
//    bytes for 64 KiB with 4096-byte blocks, 3.9 KiB for 160 KiB with 512-byte blocks (2.4%).
//    The seed's table reaches the same size once the heap fills the arena, and on the way it
//    doubles, leaving the freed old tables as holes in a small arena.
//  - it keeps the table out of reach of a stray write through a block, which the debug heap and
//    Checker report but cannot undo.
// The figures are counted in MStats.MetadataBytes. Only the free fragments' links live in the
// arena (inside the free fragments themselves, as in the seed), so fragments cost no metadata.
//
// heapinfo entry i is _heapinfo[3i .. 3i+2]; the seed's union becomes an encoding of word 0:
//   busy, whole blocks:   { 0,          size (blocks),   0 }
//   busy, fragments:      { log|last<<5|fresh<<18, frag.nfree, frag.first } (log = log2 fragment size)
//   free cluster start:   { -size,      free.next,       free.prev }    (size >= 1 blocks)
//   inside a cluster:     { INTERIOR,   -,               - }            (neither busy nor free start)
// Entry 0 is the anchor of the free list ({0, next, prev}, a cluster of size 0), as in the seed.
// Marking every non-first entry INTERIOR is ours: it lets free() reject interior and freed
// offsets with a typed error instead of corrupting the table. So is "last", the index of the
// last fragment of the block's run of free fragments, kept in word 0's bits 5 and up: when a
// block's last live fragment is freed, its run is unlinked in O(1) instead of the seed's walk
// of up to BLOCKSIZE/8 - 1 links (the largest single operation in every trace we replayed).
// And "fresh", from bit 18: a split block's fragments are not all linked at once (the seed
// writes BLOCKSIZE/size - 1 pairs of links, 511 at 4096 with 8-byte fragments); fragments
// 1..fresh are free, never handed out since the split, and sit at the end of the block's run in
// descending order, so their links are implied (next of j is j-1, prev of j is j+1) and only
// the two that touch the rest of the list are written. malloc hands them out in the seed's
// order, so no offset changes. Both fields need 13 bits: BLOCKSIZE is at most 64 KiB.
namespace Checker.Nano
{
    /// <summary>
    /// The base heap (GNU malloc's design) over an <see cref="Arena"/>. Offsets are ints into the
    /// arena's byte[]; 0 is null. Public operations take one lock unless <see cref="ThreadSafe"/>
    /// is switched off.
    /// </summary>
    public sealed partial class Heap
    {
        /// <summary>The seed's BLOCKSIZE on the host board (4096, as in gmalloc.c).</summary>
        public const int DefaultBlockSize = 4096;

        /// <summary>
        /// FINAL_FREE_BLOCKS (gmalloc.c: 8): how many free blocks at the top of the heap make free()
        /// give them back to the arena. Lower gives memory back sooner but moves the break more often.
        /// </summary>
        public const int DefaultFinalFreeBlocks = 8;

        /// <summary>log2 of the smallest fragment: 8 bytes hold a free fragment's next and prev links.</summary>
        public const int MINFRAGLOG = 3;

        /// <summary>The smallest fragment in bytes (1 &lt;&lt; MINFRAGLOG).</summary>
        public const int MINFRAG = 1 << MINFRAGLOG;

        /// <summary>Word 0 of a heapinfo entry that is not the first of a cluster or busy block.</summary>
        public const int INTERIOR = int.MinValue;

        /// <summary>Word 0 of a fragment block: log2 of the fragment size in these bits ...</summary>
        public const int FRAGLOG_MASK = 31;

        /// <summary>... the index of the last fragment of its free run above this shift ...</summary>
        public const int LAST_SHIFT = 5;

        /// <summary>... in these bits (13: up to 8192 fragments, BLOCKSIZE 64 KiB / 8 bytes) ...</summary>
        public const int LAST_MASK = (1 << 13) - 1;

        /// <summary>
        /// ... and above this shift F, the block's fresh fragments: 1..F are free, stand at the end
        /// of the block's run in descending order and have never been handed out since the split,
        /// so their links are implied instead of written (see Malloc.cs).
        /// </summary>
        public const int FRESH_SHIFT = 18;

        /// <summary>The largest BLOCKSIZE: word 0 of a fragment block has 13 bits for each index.</summary>
        public const int MAX_BLOCKSIZE = 1 << 16;

        /// <summary>ints per heapinfo entry (12 bytes).</summary>
        public const int HEAPINFO_WORDS = 3;

        /// <summary>log2(BLOCKSIZE).</summary>
        public readonly int BLOCKLOG;

        /// <summary>Bytes per block: a power of two from 16 up.</summary>
        public readonly int BLOCKSIZE;

        /// <summary>Free blocks at the top that go back to the arena (FINAL_FREE_BLOCKS).</summary>
        public readonly int FINAL_FREE_BLOCKS;

        private readonly Arena _arena;
        private readonly byte[] _m;              // the arena's bytes
        private readonly int[] _heapinfo;        // the table, HEAPINFO_WORDS ints per block
        private readonly int[] _fraghead;        // first free fragment of each log2 size, 0 = none
        private readonly byte[] _fraglog;        // log2 fragment size by (size - 1) >> MINFRAGLOG
        private readonly object _sync = new object();
        private readonly int _tableBlocks;       // entries in _heapinfo, anchor included

        private bool _initialized;               // __malloc_initialized
        private bool _threadSafe = true;
        private bool _noShrink;                  // realloc's "_heaplimit = 0": free must not shrink the break
        private int _heapbase;                   // offset of block 1
        private int _heapindex;                  // the rover: where the next block search starts
        private int _heaplimit;                  // one past the last block in the heap
        private int _largestFree;                // ours: no free cluster has more blocks than this

        // Statistics as in the seed (_chunks_used, _bytes_used, _chunks_free, _bytes_free),
        // each updated next to the change it counts. A fragment is one chunk.
        private int _chunksUsed;
        private int _bytesUsed;
        private int _chunksFree;
        private int _bytesFree;

        /// <summary>A heap with the seed's 4096-byte blocks over a fresh arena on <paramref name="memory"/>.</summary>
        public Heap(byte[] memory) : this(new Arena(memory), DefaultBlockSize, DefaultFinalFreeBlocks)
        {
        }

        /// <summary>A heap with <paramref name="blockSize"/>-byte blocks over a fresh arena on <paramref name="memory"/>.</summary>
        public Heap(byte[] memory, int blockSize) : this(new Arena(memory), blockSize, DefaultFinalFreeBlocks)
        {
        }

        /// <summary>A heap over <paramref name="arena"/>; it owns the arena's break from now on.</summary>
        public Heap(Arena arena, int blockSize) : this(arena, blockSize, DefaultFinalFreeBlocks)
        {
        }

        /// <summary>
        /// A heap over <paramref name="arena"/>. All of its own storage is allocated here, sized from
        /// the arena and the block size, so malloc and free never allocate managed memory.
        /// </summary>
        public Heap(Arena arena, int blockSize, int finalFreeBlocks)
        {
            if (arena == null)
            {
                throw new System.ArgumentNullException("arena");
            }

            if (blockSize < 2 * MINFRAG || (blockSize & (blockSize - 1)) != 0 || blockSize > MAX_BLOCKSIZE)
            {
                throw new System.ArgumentOutOfRangeException("blockSize", "BLOCKSIZE must be a power of two from 16 to 64 KiB");
            }

            if (finalFreeBlocks < 1)
            {
                throw new System.ArgumentOutOfRangeException("finalFreeBlocks", "FINAL_FREE_BLOCKS must be at least 1");
            }

            int log = 0;
            while ((1 << log) < blockSize)
            {
                log++;
            }

            BLOCKLOG = log;
            BLOCKSIZE = blockSize;
            FINAL_FREE_BLOCKS = finalFreeBlocks;
            _arena = arena;
            _m = arena.Memory;

            // Anchor + every block between the arena's start and its end + one spare entry, so
            // that "the entry after the last block" can always be written.
            _tableBlocks = ((arena.Size - arena.Start) >> log) + 2;
            _heapinfo = new int[_tableBlocks * HEAPINFO_WORDS];
            _fraghead = new int[log];
            _fraglog = new byte[(blockSize / 2) >> MINFRAGLOG];
            for (int i = 0; i < _fraglog.Length; i++)
            {
                // smallest l with 1 << l >= (i + 1) << MINFRAGLOG
                int size = (i + 1) << MINFRAGLOG;
                int l = MINFRAGLOG;
                while ((1 << l) < size)
                {
                    l++;
                }

                _fraglog[i] = (byte)l;
            }
        }

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
        /// switch it off: the interpreter model (tools/Checker.Nano.Benchmarks, interp) puts an
        /// uncontended lock at 110-250 ns per call (Monitor.Enter and Exit, two native calls).
        /// </summary>
        public bool ThreadSafe
        {
            get { return _threadSafe; }
            set { _threadSafe = value; }
        }

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

        /// <summary>The rover (_heapindex): the free cluster the next block search starts from.</summary>
        public int HeapIndex
        {
            get { return _heapindex; }
        }

        /// <summary>Whether the heap has been initialized (__malloc_initialized).</summary>
        public bool Initialized
        {
            get { return _initialized; }
        }

        /// <summary>
        /// The exception every operation throws when it finds the bookkeeping damaged: an index out
        /// of the table or the arena (caught at the public call, so no runtime exception escapes),
        /// or a walk longer than the table (a cycle). Checks cost nothing on the way: the runtime
        /// bounds-checks every index anyway, and a walk counts its steps down from the table's size.
        /// </summary>
        private static HeapException Damaged(string operation, int offset)
        {
            return new HeapException(operation, HeapError.Damaged, offset);
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

        /// <summary>
        /// The seed's initialize(): an empty heap at the arena's current break, the free list holding
        /// only its anchor. Called by the first operation; safe to call again only through <see cref="Reset"/>.
        /// </summary>
        private void Initialize()
        {
            FillTable(INTERIOR);
            int[] h = _heapinfo;
            h[0] = 0;   // anchor: a free cluster of size 0
            h[1] = 0;   // free.next
            h[2] = 0;   // free.prev
            for (int i = 0; i < _fraghead.Length; i++)
            {
                _fraghead[i] = 0;
            }

            ClearAligned();
            StartAtBreak();
            _largestFree = 0;
            _noShrink = false;
            _initialized = true;
        }

        /// <summary>Every entry of the table set to { <paramref name="word0"/>, 0, 0 } (both policies' initialize).</summary>
        private void FillTable(int word0)
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
        /// when the arena allows (blocks, fragments and slots are 8-aligned), statistics at 0.
        /// </summary>
        private void StartAtBreak()
        {
            _heapbase = _arena.Sbrk(0);
            if ((_heapbase & 7) != 0 && _arena.Sbrk(8 - (_heapbase & 7)) != Arena.SbrkFailed)
            {
                _heapbase = _arena.Sbrk(0);
            }

            _heapindex = 0;
            _heaplimit = 1;
            _chunksUsed = 0;
            _bytesUsed = 0;
            _chunksFree = 0;
            _bytesFree = 0;
        }

        /// <summary>Forgets every block and puts the arena's break back at its start (tests, restarts).</summary>
        public void Reset()
        {
            if (!_threadSafe)
            {
                ResetInternal();
                return;
            }

            lock (_sync)
            {
                ResetInternal();
            }
        }

        private void ResetInternal()
        {
            if (_compact)
            {
                CompactReset();
                return;
            }

            _arena.Reset();
            Initialize();
        }

        /// <summary>
        /// The seed's morecore(): moves the break by <paramref name="size"/> bytes for new blocks and
        /// returns where they start, or 0 when the arena is exhausted. The table needs no growing
        /// here: it was sized for the whole arena (see the top of this file).
        /// </summary>
        private int Morecore(int size)
        {
            int result = _arena.Sbrk(size);
            if (result == Arena.SbrkFailed)
            {
                return 0;
            }

            if (result != ADDRESS(_heaplimit))
            {
                // Someone else moved the break (or _heaplimit is damaged): the heap would no
                // longer be contiguous. Put the break back and report damage, as any operation
                // that finds the bookkeeping inconsistent does.
                _arena.Sbrk(-size);
                throw Damaged("malloc", 0);
            }

            _heaplimit = BLOCK(result + size);
            return result;
        }
    }
}
