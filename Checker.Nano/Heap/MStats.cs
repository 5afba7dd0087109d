// Statistics like the seed's mstats() (struct mstats: bytes_total, chunks_used, bytes_used,
// chunks_free, bytes_free), plus what a microcontroller wants to know: the arena, the largest
// free run and the bytes of the allocator's own fixed storage.
namespace Checker.Nano
{
    /// <summary>A snapshot of the heap's statistics.</summary>
    public sealed class MStats
    {
        /// <summary>bytes_total: bytes in the heap (its blocks, from the base to the break).</summary>
        public int BytesTotal;

        /// <summary>chunks_used: live blocks and fragments.</summary>
        public int ChunksUsed;

        /// <summary>bytes_used: bytes in live blocks and fragments (rounded up to their sizes).</summary>
        public int BytesUsed;

        /// <summary>chunks_free: free clusters and free fragments.</summary>
        public int ChunksFree;

        /// <summary>bytes_free: bytes in free clusters and free fragments.</summary>
        public int BytesFree;

        /// <summary>The largest run of free bytes a request could get without moving the break (one free cluster).</summary>
        public int LargestFreeRun;

        /// <summary>The arena's size (HEAP).</summary>
        public int ArenaBytes;

        /// <summary>Bytes the break can still grow by (up to the arena's limit).</summary>
        public int ArenaAvailable;

        /// <summary>Bytes of the heap's own fixed storage beside the arena (heapinfo table, fragment heads, size table).</summary>
        public int MetadataBytes;

        /// <summary>BLOCKSIZE.</summary>
        public int BlockSize;

        /// <summary>One line, e.g. for a console: "heap 16384 bytes: 3 used chunks (4224 bytes), 2 free (12160 bytes), largest free run 8192".</summary>
        public override string ToString()
        {
            return "heap " + BytesTotal.ToString() + " bytes: " + ChunksUsed.ToString() + " used chunks ("
                + BytesUsed.ToString() + " bytes), " + ChunksFree.ToString() + " free (" + BytesFree.ToString()
                + " bytes), largest free run " + LargestFreeRun.ToString() + "; arena " + ArenaBytes.ToString()
                + " bytes, " + ArenaAvailable.ToString() + " not yet in the heap; metadata " + MetadataBytes.ToString() + " bytes";
        }
    }

    public sealed partial class Heap
    {
        /// <summary>The seed's mstats(), by one walk of the table (no counter is kept per operation: see Heap.cs).</summary>
        protected override void StatsLocked(MStats s)
        {
            CountTable(s, null);
        }

        /// <summary>Bytes free in the heap: free clusters and free fragments, by a walk of the table.</summary>
        protected override int FreeBytesLocked()
        {
            int free = 0;
            int block = 1;
            while (block < _heaplimit)
            {
                int state;
                int nfree;
                int span = ReadEntry(block, out state, out nfree);
                if (state == WalkFree)
                {
                    free += span << BLOCKLOG;
                }
                else if (state > 0)
                {
                    free += nfree << state;
                }

                block += span;
            }

            return free;
        }

        /// <summary>
        /// Bytes of the heap's fixed storage: heapinfo (12 per entry), the free-fragment bitmap (one
        /// bit per 8 bytes of the arena), the fragment lists' heads, the size-to-log table, memalign pairs.
        /// </summary>
        public override int MetadataBytes
        {
            get { return (_heapinfo.Length * 4) + (_bits.Length * 4) + (_fraghead.Length * 4) + _fraglog.Length + AlignedMetadataBytes; }
        }
    }
}
