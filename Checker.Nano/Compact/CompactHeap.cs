// The Compact policy (opt-in: new CompactHeap(arena, blockSize), assembly Checker.Nano.Compact):
// fine size classes carved from runs of up to 4 blocks, large objects at 16-byte granules, free
// gaps in segregated (TLSF-style) lists with O(1) coalescing through the table. COMPACT.md
// describes the policy, the table's encoding and the worst-case work. It fulfils BaseHeap's
// contract (the seam under the layers), so the debug heap, Checker, the reporter and the tools
// work over it as over the seed's Heap. This file holds its state, its constructor, the public
// entry points and the table and gap-list primitives. CompactAlloc.cs holds malloc, free and
// realloc; CompactCheck.cs the pointer check, Validate, Describe, the walks and the statistics.
//
// Table (the seed's _heapinfo: three ints per block, block 1 at the heap base):
//   run head:        { C_RUN | class | last << C_LAST_SHIFT, nfree, first }  (slot indexes)
//   rest of a run:   { C_RUNI, the run's head block, 0 }
//   large area:      { C_AREA | C_OBJ? | C_GAP? | C_BACK? | objOff/16 << C_OBJ_SHIFT | gapOff/16 << C_GAP_SHIFT,
//                      length of the object starting here (C_OBJ),
//                      length of the gap starting here (C_GAP) or start of the gap ending here (C_BACK) }
// Every large object is at least BLOCKSIZE long, so a block holds at most one object start and at
// most one gap start, and never a gap start and the end of an earlier gap that started in
// another block: one entry describes them all. Entries past the heap are { C_AREA, 0, 0 }.
namespace Checker.Nano
{
    /// <summary>
    /// A base heap with the Compact policy (COMPACT.md): 1.18x peak live on the open traces against
    /// the seed's 1.41x, at the cost of a larger table walk on some operations.
    /// </summary>
    public sealed partial class CompactHeap : BaseHeap
    {
        /// <summary>FINAL_FREE_BLOCKS, as the seed's: a gap of this many blocks at the top goes back to the arena.</summary>
        public const int FINAL_FREE_BLOCKS = Heap.DefaultFinalFreeBlocks;

        /// <summary>Compact: word 0 of a run's first block (class in bits 0-5, last free slot from bit 6).</summary>
        public const int C_RUN = 1 << 30;

        /// <summary>Compact: word 0 of the other blocks of a run (word 1 = the run's first block).</summary>
        public const int C_RUNI = 1 << 29;

        /// <summary>Compact: word 0 of a block of the large area (objects and gaps).</summary>
        public const int C_AREA = 1 << 28;

        /// <summary>Compact: an object starts in this block (at objOff * 16; word 1 = its length).</summary>
        public const int C_OBJ = 1;

        /// <summary>Compact: a free gap starts in this block (at gapOff * 16; word 2 = its length).</summary>
        public const int C_GAP = 2;

        /// <summary>Compact: a gap that started in an earlier block ends in this one (word 2 = its start).</summary>
        public const int C_BACK = 4;

        /// <summary>Compact: shift of objOff (in 16-byte granules, 12 bits) in word 0.</summary>
        public const int C_OBJ_SHIFT = 4;

        /// <summary>Compact: shift of gapOff (in 16-byte granules, 12 bits) in word 0.</summary>
        public const int C_GAP_SHIFT = 16;

        /// <summary>Compact: mask of objOff and gapOff after their shift.</summary>
        public const int C_OFF_MASK = 0xFFF;

        /// <summary>Compact: mask of the class index in a run head's word 0.</summary>
        public const int C_CLASS_MASK = 63;

        /// <summary>Compact: shift of the index of the last slot of the run's free slots in the class list.</summary>
        public const int C_LAST_SHIFT = 6;

        /// <summary>Compact: mask of that index after its shift (16 bits: up to 4 blocks of 64 KiB in 8-byte slots).</summary>
        public const int C_LAST_MASK = 0xFFFF;

        /// <summary>Compact: the granule of large objects and gaps.</summary>
        public const int C_GRANULE = 16;

        /// <summary>Compact: the most blocks in one run.</summary>
        public const int C_MAX_RUN_BLOCKS = 4;

        /// <summary>Compact: gaps of the request's own list tried before the bitmap search.</summary>
        public const int C_OWN_LIST_TRIES = 4;

        /// <summary>Compact: second-level lists per power of two (log2).</summary>
        private const int C_SL = 3;

        // lowest set bit by de Bruijn multiplication (no intrinsics on the device)
        private static readonly byte[] DeBruijn =
        {
            0, 1, 28, 2, 29, 14, 24, 3, 30, 22, 20, 15, 25, 17, 4, 8,
            31, 27, 13, 23, 21, 19, 16, 7, 26, 12, 18, 6, 11, 5, 10, 9,
        };

        private readonly int[] _cSize;           // class -> slot size
        private readonly byte[] _cBlocks;        // class -> blocks per run
        private readonly int[] _cSlots;          // class -> slots per run
        private readonly int[] _cHead;           // class -> first free slot of the class list, 0 = none
        private readonly byte[] _cOf;            // (size - 1) >> 3 -> class, sizes 1 .. _cMax
        private readonly int _cMax;              // the largest class: larger requests are large objects
        private readonly int[] _gHead;           // gap lists: (fl - 4) * 8 + sl -> first gap, 0 = none
        private readonly int[] _gSl;             // fl - 4 -> bitmap of its non-empty lists
        private readonly int _gLevels;           // first levels: gaps of 16 bytes .. the arena
        private int _gFl;                        // bitmap of first levels with a non-empty list
        private int _top;                        // Compact: the break, one past the heap's last byte

        /// <summary>A Compact heap with <paramref name="blockSize"/>-byte blocks over a fresh arena on <paramref name="memory"/>.</summary>
        public CompactHeap(byte[] memory, int blockSize) : this(new Arena(memory), blockSize)
        {
        }

        /// <summary>
        /// A Compact heap over <paramref name="arena"/>; BLOCKSIZE from 64 to 64 KiB (256 or 512 are
        /// the measured choices, see COMPACT.md). All of its storage is allocated here.
        /// </summary>
        public CompactHeap(Arena arena, int blockSize) : base(arena, blockSize)
        {
            if (blockSize < 64)
            {
                throw new System.ArgumentOutOfRangeException("blockSize", "the Compact policy needs BLOCKSIZE from 64 to 64 KiB");
            }

            // Classes: 8, 16, ..., 64, then 4 per power of two (rounded up to 8), up to 3/4 BLOCKSIZE.
            int max = 3 * blockSize / 4;
            int[] sizes = new int[64];
            int n = 0;
            for (int x = 8; x <= 64 && x <= max; x += 8)
            {
                sizes[n++] = x;
            }

            for (int o = 64; o <= max; o *= 2)
            {
                for (int j = 0; j < 4; j++)
                {
                    int x = (((o * (4 + j)) / 4) + 7) / 8 * 8;
                    if (x > sizes[n - 1] && x <= max)
                    {
                        sizes[n++] = x;
                    }
                }
            }

            if (sizes[n - 1] < max)
            {
                sizes[n++] = max;
            }

            _cMax = max;
            _cSize = new int[n];
            _cBlocks = new byte[n];
            _cSlots = new int[n];
            _cHead = new int[n];
            for (int c = 0; c < n; c++)
            {
                int s = sizes[c];
                int k = RunBlocks(blockSize, s);
                _cSize[c] = s;
                _cBlocks[c] = (byte)k;
                _cSlots[c] = k * blockSize / s;
            }

            _cOf = new byte[max >> 3];
            int cl = 0;
            for (int i = 0; i < _cOf.Length; i++)
            {
                while (_cSize[cl] < (i + 1) << 3)
                {
                    cl++;
                }

                _cOf[i] = (byte)cl;
            }

            // Gap lists for gaps of 16 bytes up to the arena's size.
            int flmax = Log2(arena.Size);
            _gLevels = flmax - 4 + 1;
            _gHead = new int[_gLevels << C_SL];
            _gSl = new int[_gLevels];
        }

        /// <summary>A <see cref="HeapMaker"/>: the Compact policy over <paramref name="arena"/>.</summary>
        public static BaseHeap Make(Arena arena, int blockSize)
        {
            return new CompactHeap(arena, blockSize);
        }

        /// <summary>"compact": the Compact policy.</summary>
        public override string PolicyName
        {
            get { return "compact"; }
        }

        /// <summary>One past the heap's last byte: its top.</summary>
        public override int HeapEnd
        {
            get { return _initialized ? _top : _heapbase; }
        }

        /// <summary>Compact: the largest size class; larger requests are large objects.</summary>
        public int LargestClass
        {
            get { return _cMax; }
        }

        /// <summary>
        /// The bytes a request of <paramref name="size"/> is given under this heap's policy (its
        /// fragment, slot, whole blocks or 16-byte granules), without allocating; 0 for size &lt;= 0.
        /// </summary>
        public override int AllottedBytes(int size)
        {
            if (size <= 0)
            {
                return 0;
            }

            if (size <= _cMax)
            {
                return _cSize[_cOf[(size - 1) >> 3]];
            }

            return size <= BLOCKSIZE ? BLOCKSIZE : (size + (C_GRANULE - 1)) & ~(C_GRANULE - 1);
        }

        /// <summary>
        /// Compact: blocks per run of a class of <paramref name="size"/> bytes: the smallest k (up to
        /// 4) whose run wastes at most 1/16 of itself, else the k that wastes least.
        /// </summary>
        public static int RunBlocks(int blockSize, int size)
        {
            int best = 1;
            int bestWaste = 0;
            int bestLen = 0;
            for (int k = 1; k <= C_MAX_RUN_BLOCKS; k++)
            {
                int len = k * blockSize;
                int waste = len - ((len / size) * size);
                if (waste * 16 <= len)
                {
                    return k;
                }

                // waste / len < bestWaste / bestLen
                if (k == 1 || (long)waste * bestLen < (long)bestWaste * len)
                {
                    best = k;
                    bestWaste = waste;
                    bestLen = len;
                }
            }

            return best;
        }

        private static int Log2(int v)
        {
            int r = 0;
            if ((v & 0x7FFF0000) != 0)
            {
                v >>= 16;
                r += 16;
            }

            if ((v & 0xFF00) != 0)
            {
                v >>= 8;
                r += 8;
            }

            if ((v & 0xF0) != 0)
            {
                v >>= 4;
                r += 4;
            }

            if ((v & 0xC) != 0)
            {
                v >>= 2;
                r += 2;
            }

            if ((v & 0x2) != 0)
            {
                r += 1;
            }

            return r;
        }

        private static int LowBit(int x)
        {
            return DeBruijn[(int)(((uint)(x & -x) * 0x077CB531u) >> 27)];
        }

        // ---------------------------------------------------------------- entry points

        private void CompactInitialize()
        {
            FillTable(C_AREA);
            for (int i = 0; i < _cHead.Length; i++)
            {
                _cHead[i] = 0;
            }

            for (int i = 0; i < _gHead.Length; i++)
            {
                _gHead[i] = 0;
            }

            for (int i = 0; i < _gSl.Length; i++)
            {
                _gSl[i] = 0;
            }

            _gFl = 0;
            StartAtBreak();
            _top = _heapbase;
            _initialized = true;
        }

        /// <summary>Initializes the heap if no operation has yet.</summary>
        protected override void EnsureInitialized()
        {
            if (!_initialized)
            {
                CompactInitialize();
            }
        }

        /// <summary>Forgets every block and puts the arena's break back at its start.</summary>
        protected override void ResetLocked()
        {
            _arena.Reset();
            CompactInitialize();
        }

        /// <summary>
        /// Allocates <paramref name="size"/> bytes; 0 when the arena is exhausted (or size &lt;= 0).
        /// Throws <see cref="HeapException"/> (Damaged) on damaged bookkeeping.
        /// </summary>
        public override int Malloc(int size)
        {
            if (_tracer != null)
            {
                return MallocTraced(size);   // BaseHeap's Trace.cs: the same malloc, then the event
            }

            try
            {
                if (!_threadSafe)
                {
                    return MallocLocked(size);
                }

                lock (_sync)
                {
                    return MallocLocked(size);
                }
            }
            catch (System.IndexOutOfRangeException)
            {
                throw Damaged("malloc", 0);
            }
        }

        /// <summary>
        /// Frees the slot or large object at <paramref name="ptr"/>; free(0) does nothing. Any other
        /// offset that is not a live block throws <see cref="HeapException"/> and changes nothing.
        /// </summary>
        public override void Free(int ptr)
        {
            if (ptr == 0)
            {
                return;
            }

            if (_tracer != null)
            {
                FreeTraced(ptr);   // BaseHeap's Trace.cs: the same free, then the event
                return;
            }

            try
            {
                if (!_threadSafe)
                {
                    FreeChecked(ptr);
                    return;
                }

                lock (_sync)
                {
                    FreeChecked(ptr);
                }
            }
            catch (System.IndexOutOfRangeException)
            {
                throw Damaged("free", ptr);
            }
        }

        private void FreeChecked(int ptr)
        {
            HeapError error = CheckLocked(ptr);
            if (error != HeapError.None)
            {
                throw new HeapException("free", error, ptr);
            }

            FreeLocked(ptr);
        }

        // ---------------------------------------------------------------- table and gap lists

        /// <summary>Compact: the block the byte at <paramref name="offset"/> lies in, times HEAPINFO_WORDS.</summary>
        private int C3(int offset)
        {
            return (((offset - _heapbase) >> BLOCKLOG) + 1) * HEAPINFO_WORDS;
        }

        private void SetTop(int top)
        {
            _top = top;
            _heaplimit = top == _heapbase ? 1 : ((top - 1 - _heapbase) >> BLOCKLOG) + 2;
        }

        private void SetObject(int p, int len)
        {
            int b3 = C3(p);
            int start = p - ((p - _heapbase) & (BLOCKSIZE - 1));
            _heapinfo[b3] |= C_OBJ | (((p - start) >> 4) << C_OBJ_SHIFT);
            _heapinfo[b3 + 1] = len;
        }

        private void ClearObject(int p)
        {
            int b3 = C3(p);
            _heapinfo[b3] &= ~(C_OBJ | (C_OFF_MASK << C_OBJ_SHIFT));
            _heapinfo[b3 + 1] = 0;
        }

        /// <summary>The length of the gap that starts exactly at <paramref name="p"/> (inside the heap), or 0.</summary>
        private int GapAt(int p)
        {
            int b3 = C3(p);
            int w = _heapinfo[b3];
            if ((w & C_GAP) == 0 || (w & C_AREA) == 0)
            {
                return 0;
            }

            int start = p - ((p - _heapbase) & (BLOCKSIZE - 1));
            return start + (((w >> C_GAP_SHIFT) & C_OFF_MASK) << 4) == p ? _heapinfo[b3 + 2] : 0;
        }

        /// <summary>The start of the gap that ends exactly at <paramref name="p"/> (above the heap base), or 0.</summary>
        private int GapEndingAt(int p)
        {
            int b3 = C3(p - 1);
            int w = _heapinfo[b3];
            if ((w & C_AREA) == 0)
            {
                return 0;
            }

            if ((w & C_GAP) != 0)
            {
                int start = (p - 1) - ((p - 1 - _heapbase) & (BLOCKSIZE - 1));
                int s = start + (((w >> C_GAP_SHIFT) & C_OFF_MASK) << 4);
                if (s + _heapinfo[b3 + 2] == p)
                {
                    return s;
                }
            }

            if ((w & C_BACK) != 0)
            {
                int s = _heapinfo[b3 + 2];
                if (s + _heapinfo[C3(s) + 2] == p)
                {
                    return s;
                }
            }

            return 0;
        }

        /// <summary>The gap list of a gap of <paramref name="size"/> bytes (16 up).</summary>
        private static int GapList(int size)
        {
            int fl = Log2(size);
            return ((fl - 4) << C_SL) + ((size >> (fl - C_SL)) & ((1 << C_SL) - 1));
        }

        /// <summary>The first non-empty gap list from <paramref name="list"/> up, or -1.</summary>
        private int FindGapList(int list)
        {
            int f = list >> C_SL;
            if (f >= _gLevels)
            {
                return -1;
            }

            int map = _gSl[f] & (-1 << (list & ((1 << C_SL) - 1)));
            if (map == 0)
            {
                int fmap = f + 1 >= 31 ? 0 : _gFl & (-1 << (f + 1));
                if (fmap == 0)
                {
                    return -1;
                }

                f = LowBit(fmap);
                map = _gSl[f];
            }

            return (f << C_SL) + LowBit(map);
        }

        /// <summary>
        /// Puts <paramref name="p"/> at the head of the list <paramref name="heads"/>[<paramref name="i"/>]
        /// (a gap list or a class list: a node keeps next at +0 and prev at +4, 0 at either end).
        /// </summary>
        private void PushFront(int[] heads, int i, int p)
        {
            byte[] m = _m;
            int next = heads[i];
            Bytes.PutInt32(m, p, next);
            Bytes.PutInt32(m, p + 4, 0);
            if (next != 0)
            {
                Bytes.PutInt32(m, next + 4, p);
            }

            heads[i] = p;
        }

        /// <summary>
        /// Takes the nodes between <paramref name="before"/> and <paramref name="after"/> out of the
        /// list <paramref name="heads"/>[<paramref name="i"/>]: one gap, or a run's free slots
        /// (before = 0: they head the list; after = 0: they end it).
        /// </summary>
        private void Unlink(int[] heads, int i, int before, int after)
        {
            if (before == 0)
            {
                heads[i] = after;
            }
            else
            {
                Bytes.PutInt32(_m, before, after);
            }

            if (after != 0)
            {
                Bytes.PutInt32(_m, after + 4, before);
            }
        }

        /// <summary>Makes [s, s + size) a free gap: its table marks and the head of its list.</summary>
        private void InsertGap(int s, int size)
        {
            int[] h = _heapinfo;
            byte[] m = _m;
            int b3 = C3(s);
            int start = s - ((s - _heapbase) & (BLOCKSIZE - 1));
            h[b3] |= C_GAP | (((s - start) >> 4) << C_GAP_SHIFT);
            h[b3 + 2] = size;
            int e3 = C3(s + size - 1);
            if (e3 != b3)
            {
                h[e3] |= C_BACK;
                h[e3 + 2] = s;
            }

            int list = GapList(size);
            PushFront(_gHead, list, s);
            _gSl[list >> C_SL] |= 1 << (list & ((1 << C_SL) - 1));
            _gFl |= 1 << (list >> C_SL);
            _chunksFree++;
            _bytesFree += size;
        }

        /// <summary>Takes the gap [s, s + size) out of its list and the table.</summary>
        private void RemoveGap(int s, int size)
        {
            int[] h = _heapinfo;
            byte[] m = _m;
            int list = GapList(size);
            int next = Bytes.GetInt32(m, s);
            int prev = Bytes.GetInt32(m, s + 4);
            if (prev == 0 && _gHead[list] != s)
            {
                throw Damaged("gap list", s);
            }

            Unlink(_gHead, list, prev, next);
            if (prev == 0 && next == 0)
            {
                int f = list >> C_SL;
                _gSl[f] &= ~(1 << (list & ((1 << C_SL) - 1)));
                if (_gSl[f] == 0)
                {
                    _gFl &= ~(1 << f);
                }
            }

            int b3 = C3(s);
            h[b3] &= ~(C_GAP | (C_OFF_MASK << C_GAP_SHIFT));
            h[b3 + 2] = 0;
            int e3 = C3(s + size - 1);
            if (e3 != b3)
            {
                h[e3] &= ~C_BACK;
                h[e3 + 2] = 0;
            }

            _chunksFree--;
            _bytesFree -= size;
        }
    }
}
