// The reliability runs from the command line, each part printing its rows of the figures table:
//
//   dotnet run -c Release --project tools/Checker.Nano.Reliability -- all|quick|<part>... [options]
//
// parts: property guards bitflips oom handles threads fuzz soak
// quick: every part at the size the test project runs it (dotnet test); all: the long sizes.
// options: --quick (the named parts at quick size), --layer base|debug|checker|compact (only that layer),
//          --seed S (CsCheck's seed for the property runs and the fuzzing, as printed by a
//          failure; a number also seeds the bit flips), --out FILE (the Markdown table),
//          --traces DIR (the shared traces; default ../shared/traces beside the repository),
//          --save-corpus (fuzz: keep new interesting inputs, minimized, in corpus/).
// Environment: CsCheck_Seed (same as --seed), RELIABILITY_FAILURES=DIR (fuzz: write the failing
// input there), RELIABILITY_STACKS=1 (bit flips: print each first crash's stack).
// Exit code 0 when every row is clean (nothing missed, no crash, no hang), 1 otherwise.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Checker.Nano.Reliability
{
    /// <summary>The command line.</summary>
    public static class Program
    {
        private static Layer[] layers;

        private static readonly string[] Parts = { "property", "guards", "bitflips", "oom", "handles", "threads", "fuzz", "soak" };

        /// <summary>Runs the parts asked for and prints the table.</summary>
        public static int Main(string[] args)
        {
            var parts = new List<string>();
            bool quick = false;
            string seed = null, outFile = null, traces = null;
            bool saveCorpus = false;
            layers = new[] { Layer.Base, Layer.Debug, Layer.Checker, Layer.Compact };
            for (int i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "all": parts.AddRange(Parts); break;
                    case "quick": parts.AddRange(Parts); quick = true; break;
                    case "--seed": seed = args[++i]; break;
                    case "--out": outFile = args[++i]; break;
                    case "--traces": traces = args[++i]; break;
                    case "--save-corpus": saveCorpus = true; break;
                    case "--quick": quick = true; break;
                    case "--layer": layers = new[] { Enum.Parse<Layer>(args[++i], true) }; break;
                    default:
                        if (Array.IndexOf(Parts, args[i]) < 0)
                        {
                            Console.Error.WriteLine($"unknown part or option '{args[i]}'; parts: {string.Join(" ", Parts)}, all, quick; options: --quick --layer base|debug|checker|compact --seed S --out FILE --traces DIR --save-corpus");
                            return 2;
                        }

                        parts.Add(args[i]);
                        break;
                }
            }

            if (parts.Count == 0)
            {
                Console.Error.WriteLine("usage: Checker.Nano.Reliability all|quick|<part>... [--quick] [--layer L] [--seed S] [--out FILE] [--traces DIR] [--save-corpus]");
                Console.Error.WriteLine("parts: " + string.Join(" ", Parts));
                return 2;
            }

            Sizes sizes = quick ? Sizes.Quick : Sizes.Long;
            traces ??= TraceFiles.DefaultDirectory();
            var rows = new List<Figure>();
            foreach (string part in parts.Distinct())
            {
                Console.WriteLine($"== {part} ({(quick ? "quick" : "long")})");
                foreach (Figure f in RunPart(part, sizes, seed, traces, saveCorpus))
                {
                    Console.WriteLine("   " + f);
                    foreach (string p in f.Problems)
                    {
                        Console.WriteLine("      ! " + p);
                    }

                    rows.Add(f);
                }
            }

            string table = FigureTable.Markdown(rows);
            Console.WriteLine();
            Console.WriteLine(table);
            if (outFile != null)
            {
                File.WriteAllText(outFile, table);
            }

            return rows.All(r => r.Clean) ? 0 : 1;
        }

        private static IEnumerable<Figure> RunPart(string part, Sizes sizes, string seed, string traces, bool saveCorpus)
        {
            string csSeed = int.TryParse(seed, out _) ? null : seed;   // a number seeds the bit flips only
            switch (part)
            {
                case "property":
                    foreach (Layer l in layers)
                    {
                        yield return PropertyRuns.Run(l, sizes.PropertyOperations(l), csSeed);
                    }

                    break;

                case "guards":
                    yield return GuardSweep.RunDebug(new HeapShape(131072, 4096));
                    yield return GuardSweep.RunDebug(new HeapShape(16384, 256));
                    foreach (Figure f in GuardSweep.RunChecker(new HeapShape(131072, 4096)))
                    {
                        yield return f;
                    }

                    break;

                case "bitflips":
                    foreach (Layer l in layers)
                    {
                        yield return BitFlips.Run(l, sizes.BitFlipTrials, (int.TryParse(seed, out int n) ? n : 1000) + (int)l);
                    }

                    break;

                case "oom":
                    foreach (Layer l in layers)
                    {
                        // The debug heap with delay-free on, so that giving held blocks back is exercised too.
                        int variant = l == Layer.Debug ? 1 : 0;
                        int bs = l == Layer.Compact ? 256 : 4096;   // Compact: its measured block size
                        yield return OutOfMemorySweep.EveryK(l, SyntheticTrace.EspIdf(), new HeapShape(262144, bs), variant, 1);
                        if (l == Layer.Compact)
                        {
                            yield return OutOfMemorySweep.EveryK(l, SyntheticTrace.EspIdf(), new HeapShape(262144, 512), variant, 1);
                        }

                        if (sizes.Scale > 1)
                        {
                            foreach (string name in new[] { "lua51-wordfreq.txt", "lua54-strbuild.txt" })
                            {
                                string path = TraceFiles.Find(traces, name);
                                if (path != null)
                                {
                                    yield return OutOfMemorySweep.EveryK(l, Traces.TraceReader.Read(path), new HeapShape(1 << 20, bs), variant, 1);
                                }
                            }
                        }

                        yield return OutOfMemorySweep.Kept(l, SyntheticTrace.EspIdf(), new HeapShape(262144, bs), 0, sizes.KeptSamples);
                    }

                    break;

                case "handles":
                    foreach (Layer l in layers)
                    {
                        if (l == Layer.Compact)
                        {
                            yield return BadHandles.Small(l, 256);
                            yield return BadHandles.Small(l, 512);
                            yield return BadHandles.Large(l, 256);
                            continue;
                        }

                        yield return BadHandles.Small(l);
                        yield return BadHandles.Large(l);
                    }

                    break;

                case "threads":
                    foreach (Layer l in layers)
                    {
                        yield return ThreadStress.Run(l, 4, sizes.ThreadOperations(l), 1024, 4242 + (int)l);
                    }

                    break;

                case "fuzz":
                {
                    string corpus = saveCorpus ? ParserFuzz.CorpusDirectory() : null;
                    foreach (FuzzTarget t in ParserFuzz.Targets(cli: true))
                    {
                        bool slow = t is CliLogTarget || t is CliTraceTarget;
                        bool canonical = t is TraceTarget || t is LogTarget;   // the corpus records these readers' outcomes
                        yield return ParserFuzz.Run(t, (slow ? 100 : 2000) * sizes.Scale, csSeed, canonical ? corpus : null);
                    }

                    break;
                }

                case "soak":
                {
                    List<Traces.Trace> all = Soak.SharedTraces(traces, includeLarge: sizes.Scale > 1);
                    if (all.Count == 0)
                    {
                        all.Add(SyntheticTrace.EspIdf());   // no shared traces here: the generated one
                    }

                    var shape = new HeapShape(8 << 20, 4096);
                    bool compactOnly = layers.Length == 1 && layers[0] == Layer.Compact;
                    if (!compactOnly)
                    {
                        yield return Soak.Run(Layer.Debug, all, sizes.Scale > 1 ? 100 : 2, shape);
                        if (sizes.Scale > 1)
                        {
                            yield return Soak.Run(Layer.Checker, all, 10, shape);
                        }
                    }

                    if (sizes.Scale > 1 && Array.IndexOf(layers, Layer.Compact) >= 0)
                    {
                        // The Compact policy (no debug layer over it): Validate every 1,024 events.
                        yield return Soak.Run(Layer.Compact, all, 100, new HeapShape(8 << 20, 256));
                    }

                    break;
                }

                default:
                    throw new ArgumentException("part " + part + " is not written yet");
            }
        }
    }

    /// <summary>How big each part runs: Quick is what the test project runs, Long the full campaign.</summary>
    public sealed class Sizes
    {
        /// <summary>The test project's sizes.</summary>
        public static readonly Sizes Quick = new Sizes { Scale = 1 };

        /// <summary>The long run's.</summary>
        public static readonly Sizes Long = new Sizes { Scale = 10 };

        /// <summary>How much bigger than quick.</summary>
        public int Scale { get; private init; }

        /// <summary>Operations per thread of the 4-thread stress test (quick: 250,000 on every layer, 100,000 on Compact; long: 1,000,000).</summary>
        public int ThreadOperations(Layer layer) => Scale == 1 ? (layer == Layer.Compact ? 100_000 : 250_000) : 1_000_000;

        /// <summary>Replays with the k-th allocation's failure kept, per layer.</summary>
        public int KeptSamples => Scale * 20;

        /// <summary>Bit-flip trials per layer.</summary>
        public int BitFlipTrials => Scale == 1 ? 2000 : 50_000;

        /// <summary>Property operations per layer (quick: 1,000,000 over the three layers, 400,000 more on Compact).</summary>
        public long PropertyOperations(Layer layer) => Scale * (layer switch
        {
            Layer.Base => 400_000L,
            Layer.Debug => 350_000L,
            Layer.Compact => 400_000L,
            _ => 250_000L,
        });
    }
}
