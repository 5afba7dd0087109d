// map <log|trace> -o heap.svg|heap.png: a picture of the arena. From a log, one dump (default the
// last with base-heap records; either policy's MAP records); from a trace, the real heap (--layer
// over --policy) after --at events (default: all).
using System;
using System.CommandLine;
using System.IO;
using Checker.Nano.Dumps;
using Checker.Nano.Traces;

namespace Checker.Nano.Cli
{
    /// <summary>The map command.</summary>
    public static class MapCommand
    {
        public static Command Build(CliContext ctx)
        {
            var input = new Argument<string>("input") { Description = "a log holding @CN1 dumps, or an allocation trace (checker-nano trace v1)" };
            var output = new Option<string>("--output", "-o") { Description = "the picture to write: .svg or .png", Required = true };
            var dump = new Option<int?>("--dump") { Description = "log: which dump (1 = first; negative from the end); default: the last" };
            var at = new Option<int>("--at") { Description = "trace: map the heap after this many events (0: after all)", DefaultValueFactory = _ => 0 };
            var heap = ReplayCommand.HeapOption();
            var blockSize = ReplayCommand.BlockSizeOption();
            var layer = ReplayCommand.LayerOption();
            var policy = ReplayCommand.PolicyOption();
            var verbose = Common.Verbose();
            var cmd = new Command("map", "A picture of the arena: every block and fragment at its offset, coloured by state and block type.")
            {
                input, output, dump, at, heap, blockSize, layer, policy, verbose,
            };
            cmd.SetAction(p => Run(ctx, p.GetValue(input), p.GetValue(output), p.GetValue(dump), p.GetValue(at), p.GetValue(heap), p.GetValue(blockSize), p.GetValue(layer), p.GetValue(verbose), p.GetValue(policy)));
            return cmd;
        }

        public static int Run(CliContext ctx, string input, string output, int? dumpIndex, int at, string heapText, int blockSize, string layerText, bool verbose, string policyText = "seed")
        {
            string ext = Path.GetExtension(output).ToLowerInvariant();
            if (ext != ".svg" && ext != ".png")
            {
                ctx.Err.WriteLine($"checker-nano: {output}: the picture must be .svg or .png");
                return ExitCodes.BadInput;
            }

            if (!File.Exists(input))
            {
                ctx.Err.WriteLine($"checker-nano: {input}: no such file");
                return ExitCodes.IoError;
            }

            HeapMap map;
            if (Inputs.LooksLikeTrace(input))
            {
                if (!ReplayCommand.TryOptions(ctx, heapText, blockSize, layerText, policyText, out int? heapBytes, out HeapLayer layer, out HeapPolicy policy))
                {
                    return ExitCodes.BadInput;
                }

                Trace trace = Inputs.ReadTrace(ctx, input, out int exit);
                if (trace == null)
                {
                    return exit;
                }

                if (at < 0 || at > trace.Events.Length)
                {
                    ctx.Err.WriteLine($"checker-nano: --at {at}: the trace has {trace.Events.Length} events");
                    return ExitCodes.BadInput;
                }

                if (heapBytes == null && !ReplayCommand.FitsLargestArena(ctx, input, trace, layer, blockSize, policy))
                {
                    return ExitCodes.BadInput;
                }

                int heap;
                if (heapBytes is int given)
                {
                    heap = given;
                }
                else
                {
                    MinHeapResult min = ReplayCommand.Search(trace, layer, blockSize, policy);
                    if (!min.Found)
                    {
                        ctx.Err.WriteLine($"checker-nano: {input}: the trace does not complete on {ReplayCommand.Over(layer, policy)} at BLOCKSIZE {blockSize} in any arena up to its largest ({min.LargestTried} bytes); give --heap to map it as far as it goes");
                        return ExitCodes.BadInput;
                    }

                    heap = min.HeapBytes;
                }

                map = TraceMaps.MapAt(trace, layer, heap, blockSize, at, policy);
            }
            else
            {
                ParsedLog log = Inputs.ReadLog(ctx, input, out int exit);
                if (log == null)
                {
                    return exit;
                }

                Inputs.Report(ctx, log, input, verbose);
                Dump d = Common.PickDump(ctx, log, input, dumpIndex, false, out exit);
                if (d == null)
                {
                    return exit;
                }

                Hello hello = null;
                foreach (Hello h in log.Hellos)
                {
                    if (h.Line < d.FirstLine)
                    {
                        hello = h;
                    }
                }

                map = HeapMapBuilder.FromDump(d, hello, $"{Path.GetFileName(input)}: {d.Title}");
                if (map.BlockSize <= 0)
                {
                    ctx.Err.WriteLine($"checker-nano: {input}: {d.Title} has no STAT record and no HELLO precedes it: nothing to draw");
                    return ExitCodes.BadInput;
                }
            }

            return Write(ctx, map, output);
        }

        /// <summary>Renders and writes <paramref name="map"/>; says what it wrote.</summary>
        public static int Write(CliContext ctx, HeapMap map, string output)
        {
            try
            {
                Scene scene = HeapMapRenderer.Render(map);
                scene.Save(output);
            }
            catch (IOException e)
            {
                ctx.Err.WriteLine($"checker-nano: {output}: {e.Message}");
                return ExitCodes.IoError;
            }
            catch (UnauthorizedAccessException e)
            {
                ctx.Err.WriteLine($"checker-nano: {output}: {e.Message}");
                return ExitCodes.IoError;
            }
            catch (TypeInitializationException e) when (output.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            {
                ctx.Err.WriteLine($"checker-nano: PNG needs SkiaSharp's native library, which did not load ({e.InnerException?.Message}); write .svg instead");
                return ExitCodes.IoError;
            }
            catch (DllNotFoundException e)
            {
                ctx.Err.WriteLine($"checker-nano: PNG needs SkiaSharp's native library, which did not load ({e.Message}); write .svg instead");
                return ExitCodes.IoError;
            }

            string frag = map.FragmentationPerMille is int pm ? $", fragmentation {pm / 10}.{pm % 10}%" : "";
            Spectre.Console.AnsiConsoleExtensions.MarkupLine(ctx.Console, Spectre.Console.Markup.Escape($"wrote {output}: {map.Title}; {map.HeapBlocks} of {map.ArenaBlocks} block(s) in the heap, {map.Entries.Count} table entries, {map.Chunks.Count} live block(s) placed{frag}"));
            foreach (string note in map.Notes)
            {
                ctx.Err.WriteLine("note: " + note);
            }

            return ExitCodes.Ok;
        }
    }
}
