// Seeded random malloc / calloc / realloc / free / writes against a model of every live block's
// bytes (their values and whether they were written), with Validate after every operation: the
// access states Checker keeps must be exactly the model's, contents must survive realloc, and
// valid accesses must never be reported. Run with aging off, short and default, at 50% and near
// 100% fill of the heap's room.
using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class CheckerRandomizedOperationsTests
    {
        private const int Slots = 64;

        [DataRow(1, 0, 50, 0)]
        [DataRow(2, 3, 50, 0)]
        [DataRow(3, 8, 50, 0)]
        [DataRow(4, 0, 95, 0)]
        [DataRow(5, 8, 95, 0)]
        [DataRow(6, 0, 50, 1)]
        [DataRow(7, 8, 50, 1)]
        [DataRow(8, 3, 95, 1)]
        [TestMethod]
        public void Operations_KeepStatesAndContents(int seed, int aging, int fillPercent, int policy)
        {
            TestRandom rnd = new TestRandom(seed);
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink, "-a=" + aging.ToString(), policy);
            int room = c.StackLimit - c.HeapStart;
            int target = room * fillPercent / 100;
            int[] ptr = new int[Slots];
            int[] size = new int[Slots];
            byte[][] value = new byte[Slots][];
            bool[][] written = new bool[Slots][];
            int live = 0;
            string where = "seed " + seed.ToString() + " op ";
            for (int op = 0; op < 800; op++)
            {
                int i = rnd.Next(Slots);
                int action = rnd.Next(10);
                if (ptr[i] == 0)
                {
                    int n = rnd.Next(8) == 0 ? 2048 + rnd.Next(6000) : rnd.Next(300);
                    if (live + n > target)
                    {
                        continue;
                    }

                    bool zero = action < 3;
                    int p = zero ? c.Calloc(1, n, BlockType.Normal, "Ops.cs", op) : c.Malloc(n, BlockType.Normal, "Ops.cs", op);
                    if (p == 0)
                    {
                        OutOfMemory(sink, where + op.ToString());   // an honest oom near full
                        continue;
                    }

                    ptr[i] = p;
                    size[i] = n;
                    value[i] = new byte[n];
                    written[i] = new bool[n];
                    for (int k = 0; k < n; k++)
                    {
                        written[i][k] = zero;
                    }

                    live += n;
                }
                else if (action < 4)
                {
                    c.Free(ptr[i], "Ops.cs", op);
                    live -= size[i];
                    ptr[i] = 0;
                }
                else if (action < 6)
                {
                    int n = rnd.Next(8) == 0 ? 2048 + rnd.Next(6000) : rnd.Next(300);
                    if (n == 0 || live - size[i] + n > target)
                    {
                        continue;
                    }

                    int q = c.Realloc(ptr[i], n, "Ops.cs", op);
                    if (q == 0)
                    {
                        OutOfMemory(sink, where + op.ToString());
                        continue;
                    }

                    byte[] v = new byte[n];
                    bool[] w = new bool[n];
                    int keep = n < size[i] ? n : size[i];
                    for (int k = 0; k < keep; k++)
                    {
                        v[k] = value[i][k];
                        w[k] = written[i][k];
                    }

                    live += n - size[i];
                    ptr[i] = q;
                    size[i] = n;
                    value[i] = v;
                    written[i] = w;
                }
                else if (size[i] > 0)
                {
                    // A write of 1, 2 or 4 bytes, or a fill, somewhere inside the block.
                    int width = action == 6 ? 1 : action == 7 ? 2 : action == 8 ? 4 : 1 + rnd.Next(size[i]);
                    if (width > size[i])
                    {
                        continue;
                    }

                    int at = rnd.Next(size[i] - width + 1);
                    int x = rnd.Next(65536) * 65536 + rnd.Next(65536);
                    if (width == 1)
                    {
                        c.WriteByte(ptr[i] + at, (byte)x, "Ops.cs", op);
                    }
                    else if (width == 2 && action == 7)
                    {
                        c.WriteInt16(ptr[i] + at, (short)x, "Ops.cs", op);
                    }
                    else if (width == 4 && action == 8)
                    {
                        c.WriteInt32(ptr[i] + at, x, "Ops.cs", op);
                    }
                    else
                    {
                        c.Fill(ptr[i] + at, width, (byte)x, "Ops.cs", op);
                        x = (x & 0xFF) * 0x01010101;
                    }

                    for (int k = 0; k < width; k++)
                    {
                        value[i][at + k] = (byte)(x >> (8 * (k & 3)));
                        written[i][at + k] = true;
                    }
                }

                string problem = c.Validate();
                if (problem != null)
                {
                    Assert.IsNull(problem, where + op.ToString());
                }

                if (ptr[i] != 0)
                {
                    Assert.AreEqual(Expected(written[i]), c.DescribeStates(ptr[i] - 4, size[i] + 8), where + op.ToString() + ": states");
                    for (int k = 0; k < size[i]; k++)
                    {
                        if (written[i][k] && c.Memory[ptr[i] + k] != value[i][k])
                        {
                            Assert.AreEqual((int)value[i][k], (int)c.Memory[ptr[i] + k], where + op.ToString() + ": byte " + k.ToString());
                        }
                    }
                }
            }

            Assert.AreEqual("", sink.Text, "seed " + seed.ToString());
            Assert.AreEqual(c.ErrorCount(CheckerError.OutOfMemory), c.TotalErrors);
        }

        private static void OutOfMemory(MemorySink sink, string where)
        {
            Assert.IsTrue(sink.Text.StartsWith("From Checker: (oom) out of memory.\n"), where + ": " + sink.Text);
            sink.Clear();
        }

        private static string Expected(bool[] written)
        {
            char[] s = new char[written.Length + 8];
            for (int k = 0; k < s.Length; k++)
            {
                s[k] = '0';
            }

            for (int k = 0; k < written.Length; k++)
            {
                s[4 + k] = written[k] ? '3' : '2';
            }

            return new string(s);
        }
    }
}
