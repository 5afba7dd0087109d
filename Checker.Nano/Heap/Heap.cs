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
    /// The base heap with the seed's policy (GNU malloc's design) over an <see cref="Arena"/>.
    /// Offsets are ints into the arena's byte[]; 0 is null. Public operations take one lock unless
    /// <see cref="BaseHeap.ThreadSafe"/> is switched off.
    /// </summary>
    public sealed partial class Heap : BaseHeap
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

        /// <summary>Free blocks at the top that go back to the arena (FINAL_FREE_BLOCKS).</summary>
        public readonly int FINAL_FREE_BLOCKS;

        private readonly int[] _fraghead;        // first free fragment of each log2 size, 0 = none
        private readonly byte[] _fraglog;        // log2 fragment size by (size - 1) >> MINFRAGLOG

        private bool _noShrink;                  // realloc's "_heaplimit = 0": free must not shrink the break
        private int _heapindex;                  // the rover: where the next block search starts
        private int _largestFree;                // ours: no free cluster has more blocks than this

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
        public Heap(Arena arena, int blockSize, int finalFreeBlocks) : base(arena, blockSize)
        {
            if (finalFreeBlocks < 1)
            {
                throw new System.ArgumentOutOfRangeException("finalFreeBlocks", "FINAL_FREE_BLOCKS must be at least 1");
            }

            FINAL_FREE_BLOCKS = finalFreeBlocks;
            int log = BLOCKLOG;
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

        /// <summary>A <see cref="HeapMaker"/>: the seed's policy over <paramref name="arena"/>.</summary>
        public static BaseHeap Make(Arena arena, int blockSize)
        {
            return new Heap(arena, blockSize);
        }

        /// <summary>"seed": the seed's (GNU malloc's) policy.</summary>
        public override string PolicyName
        {
            get { return "seed"; }
        }

        /// <summary>One past the heap's last block: ADDRESS(_heaplimit).</summary>
        public override int HeapEnd
        {
            get { return _initialized ? ADDRESS(_heaplimit) : _heapbase; }
        }

        /// <summary>The rover (_heapindex): the free cluster the next block search starts from.</summary>
        public int HeapIndex
        {
            get { return _heapindex; }
        }

        /// <summary>
        /// The bytes a request of <paramref name="size"/> is given (its fragment or whole blocks),
        /// without allocating; 0 for size &lt;= 0.
        /// </summary>
        public override int AllottedBytes(int size)
        {
            if (size <= 0)
            {
                return 0;
            }

            if (size > BLOCKSIZE / 2)
            {
                return BLOCKIFY(size) << BLOCKLOG;
            }

            int f = MINFRAG;
            while (f < size)
            {
                f <<= 1;
            }

            return f;
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

            StartAtBreak();
            _heapindex = 0;
            _largestFree = 0;
            _noShrink = false;
            _initialized = true;
        }

        /// <summary>Initializes the heap if no operation has yet (the seed's "if (!__malloc_initialized)").</summary>
        protected override void EnsureInitialized()
        {
            if (!_initialized)
            {
                Initialize();
            }
        }

        /// <summary>Forgets every block and puts the arena's break back at its start.</summary>
        protected override void ResetLocked()
        {
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
