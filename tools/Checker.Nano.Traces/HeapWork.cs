// Per-operation work of the base heap over a whole trace (HeapWorkProbe before every event),
// summarised as p50 / p99.9 / max, with the worst operation named by its trace line. The probe's
// predictions are checked against the heap as the replay goes: Mismatches must be 0.
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

        /// <summary>Operations counted.</summary>
        public int Count { get; init; }

        /// <summary>The statistics of <paramref name="values"/> (sorted in place).</summary>
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
                Count = count,
            };
        }

        private static int Rank(double p, int count) => Math.Clamp((int)Math.Ceiling(p * count) - 1, 0, count - 1);

        /// <summary>"p50 / p99.9 / max".</summary>
        public override string ToString() => $"{P50} / {P999} / {Max}";
    }

    /// <summary>The base heap's work over one trace at one BLOCKSIZE.</summary>
    public sealed class HeapWorkReport
    {
        /// <summary>The trace.</summary>
        public Trace Trace { get; init; }

        /// <summary>BLOCKSIZE.</summary>
        public int BlockSize { get; init; }

        /// <summary>List and table steps (cluster nodes + fragment links + fragments linked) over all operations.</summary>
        public WorkStats Steps { get; init; }

        /// <summary>Steps of malloc and calloc only.</summary>
        public WorkStats MallocSteps { get; init; }

        /// <summary>Steps of free only.</summary>
        public WorkStats FreeSteps { get; init; }

        /// <summary>Steps of realloc only.</summary>
        public WorkStats ReallocSteps { get; init; }

        /// <summary>Bytes copied per realloc.</summary>
        public WorkStats ReallocBytesCopied { get; init; }

        /// <summary>The most steps one operation took, and that operation.</summary>
        public int WorstSteps { get; init; }

        /// <summary>The operation with the most steps.</summary>
        public TraceEvent WorstEvent { get; init; }

        /// <summary>What the worst operation's steps were made of.</summary>
        public OpWork WorstWork { get; init; }

        /// <summary>Total cluster steps, fragment steps and fragments linked.</summary>
        public long TotalClusterSteps { get; init; }

        /// <summary>Total free-fragment links followed.</summary>
        public long TotalFragmentSteps { get; init; }

        /// <summary>Total fragments chained by splits.</summary>
        public long TotalFragmentsLinked { get; init; }

        /// <summary>Total bytes realloc copied.</summary>
        public long TotalBytesCopied { get; init; }

        /// <summary>Operations where the probe's predicted offset or rover differed from the heap (must be 0).</summary>
        public int Mismatches { get; init; }

        /// <summary>The first mismatch, or null.</summary>
        public string FirstMismatch { get; init; }
    }

    /// <summary>Measures the base heap's work per operation over a trace.</summary>
    public static class HeapWork
    {
        /// <summary>
        /// Replays <paramref name="trace"/> on a base heap with <paramref name="blockSize"/>-byte
        /// blocks over <paramref name="arenaBytes"/> bytes, probing every operation first.
        /// </summary>
        public static HeapWorkReport Measure(Trace trace, int blockSize, int arenaBytes)
        {
            ArgumentNullException.ThrowIfNull(trace);
            using var adapter = new HeapAdapter(arenaBytes, blockSize, threadSafe: false) { Touch = true };
            adapter.Begin(trace.MaxId);
            var probe = new HeapWorkProbe(adapter.Heap);
            TraceEvent[] events = trace.Events;
            int n = events.Length;
            var steps = new int[n];
            var mallocSteps = new int[n];
            var freeSteps = new int[n];
            var reallocSteps = new int[n];
            var copied = new int[n];
            int nm = 0, nf = 0, nr = 0;
            int worst = -1, worstIndex = 0, mismatches = 0;
            string firstMismatch = null;
            OpWork worstWork = default, current = default;
            long cluster = 0, frag = 0, linked = 0, bytesCopied = 0;

            var options = new ReplayOptions
            {
                BeforeEvent = i =>
                {
                    TraceEvent e = events[i];
                    current = e.Op switch
                    {
                        TraceOp.Malloc => probe.Malloc(e.Size),
                        TraceOp.Calloc => probe.Calloc(e.Count, e.ElementSize),
                        TraceOp.Realloc => probe.Realloc(adapter.OffsetOf(e.Id), e.Size),
                        _ => probe.Free(adapter.OffsetOf(e.Id)),
                    };
                },
                AfterEvent = (i, ok) =>
                {
                    TraceEvent e = events[i];
                    int s = current.Steps;
                    steps[i] = s;
                    cluster += current.ClusterSteps;
                    frag += current.FragmentSteps;
                    linked += current.FragmentsLinked;
                    switch (e.Op)
                    {
                        case TraceOp.Malloc:
                        case TraceOp.Calloc:
                            mallocSteps[nm++] = s;
                            break;
                        case TraceOp.Realloc:
                            reallocSteps[nr] = s;
                            copied[nr++] = current.BytesCopied;
                            bytesCopied += current.BytesCopied;
                            break;
                        default:
                            freeSteps[nf++] = s;
                            break;
                    }

                    if (s > worst)
                    {
                        worst = s;
                        worstIndex = i;
                        worstWork = current;
                    }

                    if (ok)
                    {
                        bool offsetWrong = e.Op != TraceOp.Free && current.PredictedOffset != adapter.OffsetOf(e.Id);
                        bool roverWrong = probe.PredictedRover != adapter.Heap.HeapIndex;
                        if (offsetWrong || roverWrong)
                        {
                            mismatches++;
                            firstMismatch ??= $"line {e.Line} ({e}): predicted offset {current.PredictedOffset} rover {probe.PredictedRover}, "
                                + $"heap gave {adapter.OffsetOf(e.Id)} rover {adapter.Heap.HeapIndex}";
                        }
                    }
                },
            };

            ReplayResult result = Replayer.Run(trace, adapter, options);
            if (!result.Completed)
            {
                throw new InvalidOperationException($"{trace.Name}: did not complete in {arenaBytes} bytes at BLOCKSIZE {blockSize}");
            }

            return new HeapWorkReport
            {
                Trace = trace,
                BlockSize = blockSize,
                Steps = WorkStats.Of(steps, n),
                MallocSteps = WorkStats.Of(mallocSteps, nm),
                FreeSteps = WorkStats.Of(freeSteps, nf),
                ReallocSteps = WorkStats.Of(reallocSteps, nr),
                ReallocBytesCopied = WorkStats.Of(copied, nr),
                WorstSteps = worst,
                WorstEvent = events.Length > 0 ? events[worstIndex] : default,
                WorstWork = worstWork,
                TotalClusterSteps = cluster,
                TotalFragmentSteps = frag,
                TotalFragmentsLinked = linked,
                TotalBytesCopied = bytesCopied,
                Mismatches = mismatches,
                FirstMismatch = firstMismatch,
            };
        }
    }
}
