// The reliability runs from the command line, each part printing its rows of the figures table:
//
//   dotnet run -c Release --project tools/Checker.Nano.Reliability -- all|quick|<part>... [options]
//
// parts: property guards bitflips oom handles threads fuzz soak
// quick: every part at the size the test project runs it (dotnet test); all: the long sizes.
// options: --quick (the named parts at quick size), --layer base|debug|checker (only that layer;
//          compact: the base heap over the Compact policy, as --layer base --policy compact),
//          --policy seed|compact|both (the base heap's policy under every layer; default both),
//          --seed S (CsCheck's seed for the property runs and the fuzzing, as printed by a
//          failure; a number also seeds the bit flips), --out FILE (the Markdown table),
//          --traces DIR (the shared traces; default ../shared/traces beside the repository),
//          --save-corpus (fuzz: keep new interesting inputs, minimized, in corpus/).
// Environment: CsCheck_Seed (same as --seed), RELIABILITY_FAILURES=DIR (fuzz: write the failing
// input there), RELIABILITY_STACKS=1 (bit flips: print each first crash's stack).
// Exit code 0 when every row is clean (nothing missed, no crash, no hang), 1 otherwise; 2 for a
// bad part or option.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Checker.Nano.Traces;

namespace Checker.Nano.Reliability
{
    /// <summary>The command line.</summary>
    public static class Program
    {
        private const string Usage = "usage: Checker.Nano.Reliability all|quick|<part>... [--quick] [--layer base|debug|checker|compact] [--policy seed|compact|both] [--seed S] [--out FILE] [--traces DIR] [--save-corpus]";

        private static SubjectKind[] kinds;

        private static readonly string[] Parts = { "property", "guards", "bitflips", "oom", "handles", "threads", "fuzz", "soak" };

        /// <summary>Runs the parts asked for and prints the table.</summary>
        public static int Main(string[] args)
        {
            var parts = new List<string>();
            bool quick = false;
            string seed = null, outFile = null, traces = null, layerText = null, policyText = null;
            bool saveCorpus = false;
            for (int i = 0; i < args.Length; i++)
            {
                string a = args[i];
                if (a.StartsWith("--", StringComparison.Ordinal) && a != "--quick" && a != "--save-corpus" && i + 1 >= args.Length)
                {
                    Console.Error.WriteLine($"{a} needs a value");
                    Console.Error.WriteLine(Usage);
                    return 2;
                }

                switch (a)
                {
                    case "all": parts.AddRange(Parts); break;
                    case "quick": parts.AddRange(Parts); quick = true; break;
                    case "--seed": seed = args[++i]; break;
                    case "--out": outFile = args[++i]; break;
                    case "--traces": traces = args[++i]; break;
                    case "--save-corpus": saveCorpus = true; break;
                    case "--quick": quick = true; break;
                    case "--layer": layerText = args[++i]; break;
                    case "--policy": policyText = args[++i]; break;
                    default:
                        if (Array.IndexOf(Parts, a) < 0)
                        {
                            Console.Error.WriteLine($"unknown part or option '{a}'; parts: {string.Join(" ", Parts)}, all, quick; options: --quick --layer base|debug|checker|compact --policy seed|compact|both --seed S --out FILE --traces DIR --save-corpus");
                            return 2;
                        }

                        parts.Add(a);
                        break;
                }
            }

            string problem = TryKinds(layerText, policyText, out kinds);
            if (problem != null)
            {
                Console.Error.WriteLine(problem);
                Console.Error.WriteLine(Usage);
                return 2;
            }

            if (parts.Count == 0)
            {
                Console.Error.WriteLine(Usage);
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

        /// <summary>
        /// The subjects --layer and --policy name (null: every layer, both policies): the layers
        /// over the policies, the seed's first. --layer compact is the base heap over Compact (and
        /// takes no --policy but compact). Returns what is wrong, or null.
        /// </summary>
        public static string TryKinds(string layerText, string policyText, out SubjectKind[] result)
        {
            result = null;
            layerText = layerText?.ToLowerInvariant();
            policyText = policyText?.ToLowerInvariant();
            Layer[] layers = { Layer.Base, Layer.Debug, Layer.Checker };
            HeapPolicy[] policies = { HeapPolicy.Seed, HeapPolicy.Compact };
            if (policyText != null && policyText != "both")
            {
                if (!HeapPolicies.TryParse(policyText, out HeapPolicy p))
                {
                    return $"--policy {policyText}: give seed, compact or both";
                }

                policies = new[] { p };
            }

            if (layerText != null)
            {
                switch (layerText)
                {
                    case "base": layers = new[] { Layer.Base }; break;
                    case "debug": layers = new[] { Layer.Debug }; break;
                    case "checker": layers = new[] { Layer.Checker }; break;
                    case "compact":
                        if (policyText != null && policyText != "compact")
                        {
                            return $"--layer compact is the base heap over the Compact policy: it takes no --policy {policyText} (use --layer base --policy {policyText})";
                        }

                        layers = new[] { Layer.Base };
                        policies = new[] { HeapPolicy.Compact };
                        break;
                    default:
                        return $"--layer {layerText}: give base, debug, checker or compact";
                }
            }

            result = policies.SelectMany(p => layers.Select(l => new SubjectKind(l, p))).ToArray();
            return null;
        }

        private static IEnumerable<Figure> RunPart(string part, Sizes sizes, string seed, string traces, bool saveCorpus)
        {
            string csSeed = int.TryParse(seed, out _) ? null : seed;   // a number seeds the bit flips only
            switch (part)
            {
                case "property":
                    foreach (SubjectKind k in kinds)
                    {
                        yield return PropertyRuns.Run(k, sizes.PropertyOperations(k), csSeed);
                    }

                    break;

                case "guards":
                    // The guards are the upper layers': the base heap has none.
                    foreach (SubjectKind k in kinds)
                    {
                        int bs = k.IsCompact ? 512 : 4096;   // Compact: its measured block size
                        if (k.Layer == Layer.Debug)
                        {
                            yield return GuardSweep.RunDebug(new HeapShape(131072, bs), k.Policy);
                            yield return GuardSweep.RunDebug(new HeapShape(16384, 256), k.Policy);
                        }
                        else if (k.Layer == Layer.Checker)
                        {
                            foreach (Figure f in GuardSweep.RunChecker(new HeapShape(131072, bs), k.Policy))
                            {
                                yield return f;
                            }
                        }
                    }

                    break;

                case "bitflips":
                    foreach (SubjectKind k in kinds)
                    {
                        yield return BitFlips.Run(k, sizes.BitFlipTrials, (int.TryParse(seed, out int n) ? n : 1000) + k.Index);
                    }

                    break;

                case "oom":
                    foreach (SubjectKind k in kinds)
                    {
                        // The debug heap with delay-free on, so that giving held blocks back is exercised too.
                        int variant = k.Layer == Layer.Debug ? 1 : 0;
                        int bs = k.IsCompact ? 256 : 4096;   // Compact: its measured block size
                        yield return OutOfMemorySweep.EveryK(k, SyntheticTrace.EspIdf(), new HeapShape(262144, bs), variant, 1);
                        if (k.IsCompact)
                        {
                            yield return OutOfMemorySweep.EveryK(k, SyntheticTrace.EspIdf(), new HeapShape(262144, 512), variant, 1);
                        }

                        if (sizes.Scale > 1)
                        {
                            foreach (string name in new[] { "lua51-wordfreq.txt", "lua54-strbuild.txt" })
                            {
                                string path = TraceFiles.Find(traces, name);
                                if (path != null)
                                {
                                    yield return OutOfMemorySweep.EveryK(k, Traces.TraceReader.Read(path), new HeapShape(1 << 20, bs), variant, 1);
                                }
                            }
                        }

                        yield return OutOfMemorySweep.Kept(k, SyntheticTrace.EspIdf(), new HeapShape(262144, bs), 0, sizes.KeptSamples);
                    }

                    break;

                case "handles":
                    foreach (SubjectKind k in kinds)
                    {
                        if (k.IsCompact)
                        {
                            yield return BadHandles.Small(k, 256);
                            yield return BadHandles.Small(k, 512);
                            yield return BadHandles.Large(k, 256);
                            continue;
                        }

                        yield return BadHandles.Small(k);
                        yield return BadHandles.Large(k);
                    }

                    break;

                case "threads":
                    foreach (SubjectKind k in kinds)
                    {
                        yield return ThreadStress.Run(k, 4, sizes.ThreadOperations(k), 1024, 4242 + k.Index);
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

                    foreach (SubjectKind k in kinds)
                    {
                        // The debug heap (over either policy): 100 rounds, 2 at quick size; Checker: 10
                        // rounds, long only; the base heap alone: the Compact policy's, 100 rounds, long
                        // only (the seed's runs under every debug soak). Validate every 1,024 events.
                        int rounds = k.Layer == Layer.Debug ? (sizes.Scale > 1 ? 100 : 2)
                            : sizes.Scale == 1 ? 0
                            : k.Layer == Layer.Checker ? 10
                            : k.IsCompact ? 100 : 0;
                        if (rounds > 0)
                        {
                            yield return Soak.Run(k, all, rounds, new HeapShape(8 << 20, k.IsCompact ? 256 : 4096));
                        }
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

        /// <summary>
        /// Operations per thread of the 4-thread stress test: quick 250,000 on the seed's three layers,
        /// 100,000 on the Compact base heap, 40,000 on the debug heap and Checker over Compact (the
        /// test project's share); long 1,000,000 on every subject.
        /// </summary>
        public int ThreadOperations(SubjectKind kind) => Scale > 1 ? 1_000_000 : !kind.IsCompact ? 250_000 : kind.Layer == Layer.Base ? 100_000 : 40_000;

        /// <summary>Replays with the k-th allocation's failure kept, per layer.</summary>
        public int KeptSamples => Scale * 20;

        /// <summary>Bit-flip trials per layer.</summary>
        public int BitFlipTrials => Scale == 1 ? 2000 : 50_000;

        /// <summary>
        /// Property operations per subject: quick 1,000,000 over the seed's three layers (400,000,
        /// 350,000, 250,000), 400,000 on the Compact base heap, 150,000 and 100,000 on the debug heap
        /// and Checker over Compact; long ten times the seed's and the Compact base heap's, and the
        /// seed's figures (3,500,000 and 2,500,000) for the upper layers over Compact.
        /// </summary>
        public long PropertyOperations(SubjectKind kind) => (kind.Layer, kind.IsCompact, Scale > 1) switch
        {
            (Layer.Base, _, _) => Scale * 400_000L,
            (Layer.Debug, false, _) => Scale * 350_000L,
            (Layer.Checker, false, _) => Scale * 250_000L,
            (Layer.Debug, true, false) => 150_000L,
            (Layer.Debug, true, true) => 3_500_000L,
            (_, true, false) => 100_000L,
            _ => 2_500_000L,
        };
    }
}
