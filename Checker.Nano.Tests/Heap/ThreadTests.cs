// The base heap's lock: several threads allocating, writing, checking and freeing at once
// (the full 4 x 250,000 stress run is in tools/Checker.Nano.Reliability). Device subset:
// System.Threading.Thread, no generics.
using System.Threading;
using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class ThreadTests
    {
        [TestMethod]
        public void Initialize_HappensOnTheFirstOperation()
        {
            Heap heap = HeapTesting.NewHeap();
            Assert.IsFalse(heap.Initialized);
            Assert.AreEqual(0, heap.Arena.Break - heap.Arena.Start);
            HeapTesting.Malloc(heap, 1);
            Assert.IsTrue(heap.Initialized);
            Assert.AreEqual(8, heap.HeapBase);
        }

        [TestMethod]
        public void FourThreads_ShareOneHeap_WithoutLosingData()
        {
            Heap heap = new Heap(new byte[262144], 1024);
            Worker[] workers = new Worker[4];
            Thread[] threads = new Thread[4];
            for (int t = 0; t < 4; t++)
            {
                workers[t] = new Worker(heap, t + 1, 2000);
                threads[t] = new Thread(new ThreadStart(workers[t].Run));
                threads[t].Start();
            }

            for (int t = 0; t < 4; t++)
            {
                threads[t].Join();
            }

            for (int t = 0; t < 4; t++)
            {
                Assert.IsNull(workers[t].Problem, "thread " + (t + 1).ToString());
            }

            HeapTesting.Valid(heap);
            Assert.AreEqual(0, heap.MStats().ChunksUsed);
        }

        private sealed class Worker
        {
            private readonly Heap _heap;
            private readonly int _seed;
            private readonly int _operations;

            public Worker(Heap heap, int seed, int operations)
            {
                _heap = heap;
                _seed = seed;
                _operations = operations;
            }

            public string Problem;

            public void Run()
            {
                TestRandom random = new TestRandom(_seed);
                int[] live = new int[32];
                int[] size = new int[32];
                byte[] m = _heap.Memory;
                try
                {
                    for (int op = 0; op < _operations && Problem == null; op++)
                    {
                        int k = random.Next(32);
                        if (live[k] != 0)
                        {
                            for (int i = 0; i < size[k]; i++)
                            {
                                if (m[live[k] + i] != (byte)(_seed + k + i))
                                {
                                    Problem = "block " + Bytes.Hex8(live[k]) + " changed under thread " + _seed.ToString();
                                }
                            }

                            _heap.Free(live[k]);
                            live[k] = 0;
                        }
                        else
                        {
                            int n = 1 + random.Next(1500);
                            int p = _heap.Malloc(n);
                            if (p != 0)
                            {
                                for (int i = 0; i < n; i++)
                                {
                                    m[p + i] = (byte)(_seed + k + i);
                                }

                                live[k] = p;
                                size[k] = n;
                            }
                        }
                    }

                    for (int k = 0; k < 32; k++)
                    {
                        _heap.Free(live[k]);
                    }
                }
                catch (System.Exception e)
                {
                    Problem = e.Message;
                }
            }
        }
    }
}
