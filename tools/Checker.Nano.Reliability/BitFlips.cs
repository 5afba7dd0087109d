// Metadata corruption: one bit flipped in the allocator's own bookkeeping, then what happens.
//
// A trial builds a heap with a random workload (ModelRunner, so every block's bytes are known),
// flips one bit of one metadata word chosen at random among the regions of the layer:
//   base heap (all layers sit on one), the seed's policy: the heapinfo table (every word of every
//     entry in use, fragment blocks' list links and hints among them), the heads of the lists of
//     blocks with free fragments, the free-fragment bitmap beside the arena, the rover (_heapindex); the Compact policy: the table (every word of every entry up to the top), the
//     class list heads, the links inside free slots, the gap list heads and bitmaps, the links
//     inside gaps, the top;
//   debug heap and Checker: the debug headers (file|line, use, links, size, request number);
//   Checker: its block map (granule flags) and its access bitmap over the heap.
// Then:
//   A. the layer's check runs at once (Validate for the base heap, CheckMemory above it: what a
//      user runs);
//   B. the program goes on for a while (64 operations), through the public API, with every
//      block's bytes compared with the model after each operation, every allocation that fails
//      checked for plausibility (the arena could not grow and no free cluster held it) and every
//      answer of a query (CheckPointer, UsableSize, MStats against a walk, the layers' own)
//      compared with the model;
//   C. the check runs again;
//   D. Validate, the layer's white-box check of every invariant (statistics included);
//   E. every block is freed, what the layer holds given back, and the heap must be empty, and
//      Validate clean again.
// Semantics adopted (README.md): after a flip a call may work, or answer with the library's
// documented errors (HeapException, a debug heap report or error code, a Checker report); it must
// never let another exception escape, never hang, never write outside the arena (.NET checks
// every index, so that would surface as an IndexOutOfRangeException: a crash here).
// Outcome of a trial:
//   detected  A reported it; or B, C or E reported it (or threw a documented error) before
//             anything went wrong silently;
//   harmless  nothing reported anywhere, and nothing went wrong: no block lost data, no allocation
//             failed that should not have, every answer was right, Validate was clean after C and
//             after E, and the heap was empty once everything was freed: the bit did not matter;
//   missed    something went wrong before anything was reported (silent damage): a block lost
//             data, a query answered wrong, an allocation failed implausibly, Validate (D or
//             after E) found what the user's check had not, or the heap did not empty;
//   crash     an undocumented exception escaped a public call (A to E);
//   hang      a call did not return (the watchdog).
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Reflection;
using Checker.Nano.Traces;

namespace Checker.Nano.Reliability
{
    /// <summary>The metadata bit-flip campaign.</summary>
    public static class BitFlips
    {
        private static readonly FieldInfo HeapInfoField = typeof(BaseHeap).GetField("_heapinfo", BindingFlags.NonPublic | BindingFlags.Instance);
        private static readonly FieldInfo FragHeadField = typeof(Heap).GetField("_fraghead", BindingFlags.NonPublic | BindingFlags.Instance);
        private static readonly FieldInfo BitsField = typeof(Heap).GetField("_bits", BindingFlags.NonPublic | BindingFlags.Instance);
        private static readonly FieldInfo HeapIndexField = typeof(Heap).GetField("_heapindex", BindingFlags.NonPublic | BindingFlags.Instance);
        private static readonly FieldInfo FirstField = typeof(DebugHeap).GetField("_first", BindingFlags.NonPublic | BindingFlags.Instance);
        private static readonly FieldInfo ClassHeadField = typeof(CompactHeap).GetField("_cHead", BindingFlags.NonPublic | BindingFlags.Instance);
        private static readonly FieldInfo GapHeadField = typeof(CompactHeap).GetField("_gHead", BindingFlags.NonPublic | BindingFlags.Instance);
        private static readonly FieldInfo GapSlField = typeof(CompactHeap).GetField("_gSl", BindingFlags.NonPublic | BindingFlags.Instance);
        private static readonly FieldInfo GapFlField = typeof(CompactHeap).GetField("_gFl", BindingFlags.NonPublic | BindingFlags.Instance);
        private static readonly FieldInfo TopField = typeof(CompactHeap).GetField("_top", BindingFlags.NonPublic | BindingFlags.Instance);

        /// <summary>Where a bit was flipped.</summary>
        public enum Region
        {
            /// <summary>A word of the heapinfo table.</summary>
            HeapInfo,

            /// <summary>The head of a list of blocks with free fragments of one size.</summary>
            FragHead,

            /// <summary>A word of the free-fragment bitmap (one bit per 8 bytes of the arena).</summary>
            FragBits,

            /// <summary>The rover.</summary>
            Rover,

            /// <summary>A debug header word.</summary>
            DebugHeader,

            /// <summary>Checker's block map.</summary>
            BlockMap,

            /// <summary>Checker's access bitmap.</summary>
            Bitmap,

            /// <summary>Compact: a size class's list head.</summary>
            ClassHead,

            /// <summary>Compact: a link (next or prev) inside a free slot.</summary>
            SlotLink,

            /// <summary>Compact: a gap list's head, or a bit of the gap bitmaps.</summary>
            GapHead,

            /// <summary>Compact: a link (next or prev) inside a free gap.</summary>
            GapLink,

            /// <summary>Compact: the heap's top (its break).</summary>
            Top,

            /// <summary>Damage planted by a test in place of a flip (the classifier's self-test).</summary>
            Planted,
        }

        /// <summary>Per-region outcome counts.</summary>
        public sealed class RegionCounts
        {
            /// <summary>Trials, detected at once, detected later, harmless, missed, crashes.</summary>
            public long Trials, AtOnce, Later, Harmless, Missed, Crashes;
        }

        /// <summary>Damage planted in place of a bit flip (the classifier's self-test), knowing the live blocks: returns what was done, or null for nothing.</summary>
        public delegate string Planting(Subject subject, HeapModel model, Random rng);

        /// <summary>
        /// <paramref name="trials"/> trials on <paramref name="kind"/> (a layer over a policy) from <paramref name="seed"/>.
        /// </summary>
        public static Figure Run(SubjectKind kind, int trials, int seed) => Run(kind, trials, seed, null);

        /// <summary>
        /// As <see cref="Run(SubjectKind, int, int)"/>, with <paramref name="plant"/> (when not null)
        /// doing the damage instead of a bit flip, counted under the region Planted.
        /// </summary>
        public static Figure Run(SubjectKind kind, int trials, int seed, Planting plant)
        {
            var watch = Stopwatch.StartNew();
            var f = new Figure { Part = "metadata bit flips", Target = kind.Name };
            var regions = new Dictionary<Region, RegionCounts>();
            var crashes = new Dictionary<string, (int Count, string First)>();
            long later = 0;
            var dog = new Watchdog();
            string hung = dog.Run(d =>
            {
                for (int t = 0; t < trials; t++)
                {
                    d.At($"{kind} trial {t} (seed {seed})");
                    Trial(kind, seed + (t * 7919), f, regions, crashes, ref later, d, plant);
                }
            }, TimeSpan.FromSeconds(20));
            if (hung != null)
            {
                f.Hangs++;
                f.Problem("hang: " + hung);
            }

            f.Time = watch.Elapsed;
            var parts = new List<string>();
            foreach (KeyValuePair<Region, RegionCounts> kv in regions)
            {
                RegionCounts c = kv.Value;
                parts.Add($"{kv.Key} {c.Trials}: {c.AtOnce}+{c.Later}/{c.Harmless}/{c.Missed}" + (c.Crashes > 0 ? $"/{c.Crashes} crashes" : ""));
            }

            f.Notes = $"detected {f.Detected - later:N0} at the next check + {later:N0} later; by region (trials: detected now+later/harmless/missed): {string.Join("; ", parts)}; seed {seed}";
            foreach (KeyValuePair<string, (int Count, string First)> kv in crashes)
            {
                f.Problem($"crash x{kv.Value.Count}: {kv.Key} (first after: {kv.Value.First})");
            }

            return f;
        }

        private static void Trial(SubjectKind kind, int seed, Figure f, Dictionary<Region, RegionCounts> regions, Dictionary<string, (int Count, string First)> crashes, ref long later, Watchdog dog, Planting plant)
        {
            var ops = new RandomOps(seed, kind.Layer == Layer.Base);
            Random rng = ops.Random;
            HeapShape shape = rng.Next(2) == 0 ? new HeapShape(16384, 256) : new HeapShape(65536, kind.IsCompact ? 512 : 4096);
            Subject s = Subject.Create(kind, shape);
            s.Configure(rng.Next(4));
            var runner = new ModelRunner(s, seed) { ValidateEach = false };
            int setup = 20 + rng.Next(120);
            for (int i = 0; i < setup; i++)
            {
                runner.Step(ops.Next());
            }

            string before = s.Validate();
            if (before != null)
            {
                throw new PropertyViolation($"trial seed {seed}: Validate failed before any flip: {before}");
            }

            s.TakeReports();
            Region region = Region.Planted;
            string what = plant != null ? plant(s, runner.Model, rng) : Flip(s, rng, out region);
            if (what == null)
            {
                return;   // nothing of that region to flip in this heap
            }

            dog.At($"{kind} seed {seed}: {what}");
            if (!regions.TryGetValue(region, out RegionCounts rc))
            {
                rc = regions[region] = new RegionCounts();
            }

            rc.Trials++;
            f.Injected++;
            var t = new TrialState();

            // A. The check at once.
            f.Operations++;
            try
            {
                t.DetectedNow = s.Check() != null;
            }
            catch (Exception e)
            {
                t.Crashed = true;
                Crash(crashes, "check: " + Faults.Describe(e), what);
            }

            runner.AcceptReports();

            // B. The program goes on, every answer checked.
            for (int i = 0; i < 64; i++)
            {
                f.Operations++;
                try
                {
                    runner.Step(ops.Next());
                }
                catch (PropertyViolation v)
                {
                    Classify(v, t, crashes, what, seed);
                    runner.Resync();
                }
            }

            // C. The check again.
            f.Operations++;
            try
            {
                if (s.Check() != null)
                {
                    t.DetectedLater = true;
                }
            }
            catch (Exception e)
            {
                t.Crashed = true;
                Crash(crashes, "check: " + Faults.Describe(e), what);
            }

            // D. Validate: what the user's check missed is silent damage.
            f.Operations++;
            t.Silent(ValidateOrCrash(s, t, crashes, what), "Validate: ");

            // E. Everything freed, the heap empty, and valid.
            runner.AcceptReports();
            f.Operations += runner.Model.Live.Count + 2;
            try
            {
                runner.FreeAllAndCheckEmpty();
            }
            catch (PropertyViolation v)
            {
                Classify(v, t, crashes, what, seed);
            }
            catch (Exception e)
            {
                // A free (through the subject: a LibraryFault) or the layer's own calls the runner
                // makes directly (giving back held blocks, MStats).
                Classify(new PropertyViolation("freeing everything", e is LibraryFault ? e : new LibraryFault(e)), t, crashes, what, seed);
            }

            t.Silent(ValidateOrCrash(s, t, crashes, what), "Validate after everything was freed: ");

            if (t.Crashed)
            {
                f.Crashes++;
                rc.Crashes++;
            }

            if (t.DetectedNow)
            {
                f.Detected++;
                rc.AtOnce++;
            }
            else if (t.Damage != null)
            {
                f.Missed++;
                rc.Missed++;
                f.Problem($"missed: {what} (seed {seed}): {t.Damage}");
            }
            else if (t.DetectedLater)
            {
                f.Detected++;
                later++;
                rc.Later++;
            }
            else
            {
                f.Harmless++;
                rc.Harmless++;
            }
        }

        /// <summary>What a trial has seen so far.</summary>
        private sealed class TrialState
        {
            public bool DetectedNow;
            public bool DetectedLater;
            public bool Crashed;

            /// <summary>The first thing that went wrong before anything was detected (null: nothing).</summary>
            public string Damage;

            public bool Detected => DetectedNow || DetectedLater;

            /// <summary>Notes <paramref name="problem"/> as silent damage unless the flip was detected already.</summary>
            public void Silent(string problem, string prefix)
            {
                if (problem != null && !Detected && Damage == null)
                {
                    Damage = prefix + problem;
                }
            }
        }

        /// <summary>
        /// Sorts a violation out: the layer's report (detected), a documented error (detected), an
        /// undocumented exception out of the library (a crash), anything else the model or a check
        /// saw (silent damage unless detected already). Throws when the campaign's own code failed.
        /// </summary>
        private static void Classify(PropertyViolation v, TrialState t, Dictionary<string, (int Count, string First)> crashes, string what, int seed)
        {
            Exception inner = v.InnerException;
            if (inner == null)
            {
                if (v.Message.Contains("reported a fault", StringComparison.Ordinal))
                {
                    t.DetectedLater = true;
                }
                else
                {
                    t.Silent(v.Message, "");
                }
            }
            else if (Faults.IsDocumented(inner))
            {
                t.DetectedLater = true;
            }
            else if (Faults.FromLibrary(inner))
            {
                t.Crashed = true;
                Crash(crashes, Faults.Describe(inner), what + (Environment.GetEnvironmentVariable("RELIABILITY_STACKS") == "1" ? "\n" + inner : ""));
            }
            else
            {
                throw new PropertyViolation($"trial seed {seed} ({what}): the campaign's own code failed", inner);
            }
        }

        /// <summary>The subject's Validate; an exception out of it is a crash (and no answer).</summary>
        private static string ValidateOrCrash(Subject s, TrialState t, Dictionary<string, (int Count, string First)> crashes, string what)
        {
            try
            {
                return s.Validate();
            }
            catch (Exception e)
            {
                t.Crashed = true;
                Crash(crashes, "validate: " + Faults.Describe(e), what);
                return null;
            }
        }

        private static void Crash(Dictionary<string, (int Count, string First)> crashes, string key, string what)
        {
            lock (crashes)
            {
                crashes.TryGetValue(key, out (int Count, string First) c);
                crashes[key] = (c.Count + 1, c.First ?? what);
            }
        }

        /// <summary>The seed's policy's regions (one draw each).</summary>
        private static readonly Region[] SeedRegions = { Region.HeapInfo, Region.FragHead, Region.FragBits, Region.Rover };

        /// <summary>The Compact policy's regions, the table and the links twice as likely as the heads and the top.</summary>
        private static readonly Region[] CompactRegions = { Region.HeapInfo, Region.HeapInfo, Region.ClassHead, Region.SlotLink, Region.SlotLink, Region.GapHead, Region.GapLink, Region.GapLink, Region.Top };

        /// <summary>
        /// Flips one bit of a region chosen at random among the subject's: its base heap policy's
        /// (SeedRegions or CompactRegions), then the debug headers and Checker's maps of the layers
        /// above (weighted so that the upper layers' share is about the same over either policy:
        /// three draws of debug headers per four of the seed's regions, six per nine of Compact's).
        /// Returns what was flipped, or null when the heap has none of that region.
        /// </summary>
        private static string Flip(Subject s, Random rng, out Region region)
        {
            bool compact = s.Policy == HeapPolicy.Compact;
            var choices = new List<Region>(compact ? CompactRegions : SeedRegions);
            int weight = compact ? 2 : 1;
            if (s.Layer != Layer.Base)
            {
                for (int i = 0; i < 3 * weight; i++)
                {
                    choices.Add(Region.DebugHeader);
                }
            }

            if (s.Layer == Layer.Checker)
            {
                for (int i = 0; i < weight; i++)
                {
                    choices.Add(Region.BlockMap);
                    choices.Add(Region.Bitmap);
                }
            }

            region = choices[rng.Next(choices.Count)];
            BaseHeap heap = s.Heap;
            int bit = rng.Next(32);
            switch (region)
            {
                case Region.HeapInfo:
                    return FlipHeapInfo(heap, rng, bit);

                case Region.ClassHead:
                case Region.GapHead:
                case Region.SlotLink:
                case Region.GapLink:
                case Region.Top:
                    return FlipCompact(s, rng, region, bit);

                case Region.FragHead:
                {
                    int[] heads = (int[])FragHeadField.GetValue(heap);
                    int log = Heap.MINFRAGLOG + rng.Next(heads.Length - Heap.MINFRAGLOG);
                    heads[log] ^= 1 << bit;
                    return $"_fraghead[{log}] bit {bit}";
                }

                case Region.FragBits:
                {
                    int[] bits = (int[])BitsField.GetValue(heap);
                    int word = rng.Next(bits.Length);
                    bits[word] ^= 1 << bit;
                    return $"_bits[{word}] bit {bit}";
                }

                case Region.Rover:
                {
                    int r = (int)HeapIndexField.GetValue(heap);
                    HeapIndexField.SetValue(heap, r ^ (1 << (bit % 12)));
                    return $"_heapindex bit {bit % 12}";
                }

                case Region.DebugHeader:
                {
                    DebugHeap debug = s is DebugSubject ds ? ds.Debug : ((CheckerSubject)s).Checker.DebugHeap;
                    var headers = new List<int>();
                    int node = (int)FirstField.GetValue(debug);
                    int steps = 0;
                    while (node != 0 && steps++ < 100000)
                    {
                        headers.Add(node);
                        node = Bytes.GetInt32(s.Memory, node + 8);
                    }

                    if (headers.Count == 0)
                    {
                        return null;
                    }

                    int header = headers[rng.Next(headers.Count)];
                    int field = rng.Next(6);
                    s.Memory[header + (field * 4) + (bit >> 3)] ^= (byte)(1 << (bit & 7));
                    string[] names = { "file|line", "use", "next", "prev", "size", "request" };
                    return $"debug header {Bytes.Hex8(header)} {names[field]} bit {bit}";
                }

                case Region.BlockMap:
                {
                    CheckerHeap c = ((CheckerSubject)s).Checker;
                    int granules = (c.Break - c.HeapStart) / c.GranuleBytes;
                    if (granules <= 0)
                    {
                        return null;
                    }

                    int at = c.BlockMapStart + rng.Next(granules);
                    s.Memory[at] ^= (byte)(1 << (bit & 7));
                    return $"block map byte {Bytes.Hex8(at)} bit {bit & 7}";
                }

                default:
                {
                    CheckerHeap c = ((CheckerSubject)s).Checker;
                    int from = c.BitmapStart + ((c.HeapStart - c.DataStart) >> 2);
                    int to = c.BitmapStart + ((c.Break - c.DataStart) >> 2);
                    if (to <= from)
                    {
                        return null;
                    }

                    int at = from + rng.Next(to - from);
                    s.Memory[at] ^= (byte)(1 << (bit & 7));
                    return $"bitmap byte {Bytes.Hex8(at)} bit {bit & 7}";
                }
            }
        }

        /// <summary>Flips <paramref name="bit"/> of a random word of the heapinfo table up to the heap's limit (both policies keep it).</summary>
        private static string FlipHeapInfo(BaseHeap heap, Random rng, int bit)
        {
            int[] h = (int[])HeapInfoField.GetValue(heap);
            int entries = Math.Min(heap.HeapLimit + 1, h.Length / BaseHeap.HEAPINFO_WORDS);
            int word = rng.Next(entries * BaseHeap.HEAPINFO_WORDS);
            h[word] ^= 1 << bit;
            return $"heapinfo[{word / 3}] word {word % 3} bit {bit}";
        }

        /// <summary>
        /// The Compact policy's own metadata (the table is FlipHeapInfo's): the class list heads,
        /// the links in free slots, the gap list heads and bitmaps, the links in gaps, the top.
        /// Free slots and gaps are found by following the lists from their heads.
        /// </summary>
        private static string FlipCompact(Subject s, Random rng, Region region, int bit)
        {
            BaseHeap heap = s.Heap;
            switch (region)
            {
                case Region.ClassHead:
                {
                    int[] heads = (int[])ClassHeadField.GetValue(heap);
                    int c = rng.Next(heads.Length);
                    heads[c] ^= 1 << bit;
                    return $"_cHead[{c}] bit {bit}";
                }

                case Region.GapHead:
                {
                    int[] heads = (int[])GapHeadField.GetValue(heap);
                    int[] sl = (int[])GapSlField.GetValue(heap);
                    int pick = rng.Next(heads.Length + sl.Length + 1);
                    if (pick < heads.Length)
                    {
                        heads[pick] ^= 1 << bit;
                        return $"_gHead[{pick}] bit {bit}";
                    }

                    if (pick < heads.Length + sl.Length)
                    {
                        sl[pick - heads.Length] ^= 1 << (bit & 7);
                        return $"_gSl[{pick - heads.Length}] bit {bit & 7}";
                    }

                    int fl = (int)GapFlField.GetValue(heap);
                    GapFlField.SetValue(heap, fl ^ (1 << (bit % sl.Length)));
                    return $"_gFl bit {bit % sl.Length}";
                }

                case Region.SlotLink:
                case Region.GapLink:
                {
                    int[] heads = (int[])(region == Region.SlotLink ? ClassHeadField : GapHeadField).GetValue(heap);
                    var nodes = new List<int>();
                    foreach (int head in heads)
                    {
                        int q = head, steps = 0;
                        while (q > 0 && q + 8 <= s.Memory.Length && steps++ < 100000)
                        {
                            nodes.Add(q);
                            q = Bytes.GetInt32(s.Memory, q);
                        }
                    }

                    if (nodes.Count == 0)
                    {
                        return null;
                    }

                    int node = nodes[rng.Next(nodes.Count)];
                    int at = node + rng.Next(8);
                    s.Memory[at] ^= (byte)(1 << (bit & 7));
                    return $"free {(region == Region.SlotLink ? "slot" : "gap")} {Bytes.Hex8(node)} byte {at - node} bit {bit & 7}";
                }

                default:
                {
                    int top = (int)TopField.GetValue(heap);
                    TopField.SetValue(heap, top ^ (1 << (bit % 16)));
                    return $"_top bit {bit % 16}";
                }
            }
        }
    }
}
