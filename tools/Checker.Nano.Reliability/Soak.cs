// The soak: every shared trace back to back on one heap, round after round, with the debug layer
// on and its own periodic check (CHECK_EVERY_1024_DF: CheckMemory every 1,024 heap operations)
// plus the layer's Validate every 1,024 events. Every block is filled with its id's byte and
// checked before it is freed or reallocated; what a trace leaves live at its end is freed (as the
// program's exit would), and the heap must then be empty. Nothing is reset between traces or
// rounds: the same heap runs the whole soak. Figures: events replayed, checks made, faults
// reported (0 expected), the arena's break at its highest.
using System;
using System.Collections.Generic;
using Stopwatch = System.Diagnostics.Stopwatch;
using Checker.Nano.Traces;

namespace Checker.Nano.Reliability
{
    /// <summary>The soak.</summary>
    public static class Soak
    {
        /// <summary>
        /// <paramref name="rounds"/> rounds of <paramref name="traces"/> on one <paramref name="kind"/>
        /// heap of <paramref name="shape"/>.
        /// </summary>
        public static Figure Run(SubjectKind kind, IReadOnlyList<Trace> traces, int rounds, HeapShape shape)
        {
            var watch = Stopwatch.StartNew();
            Subject s = Subject.Create(kind, shape);
            DebugHeap debug = s is DebugSubject ds ? ds.Debug : s is CheckerSubject cs ? cs.Checker.DebugHeap : null;
            debug?.SetDbgFlag(DbgFlag.ALLOC_MEM_DF | DbgFlag.CHECK_EVERY_1024_DF);
            var names = new List<string>();
            foreach (Trace t in traces)
            {
                names.Add(t.Name);
            }

            var f = new Figure { Part = $"soak ({rounds} rounds of every trace, back to back)", Target = kind.Name };
            long events = 0, validates = 0, failures = 0;
            int peakBreak = 0;
            var dog = new Watchdog();
            string hung = dog.Run(d =>
            {
                for (int round = 0; round < rounds && f.Clean; round++)
                {
                    foreach (Trace t in traces)
                    {
                        d.At($"soak round {round}, {t.Name}");
                        var driver = new TraceDriver(s, t.MaxId);
                        int i = 0;
                        try
                        {
                            foreach (TraceEvent e in t.Events)
                            {
                                if (!driver.Step(e))
                                {
                                    failures++;
                                }

                                if (++i % 1024 == 0)
                                {
                                    validates++;
                                    string problem = s.Validate();
                                    if (problem != null)
                                    {
                                        throw new PropertyViolation($"round {round}, {t.Name} line {e.Line}: Validate: {problem}");
                                    }

                                    peakBreak = Math.Max(peakBreak, s.Heap.Arena.Break);
                                }
                            }

                            events += i;
                            driver.FreeAll();
                            s.ReleaseHeld();
                            MStats st = s.Heap.MStats();
                            string end = s.Validate();
                            validates++;
                            if (end != null || st.ChunksUsed != 0 || s.LiveBlocks != 0)
                            {
                                throw new PropertyViolation($"round {round}, after {t.Name}: the heap is not empty and valid: {st}; {end}");
                            }

                            if (s.ReportedFaults != 0)
                            {
                                throw new PropertyViolation($"round {round}, {t.Name}: faults reported: {s.TakeReports()}");
                            }
                        }
                        catch (PropertyViolation v) when (v.InnerException == null)
                        {
                            f.Missed++;
                            f.Problem(v.Message);
                            break;
                        }
                        catch (Exception e)
                        {
                            f.Crashes++;
                            f.Problem($"round {round}, {t.Name}: {Faults.Describe(e)}");
                            break;
                        }
                    }
                }
            }, TimeSpan.FromMinutes(2));
            if (hung != null)
            {
                f.Hangs++;
                f.Problem("hang: " + hung);
            }

            DebugStats ds2 = debug?.Stats();
            f.Operations = events;
            f.Time = watch.Elapsed;
            f.Notes = $"{string.Join(", ", names)}; {shape}; {validates:N0} Validate calls"
                + (ds2 != null ? $", {ds2.AutomaticChecks:N0} CheckMemory by CHECK_EVERY_1024_DF, {ds2.Faults} faults reported" : "")
                + $"; break at most {peakBreak:N0} bytes; {failures:N0} allocations found no room";
            return f;
        }

        /// <summary>The shared traces found in <paramref name="directory"/> (none when it is absent).</summary>
        public static List<Trace> SharedTraces(string directory, bool includeLarge)
        {
            var traces = new List<Trace>();
            foreach (string name in TraceFiles.Names)
            {
                string path = TraceFiles.Find(directory, name);
                if (path != null && (includeLarge || name.StartsWith("synthetic", StringComparison.Ordinal) || name.StartsWith("lua51-wordfreq", StringComparison.Ordinal)))
                {
                    traces.Add(TraceReader.Read(path));
                }
            }

            return traces;
        }
    }
}
