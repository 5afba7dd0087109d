// The detector against an exact reachability model on random object graphs (fixed seeds):
// random objects whose words are either pointers to other objects (to their start, inside them,
// or one past their end) or small numbers that can never be heap addresses; roots in the data
// zone and in stack frames; some objects freed (their pointers dangle), some frames popped,
// pointers overwritten between two runs. The model computes, for every live object, whether it
// is reachable through start pointers only (sure), at all (maybe), or not, and every object's
// reachability from the detector must agree; so must the summary's counts.
using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class CheckerRandomizedGarbageTests
    {
        private const int Objects = 60;
        private const int DataWords = 64;

        [DataRow(1, 0)]
        [DataRow(2, 0)]
        [DataRow(3, 0)]
        [DataRow(17, 0)]
        [DataRow(1234, 0)]
        [DataRow(99991, 0)]
        [DataRow(5, 1)]
        [DataRow(6, 1)]
        [DataRow(4321, 1)]
        [TestMethod]
        public void Detector_AgreesWithTheExactModel(int seed, int policy)
        {
            TestRandom rnd = new TestRandom(seed);
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink, "-a=4", policy);
            int[] ptr = new int[Objects];
            int[] size = new int[Objects];
            bool[] alive = new bool[Objects];
            for (int i = 0; i < Objects; i++)
            {
                size[i] = 4 * (1 + rnd.Next(16));
                ptr[i] = c.Malloc(size[i], BlockType.Normal, "Graph.cs", i);
                Assert.AreNotEqual(0, ptr[i], "seed " + seed.ToString());
                alive[i] = true;
            }

            // Object words: pointers (10% to 55% of them, by seed) or noise.
            int density = 10 + ((seed % 4) * 15);
            for (int i = 0; i < Objects; i++)
            {
                for (int w = 0; w < size[i]; w += 4)
                {
                    c.WriteInt32(ptr[i] + w, RandomValue(rnd, ptr, size, density), "Graph.cs", 100);
                }
            }

            // Roots: the data zone, and three frames.
            for (int w = 0; w < DataWords; w++)
            {
                c.WriteInt32(c.DataSlot(w), RandomValue(rnd, ptr, size, 5), "Graph.cs", 101);
            }

            int[] frames = new int[3];
            for (int f = 0; f < 3; f++)
            {
                int slots = 1 + rnd.Next(6);
                frames[f] = c.PushFrame(slots, "Graph.cs", 102);
                for (int s = 0; s < slots; s++)
                {
                    c.WriteSlot(frames[f], s, RandomValue(rnd, ptr, size, 30), "Graph.cs", 103);
                }
            }

            // Free a few objects: whatever points at them now dangles.
            for (int k = 0; k < 8; k++)
            {
                int i = rnd.Next(Objects);
                if (alive[i])
                {
                    c.Free(ptr[i], "Graph.cs", 104);
                    alive[i] = false;
                }
            }

            CheckerTesting.Valid(c);
            Compare(c, seed, 1, ptr, size, alive);

            // Second round: pop the innermost frame, overwrite some pointers, run again.
            c.PopFrame(frames[2], "Graph.cs", 105);
            for (int k = 0; k < 40; k++)
            {
                int i = rnd.Next(Objects);
                if (alive[i])
                {
                    c.WriteInt32(ptr[i] + (4 * rnd.Next(size[i] / 4)), RandomValue(rnd, ptr, size, density), "Graph.cs", 106);
                }

                c.WriteInt32(c.DataSlot(rnd.Next(DataWords)), RandomValue(rnd, ptr, size, 10), "Graph.cs", 107);
            }

            CheckerTesting.Valid(c);
            Compare(c, seed, 2, ptr, size, alive);
            Assert.AreEqual(0, c.TotalErrors, "seed " + seed.ToString() + ": " + sink.Text);
        }

        /// <summary>A pointer to a random object (its start 70%, inside 20%, one past its end 10%) with <paramref name="percent"/>% probability, else noise.</summary>
        private static int RandomValue(TestRandom rnd, int[] ptr, int[] size, int percent)
        {
            if (rnd.Next(100) >= percent)
            {
                return rnd.Next(2) == 0 ? rnd.Next(1000) : -1 - rnd.Next(1000);
            }

            int j = rnd.Next(ptr.Length);
            int kind = rnd.Next(10);
            if (kind < 7)
            {
                return ptr[j];
            }

            if (kind < 9)
            {
                return ptr[j] + 1 + rnd.Next(size[j]);
            }

            return ptr[j] + size[j];
        }

        private static void Compare(CheckerHeap c, int seed, int round, int[] ptr, int[] size, bool[] alive)
        {
            int n = ptr.Length;
            bool[] sure = new bool[n];
            bool[] reach = new bool[n];
            int[] stack = new int[n];

            // Pass 1: start pointers only, from the roots.
            int sp = 0;
            sp = MarkRoots(c, ptr, size, alive, true, sure, stack, sp);
            sp = Drain(c, ptr, size, alive, true, sure, stack, sp);

            // Pass 2: any pointer, from the roots and every sure object.
            for (int i = 0; i < n; i++)
            {
                if (sure[i])
                {
                    reach[i] = true;
                    stack[sp++] = i;
                }
            }

            sp = MarkRoots(c, ptr, size, alive, false, reach, stack, sp);
            Drain(c, ptr, size, alive, false, reach, stack, sp);

            GarbageSummary s = c.RunDetector(GarbageKind.All);
            int lost = 0;
            int maybe = 0;
            for (int i = 0; i < n; i++)
            {
                if (!alive[i])
                {
                    Assert.AreEqual(-1, c.ReachabilityOf(ptr[i]), "seed " + seed.ToString() + " round " + round.ToString() + ": freed object " + i.ToString());
                    continue;
                }

                int expected = sure[i] ? 2 : reach[i] ? 1 : 0;
                Assert.AreEqual(expected, c.ReachabilityOf(ptr[i]), "seed " + seed.ToString() + " round " + round.ToString() + ": object " + i.ToString());
                if (expected == 0)
                {
                    lost++;
                }
                else if (expected == 1)
                {
                    maybe++;
                }
            }

            Assert.AreEqual(lost, s.Blocks, "seed " + seed.ToString() + " round " + round.ToString() + ": leaks");
            Assert.AreEqual(maybe, s.MaybeBlocks, "seed " + seed.ToString() + " round " + round.ToString() + ": potential leaks");
        }

        /// <summary>The live object a value refers to (its start, or with <paramref name="exact"/> off also inside it up to one past its end), or -1.</summary>
        private static int Target(int v, int[] ptr, int[] size, bool[] alive, bool exact)
        {
            for (int j = 0; j < ptr.Length; j++)
            {
                if (alive[j] && (v == ptr[j] || (!exact && v > ptr[j] && v <= ptr[j] + size[j])))
                {
                    return j;
                }
            }

            return -1;
        }

        private static int MarkValue(int v, int[] ptr, int[] size, bool[] alive, bool exact, bool[] marked, int[] stack, int sp)
        {
            int j = Target(v, ptr, size, alive, exact);
            if (j >= 0 && !marked[j])
            {
                marked[j] = true;
                stack[sp++] = j;
            }

            return sp;
        }

        private static int MarkRoots(CheckerHeap c, int[] ptr, int[] size, bool[] alive, bool exact, bool[] marked, int[] stack, int sp)
        {
            for (int w = 0; w < DataWords; w++)
            {
                sp = MarkValue(Bytes.GetInt32(c.Memory, c.DataSlot(w)), ptr, size, alive, exact, marked, stack, sp);
            }

            // Live frames: everything from the stack pointer up (headers are never heap addresses).
            for (int a = c.StackPointer; a < c.StackTop; a += 4)
            {
                sp = MarkValue(Bytes.GetInt32(c.Memory, a), ptr, size, alive, exact, marked, stack, sp);
            }

            return sp;
        }

        private static int Drain(CheckerHeap c, int[] ptr, int[] size, bool[] alive, bool exact, bool[] marked, int[] stack, int sp)
        {
            while (sp > 0)
            {
                int i = stack[--sp];
                for (int w = 0; w < size[i]; w += 4)
                {
                    sp = MarkValue(Bytes.GetInt32(c.Memory, ptr[i] + w), ptr, size, alive, exact, marked, stack, sp);
                }
            }

            return sp;
        }
    }
}
