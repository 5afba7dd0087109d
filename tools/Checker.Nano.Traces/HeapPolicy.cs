// The base heap's two policies, as the host tools name them. On the device each is its own type
// in its own assembly (Heap in Checker.Nano.Heap, CompactHeap in Checker.Nano.Compact), both
// behind BaseHeap; the tools pick one by this enum (replay --policy, the benchmarks' tables,
// the reliability campaigns).
using System;

namespace Checker.Nano.Traces
{
    /// <summary>A base-heap policy.</summary>
    public enum HeapPolicy
    {
        /// <summary>The seed's (GNU malloc's) policy: <see cref="Heap"/>. The default.</summary>
        Seed = 0,

        /// <summary>The Compact policy: <see cref="CompactHeap"/> (Checker.Nano/Compact/COMPACT.md).</summary>
        Compact = 1,
    }

    /// <summary>Makes and names heaps by <see cref="HeapPolicy"/>.</summary>
    public static class HeapPolicies
    {
        /// <summary>A fresh heap of <paramref name="policy"/> over <paramref name="arena"/>.</summary>
        public static BaseHeap Make(HeapPolicy policy, Arena arena, int blockSize) => policy switch
        {
            HeapPolicy.Seed => new Heap(arena, blockSize),
            HeapPolicy.Compact => new CompactHeap(arena, blockSize),
            _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "unknown heap policy"),
        };

        /// <summary>The <see cref="HeapMaker"/> of <paramref name="policy"/> (for CheckerHeap, which lays out its own arena).</summary>
        public static HeapMaker Maker(HeapPolicy policy) => policy switch
        {
            HeapPolicy.Seed => Heap.Make,
            HeapPolicy.Compact => CompactHeap.Make,
            _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "unknown heap policy"),
        };

        /// <summary>"seed" or "compact" (the heap's PolicyName).</summary>
        public static string Name(HeapPolicy policy) => policy == HeapPolicy.Compact ? "compact" : "seed";

        /// <summary>The policy named <paramref name="name"/> ("seed" or "compact", any case), or false.</summary>
        public static bool TryParse(string name, out HeapPolicy policy)
        {
            switch ((name ?? "").ToLowerInvariant())
            {
                case "seed":
                    policy = HeapPolicy.Seed;
                    return true;
                case "compact":
                    policy = HeapPolicy.Compact;
                    return true;
                default:
                    policy = HeapPolicy.Seed;
                    return false;
            }
        }
    }
}
