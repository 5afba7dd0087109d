// The base heap: Mike Haertel's GNU malloc (gmalloc.c: malloc.c, free.c, realloc.c), as Tristan
// Gingold explains it in "how malloc and checker work", over an arena instead of sbrk.
//
// Policy. The heap is cut into blocks of BLOCKSIZE bytes, numbered from 1 at the heap base.
// A request larger than BLOCKSIZE/2 gets whole blocks, first fit from a rover (_heapindex) over a
// circular, address-ordered list of free clusters; when nothing fits, morecore moves the break,
// growing the last free cluster in place if it ends at the break. A smaller request gets a
// fragment: a power of two from 8 bytes (one bit of the free-fragment bitmap, below) to
// BLOCKSIZE/2, taken from the list of free fragments of that size (_fraghead); when that list is
// empty a whole block is split into fragments of the size. Freed blocks coalesce with both
// neighbours; a free run of at least FINAL_FREE_BLOCKS at the top goes back to the arena; a block
// whose fragments are all free goes back to the block pool.
//
// Where the heapinfo table lives (decided by measurement). The seed allocates _heapinfo from the
// heap itself and reallocates it larger in morecore. Here it is a fixed int[] beside the arena,
// three ints (12 bytes) per block, sized for every block the arena can hold. Reasons:
//  - speed on the device: nanoFramework interprets IL; an int[] element costs about 20 ns, an int
//    assembled from four arena bytes about 70 ns (README, device table). Every malloc and free
//    touches 2-3 heapinfo words and every free-list step 3, so the table pays that difference on
//    each one.
//  - memory: a table sized for the whole arena costs (HEAP/BLOCKSIZE + 2) * 12 bytes, e.g. 216
//    bytes for 64 KiB with 4096-byte blocks, 3.9 KiB for 160 KiB with 512-byte blocks (2.4%).
//    The seed's table reaches the same size once the heap fills the arena, and on the way it
//    doubles, leaving the freed old tables as holes in a small arena.
//  - it keeps the table out of reach of a stray write through a block, which the debug heap and
//    Checker report but cannot undo.
//
// Where the free fragments are (ours, decided on the interpreter: see the README's device
// table). The seed links a size's free fragments into one list through the fragments themselves,
// a block's free fragments together. Reading and writing those links byte by byte was half of a
// malloc+free pair's cost. Here the same decisions are made from two int[]s instead:
//  - _fraghead[log] heads a doubly linked list of the blocks that have free fragments of
//    1 << log bytes (the links in their table entries), newest first, as the seed's list holds
//    its blocks' runs: malloc takes a fragment from the head block, a free into a block that had
//    none puts that block at the head, a block whose fragments are all free goes back to the
//    block pool. So the blocks used, split and given back, and with them every cluster and the
//    smallest HEAP a trace needs, are the seed's; only which fragment of the head block is handed
//    out differs (the lowest free one, not the seed's last-freed order).
//  - _bits has one bit per 8 bytes of the heap (a word per 256 bytes, or per block when BLOCKSIZE
//    is smaller), set where a free fragment starts. Malloc takes the lowest set bit of the head
//    block's "hint" word, kept in its entry (the word last freed into; when malloc empties it,
//    the next malloc looks round the block's other words); free sets the bit, after testing
//    it: a set bit is a double free, found in O(1) (the seed's free cannot tell). Splitting a
//    block sets its bits a word at a time. So a malloc or a free touches one bitmap word and one
//    table word, and a bit's offset is the heap base + 8 * its index: no block arithmetic.
// The bitmap costs HEAP/64 bytes (1 KiB for 64 KiB), counted in MetadataBytes; no metadata lives
// in the arena, so a stray write through a block cannot corrupt a free list.
//
// Statistics (the seed's _chunks_used, _bytes_used, _chunks_free, _bytes_free) are not kept per
// operation: MStats walks the table (the live count of a fragment block is in its entry).
//
// heapinfo entry i is _heapinfo[3i .. 3i+2]; the seed's union becomes an encoding of word 0:
//   busy, whole blocks:   { 0,          size (blocks),   0 }
//   busy, fragments:      { log,        hint << 16 | INLIST? | live,   next | prev << 16 }
//                         (log = log2 fragment size; live = fragments handed out; INLIST: the
//                         block has free fragments and is in _fraghead[log]'s list, next and
//                         prev its neighbours there, 0 at either end; hint = the index in _bits
//                         of the block's word malloc looks at first)
//   free cluster start:   { -size,      free.next,       free.prev }    (size >= 1 blocks)
//   inside a cluster:     { INTERIOR,   -,               - }            (neither busy nor free start)
// Entry 0 is the anchor of the free list ({0, next, prev}, a cluster of size 0), as in the seed.
// Marking every non-first entry INTERIOR is ours: it lets free() reject interior and freed
// offsets with a typed error instead of corrupting the table. Block numbers and bitmap word
// indexes are 16 bits in a fragment block's entry: HEAP/BLOCKSIZE and HEAP/256 stay below 65,536.
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

        /// <summary>log2 of the smallest fragment (8 bytes: one bit of the free-fragment bitmap).</summary>
        public const int MINFRAGLOG = 3;

        /// <summary>The smallest fragment in bytes (1 &lt;&lt; MINFRAGLOG).</summary>
        public const int MINFRAG = 1 << MINFRAGLOG;

        /// <summary>Word 0 of a heapinfo entry that is not the first of a cluster or busy block.</summary>
        public const int INTERIOR = int.MinValue;

        /// <summary>Word 1 of a fragment block: the fragments handed out, in these bits.</summary>
        public const int FRAG_LIVE_MASK = 0x7FFF;

        /// <summary>Word 1 of a fragment block: the block has free fragments and is in its size's list.</summary>
        public const int FRAG_INLIST = 0x8000;

        /// <summary>Word 1 of a fragment block: above this shift, the index in the bitmap of its lowest word with a free fragment.</summary>
        public const int FRAG_HINT_SHIFT = 16;

        /// <summary>Word 2 of a fragment block: the next block of its list in these bits, the previous one above FRAG_PREV_SHIFT.</summary>
        public const int FRAG_LINK_MASK = 0xFFFF;

        /// <summary>Word 2 of a fragment block: the shift of the previous block of its list.</summary>
        public const int FRAG_PREV_SHIFT = 16;

        /// <summary>Free blocks at the top that go back to the arena (FINAL_FREE_BLOCKS).</summary>
        public readonly int FINAL_FREE_BLOCKS;

        private readonly int[] _fraghead;        // _fraghead: first block with free fragments of each log2 size, 0 = none
        private readonly byte[] _fraglog;        // log2 fragment size by (size - 1) >> MINFRAGLOG
        private readonly int[] _bits;            // one bit per 8 bytes of the arena: a free fragment starts here
        private readonly int _half;              // BLOCKSIZE / 2: the largest fragment
        private readonly int _blockmask;         // BLOCKSIZE - 1
        private readonly int _wordLog;           // log2 of the bytes a word of _bits covers: 8, or BLOCKLOG when smaller
        private readonly int _bitMask;           // bits used in a word of _bits, less 1 (31, or BLOCKSIZE/8 - 1)

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

            int log = BLOCKLOG;
            _wordLog = log < 8 ? log : 8;
            _bitMask = (1 << (_wordLog - MINFRAGLOG)) - 1;
            if (_tableBlocks > FRAG_LINK_MASK || (_tableBlocks << (log - _wordLog)) > FRAG_LINK_MASK)
            {
                throw new System.ArgumentOutOfRangeException("blockSize", "the seed's policy needs HEAP/BLOCKSIZE and HEAP/256 below 65,535 (16-bit block numbers and bitmap words in a fragment block's entry)");
            }

            FINAL_FREE_BLOCKS = finalFreeBlocks;
            _half = blockSize / 2;
            _blockmask = blockSize - 1;
            _bits = new int[(_tableBlocks - 2) << (log - _wordLog)];   // every block the arena can hold
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
            get { return _initialized ? ((_heaplimit - 1) << BLOCKLOG) + _heapbase : _heapbase; }   // ADDRESS(_heaplimit)
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

            System.Array.Clear(_bits, 0, _bits.Length);
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
