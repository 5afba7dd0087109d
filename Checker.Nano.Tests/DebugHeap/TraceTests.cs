// Tracing the debug heap (Checker.Nano/DebugHeap/Trace.cs) with the heap tracer: events carry the
// block use and the caller's file and line, a file's name goes out once per stream (again after a
// lost line) and once per dump; a bad free records nothing and a free that finds a damaged guard
// still records the free; and the offsets are the same with the tracer on and off, over the
// seed's policy and the Compact policy, for the debug heap and for the Compact base heap.
using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    /// <summary>The debug heap's public operations, for the workload.</summary>
    internal sealed class DebugTarget : TraceTarget
    {
        private readonly DebugHeap _debug;

        public DebugTarget(DebugHeap debug)
        {
            _debug = debug;
        }

        public override int Malloc(int size)
        {
            return _debug.Malloc(size, BlockType.Normal, "/src/app/load.cs", 10);
        }

        public override int Calloc(int count, int size)
        {
            return _debug.Calloc(count, size, BlockType.ClientBlock(2), "/src/app/load.cs", 20);
        }

        public override int Realloc(int ptr, int size)
        {
            return _debug.Realloc(ptr, size, BlockType.Normal, "/src/app/load.cs", 30);
        }

        public override void Free(int ptr)
        {
            _debug.Free(ptr, BlockType.Normal, "/src/app/load.cs", 40);
        }
    }

    [TestClass]
    public class DebugTraceTests
    {
        [TestMethod]
        public void Stream_EventsCarryTheBlockUseAndTheSite()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.NewWithRecords(sink);
            d.Reporter.Forms = ReportForm.Records;
            HeapTracer tracer = new HeapTracer(d, d.Reporter, TraceMode.Stream, 0);
            tracer.Clock = new TestClock(250);
            tracer.Start();
            int a = d.Malloc(100, BlockType.Normal, "/src/app/sensor.cs", 42);
            int b = d.Calloc(4, 4, BlockType.ClientBlock(1), "C:\\src\\radio.cs", 7);
            a = d.Realloc(a, 300, BlockType.Normal, "/src/app/sensor.cs", 50);
            d.Free(b, BlockType.Normal, "/src/app/radio.cs", 9);
            d.Free(a, BlockType.Normal, "/src/app/sensor.cs", 60);
            Assert.AreEqual("@CN1 TRACE n=1 what=start mode=stream layer=debug policy=seed heap=65536 bs=4096 cap=0 meta=165 t=250\n"
                + "@CN1 T n=2 e=1 op=a p=36 s=100 t=250 ty=1 fi=1 l=42 file=sensor.cs\n"
                + "@CN1 T n=3 e=2 op=c p=4132 s=4 k=4 t=250 ty=4 sub=1 fi=2 l=7 file=radio.cs\n"
                + "@CN1 T n=4 e=3 op=r p=8228 s=300 q=36 t=250 ty=1 fi=1 l=50\n"
                + "@CN1 T n=5 e=4 op=f p=4132 t=250 fi=3 l=9 file=radio.cs\n"
                + "@CN1 T n=6 e=5 op=f p=8228 t=250 fi=1 l=60", TracerTesting.Bodies(sink.Text));
            Assert.AreEqual("debug", d.TraceLayer);
            Assert.IsTrue(d.TraceHeap == d.Heap);
        }

        [TestMethod]
        public void Stream_AFileNameLostWithItsLine_GoesOutAgain()
        {
            FlakySink sink = new FlakySink();
            Reporter r = new Reporter(sink);
            r.Forms = ReportForm.Records;
            DebugHeap d = new DebugHeap(new Heap(new byte[65536], 4096), r);
            HeapTracer tracer = new HeapTracer(d, r, TraceMode.Stream, 0);
            tracer.Clock = new TestClock(0);
            tracer.Start();
            sink.Throw = true;
            int a = d.Malloc(10, BlockType.Normal, "/src/app/a.cs", 1);
            sink.Throw = false;
            int b = d.Malloc(10, BlockType.Normal, "/src/app/a.cs", 2);
            d.Free(a, BlockType.Normal, "/src/app/a.cs", 3);
            d.Free(b, BlockType.Normal, "/src/app/a.cs", 4);
            Assert.AreEqual("@CN1 TRACE n=1 what=start mode=stream layer=debug policy=seed heap=65536 bs=4096 cap=0 meta=165 t=0\n"
                + "@CN1 DROP lines=1\n"
                + "@CN1 T n=3 e=2 op=a p=100 s=10 t=0 ty=1 fi=1 l=2 file=a.cs\n"
                + "@CN1 T n=4 e=3 op=f p=36 t=0 fi=1 l=3\n"
                + "@CN1 T n=5 e=4 op=f p=100 t=0 fi=1 l=4", TracerTesting.Bodies(sink.Text));
        }

        [TestMethod]
        public void Ring_EachDumpNamesItsFilesOnce()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.NewWithRecords(sink);
            d.Reporter.Forms = ReportForm.Records;
            HeapTracer tracer = new HeapTracer(d, d.Reporter, TraceMode.Ring, 8);
            tracer.Clock = new TestClock(0);
            tracer.Start();
            int a = d.Malloc(10, BlockType.Normal, "/src/app/a.cs", 1);
            d.Free(a, BlockType.Normal, "/src/app/a.cs", 2);
            sink.Clear();
            tracer.Dump("call", 1);
            tracer.Dump("call", 2);
            Assert.AreEqual("@CN1 BEGIN n=2 d=1 why=call t=1 rev=4\n"
                + "@CN1 TRACE n=3 d=1 what=ring mode=ring layer=debug policy=seed heap=65536 bs=4096 cap=8 events=2 count=2 lost=0\n"
                + "@CN1 T n=4 d=1 e=1 op=a p=36 s=10 t=0 ty=1 fi=1 l=1 file=a.cs\n"
                + "@CN1 T n=5 d=1 e=2 op=f p=36 t=0 fi=1 l=2\n"
                + "@CN1 END n=6 d=1 count=3\n"
                + "@CN1 BEGIN n=7 d=2 why=call t=2 rev=4\n"
                + "@CN1 TRACE n=8 d=2 what=ring mode=ring layer=debug policy=seed heap=65536 bs=4096 cap=8 events=2 count=2 lost=0\n"
                + "@CN1 T n=9 d=2 e=1 op=a p=36 s=10 t=0 ty=1 fi=1 l=1 file=a.cs\n"
                + "@CN1 T n=10 d=2 e=2 op=f p=36 t=0 fi=1 l=2\n"
                + "@CN1 END n=11 d=2 count=3", TracerTesting.Bodies(sink.Text));
        }

        [TestMethod]
        public void BadFree_RecordsNothing_DamagedGuardStillFrees()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            RecordingHook hook = new RecordingHook();
            d.TraceHook = hook;
            int a = d.Malloc(16, BlockType.Normal, "/src/a.cs", 1);
            int b = d.Malloc(16, BlockType.Normal, "/src/a.cs", 2);
            d.Free(a, BlockType.Normal, "/src/a.cs", 3);
            d.Free(a, BlockType.Normal, "/src/a.cs", 4);        // freed already: reported, not an event
            d.Free(a + 4, BlockType.Normal, "/src/a.cs", 5);    // not a block: reported, not an event
            d.Heap.Memory[b + 16] = 0;                          // the guard after b
            Assert.AreEqual(DebugHeapError.GuardAfter, d.Free(b, BlockType.Normal, "/src/a.cs", 6));
            Assert.AreEqual(0, d.Malloc(70000, BlockType.Normal, "/src/a.cs", 7));   // no room: an event with offset 0
            Assert.AreEqual(0, d.Malloc(-1, BlockType.Normal, "/src/a.cs", 8));      // a bad size: not an event
            Assert.AreEqual("a 36 16 ty=1 a.cs:1; a 100 16 ty=1 a.cs:2; f 36 a.cs:3; f 100 a.cs:6; a 0 70000 ty=1 a.cs:7", hook.Log);
        }

        [TestMethod]
        public void Stream_FileTableFull_LeavesTheSiteOut()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.NewWithRecords(sink);
            d.Reporter.Forms = ReportForm.Records;
            HeapTracer tracer = new HeapTracer(d, d.Reporter, TraceMode.Stream, 0, 1);
            tracer.Clock = new TestClock(0);
            tracer.Start();
            d.Malloc(10, BlockType.Normal, "/src/a.cs", 1);
            d.Malloc(10, BlockType.Normal, "/src/b.cs", 2);
            string[] lines = ReportTesting.Lines(sink.Text);
            Assert.AreEqual("@CN1 T n=2 e=1 op=a p=36 s=10 t=0 ty=1 fi=1 l=1 file=a.cs", ReportTesting.CheckedBody(lines[1]));
            Assert.AreEqual("@CN1 T n=3 e=2 op=a p=100 s=10 t=0 ty=1 l=2", ReportTesting.CheckedBody(lines[2]));
        }

        [TestMethod]
        [DataRow(0, 1)]
        [DataRow(0, 2)]
        [DataRow(0, 3)]
        [DataRow(1, 1)]
        [DataRow(1, 2)]
        [DataRow(1, 3)]
        public void WholeWorkload_SameOffsetsWithTheTracerOn(int policy, int mode)
        {
            BaseHeap plainBase = policy == 0 ? (BaseHeap)new Heap(new byte[65536], 1024) : new CompactHeap(new byte[65536], 256);
            DebugHeap plain = new DebugHeap(plainBase, new Reporter(new MemorySink()));
            int[] expected = TraceWorkload.Run(new DebugTarget(plain), 5, 2000, plainBase.BLOCKSIZE);
            BaseHeap tracedBase = policy == 0 ? (BaseHeap)new Heap(new byte[65536], 1024) : new CompactHeap(new byte[65536], 256);
            MemorySink sink = new MemorySink();
            DebugHeap traced = new DebugHeap(tracedBase, new Reporter(sink));
            HeapTracer tracer = new HeapTracer(traced, traced.Reporter, mode, mode == TraceMode.Stream ? 0 : 32);
            tracer.Clock = new TestClock(0);
            tracer.Start();
            int[] actual = TraceWorkload.Run(new DebugTarget(traced), 5, 2000, tracedBase.BLOCKSIZE);
            TraceWorkload.AssertSame(expected, actual, "debug heap over " + tracedBase.PolicyName + ", " + TraceMode.Name(mode));
            Assert.AreEqual(plainBase.Describe(), tracedBase.Describe());
            Assert.AreEqual(0, tracer.Faults);
            Assert.IsTrue(tracer.Events > 2000);
        }

        [TestMethod]
        [DataRow(1)]
        [DataRow(2)]
        [DataRow(3)]
        public void WholeWorkload_CompactBaseHeap_SameOffsetsWithTheTracerOn(int mode)
        {
            CompactHeap plain = new CompactHeap(new byte[65536], 512);
            int[] expected = TraceWorkload.Run(new BaseTarget(plain), 9, 3000, 512);
            CompactHeap traced = new CompactHeap(new byte[65536], 512);
            HeapTracer tracer = new HeapTracer(traced, new Reporter(new MemorySink()), mode, mode == TraceMode.Stream ? 0 : 32);
            tracer.Clock = new TestClock(0);
            tracer.Start();
            int[] actual = TraceWorkload.Run(new BaseTarget(traced), 9, 3000, 512);
            TraceWorkload.AssertSame(expected, actual, "compact base heap, " + TraceMode.Name(mode));
            Assert.AreEqual(plain.Describe(), traced.Describe());
            Assert.AreEqual(0, tracer.Faults);
        }
    }
}
