using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class DebugFreeTests
    {
        [TestMethod]
        public void Free_FillsTheWholeBlockWithDD_AndGivesItBack()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            int keep = DebugTesting.Malloc(d, 64, "a.cs", 1);
            int p = DebugTesting.Malloc(d, 64, "a.cs", 2);
            Assert.AreEqual(DebugHeapError.None, DebugTesting.Free(d, p, "a.cs", 3));
            // The base heap's free-fragment links take the first 8 bytes; the rest is 0xDD.
            DebugTesting.AllBytes(d.Memory, p - 28 + 8, 96 - 8, 0xDD);
            Assert.AreEqual("1:frag128(31/32,next 1)", d.Heap.Describe());
            DebugStats s = d.Stats();
            Assert.AreEqual(1, s.LinkedBlocks);
            Assert.AreEqual(64, s.CurrentBytes);
            Assert.AreEqual(128, s.HighWaterBytes);
            Assert.AreEqual(128L, s.TotalBytes);
            Assert.AreEqual("", sink.Text);
            Assert.AreEqual(DebugHeapError.None, DebugTesting.Free(d, keep, "a.cs", 4));
            Assert.AreEqual("1:free(1)", d.Heap.Describe());
        }

        [TestMethod]
        public void Free_OfZero_DoesNothing()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            Assert.AreEqual(DebugHeapError.None, DebugTesting.Free(d, 0, "a.cs", 1));
            Assert.AreEqual("", sink.Text);
        }

        [TestMethod]
        public void Free_Twice_IsReportedWithoutTouchingTheHeap()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            DebugTesting.Malloc(d, 64, "Sensors.cs", 117);
            int p = DebugTesting.Malloc(d, 64, "Sensors.cs", 118);
            DebugTesting.Free(d, p, "Main.cs", 20);
            string table = d.Heap.Describe();
            Assert.AreEqual(DebugHeapError.FreeMemory, DebugTesting.Free(d, p, "Main.cs", 21));
            Assert.AreEqual(DebugTesting.Lines(
                "Main.cs(21) : Assertion failed: _CrtIsValidHeapPointer(block)",
                "free(0x000000A4): address is free memory (freed already, or never allocated)."), sink.Text);
            Assert.AreEqual(table, d.Heap.Describe());
            Assert.AreEqual((int)DebugHeapError.FreeMemory, (int)d.LastError);
            Assert.AreEqual(1, d.Stats().Faults);
        }

        [TestMethod]
        public void Free_OfAnInteriorAddress_NamesTheBlockAndItsSite()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            int p = DebugTesting.Malloc(d, 64, "src/Sensors.cs", 117);
            Assert.AreEqual(DebugHeapError.Interior, DebugTesting.Free(d, p + 1, "Main.cs", 40));
            Assert.AreEqual(DebugTesting.Lines(
                "Main.cs(40) : Assertion failed: _CrtIsValidHeapPointer(block)",
                "free(0x00000025): address is inside a block, not at its start: Normal block (#1) at 0x00000024, 64 bytes long.",
                "Memory allocated at Sensors.cs(117)."), sink.Text);
            Assert.AreEqual(64, d.MSize(p));
        }

        [TestMethod]
        [DataRow(-4)]
        [DataRow(-1)]
        [DataRow(20)]
        [DataRow(63)]
        [DataRow(64)]
        [DataRow(67)]
        public void Free_InsideABlock_IsRejected(int delta)
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            int p = DebugTesting.Malloc(d, 64, "a.cs", 1);
            DebugTesting.Malloc(d, 64, "a.cs", 2);
            string table = d.Heap.Describe();
            Assert.AreEqual(DebugHeapError.Interior, DebugTesting.Free(d, p + delta, "a.cs", 3));
            Assert.AreEqual(table, d.Heap.Describe());
            Assert.IsTrue(sink.Text.IndexOf("Normal block (#1) at 0x00000024, 64 bytes long.\n") > 0, sink.Text);
        }

        [TestMethod]
        [DataRow(-5)]
        [DataRow(0x7FFFFFFF)]
        [DataRow(65536)]
        [DataRow(40000)]
        public void Free_OfAWildAddress_IsReported(int address)
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            DebugTesting.Malloc(d, 64, "a.cs", 1);
            Assert.AreEqual(DebugHeapError.NotInHeap, DebugTesting.Free(d, address, "Main.cs", 7));
            Assert.AreEqual(DebugTesting.Lines(
                "Main.cs(7) : Assertion failed: _CrtIsValidHeapPointer(block)",
                "free(" + DebugTesting.Hex(address) + "): address is not in the heap."), sink.Text);
        }

        [TestMethod]
        public void Free_OfABaseHeapBlock_IsReportedAsADamagedHeader()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            int raw = d.Heap.Malloc(4096);
            d.Heap.Fill(raw, 0, 4096, 0x11);
            Assert.AreEqual(DebugHeapError.BadHeaderBlockUse, DebugTesting.Free(d, raw + 28, "Main.cs", 7));
            Assert.AreEqual(DebugTesting.Lines(
                "Main.cs(7) : Assertion failed: is_block_type_valid(header->_block_use)",
                "free(0x00000024): the header's block use is not a block type."), sink.Text);
        }

        [TestMethod]
        public void Free_WithTheWrongClientSubtype_IsRefused()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            int p = DebugTesting.Malloc(d, 16, BlockType.ClientBlock(2), "Radio.cs", 40);
            Assert.AreEqual(DebugHeapError.WrongBlockType, d.Free(p, BlockType.ClientBlock(3), "Main.cs", 50));
            Assert.AreEqual(DebugTesting.Lines(
                "Main.cs(50) : Assertion failed: header->_block_use == block_use || header->_block_use == _CRT_BLOCK && block_use == _NORMAL_BLOCK",
                "free(0x00000024): the block use given is not the block's: Client block (#1) at 0x00000024, 16 bytes long.",
                "Memory allocated at Radio.cs(40)."), sink.Text);
            Assert.AreEqual(BlockType.ClientBlock(2), d.ReportBlockType(p));
            Assert.AreEqual(DebugHeapError.None, d.Free(p, BlockType.ClientBlock(2), "Main.cs", 51));
            DebugTesting.Valid(d);
        }

        [TestMethod]
        public void Free_WithNormal_AcceptsEveryBlockType()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            int c = DebugTesting.Malloc(d, 16, BlockType.ClientBlock(9), "a.cs", 1);
            int r = DebugTesting.Malloc(d, 16, BlockType.Crt, "a.cs", 2);
            Assert.AreEqual(DebugHeapError.None, DebugTesting.Free(d, c, "a.cs", 3));
            Assert.AreEqual(DebugHeapError.None, DebugTesting.Free(d, r, "a.cs", 4));
            Assert.AreEqual("", sink.Text);
        }

        [TestMethod]
        [DataRow(-4)]
        [DataRow(-3)]
        [DataRow(-2)]
        [DataRow(-1)]
        public void Free_WithTheLeadingGuardDamaged_ReportsAndFrees(int at)
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            int p = DebugTesting.Malloc(d, 64, "src/Sensors.cs", 117);
            d.Memory[p + at] = 0;
            Assert.AreEqual(DebugHeapError.GuardBefore, DebugTesting.Free(d, p, "Main.cs", 3));
            Assert.AreEqual(DebugTesting.Lines(
                "HEAP CORRUPTION DETECTED: before Normal block (#1) at 0x00000024.",
                "CRT detected that the application wrote to memory before start of heap buffer.",
                "",
                "Memory allocated at Sensors.cs(117)."), sink.Text);
            Assert.AreEqual(0, d.Stats().LinkedBlocks);
            Assert.AreEqual("1:free(1)", d.Heap.Describe());
        }

        [TestMethod]
        [DataRow(0)]
        [DataRow(1)]
        [DataRow(2)]
        [DataRow(3)]
        public void Free_WithTheTrailingGuardDamaged_ReportsAndFrees(int at)
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            int p = DebugTesting.Malloc(d, 10, null, 0);
            d.Memory[p + 10 + at] = 0x41;
            Assert.AreEqual(DebugHeapError.GuardAfter, DebugTesting.Free(d, p, "Main.cs", 3));
            Assert.AreEqual(DebugTesting.Lines(
                "HEAP CORRUPTION DETECTED: after Normal block (#1) at 0x00000024.",
                "CRT detected that the application wrote to memory after end of heap buffer."), sink.Text);
            Assert.AreEqual(0, d.Stats().LinkedBlocks);
        }

        [TestMethod]
        public void Free_WithBothGuardsDamaged_ReportsBoth()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            int p = DebugTesting.Malloc(d, 10, BlockType.ClientBlock(1), "x/App.cs", 5);
            d.Memory[p - 1] = 0;
            d.Memory[p + 10] = 0;
            Assert.AreEqual(DebugHeapError.GuardBefore, DebugTesting.Free(d, p, "Main.cs", 3));
            Assert.AreEqual(DebugTesting.Lines(
                "HEAP CORRUPTION DETECTED: before Client block (#1) at 0x00000024.",
                "CRT detected that the application wrote to memory before start of heap buffer.",
                "",
                "Memory allocated at App.cs(5).",
                "HEAP CORRUPTION DETECTED: after Client block (#1) at 0x00000024.",
                "CRT detected that the application wrote to memory after end of heap buffer.",
                "",
                "Memory allocated at App.cs(5)."), sink.Text);
            Assert.AreEqual(2, d.Stats().Faults);
        }

        [TestMethod]
        public void DelayFree_KeepsAFreeBlockFilledWithDD()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            d.SetDbgFlag(DbgFlag.ALLOC_MEM_DF | DbgFlag.DELAY_FREE_MEM_DF);
            int p = DebugTesting.Malloc(d, 64, "Sensors.cs", 117);
            d.Fill(p, 0, 64, 0x55);
            Assert.AreEqual(DebugHeapError.None, DebugTesting.Free(d, p, "Main.cs", 3));
            Assert.AreEqual(BlockType.Free, d.ReportBlockType(p));
            Assert.IsTrue(d.IsValidHeapPointer(p));
            DebugTesting.AllBytes(d.Memory, p, 64, 0xDD);
            DebugTesting.AllBytes(d.Memory, p - 4, 4, 0xFD);
            DebugTesting.AllBytes(d.Memory, p + 64, 4, 0xFD);
            Assert.AreEqual("1:frag128(31/32,next 1)", d.Heap.Describe());   // still held
            MemState s = new MemState();
            d.MemCheckpoint(s);
            Assert.AreEqual(1, s.Counts[BlockType.Free]);
            Assert.AreEqual(64, s.Sizes[BlockType.Free]);
            Assert.AreEqual(0, s.Counts[BlockType.Normal]);
            Assert.AreEqual(0, d.Stats().CurrentBytes);
            Assert.IsTrue(d.CheckMemory());
            Assert.IsFalse(d.DumpMemoryLeaks());
            Assert.AreEqual("", sink.Text);
        }

        [TestMethod]
        public void DelayFree_WriteAfterFree_IsFoundByCheckMemory()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            d.SetDbgFlag(DbgFlag.ALLOC_MEM_DF | DbgFlag.DELAY_FREE_MEM_DF);
            int p = DebugTesting.Malloc(d, 64, "src/Sensors.cs", 117);
            DebugTesting.Free(d, p, "Main.cs", 3);
            d.Memory[p + 63] = 7;   // a write through the stale pointer
            Assert.IsFalse(d.CheckMemory());
            Assert.AreEqual(DebugTesting.Lines(
                "HEAP CORRUPTION DETECTED: on top of Free block at 0x00000024.",
                "CRT detected that the application wrote to a heap buffer that was freed.",
                "",
                "Memory allocated at Sensors.cs(117).",
                "Free located at 0x00000024 is 64 bytes long.",
                "",
                "Memory allocated at Sensors.cs(117)."), sink.Text);
            DebugTesting.Valid(d);
        }

        [TestMethod]
        public void DelayFree_FreeingAgain_IsADoubleFree()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            d.SetDbgFlag(DbgFlag.ALLOC_MEM_DF | DbgFlag.DELAY_FREE_MEM_DF);
            int p = DebugTesting.Malloc(d, 64, "src/Sensors.cs", 117);
            DebugTesting.Free(d, p, "Main.cs", 3);
            Assert.AreEqual(DebugHeapError.AlreadyFreed, DebugTesting.Free(d, p, "Main.cs", 4));
            Assert.AreEqual(DebugTesting.Lines(
                "Main.cs(4) : Assertion failed: is_block_type_valid(header->_block_use)",
                "free(0x00000024): block was freed already: Free block (#1) at 0x00000024, 64 bytes long.",
                "Memory allocated at Sensors.cs(117)."), sink.Text);
            Assert.AreEqual(1, d.Stats().FreeBlocks);
        }

        [TestMethod]
        public void DelayFree_DamagedGuardIsReportedOnceThenRepaired()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            d.SetDbgFlag(DbgFlag.ALLOC_MEM_DF | DbgFlag.DELAY_FREE_MEM_DF);
            int p = DebugTesting.Malloc(d, 8, null, 0);
            d.Memory[p + 8] = 0;
            Assert.AreEqual(DebugHeapError.GuardAfter, DebugTesting.Free(d, p, "Main.cs", 4));
            Assert.AreEqual(2, CountLines(sink.Text));   // no file: no "Memory allocated at" line
            sink.Clear();
            Assert.IsTrue(d.CheckMemory());
            Assert.AreEqual("", sink.Text);
        }

        [TestMethod]
        public void DelayFree_BlocksAreGivenBackWhenTheArenaIsFull()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            d.SetDbgFlag(DbgFlag.ALLOC_MEM_DF | DbgFlag.DELAY_FREE_MEM_DF);
            int a = DebugTesting.Malloc(d, 8 * 4096, "a.cs", 1);
            int b = DebugTesting.Malloc(d, 4 * 4096, "a.cs", 2);
            DebugTesting.Free(d, a, "a.cs", 3);
            d.Memory[a + 100] = 1;   // written after free: reported when it is given back
            DebugTesting.Free(d, b, "a.cs", 4);
            Assert.AreEqual(2, d.Stats().FreeBlocks);
            int c = DebugTesting.Malloc(d, 10 * 4096, "a.cs", 5);
            Assert.AreNotEqual(0, c);
            DebugStats s = d.Stats();
            Assert.AreEqual(0, s.FreeBlocks);
            Assert.AreEqual(2, s.ReleasedFreeBlocks);
            Assert.AreEqual(1, s.LinkedBlocks);
            Assert.AreEqual(DebugTesting.Lines(
                "HEAP CORRUPTION DETECTED: on top of Free block at 0x00000024.",
                "CRT detected that the application wrote to a heap buffer that was freed.",
                "",
                "Memory allocated at a.cs(1)."), sink.Text);
        }

        [TestMethod]
        public void ReleaseDelayedFreeBlocks_GivesEveryFreeBlockBack()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            d.SetDbgFlag(DbgFlag.ALLOC_MEM_DF | DbgFlag.DELAY_FREE_MEM_DF);
            int a = DebugTesting.Malloc(d, 8, "a.cs", 1);
            int b = DebugTesting.Malloc(d, 8, "a.cs", 2);
            int c = DebugTesting.Malloc(d, 8, "a.cs", 3);
            DebugTesting.Free(d, a, "a.cs", 4);
            DebugTesting.Free(d, c, "a.cs", 5);
            Assert.AreEqual(2, d.ReleaseDelayedFreeBlocks());
            DebugTesting.Valid(d);
            Assert.AreEqual(1, d.Stats().LinkedBlocks);
            Assert.AreEqual(BlockType.Normal, d.ReportBlockType(b));
            Assert.AreEqual(-1, d.ReportBlockType(a));
            Assert.AreEqual("", sink.Text);
        }

        [TestMethod]
        public void ReleaseDelayedFreeBlocks_WhenEveryBlockIsFree_EmptiesTheList()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            d.SetDbgFlag(DbgFlag.ALLOC_MEM_DF | DbgFlag.DELAY_FREE_MEM_DF);
            int[] p = new int[5];
            for (int i = 0; i < 5; i++)
            {
                p[i] = DebugTesting.Malloc(d, 8 + i, "a.cs", i);
            }

            for (int i = 0; i < 5; i++)
            {
                DebugTesting.Free(d, p[i], "a.cs", 10 + i);
            }

            Assert.AreEqual(5, d.ReleaseDelayedFreeBlocks());
            DebugTesting.Valid(d);
            Assert.AreEqual(0, d.Stats().LinkedBlocks);
            Assert.AreEqual("1:free(1)", d.Heap.Describe());
        }

        [TestMethod]
        public void Free_OfAnIgnoreBlockWhileTrackingIsOn_Works()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            d.SetDbgFlag(0);
            int p = DebugTesting.Malloc(d, 8, "a.cs", 1);
            d.SetDbgFlag(DbgFlag.ALLOC_MEM_DF | DbgFlag.DELAY_FREE_MEM_DF);
            Assert.AreEqual(DebugHeapError.None, DebugTesting.Free(d, p, "a.cs", 2));
            Assert.AreEqual(-1, d.ReportBlockType(p));   // ignore blocks are never delayed
            Assert.AreEqual("", sink.Text);
        }

        private static int CountLines(string text)
        {
            int n = 0;
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] == '\n')
                {
                    n++;
                }
            }

            return n;
        }
    }
}
