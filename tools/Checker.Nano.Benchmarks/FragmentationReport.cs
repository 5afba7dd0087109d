// The "fragmentation" mode: for every trace and BLOCKSIZE, the memory figures (Fragmentation) and
// the worst-case work (HeapWorkMeter: the heap's own counters), printed as markdown tables with
// the traces README's reference figures beside ours. Deterministic: the same traces give the same tables on any machine.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Checker.Nano.Traces;

namespace Checker.Nano.Benchmarks
{
    /// <summary>Builds and prints the fragmentation and work tables.</summary>
    public static class FragmentationReport
    {
        /// <summary>The BLOCKSIZEs measured by default.</summary>
        public static readonly int[] DefaultBlockSizes = { 4096, 1024, 512, 256 };

        /// <summary>The BLOCKSIZEs the opt-in Compact policy is measured at (COMPACT.md).</summary>
        public static readonly int[] CompactBlockSizes = { 256, 512 };

        private static string F(double v) => double.IsNaN(v) ? "-" : v.ToString("0.000", CultureInfo.InvariantCulture);

        /// <summary>Measures every trace in <paramref name="directory"/> (or those named) and returns the markdown.</summary>
        public static string Build(string directory, IReadOnlyList<int> blockSizes, IReadOnlyList<string> only, bool work, TextWriter progress, bool layers = true)
        {
            return Build(directory, blockSizes, only, work, progress, layers, CompactBlockSizes);
        }

        /// <summary>The same, with the Compact policy measured at <paramref name="compactBlockSizes"/> (none: no Compact table).</summary>
        public static string Build(string directory, IReadOnlyList<int> blockSizes, IReadOnlyList<string> only, bool work, TextWriter progress, bool layers,
            IReadOnlyList<int> compactBlockSizes)
        {
            compactBlockSizes ??= Array.Empty<int>();
            ReferenceFigures reference = ReferenceFigures.Load(directory);
            var traces = new List<Trace>();
            foreach (string file in TraceCatalog.Files(directory))
            {
                if (only == null || only.Count == 0 || only.Contains(TraceReader.NameOf(file)))
                {
                    progress?.WriteLine($"reading {Path.GetFileName(file)}");
                    traces.Add(TraceReader.Read(file));
                }
            }

            var rows = new Dictionary<(string, int), FragmentationRow>();
            var works = new Dictionary<(string, int), HeapWorkReport>();
            var layerRows = new Dictionary<(string, int), LayerRow>();
            var compactRows = new Dictionary<(string, int), FragmentationRow>();
            var compactWorks = new Dictionary<(string, int), HeapWorkReport>();
            foreach (Trace t in traces)
            {
                foreach (int bs in compactBlockSizes)
                {
                    progress?.WriteLine($"measuring {t.Name} with the Compact policy at BLOCKSIZE {bs}");
                    compactRows[(t.Name, bs)] = Fragmentation.Measure(t, bs, HeapPolicy.Compact);
                    if (work)
                    {
                        compactWorks[(t.Name, bs)] = HeapWorkMeter.Measure(t, bs, compactRows[(t.Name, bs)].MinHeap.HeapBytes, HeapPolicy.Compact);
                    }
                }

                foreach (int bs in blockSizes)
                {
                    progress?.WriteLine($"measuring {t.Name} at BLOCKSIZE {bs}");
                    FragmentationRow row = Fragmentation.Measure(t, bs);
                    rows[(t.Name, bs)] = row;
                    if (work)
                    {
                        works[(t.Name, bs)] = HeapWorkMeter.Measure(t, bs, row.MinHeap.HeapBytes);
                    }

                    if (layers)
                    {
                        progress?.WriteLine($"measuring the debug heap and Checker on {t.Name} at BLOCKSIZE {bs}");
                        layerRows[(t.Name, bs)] = LayerRow.Measure(t, bs, row.MinHeap);
                    }
                }
            }

            var sb = new StringBuilder();
            WriteSummary(sb, traces, blockSizes, rows, reference);
            if (compactBlockSizes.Count > 0)
            {
                WriteCompact(sb, traces, blockSizes, rows, compactBlockSizes, compactRows);
            }

            WriteDetail(sb, traces, blockSizes, rows);
            if (layers)
            {
                WriteLayers(sb, traces, blockSizes, layerRows);
            }

            if (work)
            {
                WriteWork(sb, traces, blockSizes, works, compactBlockSizes, compactWorks);
            }

            return sb.ToString();
        }

        private static void WriteSummary(StringBuilder sb, List<Trace> traces, IReadOnlyList<int> blockSizes,
            Dictionary<(string, int), FragmentationRow> rows, ReferenceFigures reference)
        {
            sb.AppendLine("### Smallest HEAP ÷ peak live (heapinfo table included)");
            sb.AppendLine();
            sb.AppendLine("Ours: the base heap with the seed's policy (power-of-two fragments from 8 bytes, first fit),");
            sb.AppendLine("smallest arena that completes the trace (binary search, 16-byte steps) plus its metadata (heapinfo table,");
            sb.AppendLine("free-fragment bitmap),");
            sb.AppendLine("÷ peak live requested bytes. Reference columns: the traces README (64-bit builds: smallest");
            sb.AppendLine("fragment 16 bytes, 24-byte table entries).");
            sb.AppendLine();
            var head = new StringBuilder("| trace | peak live |");
            var rule = new StringBuilder("|---|---:|");
            foreach (int bs in blockSizes)
            {
                head.Append($" ours {bs} |");
                rule.Append("---:|");
            }

            int refColumns = reference?.Columns.Count ?? 0;
            for (int c = 0; c < refColumns; c++)
            {
                head.Append($" {reference.Columns[c]} (ref) |");
                rule.Append("---:|");
            }

            sb.AppendLine(head.ToString());
            sb.AppendLine(rule.ToString());
            var sums = new double[blockSizes.Count + refColumns];
            var counts = new int[sums.Length];
            foreach (Trace t in traces)
            {
                var line = new StringBuilder($"| {t.Name} | {t.PeakLiveBytes} |");
                for (int i = 0; i < blockSizes.Count; i++)
                {
                    double v = rows[(t.Name, blockSizes[i])].MinHeap.TotalRatio;
                    line.Append($" {F(v)} |");
                    sums[i] += v;
                    counts[i]++;
                }

                for (int c = 0; c < refColumns; c++)
                {
                    line.Append($" {reference.Text(t.Name, c) ?? "-"} |");
                    double v = reference.Value(t.Name, c);
                    if (!double.IsNaN(v))
                    {
                        sums[blockSizes.Count + c] += v;
                        counts[blockSizes.Count + c]++;
                    }
                }

                sb.AppendLine(line.ToString());
            }

            var mean = new StringBuilder("| mean (these traces) | |");
            for (int i = 0; i < sums.Length; i++)
            {
                mean.Append($" {(counts[i] == 0 ? "-" : F(sums[i] / counts[i]))}{(counts[i] < traces.Count && counts[i] > 0 ? $" ({counts[i]} traces)" : "")} |");
            }

            sb.AppendLine(mean.ToString());
            sb.AppendLine();

            // The goal: no worse than the classic GNU malloc at the same BLOCKSIZE.
            if (reference != null)
            {
                foreach (int bs in blockSizes)
                {
                    int c = reference.Find($"{bs}-byte");
                    if (c < 0)
                    {
                        continue;
                    }

                    var worse = traces.Where(t => rows[(t.Name, bs)].MinHeap.TotalRatio > reference.Value(t.Name, c) + 1e-9).ToList();
                    sb.AppendLine(worse.Count == 0
                        ? $"- BLOCKSIZE {bs}: no worse than GNU malloc ({bs}-byte blocks) on every trace."
                        : $"- BLOCKSIZE {bs}: worse than GNU malloc ({bs}-byte blocks) on {string.Join(", ", worse.Select(t => $"{t.Name} ({F(rows[(t.Name, bs)].MinHeap.TotalRatio)} vs {F(reference.Value(t.Name, c))})"))}.");
                }

                sb.AppendLine();
            }
        }

        private static void WriteCompact(StringBuilder sb, List<Trace> traces, IReadOnlyList<int> blockSizes, Dictionary<(string, int), FragmentationRow> rows,
            IReadOnlyList<int> compactBlockSizes, Dictionary<(string, int), FragmentationRow> compact)
        {
            sb.AppendLine("### The Compact policy (opt-in): smallest HEAP ÷ peak live (its table and lists included)");
            sb.AppendLine();
            sb.AppendLine("`new CompactHeap(arena, BLOCKSIZE)` (Checker.Nano/Compact/COMPACT.md): size classes 8..64 by 8, then 4 per");
            sb.AppendLine("power of two up to 3/4 BLOCKSIZE, in runs of up to 4 blocks; larger requests at 16-byte granules (at least one");
            sb.AppendLine("block); free gaps in segregated lists. Same search (16-byte steps); metadata = its table (12 bytes per block),");
            sb.AppendLine("class arrays, gap lists and memalign's pairs. The seed's columns repeat the table above.");
            sb.AppendLine();
            var head = new StringBuilder("| trace | peak live |");
            var rule = new StringBuilder("|---|---:|");
            foreach (int bs in blockSizes)
            {
                head.Append($" seed {bs} |");
                rule.Append("---:|");
            }

            foreach (int bs in compactBlockSizes)
            {
                head.Append($" compact {bs} |");
                rule.Append("---:|");
            }

            sb.AppendLine(head.ToString());
            sb.AppendLine(rule.ToString());
            var sums = new double[blockSizes.Count + compactBlockSizes.Count];
            foreach (Trace t in traces)
            {
                var line = new StringBuilder($"| {t.Name} | {t.PeakLiveBytes} |");
                for (int i = 0; i < blockSizes.Count; i++)
                {
                    double v = rows[(t.Name, blockSizes[i])].MinHeap.TotalRatio;
                    line.Append($" {F(v)} |");
                    sums[i] += v;
                }

                for (int i = 0; i < compactBlockSizes.Count; i++)
                {
                    double v = compact[(t.Name, compactBlockSizes[i])].MinHeap.TotalRatio;
                    line.Append($" {F(v)} |");
                    sums[blockSizes.Count + i] += v;
                }

                sb.AppendLine(line.ToString());
            }

            var mean = new StringBuilder("| mean (these traces) | |");
            foreach (double sum in sums)
            {
                mean.Append($" {(traces.Count == 0 ? "-" : F(sum / traces.Count))} |");
            }

            sb.AppendLine(mean.ToString());
            sb.AppendLine();
            sb.AppendLine("| trace | BLOCKSIZE | rounded ÷ live | peak arena | arena overhead | min HEAP | metadata bytes | HEAP ÷ live | (HEAP + metadata) ÷ live |");
            sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (Trace t in traces)
            {
                foreach (int bs in compactBlockSizes)
                {
                    FragmentationRow r = compact[(t.Name, bs)];
                    sb.AppendLine($"| {t.Name} | {bs} | {F(r.RoundingRatio)} | {r.PeakArenaBytes} | {F(r.ArenaOverhead)} | "
                        + $"{r.MinHeap.HeapBytes} ({r.MinHeap.Replays}) | {r.MinHeap.MetadataBytes} | {F(r.MinHeap.HeapRatio)} | {F(r.MinHeap.TotalRatio)} |");
                }
            }

            sb.AppendLine();
        }

        private static void WriteDetail(StringBuilder sb, List<Trace> traces, IReadOnlyList<int> blockSizes, Dictionary<(string, int), FragmentationRow> rows)
        {
            sb.AppendLine("### Memory detail");
            sb.AppendLine();
            sb.AppendLine("rounded ÷ live: peak of live bytes after rounding each request to its fragment or whole blocks (the");
            sb.AppendLine("part of the overhead that is rounding, not holes). arena overhead: peak break ÷ peak live − 1.");
            sb.AppendLine("min HEAP: smallest arena that completes (search replays in brackets); table: the metadata beside it");
            sb.AppendLine("(heapinfo table, free-fragment bitmap, memalign's pairs).");
            sb.AppendLine();
            sb.AppendLine("| trace | BLOCKSIZE | peak live | rounded ÷ live | peak arena | arena overhead | min HEAP | table bytes | HEAP ÷ live | (HEAP + table) ÷ live |");
            sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (Trace t in traces)
            {
                foreach (int bs in blockSizes)
                {
                    FragmentationRow r = rows[(t.Name, bs)];
                    sb.AppendLine($"| {t.Name} | {bs} | {r.PeakLiveBytes} | {F(r.RoundingRatio)} | {r.PeakArenaBytes} | {F(r.ArenaOverhead)} | "
                        + $"{r.MinHeap.HeapBytes} ({r.MinHeap.Replays}) | {r.MinHeap.MetadataBytes} | {F(r.MinHeap.HeapRatio)} | {F(r.MinHeap.TotalRatio)} |");
                }
            }

            sb.AppendLine();
        }

        /// <summary>The smallest HEAP of the debug heap and of Checker beside the base heap's.</summary>
        private sealed class LayerRow
        {
            public MinHeapResult Base { get; init; }

            public MinHeapResult Debug { get; init; }

            public MinHeapResult Checker { get; init; }

            /// <summary>Checker's bytes outside its heap in its smallest memory: null zone, maps, data and stack zones.</summary>
            public int CheckerFixedBytes { get; init; }

            public static LayerRow Measure(Trace t, int blockSize, MinHeapResult baseHeap)
            {
                MinHeapResult checker = MinHeapSearch.ForChecker(t, blockSize);
                CheckerHeap c = new CheckerAdapter(checker.HeapBytes, blockSize, threadSafe: false).Checker;
                return new LayerRow
                {
                    Base = baseHeap,
                    Debug = MinHeapSearch.ForDebugHeap(t, blockSize),
                    Checker = checker,
                    CheckerFixedBytes = c.HeapStart + (c.StackTop - c.StackLimit),
                };
            }
        }

        private static void WriteLayers(StringBuilder sb, List<Trace> traces, IReadOnlyList<int> blockSizes, Dictionary<(string, int), LayerRow> layers)
        {
            sb.AppendLine("### The debug heap and Checker: smallest HEAP ÷ peak live (heapinfo table included)");
            sb.AppendLine();
            sb.AppendLine("Same search (16-byte steps) with the layer over the base heap. The debug heap adds 32 bytes of header");
            sb.AppendLine("and guard to every block (so a request moves to the next fragment size or block count when it no");
            sb.AppendLine("longer fits); \"+ per block\" is its extra HEAP ÷ the blocks live at the trace's peak. Checker's figure is");
            sb.AppendLine("the whole memory it lays out: null zone, bitmap (2 bits per byte) and block map, data zone (256 bytes)");
            sb.AppendLine("and stack zone (1024 bytes) — \"maps + zones\" — and the heap with the debug headers; aged blocks (depth 8)");
            sb.AppendLine("are released when an allocation finds no room, so aging does not raise the minimum. Both: + the base");
            sb.AppendLine("heap's table, beside the arena.");
            sb.AppendLine();
            sb.AppendLine("| trace | BLOCKSIZE | blocks at peak | base heap | debug heap | debug: + per block | Checker | Checker: maps + zones | Checker ÷ debug heap |");
            sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (Trace t in traces)
            {
                foreach (int bs in blockSizes)
                {
                    LayerRow r = layers[(t.Name, bs)];
                    double perBlock = t.PeakLiveBlocks == 0 ? double.NaN : (double)(r.Debug.HeapBytes - r.Base.HeapBytes) / t.PeakLiveBlocks;
                    sb.AppendLine($"| {t.Name} | {bs} | {t.PeakLiveBlocks} | {F(r.Base.TotalRatio)} | {F(r.Debug.TotalRatio)} | "
                        + $"{(double.IsNaN(perBlock) ? "-" : perBlock.ToString("0.0", CultureInfo.InvariantCulture))} | {F(r.Checker.TotalRatio)} | "
                        + $"{r.CheckerFixedBytes} ({((double)r.CheckerFixedBytes / r.Checker.HeapBytes * 100).ToString("0.0", CultureInfo.InvariantCulture)}%) | "
                        + $"{F(r.Checker.TotalRatio / r.Debug.TotalRatio)} |");
                }
            }

            sb.AppendLine();
        }

        private static void WriteWork(StringBuilder sb, List<Trace> traces, IReadOnlyList<int> blockSizes, Dictionary<(string, int), HeapWorkReport> works,
            IReadOnlyList<int> compactBlockSizes, Dictionary<(string, int), HeapWorkReport> compactWorks)
        {
            // Each trace's rows: the seed's policy at every BLOCKSIZE, then the Compact policy's ("256 Compact").
            var ordered = new List<(string BlockSize, HeapWorkReport Work)>();
            foreach (Trace t in traces)
            {
                foreach (int bs in blockSizes)
                {
                    ordered.Add((bs.ToString(CultureInfo.InvariantCulture), works[(t.Name, bs)]));
                }

                foreach (int bs in compactBlockSizes)
                {
                    ordered.Add((bs.ToString(CultureInfo.InvariantCulture) + " Compact", compactWorks[(t.Name, bs)]));
                }
            }

            sb.AppendLine("### Work per operation (p50 / p99.9 / max)");
            sb.AppendLine();
            sb.AppendLine("Counted by the heap itself (Heap.Work, host build), read before and after every operation of a");
            sb.AppendLine("replay in the smallest HEAP. Cluster steps: free-cluster list nodes visited (malloc's first fit,");
            sb.AppendLine("free's search for the cluster before the block). Fragment steps: free-fragment bitmap words written (a");
            sb.AppendLine("block split or given back) or looked at past the hint (malloc). Bytes copied: realloc's copies. Steps = cluster +");
            sb.AppendLine("fragment; all three = steps + bytes copied. The worst operation is the one with the most steps.");
            sb.AppendLine("Compact rows (its smallest HEAP): cluster steps are the gaps a fit tries, fragment steps the links a");
            sb.AppendLine("new run writes and the pointer check's walk of a run's free slots.");
            sb.AppendLine();
            sb.AppendLine("| trace | BLOCKSIZE | cluster steps | fragment steps | bytes copied | steps | all three | worst operation (most steps) |");
            sb.AppendLine("|---|---:|---|---|---|---|---|---|");
            foreach ((string bs, HeapWorkReport w) in ordered)
            {
                string worst = $"line {w.WorstEvent.Line} `{w.WorstEvent}`: {w.WorstWork}";
                sb.AppendLine($"| {w.Trace.Name} | {bs} | {w.ClusterSteps} | {w.FragmentSteps} | {w.BytesCopied} | {w.Steps} | {w.Total} | {worst} |");
            }

            sb.AppendLine();
            sb.AppendLine("#### Steps by operation (p50 / p99.9 / max)");
            sb.AppendLine();
            sb.AppendLine("| trace | BLOCKSIZE | malloc/calloc | free | realloc | bytes copied per realloc | largest copy |");
            sb.AppendLine("|---|---:|---|---|---|---|---|");
            foreach ((string bs, HeapWorkReport w) in ordered)
            {
                string copy = w.LargestCopyWork.BytesCopied == 0 ? "-" : $"line {w.LargestCopyEvent.Line} `{w.LargestCopyEvent}`: {w.LargestCopyWork}";
                sb.AppendLine($"| {w.Trace.Name} | {bs} | {w.MallocSteps} | {w.FreeSteps} | {w.ReallocSteps} | {w.ReallocBytesCopied} | {copy} |");
            }

            sb.AppendLine();
        }
    }
}
