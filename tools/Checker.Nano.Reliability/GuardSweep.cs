// Guard corruption: a heap with blocks of many sizes (0 bytes to several blocks, every fragment
// size and the edges around them) and every trackable type (Normal, Client with subtypes, CRT,
// and delay-freed Free blocks), then every guard byte of every block damaged in turn (five
// values each: 0x00, 0xFF, 0xFC, 0xFE, 0x7D, the last three one bit away from 0xFD), and every
// run of 2-4 bytes inside a guard, and every overrun of 1-4 bytes past a block's end and
// underrun before its start. After each, CheckMemory must report exactly that block: the line
// "HEAP CORRUPTION DETECTED: before|after <type> block (#<request>) at <data address>." with the
// right side, type, request number and address, and nothing else; the byte is then put back
// and CheckMemory must be clean again. Ignore blocks are left out: like the CRT's, they are not
// linked, so not checked (by design).
//
// For Checker the same damage is tried twice: through Checker's own accessors (the write must
// be refused and reported as "bvh", the guard left intact), and raw (the debug heap under it
// must report it as above).
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Checker.Nano.Traces;

namespace Checker.Nano.Reliability
{
    /// <summary>The guard-corruption sweep.</summary>
    public static partial class GuardSweep
    {
        private static readonly byte[] Values = { 0x00, 0xFF, 0xFC, 0xFE, 0x7D };

        [GeneratedRegex(@"HEAP CORRUPTION DETECTED: (before|after) (\w+) block \(#(\d+)\) at 0x([0-9A-F]{8})\.")]
        private static partial Regex Corruption();

        /// <summary>One block of the sweep's heap.</summary>
        private sealed class Target
        {
            public int Ptr;
            public int Size;
            public int Request;
            public string TypeName;
        }

        /// <summary>The sweep on a debug heap over <paramref name="shape"/>, its base heap of <paramref name="policy"/>.</summary>
        public static Figure RunDebug(HeapShape shape, HeapPolicy policy = HeapPolicy.Seed)
        {
            var watch = Stopwatch.StartNew();
            var sink = new MemorySink();
            var reporter = new Reporter(sink) { Forms = ReportForm.Text };
            var debug = new DebugHeap(HeapPolicies.Make(policy, new Arena(new byte[shape.ArenaBytes]), shape.BlockSize), reporter);
            List<Target> targets = Populate(debug, (size, use) => debug.Malloc(size, use, "Guards.cs", 10), p => debug.Free(p, BlockType.Normal, "Guards.cs", 20));
            var f = new Figure { Part = "guard corruption (CheckMemory)", Target = new SubjectKind(Layer.Debug, policy).Name };
            Sweep(debug, sink, targets, f);
            f.Time = watch.Elapsed;
            f.Notes = $"{targets.Count} blocks of {CountSizes(targets)} sizes (0..{MaxSize(targets)} bytes), types Normal, Client, CRT, Free; {shape}";
            return f;
        }

        /// <summary>
        /// The sweep on Checker (its base heap of <paramref name="policy"/>): through its accessors
        /// (refused, "bvh"), then raw (found by the debug heap's CheckMemory).
        /// </summary>
        public static Figure[] RunChecker(HeapShape shape, HeapPolicy policy = HeapPolicy.Seed)
        {
            var watch = Stopwatch.StartNew();
            var sink = new MemorySink();
            var reporter = new Reporter(sink) { Forms = ReportForm.Text };
            var checker = new CheckerHeap(new byte[shape.ArenaBytes], shape.BlockSize, CheckerSubject.DataBytes, CheckerSubject.StackBytes, reporter, DebugHeap.DefaultFileNameCapacity, HeapPolicies.Maker(policy));
            string name = new SubjectKind(Layer.Checker, policy).Name;
            checker.SetOptions("-a=0");   // no aging: freed blocks go back at once (Free blocks are the debug heap's, checked above)
            List<Target> targets = Populate(null, (size, use) =>
            {
                int p = checker.Malloc(size, use, "Guards.cs", 10);
                if (p != 0 && size > 0)
                {
                    checker.Fill(p, size, 0x5A, "Guards.cs", 11);
                }

                return p;
            }, null);

            var through = new Figure { Part = "guard writes through Checker's accessors", Target = name };
            byte[] run = new byte[8];
            foreach (Target t in targets)
            {
                foreach (int guard in new[] { t.Ptr - DebugHeap.NO_MANS_LAND_SIZE, t.Ptr + t.Size })
                {
                    for (int i = 0; i < 4; i++)
                    {
                        foreach (byte v in Values)
                        {
                            through.Injected++;
                            through.Operations++;
                            int before = checker.ErrorCount(CheckerError.BoundsViolationHeap);
                            checker.WriteByte(guard + i, v, "Guards.cs", 30);
                            bool refused = checker.Memory[guard + i] == DebugHeap.NO_MANS_LAND_FILL;
                            bool reported = checker.ErrorCount(CheckerError.BoundsViolationHeap) == before + 1;
                            Count(through, refused && reported, $"write of {v:X2} at {Bytes.Hex8(guard + i)} (guard of {Bytes.Hex8(t.Ptr)}): refused {refused}, reported {reported}");
                        }
                    }

                    // A run that starts in the data (up to 2 bytes of it) and runs 1-4 bytes into the guard.
                    bool isAfter = guard == t.Ptr + t.Size;
                    for (int k = 1; k <= 4; k++)
                    {
                        int inData = Math.Min(t.Size, 2);
                        int at = isAfter ? t.Ptr + t.Size - inData : t.Ptr - k;
                        int count = inData + k;
                        through.Injected++;
                        through.Operations++;
                        int before = checker.ErrorCount(CheckerError.BoundsViolationHeap);
                        checker.CopyIn(at, run, 0, count, "Guards.cs", 31);
                        bool intact = IsGuard(checker.Memory, guard);
                        bool reported = checker.ErrorCount(CheckerError.BoundsViolationHeap) == before + 1;
                        Count(through, intact && reported, $"run of {count} at {Bytes.Hex8(at)} (guard {Bytes.Hex8(guard)} of {Bytes.Hex8(t.Ptr)}): guard intact {intact}, reported {reported}");
                    }
                }
            }

            sink.Clear();
            string problem = checker.Validate();
            if (problem != null)
            {
                through.Missed++;
                through.Problem("Validate after the refused writes: " + problem);
            }

            through.Time = watch.Elapsed;
            through.Notes = $"{targets.Count} blocks; every guard byte written with 5 values, and runs of 1-4 bytes into each guard";

            watch.Restart();
            var raw = new Figure { Part = "guard corruption (CheckMemory)", Target = name + " (raw writes)" };
            Sweep(checker.DebugHeap, sink, targets, raw);
            raw.Time = watch.Elapsed;
            raw.Notes = $"{targets.Count} blocks of {CountSizes(targets)} sizes, types Normal, Client, CRT; found by the debug heap under Checker; {shape}";
            return new[] { through, raw };
        }

        private static bool IsGuard(byte[] m, int at) => m[at] == 0xFD && m[at + 1] == 0xFD && m[at + 2] == 0xFD && m[at + 3] == 0xFD;

        private static void Count(Figure f, bool ok, string what)
        {
            if (ok)
            {
                f.Detected++;
            }
            else
            {
                f.Missed++;
                f.Problem(what);
            }
        }

        private static int CountSizes(List<Target> targets)
        {
            var sizes = new HashSet<int>();
            foreach (Target t in targets)
            {
                sizes.Add(t.Size);
            }

            return sizes.Count;
        }

        private static int MaxSize(List<Target> targets)
        {
            int max = 0;
            foreach (Target t in targets)
            {
                max = Math.Max(max, t.Size);
            }

            return max;
        }

        /// <summary>
        /// Allocates the sweep's blocks: every size of a list with every type in turn, until the
        /// arena is full; when <paramref name="free"/> is given (the debug heap), delay-frees every
        /// fifth so that Free blocks are swept too.
        /// </summary>
        private static List<Target> Populate(DebugHeap debug, Func<int, int, int> malloc, Action<int> free)
        {
            int[] sizes =
            {
                0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 23, 24, 25, 31, 32, 33, 63, 64, 65, 95, 96, 97, 100, 127, 128, 129,
                224, 225, 255, 256, 257, 480, 481, 512, 1000, 1023, 1024, 2016, 2017, 2048, 4064, 4065, 4096, 5000, 8160, 8193,
            };
            int[] uses = { BlockType.Normal, BlockType.ClientBlock(1), BlockType.Crt, BlockType.ClientBlock(7) };
            if (debug != null)
            {
                debug.SetDbgFlag(DbgFlag.ALLOC_MEM_DF | DbgFlag.DELAY_FREE_MEM_DF);
            }

            var targets = new List<Target>();
            int request = 0;
            int n = 0;
            foreach (int size in sizes)
            {
                int use = uses[n % uses.Length];
                int p = malloc(size, use);
                request++;
                n++;
                if (p == 0)
                {
                    continue;
                }

                targets.Add(new Target { Ptr = p, Size = size, Request = request, TypeName = TypeName(use) });
            }

            // Delay-free every fifth block once all are made (a malloc that finds the arena full
            // gives the Free blocks back, so freeing earlier would lose them).
            for (int i = 4; free != null && i < targets.Count; i += 5)
            {
                free(targets[i].Ptr);
                targets[i].TypeName = "Free";
            }

            return targets;
        }

        private static string TypeName(int use) => BlockType.BLOCK_TYPE(use) switch
        {
            BlockType.Normal => "Normal",
            BlockType.Crt => "CRT",
            BlockType.Client => "Client",
            _ => "?",
        };

        /// <summary>Damages each guard of each target in every way listed at the top, checking the report each time.</summary>
        private static void Sweep(DebugHeap debug, MemorySink sink, List<Target> targets, Figure f)
        {
            byte[] m = debug.Memory;
            sink.Clear();
            if (!debug.CheckMemory())
            {
                f.Problem("CheckMemory failed before any damage: " + sink.Text);
                f.Missed++;
                return;
            }

            foreach (Target t in targets)
            {
                int before = t.Ptr - DebugHeap.NO_MANS_LAND_SIZE;
                int after = t.Ptr + t.Size;
                foreach ((int guard, bool isBefore) in new[] { (before, true), (after, false) })
                {
                    // Single bytes, five values each.
                    for (int i = 0; i < 4; i++)
                    {
                        foreach (byte v in Values)
                        {
                            Damage(debug, sink, f, t, isBefore, m, guard + i, 1, v);
                        }
                    }

                    // Runs of 2-4 bytes inside the guard.
                    for (int len = 2; len <= 4; len++)
                    {
                        for (int i = 0; i + len <= 4; i++)
                        {
                            Damage(debug, sink, f, t, isBefore, m, guard + i, len, 0x00);
                        }
                    }
                }

                // Overruns of 1-4 bytes past the end, underruns of 1-4 bytes before the start.
                for (int k = 1; k <= 4; k++)
                {
                    Damage(debug, sink, f, t, false, m, after, k, 0x41);
                    Damage(debug, sink, f, t, true, m, t.Ptr - k, k, 0x41);
                }
            }
        }

        private static void Damage(DebugHeap debug, MemorySink sink, Figure f, Target t, bool isBefore, byte[] m, int at, int count, byte value)
        {
            byte[] saved = m.AsSpan(at, count).ToArray();
            m.AsSpan(at, count).Fill(value);
            f.Injected++;
            f.Operations++;
            sink.Clear();
            bool ok = debug.CheckMemory();
            string text = sink.Text;
            MatchCollection found = Corruption().Matches(text);
            string side = isBefore ? "before" : "after";
            bool right = !ok && found.Count == 1
                && found[0].Groups[1].Value == side
                && found[0].Groups[2].Value == t.TypeName
                && int.Parse(found[0].Groups[3].Value) == t.Request
                && Convert.ToInt32(found[0].Groups[4].Value, 16) == t.Ptr;
            saved.CopyTo(m.AsSpan(at, count));
            if (right)
            {
                f.Detected++;
            }
            else
            {
                f.Missed++;
                f.Problem($"{count} byte(s) of {value:X2} at {Bytes.Hex8(at)}, {side} {t.TypeName} block #{t.Request} at {Bytes.Hex8(t.Ptr)} ({t.Size} bytes): CheckMemory said {(ok ? "nothing" : text.Trim())}");
            }

            sink.Clear();
            f.Operations++;
            if (!debug.CheckMemory())
            {
                f.Missed++;
                f.Problem($"CheckMemory still fails after the guard of #{t.Request} was put back: {sink.Text.Trim()}");
                sink.Clear();
            }
        }
    }
}
