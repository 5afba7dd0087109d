// Fragments (Heap.cs, Malloc.cs, Free.cs): each size's blocks with free fragments in a list in the
// table, their free fragments as bits in the bitmap beside the arena. What must hold: nothing is
// written in the arena, a block's fragments come from its hint word (the last freed into; once
// malloc empties it, the next word round the block with one), the blocks used, split and given
// back are exactly the seed's, and a freed or never handed-out fragment is known free in O(1)
// whatever the bytes of the block say.
using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class FragmentTests
    {
        [TestMethod]
        public void Split_WritesNothingInTheArena()
        {
            Heap heap = HeapTesting.NewHeap();
            byte[] m = heap.Memory;
            for (int i = 0; i < m.Length; i++)
            {
                m[i] = 0x5A;
            }

            int a = HeapTesting.Malloc(heap, 16);
            Assert.AreEqual(8, a);
            for (int i = 8; i < 8 + 4096; i++)
            {
                Assert.AreEqual((byte)0x5A, m[i], "byte " + i.ToString());
            }

            Assert.AreEqual("1:frag16(255/256,next 1)", heap.Describe());
            HeapTesting.Free(heap, a);
            for (int i = 8; i < 8 + 4096; i++)
            {
                Assert.AreEqual((byte)0x5A, m[i], "byte " + i.ToString() + " after the free");
            }

            Assert.AreEqual("1:free(1)", heap.Describe());
        }

        [TestMethod]
        public void Malloc_HandsOutTheLowestFreeFragmentOfTheHintWord()
        {
            // 1024-byte fragments: one per 256-byte word of the bitmap, so each malloc empties its
            // word, and the next one looks round the block from there for a word with a free one.
            Heap heap = HeapTesting.NewHeap();
            Assert.AreEqual(8, HeapTesting.Malloc(heap, 1024));
            Assert.AreEqual(8 + 1024, HeapTesting.Malloc(heap, 1024));
            Assert.AreEqual(8 + 2048, HeapTesting.Malloc(heap, 1024));
            Assert.AreEqual(8 + 3072, HeapTesting.Malloc(heap, 1024));
            Assert.AreEqual("1:frag1024(0/4)", heap.Describe());
            Assert.AreEqual(8 + 4096, HeapTesting.Malloc(heap, 1024));
            HeapTesting.Valid(heap);
        }

        [TestMethod]
        public void Malloc_LeavesTheHintOnTheWordItEmptied_AndTheNextLooksFurther()
        {
            // The hint stays on an emptied word (a free often refills it: then no malloc looks
            // anywhere else); the block leaves its list when its live count says it is full.
            Heap heap = HeapTesting.NewHeap();
            int f0 = HeapTesting.Malloc(heap, 1024);
            int f1 = HeapTesting.Malloc(heap, 1024);
            Assert.AreEqual(f0 + 1024, f1);
            Assert.AreEqual("1:frag1024(2/4,next 2)", heap.Describe());
            HeapTesting.Free(heap, f0);
            Assert.AreEqual("1:frag1024(3/4,next 0)", heap.Describe());
            Assert.AreEqual(f0, HeapTesting.Malloc(heap, 1024));
            Assert.AreEqual(f0 + 2048, HeapTesting.Malloc(heap, 1024));   // from word 0, past f1's
            Assert.AreEqual(f0 + 3072, HeapTesting.Malloc(heap, 1024));   // its last: out of the list
            Assert.AreEqual("1:frag1024(0/4)", heap.Describe());
            HeapTesting.Free(heap, f1);
            Assert.AreEqual("1:frag1024(1/4,next 1)", heap.Describe());
            Assert.AreEqual(f1, HeapTesting.Malloc(heap, 1024));
        }

        [TestMethod]
        public void Free_ThenMalloc_GivesTheSameFragmentBack()
        {
            // The hint is the word of the last fragment freed into the block: a malloc after a free
            // takes that fragment again (the steady state of a firmware's loop).
            Heap heap = HeapTesting.NewHeap();
            int f0 = HeapTesting.Malloc(heap, 64);
            int f1 = HeapTesting.Malloc(heap, 64);
            int f2 = HeapTesting.Malloc(heap, 64);
            Assert.AreEqual(f0 + 64, f1);
            Assert.AreEqual(f0 + 128, f2);
            HeapTesting.Free(heap, f1);
            Assert.AreEqual("1:frag64(62/64,next 1)", heap.Describe());
            Assert.AreEqual(f1, HeapTesting.Malloc(heap, 64));
            HeapTesting.Free(heap, f2);
            HeapTesting.Free(heap, f1);
            Assert.AreEqual("1:frag64(63/64,next 1)", heap.Describe());
            Assert.AreEqual(f1, HeapTesting.Malloc(heap, 64));
            Assert.AreEqual(f2, HeapTesting.Malloc(heap, 64));
            Assert.AreEqual(f0 + 192, HeapTesting.Malloc(heap, 64));
            HeapTesting.Valid(heap);
        }

        [TestMethod]
        public void Free_OfAFragmentNeverHandedOut_IsRejectedAsFreeMemory()
        {
            Heap heap = HeapTesting.NewHeap();
            int a = HeapTesting.Malloc(heap, 16);
            int never = a + (100 * 16);
            HeapTesting.Rejects(heap, HeapError.FreeMemory, null, delegate { heap.Free(never); });
            Assert.AreEqual((int)HeapError.FreeMemory, (int)heap.CheckPointer(a + 16));
            Assert.AreEqual((int)HeapError.FreeMemory, (int)heap.CheckPointer(a + (255 * 16)));
            Assert.AreEqual((int)HeapError.FreeMemory, (int)heap.CheckPointer(a + (255 * 16) + 8));   // inside a free one
            Assert.AreEqual((int)HeapError.Interior, (int)heap.CheckPointer(a + 8));                  // inside a live one
            Assert.AreEqual((int)HeapError.None, (int)heap.CheckPointer(a));
            Assert.AreEqual("1:frag16(255/256,next 1)", heap.Describe());
        }

        [TestMethod]
        public void Free_OfALiveFragment_WhateverItsBytes_IsNotMistakenForFree()
        {
            // No list lives in the arena: a live fragment's bytes, whatever they are, decide nothing.
            Heap heap = HeapTesting.NewHeap();
            int a = HeapTesting.Malloc(heap, 16);
            int live = HeapTesting.Malloc(heap, 16);
            for (int i = 0; i < 16; i++)
            {
                heap.Memory[live + i] = 0xFF;
                heap.Memory[a + i] = 0;
            }

            Assert.AreEqual((int)HeapError.None, (int)heap.CheckPointer(live));
            HeapTesting.Free(heap, live);
            HeapTesting.Rejects(heap, HeapError.FreeMemory, null, delegate { heap.Free(live); });
            HeapTesting.Free(heap, a);
            Assert.AreEqual("1:free(1)", heap.Describe());
        }

        [TestMethod]
        [DataRow(1, 128, 8)]
        [DataRow(7, 128, 8)]
        [DataRow(2024, 256, 16)]
        [DataRow(5, 4096, 64)]
        public void RandomMallocAndFree_UseTheSeedsBlocks(int seed, int blockSize, int fragSize)
        {
            // A model of the seed's decisions for one fragment size, block by block: malloc takes a
            // fragment of the head of the list of blocks with free fragments (or splits a new block
            // when there is none); a free into a block that had none puts it at the head; the last
            // live fragment's free takes the block out of the list and gives it back. The heap must
            // hand out a fragment of the model's block every time (which one inside it is ours).
            const int HeapBytes = 65536;
            int perBlock = blockSize / fragSize;
            Heap heap = new Heap(new byte[HeapBytes], blockSize);
            int blocks = HeapBytes / blockSize + 2;
            int[] nfree = new int[blocks];
            int[] live = new int[blocks];
            int[] order = new int[blocks];   // the model's list, head first
            int listed = 0;
            int[] held = new int[400];
            int count = 0;
            System.Random random = new System.Random(seed);
            for (int step = 0; step < 20000; step++)
            {
                bool allocate = count == 0 || (count < held.Length && random.Next(100) < 55);
                if (allocate)
                {
                    int p = HeapTesting.Malloc(heap, (fragSize / 2) + 1 + random.Next(fragSize / 2));
                    Assert.AreNotEqual(0, p);
                    int b = heap.BLOCK(p);
                    if (listed == 0)
                    {
                        Assert.AreEqual(heap.ADDRESS(b), p, "step " + step.ToString() + ": a split hands out fragment 0");
                        Assert.AreEqual(0, live[b], "step " + step.ToString() + ": a split takes a block with no fragment in use");
                        nfree[b] = perBlock;
                        order[listed++] = b;
                    }

                    Assert.AreEqual(order[0], b, "step " + step.ToString() + ": the fragment comes from the head block");
                    nfree[b]--;
                    live[b]++;
                    if (nfree[b] == 0)
                    {
                        System.Array.Copy(order, 1, order, 0, --listed);
                    }

                    held[count++] = p;
                }
                else
                {
                    int k = random.Next(count);
                    int p = held[k];
                    held[k] = held[--count];
                    HeapTesting.Free(heap, p);
                    int b = heap.BLOCK(p);
                    live[b]--;
                    if (live[b] == 0)
                    {
                        int at = 0;
                        while (order[at] != b)
                        {
                            at++;
                        }

                        System.Array.Copy(order, at + 1, order, at, listed - at - 1);
                        listed--;
                        nfree[b] = 0;
                    }
                    else if (nfree[b]++ == 0)
                    {
                        System.Array.Copy(order, 0, order, 1, listed++);
                        order[0] = b;
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
