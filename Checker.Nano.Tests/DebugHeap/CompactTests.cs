// The debug heap over the Compact policy (CompactHeap, BLOCKSIZE 256): the same headers, guards,
// fills, checks and dumps as over the seed's heap, in Compact's slots and large objects.
using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class DebugCompactTests
    {
        [TestMethod]
        public void HeapReport_OverCompact_CountsObjectBytesNotWholeBlocks()
        {
            // Over the Compact policy an object is its size rounded up to 16-byte granules, not to whole blocks:
            // the objects line gives their bytes (headers included), which need not be a multiple
            // of BLOCKSIZE (here 256): 300 and 600 take large objects of 304 and 608, 2048 a run of 8
            // blocks; blocks is the bytes over BLOCKSIZE, rounded down.
            MemorySink sink = new MemorySink();
            CompactHeap heap = new CompactHeap(new Arena(new byte[65536]), 256);
            heap.Malloc(300);
            heap.Malloc(600);
            heap.Malloc(2048);
            HeapReport report = new HeapReport(heap, new Reporter(sink));
            report.Reporter.Forms = ReportForm.Both;
            report.Dump("call", -1, HeapReport.Base);
            Assert.AreEqual(3, report.Summary.Objects);
            Assert.AreEqual(304 + 608 + 2048, report.Summary.ObjectBytes);
            Assert.Contains("  objects: 3 in 11 block(s), 2960 bytes", sink.Text);
            Assert.Contains(" OBJS n=3 d=1 count=3 blocks=11 bytes=2960 ", sink.Text);
            heap.Validate();
        }

        [TestMethod]
        public void Compact_GuardOverrun_AndLeakDump_AsOverTheSeed()
        {
            MemorySink sink = new MemorySink();
            Reporter reporter = new Reporter(sink);
            reporter.Forms = ReportForm.Text;
            DebugHeap d = new DebugHeap(new CompactHeap(new byte[65536], 256), reporter);
            int a = d.Malloc(10, BlockType.Normal, "Sensors.cs", 10);      // 42 bytes: a 48-byte slot
            int b = d.Malloc(300, BlockType.ClientBlock(3), "Log.cs", 20); // 332 bytes: a large object of 336
            int c = d.Malloc(24, BlockType.Normal, "Sensors.cs", 30);      // 56 bytes: a run of 2 blocks, on a block
            Assert.AreEqual(0x24, a);
            Assert.AreEqual(0x124, b);
            Assert.AreEqual(776 + DebugHeap.HEADER_BYTES, c);
            Assert.AreEqual("8:slots48x1(4/5,first 4) 264:used(336) 600:free(176) 776:slots56x2(8/9,first 8)", d.Heap.Describe());
            d.Memory[a + 10] = 0;                                           // the trailing guard
            Assert.IsFalse(d.CheckMemory());
            d.Free(c, BlockType.Normal, "Main.cs", 40);                      // the run's last slot: the run goes back
            Assert.AreEqual("8:slots48x1(4/5,first 4) 264:used(336) 600:free(688)", d.Heap.Describe());
            Assert.IsTrue(d.DumpMemoryLeaks());
            Assert.AreEqual(
                "HEAP CORRUPTION DETECTED: after Normal block (#1) at 0x00000024.\n"
                + "CRT detected that the application wrote to memory after end of heap buffer.\n"
                + "\n"
                + "Memory allocated at Sensors.cs(10).\n"
                + "Normal located at 0x00000024 is 10 bytes long.\n"
                + "\n"
                + "Memory allocated at Sensors.cs(10).\n"
                + "Detected memory leaks!\n"
                + "Dumping objects ->\n"
                + "Log.cs(20) : {2} client block at 0x00000124, subtype 3, 300 bytes long.\n"
                + " Data: <                > CD CD CD CD CD CD CD CD CD CD CD CD CD CD CD CD \n"
                + "Sensors.cs(10) : {1} normal block at 0x00000024, 10 bytes long.\n"
                + " Data: <          > CD CD CD CD CD CD CD CD CD CD \n"
                + "Object dump complete.\n",
                sink.Text);
        }

        [TestMethod]
        public void Compact_Memalign_OfTheBaseHeap_IsNotADebugBlock()
        {
            // The base heap's own memalign offsets are not the debug heap's: freeing one through the
            // debug heap is refused (its header would lie inside the base block: Interior), and
            // both heaps stay valid.
            MemorySink sink = new MemorySink();
            Reporter reporter = new Reporter(sink);
            reporter.Forms = ReportForm.Text;
            CompactHeap heap = new CompactHeap(new byte[65536], 256);
            DebugHeap d = new DebugHeap(heap, reporter);
            int p = d.Malloc(100, BlockType.Normal, "A.cs", 1);
            int q = heap.Memalign(256, 100);
            Assert.AreEqual(0, q % 256);
            Assert.AreEqual((int)DebugHeapError.Interior, (int)d.Free(q, BlockType.Normal, "A.cs", 2));
            heap.Free(q);
            d.Free(p, BlockType.Normal, "A.cs", 3);
            Assert.IsNull(d.Validate());
            Assert.IsNull(heap.Validate());
        }
    }
}
