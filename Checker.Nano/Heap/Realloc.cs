// realloc and calloc (gmalloc.c's realloc.c and calloc.c).
//
// Like the seed's, realloc knows malloc's internals: to grow a block it frees it first, so that
// the blocks after it (and before it) coalesce, and mallocs again: the data survives because a
// free cluster's bookkeeping lives in the heapinfo table, not in the blocks. If the new malloc
// fails it takes the old blocks back exactly where they were. Rules, in the seed's order:
//   realloc(0, n) = malloc(n); realloc(p, 0) frees p and returns malloc(0) = 0;
//   a whole-block object asked for <= BLOCKSIZE/2 bytes moves to a fragment (if one can be had);
//   fewer blocks: shrink in place, the tail freed; the same number: in place;
//   more blocks: grow in place into the free blocks after it, else move (memmove) and copy;
//   a fragment whose new size still needs the same fragment size stays in place, else move.
namespace Checker.Nano
{
    public sealed partial class Heap
    {
        /// <summary>
        /// Resizes the block at <paramref name="ptr"/> to <paramref name="size"/> bytes, keeping its
        /// contents up to the smaller size, and returns its (maybe new) offset; 0 when there is no
        /// room, in which case the old block is untouched. A bad offset throws <see cref="HeapException"/>.
        /// </summary>
        public int Realloc(int ptr, int size)
        {
            if (_compact)
            {
                return CompactRealloc(ptr, size);
            }

            try
            {
                if (!_threadSafe)
                {
                    return ReallocChecked(ptr, size);
                }

                lock (_sync)
                {
                    return ReallocChecked(ptr, size);
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
            if (ptr != 0)
            {
                HeapError error = CheckPointerInternal(ptr);
                if (error != HeapError.None)
                {
                    throw new HeapException("realloc", error, ptr);
                }

                int slot = _alignedCount == 0 ? -1 : AlignedSlot(ptr);
                if (slot >= 0)
                {
                    return ReallocAligned(ptr, slot, size);
                }
            }

            return ReallocInternal(ptr, size);
        }

        internal int ReallocInternal(int ptr, int size)
        {
            if (ptr == 0)
            {
                return MallocInternal(size);
            }

            if (size == 0)
            {
                FreeInternal(ptr);
                return MallocInternal(0);
            }

            if (size < 0)
            {
                return 0;
            }

            int[] h = _heapinfo;
            int block = BLOCK(ptr);
            int b3 = block * HEAPINFO_WORDS;
            int type = h[b3];
            if (type == 0)
            {
                int oldBlocks = h[b3 + 1];
                if (size <= BLOCKSIZE / 2)
                {
                    // Maybe a fragment now.
                    int small = MallocInternal(size);
                    if (small != 0)
                    {
                        CountBytesCopied(size);
                        System.Array.Copy(_m, ptr, _m, small, size);
                        FreeInternal(ptr);
                        return small;
                    }
                }

                int blocks = BLOCKIFY(size);
                if (blocks < oldBlocks)
                {
                    // Shrink in place: split off the tail as a busy object of its own and free it.
                    int t3 = (block + blocks) * HEAPINFO_WORDS;
                    h[t3] = 0;
                    h[t3 + 1] = oldBlocks - blocks;
                    h[t3 + 2] = 0;
                    h[b3 + 1] = blocks;
                    _chunksUsed++;   // the split made a chunk, which the free below uncounts
                    FreeBlocks(block + blocks);
                    return ptr;
                }

                if (blocks == oldBlocks)
                {
                    return ptr;
                }

                // Grow: free first (so the neighbours coalesce) without giving the top back, then malloc.
                // A break moved behind the heap's back would make morecore throw after the free:
                // refuse before anything changes, so the block and its bytes stay.
                if (_arena.Sbrk(0) != ADDRESS(_heaplimit))
                {
                    throw Damaged("realloc", ptr);
                }

                int savedIndex = _heapindex;
                _noShrink = true;
                FreeBlocks(block);
                _noShrink = false;
                int result = MallocBlocks(blocks);
                if (result == 0)
                {
                    // Take the old blocks back where they were. The cluster that holds them starts
                    // at the rover, so a first fit from there lands on it.
                    int holder = _heapindex;
                    if (holder == block)
                    {
                        MallocBlocks(oldBlocks);
                    }
                    else
                    {
                        int previous = MallocBlocks(block - holder);
                        MallocBlocks(oldBlocks);
                        FreeBlocks(BLOCK(previous));
                    }

                    _heapindex = savedIndex;
                    ResetRoverIfStale();
                    return 0;
                }

                if (result != ptr)
                {
                    CountBytesCopied(oldBlocks << BLOCKLOG);
                    System.Array.Copy(_m, ptr, _m, result, oldBlocks << BLOCKLOG);
                }

                return result;
            }

            // A fragment of 1 << type bytes.
            type &= FRAGLOG_MASK;
            if (size > (1 << (type - 1)) && size <= (1 << type))
            {
                return ptr;
            }

            if (type == MINFRAGLOG && size <= MINFRAG)
            {
                return ptr;   // the smallest fragment serves every size up to it
            }

            int moved = MallocInternal(size);
            if (moved == 0)
            {
                return 0;
            }

            int keep = 1 << type;
            CountBytesCopied(size < keep ? size : keep);
            System.Array.Copy(_m, ptr, _m, moved, size < keep ? size : keep);
            FreeInternal(ptr);
            return moved;
        }

        /// <summary>The rover must name a free cluster (or the anchor); after an undone realloc it may not.</summary>
        private void ResetRoverIfStale()
        {
            int[] h = _heapinfo;
            int r = _heapindex;
            if (r != 0 && (r >= _heaplimit || h[r * HEAPINFO_WORDS] >= 0 || h[r * HEAPINFO_WORDS] == INTERIOR))
            {
                _heapindex = 0;
            }
        }

        /// <summary>
        /// Allocates <paramref name="count"/> * <paramref name="size"/> zeroed bytes; 0 if the product
        /// overflows, is 0, or does not fit.
        /// </summary>
        public int Calloc(int count, int size)
        {
            if (_compact)
            {
                return CompactCalloc(count, size);
            }

            try
            {
                if (!_threadSafe)
                {
                    return CallocInternal(count, size);
                }

                lock (_sync)
                {
                    return CallocInternal(count, size);
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

        internal int CallocInternal(int count, int size)
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

            int result = MallocInternal((int)total);
            if (result != 0)
            {
                System.Array.Clear(_m, result, (int)total);
            }

            return result;
        }
    }
}
