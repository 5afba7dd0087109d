using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class DebugCheckMemoryTests
    {
        [TestMethod]
        public void CheckMemory_OfAHealthyHeap_SaysNothing()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            Assert.IsTrue(d.CheckMemory());
            for (int i = 0; i < 20; i++)
            {
                DebugTesting.Malloc(d, i * 50, "a.cs", i);
            }

            Assert.IsTrue(d.CheckMemory());
            Assert.AreEqual("", sink.Text);
            Assert.AreEqual(2, d.Stats().Checks);
        }

        [TestMethod]
        [DataRow(-4, true)]
        [DataRow(-3, true)]
        [DataRow(-2, true)]
        [DataRow(-1, true)]
        [DataRow(64, false)]
        [DataRow(65, false)]
        [DataRow(66, false)]
        [DataRow(67, false)]
        public void CheckMemory_FindsDamageAtEveryGuardByte(int at, bool before)
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            int p = DebugTesting.Malloc(d, 64, "src/Sensors.cs", 117);
            DebugTesting.Malloc(d, 64, "a.cs", 2);
            DebugTesting.Malloc(d, 16, "a.cs", 3);
            d.Memory[p + at] = 0xFC;
            Assert.IsFalse(d.CheckMemory());
            string where = before ? "before" : "after";
            string what = before ? "memory before start of heap buffer." : "memory after end of heap buffer.";
            Assert.AreEqual(DebugTesting.Lines(
                "HEAP CORRUPTION DETECTED: " + where + " Normal block (#1) at 0x00000024.",
                "CRT detected that the application wrote to " + what,
                "",
                "Memory allocated at Sensors.cs(117).",
                "Normal located at 0x00000024 is 64 bytes long.",
                "",
                "Memory allocated at Sensors.cs(117)."), sink.Text);

            // Reported again by every check until the block is freed (as in the CRT).
            sink.Clear();
            Assert.IsFalse(d.CheckMemory());
            Assert.AreEqual(2, d.Stats().Faults);
            DebugTesting.Free(d, p, "a.cs", 4);
            sink.Clear();
            Assert.IsTrue(d.CheckMemory());
            Assert.AreEqual("", sink.Text);
        }

        [TestMethod]
        [DataRow(0)]
        [DataRow(1)]
        [DataRow(31)]
        [DataRow(63)]
        public void CheckMemory_FindsAWriteAfterFreeAtAnyByte(int at)
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            d.SetDbgFlag(DbgFlag.ALLOC_MEM_DF | DbgFlag.DELAY_FREE_MEM_DF);
            int p = DebugTesting.Malloc(d, 64, null, 0);
            DebugTesting.Free(d, p, "a.cs", 2);
            d.Memory[p + at] = 0;
            Assert.IsFalse(d.CheckMemory());
            Assert.AreEqual(DebugTesting.Lines(
                "HEAP CORRUPTION DETECTED: on top of Free block at 0x00000024.",
                "CRT detected that the application wrote to a heap buffer that was freed.",
                "Free located at 0x00000024 is 64 bytes long."), sink.Text);
        }

        [TestMethod]
        [DataRow(4, 9, "the header's block use is not a block type")]
        [DataRow(4, 0x10003, "the header's block use is not a block type")]
        [DataRow(16, 97, "the header's requested size does not fit its heap block")]
        [DataRow(16, -1, "the header's requested size does not fit its heap block")]
        [DataRow(20, 4, "the header's request number was never given out")]
        [DataRow(20, 0, "the header's request number was never given out")]
        [DataRow(0, (2 << 20) | 7, "the header's file index is not in the file-name table")]
        [DataRow(0, -1, "the header's file index is not in the file-name table")]
        public void CheckMemory_ReportsADamagedHeaderField(int field, int value, string message)
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            DebugTesting.Malloc(d, 64, "a.cs", 1);
            int p = DebugTesting.Malloc(d, 64, "a.cs", 2);
            DebugTesting.Malloc(d, 64, "a.cs", 3);
            Bytes.PutInt32(d.Memory, p - 28 + field, value);
            Assert.IsFalse(d.CheckMemory());

            // The request number and the site are shown when their own fields look right.
            string number = field == 20 ? "" : " (#2)";
            string site = field == 0 ? "" : "Memory allocated at a.cs(2).\n";
            Assert.AreEqual(
                "Bad memory block found at " + DebugTesting.Hex(p) + ".\n" +
                "Block header damaged: " + message + number + ".\n" + site, sink.Text);

            // The pointer is refused everywhere, the heap left alone.
            sink.Clear();
            string table = d.Heap.Describe();
            DebugHeapError e = d.Free(p, BlockType.Normal, "Main.cs", 9);
            Assert.IsTrue(DebugHeapException.IsBadHeader(e));
            Assert.AreEqual(
                "Main.cs(9) : Assertion failed: " + (field == 4 ? "is_block_type_valid(header->_block_use)" : "_CrtIsValidHeapPointer(block)") + "\n" +
                "free(" + DebugTesting.Hex(p) + "): " + message + number + ".\n" + site, sink.Text);
            Assert.AreEqual(table, d.Heap.Describe());
            Assert.AreEqual(-1, d.ReportBlockType(p));
            Assert.IsFalse(d.IsValidHeapPointer(p));
            Assert.AreEqual(-1, d.MSize(p));
            Assert.AreEqual(0, d.Realloc(p, 5));
        }

        [TestMethod]
        public void Free_OfABlockWithDamagedLinks_IsRefused()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            DebugTesting.Malloc(d, 64, "a.cs", 1);
            int p = DebugTesting.Malloc(d, 64, "a.cs", 2);
            DebugTesting.Malloc(d, 64, "a.cs", 3);
            Bytes.PutInt32(d.Memory, p - 28 + 8, 4096);   // next
            Assert.AreEqual(DebugHeapError.BadHeaderLinks, d.Free(p, BlockType.Normal, "Main.cs", 9));
            Assert.AreEqual(DebugTesting.Lines(
                "Main.cs(9) : Assertion failed: _CrtIsValidHeapPointer(block)",
                "free(" + DebugTesting.Hex(p) + "): the header's list links do not match its neighbours (#2).",
                "Memory allocated at a.cs(2)."), sink.Text);
        }

        [TestMethod]
        public void CheckMemory_ABrokenNextLink_EndsTheWalk()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            DebugTesting.Malloc(d, 8, "a.cs", 1);
            int b = DebugTesting.Malloc(d, 8, "a.cs", 2);
            DebugTesting.Malloc(d, 8, "a.cs", 3);
            Bytes.PutInt32(d.Memory, b - 28 + 8, 12345);   // next
            Assert.IsFalse(d.CheckMemory());
            Assert.AreEqual(DebugTesting.Lines(
                "HEAP CORRUPTION DETECTED: debug block list damaged at " + DebugTesting.Hex(b) + ".",
                "Block list: the next link does not lead to a block that links back."), sink.Text);
            Assert.IsNotNull(d.Validate());
        }

        [TestMethod]
        public void CyclicList_EndsEveryWalk()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            int a = DebugTesting.Malloc(d, 8, BlockType.ClientBlock(1), "a.cs", 1);
            int b = DebugTesting.Malloc(d, 8, BlockType.ClientBlock(1), "a.cs", 2);
            int c = DebugTesting.Malloc(d, 8, BlockType.ClientBlock(1), "a.cs", 3);

            // The oldest block's next leads back to the newest, whose prev leads to the oldest: a
            // ring in both directions.
            Bytes.PutInt32(d.Memory, a - 28 + 8, c - 28);    // a.next
            Bytes.PutInt32(d.Memory, c - 28 + 12, a - 28);   // c.prev
            Assert.IsFalse(d.CheckMemory());
            Assert.AreEqual(DebugTesting.Lines(
                "HEAP CORRUPTION DETECTED: debug block list damaged at its head.",
                "Block list: the next link does not lead to a block that links back."), sink.Text);
            Assert.IsNotNull(d.Validate());

            sink.Clear();
            Assert.IsTrue(d.DumpMemoryLeaks());
            Assert.AreEqual(DebugTesting.Lines(
                "Detected memory leaks!",
                "Dumping objects ->",
                "HEAP CORRUPTION DETECTED: debug block list damaged at its head.",
                "Block list: the next link does not lead to a block that links back.",
                "Object dump complete."), sink.Text);

            int[] seen = new int[1];
            d.DoForAllClientObjects((p, context) => seen[0]++, null);
            Assert.AreEqual(0, seen[0]);
            BlockInfo info = new BlockInfo();
            Assert.IsTrue(d.FindBlock(b + 1, info));   // a bounded walk by next links
            Assert.AreEqual(b, info.Pointer);
            Assert.AreEqual(DebugHeapError.Interior, d.Free(b + 1, BlockType.Normal, "a.cs", 4));
            Assert.AreEqual(0, d.ReleaseDelayedFreeBlocks());
        }

        [TestMethod]
        public void CyclicList_ThatIsASelfLoop_EndsTheWalk()
        {
            // b's next is itself: the second visit finds b's prev is not b. Every cycle fails that
            // test somewhere (a node reached twice has two different predecessors); the bound on
            // the walk's length (the linked-block count) is the backstop.
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            DebugTesting.Malloc(d, 8, "a.cs", 1);
            int b = DebugTesting.Malloc(d, 8, "a.cs", 2);
            Bytes.PutInt32(d.Memory, b - 28 + 8, b - 28);    // b.next
            Bytes.PutInt32(d.Memory, b - 28 + 12, 0);        // b.prev
            Assert.IsFalse(d.CheckMemory());
            Assert.AreEqual(DebugTesting.Lines(
                "HEAP CORRUPTION DETECTED: debug block list damaged at " + DebugTesting.Hex(b) + ".",
                "Block list: the next link does not lead to a block that links back."), sink.Text);
        }

        [TestMethod]
        public void CheckMemory_ReportsTheBaseHeapsDamage()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            DebugTesting.Malloc(d, 8, "a.cs", 1);
            d.Heap.Arena.Sbrk(8);   // the break moved behind the base heap's back
            Assert.IsFalse(d.CheckMemory());
            Assert.AreEqual("_heapchk fails: " + d.Heap.Validate() + ".\n", sink.Text);
            Assert.AreEqual("_heapchk fails: heap ends at 0x00001008 but the break is 0x00001010.\n", sink.Text);
        }

        [TestMethod]
        [DataRow(1)]
        [DataRow(2)]
        [DataRow(4)]
        public void CheckMemory_ABlockUseDamagedIntoAnotherType_DisagreesWithTheStatistics(int use)
        {
            // A delay-freed Free block whose block use became a live type: its header is plausible
            // and its guards are whole, but the statistics every operation keeps (what
            // MemCheckpoint and the dumps show) still count it Free.
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            d.SetDbgFlag(DbgFlag.ALLOC_MEM_DF | DbgFlag.DELAY_FREE_MEM_DF);
            int p = DebugTesting.Malloc(d, 64, "a.cs", 1);
            DebugTesting.Malloc(d, 64, "a.cs", 2);
            DebugTesting.Free(d, p, "a.cs", 3);
            Bytes.PutInt32(d.Memory, p - 28 + 4, use);
            Assert.IsFalse(d.CheckMemory());
            string statistics = "statistics: Free blocks counted 0 (0 bytes), kept 1 (64 bytes)";
            Assert.AreEqual("HEAP CORRUPTION DETECTED: debug block headers damaged: " + statistics + ".\n", sink.Text);
            Assert.AreEqual(statistics, d.Validate());
            Assert.AreEqual(1, d.Stats().Faults);
        }

        [TestMethod]
        public void CheckMemory_ASizeDamagedWhereTheGuardStillLooksWhole_DisagreesWithTheStatistics()
        {
            // The size word says 60 where the block holds 64, and the 4 bytes at 60 happen to be
            // 0xFD: the guards look whole at either size, the statistics do not.
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            DebugTesting.Malloc(d, 64, "a.cs", 1);
            int p = DebugTesting.Malloc(d, 64, "a.cs", 2);
            Bytes.PutInt32(d.Memory, p - 28 + 16, 60);
            Bytes.PutInt32(d.Memory, p + 60, unchecked((int)0xFDFDFDFD));
            Assert.IsFalse(d.CheckMemory());
            string statistics = "statistics: Normal blocks counted 2 (124 bytes), kept 2 (128 bytes)";
            Assert.AreEqual("HEAP CORRUPTION DETECTED: debug block headers damaged: " + statistics + ".\n", sink.Text);
            Assert.AreEqual(statistics, d.Validate());
        }

        [TestMethod]
        public void CheckMemory_ARequestNumberDamagedIntoAnOlderOne_IsOutOfOrder()
        {
            // Request 3 became 1, a number given out: the list runs newest first, so the block
            // after it (request 2) is out of order.
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            DebugTesting.Malloc(d, 8, "a.cs", 1);
            int b = DebugTesting.Malloc(d, 8, "a.cs", 2);
            int c = DebugTesting.Malloc(d, 8, "a.cs", 3);
            Bytes.PutInt32(d.Memory, c - 28 + 20, 1);
            Assert.IsFalse(d.CheckMemory());
            string order = "debug block " + DebugTesting.Hex(b) + ": request 2 after 1 (not newest first)";
            Assert.AreEqual("HEAP CORRUPTION DETECTED: debug block headers damaged: " + order + ".\n", sink.Text);
            Assert.AreEqual(order, d.Validate());
        }

        [TestMethod]
        public void CheckMemory_DamagedHeaders_AreErrRecords()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.NewWithRecords(sink);
            DebugTesting.Malloc(d, 8, "a.cs", 1);
            int b = DebugTesting.Malloc(d, 8, "a.cs", 2);
            int c = DebugTesting.Malloc(d, 8, "a.cs", 3);
            Bytes.PutInt32(d.Memory, c - 28 + 20, 1);
            Assert.IsFalse(d.CheckMemory());
            string[] lines = ReportTesting.Lines(sink.Text);
            Assert.AreEqual(2, lines.Length);
            Assert.AreEqual("@CN1 ERR n=1 code=7 name=bad-header-req op=check addr=" + DebugTesting.Hex(b) + " block=" + DebugTesting.Hex(b) + " bsize=8 req=2 type=1 aline=2 afile=a.cs",
                ReportTesting.CheckedBody(lines[1]));

            // The statistics: no one block to name.
            Bytes.PutInt32(d.Memory, c - 28 + 20, 3);
            Bytes.PutInt32(d.Memory, c - 28 + 16, 4);
            Bytes.PutInt32(d.Memory, c + 4, unchecked((int)0xFDFDFDFD));
            sink.Clear();
            Assert.IsFalse(d.CheckMemory());
            lines = ReportTesting.Lines(sink.Text);
            Assert.AreEqual(2, lines.Length);
            Assert.AreEqual("HEAP CORRUPTION DETECTED: debug block headers damaged: statistics: Normal blocks counted 3 (20 bytes), kept 3 (24 bytes).", lines[0]);
            Assert.AreEqual("@CN1 ERR n=2 code=6 name=bad-header-size op=check", ReportTesting.CheckedBody(lines[1]));
        }

        [TestMethod]
        public void CheckMemory_WithTrackingOff_ChecksNothing()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            int p = DebugTesting.Malloc(d, 8, "a.cs", 1);
            d.Memory[p + 8] = 0;
            d.SetDbgFlag(0);
            Assert.IsTrue(d.CheckMemory());
            Assert.AreEqual("", sink.Text);
        }

        [TestMethod]
        [DataRow(DbgFlag.CHECK_ALWAYS_DF, 1)]
        [DataRow(DbgFlag.CHECK_EVERY_16_DF, 16)]
        [DataRow(DbgFlag.CHECK_EVERY_128_DF, 128)]
        [DataRow(DbgFlag.CHECK_EVERY_1024_DF, 1024)]
        [DataRow(DbgFlag.CHECK_EVERY_16_DF | DbgFlag.CHECK_ALWAYS_DF, 1)]
        [DataRow(0x00030000, 3)]
        public void CheckEveryN_ChecksAtEveryNthOperation(int flag, int n)
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            d.SetDbgFlag(DbgFlag.ALLOC_MEM_DF | flag);
            int held = 0;
            for (int op = 1; op <= 2 * n; op++)
            {
                if (held == 0)
                {
                    held = d.Malloc(1, BlockType.Normal, "a.cs", op);
                }
                else
                {
                    d.Free(held, BlockType.Normal, "a.cs", op);
                    held = 0;
                }

                if (op % n == 0 || op % n == n - 1)
                {
                    Assert.AreEqual(op / n, d.Stats().AutomaticChecks);
                }
            }

            Assert.AreEqual("", sink.Text);
        }

        [TestMethod]
        public void CheckEvery16_ReportsDamageAtTheSixteenthOperation()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            Assert.AreEqual(DbgFlag.ALLOC_MEM_DF, d.SetDbgFlag(DbgFlag.ALLOC_MEM_DF | DbgFlag.CHECK_EVERY_16_DF));
            int p = d.Malloc(8, BlockType.Normal, "Sensors.cs", 117);   // operation 1
            d.Memory[p + 8] = 0;
            for (int i = 2; i <= 15; i++)
            {
                d.Malloc(8, BlockType.Normal, "Main.cs", i);
            }

            Assert.AreEqual("", sink.Text);
            d.Malloc(8, BlockType.Normal, "Main.cs", 16);
            Assert.AreEqual(DebugTesting.Lines(
                "HEAP CORRUPTION DETECTED: after Normal block (#1) at 0x00000024.",
                "CRT detected that the application wrote to memory after end of heap buffer.",
                "",
                "Memory allocated at Sensors.cs(117).",
                "Normal located at 0x00000024 is 8 bytes long.",
                "",
                "Memory allocated at Sensors.cs(117).",
                "Main.cs(16) : Assertion failed: _CrtCheckMemory()"), sink.Text);
            Assert.AreEqual(17, d.NextRequestNumber);   // the allocation still happened
        }

        [TestMethod]
        public void SetDbgFlag_ReturnsTheOldFlag_AndRefusesUnknownBits()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            Assert.AreEqual(DbgFlag.ALLOC_MEM_DF, d.GetDbgFlag());
            int all = DbgFlag.ALLOC_MEM_DF | DbgFlag.DELAY_FREE_MEM_DF | DbgFlag.CHECK_CRT_DF | DbgFlag.LEAK_CHECK_DF | DbgFlag.CHECK_EVERY_128_DF;
            Assert.AreEqual(DbgFlag.ALLOC_MEM_DF, d.SetDbgFlag(all));
            Assert.AreEqual(all, d.SetDbgFlag(DbgFlag.REPORT_FLAG));
            Assert.AreEqual(all, d.SetDbgFlag(0x08));
            Assert.AreEqual(all, d.SetDbgFlag(0x40 | DbgFlag.ALLOC_MEM_DF));
            Assert.AreEqual(all, d.GetDbgFlag());
            Assert.AreEqual((int)DebugHeapError.BadFlag, (int)d.LastError);
            Assert.AreEqual(DebugTesting.Lines(
                "SetDbgFlag(0x00000008): unknown flag bits.",
                "SetDbgFlag(0x00000041): unknown flag bits."), sink.Text);
        }

        [TestMethod]
        public void ReportBlockType_GivesTheCombinedUseOrMinusOne()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            int n = DebugTesting.Malloc(d, 8, "a.cs", 1);
            int c = DebugTesting.Malloc(d, 8, BlockType.ClientBlock(0x1234), "a.cs", 2);
            int r = DebugTesting.Malloc(d, 8, BlockType.Crt, "a.cs", 3);
            Assert.AreEqual(1, d.ReportBlockType(n));
            Assert.AreEqual(0x12340004, d.ReportBlockType(c));
            Assert.AreEqual(4, BlockType.BLOCK_TYPE(d.ReportBlockType(c)));
            Assert.AreEqual(0x1234, BlockType.BLOCK_SUBTYPE(d.ReportBlockType(c)));
            Assert.AreEqual(2, d.ReportBlockType(r));
            Assert.AreEqual(-1, d.ReportBlockType(n + 1));
            Assert.AreEqual(-1, d.ReportBlockType(0));
            Assert.AreEqual(-1, d.ReportBlockType(60000));
            Assert.AreEqual(-1, d.ReportBlockType(-100));
            Assert.AreEqual("", sink.Text);
        }

        [TestMethod]
        public void IsValidHeapPointer_AndIsMemoryBlock()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            int p = DebugTesting.Malloc(d, 30, "x/Sensors.cs", 117);
            Assert.IsTrue(d.IsValidHeapPointer(p));
            Assert.IsFalse(d.IsValidHeapPointer(p + 4));
            Assert.IsFalse(d.IsValidHeapPointer(p - 28));
            Assert.IsFalse(d.IsValidHeapPointer(0));

            int request;
            string file;
            int line;
            Assert.IsTrue(d.IsMemoryBlock(p, 30, out request, out file, out line));
            Assert.AreEqual(1, request);
            Assert.AreEqual("x/Sensors.cs", file);
            Assert.AreEqual(117, line);
            Assert.IsFalse(d.IsMemoryBlock(p, 31, out request, out file, out line));
            Assert.AreEqual(0, request);
            Assert.IsNull(file);
            Assert.IsFalse(d.IsMemoryBlock(p + 1, 30, out request, out file, out line));

            d.SetDbgFlag(DbgFlag.ALLOC_MEM_DF | DbgFlag.DELAY_FREE_MEM_DF);
            DebugTesting.Free(d, p, "a.cs", 2);
            Assert.IsTrue(d.IsValidHeapPointer(p));                              // still held
            Assert.IsFalse(d.IsMemoryBlock(p, 30, out request, out file, out line));   // but not a live block
            Assert.AreEqual("", sink.Text);
        }
    }
}
