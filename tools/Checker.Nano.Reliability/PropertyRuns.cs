// Property runs: CsCheck generates sequences of operations (Operations.cs) on a fresh subject of
// a random shape; ModelRunner applies them with every check after every operation. A failure is
// shrunk by CsCheck to the smallest failing sequence it can find and thrown with its seed (set
// CsCheck_Seed, or pass the seed, to replay exactly that case).
using System;
using System.Diagnostics;
using System.Threading;
using CsCheck;

namespace Checker.Nano.Reliability
{
    /// <summary>Model-based property runs per layer.</summary>
    public static class PropertyRuns
    {
        /// <summary>The longest generated sequence.</summary>
        public const int MaxLength = 400;

        /// <summary>
        /// Runs sequences on <paramref name="kind"/> (a layer over a policy) until at least
        /// <paramref name="targetOperations"/> operations were applied. Throws CsCheck's exception
        /// (with the shrunk sequence and its seed) on a failure.
        /// </summary>
        public static Figure Run(SubjectKind kind, long targetOperations, string seed = null, int threads = -1)
        {
            var watch = Stopwatch.StartNew();
            long operations = 0, outOfMemory = 0, sequences = 0;
            bool memalign = kind.Layer == Layer.Base;
            Gen<(int Shape, int Variant, Op[] Ops)> gen = OperationGen.Sequence(MaxLength, memalign);
            while (operations < targetOperations)
            {
                // Sequences average about MaxLength / 2 operations plus the frees at the end.
                long left = targetOperations - operations;
                int iter = (int)Math.Max(threads == 1 ? 1 : 2, Math.Min(2000, left / (MaxLength / 2)));
                gen.Sample(
                    t =>
                    {
                        Subject s = Subject.Create(kind, OperationGen.ShapesFor(kind)[t.Shape]);
                        s.Configure(t.Variant);
                        var runner = new ModelRunner(s, (t.Ops.Length * 7919) + t.Shape);
                        try
                        {
                            runner.Run(t.Ops);
                        }
                        finally
                        {
                            Interlocked.Add(ref operations, runner.Operations);
                            Interlocked.Add(ref outOfMemory, runner.OutOfMemory);
                            Interlocked.Increment(ref sequences);
                        }
                    },
                    seed: seed,
                    iter: iter,
                    threads: threads,
                    print: t => $"{kind}, shape {OperationGen.ShapesFor(kind)[t.Shape]}, variant {t.Variant}, {t.Ops.Length} operations:\n  " + string.Join("\n  ", t.Ops));
                seed = null;
            }

            return new Figure
            {
                Part = "property (model, Validate after each)",
                Target = kind.Name,
                Operations = operations,
                Time = watch.Elapsed,
                Notes = $"{sequences:N0} sequences of up to {MaxLength} operations, "
                    + (kind.IsCompact ? "4 shapes (" + string.Join(", ", OperationGen.CompactShapes) + ")" : "4 shapes")
                    + (kind.Layer == Layer.Base ? "" : " x 4 variants") + $"; {outOfMemory:N0} allocations ran out of memory (plausibly)"
                    + (memalign ? "; memalign included" : ""),
            };
        }
    }
}
