using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class DebugDumpTests
    {
        /// <summary>
        /// The golden scenario: a firmware's allocations, a freed temporary, checkpoints before,
        /// between and after, then statistics of the difference, the leak dump, the dump since the
        /// middle checkpoint and the leak check at exit with CRT blocks shown. Every line exact.
        /// </summary>
        [TestMethod]
        public void GoldenScenario_DumpsExactlyLikeTheCrt()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            MemState start = new MemState();
            MemState mid = new MemState();
            MemState end = new MemState();
            MemState diff = new MemState();
            d.MemCheckpoint(start);

            int config = d.Malloc(64, BlockType.Normal, "firmware/Sensors.cs", 117);
            d.CopyIn(config, 0, new byte[] { 0x41, 0x42, 0x43, 0x20 }, 0, 4);
            int message = d.Malloc(16, BlockType.ClientBlock(2), "firmware/Radio.cs", 40);
            d.Fill(message, 0, 16, 0x30);
            int temp = d.Malloc(100, BlockType.Normal, "firmware/Sensors.cs", 130);
            d.Free(temp, BlockType.Normal, "firmware/Sensors.cs", 131);
            d.MemCheckpoint(mid);
            int late = d.Malloc(10, BlockType.Normal, null, 0);
            int crt = d.Malloc(5, BlockType.Crt, "Checker/Checker.cs", 9);
            d.MemCheckpoint(end);
            DebugTesting.Valid(d);
            Assert.AreEqual(0x24, config);
            Assert.AreEqual(0x1024, message);
            Assert.AreEqual(0x1064, late);   // fragment 1 of block 2 (64 bytes): the next one after message's
            Assert.AreEqual(0x10A4, crt);
            Assert.AreEqual("", sink.Text);

            Assert.IsTrue(d.MemDifference(diff, start, end));
            d.MemDumpStatistics(diff);
            Assert.IsTrue(d.DumpMemoryLeaks());
            d.MemDumpAllObjectsSince(mid);
            d.SetDbgFlag(DbgFlag.ALLOC_MEM_DF | DbgFlag.CHECK_CRT_DF | DbgFlag.LEAK_CHECK_DF);
            Assert.IsTrue(d.ExitLeakCheck());

            Assert.AreEqual(DebugTesting.Lines(
                "0 bytes in 0 Free Blocks.",
                "74 bytes in 2 Normal Blocks.",
                "5 bytes in 1 CRT Blocks.",
                "0 bytes in 0 Ignore Blocks.",
                "16 bytes in 1 Client Blocks.",
                "Largest number used: 180 bytes.",
                "Total allocations: 195 bytes.",
                "Detected memory leaks!",
                "Dumping objects ->",
                "{4} normal block at 0x00001064, 10 bytes long.",
                " Data: <          > CD CD CD CD CD CD CD CD CD CD ",
                "Radio.cs(40) : {2} client block at 0x00001024, subtype 2, 16 bytes long.",
                " Data: <0000000000000000> 30 30 30 30 30 30 30 30 30 30 30 30 30 30 30 30 ",
                "Sensors.cs(117) : {1} normal block at 0x00000024, 64 bytes long.",
                " Data: <ABC             > 41 42 43 20 CD CD CD CD CD CD CD CD CD CD CD CD ",
                "Object dump complete.",
                "Dumping objects ->",
                "{4} normal block at 0x00001064, 10 bytes long.",
                " Data: <          > CD CD CD CD CD CD CD CD CD CD ",
                "Object dump complete.",
                "Detected memory leaks!",
                "Dumping objects ->",
                "Checker.cs(9) : {5} crt block at 0x000010A4, subtype 0, 5 bytes long.",
                " Data: <     > CD CD CD CD CD ",
                "{4} normal block at 0x00001064, 10 bytes long.",
                " Data: <          > CD CD CD CD CD CD CD CD CD CD ",
                "Radio.cs(40) : {2} client block at 0x00001024, subtype 2, 16 bytes long.",
                " Data: <0000000000000000> 30 30 30 30 30 30 30 30 30 30 30 30 30 30 30 30 ",
                "Sensors.cs(117) : {1} normal block at 0x00000024, 64 bytes long.",
                " Data: <ABC             > 41 42 43 20 CD CD CD CD CD CD CD CD CD CD CD CD ",
                "Object dump complete."), sink.Text);
        }

        [TestMethod]
        public void DumpMemoryLeaks_WithoutLeaks_SaysNothing()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            Assert.IsFalse(d.DumpMemoryLeaks());
            int p = DebugTesting.Malloc(d, 8, "a.cs", 1);
            DebugTesting.Malloc(d, 8, BlockType.Crt, "a.cs", 2);   // CRT blocks are not leaks without CHECK_CRT_DF
            DebugTesting.Free(d, p, "a.cs", 3);
            Assert.IsFalse(d.DumpMemoryLeaks());
            Assert.AreEqual("", sink.Text);
        }

        [TestMethod]
        public void ExitLeakCheck_OnlyWithLeakCheckDf()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            DebugTesting.Malloc(d, 8, "a.cs", 1);
            Assert.IsFalse(d.ExitLeakCheck());
            Assert.AreEqual("", sink.Text);
            d.SetDbgFlag(DbgFlag.ALLOC_MEM_DF | DbgFlag.LEAK_CHECK_DF);
            Assert.IsTrue(d.ExitLeakCheck());
            Assert.AreEqual(DebugTesting.Lines(
                "Detected memory leaks!",
                "Dumping objects ->",
                "a.cs(1) : {1} normal block at 0x00000024, 8 bytes long.",
                " Data: <        > CD CD CD CD CD CD CD CD ",
                "Object dump complete."), sink.Text);
        }

        [TestMethod]
        public void Data_ShowsPrintableCharactersAndTheFirstSixteenBytes()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            int p = DebugTesting.Malloc(d, 20, null, 0);
            byte[] bytes = { 0x1F, 0x20, 0x7E, 0x7F, 0x80, 0xFF, 0x00, (byte)'z', (byte)'<', (byte)'>', 0x0A, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49 };
            d.CopyIn(p, 0, bytes, 0, 20);
            d.MemDumpAllObjectsSince(null);
            Assert.AreEqual(DebugTesting.Lines(
                "Dumping objects ->",
                "{1} normal block at 0x00000024, 20 bytes long.",
                " Data: <  ~    z<> ABCDE> 1F 20 7E 7F 80 FF 00 7A 3C 3E 0A 41 42 43 44 45 ",
                "Object dump complete."), sink.Text);
        }

        [TestMethod]
        public void ZeroByteBlock_DumpsAnEmptyData()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            DebugTesting.Malloc(d, 0, "a.cs", 1);
            d.MemDumpAllObjectsSince(null);
            Assert.AreEqual(DebugTesting.Lines(
                "Dumping objects ->",
                "a.cs(1) : {1} normal block at 0x00000024, 0 bytes long.",
                " Data: <> ",
                "Object dump complete."), sink.Text);
        }

        [TestMethod]
        public void ClientBlocks_AreDumpedByTheDumpClientHook()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            int a = DebugTesting.Malloc(d, 16, BlockType.ClientBlock(10), "Radio.cs", 40);
            d.WriteInt32(a, 0, 1234);
            DebugTesting.Malloc(d, 8, "Main.cs", 2);
            int b = DebugTesting.Malloc(d, 12, BlockType.ClientBlock(0xBEEF), "Radio.cs", 41);
            d.WriteInt32(b, 0, 99);
            Assert.IsNull(d.SetDumpClient((ptr, size) =>
                d.ReportLine(ReportType.WARN, "  packet of " + size.ToString() + " bytes, id " + d.ReadInt32(ptr, 0).ToString())));
            Assert.IsTrue(d.DumpMemoryLeaks());
            Assert.AreEqual(DebugTesting.Lines(
                "Detected memory leaks!",
                "Dumping objects ->",
                "Radio.cs(41) : {3} client block at 0x000000A4, subtype beef, 12 bytes long.",
                "  packet of 12 bytes, id 99",
                "Main.cs(2) : {2} normal block at 0x00000064, 8 bytes long.",
                " Data: <        > CD CD CD CD CD CD CD CD ",
                "Radio.cs(40) : {1} client block at 0x00000024, subtype a, 16 bytes long.",
                "  packet of 16 bytes, id 1234",
                "Object dump complete."), sink.Text);
        }

        [TestMethod]
        public void DumpClientHook_ThatThrows_FallsBackToTheData()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            DebugTesting.Malloc(d, 2, BlockType.ClientBlock(1), "a.cs", 1);
            d.SetDumpClient((ptr, size) => { throw new System.InvalidOperationException("bug in the hook"); });
            d.MemDumpAllObjectsSince(null);
            Assert.AreEqual(DebugTesting.Lines(
                "Dumping objects ->",
                "a.cs(1) : {1} client block at 0x00000024, subtype 1, 2 bytes long.",
                " Data: <  > CD CD ",
                "Object dump complete."), sink.Text);
            Assert.AreEqual(1, d.Stats().HookFailures);
        }

        [TestMethod]
        public void MemDifference_CountsNormalAndClientButNotFreeOrIgnore()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            MemState s1 = new MemState();
            MemState s2 = new MemState();
            MemState diff = new MemState();
            d.SetDbgFlag(DbgFlag.ALLOC_MEM_DF | DbgFlag.DELAY_FREE_MEM_DF);
            int p = DebugTesting.Malloc(d, 40, "a.cs", 1);
            d.MemCheckpoint(s1);
            DebugTesting.Free(d, p, "a.cs", 2);                     // Normal -40, Free +40
            d.SetDbgFlag(DbgFlag.DELAY_FREE_MEM_DF);
            DebugTesting.Malloc(d, 30, "a.cs", 3);                  // an ignore block
            d.SetDbgFlag(DbgFlag.ALLOC_MEM_DF);
            d.MemCheckpoint(s2);
            Assert.IsTrue(d.MemDifference(diff, s1, s2));           // the Normal block went away
            Assert.AreEqual(-1, diff.Counts[BlockType.Normal]);
            Assert.AreEqual(-40, diff.Sizes[BlockType.Normal]);
            Assert.AreEqual(1, diff.Counts[BlockType.Free]);
            Assert.AreEqual(40, diff.Sizes[BlockType.Free]);
            Assert.AreEqual(0, diff.Counts[BlockType.Ignore]);
            Assert.AreEqual(0L, diff.TotalCount);
            Assert.AreEqual(0, diff.HighWaterCount);

            MemState s3 = new MemState();
            d.MemCheckpoint(s3);
            Assert.IsFalse(d.MemDifference(diff, s2, s3));
            DebugTesting.Malloc(d, 8, BlockType.Crt, "a.cs", 4);
            d.MemCheckpoint(s3);
            Assert.IsFalse(d.MemDifference(diff, s2, s3));          // CRT blocks only count with CHECK_CRT_DF
            Assert.AreEqual(1, diff.Counts[BlockType.Crt]);
            d.SetDbgFlag(DbgFlag.ALLOC_MEM_DF | DbgFlag.CHECK_CRT_DF);
            Assert.IsTrue(d.MemDifference(diff, s2, s3));
            Assert.AreEqual("", sink.Text);
        }

        [TestMethod]
        public void MemCheckpoint_TracksHighWaterAndTotal()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            MemState s = new MemState();
            int a = DebugTesting.Malloc(d, 100, "a.cs", 1);
            int b = DebugTesting.Malloc(d, 50, "a.cs", 2);
            DebugTesting.Free(d, a, "a.cs", 3);
            DebugTesting.Malloc(d, 20, BlockType.ClientBlock(1), "a.cs", 4);
            d.MemCheckpoint(s);
            Assert.AreEqual(0x24, s.BlockHeader);   // the client block, in block 1 freed by a
            Assert.AreEqual(0x1024, b);
            Assert.AreEqual(1, s.Counts[BlockType.Normal]);
            Assert.AreEqual(50, s.Sizes[BlockType.Normal]);
            Assert.AreEqual(1, s.Counts[BlockType.Client]);
            Assert.AreEqual(20, s.Sizes[BlockType.Client]);
            Assert.AreEqual(150, s.HighWaterCount);
            Assert.AreEqual(170L, s.TotalCount);
            Assert.AreEqual(3, s.RequestNumber);
            MemState copy = new MemState();
            copy.CopyFrom(s);
            Assert.AreEqual(170L, copy.TotalCount);
            Assert.AreEqual(20, copy.Sizes[BlockType.Client]);
        }

        [TestMethod]
        public void MemDumpAllObjectsSince_AFreedNewestBlock_StillWorks()
        {
            // The block that was newest at checkpoint time is freed afterwards: "since" is by
            // request number, so the dump still shows exactly the later blocks.
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            DebugTesting.Malloc(d, 8, "a.cs", 1);
            int newest = DebugTesting.Malloc(d, 8, "a.cs", 2);
            MemState s = new MemState();
            d.MemCheckpoint(s);
            DebugTesting.Free(d, newest, "a.cs", 3);
            DebugTesting.Malloc(d, 8, "a.cs", 4);
            d.MemDumpAllObjectsSince(s);
            Assert.AreEqual(DebugTesting.Lines(
                "Dumping objects ->",
                "a.cs(4) : {3} normal block at 0x00000064, 8 bytes long.",
                " Data: <        > CD CD CD CD CD CD CD CD ",
                "Object dump complete."), sink.Text);
        }
    }
}
