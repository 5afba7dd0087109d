// Thread safety: several threads share one heap (of one layer), each running its own random
// program against its own model (its blocks and their bytes), through the public API only. After
// every operation a thread checks its own blocks' bytes (no other thread may have touched them);
// every 1,024 operations it runs the layer's Validate, which takes the heap's lock and must find
// every invariant holding, whatever the other threads are doing. At the end every thread frees
// its blocks and the heap must be empty and valid. The layers share the base heap's lock
// (Heap.SyncRoot); see README.md for the locking on the device.
using System;
using System.Diagnostics;
using System.Threading;

namespace Checker.Nano.Reliability
{
    /// <summary>The thread stress test.</summary>
    public static class ThreadStress
    {
        /// <summary>
        /// <paramref name="threads"/> threads x <paramref name="operationsPerThread"/> operations on
        /// one <paramref name="kind"/> subject, Validate every <paramref name="checkEvery"/> operations per thread.
        /// </summary>
        public static Figure Run(SubjectKind kind, int threads, int operationsPerThread, int checkEvery, int seed)
        {
            var watch = Stopwatch.StartNew();
            var shape = new HeapShape(1 << 20, kind.IsCompact ? 256 : 1024);   // Compact: its measured block size
            Subject s = Subject.Create(kind, shape);
            s.Concurrent = true;
            var f = new Figure { Part = $"threads ({threads} x {operationsPerThread:N0} operations)", Target = kind.Name };
            long operations = 0, checks = 0;
            var workers = new Thread[threads];
            var dog = new Watchdog();
            string hung = dog.Run(d =>
            {
                for (int t = 0; t < threads; t++)
                {
                    int me = t;
                    workers[t] = new Thread(() =>
                    {
                        var ops = new RandomOps(seed + (me * 7919), kind.Layer == Layer.Base);
                        var runner = new ModelRunner(s, seed + me) { ValidateEach = false, CheckOutOfMemory = false, FullCheckEvery = 64 };
                        try
                        {
                            for (int i = 1; i <= operationsPerThread; i++)
                            {
                                runner.Step(ops.Next());
                                if (i % checkEvery == 0)
                                {
                                    string problem = s.Validate();
                                    Interlocked.Increment(ref checks);
                                    if (problem != null)
                                    {
                                        throw new PropertyViolation($"thread {me}, operation {i}: Validate: {problem}");
                                    }

                                    d.At($"{kind} threads, thread {me} at {i}");
                                }
                            }

                            while (runner.Model.Live.Count > 0)
                            {
                                LiveBlock b = runner.Model.Live[^1];
                                s.Free(b.Ptr);
                                runner.Model.Live.RemoveAt(runner.Model.Live.Count - 1);
                            }
                        }
                        catch (Exception e)
                        {
                            lock (f)
                            {
                                if (e is PropertyViolation pv && (pv.InnerException == null || Faults.IsDocumented(pv.InnerException)))
                                {
                                    f.Missed++;
                                }
                                else
                                {
                                    f.Crashes++;
                                }

                                f.Problem($"thread {me}: {e.Message}");
                            }
                        }
                        finally
                        {
                            Interlocked.Add(ref operations, runner.Operations);
                        }
                    }, 4 << 20) { IsBackground = true, Name = $"stress {me}" };
                    workers[t].Start();
                }

                foreach (Thread w in workers)
                {
                    w.Join();
                }
            }, TimeSpan.FromSeconds(60));
            if (hung != null)
            {
                f.Hangs++;
                f.Problem("hang (a deadlock?): " + hung);
            }
            else
            {
                s.ReleaseHeld();
                MStats st = s.Heap.MStats();
                string problem = s.Validate();
                if (f.Clean && (problem != null || st.ChunksUsed != 0 || s.LiveBlocks != 0))
                {
                    f.Missed++;
                    f.Problem($"after every thread freed its blocks: {st}; {problem}");
                }
            }

            f.Operations = operations + checks;
            f.Time = watch.Elapsed;
            f.Notes = $"{checks:N0} Validate calls (every {checkEvery:N0} operations per thread) all clean; the block each operation touched checked after it, all of the thread's blocks every 64; {shape}, one shared lock";
            return f;
        }
    }
}
