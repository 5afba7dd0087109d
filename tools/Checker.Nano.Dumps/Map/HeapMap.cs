// The heap map: what a picture of the arena needs, whatever it was built from.
//  - From a running heap (a trace replay, a test): the heapinfo table (Heap.WalkTable), the free
//    fragments (Heap.WalkFreeFragments) and the live blocks with their types and labels: exact.
//  - From a dump: the MAP records (PROTOCOL.md, rev 2: every dump of the base heap has them) give
//    the table; without them (a rev 1 firmware, or MAP records lost) the table is unknown and only
//    what the other records place is drawn: the heap's extent (STAT), the live debug blocks at
//    their addresses (LEAK), the counts.
// Offsets are arena offsets; blocks are numbered from 1 at HeapBase, as in the heap.
using System;
using System.Collections.Generic;
using System.Linq;

namespace Checker.Nano.Dumps
{
    /// <summary>A live block placed on the map (a debug block from a LEAK record, or a trace id's block).</summary>
    public sealed class MapChunk
    {
        /// <summary>Offset where the heap's block or fragment starts (the debug header included).</summary>
        public int Offset { get; init; }

        /// <summary>Bytes the program asked for.</summary>
        public int Size { get; init; }

        /// <summary>Debug block type, -1 when not known (base heap).</summary>
        public int Type { get; init; } = -1;

        /// <summary>Client subtype.</summary>
        public int? Sub { get; init; }

        /// <summary>A short label: "sensor.cs:42 {7}" or "id 12".</summary>
        public string Label { get; init; }
    }

    /// <summary>A picture's worth of heap.</summary>
    public sealed class HeapMap
    {
        /// <summary>Title (trace or log name and the moment).</summary>
        public string Title { get; set; }

        /// <summary>Bytes of the arena (HEAP).</summary>
        public int ArenaBytes { get; set; }

        /// <summary>BLOCKSIZE.</summary>
        public int BlockSize { get; set; }

        /// <summary>Offset of block 1.</summary>
        public int HeapBase { get; set; } = 8;

        /// <summary>Whether HeapBase was told (MAP record or a heap) rather than assumed.</summary>
        public bool HeapBaseKnown { get; set; }

        /// <summary>Blocks in the heap (up to the break).</summary>
        public int HeapBlocks { get; set; }

        /// <summary>Whole blocks the arena can hold from HeapBase (the heap can grow to this).</summary>
        public int ArenaBlocks => BlockSize <= 0 ? 0 : Math.Max(HeapBlocks, (ArenaBytes - HeapBase) / BlockSize);

        /// <summary>The table in address order; empty when unknown.</summary>
        public List<MapRun> Entries { get; } = new List<MapRun>();

        /// <summary>Whether the table is known (Entries describe every heap block).</summary>
        public bool TableKnown { get; set; }

        /// <summary>Offsets of the free fragments, null when not known (a dump tells only how many per block).</summary>
        public HashSet<int> FreeFragments { get; set; }

        /// <summary>Live blocks placed on the map.</summary>
        public List<MapChunk> Chunks { get; } = new List<MapChunk>();

        /// <summary>Bytes of the heap's own table beside the arena.</summary>
        public int MetadataBytes { get; set; }

        /// <summary>Fragmentation in per mille (FRAG pm), null when unknown.</summary>
        public int? FragmentationPerMille { get; set; }

        /// <summary>Free bytes plus arena headroom (FRAG free).</summary>
        public int? FreeBytes { get; set; }

        /// <summary>The largest whole-block request that fits (FRAG largest).</summary>
        public int? LargestBytes { get; set; }

        /// <summary>Bytes in use (STAT bytes_used).</summary>
        public int? UsedBytes { get; set; }

        /// <summary>Notes on what the map could not show ("table unknown: the dump has no MAP records").</summary>
        public List<string> Notes { get; } = new List<string>();

        /// <summary>Free clusters (first block, blocks), largest first.</summary>
        public IEnumerable<MapRun> FreeRuns => Entries.Where(e => e.Kind == MapRunKind.Free).OrderByDescending(e => e.Blocks).ThenBy(e => e.FirstBlock);

        /// <summary>ADDRESS(block).</summary>
        public int Address(int block) => HeapBase + ((block - 1) * BlockSize);

        /// <summary>BLOCK(offset).</summary>
        public int Block(int offset) => ((offset - HeapBase) / BlockSize) + 1;

        /// <summary>The table entry holding <paramref name="block"/>, or null.</summary>
        public MapRun? EntryOf(int block)
        {
            foreach (MapRun e in Entries)
            {
                if (block >= e.FirstBlock && block < e.FirstBlock + e.Blocks)
                {
                    return e;
                }
            }

            return null;
        }

        /// <summary>The live chunk starting at <paramref name="offset"/>, or null.</summary>
        public MapChunk ChunkAt(int offset) => _chunkIndex != null && _chunkIndex.TryGetValue(offset, out MapChunk c) ? c : Chunks.FirstOrDefault(c => c.Offset == offset);

        private Dictionary<int, MapChunk> _chunkIndex;

        /// <summary>Indexes the chunks by offset (call after filling Chunks).</summary>
        public void Seal()
        {
            _chunkIndex = new Dictionary<int, MapChunk>();
            foreach (MapChunk c in Chunks)
            {
                _chunkIndex.TryAdd(c.Offset, c);
            }
        }

        /// <summary>Computes the fragmentation figure from the table the way HeapSummary does.</summary>
        public void ComputeFigures()
        {
            if (!TableKnown || BlockSize <= 0)
            {
                return;
            }

            int freeBytes = 0, largest = 0, top = 0, used = 0;
            foreach (MapRun e in Entries)
            {
                switch (e.Kind)
                {
                    case MapRunKind.Free:
                        freeBytes += e.Blocks * BlockSize;
                        largest = Math.Max(largest, e.Blocks * BlockSize);
                        if (e.FirstBlock + e.Blocks == HeapBlocks + 1)
                        {
                            top = e.Blocks * BlockSize;
                        }

                        break;
                    case MapRunKind.Fragments:
                        freeBytes += e.FreeFragments * e.FragmentSize;
                        used += BlockSize - (e.FreeFragments * e.FragmentSize);
                        break;
                    case MapRunKind.Object:
                        used += e.Blocks * BlockSize;
                        break;
                }
            }

            int headroom = (ArenaBlocks - HeapBlocks) * BlockSize;
            largest = Math.Max(largest, top + headroom);
            int free = freeBytes + headroom;
            FreeBytes ??= free;
            LargestBytes ??= largest;
            UsedBytes ??= used;
            FragmentationPerMille ??= free <= 0 ? 0 : (int)(1000L * (free - largest) / free);
        }
    }
}
