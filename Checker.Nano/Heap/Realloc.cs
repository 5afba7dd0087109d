// realloc (gmalloc.c's realloc.c) of the seed's policy; calloc is written once, in BaseHeap.
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
        /// <summary>realloc of a live block (never a memalign offset), or malloc for 0 (see the top of this file).</summary>
        protected override int ReallocRaw(int ptr, int size)
        {
            if (ptr == 0)
            {
                return MallocLocked(size);
            }

            if (size == 0)
            {
                FreeRaw(ptr);
                return MallocLocked(0);
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
                    int small = MallocLocked(size);
                    if (small != 0)
                    {
                        CountBytesCopied(size);
                        System.Array.Copy(_m, ptr, _m, small, size);
                        FreeRaw(ptr);
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
            if (size > (1 << (type - 1)) && size <= (1 << type))
            {
                return ptr;
            }

            if (type == MINFRAGLOG && size <= MINFRAG)
            {
                return ptr;   // the smallest fragment serves every size up to it
            }

            int moved = MallocLocked(size);
            if (moved == 0)
            {
                return 0;
            }

            int keep = 1 << type;
            CountBytesCopied(size < keep ? size : keep);
            System.Array.Copy(_m, ptr, _m, moved, size < keep ? size : keep);
            FreeRaw(ptr);
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
    }
}
