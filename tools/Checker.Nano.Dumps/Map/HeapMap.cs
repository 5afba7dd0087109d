// The heap map: what a picture of the arena needs, whatever it was built from.
//  - From a running heap of either policy (a trace replay, a test): its walk (BaseHeap.WalkTable,
//    rows in bytes), its free fragments or slots (WalkFreeSlots) and the live blocks with their
//    types and labels: exact, to the byte.
//  - From a dump: the MAP records (PROTOCOL.md, rev 2 and 3: every dump of the base heap has them)
//    give the table; without them (a rev 1 firmware, or MAP records lost) the table is unknown and
//    only what the other records place is drawn: the heap's extent (STAT), the live debug blocks
//    at their addresses (LEAK), the counts.
// Offsets are arena offsets; blocks are numbered from 1 at HeapBase, as in the heap. The seed's
// entries are whole blocks; the Compact policy's runs are whole blocks too (k of them), its large
// objects and gaps lie at 16-byte granules, so they may start or end inside a block (MapRun.Offset
// and Bytes) and its break may lie inside the last block (HeapBytes).
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

        /// <summary>Blocks in the heap (up to the break; the last may be partly past it, Compact).</summary>
        public int HeapBlocks { get; set; }

        private int? _heapBytes;

        /// <summary>Bytes from HeapBase to the break: HeapBlocks whole blocks unless set (a Compact heap's break lies on a 16-byte granule).</summary>
        public int HeapBytes
        {
            get => _heapBytes ?? HeapBlocks * BlockSize;
            set => _heapBytes = value;
        }

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

        /// <summary>Free clusters and gaps, largest first.</summary>
        public IEnumerable<MapRun> FreeRuns => Entries.Where(e => e.Kind == MapRunKind.Free).OrderByDescending(BytesOf).ThenBy(StartOf);

        /// <summary>The arena offset where <paramref name="e"/> starts.</summary>
        public int StartOf(MapRun e) => (int)(HeapBase + e.StartIn(BlockSize));

        /// <summary>The bytes <paramref name="e"/> spans (a run's blocks, its unused tail included).</summary>
        public int BytesOf(MapRun e) => (int)e.LengthIn(BlockSize);

        /// <summary>The arena offset one past <paramref name="e"/>'s end.</summary>
        public int EndOf(MapRun e) => StartOf(e) + BytesOf(e);

        /// <summary>Whether <paramref name="e"/> ends at the break (a free one there can grow into the arena).</summary>
        public bool AtTop(MapRun e) => e.EndIn(BlockSize) == HeapBytes;

        /// <summary>ADDRESS(block).</summary>
        public int Address(int block) => HeapBase + ((block - 1) * BlockSize);

        /// <summary>BLOCK(offset).</summary>
        public int Block(int offset) => ((offset - HeapBase) / BlockSize) + 1;

        /// <summary>The first table entry that touches <paramref name="block"/> (a block may hold several over Compact), or null.</summary>
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

        /// <summary>The table entry holding the byte at arena offset <paramref name="offset"/>, or null.</summary>
        public MapRun? EntryAt(int offset)
        {
            foreach (MapRun e in Entries)
            {
                if (offset >= StartOf(e) && offset < EndOf(e))
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

            // As HeapSummary: a run's unused tail (bytes past its last slot, Compact) is neither used
            // nor free; the headroom is the whole blocks the break can still take.
            int freeBytes = 0, largest = 0, top = 0, used = 0;
            foreach (MapRun e in Entries)
            {
                int bytes = BytesOf(e);
                switch (e.Kind)
                {
                    case MapRunKind.Free:
                        freeBytes += bytes;
                        largest = Math.Max(largest, bytes);
                        if (AtTop(e))
                        {
                            top = bytes;
                        }

                        break;
                    case MapRunKind.Fragments:
                        int slots = e.FragmentSize <= 0 ? 0 : bytes / e.FragmentSize;
                        freeBytes += e.FreeFragments * e.FragmentSize;
                        used += (slots - e.FreeFragments) * e.FragmentSize;
                        break;
                    case MapRunKind.Object:
                        used += bytes;
                        break;
                }
            }

            int headroom = Math.Max(0, (ArenaBytes - HeapBase - HeapBytes) / BlockSize * BlockSize);
            largest = Math.Max(largest, top + headroom);
            int free = freeBytes + headroom;
            FreeBytes ??= free;
            LargestBytes ??= largest;
            UsedBytes ??= used;
            FragmentationPerMille ??= free <= 0 ? 0 : (int)(1000L * (free - largest) / free);
        }
    }
}
