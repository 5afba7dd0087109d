// The debug heap in the line protocol (Reporter/PROTOCOL.md): ERR records after each fault's
// text, and its section of a HeapReport dump (text, TYPE/PEAK/LEAK records, the 'C' check).
using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class DebugRecordTests
    {
        [TestMethod]
        public void BadFree_IsFollowedByAnErrRecord()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.NewWithRecords(sink);
            int p = d.Malloc(64, BlockType.Normal, "src/Sensors.cs", 117);
            d.Free(p + 1, BlockType.Normal, "src/Main.cs", 40);
            string[] lines = ReportTesting.Lines(sink.Text);
            Assert.AreEqual(4, lines.Length);
            Assert.AreEqual("Main.cs(40) : Assertion failed: _CrtIsValidHeapPointer(block)", lines[0]);
            Assert.AreEqual("Memory allocated at Sensors.cs(117).", lines[2]);
            Assert.AreEqual("@CN1 ERR n=1 code=3 name=interior op=free addr=0x00000025 block=0x00000024 bsize=64 req=1 type=1 line=40 file=Main.cs aline=117 afile=Sensors.cs",
                ReportTesting.CheckedBody(lines[3]));
        }

        [TestMethod]
        public void GuardDamage_FoundByACheck_HasNoCallSite()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.NewWithRecords(sink);
            int p = d.Malloc(10, BlockType.ClientBlock(3), null, 0);
            d.Memory[p - 2] = 0;
            Assert.IsFalse(d.CheckMemory());
            string[] lines = ReportTesting.Lines(sink.Text);
            Assert.AreEqual(4, lines.Length);
            Assert.AreEqual("@CN1 ERR n=1 code=15 name=bad-guard-before op=check addr=0x00000020 block=0x00000024 bsize=10 req=1 type=4",
                ReportTesting.CheckedBody(lines[2]));
            Assert.AreEqual("Client located at 0x00000024 is 10 bytes long.", lines[3]);
        }

        [TestMethod]
        public void RecordsOnly_SendNoText()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.NewWithRecords(sink);
            d.Reporter.Forms = ReportForm.Records;
            d.SetDbgFlag(DbgFlag.ALLOC_MEM_DF | DbgFlag.DELAY_FREE_MEM_DF);
            int p = d.Malloc(8, BlockType.Normal, "a.cs", 1);
            d.Free(p, BlockType.Normal, "a.cs", 2);
            d.Free(p, BlockType.Normal, "a.cs", 3);
            string[] lines = ReportTesting.Lines(sink.Text);
            Assert.AreEqual(1, lines.Length);
            Assert.AreEqual("@CN1 ERR n=1 code=4 name=double-free op=free addr=0x00000024 block=0x00000024 bsize=8 req=1 type=0 line=3 file=a.cs aline=1 afile=a.cs",
                ReportTesting.CheckedBody(lines[0]));
        }

        [TestMethod]
        public void Section_TextPass_IsTheCrtStatisticsAndLeakDump()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            HeapReport report = new HeapReport(d.Heap, d.Reporter);
            report.AddSection(new DebugHeapSection(d));
            Assert.IsTrue(report.HasLeakSection);
            int p = d.Malloc(4, BlockType.Normal, "src/Sensors.cs", 117);
            d.WriteInt32(p, 0, 0x44434241);
            d.Malloc(2, BlockType.ClientBlock(1), null, 0);
            report.Dump("cmd-L", -1, HeapReport.LeakSections);
            Assert.AreEqual(DebugTesting.Lines(
                "== Checker.Nano dump 1 (cmd-L) ==",
                "0 bytes in 0 Free Blocks.",
                "4 bytes in 1 Normal Blocks.",
                "0 bytes in 0 CRT Blocks.",
                "0 bytes in 0 Ignore Blocks.",
                "2 bytes in 1 Client Blocks.",
                "Largest number used: 6 bytes.",
                "Total allocations: 6 bytes.",
                "Detected memory leaks!",
                "Dumping objects ->",
                "{2} client block at 0x00000064, subtype 1, 2 bytes long.",
                " Data: <  > CD CD ",
                "Sensors.cs(117) : {1} normal block at 0x00000024, 4 bytes long.",
                " Data: <ABCD> 41 42 43 44 ",
                "Object dump complete.",
                "== end of dump 1 =="), sink.Text);
        }

        [TestMethod]
        public void Section_TextPass_WithoutLeaks_SaysSo()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            HeapReport report = new HeapReport(d.Heap, d.Reporter);
            report.AddSection(new DebugHeapSection(d));
            int p = d.Malloc(4, BlockType.Normal, "a.cs", 1);
            d.Free(p, BlockType.Normal, "a.cs", 2);
            report.Dump("exit", -1, HeapReport.LeakSections);
            Assert.AreEqual(DebugTesting.Lines(
                "== Checker.Nano dump 1 (exit) ==",
                "0 bytes in 0 Free Blocks.",
                "0 bytes in 0 Normal Blocks.",
                "0 bytes in 0 CRT Blocks.",
                "0 bytes in 0 Ignore Blocks.",
                "0 bytes in 0 Client Blocks.",
                "Largest number used: 4 bytes.",
                "Total allocations: 4 bytes.",
                "No memory leaks detected.",
                "== end of dump 1 =="), sink.Text);
        }

        [TestMethod]
        public void Section_RecordsPass_HasTypePeakAndLeaks()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.NewWithRecords(sink);
            d.Reporter.Forms = ReportForm.Records;
            HeapReport report = new HeapReport(d.Heap, d.Reporter);
            report.AddSection(new DebugHeapSection(d));
            int p = d.Malloc(4, BlockType.Normal, "src/Sensors.cs", 117);
            d.WriteInt32(p, 0, 0x44434241);
            d.Malloc(2, BlockType.ClientBlock(1), null, 0);
            int q = d.Malloc(30, BlockType.Normal, "a.cs", 3);
            d.Free(q, BlockType.Normal, "a.cs", 4);
            report.Dump("cmd-L", -1, HeapReport.LeakSections);
            string[] lines = ReportTesting.Lines(sink.Text);
            string[] expected =
            {
                "@CN1 BEGIN n=1 d=1 why=cmd-L rev=4",
                "@CN1 TYPE n=2 d=1 type=0 name=Free count=0 bytes=0",
                "@CN1 TYPE n=3 d=1 type=1 name=Normal count=1 bytes=4",
                "@CN1 TYPE n=4 d=1 type=2 name=CRT count=0 bytes=0",
                "@CN1 TYPE n=5 d=1 type=3 name=Ignore count=0 bytes=0",
                "@CN1 TYPE n=6 d=1 type=4 name=Client count=1 bytes=2",
                "@CN1 PEAK n=7 d=1 max=36 total=36 allocs=3",
                "@CN1 LEAK n=8 d=1 req=2 type=4 sub=1 size=2 addr=0x00000064 data=CDCD",
                "@CN1 LEAK n=9 d=1 req=1 type=1 size=4 addr=0x00000024 line=117 file=Sensors.cs data=41424344",
                "@CN1 END n=10 d=1 count=8",
            };
            Assert.AreEqual(expected.Length, lines.Length, sink.Text);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.AreEqual(expected[i], ReportTesting.CheckedBody(lines[i]));
            }
        }

        [TestMethod]
        public void Section_Check_RunsCheckMemory()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            HeapReport report = new HeapReport(d.Heap, d.Reporter);
            report.AddSection(new DebugHeapSection(d));
            int p = d.Malloc(4, BlockType.Normal, "a.cs", 1);
            Assert.AreEqual(0, report.Check());
            Assert.AreEqual(DebugTesting.Lines("[check] heap: ok", "[check] debug: ok"), sink.Text);
            sink.Clear();
            d.Memory[p + 4] = 0;
            d.Memory[p - 1] = 0;
            Assert.AreEqual(2, report.Check());
            Assert.AreEqual(DebugTesting.Lines(
                "[check] heap: ok",
                "HEAP CORRUPTION DETECTED: before Normal block (#1) at 0x00000024.",
                "CRT detected that the application wrote to memory before start of heap buffer.",
                "",
                "Memory allocated at a.cs(1).",
                "HEAP CORRUPTION DETECTED: after Normal block (#1) at 0x00000024.",
                "CRT detected that the application wrote to memory after end of heap buffer.",
                "",
                "Memory allocated at a.cs(1).",
                "Normal located at 0x00000024 is 4 bytes long.",
                "",
                "Memory allocated at a.cs(1).",
                "[check] debug: 2 problem(s)"), sink.Text);
        }
    }
}
