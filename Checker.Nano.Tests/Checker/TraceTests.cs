// Tracing Checker (Checker.Nano/Checker/Trace.cs) with the heap tracer: the program's own calls
// are the events (a free when Checker takes the block, not when it gives the aged block back),
// with the block use and the site; a double or bad free, and free(0), record nothing; an
// allocation that finds no room records offset 0; the offsets are the same with the tracer on
// and off over a whole workload.
using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    /// <summary>Checker's public operations, for the workload.</summary>
    internal sealed class CheckerTarget : TraceTarget
    {
        private readonly CheckerHeap _checker;

        public CheckerTarget(CheckerHeap checker)
        {
            _checker = checker;
        }

        public override int Malloc(int size)
        {
            return _checker.Malloc(size, BlockType.Normal, "/src/app/load.cs", 10);
        }

        public override int Calloc(int count, int size)
        {
            return _checker.Calloc(count, size, BlockType.Normal, "/src/app/load.cs", 20);
        }

        public override int Realloc(int ptr, int size)
        {
            return _checker.Realloc(ptr, size, "/src/app/load.cs", 30);
        }

        public override void Free(int ptr)
        {
            _checker.Free(ptr, "/src/app/load.cs", 40);
        }
    }

    [TestClass]
    public class CheckerTraceTests
    {
        [TestMethod]
        public void Stream_TheProgramsCallsAreTheEvents()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.NewWithRecords(sink);
            HeapTracer tracer = new HeapTracer(c, c.Reporter, TraceMode.Stream, 0);
            tracer.Clock = new TestClock(40);
            tracer.Start();
            int a = c.Malloc(64, BlockType.Normal, "/src/app/s.cs", 5);
            int b = c.Calloc(2, 8, BlockType.ClientBlock(3), "/src/app/s.cs", 6);
            a = c.Realloc(a, 100, "/src/app/s.cs", 7);
            c.Free(b, "/src/app/s.cs", 8);
            c.Free(b, "/src/app/s.cs", 9);   // ffb: reported, not an event
            c.Free(0, "/src/app/s.cs", 10);  // fnl (on by default): reported, not an event
            c.ReleaseAged();                 // aged blocks back to the debug heap: not events
            c.Free(a, "/src/app/s.cs", 11);
            string[] lines = ReportTesting.Lines(sink.Text);
            string t = "";
            for (int i = 0; i < lines.Length; i++)
            {
                if (lines[i].StartsWith("@CN1 T"))
                {
                    t = t + ReportTesting.CheckedBody(lines[i]) + "\n";
                }
            }

            Assert.AreEqual("@CN1 TRACE n=1 what=start mode=stream layer=checker policy=seed heap=65536 bs=4096 cap=0 meta=165 t=40\n"
                + "@CN1 T n=2 e=1 op=a p=14652 s=64 t=40 ty=1 fi=1 l=5 file=s.cs\n"
                + "@CN1 T n=3 e=2 op=c p=18748 s=8 k=2 t=40 ty=4 sub=3 fi=1 l=6\n"
                + "@CN1 T n=4 e=3 op=r p=22844 s=100 q=14652 t=40 ty=1 fi=1 l=7\n"
                + "@CN1 T n=5 e=4 op=f p=18748 t=40 fi=1 l=8\n"
                + "@CN1 T n=8 e=5 op=f p=22844 t=40 fi=1 l=11\n", t);
            Assert.AreEqual("checker", c.TraceLayer);
        }

        [TestMethod]
        public void OutOfMemory_IsAnEventWithOffsetZero()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            RecordingHook hook = new RecordingHook();
            c.TraceHook = hook;
            Assert.AreEqual(0, c.Malloc(60000, BlockType.Normal, "/src/a.cs", 1));
            int p = c.Malloc(10, BlockType.Normal, "/src/a.cs", 2);
            Assert.AreEqual(0, c.Realloc(p, 60000, "/src/a.cs", 3));
            Assert.AreEqual(0, c.Realloc(p + 1, 20, "/src/a.cs", 4));   // fba: reported, not an event
            Assert.AreEqual("a 0 60000 ty=1 a.cs:1; a 14652 10 ty=1 a.cs:2; r 0<14652 60000 a.cs:3", hook.Log);
        }

        [TestMethod]
        [DataRow(1)]
        [DataRow(2)]
        [DataRow(3)]
        public void WholeWorkload_SameOffsetsWithTheTracerOn(int mode)
        {
            CheckerHeap plain = new CheckerHeap(new byte[98304], 1024, 256, 256, new Reporter(new MemorySink()));
            int[] expected = TraceWorkload.Run(new CheckerTarget(plain), 13, 1500, 1024);
            CheckerHeap traced = new CheckerHeap(new byte[98304], 1024, 256, 256, new Reporter(new MemorySink()));
            HeapTracer tracer = new HeapTracer(traced, traced.Reporter, mode, mode == TraceMode.Stream ? 0 : 32);
            tracer.Clock = new TestClock(0);
            tracer.Start();
            int[] actual = TraceWorkload.Run(new CheckerTarget(traced), 13, 1500, 1024);
            TraceWorkload.AssertSame(expected, actual, "checker, " + TraceMode.Name(mode));
            Assert.AreEqual(plain.Heap.Describe(), traced.Heap.Describe());
            Assert.AreEqual(0, tracer.Faults);
        }
    }
}
