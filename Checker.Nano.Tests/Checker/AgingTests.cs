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
                "From Checker: (bvh) block bounds violation in the heap.",
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
    
        [TestMethod]
        public void AgedBlocks_AreNoLeaks_InTheDebugHeapsDumps()
        {
            // malloc, write, free through Checker, then the dumps: the aged block is held by the
            // debug heap as an Ignore block, not listed as a leak.
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.NewWithRecords(sink);
            int p = CheckerTesting.Malloc(c, 100, "A.cs", 1);
            c.WriteInt32(p, 7, "A.cs", 2);
            CheckerTesting.Free(c, p, "A.cs", 3);
            Assert.AreEqual(1, c.AgingCount);
            HeapReport report = new HeapReport(c.Heap, c.Reporter);
            report.AddSection(new DebugHeapSection(c.DebugHeap));
            sink.Clear();
            report.Dump("call", 1000, HeapReport.LeakSections);
            string text = sink.Text;
            Assert.IsTrue(text.IndexOf("\n100 bytes in 1 Ignore Blocks.\n0 bytes in 0 Client Blocks.\n") > 0, text);
            Assert.IsTrue(text.IndexOf("\nNo memory leaks detected.\n") > 0, text);
            Assert.AreEqual(-1, text.IndexOf("normal block"));
            Assert.AreEqual(-1, text.IndexOf(" LEAK "));
            sink.Clear();
            Assert.IsFalse(c.DebugHeap.DumpMemoryLeaks());
            Assert.AreEqual("", sink.Text);

            // A use after free is still caught, with the block's own type in the record.
            Assert.AreEqual(7, c.ReadInt32(p, "A.cs", 4));   // reported, and read
            Assert.IsTrue(sink.Text.StartsWith("From Checker: (rfb) read in a free block.\n"), sink.Text);
            Assert.IsTrue(sink.Text.IndexOf(" type=1 ") > 0, sink.Text);
            CheckerTesting.Valid(c);
        }

        [TestMethod]
        public void AProgramThatFreesEverything_LeavesNoLeakInTheDumps()
        {
            // A replay in small: eight blocks of several sizes and types, all freed, the debug
            // heap's leak check at exit says nothing while Checker still ages them.
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            c.DebugHeap.SetDbgFlag(DbgFlag.ALLOC_MEM_DF | DbgFlag.LEAK_CHECK_DF);
            int[] p = new int[8];
            for (int i = 0; i < 8; i++)
            {
                p[i] = c.Malloc(16 + (i * 40), i == 3 ? BlockType.ClientBlock(2) : BlockType.Normal, "Replay.cs", i);
            }

            p[5] = CheckerTesting.Realloc(c, p[5], 500, "Replay.cs", 20);
            for (int i = 0; i < 8; i++)
            {
                CheckerTesting.Free(c, p[i], "Replay.cs", 30 + i);
            }

            Assert.AreEqual(8, c.AgingCount);
            Assert.IsFalse(c.DebugHeap.ExitLeakCheck());
            Assert.IsTrue(c.DebugHeap.CheckMemory());
            Assert.AreEqual("", sink.Text);
            Assert.AreEqual(8, c.ReleaseAged());
            Assert.IsFalse(c.DebugHeap.ExitLeakCheck());
            Assert.AreEqual("", sink.Text);
            CheckerTesting.Valid(c);
        }

        [TestMethod]
        public void CheckMemory_FindsARawGuardOverwrite_OfALiveAndOfAnAgedBlock()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            int p = CheckerTesting.Malloc(c, 16, "A.cs", 1);
            int q = CheckerTesting.Malloc(c, 24, "B.cs", 2);
            c.Memory[p + 16] = 0;   // a raw write, past Checker's accessors
            Assert.IsFalse(c.CheckMemory());
            CheckerTesting.Expect(sink, CheckerTesting.Lines(
                "HEAP CORRUPTION DETECTED: after Normal block (#1) at " + CheckerTesting.Hex(p) + ".",
                "CRT detected that the application wrote to memory after end of heap buffer.",
                "",
                "Memory allocated at A.cs(1).",
                "Normal located at " + CheckerTesting.Hex(p) + " is 16 bytes long.",
                "",
                "Memory allocated at A.cs(1)."));
            c.Memory[p + 16] = DebugHeap.NO_MANS_LAND_FILL;
            Assert.IsTrue(c.CheckMemory());

            // An aged block's guard too, before it leaves the queue.
            CheckerTesting.Free(c, q, "B.cs", 3);
            c.Memory[q - 1] = 0;
            Assert.IsFalse(c.CheckMemory());
            CheckerTesting.Expect(sink, CheckerTesting.Lines(
                "HEAP CORRUPTION DETECTED: before Ignore block (#2) at " + CheckerTesting.Hex(q) + ".",
                "CRT detected that the application wrote to memory before start of heap buffer.",
                "",
                "Memory allocated at B.cs(2).",
                "Ignore located at " + CheckerTesting.Hex(q) + " is 24 bytes long.",
                "",
                "Memory allocated at B.cs(2)."));
            Assert.AreEqual(0, c.TotalErrors);
        }
}
}
