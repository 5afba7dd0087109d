// The randomized run against a model of the live blocks, shared by the seed's and the Compact
// policy's randomized tests (Heap/RandomizedTests.cs, Compact/CompactTests.cs): every block carries
// a pattern derived from its id, verified before the block is freed or resized (and all live
// blocks every 1,000 operations); Validate() runs after every operation.
using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    internal static class HeapModel
    {
        /// <summary>
        /// The randomized run on <paramref name="heap"/> (any policy): requests of 1-64 bytes (60%),
        /// up to <paramref name="midMax"/> (25%) and up to <paramref name="largeMax"/> (15%);
        /// with <paramref name="checkPointers"/> every live block must pass CheckPointer and every
        /// freed one fail it. Ends with everything freed and the statistics at zero.
        /// </summary>
        public static void RunAgainstTheModel(BaseHeap heap, int seed, int heapBytes, int operations, int fillPercent, int midMax, int largeMax, bool checkPointers)
        {
            byte[] m = heap.Memory;
            TestRandom random = new TestRandom(seed);
            const int MaxLive = 512;
            int[] off = new int[MaxLive];
            int[] size = new int[MaxLive];
            int[] id = new int[MaxLive];
            int live = 0;
            int liveBytes = 0;
            int nextId = 1;
            int target = heapBytes * fillPercent / 100;
            int failures = 0;

            for (int op = 0; op < operations; op++)
            {
                int kind = random.Next(100);
                bool grow = liveBytes < target && live < MaxLive;
                if (live == 0 || (grow && kind < 55) || (!grow && kind < 15 && live < MaxLive))
                {
                    int n = RandomSize(random, midMax, largeMax);
                    bool zeroed = random.Next(5) == 0;
                    int p = zeroed ? heap.Calloc(1, n) : heap.Malloc(n);
                    HeapTesting.Valid(heap);
                    if (p == 0)
                    {
                        failures++;
                        continue;
                    }

                    Assert.IsTrue(heap.UsableSize(p) >= n, "usable size below the request");
                    if (checkPointers)
                    {
                        Assert.AreEqual((int)HeapError.None, (int)heap.CheckPointer(p));
                    }

                    if (zeroed)
                    {
                        for (int i = 0; i < n; i++)
                        {
                            Assert.AreEqual((byte)0, m[p + i], "calloc left a non-zero byte");
                        }
                    }

                    HeapTesting.Pattern(m, p, n, nextId);
                    off[live] = p;
                    size[live] = n;
                    id[live] = nextId++;
                    live++;
                    liveBytes += n;
                }
                else if (kind < 75)
                {
                    int k = random.Next(live);
                    Verify(m, off[k], size[k], id[k], op);
                    HeapTesting.Free(heap, off[k]);
                    if (checkPointers)
                    {
                        Assert.AreNotEqual((int)HeapError.None, (int)heap.CheckPointer(off[k]));
                    }

                    liveBytes -= size[k];
                    live--;
                    off[k] = off[live];
                    size[k] = size[live];
                    id[k] = id[live];
                }
                else
                {
                    int k = random.Next(live);
                    Verify(m, off[k], size[k], id[k], op);
                    int n = RandomSize(random, midMax, largeMax);
                    int q = HeapTesting.Realloc(heap, off[k], n);
                    if (q == 0)
                    {
                        failures++;
                        Verify(m, off[k], size[k], id[k], op);
                        continue;
                    }

                    Verify(m, q, n < size[k] ? n : size[k], id[k], op);
                    HeapTesting.Pattern(m, q, n, nextId);
                    liveBytes += n - size[k];
                    off[k] = q;
                    size[k] = n;
                    id[k] = nextId++;
                }

                if (op % 1000 == 999)
                {
                    for (int k = 0; k < live; k++)
                    {
                        Verify(m, off[k], size[k], id[k], op);
                    }
                }
            }

            for (int k = 0; k < live; k++)
            {
                Verify(m, off[k], size[k], id[k], operations);
                HeapTesting.Free(heap, off[k]);
            }

            MStats s = heap.MStats();
            Assert.AreEqual(0, s.ChunksUsed);
            Assert.AreEqual(0, s.BytesUsed);
            OutputHelper.WriteLine("ok: " + (nextId - 1).ToString() + " blocks written, " + failures.ToString() + " out-of-memory results");
        }

        private static int RandomSize(TestRandom random, int midMax, int largeMax)
        {
            int r = random.Next(100);
            if (r < 60)
            {
                return 1 + random.Next(64);
            }

            if (r < 85)
            {
                return 1 + random.Next(midMax);
            }

            return 1 + random.Next(largeMax);
        }

        private static void Verify(byte[] m, int p, int n, int blockId, int op)
        {
            int bad = HeapTesting.CheckPattern(m, p, n, blockId);
            if (bad >= 0)
            {
                Assert.AreEqual(-1, bad, "operation " + op.ToString() + ": block " + Bytes.Hex8(p) + " (" + n.ToString() + " bytes) damaged at byte " + bad.ToString());
            }
        }
    }
}
