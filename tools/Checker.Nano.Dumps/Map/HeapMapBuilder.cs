// Builds HeapMaps: from a live heap of either policy (exact, to the byte), and from a dump (as exact
// as its records allow). Both put an entry in the same canonical form (MapRun.At): whole blocks
// when it starts and ends on block boundaries, else its offset and bytes; so the map of a heap and
// the map of that heap's dump are equal entry for entry.
using System;
using System.Collections.Generic;
using System.Linq;

namespace Checker.Nano.Dumps
{
    /// <summary>Makes <see cref="HeapMap"/>s.</summary>
    public static class HeapMapBuilder
    {
        /// <summary>
        /// The map of <paramref name="heap"/> (either policy) now: its walk, its free fragments or
        /// slots, and the live blocks in <paramref name="chunks"/> (may be null).
        /// </summary>
        public static HeapMap FromHeap(BaseHeap heap, string title, IEnumerable<MapChunk> chunks = null)
        {
            ArgumentNullException.ThrowIfNull(heap);
            var map = new HeapMap
            {
                Title = title,
                ArenaBytes = heap.Arena.Size,
                BlockSize = heap.BLOCKSIZE,
                MetadataBytes = heap.MetadataBytes,
                TableKnown = true,
            };
            int[] rows = new int[64 * BaseHeap.WALK_WORDS];
            int count = heap.WalkTable(rows);
            if (count * BaseHeap.WALK_WORDS > rows.Length)
            {
                rows = new int[count * BaseHeap.WALK_WORDS];
                count = heap.WalkTable(rows);
            }

            map.HeapBase = heap.Initialized ? heap.HeapBase : heap.Arena.Start;
            map.HeapBaseKnown = true;
            map.HeapBlocks = heap.Initialized ? heap.HeapLimit - 1 : 0;
            map.HeapBytes = heap.Initialized ? heap.HeapEnd - heap.HeapStart : 0;
            for (int i = 0; i < count; i++)
            {
                // A row is [offset, bytes, state, free] (BaseHeap.WalkTable). As Records.Map writes
                // it: a row cut into slots is F only when it is whole blocks (else damage, x).
                int r = i * BaseHeap.WALK_WORDS;
                int state = rows[r + 2];
                long start = rows[r] - (long)map.HeapBase;
                MapRunKind kind = state == BaseHeap.WalkObject ? MapRunKind.Object : state == BaseHeap.WalkFree ? MapRunKind.Free
                    : state == BaseHeap.WalkAnomaly ? MapRunKind.Anomaly : MapRunKind.Fragments;
                MapRun e = MapRun.At(start, rows[r + 1], map.BlockSize, kind, kind == MapRunKind.Fragments ? state : 0, kind == MapRunKind.Fragments ? rows[r + 3] : 0);
                if (kind == MapRunKind.Fragments && !e.Whole)
                {
                    e = MapRun.At(start, rows[r + 1], map.BlockSize, MapRunKind.Anomaly);
                }

                map.Entries.Add(e);
            }

            int[] frees = new int[256];
            int n = heap.WalkFreeSlots(frees);
            if (n > frees.Length)
            {
                frees = new int[n];
                n = heap.WalkFreeSlots(frees);
            }

            map.FreeFragments = new HashSet<int>(frees.Take(Math.Min(n, frees.Length)));
            if (chunks != null)
            {
                map.Chunks.AddRange(chunks);
            }

            map.Seal();
            map.ComputeFigures();
            return map;
        }

        /// <summary>The map of <paramref name="dump"/>; <paramref name="hello"/> (may be null) gives HEAP and BLOCKSIZE when STAT is missing.</summary>
        public static HeapMap FromDump(Dump dump, Hello hello, string title)
        {
            ArgumentNullException.ThrowIfNull(dump);
            var map = new HeapMap { Title = title };
            HeapStat s = dump.Stat;
            map.BlockSize = s?.BlockSize ?? hello?.BlockSize ?? 0;
            map.ArenaBytes = s?.Arena ?? hello?.Heap ?? 0;
            map.MetadataBytes = s?.Meta ?? 0;
            if (map.BlockSize <= 0 || (map.BlockSize & (map.BlockSize - 1)) != 0)
            {
                map.Notes.Add("BLOCKSIZE unknown: the dump has no STAT record and no HELLO came before it");
                map.BlockSize = 0;
                return map;
            }

            if (dump.Map != null)
            {
                map.HeapBase = dump.Map.HeapBase;
                map.HeapBaseKnown = true;
            }

            if (s != null)
            {
                map.HeapBlocks = (int)(((long)s.BytesTotal + map.BlockSize - 1) / map.BlockSize);
                map.HeapBytes = s.BytesTotal;
                map.UsedBytes = s.BytesUsed;
                if (map.ArenaBytes <= 0)
                {
                    map.ArenaBytes = map.HeapBase + s.BytesTotal + s.ArenaAvail;
                }
            }

            if (dump.Fragmentation != null)
            {
                map.FragmentationPerMille = dump.Fragmentation.PerMille;
                map.FreeBytes = dump.Fragmentation.FreeBytes;
                map.LargestBytes = dump.Fragmentation.LargestBytes;
            }

            if (dump.Map != null)
            {
                map.Entries.AddRange(dump.Map.Runs);
                MapRun? last = dump.Map.Runs.Count == 0 ? null : dump.Map.Runs[^1];
                int described = last is MapRun l ? l.FirstBlock + l.Blocks - 1 : 0;
                long describedBytes = last is MapRun lb ? lb.EndIn(map.BlockSize) : 0;
                if (described > map.HeapBlocks)
                {
                    map.HeapBlocks = described;
                    map.HeapBytes = (int)Math.Min(int.MaxValue, describedBytes);
                }

                map.TableKnown = dump.Map.MissingBlocks == 0 && describedBytes == map.HeapBytes;
                if (!map.TableKnown)
                {
                    long tail = Math.Max(0, map.HeapBytes - describedBytes);
                    map.Notes.Add($"heap table partly lost: {dump.Map.MissingBlocks + ((tail + map.BlockSize - 1) / map.BlockSize)} block(s) not described");
                }
            }
            else
            {
                map.Notes.Add("heap table unknown: the dump has no MAP records (live blocks are placed from LEAK)");
            }

            if (!map.HeapBaseKnown)
            {
                map.Notes.Add($"heap base assumed at 0x{map.HeapBase:X8}");
            }

            foreach (Leak l in dump.Leaks)
            {
                if (l.Address is int a && a - DebugHeap.HEADER_BYTES >= map.HeapBase)
                {
                    map.Chunks.Add(new MapChunk
                    {
                        Offset = a - DebugHeap.HEADER_BYTES,
                        Size = l.Size + DebugHeap.OVERHEAD_BYTES,
                        Type = l.Type,
                        Sub = l.Sub,
                        Label = $"{l.Site} {{{l.Request}}}",
                    });
                }
            }

            map.Seal();
            map.ComputeFigures();
            return map;
        }
    }
}
