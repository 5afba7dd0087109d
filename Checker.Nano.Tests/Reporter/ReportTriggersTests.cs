using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class ReportTriggersTests
    {
        private static ReportTriggers NewTriggers(MemorySink sink)
        {
            Reporter r = new Reporter(sink);
            r.Forms = ReportForm.Records;
            return new ReportTriggers(new HeapReport(ReportTesting.NewHeap(), r));
        }

        private static byte[] Ascii(string s)
        {
            byte[] b = new byte[s.Length];
            for (int i = 0; i < s.Length; i++)
            {
                b[i] = (byte)s[i];
            }

            return b;
        }

        [TestMethod]
        public void Tick_Periodic_DumpsEveryPeriodWithoutCatchUpBursts()
        {
            MemorySink sink = new MemorySink();
            ReportTriggers t = NewTriggers(sink);
            t.PeriodMs = 1000;
            Assert.AreEqual(0, t.Tick(0));
            Assert.AreEqual(0, t.Tick(999));
            Assert.AreEqual(1, t.Tick(1000));
            Assert.AreEqual(0, t.Tick(1500));
            Assert.AreEqual(2, t.Tick(2000));
            Assert.AreEqual(3, t.Tick(9000));     // late: one dump, then the next is a period later
            Assert.AreEqual(0, t.Tick(9500));
            Assert.AreEqual(4, t.Tick(10000));
            Assert.Contains("why=timer t=9000 ", sink.Text);
        }

        [TestMethod]
        public void Tick_PeriodOff_NeverDumps()
        {
            MemorySink sink = new MemorySink();
            ReportTriggers t = NewTriggers(sink);
            for (int ms = 0; ms < 100000; ms += 1000)
            {
                Assert.AreEqual(0, t.Tick(ms));
            }

            Assert.AreEqual(0, sink.Length);
        }

        [TestMethod]
        public void LowMemory_FiresOnceThenRearmsAboveHysteresis()
        {
            MemorySink sink = new MemorySink();
            ReportTriggers t = NewTriggers(sink);
            BaseHeap heap = t.Report.Heap;
            t.LowMemoryBytes = 20000;            // free starts at 61440 (15 blocks)
            Assert.AreEqual(0, t.CheckLowMemory(0));
            int big = heap.Malloc(40000);        // 10 blocks: 20480 left
            Assert.AreEqual(0, t.CheckLowMemory(1));
            int more = heap.Malloc(4096);        // 16384 left: below
            Assert.AreEqual(1, t.CheckLowMemory(2));
            Assert.AreEqual(0, t.Tick(3));       // still low: no second dump
            heap.Free(more);                     // 20480: above 20000 but not above 20000 + 4096
            Assert.AreEqual(0, t.Tick(4));
            int again = heap.Malloc(4096);
            Assert.AreEqual(0, t.Tick(5));       // not re-armed
            heap.Free(again);
            heap.Free(big);                      // 61440: re-armed
            Assert.AreEqual(0, t.Tick(6));
            heap.Malloc(45000);
            Assert.AreEqual(2, t.Tick(7));
            Assert.Contains("why=low t=2 ", sink.Text);
            Assert.Contains("why=low t=7 ", sink.Text);
        }

        [TestMethod]
        public void Commands_EachLetter_DoesItsJob()
        {
            MemorySink sink = new MemorySink();
            ReportTriggers t = NewTriggers(sink);
            Assert.AreEqual(1, t.Command((byte)'D', 10));
            Assert.AreEqual(2, t.Command((byte)'s', 20));
            Assert.AreEqual(0, t.Command((byte)'C', 30));
            Assert.AreEqual(0, t.Command((byte)'v', 40));
            string text = sink.Text;
            Assert.Contains("why=cmd-D t=10 ", text);
            Assert.Contains("why=cmd-S t=20 ", text);
            Assert.Contains("@CN1 CHECK n=", text);
            Assert.Contains("@CN1 HELLO n=", text);
        }

        [TestMethod]
        public void Command_L_WithoutDebugHeap_SaysSoAndDumpsNothing()
        {
            MemorySink sink = new MemorySink();
            ReportTriggers t = NewTriggers(sink);
            t.Report.Reporter.Forms = ReportForm.Both;
            Assert.AreEqual(0, t.Command((byte)'L', 0));
            string[] lines = ReportTesting.Lines(sink.Text);
            Assert.AreEqual(2, lines.Length);
            Assert.AreEqual("[reporter] no leak list: the debug heap is not in use (D dumps the base heap)", lines[0]);
            Assert.AreEqual("@CN1 NOTE n=1 what=no-leak-list", ReportTesting.CheckedBody(lines[1]));
        }

        [TestMethod]
        public void Command_L_WithLeakSection_DumpsOnlyLeaks()
        {
            MemorySink sink = new MemorySink();
            ReportTriggers t = NewTriggers(sink);
            t.Report.AddSection(new OneLeakSection());
            Assert.AreEqual(1, t.Command((byte)'L', 5));
            string[] lines = ReportTesting.Lines(sink.Text);
            Assert.AreEqual(3, lines.Length);
            Assert.AreEqual("@CN1 BEGIN n=1 d=1 why=cmd-L t=5 rev=4", ReportTesting.CheckedBody(lines[0]));
            Assert.StartsWith("@CN1 LEAK n=2 d=1 req=7 ", lines[1]);
            Assert.AreEqual("@CN1 END n=3 d=1 count=1", ReportTesting.CheckedBody(lines[2]));
        }

        [TestMethod]
        public void Commands_Unknown_NotedOncePerCallSeparatorsSilent()
        {
            MemorySink sink = new MemorySink();
            ReportTriggers t = NewTriggers(sink);
            t.Report.Reporter.Forms = ReportForm.Both;
            byte[] input = Ascii("zq\r\n \t!");
            Assert.AreEqual(0, t.Commands(input, 0, input.Length, 0));
            string[] lines = ReportTesting.Lines(sink.Text);
            Assert.AreEqual(2, lines.Length);
            Assert.AreEqual("[reporter] 3 command byte(s) ignored, first 0x7A; H for help", lines[0]);
            Assert.AreEqual("@CN1 NOTE n=1 what=cmd-ignored count=3 first=0x7A", ReportTesting.CheckedBody(lines[1]));

            sink.Clear();
            input = Ascii("\r\n");
            t.Commands(input, 0, input.Length, 0);
            Assert.AreEqual(0, sink.Length);
        }

        [TestMethod]
        public void Commands_MixedWithNoise_RunsTheGoodOnes()
        {
            MemorySink sink = new MemorySink();
            ReportTriggers t = NewTriggers(sink);
            byte[] input = new byte[] { 0xFF, (byte)'d', 0x00, 0x80, (byte)'D' };
            Assert.AreEqual(2, t.Commands(input, 0, input.Length, 7));
            Assert.Contains("what=cmd-ignored count=2 first=0xFF", sink.Text);
        }

        [TestMethod]
        public void Command_Help_IsTextOnly()
        {
            MemorySink sink = new MemorySink();
            ReportTriggers t = NewTriggers(sink);
            t.Report.Reporter.Forms = ReportForm.Both;
            t.Command((byte)'?', 0);
            Assert.AreEqual("commands: D dump, S statistics, L leaks, C check, V version, H or ? help\n", sink.Text);
        }
    }
}
