using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class DebugReallocTests
    {
        [TestMethod]
        public void Realloc_GrowingInPlace_FillsTheNewBytesAndMovesTheGuard()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            int a = DebugTesting.Malloc(d, 64, "a.cs", 1);
            HeapTesting.Pattern(d.Memory, a, 64, 3);
            int q = DebugTesting.Realloc(d, a, 80, "b.cs", 2);
            Assert.AreEqual(a, q);   // 112 bytes still fit the 128-byte fragment
            Assert.AreEqual(-1, HeapTesting.CheckPattern(d.Memory, q, 64, 3));
            DebugTesting.AllBytes(d.Memory, q + 64, 16, 0xCD);
            DebugTesting.AllBytes(d.Memory, q + 80, 4, 0xFD);
            DebugTesting.AllBytes(d.Memory, q - 4, 4, 0xFD);
            BlockInfo info = new BlockInfo();
            d.GetBlockInfo(q, info);
            Assert.AreEqual(80, info.Size);
            Assert.AreEqual(2, info.RequestNumber);   // a new request number, the realloc's site
            Assert.AreEqual("b.cs", info.File);
            Assert.AreEqual(2, info.Line);
            Assert.IsTrue(d.CheckMemory());
            Assert.AreEqual("", sink.Text);
        }

        [TestMethod]
        public void Realloc_Moving_KeepsTheData()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            int a = DebugTesting.Malloc(d, 64, "a.cs", 1);
            int b = DebugTesting.Malloc(d, 64, "a.cs", 2);
            HeapTesting.Pattern(d.Memory, a, 64, 5);
            int q = DebugTesting.Realloc(d, a, 200, "a.cs", 3);
            Assert.AreEqual(4104 + 28, q);   // a 256-byte fragment in block 2
            Assert.AreEqual(-1, HeapTesting.CheckPattern(d.Memory, q, 64, 5));
            DebugTesting.AllBytes(d.Memory, q + 64, 136, 0xCD);
            DebugTesting.AllBytes(d.Memory, q + 200, 4, 0xFD);
            Assert.AreEqual(-1, d.ReportBlockType(a));
            Assert.AreEqual(BlockType.Normal, d.ReportBlockType(b));

            int s = DebugTesting.Realloc(d, q, 10, "a.cs", 4);   // shrinks into a 64-byte fragment
            Assert.AreEqual(-1, HeapTesting.CheckPattern(d.Memory, s, 10, 5));
            Assert.AreEqual(10, d.MSize(s));
            DebugStats st = d.Stats();
            Assert.AreEqual(74, st.CurrentBytes);
            Assert.AreEqual(264, st.HighWaterBytes);
            Assert.AreEqual(64L + 64 + 200 + 10, st.TotalBytes);
            Assert.AreEqual("", sink.Text);
        }

        [TestMethod]
        public void Realloc_RelinksTheBlockAtTheHead()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            int a = DebugTesting.Malloc(d, 8, "a.cs", 1);
            int b = DebugTesting.Malloc(d, 8, "a.cs", 2);
            int q = DebugTesting.Realloc(d, a, 9, "a.cs", 3);
            Assert.AreEqual(a, q);
            d.MemDumpAllObjectsSince(null);
            Assert.AreEqual(DebugTesting.Lines(
                "Dumping objects ->",
                "a.cs(3) : {3} normal block at 0x00000024, 9 bytes long.",
                DebugTesting.FilledData(9, "CD"),
                "a.cs(2) : {2} normal block at " + DebugTesting.Hex(b) + ", 8 bytes long.",
                DebugTesting.FilledData(8, "CD"),
                "Object dump complete."), sink.Text);
        }

        [TestMethod]
        public void Realloc_OfZero_IsMalloc_AndToZero_IsFree()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            int[] calls = new int[4];
            d.SetAllocHook((t, u, s, bu, r, f, l) =>
            {
                calls[t]++;
                return true;
            });
            int p = DebugTesting.Realloc(d, 0, 20, "a.cs", 1);
            Assert.AreEqual(20, d.MSize(p));
            Assert.AreEqual(0, DebugTesting.Realloc(d, p, 0, "a.cs", 2));
            Assert.AreEqual(-1, d.ReportBlockType(p));
            Assert.AreEqual(1, calls[HookType.ALLOC]);
            Assert.AreEqual(0, calls[HookType.REALLOC]);
            Assert.AreEqual(1, calls[HookType.FREE]);
        }

        [TestMethod]
        public void Realloc_WhenThereIsNoRoom_KeepsTheOldBlock()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            int a = DebugTesting.Malloc(d, 8 * 4096, "a.cs", 1);
            DebugTesting.Malloc(d, 10, "a.cs", 2);
            HeapTesting.Pattern(d.Memory, a, 8 * 4096, 9);
            Assert.AreEqual(0, DebugTesting.Realloc(d, a, 14 * 4096, "a.cs", 3));
            Assert.AreEqual((int)DebugHeapError.OutOfMemory, (int)d.LastError);
            Assert.AreEqual(8 * 4096, d.MSize(a));
            Assert.AreEqual(-1, HeapTesting.CheckPattern(d.Memory, a, 8 * 4096, 9));
            Assert.IsTrue(d.CheckMemory());
            Assert.AreEqual("", sink.Text);
        }

        [TestMethod]
        public void Realloc_WithDelayFree_MovesAndKeepsTheOldBlockAsFree()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            d.SetDbgFlag(DbgFlag.ALLOC_MEM_DF | DbgFlag.DELAY_FREE_MEM_DF);
            int a = DebugTesting.Malloc(d, 64, "a.cs", 1);
            HeapTesting.Pattern(d.Memory, a, 64, 2);
            int q = DebugTesting.Realloc(d, a, 64, "a.cs", 2);
            Assert.AreEqual(0xA4, q);   // fragment 1 of block 1: the old block stays, delay-freed
            Assert.AreEqual(-1, HeapTesting.CheckPattern(d.Memory, q, 64, 2));
            Assert.AreEqual(BlockType.Free, d.ReportBlockType(a));
            DebugTesting.AllBytes(d.Memory, a, 64, 0xDD);
            d.Memory[a] = 1;   // a write through the old pointer
            Assert.IsFalse(d.CheckMemory());
            Assert.AreEqual(DebugTesting.Lines(
                "HEAP CORRUPTION DETECTED: on top of Free block at 0x00000024.",
                "CRT detected that the application wrote to a heap buffer that was freed.",
                "",
                "Memory allocated at a.cs(1).",
                "Free located at 0x00000024 is 64 bytes long.",
                "",
                "Memory allocated at a.cs(1)."), sink.Text);
            Assert.AreEqual(DebugHeapError.AlreadyFreed, DebugTesting.Free(d, a, "a.cs", 3));
            Assert.AreEqual(0, DebugTesting.Realloc(d, a, 5, "a.cs", 4));
            Assert.AreEqual((int)DebugHeapError.AlreadyFreed, (int)d.LastError);
        }

        [TestMethod]
        public void Realloc_OfABadPointer_IsReportedAndChangesNothing()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            int a = DebugTesting.Malloc(d, 64, "src/Sensors.cs", 117);
            string table = d.Heap.Describe();
            Assert.AreEqual(0, DebugTesting.Realloc(d, a + 8, 100, "Main.cs", 60));
            Assert.AreEqual((int)DebugHeapError.Interior, (int)d.LastError);
            Assert.AreEqual(DebugTesting.Lines(
                "Main.cs(60) : Assertion failed: _CrtIsValidHeapPointer(block)",
                "realloc(0x0000002C): address is inside a block, not at its start: Normal block (#1) at 0x00000024, 64 bytes long.",
                "Memory allocated at Sensors.cs(117)."), sink.Text);
            Assert.AreEqual(table, d.Heap.Describe());
            Assert.AreEqual(2, d.NextRequestNumber);   // a refused realloc takes no request number
        }

        [TestMethod]
        public void Realloc_WithADamagedGuard_ReportsAndResizes()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            int a = DebugTesting.Malloc(d, 8, "a.cs", 1);
            d.Memory[a + 8] = 0;
            int q = DebugTesting.Realloc(d, a, 200, "a.cs", 2);
            Assert.AreNotEqual(0, q);
            Assert.AreEqual((int)DebugHeapError.GuardAfter, (int)d.LastError);
            Assert.AreEqual(DebugTesting.Lines(
                "HEAP CORRUPTION DETECTED: after Normal block (#1) at 0x00000024.",
                "CRT detected that the application wrote to memory after end of heap buffer.",
                "",
                "Memory allocated at a.cs(1)."), sink.Text);
            sink.Clear();
            Assert.IsTrue(d.CheckMemory());
        }

        [TestMethod]
        public void Realloc_KeepsTheClientType_AndRefusesAnotherType()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            int a = DebugTesting.Malloc(d, 8, BlockType.ClientBlock(7), "a.cs", 1);
            int q = DebugTesting.Realloc(d, a, 300, "a.cs", 2);
            Assert.AreEqual(BlockType.ClientBlock(7), d.ReportBlockType(q));
            q = d.Realloc(q, 20, BlockType.ClientBlock(7), "a.cs", 3);
            Assert.AreEqual(BlockType.ClientBlock(7), d.ReportBlockType(q));
            Assert.AreEqual(0, d.Realloc(q, 30, BlockType.Crt, "a.cs", 4));
            Assert.AreEqual((int)DebugHeapError.WrongBlockType, (int)d.LastError);
            Assert.AreEqual(0, d.Realloc(q, 30, BlockType.Ignore, "a.cs", 5));
            Assert.AreEqual((int)DebugHeapError.WrongBlockType, (int)d.LastError);
            Assert.AreEqual(0, d.Realloc(q, 30, BlockType.Free, "a.cs", 6));
            Assert.AreEqual((int)DebugHeapError.BadBlockType, (int)d.LastError);
            DebugTesting.Valid(d);
            MemState s = new MemState();
            d.MemCheckpoint(s);
            Assert.AreEqual(1, s.Counts[BlockType.Client]);
            Assert.AreEqual(20, s.Sizes[BlockType.Client]);
        }
    }
}
