// Builds HeapMaps: from a live Heap (exact), and from a dump (as exact as its records allow).
using System;
using System.Collections.Generic;
using System.Linq;

namespace Checker.Nano.Dumps
{
    /// <summary>Makes <see cref="HeapMap"/>s.</summary>
    public static class HeapMapBuilder
    {
        /// <summary>
        /// The map of <paramref name="heap"/> now: its table, its free fragments, and the live
        /// blocks in <paramref name="chunks"/> (may be null).
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
            for (int i = 0; i < count; i++)
            {
                // Rows are in bytes; the map is in blocks (exact for the seed's policy).
                int r = i * BaseHeap.WALK_WORDS;
                int state = rows[r + 2];
                MapRunKind kind = state == BaseHeap.WalkObject ? MapRunKind.Object : state == BaseHeap.WalkFree ? MapRunKind.Free
                    : state == BaseHeap.WalkAnomaly ? MapRunKind.Anomaly : MapRunKind.Fragments;
                int first = heap.BLOCK(rows[r]);
                int blocks = Math.Max(1, heap.BLOCK(rows[r] + rows[r + 1] - 1) - first + 1);
                map.Entries.Add(new MapRun(first, blocks, kind, kind == MapRunKind.Fragments ? state : 0, rows[r + 3]));
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
                map.HeapBlocks = s.BytesTotal / map.BlockSize;
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
                int described = dump.Map.Runs.Count == 0 ? 0 : dump.Map.Runs[^1].FirstBlock + dump.Map.Runs[^1].Blocks - 1;
                map.HeapBlocks = Math.Max(map.HeapBlocks, described);
                map.TableKnown = dump.Map.MissingBlocks == 0 && described == map.HeapBlocks;
                if (!map.TableKnown)
                {
                    map.Notes.Add($"heap table partly lost: {dump.Map.MissingBlocks + Math.Max(0, map.HeapBlocks - described)} block(s) not described");
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
