using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class MallocTests
    {
        [TestMethod]
        public void Malloc_OfZero_ReturnsNull()
        {
            Heap heap = HeapTesting.NewHeap();
            Assert.AreEqual(0, HeapTesting.Malloc(heap, 0));
            Assert.AreEqual(0, HeapTesting.Malloc(heap, -1));
            Assert.AreEqual("", heap.Describe());
        }

        [TestMethod]
        public void Malloc_5000_Occupies2Blocks()
        {
            Heap heap = HeapTesting.NewHeap();
            int p = HeapTesting.Malloc(heap, 5000);
            Assert.AreEqual(8, p);
            Assert.AreEqual("1:used(2)", heap.Describe());
            Assert.AreEqual(8192, heap.UsableSize(p));
            Assert.AreEqual(8 + 8192, heap.Arena.Break);
        }

        [TestMethod]
        public void Malloc_100_LandsIn128ByteFragment()
        {
            Heap heap = HeapTesting.NewHeap();
            int p = HeapTesting.Malloc(heap, 100);
            Assert.AreEqual(8, p);
            Assert.AreEqual(128, heap.UsableSize(p));
            Assert.AreEqual("1:frag128(31/32,next 1)", heap.Describe());

            // The next one is the lowest free fragment of the block (the seed's would be its last).
            int q = HeapTesting.Malloc(heap, 100);
            Assert.AreEqual(8 + 128, q);
            Assert.AreEqual("1:frag128(30/32,next 2)", heap.Describe());
        }

        [TestMethod]
        [DataRow(1, 8)]
        [DataRow(8, 8)]
        [DataRow(9, 16)]
        [DataRow(100, 128)]
        [DataRow(2047, 2048)]
        [DataRow(2048, 2048)]
        [DataRow(2049, 4096)]
        [DataRow(4096, 4096)]
        [DataRow(4097, 8192)]
        public void Malloc_Sizes_RoundToFragmentOrBlocks(int size, int usable)
        {
            Heap heap = HeapTesting.NewHeap();
            int p = HeapTesting.Malloc(heap, size);
            Assert.AreEqual(8, p);
            Assert.AreEqual(usable, heap.UsableSize(p));
        }

        [TestMethod]
        public void Malloc_FragmentsOfEachSize_HaveTheirOwnBlocks()
        {
            Heap heap = HeapTesting.NewHeap();
            int a = HeapTesting.Malloc(heap, 8);
            int b = HeapTesting.Malloc(heap, 16);
            int c = HeapTesting.Malloc(heap, 2048);
            int d = HeapTesting.Malloc(heap, 2048);
            Assert.AreEqual(8, a);
            Assert.AreEqual(8 + 4096, b);
            Assert.AreEqual(8 + 8192, c);
            Assert.AreEqual(8 + 8192 + 2048, d);
            Assert.AreEqual("1:frag8(511/512,next 1) 2:frag16(255/256,next 1) 3:frag2048(0/2)", heap.Describe());
        }

        [TestMethod]
        public void Malloc_WholeArena_ThenNothingMore()
        {
            // 65536 - 8 bytes hold 15 whole blocks of 4096.
            Heap heap = HeapTesting.NewHeap();
            Assert.AreEqual(0, HeapTesting.Malloc(heap, 16 * 4096));
            int p = HeapTesting.Malloc(heap, 15 * 4096);
            Assert.AreEqual(8, p);
            Assert.AreEqual(0, HeapTesting.Malloc(heap, 1));
            Assert.AreEqual(0, HeapTesting.Malloc(heap, 4096));
            Assert.AreEqual(0, HeapTesting.Malloc(heap, int.MaxValue));
            Assert.AreEqual("1:used(15)", heap.Describe());
        }

        [TestMethod]
        public void Malloc_FirstFitFromTheRover_SplitsTheCluster()
        {
            Heap heap = HeapTesting.NewHeap();
            int a = HeapTesting.Malloc(heap, 3 * 4096);
            int b = HeapTesting.Malloc(heap, 4096);
            HeapTesting.Free(heap, a);
            Assert.AreEqual("1:free(3) 4:used(1)", heap.Describe());
            int c = HeapTesting.Malloc(heap, 4096);
            Assert.AreEqual(8, c);
            Assert.AreEqual("1:used(1) 2:free(2) 4:used(1)", heap.Describe());
            Assert.AreEqual(2, heap.HeapIndex);
            int d = HeapTesting.Malloc(heap, 2 * 4096);
            Assert.AreEqual(8 + 4096, d);
            Assert.AreEqual("1:used(1) 2:used(2) 4:used(1)", heap.Describe());
            Assert.AreEqual(8 + (4 * 4096), heap.Arena.Break);
            Assert.AreEqual(8 + (3 * 4096), b);
        }

        [TestMethod]
        public void Morecore_GrowsTheLastFreeClusterAtTheBreak_InsteadOfLeavingAHole()
        {
            Heap heap = HeapTesting.NewHeap();
            int a = HeapTesting.Malloc(heap, 4096);
            int b = HeapTesting.Malloc(heap, 4096);
            HeapTesting.Free(heap, b);
            Assert.AreEqual("1:used(1) 2:free(1)", heap.Describe());
            Assert.AreEqual(8 + 8192, heap.Arena.Break);
            int c = HeapTesting.Malloc(heap, 3 * 4096);
            Assert.AreEqual(b, c);
            Assert.AreEqual("1:used(1) 2:used(3)", heap.Describe());
            Assert.AreEqual(8 + (4 * 4096), heap.Arena.Break);
            Assert.AreEqual(8, a);
        }

        [TestMethod]
        public void Calloc_ZeroesReusedMemory()
        {
            Heap heap = HeapTesting.NewHeap();
            int p = HeapTesting.Malloc(heap, 100);
            heap.Fill(p, 0, 128, 0xAB);
            HeapTesting.Free(heap, p);
            int q = heap.Calloc(10, 10);
            HeapTesting.Valid(heap);
            Assert.AreEqual(p, q);
            for (int i = 0; i < 100; i++)
            {
                Assert.AreEqual((byte)0, heap.Memory[q + i]);
            }
        }

        [TestMethod]
        public void Calloc_Overflow_ReturnsNull()
        {
            Heap heap = HeapTesting.NewHeap();
            Assert.AreEqual(0, heap.Calloc(65536, 65536));
            Assert.AreEqual(0, heap.Calloc(-1, 8));
            Assert.AreEqual(0, heap.Calloc(0, 8));
            Assert.AreEqual(0, heap.Calloc(int.MaxValue, 2));
            Assert.AreEqual("", heap.Describe());
            HeapTesting.Valid(heap);
        }

        [TestMethod]
        public void MStats_CountsChunksAndBytes()
        {
            Heap heap = HeapTesting.NewHeap();
            int a = HeapTesting.Malloc(heap, 100);
            int b = HeapTesting.Malloc(heap, 5000);
            MStats s = heap.MStats();
            Assert.AreEqual(3 * 4096, s.BytesTotal);
            Assert.AreEqual(2, s.ChunksUsed);
            Assert.AreEqual(128 + 8192, s.BytesUsed);
            Assert.AreEqual(31, s.ChunksFree);
            Assert.AreEqual(31 * 128, s.BytesFree);
            Assert.AreEqual(0, s.LargestFreeRun);
            Assert.AreEqual(65536, s.ArenaBytes);
            Assert.AreEqual(65536 - 8 - (3 * 4096), s.ArenaAvailable);

            // 17 table entries (anchor, 15 blocks, a spare) of 12 bytes, the free-fragment bitmap
            // (16 words of 32 bits for each of the 15 blocks: a bit per 8 bytes), 12 list heads,
            // 256 size classes, 16 memalign pairs.
            Assert.AreEqual((17 * 12) + (15 * 16 * 4) + (12 * 4) + 256 + (16 * 8), s.MetadataBytes);
            HeapTesting.Free(heap, a);
            s = heap.MStats();
            Assert.AreEqual(1, s.ChunksUsed);
            Assert.AreEqual(8192, s.BytesUsed);
            Assert.AreEqual(1, s.ChunksFree);
            Assert.AreEqual(4096, s.BytesFree);
            Assert.AreEqual(4096, s.LargestFreeRun);
            Assert.AreEqual(b, 8 + 4096);
        }

        [TestMethod]
        public void SmallBlockSize_16_StillWorks()
        {
            // BLOCKSIZE 16: one fragment size (8); 9 bytes take a whole block.
            Heap heap = new Heap(new byte[256], 16);
            int a = HeapTesting.Malloc(heap, 8);
            int b = HeapTesting.Malloc(heap, 8);
            int c = HeapTesting.Malloc(heap, 9);
            Assert.AreEqual(8, a);
            Assert.AreEqual(16, b);
            Assert.AreEqual(24, c);
            Assert.AreEqual("1:frag8(0/2) 2:used(1)", heap.Describe());
            HeapTesting.Free(heap, a);
            HeapTesting.Free(heap, b);
            Assert.AreEqual("1:free(1) 2:used(1)", heap.Describe());
        }

        [TestMethod]
        public void Heap_BadBlockSize_Throws()
        {
            Assert.ThrowsException(typeof(System.ArgumentOutOfRangeException), () => new Heap(new byte[256], 8));
            Assert.ThrowsException(typeof(System.ArgumentOutOfRangeException), () => new Heap(new byte[256], 100));
            Assert.ThrowsException(typeof(System.ArgumentNullException), () => new Heap((Arena)null, 16));
        }

        [TestMethod]
        public void Reset_ForgetsEverything()
        {
            Heap heap = HeapTesting.NewHeap();
            HeapTesting.Malloc(heap, 100);
            HeapTesting.Malloc(heap, 9000);
            heap.Reset();
            HeapTesting.Valid(heap);
            Assert.AreEqual("", heap.Describe());
            Assert.AreEqual(8, heap.Arena.Break);
            Assert.AreEqual(8, HeapTesting.Malloc(heap, 9000));
        }
    }
}
