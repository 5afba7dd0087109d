using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class DebugAllocTests
    {
        [TestMethod]
        public void Overhead_IsThirtyTwoBytes_Measured()
        {
            // 32 + 32 bytes fill a 64-byte fragment exactly; one more byte needs a 128-byte one.
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            int p = DebugTesting.Malloc(d, 32, "a.cs", 1);
            Assert.AreEqual(64, d.Heap.UsableSize(p - DebugHeap.HEADER_BYTES));
            int q = DebugTesting.Malloc(d, 33, "a.cs", 2);
            Assert.AreEqual(128, d.Heap.UsableSize(q - DebugHeap.HEADER_BYTES));
            int z = DebugTesting.Malloc(d, 0, "a.cs", 3);
            Assert.AreEqual(32, d.Heap.UsableSize(z - DebugHeap.HEADER_BYTES));
            Assert.AreEqual(32, DebugHeap.OVERHEAD_BYTES);
            Assert.AreEqual(3 * 32, d.Stats().OverheadBytes);
            Assert.AreEqual("", sink.Text);
        }

        [TestMethod]
        public void Malloc_LaysOutHeaderGuardsAndFill()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            int p = DebugTesting.Malloc(d, 64, "dir/Sensors.cs", 117);
            Assert.AreEqual(0x24, p);
            byte[] m = d.Memory;
            int h = p - 28;
            Assert.AreEqual(8, h);
            Assert.AreEqual((1 << 20) | 117, Bytes.GetInt32(m, h));          // file 1, line 117
            Assert.AreEqual(BlockType.Normal, Bytes.GetInt32(m, h + 4));     // block use
            Assert.AreEqual(0, Bytes.GetInt32(m, h + 8));                    // next
            Assert.AreEqual(0, Bytes.GetInt32(m, h + 12));                   // prev
            Assert.AreEqual(64, Bytes.GetInt32(m, h + 16));                  // size
            Assert.AreEqual(1, Bytes.GetInt32(m, h + 20));                   // request
            DebugTesting.AllBytes(m, h + 24, 4, 0xFD);
            DebugTesting.AllBytes(m, p, 64, 0xCD);
            DebugTesting.AllBytes(m, p + 64, 4, 0xFD);
            Assert.AreEqual(64, d.MSize(p));
        }

        [TestMethod]
        public void Malloc_LinksNewestFirst()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            int a = DebugTesting.Malloc(d, 64, "a.cs", 1);
            int b = DebugTesting.Malloc(d, 64, "a.cs", 2);
            Assert.AreEqual(0xA4, b);   // fragment 1 of block 1 (8 + 128 + 28)
            byte[] m = d.Memory;
            Assert.AreEqual(a - 28, Bytes.GetInt32(m, b - 28 + 8));    // b.next = a
            Assert.AreEqual(0, Bytes.GetInt32(m, b - 28 + 12));        // b.prev = none
            Assert.AreEqual(b - 28, Bytes.GetInt32(m, a - 28 + 12));   // a.prev = b
            Assert.AreEqual(2, Bytes.GetInt32(m, b - 28 + 20));
        }

        [TestMethod]
        public void Malloc_OfZero_GivesAUniqueBlock()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            int a = DebugTesting.Malloc(d, 0, "a.cs", 1);
            int b = DebugTesting.Malloc(d, 0, "a.cs", 2);
            Assert.AreNotEqual(0, a);
            Assert.AreNotEqual(a, b);
            Assert.AreEqual(0, d.MSize(a));
            DebugTesting.AllBytes(d.Memory, a - 4, 8, 0xFD);
            Assert.AreEqual(DebugHeapError.None, DebugTesting.Free(d, a, "a.cs", 3));
        }

        [TestMethod]
        public void RequestNumbers_CountEverySuccessfulAllocation()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            BlockInfo info = new BlockInfo();
            int a = DebugTesting.Malloc(d, 10, "a.cs", 1);
            int b = DebugTesting.Malloc(d, 10, "a.cs", 2);
            d.SetDbgFlag(0);
            DebugTesting.Malloc(d, 10, "a.cs", 3);                     // an ignore block takes #3 too
            d.SetDbgFlag(DbgFlag.ALLOC_MEM_DF);
            d.SetAllocHook((t, u, s, bu, r, f, l) => false);
            Assert.AreEqual(0, d.Malloc(10, BlockType.Normal, "a.cs", 4));   // refused: #4 is not used up (as in the CRT)
            Assert.AreEqual(4, d.NextRequestNumber);
            d.SetAllocHook(null);
            Assert.AreEqual(0, d.Malloc(1 << 20, BlockType.Normal, "a.cs", 5));   // out of memory: #4 still not used up
            Assert.AreEqual((int)DebugHeapError.OutOfMemory, (int)d.LastError);
            Assert.AreEqual(4, d.NextRequestNumber);
            int e = DebugTesting.Malloc(d, 10, "a.cs", 6);
            d.GetBlockInfo(a, info);
            Assert.AreEqual(1, info.RequestNumber);
            d.GetBlockInfo(b, info);
            Assert.AreEqual(2, info.RequestNumber);
            d.GetBlockInfo(e, info);
            Assert.AreEqual(4, info.RequestNumber);
            Assert.AreEqual(5, d.NextRequestNumber);
            d.SetAllocHook((t, u, s, bu, r, f, l) => false);
            Assert.AreEqual(0, d.Realloc(e, 100, BlockType.Normal, "a.cs", 7));   // a refused realloc uses none either
            Assert.AreEqual(5, d.NextRequestNumber);
            d.SetAllocHook(null);
            Assert.AreNotEqual(0, d.Realloc(e, 100, BlockType.Normal, "a.cs", 8));
            Assert.AreEqual(6, d.NextRequestNumber);
            DebugTesting.Valid(d);
        }

        [TestMethod]
        public void CallerInfo_RecordsTheCallSite()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            int a = d.Malloc(8);
            int b = d.Malloc(8, BlockType.ClientBlock(3));
            BlockInfo ia = new BlockInfo();
            BlockInfo ib = new BlockInfo();
            Assert.AreEqual(DebugHeapError.None, d.GetBlockInfo(a, ia));
            Assert.AreEqual(DebugHeapError.None, d.GetBlockInfo(b, ib));
            Assert.IsTrue(ia.File.EndsWith("AllocTests.cs"), ia.File);
            Assert.AreSame(ia.File, ib.File);   // one table entry, the same string
            Assert.AreEqual(ia.Line + 1, ib.Line);
            Assert.AreEqual(1, d.Stats().FileNames);

            d.DumpMemoryLeaks();
            string site = "AllocTests.cs(" + ia.Line.ToString() + ")";
            Assert.IsTrue(sink.Text.IndexOf(site + " : {1} normal block at 0x00000024, 8 bytes long.\n") > 0, sink.Text);
        }

        [TestMethod]
        public void FileTable_WhenFull_GivesUnknownFileAndCounts()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink, 2);
            DebugTesting.Malloc(d, 8, "one.cs", 1);
            DebugTesting.Malloc(d, 8, "two.cs", 2);
            DebugTesting.Malloc(d, 8, "one.cs", 3);
            int x = DebugTesting.Malloc(d, 8, "three.cs", 4);
            DebugTesting.Malloc(d, 8, "four.cs", 5);
            DebugStats s = d.Stats();
            Assert.AreEqual(2, s.FileNames);
            Assert.AreEqual(2, s.FileNameCapacity);
            Assert.AreEqual(2, s.UnknownFileAllocations);
            BlockInfo info = new BlockInfo();
            d.GetBlockInfo(x, info);
            Assert.AreEqual("<unknown file>", info.File);
            Assert.AreEqual(4, info.Line);
        }

        [TestMethod]
        public void FileTable_FindsAnEqualStringByValue()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink, 1);
            string built = new string(new char[] { 'a', '.', 'c', 's' });
            DebugTesting.Malloc(d, 8, "a.cs", 1);
            int p = DebugTesting.Malloc(d, 8, built, 2);
            Assert.AreEqual(0, d.Stats().UnknownFileAllocations);
            BlockInfo info = new BlockInfo();
            d.GetBlockInfo(p, info);
            Assert.AreEqual("a.cs", info.File);
        }

        [TestMethod]
        public void Line_IsClampedBelowTwentyBitsOfOnes()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            int p = DebugTesting.Malloc(d, 8, "a.cs", 2000000);
            int q = DebugTesting.Malloc(d, 8, "a.cs", -3);
            BlockInfo info = new BlockInfo();
            d.GetBlockInfo(p, info);
            Assert.AreEqual(1048574, info.Line);
            d.GetBlockInfo(q, info);
            Assert.AreEqual(0, info.Line);
        }

        [TestMethod]
        public void NoFile_IsFileIndexZero_AndDumpsWithoutASite()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            int p = DebugTesting.Malloc(d, 3, null, 0);
            d.WriteByte(p, 0, (byte)'x');
            Assert.AreEqual(0, Bytes.GetInt32(d.Memory, p - 28));
            d.MemDumpAllObjectsSince(null);
            Assert.AreEqual(DebugTesting.Lines(
                "Dumping objects ->",
                "{1} normal block at 0x00000024, 3 bytes long.",
                " Data: <x  > 78 CD CD ",
                "Object dump complete."), sink.Text);
        }

        [TestMethod]
        [DataRow(BlockType.Free)]
        [DataRow(5)]
        [DataRow(0x10001)]
        public void Malloc_OfABadBlockType_IsReportedAndRefused(int use)
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            Assert.AreEqual(0, DebugTesting.Malloc(d, 8, use, "Main.cs", 9));
            Assert.AreEqual((int)DebugHeapError.BadBlockType, (int)d.LastError);
            Assert.AreEqual("Main.cs(9) : Error: memory allocation: bad memory block type.\n", sink.Text);
            Assert.AreEqual(0, d.Stats().LinkedBlocks);
        }

        [TestMethod]
        [DataRow(-1)]
        [DataRow(int.MaxValue - 31)]
        public void Malloc_OfABadSize_IsReportedAndRefused(int size)
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            Assert.AreEqual(0, DebugTesting.Malloc(d, size, "Main.cs", 9));
            Assert.AreEqual((int)DebugHeapError.BadSize, (int)d.LastError);
            Assert.AreEqual("Main.cs(9) : Invalid allocation size: " + size.ToString() + " bytes.\n", sink.Text);
        }

        [TestMethod]
        public void Malloc_WhenTheArenaIsFull_ReturnsZeroSilently()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            // 15 whole blocks fit between offset 8 and 65536.
            Assert.AreEqual(0, DebugTesting.Malloc(d, (15 * 4096) - 31, "a.cs", 1));
            Assert.AreEqual((int)DebugHeapError.OutOfMemory, (int)d.LastError);
            Assert.AreNotEqual(0, DebugTesting.Malloc(d, (15 * 4096) - 32, "a.cs", 2));
            Assert.AreEqual((int)DebugHeapError.None, (int)d.LastError);
            Assert.AreEqual("", sink.Text);
        }

        [TestMethod]
        public void Calloc_ZeroesTheDataOnly()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            int p = d.Calloc(5, 3, BlockType.Normal, "a.cs", 1);
            DebugTesting.Valid(d);
            Assert.AreEqual(15, d.MSize(p));
            DebugTesting.AllBytes(d.Memory, p, 15, 0);
            DebugTesting.AllBytes(d.Memory, p - 4, 4, 0xFD);
            DebugTesting.AllBytes(d.Memory, p + 15, 4, 0xFD);
        }

        [TestMethod]
        public void Calloc_Overflow_IsReportedAndRefused()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            Assert.AreEqual(0, d.Calloc(65536, 65536, BlockType.Normal, "a.cs", 4));
            Assert.AreEqual((int)DebugHeapError.BadSize, (int)d.LastError);
            Assert.AreEqual("a.cs(4) : Invalid allocation size: 4294967296 bytes.\n", sink.Text);
        }

        [TestMethod]
        public void TrackingOff_MakesIgnoreBlocks()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            Assert.AreEqual(DbgFlag.ALLOC_MEM_DF, d.SetDbgFlag(0));
            int p = DebugTesting.Malloc(d, 20, "a.cs", 1);
            int crt = DebugTesting.Malloc(d, 20, BlockType.Crt, "a.cs", 2);
            byte[] m = d.Memory;
            Assert.AreEqual(BlockType.Ignore, d.ReportBlockType(p));
            Assert.AreEqual(DebugHeap.IGNORE_MARK, Bytes.GetInt32(m, p - 28));
            Assert.AreEqual(0, Bytes.GetInt32(m, p - 28 + 8));                          // not linked
            Assert.AreEqual(0, Bytes.GetInt32(m, p - 28 + 12));
            Assert.AreEqual(0, Bytes.GetInt32(m, p - 28 + 20));                         // request 0
            DebugTesting.AllBytes(m, p, 20, 0xCD);
            DebugTesting.AllBytes(m, p + 20, 4, 0xFD);
            Assert.AreEqual(BlockType.Crt, d.ReportBlockType(crt));                     // CRT blocks stay tracked

            DebugStats s = d.Stats();
            Assert.AreEqual(1, s.IgnoreBlocks);
            Assert.AreEqual(20, s.IgnoreBytes);
            Assert.AreEqual(1, s.LinkedBlocks);
            Assert.AreEqual(20, s.CurrentBytes);

            // Not checked: damage to an ignore block is never reported; not dumped; freed without checks.
            m[p + 20] = 0;
            d.SetDbgFlag(DbgFlag.ALLOC_MEM_DF | DbgFlag.CHECK_CRT_DF);
            Assert.IsTrue(d.CheckMemory());
            MemState state = new MemState();
            d.MemCheckpoint(state);
            Assert.AreEqual(0, state.Counts[BlockType.Ignore]);
            Assert.AreEqual(0, state.Counts[BlockType.Normal]);
            Assert.AreEqual(1, state.Counts[BlockType.Crt]);
            Assert.AreEqual(DebugHeapError.None, DebugTesting.Free(d, p, "a.cs", 3));
            Assert.AreEqual("", sink.Text);
            Assert.AreEqual(0, d.Stats().IgnoreBlocks);
            DebugTesting.AllBytes(m, p - 28 + 8, 52 - 8, 0xDD);   // filled with 0xDD (checked from byte 8)
        }

        [TestMethod]
        public void IgnoreBlock_AccessorsWork()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            d.SetDbgFlag(0);
            int p = DebugTesting.Malloc(d, 4, "a.cs", 1);
            d.WriteInt32(p, 0, 0x12345678);
            Assert.AreEqual(0x12345678, d.ReadInt32(p, 0));
            Assert.AreEqual(4, d.MSize(p));
            int q = DebugTesting.Realloc(d, p, 40, "a.cs", 2);
            Assert.AreEqual(0x12345678, d.ReadInt32(q, 0));
            Assert.AreEqual(BlockType.Ignore, d.ReportBlockType(q));
            Assert.AreEqual(40, d.Stats().IgnoreBytes);
        }
    
        [TestMethod]
        public void Malloc_OfAnIgnoreBlock_IsLinkedCountedCheckedAndNotDumped()
        {
            // The CRT's _IGNORE_BLOCK asked for: linked, counted under Ignore, checked by
            // CheckMemory, left out of leak dumps and state differences.
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            int n = DebugTesting.Malloc(d, 8, "a.cs", 1);
            int g = DebugTesting.Malloc(d, 20, BlockType.Ignore, "Log.cs", 7);
            Assert.AreNotEqual(0, g);
            Assert.AreEqual(BlockType.Ignore, d.ReportBlockType(g));
            Assert.AreEqual(2, d.Stats().LinkedBlocks);
            Assert.AreEqual(0, d.Stats().IgnoreBlocks);   // those are the unlinked ones (ALLOC_MEM_DF off)
            MemState s = new MemState();
            d.MemCheckpoint(s);
            Assert.AreEqual(1, s.Counts[BlockType.Ignore]);
            Assert.AreEqual(20, s.Sizes[BlockType.Ignore]);
            Assert.AreEqual(1, s.Counts[BlockType.Normal]);
            DebugTesting.Valid(d);

            d.MemDumpStatistics(s);
            Assert.IsTrue(d.DumpMemoryLeaks());
            Assert.AreEqual(DebugTesting.Lines(
                "0 bytes in 0 Free Blocks.",
                "8 bytes in 1 Normal Blocks.",
                "0 bytes in 0 CRT Blocks.",
                "20 bytes in 1 Ignore Blocks.",
                "0 bytes in 0 Client Blocks.",
                "Largest number used: 28 bytes.",
                "Total allocations: 28 bytes.",
                "Detected memory leaks!",
                "Dumping objects ->",
                "a.cs(1) : {1} normal block at " + DebugTesting.Hex(n) + ", 8 bytes long.",
                " Data: <        > CD CD CD CD CD CD CD CD ",
                "Object dump complete."), sink.Text);

            // CheckMemory checks it.
            sink.Clear();
            d.Memory[g + 20] = 0;
            Assert.IsFalse(d.CheckMemory());
            Assert.AreEqual(DebugTesting.Lines(
                "HEAP CORRUPTION DETECTED: after Ignore block (#2) at " + DebugTesting.Hex(g) + ".",
                "CRT detected that the application wrote to memory after end of heap buffer.",
                "",
                "Memory allocated at Log.cs(7).",
                "Ignore located at " + DebugTesting.Hex(g) + " is 20 bytes long.",
                "",
                "Memory allocated at Log.cs(7)."), sink.Text);
            d.Memory[g + 20] = DebugHeap.NO_MANS_LAND_FILL;

            // Freed (and realloc'd) like any linked block; a dump of the Normal block alone remains.
            sink.Clear();
            g = DebugTesting.Realloc(d, g, 40, "Log.cs", 8);
            Assert.AreEqual(BlockType.Ignore, d.ReportBlockType(g));
            Assert.AreEqual(DebugHeapError.None, d.Free(g, BlockType.Ignore, "Log.cs", 9));
            DebugTesting.Free(d, n, "a.cs", 2);
            Assert.IsFalse(d.DumpMemoryLeaks());
            Assert.IsTrue(d.CheckMemory());
            Assert.AreEqual("", sink.Text);
            Assert.AreEqual(0, d.Stats().LinkedBlocks);
            DebugTesting.Valid(d);
        }
}
}
