// Lays a HeapMap out as a Scene. The arena is drawn block by block, left to right, top to bottom
// from block 1 (HeapBase); each row is labelled with its first block and offset.
//  - a busy object: its blocks in the colour of its debug block type (slate when the type is not
//    known), its start marked;
//  - a block split into fragments: a grid of its fragments, each free (pale green), used (by
//    type) or, when a dump cannot tell which fragments are free, neutral with "used/total"; a
//    Compact run of k blocks is one run: each of its blocks shows the slots that start in it, the
//    first block the label, and a dark outline goes round the run;
//  - a free cluster: pale green with a green outline and its size at its start;
//  - entries that start or end inside a block (the Compact policy's large objects and gaps, at
//    16-byte granules): the block is cut across at their byte extents, each part in its colour
//    (tagged "seg:" and the entry's offset), the outline and labels at the exact bytes;
//  - the arena past the break (not taken by the heap yet): light grey, in a block the break cuts too;
//  - unknown layout (a dump without MAP records): hatched blue-grey, live blocks placed on it.
// Beside the grid: the heapinfo table (one line per entry) and the free runs, largest first;
// below: the fragmentation figure as a bar, and the legend.
using System;
using System.Collections.Generic;
using System.Linq;

namespace Checker.Nano.Dumps
{
    /// <summary>The colours of the map (also the legend's).</summary>
    public static class MapPalette
    {
        public const string Normal = "#4C78A8";
        public const string Client = "#B279A2";
        public const string Crt = "#F58518";
        public const string Ignore = "#9D755D";
        public const string Used = "#5B6B7F";
        public const string Free = "#CDEBC5";
        public const string FreeOutline = "#2E8B3A";
        public const string FragmentUnknown = "#C9D6E3";
        public const string Unused = "#EEEEEE";
        public const string Unknown = "#D5DBE3";
        public const string Anomaly = "#E45756";
        public const string Grid = "#FFFFFF";
        public const string Text = "#222222";
        public const string Muted = "#666666";

        /// <summary>The colour of a live block of debug type <paramref name="type"/> (-1: unknown).</summary>
        public static string OfType(int type) => type switch
        {
            BlockTypes.Normal => Normal,
            BlockTypes.Client => Client,
            BlockTypes.Crt => Crt,
            BlockTypes.Ignore => Ignore,
            _ => Used,
        };
    }

    /// <summary>Lays out a <see cref="HeapMap"/>.</summary>
    public static class HeapMapRenderer
    {
        private const float Margin = 16;
        private const float LabelWidth = 92;
        private const float RowGap = 3;
        private const float PanelWidth = 340;

        /// <summary>Where block <paramref name="block"/>'s cell is (tests use it to find pixels).</summary>
        public static (float X, float Y, float Size) CellOf(HeapMap map, int block)
        {
            (int cols, float cell) = Grid(map);
            int i = block - 1;
            return (Margin + LabelWidth + (i % cols * cell), GridTop + (i / cols * (cell + RowGap)), cell);
        }

        private const float GridTop = 78;

        private static (int Cols, float Cell) Grid(HeapMap map)
        {
            int blocks = Math.Max(1, map.ArenaBlocks);
            int cols = blocks <= 32 ? blocks : blocks <= 2048 ? 32 : blocks <= 8192 ? 64 : 128;
            float cell = Math.Clamp(960f / cols, 5, 72);
            return (cols, (float)Math.Floor(cell));
        }

        /// <summary>The picture of <paramref name="map"/>.</summary>
        public static Scene Render(HeapMap map)
        {
            ArgumentNullException.ThrowIfNull(map);
            (int cols, float cell) = Grid(map);
            int blocks = map.ArenaBlocks;
            int rows = Math.Max(1, (blocks + cols - 1) / cols);
            float gridW = cols * cell;
            float gridH = rows * (cell + RowGap);
            float panelX = Margin + LabelWidth + gridW + 24;
            int tableLines = Math.Min(map.Entries.Count, 40);
            float panelH = 40 + (tableLines * 14) + 60 + (Math.Min(8, map.FreeRuns.Count()) * 14);
            float bottom = GridTop + Math.Max(gridH, panelH) + 16;
            int width = (int)(panelX + PanelWidth + Margin);
            int height = (int)(bottom + 150 + (map.Notes.Count * 16));
            var s = new Scene(width, height);

            // Title and the figures.
            s.Text(Margin, 28, map.Title ?? "heap map", 18, MapPalette.Text, bold: true);
            s.Text(Margin, 50, $"HEAP {map.ArenaBytes} bytes, BLOCKSIZE {map.BlockSize}, heap {map.HeapBlocks} of {blocks} block(s) to the break, "
                + $"base 0x{map.HeapBase:X8}, table {map.MetadataBytes} bytes beside the arena", 12, MapPalette.Muted);
            if (map.BlockSize <= 0)
            {
                s.Text(Margin, 80, "nothing to draw: BLOCKSIZE unknown", 14, MapPalette.Anomaly);
                DrawNotes(s, map, 110);
                s.Height = 110 + 20 + (map.Notes.Count * 16);
                return s;
            }

            DrawGrid(s, map, cols, cell, rows);
            DrawPanel(s, map, panelX);
            DrawFigures(s, map, bottom);
            return s;
        }

        private static void DrawGrid(Scene s, HeapMap map, int cols, float cell, int rows)
        {
            int blocks = map.ArenaBlocks;
            float x0 = Margin + LabelWidth;
            for (int row = 0; row < rows; row++)
            {
                int b = (row * cols) + 1;
                float y = GridTop + (row * (cell + RowGap));
                s.Text(x0 - 6, y + Math.Min(cell, 14) - 2, $"{b,4} 0x{map.Address(b):X6}", Math.Min(10, Math.Max(7, cell * 0.5f)), MapPalette.Muted, anchor: "end", mono: true);
            }

            // The entries that touch each block (over Compact a block may hold several).
            var touching = new List<MapRun>[blocks + 2];
            foreach (MapRun e in map.Entries)
            {
                for (int k = 0; k < e.Blocks && e.FirstBlock + k <= blocks; k++)
                {
                    (touching[e.FirstBlock + k] ??= new List<MapRun>(1)).Add(e);
                }
            }

            // Chunks placed without a table (dump without MAP): fragment size or whole blocks per chunk.
            var placed = new Dictionary<int, List<MapChunk>>();
            foreach (MapChunk c in map.Chunks)
            {
                int blk = map.Block(c.Offset);
                if (!placed.TryGetValue(blk, out List<MapChunk> list))
                {
                    placed[blk] = list = new List<MapChunk>();
                }

                list.Add(c);
            }

            for (int b = 1; b <= blocks; b++)
            {
                (float x, float y, _) = CellOf(map, b);
                string tag = "block:" + b;
                if (b > map.HeapBlocks)
                {
                    s.Rect(x, y, cell, cell, MapPalette.Unused, MapPalette.Grid, 1, tag);
                    continue;
                }

                List<MapRun> here = touching[b];
                if (here == null)
                {
                    DrawUnknownBlock(s, map, b, x, y, cell, placed.GetValueOrDefault(b), tag);
                    continue;
                }

                int blockStart = map.Address(b), blockEnd = blockStart + map.BlockSize;
                MapRun e = here[0];
                bool wholeCell = here.Count == 1 && map.StartOf(e) <= blockStart && map.EndOf(e) >= blockEnd && blockEnd <= map.HeapBase + map.HeapBytes;
                if (!wholeCell)
                {
                    DrawCutBlock(s, map, b, here, x, y, cell, tag);
                    continue;
                }

                switch (e.Kind)
                {
                    case MapRunKind.Object:
                        MapChunk owner = map.ChunkAt(map.StartOf(e));
                        s.Rect(x, y, cell, cell, MapPalette.OfType(owner?.Type ?? -1), MapPalette.Grid, 1, tag);
                        if (blockStart == map.StartOf(e) && cell >= 10)
                        {
                            s.Rect(x + 2, y + 2, Math.Max(2, cell / 6), cell - 4, "#FFFFFF");
                        }

                        break;
                    case MapRunKind.Free:
                        s.Rect(x, y, cell, cell, MapPalette.Free, MapPalette.Grid, 1, tag);
                        break;
                    case MapRunKind.Anomaly:
                        s.Rect(x, y, cell, cell, MapPalette.Anomaly, MapPalette.Grid, 1, tag);
                        break;
                    case MapRunKind.Fragments:
                        DrawFragments(s, map, b, e, x, y, cell, tag);
                        break;
                }
            }

            // Free clusters and gaps: outline each row segment of their bytes, size at their start.
            foreach (MapRun e in map.Entries.Where(e => e.Kind == MapRunKind.Free))
            {
                foreach ((float sx, float sy, float sw) in RowSegments(map, map.StartOf(e), map.EndOf(e), cols, cell))
                {
                    s.Rect(sx + 1, sy + 1, Math.Max(1, sw - 2), cell - 2, null, MapPalette.FreeOutline, 2);
                }

                (float fx, float fy) = PointOf(map, map.StartOf(e), cell);
                float width = (float)map.BytesOf(e) * cell / map.BlockSize;
                if (cell >= 24 && (e.Whole || width >= 28))
                {
                    s.Text(fx + 4, fy + (cell / 2) + 4, Size(map.BytesOf(e)), Math.Min(11, cell / 3.2f), MapPalette.FreeOutline, bold: true);
                }
            }

            // Runs of several blocks (Compact): one outline round the run.
            foreach (MapRun e in map.Entries.Where(e => e.Kind == MapRunKind.Fragments && e.Blocks > 1))
            {
                foreach ((float sx, float sy, float sw) in RowSegments(map, map.StartOf(e), map.EndOf(e), cols, cell))
                {
                    s.Rect(sx + 0.5f, sy + 0.5f, Math.Max(1, sw - 1), cell - 1, null, MapPalette.Text, 1, "run:" + e.FirstBlock);
                }
            }
        }

        /// <summary>Where the byte at arena offset <paramref name="offset"/> is drawn (its block's cell, cut across by bytes).</summary>
        private static (float X, float Y) PointOf(HeapMap map, int offset, float cell)
        {
            int b = map.Block(offset);
            (float x, float y, _) = CellOf(map, b);
            return (x + (cell * (offset - map.Address(b)) / map.BlockSize), y);
        }

        /// <summary>The bytes [<paramref name="from"/>, <paramref name="to"/>) as one rectangle per grid row: (x, y, width).</summary>
        private static IEnumerable<(float X, float Y, float W)> RowSegments(HeapMap map, int from, int to, int cols, float cell)
        {
            int last = Math.Min(map.ArenaBlocks, map.Block(to - 1));
            int b = map.Block(from);
            while (b <= last)
            {
                int rowEnd = Math.Min(last, (((b - 1) / cols) + 1) * cols);
                int a = Math.Max(from, map.Address(b)), z = Math.Min(to, map.Address(rowEnd) + map.BlockSize);
                (float x, float y) = PointOf(map, a, cell);
                float w = (float)(z - a) * cell / map.BlockSize;
                yield return (x, y, w);
                b = rowEnd + 1;
            }
        }

        /// <summary>
        /// A block that entries share, or that one covers only in part, or that the break cuts (the
        /// Compact policy): the cell in the colour of what holds its first byte, then each entry's
        /// part at its byte extent ("seg:0x..." the entry's offset), the part past the break grey.
        /// </summary>
        private static void DrawCutBlock(Scene s, HeapMap map, int b, List<MapRun> here, float x, float y, float cell, string tag)
        {
            int blockStart = map.Address(b), blockEnd = blockStart + map.BlockSize, heapEnd = map.HeapBase + map.HeapBytes;
            MapRun? first = map.EntryAt(blockStart);
            s.Rect(x, y, cell, cell, first is MapRun f ? ColourOf(map, f) : MapPalette.Unused, MapPalette.Grid, 1, tag);
            foreach (MapRun e in here)
            {
                int a = Math.Max(map.StartOf(e), blockStart), z = Math.Min(map.EndOf(e), blockEnd);
                if (z <= a)
                {
                    continue;
                }

                if (e.Kind == MapRunKind.Fragments)
                {
                    DrawFragments(s, map, b, e, x, y, cell, tag + ":run");
                    continue;
                }

                float sx = x + (cell * (a - blockStart) / map.BlockSize), sw = Math.Max(1, cell * (z - a) / map.BlockSize);
                s.Rect(sx, y, sw, cell, ColourOf(map, e), MapPalette.Grid, 1, $"seg:0x{map.StartOf(e):X8}");
                if (e.Kind == MapRunKind.Object && a == map.StartOf(e) && cell >= 10)
                {
                    s.Rect(sx + 2, y + 2, Math.Max(2, Math.Min(cell / 6, sw - 3)), cell - 4, "#FFFFFF");
                }
            }

            if (heapEnd > blockStart && heapEnd < blockEnd)
            {
                float sx = x + (cell * (heapEnd - blockStart) / map.BlockSize);
                s.Rect(sx, y, x + cell - sx, cell, MapPalette.Unused, MapPalette.Grid, 1, "seg:past-break");
            }
        }

        /// <summary>The fill of an entry drawn whole: an object in its owner's type, free, anomaly, a run neutral.</summary>
        private static string ColourOf(HeapMap map, MapRun e) => e.Kind switch
        {
            MapRunKind.Object => MapPalette.OfType(map.ChunkAt(map.StartOf(e))?.Type ?? -1),
            MapRunKind.Free => MapPalette.Free,
            MapRunKind.Anomaly => MapPalette.Anomaly,
            _ => MapPalette.FragmentUnknown,
        };

        /// <summary>
        /// Block <paramref name="b"/> of a fragment block or run <paramref name="e"/>: the slots that
        /// start in this block, as a grid sized for a block's worth of slots (for the seed's fragment
        /// blocks: all of them), the label on the run's first block.
        /// </summary>
        private static void DrawFragments(Scene s, HeapMap map, int b, MapRun e, float x, float y, float cell, string tag)
        {
            int bs = map.BlockSize;
            int n = (int)((long)e.Blocks * bs / e.FragmentSize);   // slots in the run
            int k = b - e.FirstBlock;
            int i0 = (int)((((long)k * bs) + e.FragmentSize - 1) / e.FragmentSize);
            int i1 = Math.Min(n, (int)((((long)(k + 1) * bs) + e.FragmentSize - 1) / e.FragmentSize));
            int perCell = (bs + e.FragmentSize - 1) / e.FragmentSize;
            s.Rect(x, y, cell, cell, MapPalette.FragmentUnknown, MapPalette.Grid, 1, tag);
            int gc = (int)Math.Ceiling(Math.Sqrt(perCell));
            int gr = (perCell + gc - 1) / gc;
            float band = k == 0 ? LabelBand(cell) : 0;
            float sw = (cell - 2) / gc, sh = (cell - 2 - LabelBand(cell)) / gr;
            int address = map.StartOf(e);
            if (sw >= 1.5f && sh >= 1.5f)
            {
                for (int i = i0; i < i1; i++)
                {
                    int offset = address + (i * e.FragmentSize);
                    MapChunk chunk = map.ChunkAt(offset);
                    string color;
                    if (map.FreeFragments != null)
                    {
                        color = map.FreeFragments.Contains(offset) ? MapPalette.Free : MapPalette.OfType(chunk?.Type ?? -1);
                    }
                    else
                    {
                        color = chunk != null ? MapPalette.OfType(chunk.Type) : MapPalette.FragmentUnknown;
                    }

                    int j = i - i0;
                    float fx = x + 1 + (j % gc * sw), fy = y + 1 + (j / gc * sh);
                    s.Rect(fx, fy, Math.Max(1, sw - (sw >= 4 ? 1 : 0)), Math.Max(1, sh - (sh >= 4 ? 1 : 0)), color, null, 1, $"frag:0x{offset:X8}");
                }
            }
            else
            {
                // Too small for a grid: the used share as a bar.
                float used = 1f - ((float)e.FreeFragments / n);
                s.Rect(x + 1, y + 1 + ((cell - 2) * (1 - used)), cell - 2, (cell - 2) * used, MapPalette.Used);
            }

            if (band > 0)
            {
                s.Rect(x + 1, y + cell - band, cell - 2, band - 1, "#FFFFFF");
                s.Text(x + (cell / 2), y + cell - 3, $"{e.FragmentSize}B {n - e.FreeFragments}/{n}" + (e.Blocks > 1 ? $" x{e.Blocks}" : ""), 8, MapPalette.Text, anchor: "middle");
            }
        }

        /// <summary>Pixels at the bottom of a fragment block kept for its label ("64B 5/64"), 0 when the cell is too small.</summary>
        private static float LabelBand(float cell) => cell >= 40 ? 12 : 0;

        private static void DrawUnknownBlock(Scene s, HeapMap map, int b, float x, float y, float cell, List<MapChunk> chunks, string tag)
        {
            s.Rect(x, y, cell, cell, MapPalette.Unknown, MapPalette.Grid, 1, tag);
            for (float d = 4; d < cell * 2; d += 6)
            {
                float x1 = x + Math.Max(0, d - cell), y1 = y + Math.Min(cell, d);
                float x2 = x + Math.Min(cell, d), y2 = y + Math.Max(0, d - cell);
                s.Line(x1, y1, x2, y2, "#C2CAD4", 1);
            }

            if (chunks == null)
            {
                return;
            }

            int address = map.Address(b);
            foreach (MapChunk c in chunks)
            {
                if (c.Size > map.BlockSize / 2)
                {
                    int span = (c.Size + map.BlockSize - 1) / map.BlockSize;
                    for (int k = 0; k < span && b + k <= map.HeapBlocks; k++)
                    {
                        (float cx, float cy, _) = CellOf(map, b + k);
                        s.Rect(cx, cy, cell, cell, MapPalette.OfType(c.Type), MapPalette.Grid, 1, "chunk:0x" + c.Offset.ToString("X8"));
                    }

                    continue;
                }

                int frag = 8;
                while (frag < c.Size)
                {
                    frag <<= 1;
                }

                int n = map.BlockSize / frag;
                int gc = (int)Math.Ceiling(Math.Sqrt(n));
                int gr = (n + gc - 1) / gc;
                float sw = (cell - 2) / gc, sh = (cell - 2 - LabelBand(cell)) / gr;
                int i = (c.Offset - address) / frag;
                s.Rect(x + 1 + (i % gc * sw), y + 1 + (i / gc * sh), Math.Max(1.5f, sw - 1), Math.Max(1.5f, sh - 1), MapPalette.OfType(c.Type), null, 1,
                    $"frag:0x{c.Offset:X8}");
            }
        }

        private static void DrawPanel(Scene s, HeapMap map, float x)
        {
            float y = GridTop + 10;
            s.Text(x, y, "heapinfo table", 13, MapPalette.Text, bold: true);
            y += 18;
            if (map.Entries.Count == 0)
            {
                s.Text(x, y, "(unknown: no MAP records in this dump)", 11, MapPalette.Muted);
                y += 14;
            }

            int shown = 0;
            foreach (MapRun e in map.Entries)
            {
                if (shown == 40)
                {
                    s.Text(x, y, $"... {map.Entries.Count - 40} more entries", 11, MapPalette.Muted, mono: true);
                    y += 14;
                    break;
                }

                string at = e.Whole ? "" : $" +{e.Offset}";
                string what = e.Kind switch
                {
                    MapRunKind.Object when e.Whole => $"used   {e.Blocks,4} blk  {Size(e.Blocks * map.BlockSize)}",
                    MapRunKind.Free when e.Whole => $"free   {e.Blocks,4} blk  {Size(e.Blocks * map.BlockSize)}",
                    MapRunKind.Object => $"used   {e.Bytes,6} B  from{at}",
                    MapRunKind.Free => $"free   {e.Bytes,6} B  from{at}",
                    MapRunKind.Fragments when e.Blocks == 1 => $"frag {e.FragmentSize,5} B  {e.FreeFragments}/{map.BlockSize / e.FragmentSize} free",
                    MapRunKind.Fragments => $"run  {e.FragmentSize,5} B  {e.FreeFragments}/{(long)e.Blocks * map.BlockSize / e.FragmentSize} free, {e.Blocks} blk",
                    _ => e.Whole ? "interior? (anomaly)" : $"interior? (anomaly) {e.Bytes} B from{at}",
                };
                string color = e.Kind == MapRunKind.Free ? MapPalette.FreeOutline : e.Kind == MapRunKind.Anomaly ? MapPalette.Anomaly : MapPalette.Text;
                s.Text(x, y, $"{e.FirstBlock,5}  {what}", 11, color, mono: true);
                y += 14;
                shown++;
            }

            y += 14;
            s.Text(x, y, "free runs (largest first)", 13, MapPalette.Text, bold: true);
            y += 18;
            List<MapRun> runs = map.FreeRuns.ToList();
            if (runs.Count == 0)
            {
                s.Text(x, y, map.TableKnown ? "none: no free cluster" : "(unknown)", 11, MapPalette.Muted);
                y += 14;
            }

            foreach (MapRun e in runs.Take(8))
            {
                string where = e.Whole ? $"blocks {e.FirstBlock}-{e.FirstBlock + e.Blocks - 1}" : $"0x{map.StartOf(e):X}-0x{map.EndOf(e) - 1:X}";
                s.Text(x, y, $"{where}: {Size(map.BytesOf(e))}{(map.AtTop(e) ? " (top: grows into the arena)" : "")}", 11, MapPalette.FreeOutline, mono: true);
                y += 14;
            }

            if (runs.Count > 8)
            {
                s.Text(x, y, $"... {runs.Count - 8} more", 11, MapPalette.Muted);
            }
        }

        private static void DrawFigures(Scene s, HeapMap map, float y)
        {
            float x = Margin;
            const float barW = 420;
            if (map.FragmentationPerMille is int pm && map.FreeBytes is int free && map.LargestBytes is int largest)
            {
                s.Text(x, y + 12, $"fragmentation {pm / 10}.{pm % 10}%: free {free} bytes (heap + arena headroom), largest request that fits {largest}", 13, MapPalette.Text, bold: true);
                float fitW = free <= 0 ? 0 : barW * largest / free;
                s.Rect(x, y + 20, barW, 14, "#F4D3D2", "#999999", 1, "fragbar");
                s.Rect(x, y + 20, fitW, 14, MapPalette.Free, null, 1, "fragbar-fits");
                s.Text(x + barW + 8, y + 32, $"green: largest request that fits; red: free but unusable for it ({pm / 10}.{pm % 10}%)", 11, MapPalette.Muted);
            }
            else
            {
                s.Text(x, y + 12, "fragmentation: unknown (no FRAG record)", 13, MapPalette.Muted);
            }

            if (map.UsedBytes is int used)
            {
                s.Text(x, y + 52, $"in use {used} bytes (rounded to fragments and blocks); {map.Chunks.Count} live block(s) placed", 11, MapPalette.Muted);
            }

            // Legend.
            float ly = y + 72;
            (string Color, string Label)[] items =
            {
                (MapPalette.Normal, "Normal block"), (MapPalette.Client, "Client block"), (MapPalette.Crt, "CRT block"),
                (MapPalette.Ignore, "Ignore block"), (MapPalette.Used, "used (type unknown)"), (MapPalette.Free, "free (cluster or fragment)"),
                (MapPalette.FragmentUnknown, "fragment, state unknown"), (MapPalette.Unknown, "heap, layout unknown"),
                (MapPalette.Unused, "arena past the break"), (MapPalette.Anomaly, "table anomaly"),
            };
            for (int i = 0; i < items.Length; i++)
            {
                float lx = x + (i % 5 * 190), yy = ly + (i / 5 * 20);
                s.Rect(lx, yy, 14, 14, items[i].Color, "#888888", 1, "legend:" + items[i].Label);
                s.Text(lx + 20, yy + 11, items[i].Label, 11, MapPalette.Text);
            }

            DrawNotes(s, map, ly + 56);
        }

        private static void DrawNotes(Scene s, HeapMap map, float y)
        {
            foreach (string note in map.Notes)
            {
                s.Text(Margin, y, "note: " + note, 11, MapPalette.Muted);
                y += 16;
            }
        }

        private static string Size(int bytes) => bytes >= 1024 && bytes % 1024 == 0 ? $"{bytes / 1024} KiB" : $"{bytes} B";
    }
}
