// replay <trace>: runs the real Checker.Nano allocator (base heap, debug heap or Checker, each over
// the seed's base-heap policy or the Compact policy) on the PC over an allocation trace and says what it took: peak live bytes, peak arena use, fragmentation,
// the smallest HEAP that completes the trace (binary search), failures and operation counts.
// --map-at N writes the heap picture after event N.
using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using Checker.Nano.Dumps;
using Checker.Nano.Traces;
using Spectre.Console;

namespace Checker.Nano.Cli
{
    /// <summary>The replay command.</summary>
    public static class ReplayCommand
    {
        public static Option<string> HeapOption() => new Option<string>("--heap") { Description = "HEAP, the arena's bytes (65536, 64k, 2M); default: what the trace needs" };

        public static Option<int> BlockSizeOption() => new Option<int>("--blocksize") { Description = "BLOCKSIZE: a power of two from 16", DefaultValueFactory = _ => Heap.DefaultBlockSize };

        public static Option<string> LayerOption()
        {
            var o = new Option<string>("--layer") { Description = "base, debug or checker", DefaultValueFactory = _ => "base" };
            o.AcceptOnlyFromAmong("base", "debug", "checker");
            return o;
        }

        public static Option<string> PolicyOption()
        {
            var o = new Option<string>("--policy") { Description = "the base heap's policy under every layer: seed (GNU malloc's, the default) or compact", DefaultValueFactory = _ => "seed" };
            o.Validators.Add(r =>
            {
                string value = r.GetValueOrDefault<string>();
                if (!HeapPolicies.TryParse(value, out _))
                {
                    r.AddError($"--policy {value}: give seed or compact (the base heap's policy under every layer)");
                }
            });
            return o;
        }

        public static Command Build(CliContext ctx)
        {
            var trace = new Argument<string>("trace") { Description = "allocation trace (checker-nano trace v1, plain or .gz)" };
            var heap = HeapOption();
            var blockSize = BlockSizeOption();
            var layer = LayerOption();
            var policy = PolicyOption();
            var mapAt = new Option<int?>("--map-at") { Description = "write the heap picture after this many events (0: after all)" };
            var output = new Option<string>("--output", "-o") { Description = "the picture --map-at writes (.svg or .png); default: <trace>-at-<N>.svg" };
            var noSearch = new Option<bool>("--no-search") { Description = "skip the smallest-HEAP search" };
            var validateEvery = new Option<int>("--validate-every") { Description = "run the layer's Validate every N events (0: only at the end)", DefaultValueFactory = _ => 0 };
            var format = new Option<string>("--format") { Description = "text or json", DefaultValueFactory = _ => "text" };
            format.AcceptOnlyFromAmong("text", "json");
            var noProgress = new Option<bool>("--no-progress") { Description = "no progress bar" };
            var allSizes = new Option<bool>("--all-sizes") { Description = "one table instead: the smallest HEAP at each BLOCKSIZE for each policy, and the recommended BLOCKSIZE" };
            var blockSizes = new Option<string>("--blocksizes") { Description = "the BLOCKSIZEs of --all-sizes, e.g. 256,512,1024 (default: 128 to 4096)" };
            var cmd = new Command("replay", "Replay an allocation trace on the real allocator: peak use, fragmentation, smallest HEAP, failures.")
            {
                trace, heap, blockSize, layer, policy, mapAt, output, noSearch, validateEvery, format, noProgress, allSizes, blockSizes,
            };
            cmd.SetAction(p => p.GetValue(allSizes) || p.GetValue(blockSizes) != null
                ? RunAllSizes(ctx, p.GetValue(trace), p.GetValue(layer), p.GetValue(blockSizes), p.GetValue(format))
                : Run(ctx, p.GetValue(trace), p.GetValue(heap), p.GetValue(blockSize), p.GetValue(layer), p.GetValue(mapAt), p.GetValue(output),
                    p.GetValue(noSearch), p.GetValue(validateEvery), p.GetValue(format), p.GetValue(noProgress), p.GetValue(policy)));
            return cmd;
        }

        /// <summary>The BLOCKSIZEs --all-sizes tries unless --blocksizes says.</summary>
        public static readonly int[] DefaultBlockSizes = { 128, 256, 512, 1024, 2048, 4096 };

        /// <summary>One cell of the --all-sizes table: the search's result, or why there is none.</summary>
        public sealed class SizeCell
        {
            public int BlockSize { get; init; }
            public HeapPolicy Policy { get; init; }
            public MinHeapResult Result { get; init; }
            public string Why { get; init; }
            public long Total => Result == null ? long.MaxValue : (long)Result.HeapBytes + Result.MetadataBytes;
        }

        /// <summary>
        /// The smallest HEAP of <paramref name="trace"/> on <paramref name="layer"/> at each of
        /// <paramref name="blockSizes"/> for each policy (Checker over Compact: not while the known
        /// library fault stands), and the cell of least HEAP + table (a tie goes to the larger
        /// BLOCKSIZE: a smaller table walk for the same RAM), or null when none completes.
        /// </summary>
        public static (SizeCell[,] Cells, SizeCell Best) SizeTable(Trace trace, HeapLayer layer, int[] blockSizes)
        {
            var policies = new[] { HeapPolicy.Seed, HeapPolicy.Compact };
            var cells = new SizeCell[blockSizes.Length, policies.Length];
            SizeCell best = null;
            for (int i = 0; i < blockSizes.Length; i++)
            {
                for (int j = 0; j < policies.Length; j++)
                {
                    int bs = blockSizes[i];
                    HeapPolicy policy = policies[j];
                    SizeCell cell;
                    if (policy == HeapPolicy.Compact && bs < 64)
                    {
                        cell = new SizeCell { BlockSize = bs, Policy = policy, Why = "BLOCKSIZE under 64" };
                    }
                    else
                    {
                        try
                        {
                            cell = new SizeCell { BlockSize = bs, Policy = policy, Result = Search(trace, layer, bs, policy) };
                        }
                        catch (Exception e) when (e is InvalidOperationException || e is ReplayException)
                        {
                            cell = new SizeCell { BlockSize = bs, Policy = policy, Why = e.Message };
                        }
                    }

                    cells[i, j] = cell;
                    if (cell.Result != null && (best == null || cell.Total < best.Total || (cell.Total == best.Total && bs > best.BlockSize)))
                    {
                        best = cell;
                    }
                }
            }

            return (cells, best);
        }

        /// <summary>replay --all-sizes: the sizing table and the sites table.</summary>
        public static int RunAllSizes(CliContext ctx, string path, string layerText, string blockSizesText, string format)
        {
            if (!TryOptions(ctx, null, Heap.DefaultBlockSize, layerText, "seed", out _, out HeapLayer layer, out _))
            {
                return ExitCodes.BadInput;
            }

            int[] sizes = DefaultBlockSizes;
            if (blockSizesText != null)
            {
                string[] parts = blockSizesText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                sizes = new int[parts.Length];
                for (int i = 0; i < parts.Length; i++)
                {
                    if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] < 16 || (sizes[i] & (sizes[i] - 1)) != 0 || sizes[i] > Heap.MAX_BLOCKSIZE)
                    {
                        ctx.Err.WriteLine($"checker-nano: --blocksizes {blockSizesText}: give powers of two from 16 to 64K, e.g. 256,512,1024");
                        return ExitCodes.BadInput;
                    }
                }

                if (sizes.Length == 0)
                {
                    ctx.Err.WriteLine("checker-nano: --blocksizes: give at least one BLOCKSIZE");
                    return ExitCodes.BadInput;
                }
            }

            Trace trace = Inputs.ReadTrace(ctx, path, out int exit);
            if (trace == null)
            {
                return exit;
            }

            (SizeCell[,] cells, SizeCell best) = SizeTable(trace, layer, sizes);
            IReadOnlyList<SitePeak> sites = SitePeaks.Of(trace);
            if (format == "json")
            {
                var doc = new
                {
                    trace = trace.Name, layer = layer.ToString().ToLowerInvariant(), events = trace.Events.Length, peak_live_bytes = trace.PeakLiveBytes,
                    sizes = Enumerable.Range(0, sizes.Length).Select(i => new
                    {
                        blocksize = sizes[i],
                        seed = CellJson(cells[i, 0], trace),
                        compact = CellJson(cells[i, 1], trace),
                    }),
                    recommended = best == null ? null : new { blocksize = best.BlockSize, policy = HeapPolicies.Name(best.Policy), heap = best.Result.HeapBytes, metadata_bytes = best.Result.MetadataBytes },
                    sites = sites.Select(s => new
                    {
                        site = s.Site.Location, type = s.Site.Type, allocations = s.Allocations, peak_bytes = s.PeakBytes,
                        bytes_at_peak = s.BytesAtPeak, blocks_at_peak = s.BlocksAtPeak, share = Math.Round(s.Share, 4),
                    }),
                };
                ctx.Out.WriteLine(JsonSerializer.Serialize(doc, Common.Json));
            }
            else
            {
                WriteSizes(ctx, trace, layer, sizes, cells, best);
                WriteSites(ctx, trace, sites);
            }

            return best == null ? ExitCodes.Findings : ExitCodes.Ok;
        }

        private static object CellJson(SizeCell c, Trace t) => c.Result == null ? new { heap = (int?)null, metadata_bytes = (int?)null, total = (long?)null, ratio = (double?)null, why = c.Why }
            : new { heap = (int?)c.Result.HeapBytes, metadata_bytes = (int?)c.Result.MetadataBytes, total = (long?)c.Total, ratio = (double?)Math.Round((double)c.Total / Math.Max(1, t.PeakLiveBytes), 4), why = (string)null };

        private static void WriteSizes(CliContext ctx, Trace t, HeapLayer layer, int[] sizes, SizeCell[,] cells, SizeCell best)
        {
            var table = new Table().Border(TableBorder.Rounded)
                .Title($"smallest HEAP for {Markup.Escape(t.Name)} on the {TraceMaps.LayerName(layer)} (peak live {t.PeakLiveBytes} bytes)")
                .AddColumn(new TableColumn("BLOCKSIZE").RightAligned());
            foreach (string p in new[] { "seed", "compact" })
            {
                table.AddColumn(new TableColumn($"{p} HEAP").RightAligned()).AddColumn(new TableColumn("+ table").RightAligned())
                    .AddColumn(new TableColumn("= RAM").RightAligned()).AddColumn(new TableColumn("x live").RightAligned());
            }

            var notes = new List<string>();
            for (int i = 0; i < sizes.Length; i++)
            {
                var row = new List<string> { sizes[i].ToString(CultureInfo.InvariantCulture) };
                for (int j = 0; j < 2; j++)
                {
                    SizeCell c = cells[i, j];
                    if (c.Result == null)
                    {
                        int n = notes.IndexOf(c.Why);
                        if (n < 0)
                        {
                            notes.Add(c.Why);
                            n = notes.Count - 1;
                        }

                        row.AddRange(new[] { $"- ({n + 1})", "", "", "" });
                        continue;
                    }

                    string total = c.Total.ToString(CultureInfo.InvariantCulture);
                    row.Add(c.Result.HeapBytes.ToString(CultureInfo.InvariantCulture));
                    row.Add(c.Result.MetadataBytes.ToString(CultureInfo.InvariantCulture));
                    row.Add(c == best ? $"[bold]{total}[/]" : total);
                    row.Add(Ratio((double)c.Total / Math.Max(1, t.PeakLiveBytes)));
                }

                table.AddRow(row.ToArray());
            }

            ctx.Console.Write(table);
            for (int n = 0; n < notes.Count; n++)
            {
                ctx.Console.MarkupLine(Markup.Escape($"({n + 1}) {notes[n]}"));
            }

            foreach (HeapPolicy p in new[] { HeapPolicy.Seed, HeapPolicy.Compact })
            {
                SizeCell least = null;
                for (int i = 0; i < sizes.Length; i++)
                {
                    SizeCell c = cells[i, p == HeapPolicy.Seed ? 0 : 1];
                    if (c.Result != null && (least == null || c.Total < least.Total || (c.Total == least.Total && c.BlockSize > least.BlockSize)))
                    {
                        least = c;
                    }
                }

                if (least != null)
                {
                    ctx.Console.MarkupLine(Markup.Escape($"{HeapPolicies.Name(p)} policy: least RAM at BLOCKSIZE {least.BlockSize}, HEAP {least.Result.HeapBytes} + {least.Result.MetadataBytes} bytes of table = {least.Total}"));
                }
            }

            ctx.Console.MarkupLine(best == null ? "[red]no BLOCKSIZE and policy completes the trace[/]"
                : Markup.Escape($"recommended: BLOCKSIZE {best.BlockSize}, {HeapPolicies.Name(best.Policy)} policy: HEAP {best.Result.HeapBytes} (+ {best.Result.MetadataBytes} bytes of table beside the arena), {Ratio((double)best.Total / Math.Max(1, t.PeakLiveBytes))} x peak live"));
        }

        /// <summary>Peak live bytes by allocation site (a device trace's "# site:" lines); nothing for a trace without sites.</summary>
        public static void WriteSites(CliContext ctx, Trace t, IReadOnlyList<SitePeak> sites)
        {
            if (sites.Count == 0)
            {
                return;
            }

            var table = new Table().Border(TableBorder.Rounded).Title($"peak live bytes by allocation site (the trace's peak: {t.PeakLiveBytes} bytes in {t.PeakLiveBlocks} blocks)")
                .AddColumn("site").AddColumn("type").AddColumn(new TableColumn("allocations").RightAligned())
                .AddColumn(new TableColumn("site's peak").RightAligned()).AddColumn(new TableColumn("at the trace's peak").RightAligned())
                .AddColumn(new TableColumn("share").RightAligned());
            foreach (SitePeak s in sites)
            {
                table.AddRow(Markup.Escape(s.Site.Location), Markup.Escape(s.Site.Type), s.Allocations.ToString(CultureInfo.InvariantCulture),
                    s.PeakBytes.ToString(CultureInfo.InvariantCulture), $"{s.BytesAtPeak} in {s.BlocksAtPeak}",
                    (s.Share * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%");
            }

            ctx.Console.Write(table);
        }

        /// <summary>Checks --heap, --blocksize and --layer; writes what is wrong.</summary>
        public static bool TryOptions(CliContext ctx, string heapText, int blockSize, string layerText, out int? heapBytes, out HeapLayer layer)
        {
            return TryOptions(ctx, heapText, blockSize, layerText, "seed", out heapBytes, out layer, out _);
        }

        /// <summary>
        /// Checks --heap, --blocksize, --layer and --policy (the Compact policy needs BLOCKSIZE 64 or
        /// more; --heap must lie between the layer's smallest and largest arena, ArenaLimits); writes
        /// what is wrong.
        /// </summary>
        public static bool TryOptions(CliContext ctx, string heapText, int blockSize, string layerText, string policyText, out int? heapBytes, out HeapLayer layer, out HeapPolicy policy)
        {
            heapBytes = null;
            layer = layerText switch { "debug" => HeapLayer.Debug, "checker" => HeapLayer.Checker, _ => HeapLayer.Base };
            if (!HeapPolicies.TryParse(policyText ?? "seed", out policy))
            {
                ctx.Err.WriteLine($"checker-nano: --policy {policyText}: give seed or compact");
                return false;
            }

            if (blockSize < 16 || (blockSize & (blockSize - 1)) != 0 || blockSize > Heap.MAX_BLOCKSIZE)
            {
                ctx.Err.WriteLine($"checker-nano: --blocksize {blockSize}: BLOCKSIZE must be a power of two from 16 to 64K");
                return false;
            }

            if (policy == HeapPolicy.Compact && blockSize < 64)
            {
                ctx.Err.WriteLine($"checker-nano: --blocksize {blockSize}: the compact policy needs BLOCKSIZE from 64 to 64K (256 or 512 are its measured sizes)");
                return false;
            }

            if (heapText == null)
            {
                return true;
            }

            if (!Inputs.TryParseSize(heapText, out long h))
            {
                ctx.Err.WriteLine($"checker-nano: --heap {heapText}: give bytes, e.g. 65536, 64k, 2M or 1G");
                return false;
            }

            if (h > ArenaLimits.ToolMaxBytes)
            {
                ctx.Err.WriteLine($"checker-nano: --heap {heapText}: the largest arena the host tools make is 1G ({ArenaLimits.ToolMaxBytes} bytes)");
                return false;
            }

            int largest = TraceMaps.LargestArena(layer, blockSize, policy);
            if (h > largest)
            {
                ctx.Err.WriteLine($"checker-nano: --heap {heapText}: {Over(layer, policy)} takes at most {largest} bytes at BLOCKSIZE {blockSize} (the seed's policy numbers its blocks in 16 bits; --policy compact goes to 1G)");
                return false;
            }

            int smallest = TraceMaps.SmallestArena(layer, blockSize, policy);
            if ((layer == HeapLayer.Checker ? h & ~7 : h) < smallest)
            {
                ctx.Err.WriteLine(layer == HeapLayer.Checker
                    ? $"checker-nano: --heap {heapText}: {Over(layer, policy)} needs at least {smallest} bytes at BLOCKSIZE {blockSize} (its maps, its {CheckerAdapter.DataBytes}-byte data and {CheckerAdapter.StackBytes}-byte stack zones and a heap)"
                    : $"checker-nano: --heap {heapText}: give at least {smallest} bytes");
                return false;
            }

            heapBytes = (int)h;
            return true;
        }

        /// <summary>"the base heap", "the debug heap", "Checker"; over Compact "Checker over the Compact policy" (for messages).</summary>
        public static string Over(HeapLayer layer, HeapPolicy policy) => (layer == HeapLayer.Checker ? "" : "the ") + TraceMaps.LayerName(layer) + (policy == HeapPolicy.Compact ? " over the Compact policy" : "");

        /// <summary>
        /// Whether <paramref name="trace"/>'s live bytes can fit in the largest arena of
        /// <paramref name="layer"/> over <paramref name="policy"/>; if not, says where they stop
        /// fitting (the request, or the moment the live bytes pass it) and the largest arena.
        /// </summary>
        public static bool FitsLargestArena(CliContext ctx, string path, Trace trace, HeapLayer layer, int blockSize, HeapPolicy policy)
        {
            // The heap part of any layer is at most the seed's or Compact's own largest arena, which
            // costs nothing to know (Checker's whole array is found by trying).
            if (trace.PeakLiveBytes < ArenaLimits.Largest(policy, blockSize))
            {
                return true;
            }

            int largest = TraceMaps.LargestArena(layer, blockSize, policy);
            if (trace.PeakLiveBytes < largest)
            {
                return true;
            }

            string where = $"the largest arena of {Over(layer, policy)} at BLOCKSIZE {blockSize} ({largest} bytes)";
            long[] sizes = new long[trace.MaxId + 1];
            long live = 0;
            foreach (TraceEvent e in trace.Events)
            {
                if (e.Size >= largest)
                {
                    ctx.Err.WriteLine($"checker-nano: {path}:{e.Line}: a request of {e.Size} bytes does not fit in {where}");
                    return false;
                }

                long size = e.Op == TraceOp.Free ? 0 : e.Size;
                live += size - sizes[e.Id];
                sizes[e.Id] = size;
                if (live >= largest)
                {
                    ctx.Err.WriteLine($"checker-nano: {path}:{e.Line}: {live} bytes are live here, more than {where}");
                    return false;
                }
            }

            return true;
        }

        /// <summary>The smallest-HEAP search on a layer over a policy.</summary>
        public static MinHeapResult Search(Trace trace, HeapLayer layer, int blockSize, HeapPolicy policy = HeapPolicy.Seed)
        {
            return TraceMaps.Search(trace, layer, blockSize, policy);
        }

        public static int Run(CliContext ctx, string path, string heapText, int blockSize, string layerText, int? mapAt, string output, bool noSearch,
            int validateEvery, string format, bool noProgress, string policyText = "seed")
        {
            return Run(ctx, path, heapText, blockSize, layerText, mapAt, output, noSearch, validateEvery, format, noProgress, policyText, null);
        }

        /// <summary>
        /// The replay, with <paramref name="afterEvent"/> called on the adapter after each event (the
        /// tests damage a block through it, to see a layer's report counted as a false one).
        /// </summary>
        internal static int Run(CliContext ctx, string path, string heapText, int blockSize, string layerText, int? mapAt, string output, bool noSearch,
            int validateEvery, string format, bool noProgress, string policyText, Action<IAllocatorAdapter, int> afterEvent)
        {
            if (!TryOptions(ctx, heapText, blockSize, layerText, policyText, out int? heapBytes, out HeapLayer layer, out HeapPolicy policy))
            {
                return ExitCodes.BadInput;
            }

            if (validateEvery < 0)
            {
                ctx.Err.WriteLine($"checker-nano: --validate-every {validateEvery}: give 0 (Validate only at the end) or a number of events");
                return ExitCodes.BadInput;
            }

            Trace trace = Inputs.ReadTrace(ctx, path, out int exit);
            if (trace == null)
            {
                return exit;
            }

            if ((heapBytes == null || !noSearch) && !FitsLargestArena(ctx, path, trace, layer, blockSize, policy))
            {
                return ExitCodes.BadInput;
            }

            if (mapAt is int m && (m < 0 || m > trace.Events.Length))
            {
                ctx.Err.WriteLine($"checker-nano: --map-at {m}: the trace has {trace.Events.Length} events");
                return ExitCodes.BadInput;
            }

            int heap = heapBytes ?? Checker.Nano.Traces.Fragmentation.RoomyArena(trace, blockSize, TraceMaps.LargestArena(layer, blockSize, policy));
            using IAllocatorAdapter adapter = TraceMaps.Create(layer, heap, blockSize, policy);
            var summary = new HeapSummary();
            var atPeak = new PeakMoment();
            long[] sizes = new long[trace.MaxId + 1];
            long live = 0;
            HeapMap picture = null;
            int pictureAt = mapAt is int mm && mm == 0 ? trace.Events.Length : mapAt ?? -1;
            int failuresSoFar = 0;
            ReplayResult result = null;
            string broken = null;

            void After(int i, bool ok)
            {
                if (!ok)
                {
                    failuresSoFar++;
                }

                TraceEvent e = trace.Events[i];
                if (ok)
                {
                    live += (e.Op == TraceOp.Free ? 0 : e.Size) - sizes[e.Id];
                    sizes[e.Id] = e.Op == TraceOp.Free ? 0 : e.Size;
                }

                long arena = adapter.ArenaBytesInUse;
                if (arena > atPeak.ArenaBytes)
                {
                    // The break reached a new high: how full was the heap then?
                    TraceMaps.HeapOf(adapter).Summarize(summary);   // the heap of this replay: the layers' Begin makes a new one
                    atPeak = new PeakMoment
                    {
                        Event = i + 1, ArenaBytes = arena, LiveBytes = live, HeapUsed = summary.Stats.BytesUsed,
                        HeapFree = summary.Stats.BytesFree, LargestFree = summary.Stats.LargestFreeRun,
                    };
                }

                if (i + 1 == pictureAt)
                {
                    picture = TraceMaps.MapOf(trace, adapter, layer, i + 1, failuresSoFar);
                }
            }

            void Replay(Action<int> tick)
            {
                try
                {
                    result = Replayer.Run(trace, adapter, new ReplayOptions
                    {
                        ValidateEvery = validateEvery > 0 ? validateEvery : trace.Events.Length + 1,
                        AfterEvent = (i, ok) =>
                        {
                            After(i, ok);
                            afterEvent?.Invoke(adapter, i);
                            tick?.Invoke(i);
                        },
                    });
                }
                catch (ReplayException e)
                {
                    broken = e.Message;
                }
            }

            if (ctx.Interactive && !noProgress && format == "text")
            {
                ctx.Console.Progress().AutoClear(true).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                    .Start(p =>
                    {
                        ProgressTask task = p.AddTask($"replaying {trace.Name}", maxValue: trace.Events.Length);
                        Replay(i =>
                        {
                            if ((i & 4095) == 4095 || i + 1 == trace.Events.Length)
                            {
                                task.Value = i + 1;
                            }
                        });
                        task.Value = trace.Events.Length;
                    });
            }
            else
            {
                Replay(null);
            }

            if (broken != null)
            {
                ctx.Err.WriteLine($"checker-nano: the allocator broke during the replay: {broken}");
                return ExitCodes.Findings;
            }

            TraceMaps.HeapOf(adapter).Summarize(summary);
            int falseReports = TraceMaps.FalseReportsOf(adapter);
            MinHeapResult min = null;
            if (!noSearch)
            {
                if (ctx.Interactive && !noProgress && format == "text")
                {
                    ctx.Console.Status().Start("searching the smallest HEAP...", _ => min = Search(trace, layer, blockSize, policy));
                }
                else
                {
                    min = Search(trace, layer, blockSize, policy);
                }
            }

            if (format == "json")
            {
                WriteJson(ctx, trace, layer, policy, blockSize, heap, heapBytes.HasValue, result, summary, atPeak, min, falseReports);
            }
            else
            {
                WriteText(ctx, trace, layer, policy, blockSize, heap, heapBytes.HasValue, result, summary, atPeak, min, falseReports);
                WriteSites(ctx, trace, SitePeaks.Of(trace));
            }

            if (picture != null)
            {
                output ??= $"{trace.Name}-at-{pictureAt}.svg";
                int w = MapCommand.Write(ctx, picture, output);
                if (w != ExitCodes.Ok)
                {
                    return w;
                }
            }

            if (falseReports > 0)
            {
                ctx.Err.WriteLine($"checker-nano: the {TraceMaps.LayerName(layer, policy)} reported {falseReports} fault(s) on a replay whose every call is legal: false reports");
                return ExitCodes.Findings;
            }

            return result.Completed ? ExitCodes.Ok : ExitCodes.Findings;
        }

        private static string Pm(int pm) => $"{pm / 10}.{pm % 10}%";

        private static string Ratio(double r) => r.ToString("0.000", CultureInfo.InvariantCulture);

        /// <summary>The moment the break reached its highest point.</summary>
        private sealed class PeakMoment
        {
            public int Event;
            public long ArenaBytes = -1;
            public long LiveBytes;
            public int HeapUsed;
            public int HeapFree;
            public int LargestFree;
        }

        private static void WriteText(CliContext ctx, Trace t, HeapLayer layer, HeapPolicy policy, int bs, int heap, bool heapGiven, ReplayResult r, HeapSummary s, PeakMoment p, MinHeapResult min, int falseReports)
        {
            var table = new Table().Border(TableBorder.Rounded).Title($"{t.Name} on the {TraceMaps.LayerName(layer, policy)}").HideHeaders().AddColumn("what").AddColumn("value");
            table.AddRow("events", $"{t.Events.Length}: malloc {t.Mallocs}, calloc {t.Callocs}, realloc {t.Reallocs}, free {t.Frees}");
            table.AddRow("HEAP / BLOCKSIZE", $"{heap} / {bs}" + (heapGiven ? "" : heap < TraceMaps.LargestArena(layer, bs, policy) ? " (HEAP: roomy, so nothing fails; --heap to choose)"
                : $" (HEAP: the largest {Over(layer, policy)} can have at this BLOCKSIZE; --heap to choose)"));
            table.AddRow("completed", r.Completed ? "[green]yes[/]" : $"[red]no[/]: {r.Failures} allocation(s) failed, the first at line {r.FirstFailureLine}");
            if (layer != HeapLayer.Base)
            {
                table.AddRow("reports", falseReports == 0 ? "none (every call of a replay is legal)" : $"[red]{falseReports}[/] other than out of memory: false reports");
            }

            table.AddRow("peak live bytes", $"{t.PeakLiveBytes} in {t.PeakLiveBlocks} blocks (largest request {t.LargestRequest})");
            table.AddRow("peak arena use", $"{r.PeakArenaBytes} bytes ({Ratio((double)r.PeakArenaBytes / Math.Max(1, t.PeakLiveBytes))} x peak live)");
            table.AddRow("arena use at the end", $"{r.FinalArenaBytes} bytes; {t.LiveBlocksAtEnd} block(s), {t.LiveBytesAtEnd} bytes never freed");
            if (p.Event > 0)
            {
                table.AddRow("at the peak (event " + p.Event + ")", $"heap {p.ArenaBytes} bytes: {p.LiveBytes} live, {p.HeapUsed} in use after rounding, {p.HeapFree} free in holes and fragments (largest hole {p.LargestFree})");
            }

            table.AddRow("fragmentation at the end", $"{Pm(s.FragmentationPerMille)} in this HEAP: {s.FreeBytes} bytes free (heap + headroom), largest request that fits {s.LargestBytes}");
            if (min != null && min.Found)
            {
                table.AddRow("smallest HEAP that completes", $"{min.HeapBytes} bytes ({Ratio(min.HeapRatio)} x peak live); with the {min.MetadataBytes}-byte table beside it {Ratio(min.TotalRatio)} x; {min.Replays} replays");
            }
            else if (min != null)
            {
                table.AddRow("smallest HEAP that completes", $"[red]none[/] up to {min.LargestTried} bytes, the largest arena of {Over(layer, policy)} at BLOCKSIZE {bs}; {min.Replays} replays");
            }

            ctx.Console.Write(table);
        }

        private static void WriteJson(CliContext ctx, Trace t, HeapLayer layer, HeapPolicy policy, int bs, int heap, bool heapGiven, ReplayResult r, HeapSummary s, PeakMoment p, MinHeapResult min, int falseReports)
        {
            var doc = new
            {
                trace = t.Name, layer = layer.ToString().ToLowerInvariant(), policy = HeapPolicies.Name(policy), heap, blocksize = bs,
                events = t.Events.Length, mallocs = t.Mallocs, callocs = t.Callocs, reallocs = t.Reallocs, frees = t.Frees,
                completed = r.Completed, failures = r.Failures, first_failure_line = r.FirstFailureLine, false_reports = falseReports,
                peak_live_bytes = t.PeakLiveBytes, peak_live_blocks = t.PeakLiveBlocks, peak_arena_bytes = r.PeakArenaBytes, final_arena_bytes = r.FinalArenaBytes,
                end_fragmentation_pm = s.FragmentationPerMille, end_free_bytes = s.FreeBytes, end_largest_fits = s.LargestBytes,
                heap_given = heapGiven,
                at_peak = new { @event = p.Event, arena_bytes = p.ArenaBytes, live_bytes = p.LiveBytes, used_bytes = p.HeapUsed, free_bytes = p.HeapFree, largest_free = p.LargestFree },
                min_heap = min == null ? null : min.Found
                    ? (object)new { bytes = min.HeapBytes, metadata_bytes = min.MetadataBytes, ratio = Math.Round(min.HeapRatio, 4), total_ratio = Math.Round(min.TotalRatio, 4), replays = min.Replays }
                    : new { bytes = (int?)null, largest_tried = min.LargestTried, replays = min.Replays },
            };
            ctx.Out.WriteLine(JsonSerializer.Serialize(doc, Common.Json));
        }
    }
}
