// Randomized debug-heap operations against a model of the live blocks: malloc (normal and
// client), calloc, realloc and free, with delay-free switched on and off on the way. Each block
// carries a pattern derived from its id, verified before it is freed or resized; Validate runs
// after every operation, the checkpoint's counts and sizes are compared with the model every
// 100 operations, and CheckMemory must stay silent throughout. Seeds are fixed and printed.
using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class DebugRandomizedTests
    {
        [TestMethod]
        [DataRow(1, 4096, 65536, 3000, 50, 0)]
        [DataRow(2, 4096, 65536, 3000, 100, 0)]
        [DataRow(3, 256, 16384, 3000, 100, 0)]
        [DataRow(4, 256, 65536, 3000, 50, 1)]
        [DataRow(5, 256, 65536, 3000, 100, 1)]
        [DataRow(6, 512, 16384, 3000, 100, 1)]
        public void RandomOperations_MatchTheModel(int seed, int blockSize, int heapBytes, int operations, int fillPercent, int policy)
        {
            OutputHelper.WriteLine("seed " + seed.ToString() + ", BLOCKSIZE " + blockSize.ToString() + ", HEAP " + heapBytes.ToString()
                + ", " + operations.ToString() + " operations, target fill " + fillPercent.ToString() + "%, policy " + (policy == 0 ? "seed" : "compact"));
            MemorySink sink = new MemorySink();
            Reporter reporter = new Reporter(sink);
            reporter.Forms = ReportForm.Text;
            BaseHeap baseHeap = policy == 0 ? (BaseHeap)new Heap(new byte[heapBytes], blockSize) : new CompactHeap(new byte[heapBytes], blockSize);
            DebugHeap d = new DebugHeap(baseHeap, reporter);
            byte[] m = d.Memory;
            TestRandom random = new TestRandom(seed);
            MemState state = new MemState();
            const int MaxLive = 256;
            int[] ptr = new int[MaxLive];
            int[] size = new int[MaxLive];
            int[] id = new int[MaxLive];
            int live = 0;
            int liveBytes = 0;
            int nextId = 1;
            int target = heapBytes * fillPercent / 100 / 2;
            int failures = 0;

            for (int op = 0; op < operations; op++)
            {
                if (random.Next(200) == 0)
                {
                    int flag = DbgFlag.ALLOC_MEM_DF | (random.Next(2) == 0 ? DbgFlag.DELAY_FREE_MEM_DF : 0);
                    d.SetDbgFlag(flag);
                }

                int kind = random.Next(100);
                bool grow = liveBytes < target && live < MaxLive;
                if (live == 0 || (grow && kind < 55) || (!grow && kind < 15 && live < MaxLive))
                {
                    int n = random.Next(4) == 0 ? random.Next(blockSize * 2) : random.Next(blockSize / 4);
                    int use = random.Next(4) == 0 ? BlockType.ClientBlock(random.Next(3)) : BlockType.Normal;
                    bool zeroed = random.Next(5) == 0;
                    int p = zeroed ? d.Calloc(1, n, use, "rnd.cs", op) : d.Malloc(n, use, "rnd.cs", op);
                    DebugTesting.Valid(d);
                    if (p == 0)
                    {
                        Assert.AreEqual((int)DebugHeapError.OutOfMemory, (int)d.LastError);
                        failures++;
                        continue;
                    }

                    Assert.AreEqual(n, d.MSize(p));
                    Assert.AreEqual(use, d.ReportBlockType(p));
                    DebugTesting.AllBytes(m, p, n, zeroed ? (byte)0 : (byte)0xCD);
                    HeapTesting.Pattern(m, p, n, nextId);
                    ptr[live] = p;
                    size[live] = n;
                    id[live] = nextId++;
                    live++;
                    liveBytes += n;
                }
                else if (kind < 75)
                {
                    int k = random.Next(live);
                    Assert.AreEqual(-1, HeapTesting.CheckPattern(m, ptr[k], size[k], id[k]), "pattern of block " + id[k].ToString() + " at op " + op.ToString());
                    bool delayed = (d.GetDbgFlag() & DbgFlag.DELAY_FREE_MEM_DF) != 0;
                    Assert.AreEqual(DebugHeapError.None, DebugTesting.Free(d, ptr[k], "rnd.cs", op));
                    if (delayed)
                    {
                        Assert.AreEqual(BlockType.Free, d.ReportBlockType(ptr[k]));
                        DebugTesting.AllBytes(m, ptr[k], size[k], 0xDD);
                    }

                    liveBytes -= size[k];
                    live--;
                    ptr[k] = ptr[live];
                    size[k] = size[live];
                    id[k] = id[live];
                }
                else
                {
                    int k = random.Next(live);
                    int n = random.Next(3) == 0 ? random.Next(blockSize * 2) + 1 : random.Next(blockSize / 4) + 1;
                    Assert.AreEqual(-1, HeapTesting.CheckPattern(m, ptr[k], size[k], id[k]));
                    int q = DebugTesting.Realloc(d, ptr[k], n, "rnd.cs", op);
                    if (q == 0)
                    {
                        Assert.AreEqual((int)DebugHeapError.OutOfMemory, (int)d.LastError);
                        Assert.AreEqual(size[k], d.MSize(ptr[k]));
                        failures++;
                        continue;
                    }

                    int kept = n < size[k] ? n : size[k];
                    Assert.AreEqual(-1, HeapTesting.CheckPattern(m, q, kept, id[k]), "realloc lost data at op " + op.ToString());
                    DebugTesting.AllBytes(m, q + kept, n - kept, 0xCD);
                    HeapTesting.Pattern(m, q, n, id[k]);
                    liveBytes += n - size[k];
                    ptr[k] = q;
                    size[k] = n;
                }

                if (op % 100 == 0)
                {
                    d.MemCheckpoint(state);
                    Assert.AreEqual(live, state.Counts[BlockType.Normal] + state.Counts[BlockType.Client]);
                    Assert.AreEqual(liveBytes, state.Sizes[BlockType.Normal] + state.Sizes[BlockType.Client]);
                    Assert.IsTrue(d.CheckMemory());
                }
            }

            Assert.IsTrue(d.CheckMemory());
            Assert.AreEqual("", sink.Text);
            for (int k = 0; k < live; k++)
            {
                Assert.AreEqual(DebugHeapError.None, d.Free(ptr[k], BlockType.Normal, "rnd.cs", 0));
            }

            d.ReleaseDelayedFreeBlocks();
            DebugTesting.Valid(d);
            Assert.AreEqual(0, d.Stats().LinkedBlocks);
            Assert.IsFalse(d.DumpMemoryLeaks());
            OutputHelper.WriteLine("ok: " + (nextId - 1).ToString() + " blocks, " + failures.ToString() + " out-of-memory results, "
                + d.Stats().ReleasedFreeBlocks.ToString() + " delay-freed blocks given back");
        }
    }
}
