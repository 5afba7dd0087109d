// free and realloc of bad pointers, free(NULL), recursion from a hook, out of memory: each
// code with its exact report. Nothing is handed to the debug heap: it reports nothing itself.
using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class CheckerFreeTests
    {
        [TestMethod]
        public void Fba_FreeOfAnInteriorAddress()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            int p = CheckerTesting.Malloc(c, 64, "Sensors.cs", 117);
            CheckerTesting.Free(c, p + 12, "Main.cs", 30);
            CheckerTesting.Expect(sink, CheckerTesting.Lines(
                "From Checker: (fba) free called with an address not obtained from malloc.",
                "When freeing address 0x00003948, 12 bytes into a block (start: 0x0000393C, 64 bytes)",
                "The block was allocated from: Sensors.cs(117)",
                "The call was made from: Main.cs(30)"));
            Assert.AreEqual(1, c.LiveBlocks);
            Assert.AreEqual(0, c.AgingCount);
            Assert.AreEqual(1, c.ErrorCount(CheckerError.FreeBadAddress));
        }

        [TestMethod]
        public void Fba_FreeOfAddressesOutsideEveryBlock()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            CheckerTesting.Malloc(c, 64, "Sensors.cs", 117);
            CheckerTesting.Free(c, c.DataSlot(1), "Main.cs", 31);
            CheckerTesting.Free(c, c.HeapStart + 2048, "Main.cs", 32);
            CheckerTesting.Free(c, 70000, "Main.cs", 33);
            c.Realloc(c.HeapStart, 10, "Main.cs", 34);
            CheckerTesting.Expect(sink, CheckerTesting.Lines(
                "From Checker: (fba) free called with an address not obtained from malloc.",
                "When freeing address 0x00003824, in the data zone",
                "The call was made from: Main.cs(31)",
                "From Checker: (fba) free called with an address not obtained from malloc.",
                "When freeing address 0x00004120, inside the heap but not in a block",
                "The call was made from: Main.cs(32)",
                "From Checker: (fba) free called with an address not obtained from malloc.",
                "When freeing address 0x00011170, outside the arena",
                "The call was made from: Main.cs(33)",
                "From Checker: (fba) free called with an address not obtained from malloc.",
                "When reallocating address 0x00003920, 28 bytes before a block (start: 0x0000393C, 64 bytes)",
                "The block was allocated from: Sensors.cs(117)",
                "The call was made from: Main.cs(34)"));
            Assert.AreEqual(4, c.ErrorCount(CheckerError.FreeBadAddress));
            CheckerTesting.Valid(c);
        }

        [TestMethod]
        public void Ffb_DoubleFreeWhileAged()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            int p = CheckerTesting.Malloc(c, 64, "Sensors.cs", 117);
            CheckerTesting.Free(c, p, "Sensors.cs", 150);
            CheckerTesting.Free(c, p, "Sensors.cs", 160);
            CheckerTesting.Expect(sink, CheckerTesting.Lines(
                "From Checker: (ffb) free an already free block.",
                "When freeing address 0x0000393C, the start of a free block (start: 0x0000393C, 64 bytes)",
                "The block was allocated from: Sensors.cs(117)",
                "The block was freed from: Sensors.cs(150)",
                "The call was made from: Sensors.cs(160)"));
            Assert.AreEqual(1, c.AgingCount);
            Assert.AreEqual(CheckerError.FreeFreeBlock, c.LastError);
        }

        [TestMethod]
        public void Ffb_DoubleFreeAfterTheBlockWasGivenBack()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink, "-a=0");
            int p = CheckerTesting.Malloc(c, 64, "Sensors.cs", 117);
            CheckerTesting.Free(c, p, "Sensors.cs", 150);
            Assert.IsFalse(c.DebugHeap.IsValidHeapPointer(p));
            CheckerTesting.Free(c, p, "Sensors.cs", 160);
            c.Realloc(p, 8, "Sensors.cs", 161);
            CheckerTesting.Expect(sink, CheckerTesting.Lines(
                "From Checker: (ffb) free an already free block.",
                "When freeing address 0x0000393C, the start of a block freed earlier (given back to the heap since)",
                "The call was made from: Sensors.cs(160)",
                "From Checker: (ffb) free an already free block.",
                "When reallocating address 0x0000393C, the start of a block freed earlier (given back to the heap since)",
                "The call was made from: Sensors.cs(161)"));

            // A new block at the old start is live again: freeing it is fine.
            int q = CheckerTesting.Malloc(c, 200, "A.cs", 1);
            Assert.AreEqual(p, q);
            CheckerTesting.Free(c, q, "A.cs", 5);
            Assert.AreEqual("", sink.Text);
            int r = CheckerTesting.Malloc(c, 64, "A.cs", 2);
            CheckerTesting.Free(c, r, "A.cs", 3);
            CheckerTesting.Free(c, r, "A.cs", 4);
            Assert.AreEqual(3, c.ErrorCount(CheckerError.FreeFreeBlock));
        }

        [TestMethod]
        public void Fnl_FreeOfNull_IsReportedByDefault_AndCannotBeSwitchedOff()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            CheckerTesting.Free(c, 0, "Main.cs", 40);
            CheckerTesting.Expect(sink, CheckerTesting.Lines(
                "From Checker: (fnl) free called with a null argument.",
                "When freeing address 0x00000000",
                "The call was made from: Main.cs(40)"));
            Assert.AreEqual(1, c.ErrorCount(CheckerError.FreeNull));
            Assert.IsTrue(c.SetOptions("-e=fnl"));
            Assert.IsFalse(c.SetOptions("-n=fnl"));
            CheckerTesting.Expect(sink, CheckerTesting.Lines(
                "From Checker: (bda) bad option for Checker.",
                "In \"-n=fnl\": fnl cannot be switched off.",
                CheckerHeap.OptionsUsage));
            CheckerTesting.Free(c, 0, "Main.cs", 41);
            Assert.AreEqual(2, c.ErrorCount(CheckerError.FreeNull));
            CheckerTesting.Valid(c);
        }

        [TestMethod]
        public void Rec_MallocFromAnAllocationHook_IsRefused()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            int inner = -1;
            c.DebugHeap.SetAllocHook(delegate(int allocType, int userData, int size, int blockUse, int request, string file, int line)
            {
                if (allocType == HookType.ALLOC)
                {
                    inner = c.Malloc(8, BlockType.Normal, "Hook.cs", 7);
                }
                else if (allocType == HookType.FREE)
                {
                    c.Free(userData, "Hook.cs", 8);
                }

                return true;
            });
            int p = c.Malloc(64, BlockType.Normal, "Main.cs", 50);
            Assert.AreNotEqual(0, p);
            Assert.AreEqual(0, inner);
            c.Free(p, "Main.cs", 51);
            c.SetOptions("-a=0");
            CheckerTesting.Expect(sink, CheckerTesting.Lines(
                "From Checker: (rec) recursive use of malloc.",
                "When calling malloc(8) inside another allocator call (an allocation hook?): refused",
                "The call was made from: Hook.cs(7)",
                "From Checker: (rec) recursive use of malloc.",
                "When calling free(0x0000393C) inside another allocator call (an allocation hook?): refused",
                "The call was made from: Hook.cs(8)"));
            Assert.AreEqual(2, c.ErrorCount(CheckerError.Recursive));
            c.DebugHeap.SetAllocHook(null);
            CheckerTesting.Valid(c);
        }

        [TestMethod]
        public void Oom_Realloc_ReportsAndKeepsTheBlock()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            int p = CheckerTesting.Malloc(c, 64, "A.cs", 1);
            c.WriteInt32(p, 9, "A.cs", 2);
            Assert.AreEqual(0, c.Realloc(p, 60000, "A.cs", 3));
            CheckerTesting.Expect(sink, CheckerTesting.Lines(
                "From Checker: (oom) out of memory.",
                "When reallocating 0x0000393C to 60000 byte(s): 3968 byte(s) free in the heap, largest free run 0; the break (0x00004920) may grow by 45792 byte(s) up to the stack zone (0x0000FC00)",
                "The call was made from: A.cs(3)"));
            Assert.AreEqual(9, c.ReadInt32(p, "A.cs", 4));
            Assert.AreEqual("", sink.Text);
            CheckerTesting.Valid(c);
        }

        [TestMethod]
        public void Oom_AgedBlocksAreGivenBackBeforeGivingUp()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            int a = CheckerTesting.Malloc(c, 20000, "A.cs", 1);
            int b = CheckerTesting.Malloc(c, 20000, "A.cs", 2);
            CheckerTesting.Free(c, a, "A.cs", 3);
            CheckerTesting.Free(c, b, "A.cs", 4);
            Assert.AreEqual(2, c.AgingCount);
            int d = CheckerTesting.Malloc(c, 40000, "A.cs", 5);
            Assert.AreNotEqual(0, d);
            Assert.AreEqual(0, c.AgingCount);
            Assert.AreEqual("", sink.Text);
        }

        [TestMethod]
        public void Realloc_ZeroAndNull()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            int p = CheckerTesting.Realloc(c, 0, 10, "A.cs", 1);
            Assert.AreNotEqual(0, p);
            Assert.AreEqual(1, c.LiveBlocks);
            Assert.AreEqual(0, CheckerTesting.Realloc(c, p, 0, "A.cs", 2));
            Assert.AreEqual(0, c.LiveBlocks);
            Assert.AreEqual(1, c.AgingCount);
            Assert.AreEqual("", sink.Text);
        }
    }
}
