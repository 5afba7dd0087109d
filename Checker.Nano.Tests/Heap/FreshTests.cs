// Fresh fragments: a split block's fragments 1..fresh keep implied links until they are handed
// out (Heap.cs, Malloc.cs). What must hold: split writes only two links, no offset malloc returns
// differs from the seed's eager chaining, and free/CheckPointer still know a fresh fragment is free.
using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class FreshTests
    {
        [TestMethod]
        public void Split_WritesOnlyTheTwoLinksThatTouchTheList()
        {
            Heap heap = HeapTesting.NewHeap();
            byte[] m = heap.Memory;
            for (int i = 0; i < m.Length; i++)
            {
                m[i] = 0x5A;
            }

            int a = HeapTesting.Malloc(heap, 16);
            Assert.AreEqual(8, a);
            Assert.AreEqual(0, Bytes.GetInt32(m, a + (255 * 16) + 4), "the top's prev: the list head");
            Assert.AreEqual(0, Bytes.GetInt32(m, a + 16), "fragment 1's next: the end of the list");
            Assert.AreEqual(0x5A5A5A5A, Bytes.GetInt32(m, a + (255 * 16)), "the top's next is implied");
            for (int f = 2; f < 255; f++)
            {
                Assert.AreEqual(0x5A5A5A5A, Bytes.GetInt32(m, a + (f * 16)), "fragment " + f.ToString());
                Assert.AreEqual(0x5A5A5A5A, Bytes.GetInt32(m, a + (f * 16) + 4), "fragment " + f.ToString());
            }

            Assert.AreEqual("1:frag16(255/256,first 255)", heap.Describe());
        }

        [TestMethod]
        public void Malloc_HandsFreshFragmentsOutInTheSeedsOrder()
        {
            Heap heap = HeapTesting.NewHeap();
            Assert.AreEqual(8, HeapTesting.Malloc(heap, 1024));
            Assert.AreEqual(8 + 3072, HeapTesting.Malloc(heap, 1024));
            Assert.AreEqual(8 + 2048, HeapTesting.Malloc(heap, 1024));
            Assert.AreEqual(8 + 1024, HeapTesting.Malloc(heap, 1024));
            Assert.AreEqual("1:frag1024(0/4)", heap.Describe());
            Assert.AreEqual(8 + 4096, HeapTesting.Malloc(heap, 1024));
        }

        [TestMethod]
        public void Free_AfterAFreshFirst_TakesItOutOfTheFreshOnes()
        {
            // Fragments 0 and 3 handed out; freeing 3 puts it right after the run's first (2, the
            // fresh top): 2 is no longer fresh, 1 becomes the top; the order stays the seed's.
            Heap heap = HeapTesting.NewHeap();
            int f0 = HeapTesting.Malloc(heap, 1024);
            int f3 = HeapTesting.Malloc(heap, 1024);
            HeapTesting.Free(heap, f3);
            Assert.AreEqual("1:frag1024(3/4,first 2)", heap.Describe());
            Assert.AreEqual(f0 + 2048, HeapTesting.Malloc(heap, 1024));
            Assert.AreEqual(f3, HeapTesting.Malloc(heap, 1024));
            Assert.AreEqual(f0 + 1024, HeapTesting.Malloc(heap, 1024));
            Assert.AreEqual("1:frag1024(0/4)", heap.Describe());
        }

        [TestMethod]
        public void Free_OfAFreshFragment_IsRejectedAsFreeMemory()
        {
            Heap heap = HeapTesting.NewHeap();
            int a = HeapTesting.Malloc(heap, 16);
            int fresh = a + (100 * 16);
            HeapTesting.Rejects(heap, HeapError.FreeMemory, null, delegate { heap.Free(fresh); });
            Assert.AreEqual((int)HeapError.FreeMemory, (int)heap.CheckPointer(a + 16));
            Assert.AreEqual((int)HeapError.FreeMemory, (int)heap.CheckPointer(a + (255 * 16)));
            Assert.AreEqual((int)HeapError.None, (int)heap.CheckPointer(a));
        }

        [TestMethod]
        public void Free_OfALiveFragmentWhoseBytesPointIntoFreshOnes_IsNotMistakenForFree()
        {
            // A live fragment whose prev word leads to a fresh fragment whose stale bytes lead back:
            // the cheap test passes, the exact walk (implied links) settles it.
            Heap heap = HeapTesting.NewHeap();
            int a = HeapTesting.Malloc(heap, 16);
            int live = HeapTesting.Malloc(heap, 16);       // fragment 255
            int stale = a + (50 * 16);                     // fresh
            Bytes.PutInt32(heap.Memory, live + 4, stale);
            Bytes.PutInt32(heap.Memory, stale, live);
            Assert.AreEqual((int)HeapError.None, (int)heap.CheckPointer(live));
            HeapTesting.Free(heap, live);
            HeapTesting.Free(heap, a);
            Assert.AreEqual("1:free(1)", heap.Describe());
        }

        [TestMethod]
        [DataRow(1)]
        [DataRow(7)]
        [DataRow(2024)]
        public void RandomMallocAndFree_GiveTheOffsetsOfTheSeedsEagerLists(int seed)
        {
            // A model of the seed's list for one fragment size, every link written: split puts
            // the block's fragments last..1 in the list, malloc pops the head, free links a
            // fragment in after its block's first free one (or at the head), and the last live
            // fragment's free takes the block's run out. The heap must return the same offsets.
            const int BlockSize = 128;
            const int FragSize = 8;
            const int PerBlock = BlockSize / FragSize;
            Heap heap = new Heap(new byte[16384], BlockSize);
            int slots = 16384 / FragSize;
            int[] next = new int[slots + 1];    // slot + 1, 0 = none
            int[] prev = new int[slots + 1];
            bool[] live = new bool[slots + 1];
            int[] nfree = new int[(16384 / BlockSize) + 1];
            int[] first = new int[(16384 / BlockSize) + 1];
            int head = 0;
            int[] held = new int[400];
            int count = 0;
            System.Random random = new System.Random(seed);
            for (int step = 0; step < 20000; step++)
            {
                bool allocate = count == 0 || (count < held.Length && random.Next(100) < 55);
                if (allocate)
                {
                    int p = HeapTesting.Malloc(heap, 1 + random.Next(FragSize));
                    Assert.AreNotEqual(0, p);
                    int s = (p / FragSize) + 1;
                    int b = (p - 8) / BlockSize;
                    if (head == 0)
                    {
                        // The model's list is empty: the heap split a block; p is its fragment 0.
                        Assert.AreEqual(0, (p - 8) % BlockSize, "a split hands out fragment 0");
                        int top = 0;
                        for (int i = PerBlock - 1; i >= 1; i--)
                        {
                            int f = s + i;
                            prev[f] = top;
                            next[f] = 0;
                            if (top != 0)
                            {
                                next[top] = f;
                            }
                            else
                            {
                                head = f;
                            }

                            top = f;
                        }

                        nfree[b] = PerBlock - 1;
                        first[b] = head;
                    }
                    else
                    {
                        Assert.AreEqual((head - 1) * FragSize, p, "step " + step.ToString());
                        head = next[p / FragSize + 1];
                        if (head != 0)
                        {
                            prev[head] = 0;
                        }

                        nfree[b]--;
                        first[b] = nfree[b] == 0 ? 0 : head;
                    }

                    live[s] = true;
                    held[count++] = p;
                }
                else
                {
                    int k = random.Next(count);
                    int p = held[k];
                    held[k] = held[--count];
                    HeapTesting.Free(heap, p);
                    int s = (p / FragSize) + 1;
                    int b = (p - 8) / BlockSize;
                    live[s] = false;
                    if (nfree[b] == PerBlock - 1)
                    {
                        // Take the block's run out: nfree nodes from first.
                        int f = first[b];
                        int before = prev[f];
                        for (int i = 0; i < nfree[b]; i++)
                        {
                            f = next[f];
                        }

                        if (before == 0)
                        {
                            head = f;
                        }
                        else
                        {
                            next[before] = f;
                        }

                        if (f != 0)
                        {
                            prev[f] = before;
                        }

                        nfree[b] = 0;
                        first[b] = 0;
                    }
                    else if (nfree[b] != 0)
                    {
                        int f = first[b];
                        int n = next[f];
                        next[s] = n;
                        prev[s] = f;
                        next[f] = s;
                        if (n != 0)
                        {
                            prev[n] = s;
                        }

                        nfree[b]++;
                    }
                    else
                    {
                        next[s] = head;
                        prev[s] = 0;
                        if (head != 0)
                        {
                            prev[head] = s;
                        }

                        head = s;
                        nfree[b] = 1;
                        first[b] = s;
                    }
                }

                if ((step & 255) == 0)
                {
                    HeapTesting.Valid(heap);
                }
            }

            HeapTesting.Valid(heap);
        }
    }
}
