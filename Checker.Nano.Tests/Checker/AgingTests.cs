// Aging: a freed block stays unavailable (and out of reuse) for AgingDepth frees.
using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class CheckerAgingTests
    {
        [TestMethod]
        public void AgedBlock_IsHeldUntilDepthNewerFrees()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink, "-a=3");
            int[] p = new int[5];
            for (int i = 0; i < 5; i++)
            {
                p[i] = CheckerTesting.Malloc(c, 3000, "A.cs", i);   // a whole block each
            }

            CheckerTesting.Free(c, p[0], "A.cs", 10);
            CheckerTesting.Free(c, p[1], "A.cs", 11);
            CheckerTesting.Free(c, p[2], "A.cs", 12);
            Assert.AreEqual(3, c.AgingCount);
            Assert.IsTrue(c.DebugHeap.IsValidHeapPointer(p[0]));

            // A fourth free pushes the oldest out: it goes back to the debug heap.
            CheckerTesting.Free(c, p[3], "A.cs", 13);
            Assert.AreEqual(3, c.AgingCount);
            Assert.IsFalse(c.DebugHeap.IsValidHeapPointer(p[0]));
            Assert.IsTrue(c.DebugHeap.IsValidHeapPointer(p[1]));

            // Only the given-back block can be reused.
            int q = CheckerTesting.Malloc(c, 3000, "A.cs", 20);
            Assert.AreEqual(p[0], q);
            Assert.AreEqual("", sink.Text);
        }

        [TestMethod]
        public void AgedBlock_IsNotReused_SoAStalePointerIsCaught()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            int p = CheckerTesting.Malloc(c, 64, "A.cs", 1);
            CheckerTesting.Free(c, p, "A.cs", 2);
            int q = CheckerTesting.Malloc(c, 64, "A.cs", 3);
            Assert.AreNotEqual(p, q);
            c.WriteInt32(p, 1, "A.cs", 4);
            Assert.AreEqual(1, c.ErrorCount(CheckerError.WriteFreeBlock));
        }

        [TestMethod]
        public void DepthZero_FreesAtOnce_AStalePointerIsNotInABlock()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink, "-a=0");
            int p = CheckerTesting.Malloc(c, 64, "A.cs", 1);
            CheckerTesting.Malloc(c, 64, "A.cs", 2);
            CheckerTesting.Free(c, p, "A.cs", 3);
            Assert.AreEqual(0, c.AgingCount);
            c.ReadInt32(p, "A.cs", 4);
            CheckerTesting.Expect(sink, CheckerTesting.Lines(
                "From Checker: (bvh) bounds violation in the heap.",
                "When Reading 4 byte(s) at address 0x0000393C, inside the heap but not in a block",
                "The access was made from: A.cs(4)"));
        }

        [TestMethod]
        public void Realloc_AgesTheOldBlock_FreedFromTheReallocSite()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            int p = CheckerTesting.Malloc(c, 16, "Buffer.cs", 5);
            c.WriteInt32(p, 3, "Buffer.cs", 6);
            int q = CheckerTesting.Realloc(c, p, 16, "Buffer.cs", 7);
            Assert.AreNotEqual(p, q);
            Assert.AreEqual(3, c.ReadInt32(q, "Buffer.cs", 8));
            c.ReadInt32(p, "Buffer.cs", 9);
            CheckerTesting.Expect(sink, CheckerTesting.Lines(
                "From Checker: (rfb) read in a free block.",
                "When Reading 4 byte(s) at address " + CheckerTesting.Hex(p) + ", 0 bytes into a free block (start: " + CheckerTesting.Hex(p) + ", 16 bytes)",
                "The block was allocated from: Buffer.cs(5)",
                "The block was freed from: Buffer.cs(7)",
                "The access was made from: Buffer.cs(9)"));

            // The new block carries the realloc's site (as the CRT's realloc does).
            BlockInfo info = new BlockInfo();
            c.DebugHeap.GetBlockInfo(q, info);
            Assert.AreEqual(7, info.Line);
        }

        [TestMethod]
        public void ReleaseAged_AndLoweringTheDepth()
        {
            CheckerHeap c = CheckerTesting.New(new MemorySink());
            for (int i = 0; i < 6; i++)
            {
                CheckerTesting.Free(c, CheckerTesting.Malloc(c, 8, "A.cs", i), "A.cs", 10 + i);
            }

            Assert.AreEqual(6, c.AgingCount);
            Assert.IsTrue(c.SetOptions("-a=2"));
            Assert.AreEqual(2, c.AgingCount);
            CheckerTesting.Valid(c);
            Assert.AreEqual(2, c.ReleaseAged());
            Assert.AreEqual(0, c.AgingCount);
            CheckerTesting.Valid(c);

            // Raising it beyond the queue's first size regrows the queue, keeping the order.
            Assert.IsTrue(c.SetOptions("-a=20"));
            int[] p = new int[12];
            for (int i = 0; i < 12; i++)
            {
                p[i] = CheckerTesting.Malloc(c, 8, "A.cs", i);
            }

            for (int i = 0; i < 12; i++)
            {
                CheckerTesting.Free(c, p[i], "A.cs", 30 + i);
            }

            Assert.AreEqual(12, c.AgingCount);
            Assert.IsTrue(c.SetOptions("-a=11"));
            Assert.IsFalse(c.DebugHeap.IsValidHeapPointer(p[0]));
            Assert.IsTrue(c.DebugHeap.IsValidHeapPointer(p[1]));
            CheckerTesting.Valid(c);
        }
    }
}
