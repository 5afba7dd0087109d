// The heap tracer (Checker.Nano/Reporter/HeapTracer.cs) over the base heap: each mode's exact
// lines, the ring and the leaks table when full, a sink that fails, a clock that throws, the
// command bytes and the low-memory trigger, the status in a dump, the storage figures, and the
// same offsets with the tracer on, in every mode, as with none.
using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class TracerTests
    {
        [TestMethod]
        public void Stream_EachOperation_OneRecordAtOnce()
        {
            Heap heap = HeapTesting.NewHeap();
            MemorySink sink = new MemorySink();
            Reporter r = new Reporter(sink);
            HeapTracer tracer = new HeapTracer(heap, r, TraceMode.Stream, 0);
            TestClock clock = new TestClock(1000);
            tracer.Clock = clock;
            tracer.Start();
            int p = heap.Malloc(100);
            clock.Ms = 1002;
            int q = heap.Calloc(3, 8);
            p = heap.Realloc(p, 3000);
            heap.Free(q);
            Assert.AreEqual(0, heap.Malloc(70000));
            clock.Ms = 1010;
            heap.Free(p);
            tracer.Stop();
            heap.Free(heap.Malloc(10));   // stopped: nothing
            Assert.AreEqual("[trace] stream on: layer base over the seed policy, 165 bytes of fixed storage\n"
                + "@CN1 TRACE n=1 what=start mode=stream layer=base policy=seed heap=65536 bs=4096 cap=0 meta=165 t=1000\n"
                + "@CN1 T n=2 e=1 op=a p=8 s=100 t=1000\n"
                + "@CN1 T n=3 e=2 op=c p=4104 s=8 k=3 t=1002\n"
                + "@CN1 T n=4 e=3 op=r p=8200 s=3000 q=8 t=1002\n"
                + "@CN1 T n=5 e=4 op=f p=4104 t=1002\n"
                + "@CN1 T n=6 e=5 op=a p=0 s=70000 t=1002\n"
                + "@CN1 T n=7 e=6 op=f p=8200 t=1010\n"
                + "[trace] stream off: layer base over the seed policy, 6 event(s)\n"
                + "@CN1 TRACE n=8 what=stop mode=stream layer=base policy=seed events=6 t=1010", TracerTesting.Bodies(sink.Text));
            Assert.IsNull(heap.TraceHook);
            Assert.AreEqual(6, tracer.Events);
        }

        [TestMethod]
        public void Stream_ExactLinesWithSuffix()
        {
            Heap heap = HeapTesting.NewHeap();
            MemorySink sink = new MemorySink();
            Reporter r = new Reporter(sink);
            r.Forms = ReportForm.Records;
            HeapTracer tracer = new HeapTracer(heap, r, TraceMode.Stream, 0);
            tracer.Clock = new TestClock(1900);
            tracer.Start();
            heap.Free(heap.Malloc(12));
            Assert.AreEqual("@CN1 TRACE n=1 what=start mode=stream layer=base policy=seed heap=65536 bs=4096 cap=0 meta=165 t=1900 *101:E84E\n"
                + "@CN1 T n=2 e=1 op=a p=8 s=12 t=1900 *35:36D4\n"
                + "@CN1 T n=3 e=2 op=f p=8 t=1900 *30:D4D9\n", sink.Text);
        }

        [TestMethod]
        public void Ring_KeepsTheLastEvents_AndCountsTheOverwritten()
        {
            Heap heap = HeapTesting.NewHeap();
            MemorySink sink = new MemorySink();
            Reporter r = new Reporter(sink);
            HeapTracer tracer = new HeapTracer(heap, r, TraceMode.Ring, 4);
            tracer.DumpWhenFull = false;
            tracer.Clock = new TestClock(5);
            tracer.Start();
            int[] p = new int[6];
            for (int i = 0; i < 6; i++)
            {
                p[i] = heap.Malloc(16 * (i + 1));
            }

            Assert.AreEqual(4, tracer.Kept);
            Assert.AreEqual(2L, tracer.Lost);
            sink.Clear();
            Assert.AreEqual(1, tracer.Dump("call", 7));
            Assert.AreEqual("[trace] ring: 4 event(s) listed of 6 event(s) since start, 2 lost (overwritten)\n"
                + "@CN1 BEGIN n=2 d=1 why=call t=7 rev=4\n"
                + "@CN1 TRACE n=3 d=1 what=ring mode=ring layer=base policy=seed heap=65536 bs=4096 cap=4 events=6 count=4 lost=2\n"
                + "@CN1 T n=4 d=1 e=3 op=a p=8200 s=48 t=5\n"
                + "@CN1 T n=5 d=1 e=4 op=a p=8264 s=64 t=5\n"
                + "@CN1 T n=6 d=1 e=5 op=a p=12296 s=80 t=5\n"
                + "@CN1 T n=7 d=1 e=6 op=a p=12424 s=96 t=5\n"
                + "@CN1 END n=8 d=1 count=5", TracerTesting.Bodies(sink.Text));

            // Listed once: the next event overwrites without counting a loss.
            heap.Free(p[0]);
            Assert.AreEqual(2L, tracer.Lost);
        }

        [TestMethod]
        public void Ring_DumpWhenFull_ListsEveryEventOnce()
        {
            Heap heap = HeapTesting.NewHeap();
            MemorySink sink = new MemorySink();
            Reporter r = new Reporter(sink);
            r.Forms = ReportForm.Records;
            HeapTracer tracer = new HeapTracer(heap, r, TraceMode.Ring, 3);
            tracer.Clock = new TestClock(0);
            tracer.Start();
            for (int i = 0; i < 7; i++)
            {
                heap.Malloc(8);
            }

            // Events 1-3 and 4-6 went out when the ring filled; 7 waits.
            string text = sink.Text;
            Assert.AreEqual(2, TracerTesting.Count(text, "@CN1 BEGIN"));
            Assert.AreEqual(2, TracerTesting.Count(text, "@CN1 BEGIN n=2 d=1 why=trace-full") + TracerTesting.Count(text, "@CN1 BEGIN n=8 d=2 why=trace-full"));
            Assert.AreEqual(6, TracerTesting.Count(text, "@CN1 T "));
            Assert.AreEqual(0L, tracer.Lost);
            string[] lines = ReportTesting.Lines(text);
            Assert.AreEqual("1", TracerTesting.Field(lines[3], "e"));
            Assert.AreEqual("4", TracerTesting.Field(lines[9], "e"));
            sink.Clear();
            tracer.Dump("cmd-E", 0);   // 5, 6 (listed before) and 7
            lines = ReportTesting.Lines(sink.Text);
            Assert.AreEqual(6, lines.Length);
            Assert.AreEqual("5", TracerTesting.Field(lines[2], "e"));
            Assert.AreEqual("7", TracerTesting.Field(lines[4], "e"));
        }

        [TestMethod]
        public void Leaks_ListsTheLiveAllocationsInOrder_AndCountsTheMissed()
        {
            Heap heap = HeapTesting.NewHeap();
            MemorySink sink = new MemorySink();
            Reporter r = new Reporter(sink);
            r.Forms = ReportForm.Records;
            HeapTracer tracer = new HeapTracer(heap, r, TraceMode.Leaks, 4);
            tracer.Clock = new TestClock(3);
            tracer.Start();
            int a = heap.Malloc(100);
            int b = heap.Malloc(200);
            heap.Malloc(300);
            heap.Malloc(400);
            heap.Free(b);
            a = heap.Realloc(a, 120);
            heap.Calloc(2, 50);
            heap.Malloc(600);   // the table is full: missed
            Assert.AreEqual(4, tracer.Kept);
            Assert.AreEqual(1L, tracer.Missed);
            sink.Clear();
            tracer.Dump("cmd-E", 9);
            Assert.AreEqual("@CN1 BEGIN n=2 d=1 why=cmd-E t=9 rev=4\n"
                + "@CN1 TRACE n=3 d=1 what=leaks mode=leaks layer=base policy=seed heap=65536 bs=4096 cap=4 events=8 count=4 missed=1\n"
                + "@CN1 T n=4 d=1 e=3 op=a p=8200 s=300 t=3\n"
                + "@CN1 T n=5 d=1 e=4 op=a p=8712 s=400 t=3\n"
                + "@CN1 T n=6 d=1 e=6 op=r p=8 s=120 q=8 t=3\n"
                + "@CN1 T n=7 d=1 e=7 op=c p=136 s=50 k=2 t=3\n"
                + "@CN1 END n=8 d=1 count=5", TracerTesting.Bodies(sink.Text));
        }

        [TestMethod]
        public void Leaks_RandomOperations_ListExactlyTheLiveBlocks()
        {
            Heap heap = new Heap(new byte[65536], 1024);
            MemorySink sink = new MemorySink();
            Reporter r = new Reporter(sink);
            r.Forms = ReportForm.Records;
            HeapTracer tracer = new HeapTracer(heap, r, TraceMode.Leaks, 64);
            tracer.Clock = new TestClock(0);
            tracer.Start();
            TestRandom random = new TestRandom(11);
            int[] slots = new int[48];
            for (int i = 0; i < 3000; i++)
            {
                int k = random.Next(slots.Length);
                if (slots[k] != 0 && random.Next(3) == 0)
                {
                    heap.Free(slots[k]);
                    slots[k] = 0;
                }
                else if (slots[k] != 0)
                {
                    int q = heap.Realloc(slots[k], random.Next(900) + 1);
                    if (q != 0)
                    {
                        slots[k] = q;
                    }
                }
                else
                {
                    slots[k] = heap.Malloc(random.Next(900) + 1);
                }
            }

            sink.Clear();
            tracer.Dump("call", 0);
            string[] lines = ReportTesting.Lines(sink.Text);
            int live = 0;
            for (int k = 0; k < slots.Length; k++)
            {
                if (slots[k] != 0)
                {
                    live++;
                    bool found = false;
                    for (int i = 0; i < lines.Length && !found; i++)
                    {
                        found = lines[i].StartsWith("@CN1 T ") && TracerTesting.Field(lines[i], "p") == slots[k].ToString();
                    }

                    Assert.IsTrue(found, "live block " + slots[k].ToString() + " not listed");
                }
            }

            Assert.AreEqual(live, tracer.Kept);
            Assert.AreEqual(live, TracerTesting.Count(sink.Text, "@CN1 T "));
            Assert.AreEqual(0L, tracer.Missed);
        }

        [TestMethod]
        public void Stream_SinkThatThrows_LosesLinesNotTheFirmware()
        {
            Heap heap = HeapTesting.NewHeap();
            FlakySink sink = new FlakySink();
            Reporter r = new Reporter(sink);
            r.Forms = ReportForm.Records;
            HeapTracer tracer = new HeapTracer(heap, r, TraceMode.Stream, 0);
            tracer.Clock = new TestClock(0);
            tracer.Start();
            int a = heap.Malloc(10);
            sink.Throw = true;
            int b = heap.Malloc(20);
            heap.Free(a);
            sink.Throw = false;
            heap.Free(b);
            Assert.AreEqual(4, tracer.Events);
            Assert.AreEqual(0, tracer.Faults);
            Assert.AreEqual("@CN1 TRACE n=1 what=start mode=stream layer=base policy=seed heap=65536 bs=4096 cap=0 meta=165 t=0\n"
                + "@CN1 T n=2 e=1 op=a p=8 s=10 t=0\n"
                + "@CN1 DROP lines=2\n"
                + "@CN1 T n=5 e=4 op=f p=4104 t=0", TracerTesting.Bodies(sink.Text));
            HeapTesting.Valid(heap);
        }

        [TestMethod]
        public void Record_ClockThatThrows_IsCountedAndTheHeapGoesOn()
        {
            Heap heap = HeapTesting.NewHeap();
            MemorySink sink = new MemorySink();
            HeapTracer tracer = new HeapTracer(heap, new Reporter(sink), TraceMode.Ring, 8);
            tracer.Clock = new TestClock(0);
            tracer.Start();
            tracer.Clock = new BrokenClock();
            int p = heap.Malloc(100);
            heap.Free(p);
            Assert.AreEqual(8, p);
            Assert.AreEqual(2, tracer.Faults);
            HeapTesting.Valid(heap);
        }

        [TestMethod]
        public void Commands_T_P_E_DriveTheTracer_AndHListsThem()
        {
            Heap heap = HeapTesting.NewHeap();
            MemorySink sink = new MemorySink();
            Reporter r = new Reporter(sink);
            HeapReport report = new HeapReport(heap, r);
            ReportTriggers triggers = new ReportTriggers(report);
            triggers.Command((byte)'H', 0);
            HeapTracer tracer = new HeapTracer(heap, r, TraceMode.Ring, 8);
            tracer.Clock = new TestClock(0);
            report.Tracer = tracer;
            triggers.Command((byte)'h', 0);
            triggers.Command((byte)'t', 0);
            Assert.IsTrue(tracer.Running);
            heap.Malloc(40);
            triggers.Command((byte)'P', 0);
            Assert.IsFalse(tracer.Running);
            heap.Malloc(40);
            sink.Clear();
            Assert.AreEqual(1, triggers.Command((byte)'E', 50));
            string[] lines = ReportTesting.Lines(sink.Text);
            Assert.AreEqual("[trace] ring: 1 event(s) listed of 1 event(s) since start", lines[0]);
            Assert.AreEqual(5, lines.Length);
            Assert.AreEqual("@CN1 BEGIN n=3 d=1 why=cmd-E t=50 rev=4", ReportTesting.CheckedBody(lines[1]));
        }

        [TestMethod]
        public void Help_ListsTheTraceCommandsOnlyWithATracer()
        {
            Heap heap = HeapTesting.NewHeap();
            MemorySink sink = new MemorySink();
            Reporter r = new Reporter(sink);
            HeapReport report = new HeapReport(heap, r);
            ReportTriggers triggers = new ReportTriggers(report);
            triggers.Command((byte)'H', 0);
            triggers.Command((byte)'T', 0);
            report.Tracer = new HeapTracer(heap, r, TraceMode.Stream, 0);
            triggers.Command((byte)'?', 0);
            Assert.AreEqual("commands: D dump, S statistics, L leaks, C check, V version, H or ? help\n"
                + "[reporter] no heap tracer: T, P and E need HeapReport.Tracer\n"
                + "@CN1 NOTE n=1 what=no-tracer\n"
                + "commands: D dump, S statistics, L leaks, C check, V version, T trace on, P trace off, E trace events, H or ? help",
                TracerTesting.Bodies(sink.Text));
        }

        [TestMethod]
        public void E_InStreamMode_SaysThereIsNothingToDump()
        {
            Heap heap = HeapTesting.NewHeap();
            MemorySink sink = new MemorySink();
            Reporter r = new Reporter(sink);
            HeapReport report = new HeapReport(heap, r);
            report.Tracer = new HeapTracer(heap, r, TraceMode.Stream, 0);
            Assert.AreEqual(0, new ReportTriggers(report).Command((byte)'E', 0));
            Assert.AreEqual("[trace] stream mode keeps nothing to dump: every event went out as it happened\n@CN1 NOTE n=1 what=trace-stream",
                TracerTesting.Bodies(sink.Text));
        }

        [TestMethod]
        public void LowMemory_DumpsTheRingAfterTheHeap()
        {
            Heap heap = HeapTesting.NewHeap();
            MemorySink sink = new MemorySink();
            Reporter r = new Reporter(sink);
            r.Forms = ReportForm.Records;
            HeapReport report = new HeapReport(heap, r);
            HeapTracer tracer = new HeapTracer(heap, r, TraceMode.Ring, 16);
            tracer.Clock = new TestClock(0);
            report.Tracer = tracer;
            ReportTriggers triggers = new ReportTriggers(report);
            triggers.LowMemoryBytes = 20000;
            tracer.Start();
            for (int i = 0; i < 12; i++)
            {
                heap.Malloc(4000);
            }

            sink.Clear();
            Assert.AreEqual(2, triggers.Tick(100));
            string text = sink.Text;
            Assert.AreEqual(12, TracerTesting.Count(text, "@CN1 T "));
            string[] lines = ReportTesting.Lines(text);
            bool heapDump = false, ringDump = false;
            for (int i = 0; i < lines.Length; i++)
            {
                heapDump |= lines[i].StartsWith("@CN1 BEGIN") && lines[i].IndexOf(" d=1 why=low t=100") > 0;
                ringDump |= lines[i].StartsWith("@CN1 BEGIN") && lines[i].IndexOf(" d=2 why=trace-low t=100") > 0;
            }

            Assert.IsTrue(heapDump);
            Assert.IsTrue(ringDump);
        }

        [TestMethod]
        public void FullDump_CarriesTheTracerStatus()
        {
            Heap heap = HeapTesting.NewHeap();
            MemorySink sink = new MemorySink();
            Reporter r = new Reporter(sink);
            HeapReport report = new HeapReport(heap, r);
            HeapTracer tracer = new HeapTracer(heap, r, TraceMode.Ring, 8);
            tracer.Clock = new TestClock(0);
            report.Tracer = tracer;
            tracer.Start();
            heap.Free(heap.Malloc(10));
            heap.Malloc(20);
            sink.Clear();
            report.Dump("call", 0);
            string[] lines = ReportTesting.Lines(sink.Text);
            bool text = false, record = false;
            for (int i = 0; i < lines.Length; i++)
            {
                text |= lines[i] == "trace: ring mode, on, 3 event(s) since start, 3 kept of 8; 421 bytes of fixed storage";
                record |= lines[i].StartsWith("@CN1 TRACE ")
                    && ReportTesting.CheckedBody(lines[i]).EndsWith(" what=status mode=ring layer=base policy=seed on=1 cap=8 meta=421 events=3 count=3 lost=0");
            }

            Assert.IsTrue(text, sink.Text);
            Assert.IsTrue(record, sink.Text);
            sink.Clear();
            report.Dump("cmd-S", 0, HeapReport.Base);   // a statistics dump has no sections and no status
            Assert.AreEqual(0, TracerTesting.Count(sink.Text, "trace: "));
        }

        [TestMethod]
        public void MetadataBytes_AreTheFixedStorage()
        {
            Heap heap = HeapTesting.NewHeap();
            Reporter r = new Reporter(new MemorySink());
            Assert.AreEqual(165, new HeapTracer(heap, r, TraceMode.Stream, 0).MetadataBytes);
            Assert.AreEqual(4261, new HeapTracer(heap, r, TraceMode.Ring, 128).MetadataBytes);
            Assert.AreEqual(6309, new HeapTracer(heap, r, TraceMode.Leaks, 128).MetadataBytes);
            Assert.AreEqual(10, new HeapTracer(heap, r, TraceMode.Stream, 0, 1).MetadataBytes);
        }

        [TestMethod]
        [DataRow(1, 0)]
        [DataRow(2, 0)]
        [DataRow(3, 0)]
        [DataRow(1, 5)]
        [DataRow(2, -1)]
        [DataRow(4, 8)]
        public void Constructor_BadModeOrCapacity_Throws(int mode, int capacity)
        {
            Heap heap = HeapTesting.NewHeap();
            Reporter r = new Reporter(new MemorySink());
            bool threw = false;
            try
            {
                new HeapTracer(heap, r, mode, capacity);
            }
            catch (System.ArgumentOutOfRangeException)
            {
                threw = true;
            }

            Assert.AreEqual(!(mode == 1 && capacity == 0), threw);
        }

        [TestMethod]
        [DataRow(1)]
        [DataRow(2)]
        [DataRow(3)]
        public void WholeWorkload_SameOffsetsWithTheTracerOn(int mode)
        {
            Heap plain = new Heap(new byte[65536], 1024);
            int[] expected = TraceWorkload.Run(new BaseTarget(plain), 3, 3000, 1024);
            Heap traced = new Heap(new byte[65536], 1024);
            MemorySink sink = new MemorySink();
            HeapTracer tracer = new HeapTracer(traced, new Reporter(sink), mode, mode == TraceMode.Stream ? 0 : 16);
            tracer.Clock = new TestClock(0);
            tracer.Start();
            int[] actual = TraceWorkload.Run(new BaseTarget(traced), 3, 3000, 1024);
            TraceWorkload.AssertSame(expected, actual, TraceMode.Name(mode));
            Assert.AreEqual(plain.Describe(), traced.Describe());
            Assert.IsTrue(tracer.Events > 3000);
            Assert.AreEqual(0, tracer.Faults);
        }
    }
}
