// Out of memory everywhere: replay a trace and make the k-th allocation fail, for every k.
//
// How an allocation is made to fail for real (no hook in the library): just before it, the
// arena's limit is lowered to the break and every free block and free fragment is taken by
// "ballast" allocations straight from the base heap, so the allocation finds nothing, whatever
// path it takes (fragment list, block split, first fit, morecore, realloc's grow and undo; for
// the Compact policy: every class's free slots, every gap of a block or more). The
// layers above may still succeed by giving back what they hold (the debug heap's delay-freed
// blocks, Checker's aged blocks): that is their documented recovery, counted apart.
// After the allocation: Validate (ballast still in place), every live block's bytes intact, the
// ballast freed and the limit put back, Validate again, and nothing leaked: the base heap holds
// exactly the chunks it held before, less what the layer gave back. Then:
//   every-k mode: the allocation is made again, normally, and the replay goes on (so one replay
//                 fails each allocation once: every k in one pass);
//   kept mode:    (sampled k) the failure stands, the program goes on without that block to the
//                 end of the trace, frees everything, and the heap must then be empty.
// Figures: injected = allocations made to fail; detected = failed cleanly (the documented
// answer, 0 / oom, and all the checks above); harmless = succeeded anyway (the layer recovered,
// or a realloc that needed no new memory); missed = a check failed; crashes = an exception.
using System;
using System.Collections.Generic;
using Stopwatch = System.Diagnostics.Stopwatch;
using Checker.Nano.Traces;

namespace Checker.Nano.Reliability
{
    /// <summary>The out-of-memory sweep.</summary>
    public static class OutOfMemorySweep
    {
        /// <summary>
        /// Every-k mode over <paramref name="trace"/> on <paramref name="kind"/> (variant
        /// <paramref name="variant"/>), injecting at every <paramref name="stride"/>-th allocation.
        /// </summary>
        public static Figure EveryK(SubjectKind kind, Trace trace, HeapShape shape, int variant, int stride) => EveryK(kind, trace, shape, variant, stride, null);

        /// <summary>
        /// As <see cref="EveryK(SubjectKind, Trace, HeapShape, int, int)"/>, with <paramref name="plant"/>
        /// (when not null) called right after each failed allocation, before the checks: the
        /// classifier's self-test plants damage there that the checks must call missed.
        /// </summary>
        public static Figure EveryK(SubjectKind kind, Trace trace, HeapShape shape, int variant, int stride, Action<TraceDriver> plant)
        {
            var watch = Stopwatch.StartNew();
            Subject s = Subject.Create(kind, shape);
            string config = s.Configure(variant);
            var f = new Figure { Part = "out of memory at every k-th allocation", Target = kind.Name };
            var d = new TraceDriver(s, trace.MaxId);
            long recovered = 0, inPlace = 0, genuine = 0;
            int allocation = 0;
            foreach (TraceEvent e in trace.Events)
            {
                if (e.Op != TraceOp.Free && allocation++ % stride == 0)
                {
                    f.Injected++;
                    Outcome o = Inject(s, d, e, f, out bool succeeded, out int released, plant);
                    if (o == Outcome.Failed && succeeded)
                    {
                        // The layer got the memory back (delay-freed or aged blocks), or none was needed.
                        f.Harmless++;
                        if (released > 0)
                        {
                            recovered++;
                        }
                        else
                        {
                            inPlace++;
                        }

                        continue;
                    }

                    if (o == Outcome.Failed)
                    {
                        f.Detected++;
                    }
                    else
                    {
                        continue;   // counted as missed or crash by Inject
                    }
                }

                if (!Run(d, e, f))
                {
                    genuine++;   // the arena is too small for the trace at this point: a real failure, not injected
                }
            }

            try
            {
                d.FreeAll();
                CheckEmpty(s, f, "the end of the trace");
            }
            catch (Exception ex)
            {
                Count(f, ex, "freeing everything at the end");
            }

            f.Operations += d.Calls;
            f.Time = watch.Elapsed;
            f.Notes = $"{trace.Name} ({trace.Events.Length:N0} events), every {(stride == 1 ? "" : stride + "th ")}allocation failed once and retried; "
                + $"{shape}, {config}; succeeded anyway: {recovered:N0} by giving back held blocks, {inPlace:N0} needing no new memory"
                + (genuine > 0 ? $"; {genuine:N0} real failures" : "");
            return f;
        }

        /// <summary>
        /// Kept mode: for <paramref name="samples"/> values of k spread over the trace, a fresh
        /// replay in which the k-th allocation fails and the program goes on without that block.
        /// </summary>
        public static Figure Kept(SubjectKind kind, Trace trace, HeapShape shape, int variant, int samples)
        {
            var watch = Stopwatch.StartNew();
            var f = new Figure { Part = "out of memory at k, the program goes on", Target = kind.Name };
            int allocations = 0;
            foreach (TraceEvent e in trace.Events)
            {
                if (e.Op != TraceOp.Free)
                {
                    allocations++;
                }
            }

            string config = null;
            for (int sample = 0; sample < samples; sample++)
            {
                int k = (int)((long)allocations * sample / samples) + (sample % 7);
                Subject s = Subject.Create(kind, shape);
                config = s.Configure(variant);
                var d = new TraceDriver(s, trace.MaxId);
                int allocation = 0;
                bool ok = true;
                foreach (TraceEvent e in trace.Events)
                {
                    if (e.Op != TraceOp.Free && allocation++ == k)
                    {
                        f.Injected++;
                        Outcome o = Inject(s, d, e, f, out bool succeeded, out _, null);
                        if (o != Outcome.Failed)
                        {
                            ok = false;
                            break;
                        }

                        if (succeeded)
                        {
                            f.Harmless++;
                        }
                        else
                        {
                            f.Detected++;
                        }

                        continue;
                    }

                    if (!Run(d, e, f))
                    {
                        continue;
                    }
                }

                if (ok)
                {
                    try
                    {
                        d.FreeAll();
                    }
                    catch (Exception ex)
                    {
                        Count(f, ex, $"k={k}: freeing everything at the end");
                        continue;
                    }

                    CheckEmpty(s, f, $"k={k}, the end of the trace");
                }

                f.Operations += d.Calls;
            }

            f.Time = watch.Elapsed;
            f.Notes = $"{trace.Name}, {samples} values of k spread over its {allocations:N0} allocations, each a whole replay; {shape}, {config}; the heap empty at the end each time";
            return f;
        }

        private enum Outcome
        {
            Failed,
            Missed,
            Crashed,
        }

        /// <summary>A normal step; false on a (real) failure; violations and crashes are counted.</summary>
        private static bool Run(TraceDriver d, in TraceEvent e, Figure f)
        {
            try
            {
                return d.Step(e);
            }
            catch (Exception ex)
            {
                Count(f, ex, $"line {e.Line} ({e})");
                return true;
            }
        }

        private static void Count(Figure f, Exception ex, string where)
        {
            if (ex is PropertyViolation && ex.InnerException == null)
            {
                f.Missed++;
                f.Problem($"{where}: {ex.Message}");
            }
            else
            {
                f.Crashes++;
                f.Problem($"{where}: {Faults.Describe(ex.InnerException ?? ex)}");
            }
        }

        /// <summary>Makes <paramref name="e"/> run with the arena exhausted and checks everything after it (see the top of the file).</summary>
        private static Outcome Inject(Subject s, TraceDriver d, in TraceEvent e, Figure f, out bool succeeded, out int released, Action<TraceDriver> plant)
        {
            succeeded = false;
            released = 0;
            BaseHeap heap = s.Heap;
            Arena arena = heap.Arena;
            MStats before = heap.MStats();
            int heldBefore = Held(s);
            int limit = arena.Limit;
            var ballast = new List<int>();
            string where = $"line {e.Line} ({e})";
            try
            {
                arena.SetLimit(arena.Break);
                int p;
                while ((p = heap.Malloc(heap.BLOCKSIZE)) != 0)
                {
                    ballast.Add(p);
                }

                if (heap is CompactHeap compact)
                {
                    // Every size class, largest first: its free slots (a new run needs whole
                    // blocks, and no gap of a block is left). Gaps under a block hold nothing.
                    for (int size = compact.LargestClass; size > 0; size -= 8)
                    {
                        if (heap.AllottedBytes(size) != size)
                        {
                            continue;
                        }

                        while ((p = heap.Malloc(size)) != 0)
                        {
                            ballast.Add(p);
                        }
                    }
                }
                else
                {
                    for (int log = heap.BLOCKLOG - 1; log >= Heap.MINFRAGLOG; log--)
                    {
                        while ((p = heap.Malloc(1 << log)) != 0)
                        {
                            ballast.Add(p);
                        }
                    }
                }

                f.Operations += ballast.Count;
                succeeded = d.Step(e);
                if (!succeeded)
                {
                    plant?.Invoke(d);
                }

                released = heldBefore - Held(s);
                arena.SetLimit(limit);
                string problem = s.Validate();
                if (problem != null)
                {
                    throw new PropertyViolation("Validate after the failure: " + problem);
                }

                d.VerifyAll("after the failure");
                foreach (int b in ballast)
                {
                    heap.Free(b);
                }

                f.Operations += ballast.Count + 2;
                ballast.Clear();
                problem = s.Validate();
                if (problem != null)
                {
                    throw new PropertyViolation("Validate after the ballast went back: " + problem);
                }

                if (!succeeded)
                {
                    MStats after = heap.MStats();
                    if (after.ChunksUsed != before.ChunksUsed - released)
                    {
                        throw new PropertyViolation($"leak: the base heap holds {after.ChunksUsed} chunks, {before.ChunksUsed} before the failure ({released} held blocks given back)");
                    }

                    if (s.ReportedFaultsOtherThanOutOfMemory != 0)
                    {
                        throw new PropertyViolation("the failure was reported as a fault: " + s.TakeReports());
                    }
                }

                return Outcome.Failed;
            }
            catch (Exception ex)
            {
                // Counted once: the ballast goes back and the blocks get their bytes again, so the
                // sweep goes on from a heap like the one it had (a fault not undone would fail every
                // later step and be counted again each time).
                arena.SetLimit(limit);
                Count(f, ex, where);
                try
                {
                    foreach (int b in ballast)
                    {
                        heap.Free(b);
                    }
                }
                catch (Exception)
                {
                    // a heap that cannot take its ballast back: the sweep goes on as it can
                }

                d.Refill();
                return ex is PropertyViolation && ex.InnerException == null ? Outcome.Missed : Outcome.Crashed;
            }
        }

        /// <summary>Blocks the layer holds for itself (delay-freed, aged), which it gives back when the arena is full.</summary>
        private static int Held(Subject s) => s switch
        {
            DebugSubject ds => ds.Debug.Stats().FreeBlocks,
            CheckerSubject cs => cs.Checker.AgingCount,
            _ => 0,
        };

        private static void CheckEmpty(Subject s, Figure f, string where)
        {
            s.ReleaseHeld();
            MStats st = s.Heap.MStats();
            string problem = s.Validate();
            if (problem != null || st.ChunksUsed != 0 || st.BytesUsed != 0 || s.LiveBlocks != 0)
            {
                f.Missed++;
                f.Problem($"{where}: the heap is not empty or not valid after everything was freed: {st}; {problem}");
            }
        }
    }
}
