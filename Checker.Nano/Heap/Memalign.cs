// memalign (gmalloc.c's memalign.c), for both policies: malloc(size + alignment - 1) and hand out the first offset
// inside it that is a multiple of alignment. When that is not the block's own start, the pair
// (aligned, exact) is remembered so that free and realloc can find the real block again. The
// seed keeps those pairs in a list it mallocs; here they sit in a fixed table of
// MAX_ALIGNED pairs beside the heapinfo table (no managed allocation, counted in MStats).
// When the table is full, memalign (alignment > 8) returns 0 and changes nothing.
//
// Alignment is of the arena offset itself (offset % alignment == 0). Blocks and fragments are
// already 8-aligned (the heap starts on a multiple of 8), so alignment <= 8 is plain malloc.
// realloc of an aligned block returns an ordinary (8-aligned) block, as C allows.
namespace Checker.Nano
{
    public abstract partial class BaseHeap
    {
        /// <summary>How many memalign blocks whose offset is not their block's start can be live at once.</summary>
        public const int MAX_ALIGNED = 16;

        // _aligned[2k] = the aligned offset handed out, _aligned[2k + 1] = the block's real start; 0 = empty.
        private readonly int[] _aligned = new int[2 * MAX_ALIGNED];

        /// <summary>Pairs in use (0: no aligned offset is live, the common case every hot path tests).</summary>
        protected int _alignedCount;

        /// <summary>
        /// Allocates <paramref name="size"/> bytes at an offset that is a multiple of
        /// <paramref name="alignment"/> (a power of two), or returns 0 when there is no room.
        /// </summary>
        public int Memalign(int alignment, int size)
        {
            if (alignment <= 0 || (alignment & (alignment - 1)) != 0)
            {
                throw new System.ArgumentOutOfRangeException("alignment", "alignment must be a power of two");
            }

            try
            {
                if (!_threadSafe)
                {
                    return _tracer == null ? MemalignLocked(alignment, size) : MemalignRecorded(alignment, size);
                }

                lock (_sync)
                {
                    return _tracer == null ? MemalignLocked(alignment, size) : MemalignRecorded(alignment, size);
                }
            }
            catch (System.IndexOutOfRangeException)
            {
                throw Damaged("memalign", 0);
            }
        }

        /// <summary>memalign without the lock (the caller holds SyncRoot).</summary>
        public int MemalignLocked(int alignment, int size)
        {
            if (size <= 0 || alignment <= GRANULE)
            {
                return MallocLocked(size);
            }

            if (size > int.MaxValue - alignment || _alignedCount == MAX_ALIGNED)
            {
                return 0;   // no room for a pair: refuse before touching the heap
            }

            int result = MallocLocked(size + alignment - 1);
            if (result == 0)
            {
                return 0;
            }

            int adj = result & (alignment - 1);
            if (adj == 0)
            {
                return result;
            }

            int slot = 0;
            for (int i = 0; i < MAX_ALIGNED; i++)
            {
                if (_aligned[2 * i] == 0)
                {
                    slot = i;
                    break;
                }
            }

            int aligned = result + alignment - adj;
            _aligned[2 * slot] = aligned;
            _aligned[(2 * slot) + 1] = result;
            _alignedCount++;
            return aligned;
        }

        /// <summary>Bytes of memalign's table (counted in each policy's MetadataBytes).</summary>
        protected int AlignedMetadataBytes
        {
            get { return _aligned.Length * 4; }
        }

        /// <summary>The table slot of an aligned offset handed out by memalign, or -1.</summary>
        protected int AlignedSlot(int ptr)
        {
            if (_alignedCount == 0 || ptr == 0)
            {
                return -1;
            }

            for (int i = 0; i < MAX_ALIGNED; i++)
            {
                if (_aligned[2 * i] == ptr)
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>The real start of the block of the pair in <paramref name="slot"/>.</summary>
        private int AlignedExact(int slot)
        {
            return _aligned[(2 * slot) + 1];
        }

        /// <summary>Forgets the pair in <paramref name="slot"/> and returns the block's real start.</summary>
        protected int TakeAligned(int slot)
        {
            int exact = _aligned[(2 * slot) + 1];
            _aligned[2 * slot] = 0;
            _aligned[(2 * slot) + 1] = 0;
            _alignedCount--;
            return exact;
        }

        private void ClearAligned()
        {
            for (int i = 0; i < _aligned.Length; i++)
            {
                _aligned[i] = 0;
            }

            _alignedCount = 0;
        }

        /// <summary>The table's verdict on <paramref name="ptr"/> corrected for the pairs: an aligned offset is live, its block's real start is not.</summary>
        private HeapError CheckAligned(int ptr, HeapError error)
        {
            if (error == HeapError.Interior && AlignedSlot(ptr) >= 0)
            {
                return HeapError.None;
            }

            if (error == HeapError.None)
            {
                for (int i = 0; i < MAX_ALIGNED; i++)
                {
                    if (_aligned[(2 * i) + 1] == ptr && _aligned[2 * i] != 0)
                    {
                        return HeapError.Interior;   // the real start of a memalign block: never handed out
                    }
                }
            }

            return error;
        }

        /// <summary>Realloc of an aligned offset: an ordinary block with the contents, the old block freed.</summary>
        private int ReallocAligned(int ptr, int slot, int size)
        {
            int exact = _aligned[(2 * slot) + 1];
            int usable = UsableSizeRaw(exact) - (ptr - exact);
            if (size == 0)
            {
                TakeAligned(slot);
                FreeRaw(exact);
                return 0;
            }

            int result = MallocLocked(size);
            if (result == 0)
            {
                return 0;
            }

            System.Array.Copy(_m, ptr, _m, result, size < usable ? size : usable);
            TakeAligned(slot);
            FreeRaw(exact);
            return result;
        }

        /// <summary>Validate's part: every pair names a live block that holds its aligned offset.</summary>
        private string ValidateAligned()
        {
            int count = 0;
            for (int i = 0; i < MAX_ALIGNED; i++)
            {
                int aligned = _aligned[2 * i];
                int exact = _aligned[(2 * i) + 1];
                if (aligned == 0)
                {
                    continue;
                }

                count++;
                if (CheckRaw(exact) != HeapError.None)
                {
                    return "memalign pair " + i.ToString() + ": block " + Bytes.Hex8(exact) + " is not live";
                }

                if (aligned <= exact || aligned >= exact + UsableSizeRaw(exact))
                {
                    return "memalign pair " + i.ToString() + ": " + Bytes.Hex8(aligned) + " is not inside the block at " + Bytes.Hex8(exact);
                }
            }

            return count == _alignedCount ? null : "memalign: " + count.ToString() + " pairs but the count says " + _alignedCount.ToString();
        }
    }
}
