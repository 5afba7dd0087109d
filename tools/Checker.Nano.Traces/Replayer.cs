// The replay engine: drives an IAllocatorAdapter through a trace, event by event, in one loop
// shared by every allocator. Two entry points:
//  - Run: the measuring replay (peak arena use, failures, periodic Validate, a hook before each
//    event and after it, where the work meter reads the heap's counters);
//  - RunFast: the benchmark loop, nothing but the operations; it allocates no managed memory
//    itself (the adapter's handle table is made in Begin).
// The engine keeps, per id, the bytes the adapter holds for it: the trace's size, or 0 when the
// allocation failed (a later realloc of it is then a malloc, a later free a free(NULL)).
using System;

namespace Checker.Nano.Traces
{
    /// <summary>How <see cref="Replayer.Run"/> replays.</summary>
    public sealed class ReplayOptions
    {
        /// <summary>Stop at the first allocation that fails (the smallest-HEAP search wants this).</summary>
        public bool StopOnFailure { get; set; }

        /// <summary>Call the adapter's Validate every this many events and at the end (0: never).</summary>
        public int ValidateEvery { get; set; }

        /// <summary>Replay only the first this many events (0: all of them); the heap is left as it is then (heap maps).</summary>
        public int StopAfterEvents { get; set; }

        /// <summary>Called before each event with its index in <see cref="Trace.Events"/> (the work meter reads the heap's counters here).</summary>
        public Action<int> BeforeEvent { get; set; }

        /// <summary>Called after each event with its index and whether it succeeded.</summary>
        public Action<int, bool> AfterEvent { get; set; }
    }

    /// <summary>What a replay measured.</summary>
    public sealed class ReplayResult
    {
        /// <summary>The trace replayed.</summary>
        public Trace Trace { get; init; }

        /// <summary>The adapter's name.</summary>
        public string Allocator { get; init; }

        /// <summary>Events replayed (all of them unless it stopped at a failure).</summary>
        public int EventsReplayed { get; init; }

        /// <summary>Allocations (malloc, calloc, realloc) that failed for lack of memory.</summary>
        public int Failures { get; init; }

        /// <summary>The line of the first failure, 0 when none.</summary>
        public int FirstFailureLine { get; init; }

        /// <summary>True when every event ran and none failed.</summary>
        public bool Completed => Failures == 0 && EventsReplayed == Trace.Events.Length;

        /// <summary>The largest ArenaBytesInUse seen after an event (-1 for allocators without an arena).</summary>
        public long PeakArenaBytes { get; init; }

        /// <summary>ArenaBytesInUse after the last event.</summary>
        public long FinalArenaBytes { get; init; }

        /// <summary>The trace's peak live requested bytes.</summary>
        public long PeakLiveBytes => Trace.PeakLiveBytes;

        /// <summary>Peak arena use ÷ peak live bytes − 1 (NaN without an arena).</summary>
        public double ArenaOverhead => PeakArenaBytes < 0 ? double.NaN : ((double)PeakArenaBytes / Trace.PeakLiveBytes) - 1;
    }

    /// <summary>A replay that found the allocator broken (Validate failed, data lost, an exception).</summary>
    public sealed class ReplayException : Exception
    {
        /// <summary>"trace:line (event): what".</summary>
        public ReplayException(Trace trace, TraceEvent e, string what, Exception inner = null)
            : base($"{trace.Name}:{e.Line} ({e}): {what}", inner)
        {
            Line = e.Line;
        }

        /// <summary>The trace line where it was found.</summary>
        public int Line { get; }
    }

    /// <summary>Replays traces on adapters.</summary>
    public static class Replayer
    {
        /// <summary>The measuring replay.</summary>
        public static ReplayResult Run(Trace trace, IAllocatorAdapter adapter, ReplayOptions options = null)
        {
            ArgumentNullException.ThrowIfNull(trace);
            ArgumentNullException.ThrowIfNull(adapter);
            options ??= new ReplayOptions();
            TraceEvent[] events = trace.Events;
            int[] held = new int[trace.MaxId + 1];
            adapter.Begin(trace.MaxId);
            long peakArena = adapter.ArenaBytesInUse;
            int failures = 0, firstFailure = 0, i = 0;
            int validateEvery = options.ValidateEvery;
            Action<int> before = options.BeforeEvent;
            Action<int, bool> after = options.AfterEvent;
            int count = options.StopAfterEvents > 0 && options.StopAfterEvents < events.Length ? options.StopAfterEvents : events.Length;
            for (; i < count; i++)
            {
                TraceEvent e = events[i];
                before?.Invoke(i);
                bool ok;
                try
                {
                    ok = Step(adapter, e, held);
                }
                catch (Exception ex) when (ex is not ReplayException)
                {
                    throw new ReplayException(trace, e, ex.Message, ex);
                }

                after?.Invoke(i, ok);
                if (!ok)
                {
                    failures++;
                    if (firstFailure == 0)
                    {
                        firstFailure = e.Line;
                    }

                    if (options.StopOnFailure)
                    {
                        i++;
                        break;
                    }
                }

                long arena = adapter.ArenaBytesInUse;
                if (arena > peakArena)
                {
                    peakArena = arena;
                }

                if (validateEvery > 0 && (i + 1) % validateEvery == 0)
                {
                    Validate(trace, adapter, e);
                }
            }

            if (validateEvery > 0 && events.Length > 0)
            {
                Validate(trace, adapter, events[i - 1]);
            }

            return new ReplayResult
            {
                Trace = trace,
                Allocator = adapter.Name,
                EventsReplayed = i,
                Failures = failures,
                FirstFailureLine = firstFailure,
                PeakArenaBytes = peakArena,
                FinalArenaBytes = adapter.ArenaBytesInUse,
            };
        }

        /// <summary>
        /// The benchmark loop: replays every event and returns how many allocations failed. No
        /// measuring, no hooks; <paramref name="held"/> (MaxId + 1 ints, reused between calls) keeps
        /// the sizes so the loop allocates nothing.
        /// </summary>
        public static int RunFast(Trace trace, IAllocatorAdapter adapter, int[] held)
        {
            TraceEvent[] events = trace.Events;
            adapter.Begin(trace.MaxId);
            int failures = 0;
            for (int i = 0; i < events.Length; i++)
            {
                if (!Step(adapter, events[i], held))
                {
                    failures++;
                }
            }

            return failures;
        }

        private static bool Step(IAllocatorAdapter adapter, in TraceEvent e, int[] held)
        {
            switch (e.Op)
            {
                case TraceOp.Malloc:
                    if (adapter.Malloc(e.Id, e.Size))
                    {
                        held[e.Id] = e.Size;
                        return true;
                    }

                    held[e.Id] = 0;
                    return false;

                case TraceOp.Calloc:
                    if (adapter.Calloc(e.Id, e.Count, e.ElementSize))
                    {
                        held[e.Id] = e.Size;
                        return true;
                    }

                    held[e.Id] = 0;
                    return false;

                case TraceOp.Realloc:
                    if (adapter.Realloc(e.Id, held[e.Id], e.Size))
                    {
                        held[e.Id] = e.Size;
                        return true;
                    }

                    return false;

                default:
                    adapter.Free(e.Id, held[e.Id]);
                    held[e.Id] = 0;
                    return true;
            }
        }

        private static void Validate(Trace trace, IAllocatorAdapter adapter, TraceEvent e)
        {
            string problem = adapter.Validate();
            if (problem != null)
            {
                throw new ReplayException(trace, e, "Validate: " + problem);
            }
        }
    }
}
