// Per-operation work of the base heap (either policy) over a whole trace, from the heap's own counters
// (Heap.Work: counted where Checker.Nano is built with HEAP_WORK, which the host build defines).
// The replay reads the counters before and after every event; the difference is that
// operation's work:
//   cluster steps    free-cluster list nodes visited (malloc's first fit from the rover, free's
//                    search for the cluster before the block);
//   fragment steps   fragment links followed or written (the exact "is it free?" walk of a
//                    block's free run, and the links a block split writes);
//   bytes copied     what realloc copied.
// Summarised as p50 / p99.9 / max per trace, the worst operation named by its trace line.
// Deterministic: no timer involved, the same figures on any machine.
using System;

namespace Checker.Nano.Traces
{
    /// <summary>Nearest-rank percentiles of one per-operation count.</summary>
    public readonly struct WorkStats
    {
        /// <summary>Median.</summary>
        public int P50 { get; init; }

        /// <summary>99.9th percentile.</summary>
        public int P999 { get; init; }

        /// <summary>Largest.</summary>
        public int Max { get; init; }

        /// <summary>Mean.</summary>
        public double Mean { get; init; }

        /// <summary>Sum over the operations counted.</summary>
        public long Sum { get; init; }

        /// <summary>Operations counted.</summary>
        public int Count { get; init; }

        /// <summary>The statistics of the first <paramref name="count"/> <paramref name="values"/> (sorted in place).</summary>
        public static WorkStats Of(int[] values, int count)
        {
            if (count == 0)
            {
                return default;
            }

            Array.Sort(values, 0, count);
            long sum = 0;
            for (int i = 0; i < count; i++)
            {
                sum += values[i];
            }

            return new WorkStats
            {
                P50 = values[Rank(0.5, count)],
                P999 = values[Rank(0.999, count)],
                Max = values[count - 1],
                Mean = (double)sum / count,
                Sum = sum,
                Count = count,
            };
        }

        private static int Rank(double p, int count) => Math.Clamp((int)Math.Ceiling(p * count) - 1, 0, count - 1);

        /// <summary>"p50 / p99.9 / max".</summary>
        public override string ToString() => $"{P50} / {P999} / {Max}";
    }

    /// <summary>The work one operation did: the change of <see cref="Heap.Work"/> across it.</summary>
    public readonly struct OpWork
    {
        /// <summary>Free-cluster list nodes visited.</summary>
        public int ClusterSteps { get; init; }

        /// <summary>Fragment links followed or written.</summary>
        public int FragmentSteps { get; init; }

        /// <summary>Bytes realloc copied.</summary>
        public int BytesCopied { get; init; }

        /// <summary>List and table steps: cluster + fragment (what a microcontroller loops over).</summary>
        public int Steps => ClusterSteps + FragmentSteps;

        /// <summary>All three counts added up (steps + bytes copied).</summary>
        public int Total => ClusterSteps + FragmentSteps + BytesCopied;

        /// <summary>"c cluster + f fragment (+ b bytes copied)".</summary>
        public override string ToString() => $"{ClusterSteps} cluster + {FragmentSteps} fragment" + (BytesCopied > 0 ? $" (+ {BytesCopied} bytes copied)" : "");
    }

    /// <summary>The base heap's work over one trace at one BLOCKSIZE.</summary>
    public sealed class HeapWorkReport
    {
        /// <summary>The trace.</summary>
        public Trace Trace { get; init; }

        /// <summary>BLOCKSIZE.</summary>
        public int BlockSize { get; init; }

        /// <summary>The arena the replay ran in.</summary>
        public int ArenaBytes { get; init; }

        /// <summary>Cluster steps per operation (every operation).</summary>
        public WorkStats ClusterSteps { get; init; }

        /// <summary>Fragment steps per operation (every operation).</summary>
        public WorkStats FragmentSteps { get; init; }

        /// <summary>Bytes copied per operation (every operation; only realloc copies).</summary>
        public WorkStats BytesCopied { get; init; }

        /// <summary>Cluster + fragment steps per operation.</summary>
        public WorkStats Steps { get; init; }

        /// <summary>Cluster + fragment steps + bytes copied per operation.</summary>
        public WorkStats Total { get; init; }

        /// <summary>Steps of malloc and calloc only.</summary>
        public WorkStats MallocSteps { get; init; }

        /// <summary>Steps of free only.</summary>
        public WorkStats FreeSteps { get; init; }

        /// <summary>Steps of realloc only.</summary>
        public WorkStats ReallocSteps { get; init; }

        /// <summary>Bytes copied per realloc.</summary>
        public WorkStats ReallocBytesCopied { get; init; }

        /// <summary>The operation with the most steps (the first of them on a tie).</summary>
        public TraceEvent WorstEvent { get; init; }

        /// <summary>What the worst operation's work was made of.</summary>
        public OpWork WorstWork { get; init; }

        /// <summary>The operation that copied the most bytes (the first of them on a tie; default when none copied).</summary>
        public TraceEvent LargestCopyEvent { get; init; }

        /// <summary>What that operation's work was made of.</summary>
        public OpWork LargestCopyWork { get; init; }
    }

    /// <summary>Measures the base heap's work per operation over a trace, from its own counters.</summary>
    public static class HeapWorkMeter
    {
        private static readonly Lazy<bool> Counting = new(() =>
        {
            var heap = new Heap(new byte[1 << 14], 4096) { ThreadSafe = false };
            heap.Malloc(8);   // splits a block: 511 fragment links written
            return heap.Work.FragmentSteps > 0;
        });

        /// <summary>Whether the Checker.Nano this runs with counts work (was built with HEAP_WORK).</summary>
        public static bool IsCounting => Counting.Value;

        /// <summary>
        /// Replays <paramref name="trace"/> on a base heap with <paramref name="blockSize"/>-byte
        /// blocks over <paramref name="arenaBytes"/> bytes (every handed-out byte written once, as a
        /// program would), reading the heap's work counters around every event.
        /// </summary>
        public static HeapWorkReport Measure(Trace trace, int blockSize, int arenaBytes) => Measure(trace, blockSize, arenaBytes, HeapPolicy.Seed);

        /// <summary>The same with the heap's <paramref name="policy"/> (Compact counts the gaps a fit tries as cluster steps).</summary>
        public static HeapWorkReport Measure(Trace trace, int blockSize, int arenaBytes, HeapPolicy policy)
        {
            ArgumentNullException.ThrowIfNull(trace);
            if (!IsCounting)
            {
                throw new InvalidOperationException("this Checker.Nano does not count work: it was built without HEAP_WORK (the host build defines it)");
            }

            using var adapter = new HeapAdapter(arenaBytes, blockSize, policy, threadSafe: false) { Touch = true };
            HeapWork work = adapter.Heap.Work;
            TraceEvent[] events = trace.Events;
            int n = events.Length;
            var cluster = new int[n];
            var fragment = new int[n];
            var copied = new int[n];
            var steps = new int[n];
            var total = new int[n];
            var mallocSteps = new int[n];
            var freeSteps = new int[n];
            var reallocSteps = new int[n];
            var reallocCopied = new int[n];
            int nm = 0, nf = 0, nr = 0;
            int worstIndex = -1, copyIndex = -1;
            OpWork worst = default, largestCopy = default;
            long c0 = 0, f0 = 0, b0 = 0;

            var options = new ReplayOptions
            {
                BeforeEvent = _ =>
                {
                    c0 = work.ClusterSteps;
                    f0 = work.FragmentSteps;
                    b0 = work.BytesCopied;
                },
                AfterEvent = (i, _) =>
                {
                    var w = new OpWork
                    {
                        ClusterSteps = checked((int)(work.ClusterSteps - c0)),
                        FragmentSteps = checked((int)(work.FragmentSteps - f0)),
                        BytesCopied = checked((int)(work.BytesCopied - b0)),
                    };
                    cluster[i] = w.ClusterSteps;
                    fragment[i] = w.FragmentSteps;
                    copied[i] = w.BytesCopied;
                    steps[i] = w.Steps;
                    total[i] = w.Total;
                    switch (events[i].Op)
                    {
                        case TraceOp.Malloc:
                        case TraceOp.Calloc:
                            mallocSteps[nm++] = w.Steps;
                            break;
                        case TraceOp.Realloc:
                            reallocSteps[nr] = w.Steps;
                            reallocCopied[nr++] = w.BytesCopied;
                            break;
                        default:
                            freeSteps[nf++] = w.Steps;
                            break;
                    }

                    if (worstIndex < 0 || w.Steps > worst.Steps)
                    {
                        worstIndex = i;
                        worst = w;
                    }

                    if (w.BytesCopied > 0 && (copyIndex < 0 || w.BytesCopied > largestCopy.BytesCopied))
                    {
                        copyIndex = i;
                        largestCopy = w;
                    }
                },
            };

            ReplayResult result = Replayer.Run(trace, adapter, options);
            if (!result.Completed)
            {
                throw new InvalidOperationException($"{trace.Name}: did not complete in {arenaBytes} bytes at BLOCKSIZE {blockSize} ({policy} policy)");
            }

            return new HeapWorkReport
            {
                Trace = trace,
                BlockSize = blockSize,
                ArenaBytes = arenaBytes,
                ClusterSteps = WorkStats.Of(cluster, n),
                FragmentSteps = WorkStats.Of(fragment, n),
                BytesCopied = WorkStats.Of(copied, n),
                Steps = WorkStats.Of(steps, n),
                Total = WorkStats.Of(total, n),
                MallocSteps = WorkStats.Of(mallocSteps, nm),
                FreeSteps = WorkStats.Of(freeSteps, nf),
                ReallocSteps = WorkStats.Of(reallocSteps, nr),
                ReallocBytesCopied = WorkStats.Of(reallocCopied, nr),
                WorstEvent = worstIndex >= 0 ? events[worstIndex] : default,
                WorstWork = worst,
                LargestCopyEvent = copyIndex >= 0 ? events[copyIndex] : default,
                LargestCopyWork = largestCopy,
            };
        }
    }
}
