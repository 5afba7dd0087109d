using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class HeapReportTests
    {
        // The scripted scenario: fragments of 128 and 32, an object of 3 blocks, a hole of 2 blocks
        // in the middle and one of 1 block at the top (under FINAL_FREE_BLOCKS, so it stays).
        // Table: 1:frag128(31/32) 2:free(2) 4:frag32(127/128) 5:used(3) 8:free(1).
        private static HeapReport Scenario(MemorySink sink)
        {
            Heap heap = ReportTesting.NewHeap();
            Reporter r = new Reporter(sink);
            HeapReport report = new HeapReport(heap, r);
            report.Board = "host";
            report.App = "test";
            report.RuntimeMemory = new FixedRuntimeMemory();
            int a = heap.Malloc(100);
            int b = heap.Malloc(100);
            int c = heap.Malloc(5000);
            heap.Malloc(20);
            heap.Malloc(9000);
            int f = heap.Malloc(4096);
            heap.Free(b);
            heap.Free(c);
            heap.Free(f);
            Assert.AreEqual("1:frag128(31/32,next 1) 2:free(2) 4:frag32(127/128,next 1) 5:used(3) 8:free(1)", heap.Describe());
            OneLeakSection leaks = new OneLeakSection();
            leaks.Address = a;
            report.AddSection(leaks);
            return report;
        }

        private static readonly string[] ScenarioText = new string[]
        {
            "== Checker.Nano dump 1 (call) at 12.345 s ==",
            "heap: 32768 bytes in 8 blocks of 4096; arena 65536, 32760 not yet in the heap",
            "used: 3 chunks, 12448 bytes; free: 160 chunks, 20320 bytes",
            "  objects: 1 in 3 block(s), 12288 bytes",
            "  fragments of 32: 1 used, 127 free in 1 block(s)",
            "  fragments of 128: 1 used, 31 free in 1 block(s)",
            "  free clusters: 2 in 3 block(s), largest 8192, top 4096",
            "free 48992 bytes, largest request that fits 32768: fragmentation 33.1%",
            "metadata beside the arena: 1596 bytes",
            "sensor.cs(42) : {7} normal block at 0x00000008, 24 bytes long.",
            "runtime internal: 327680 total, 120000 free, largest block 65536",
            "runtime managed: 34567 free",
            "== end of dump 1 ==",
        };

        private static readonly string[] ScenarioRecords = new string[]
        {
            "@CN1 BEGIN n=1 d=1 why=call t=12345 rev=4 *41:B29C",
            "@CN1 STAT n=2 d=1 bytes_total=32768 chunks_used=3 bytes_used=12448 chunks_free=160 bytes_free=20320 largest_free=8192 arena=65536 arena_avail=32760 meta=1596 bs=4096 *165:C6CF",
            "@CN1 OBJS n=3 d=1 count=1 blocks=3 bytes=12288 *46:0730",
            "@CN1 FRGS n=4 d=1 size=32 blocks=1 used=1 free=127 *50:92EC",
            "@CN1 FRGS n=5 d=1 size=128 blocks=1 used=1 free=31 *50:558A",
            "@CN1 HOLES n=6 d=1 count=2 blocks=3 largest=8192 top=4096 *57:594B",
            "@CN1 FRAG n=7 d=1 free=48992 largest=32768 pm=331 *49:5048",
            "@CN1 MAP n=8 d=1 base=0x00000008 at=1 runs=F128/31,H2,F32/127,U3,H1 *67:1820",
            "@CN1 LEAK n=9 d=1 req=7 type=1 size=24 addr=0x00000008 line=42 file=sensor.cs *77:ACED",
            "@CN1 RTMEM n=10 d=1 kind=internal total=327680 free=120000 largest=65536 *72:C33C",
            "@CN1 RTMEM n=11 d=1 kind=managed free=34567 *43:017B",
            "@CN1 END n=12 d=1 count=10 *26:8C1E",
        };

        private static void AssertLines(string[] expected, int from, string[] actual)
        {
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.AreEqual(expected[i], actual[from + i]);
            }
        }

        [TestMethod]
        public void Dump_Both_TextThenRecords_Exact()
        {
            MemorySink sink = new MemorySink();
            HeapReport report = Scenario(sink);
            Assert.AreEqual(1, report.Dump("call", 12345));
            string[] lines = ReportTesting.Lines(sink.Text);
            Assert.AreEqual(ScenarioText.Length + ScenarioRecords.Length, lines.Length);
            AssertLines(ScenarioText, 0, lines);
            AssertLines(ScenarioRecords, ScenarioText.Length, lines);
            for (int i = ScenarioText.Length; i < lines.Length; i++)
            {
                ReportTesting.CheckedBody(lines[i]);
            }
        }

        [TestMethod]
        public void Dump_TextOnly_Exact()
        {
            MemorySink sink = new MemorySink();
            HeapReport report = Scenario(sink);
            report.Reporter.Forms = ReportForm.Text;
            report.Dump("call", 12345);
            string[] lines = ReportTesting.Lines(sink.Text);
            Assert.AreEqual(ScenarioText.Length, lines.Length);
            AssertLines(ScenarioText, 0, lines);
        }

        [TestMethod]
        public void Dump_RecordsOnly_Exact()
        {
            MemorySink sink = new MemorySink();
            HeapReport report = Scenario(sink);
            report.Reporter.Forms = ReportForm.Records;
            report.Dump("call", 12345);
            string[] lines = ReportTesting.Lines(sink.Text);
            Assert.AreEqual(ScenarioRecords.Length, lines.Length);
            AssertLines(ScenarioRecords, 0, lines);
        }

        [TestMethod]
        public void Dump_StatsOnly_LeavesSectionsOut()
        {
            MemorySink sink = new MemorySink();
            HeapReport report = Scenario(sink);
            report.Reporter.Forms = ReportForm.Records;
            report.Dump("cmd-S", -1, HeapReport.Base);
            string[] lines = ReportTesting.Lines(sink.Text);
            Assert.AreEqual(9, lines.Length);
            Assert.AreEqual("@CN1 BEGIN n=1 d=1 why=cmd-S rev=4", ReportTesting.CheckedBody(lines[0]));
            Assert.StartsWith("@CN1 FRAG n=7 d=1 ", lines[6]);
            Assert.StartsWith("@CN1 MAP n=8 d=1 ", lines[7]);
            Assert.AreEqual("@CN1 END n=9 d=1 count=7", ReportTesting.CheckedBody(lines[8]));
        }

        [TestMethod]
        public void Dump_FreshHeap_HasNoFragmentation()
        {
            MemorySink sink = new MemorySink();
            Heap heap = ReportTesting.NewHeap();
            HeapReport report = new HeapReport(heap, new Reporter(sink));
            report.Reporter.Forms = ReportForm.Text;
            report.Dump("call", -1);
            // 65536 - 8 bytes of arena hold 15 whole blocks: the 4088 left over can never be a block.
            Assert.Contains("free 61440 bytes, largest request that fits 61440: fragmentation 0.0%", sink.Text);
            Assert.AreEqual(0, report.Summary.FragmentationPerMille);
        }

        [TestMethod]
        public void Dump_Map_DescribesTheWholeTable_AcrossRecords()
        {
            // 256-byte blocks on 64 KiB: fragments of every size in many blocks, objects and holes
            // between them, more entries than one line holds.
            Heap heap = new Heap(new byte[65536], 256);
            int[] live = new int[400];
            for (int i = 0; i < live.Length; i++)
            {
                live[i] = heap.Malloc(8 + ((i * 37) % 700));
            }

            for (int i = 0; i < live.Length; i += 3)
            {
                heap.Free(live[i]);
            }

            MemorySink sink = new MemorySink();
            HeapReport report = new HeapReport(heap, new Reporter(sink));
            report.Reporter.Forms = ReportForm.Records;
            report.Dump("call", -1);
            int[] rows = new int[heap.MaxWalkRows * BaseHeap.WALK_WORDS];
            int count = heap.WalkTable(rows);
            Assert.IsTrue(count > 60, "entries: " + count);

            string[] lines = ReportTesting.Lines(sink.Text);
            int next = 1;
            int row = 0;
            int maps = 0;
            for (int i = 0; i < lines.Length; i++)
            {
                string body = ReportTesting.CheckedBody(lines[i]);
                if (!body.StartsWith("@CN1 MAP "))
                {
                    continue;
                }

                maps++;
                Assert.StartsWith("@CN1 FRAG ", lines[i - maps]);   // right after FRAG
                Assert.IsTrue(lines[i].Length <= Reporter.DefaultLineCapacity, lines[i]);
                int at = body.IndexOf(" at=");
                int runs = body.IndexOf(" runs=");
                Assert.AreEqual("base=" + "0x" + heap.HeapBase.ToString("X8"), body.Substring(body.IndexOf("base="), 15));
                Assert.AreEqual(next, int.Parse(body.Substring(at + 4, runs - at - 4)), body);
                string[] items = body.Substring(runs + 6).Split(',');
                for (int k = 0; k < items.Length; k++)
                {
                    int r = row * BaseHeap.WALK_WORDS;
                    Assert.AreEqual(next, heap.BLOCK(rows[r]));
                    int state = rows[r + 2];
                    int span = rows[r + 1] / heap.BLOCKSIZE;
                    string expected = state == BaseHeap.WalkObject ? "U" + span.ToString()
                        : state == BaseHeap.WalkFree ? "H" + span.ToString()
                        : "F" + state.ToString() + "/" + rows[r + 3].ToString();
                    Assert.AreEqual(expected, items[k], body);
                    next += span;
                    row++;
                }
            }

            Assert.IsTrue(maps > 1, "MAP records: " + maps);
            Assert.AreEqual(count, row);
            Assert.AreEqual(heap.HeapLimit, next);
        }

        [TestMethod]
        public void Dump_Map_FreshHeap_OneEmptyRecord_AndNoneInText()
        {
            MemorySink sink = new MemorySink();
            HeapReport report = new HeapReport(ReportTesting.NewHeap(), new Reporter(sink));
            report.Dump("call", -1);
            string[] lines = ReportTesting.Lines(sink.Text);
            int maps = 0;
            for (int i = 0; i < lines.Length; i++)
            {
                if (lines[i].StartsWith("@CN1 MAP "))
                {
                    maps++;
                    Assert.AreEqual("@CN1 MAP n=6 d=1 base=0x00000008 at=1 runs=", ReportTesting.CheckedBody(lines[i]));
                }
                else
                {
                    Assert.IsFalse(lines[i].IndexOf("MAP") >= 0, lines[i]);
                }
            }

            Assert.AreEqual(1, maps);
        }

        [TestMethod]
        public void Dump_WhenSinkThrows_DoesNotThrowAndCountsEveryLine()
        {
            FlakySink sink = new FlakySink();
            HeapReport report = new HeapReport(ReportTesting.NewHeap(), new Reporter(sink));
            sink.Throw = true;
            report.Dump("call", -1);
            Assert.AreEqual(sink.Calls, report.Reporter.Dropped);
            Assert.IsTrue(report.Reporter.Dropped > 10);
        }

        [TestMethod]
        public void Summary_MatchesMStats_AfterRandomOperations()
        {
            Heap heap = ReportTesting.NewHeap();
            HeapSummary summary = new HeapSummary();
            int[] live = new int[64];
            uint seed = 12345;
            for (int step = 0; step < 2000; step++)
            {
                seed = seed * 1103515245 + 12345;
                int slot = (int)((seed >> 16) % 64);
                if (live[slot] != 0)
                {
                    heap.Free(live[slot]);
                    live[slot] = 0;
                }
                else
                {
                    seed = seed * 1103515245 + 12345;
                    int size = 1 + (int)((seed >> 16) % 6000);
                    live[slot] = heap.Malloc(size);
                }

                if (step % 50 == 0)
                {
                    heap.Summarize(summary);
                    MStats m = heap.MStats();
                    Assert.AreEqual(m.ToString(), summary.Stats.ToString());
                    Assert.AreEqual(0, summary.Anomalies);
                    Assert.AreEqual(heap.FreeAndHeadroomBytes(), summary.FreeBytes);
                    Assert.IsTrue(summary.LargestBytes <= summary.FreeBytes);
                }
            }
        }

        [TestMethod]
        public void Check_SoundHeap_ReportsOkAndRunsSections()
        {
            MemorySink sink = new MemorySink();
            HeapReport report = Scenario(sink);
            OneLeakSection second = new OneLeakSection();
            report.AddSection(second);
            Assert.AreEqual(0, report.Check());
            Assert.AreEqual(1, second.Checks);
            string[] lines = ReportTesting.Lines(sink.Text);
            Assert.AreEqual("[check] heap: ok", lines[0]);
            Assert.AreEqual("@CN1 CHECK n=1 what=heap ok=1 problems=0", ReportTesting.CheckedBody(lines[1]));
        }

        [TestMethod]
        public void Hello_BothForms_Exact()
        {
            MemorySink sink = new MemorySink();
            HeapReport report = new HeapReport(new Heap(new byte[262144], 2048), new Reporter(sink));
            report.Board = "esp32";
            report.App = "sensor-logger";
            report.Hello();
            string[] lines = ReportTesting.Lines(sink.Text);
            Assert.AreEqual("Checker.Nano sensor-logger on esp32: HEAP 262144, BLOCKSIZE 2048, line protocol 1 rev 4", lines[0]);
            Assert.AreEqual("@CN1 HELLO n=1 rev=4 board=esp32 app=sensor-logger heap=262144 bs=2048 lcap=256", ReportTesting.CheckedBody(lines[1]));
        }
    }
}
