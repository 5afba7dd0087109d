using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class MemalignTests
    {
        [TestMethod]
        public void Memalign_Upto8_IsMalloc()
        {
            Heap heap = HeapTesting.NewHeap();
            Assert.AreEqual(8, heap.Memalign(8, 100));
            Assert.AreEqual("1:frag128(31/32,next 1)", heap.Describe());
            HeapTesting.Valid(heap);
        }

        [TestMethod]
        public void Memalign_64_InAFragment_HandsOutTheAlignedOffsetInside()
        {
            // malloc(40 + 63) takes a 128-byte fragment at 8; the first multiple of 64 in it is 64.
            Heap heap = HeapTesting.NewHeap();
            int p = heap.Memalign(64, 40);
            HeapTesting.Valid(heap);
            Assert.AreEqual(64, p);
            Assert.AreEqual(128 - 56, heap.UsableSize(p));
            Assert.AreEqual((int)HeapError.None, (int)heap.CheckPointer(p));
            Assert.AreEqual((int)HeapError.Interior, (int)heap.CheckPointer(8));
            heap.WriteInt32(p, 68, 5);
            Assert.ThrowsException(typeof(System.ArgumentOutOfRangeException), () => heap.WriteInt32(p, 69, 5));
            HeapTesting.Rejects(heap, HeapError.Interior, null, () => heap.Free(8));
            HeapTesting.Free(heap, p);
            Assert.AreEqual("1:free(1)", heap.Describe());
        }

        [TestMethod]
        public void Memalign_4096_OfABlock()
        {
            Heap heap = HeapTesting.NewHeap();
            int p = heap.Memalign(4096, 4096);
            HeapTesting.Valid(heap);
            Assert.AreEqual(4096, p);
            Assert.AreEqual("1:used(2)", heap.Describe());
            Assert.AreEqual(8192 - 4088, heap.UsableSize(p));
            HeapTesting.Free(heap, p);
            Assert.AreEqual("1:free(2)", heap.Describe());
        }

        [TestMethod]
        public void Realloc_OfAnAlignedBlock_GivesAnOrdinaryBlockWithTheContents()
        {
            Heap heap = HeapTesting.NewHeap();
            int p = heap.Memalign(256, 100);
            Assert.AreEqual(256, p);
            HeapTesting.Pattern(heap.Memory, p, 100, 21);
            int q = HeapTesting.Realloc(heap, p, 300);
            Assert.AreEqual(8 + 512, q);   // fragment 1; fragment 0, the aligned block, is freed
            Assert.AreEqual(-1, HeapTesting.CheckPattern(heap.Memory, q, 100, 21));
            Assert.AreEqual("1:frag512(7/8,next 0)", heap.Describe());
            HeapTesting.Rejects(heap, HeapError.FreeMemory, null, () => heap.Free(p));
        }

        [TestMethod]
        public void Memalign_WhenThePairTableIsFull_ReturnsNull()
        {
            Heap heap = HeapTesting.NewHeap();
            int[] p = new int[Heap.MAX_ALIGNED];
            for (int i = 0; i < Heap.MAX_ALIGNED; i++)
            {
                p[i] = heap.Memalign(16, 8);
                Assert.AreNotEqual(0, p[i]);
                Assert.AreEqual(0, p[i] % 16);
            }

            HeapTesting.Valid(heap);
            string before = heap.Describe();
            Assert.AreEqual(0, heap.Memalign(16, 8));
            Assert.AreEqual(before, heap.Describe());
            int plain = heap.Memalign(8, 8);
            Assert.AreEqual(8 + 4096, plain);
            HeapTesting.Free(heap, plain);

            for (int i = 0; i < Heap.MAX_ALIGNED; i++)
            {
                HeapTesting.Free(heap, p[i]);
            }

            Assert.AreEqual("1:free(2)", heap.Describe());
        }

        [TestMethod]
        public void Memalign_BadAlignment_Throws()
        {
            Heap heap = HeapTesting.NewHeap();
            Assert.ThrowsException(typeof(System.ArgumentOutOfRangeException), () => heap.Memalign(24, 8));
            Assert.ThrowsException(typeof(System.ArgumentOutOfRangeException), () => heap.Memalign(0, 8));
            Assert.AreEqual(0, heap.Memalign(16, 0));
        }
    }
}
