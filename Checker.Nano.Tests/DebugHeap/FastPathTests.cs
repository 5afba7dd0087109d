using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    /// <summary>
    /// The debug heap's fast paths (AllocLocked's header template, FreeLocked's in-place reads)
    /// against the general way: every header word right whatever changed since the last block,
    /// and a block the fast path refuses reported exactly as before.
    /// </summary>
    [TestClass]
    public class DebugFastPathTests
    {
        private static void Header(DebugHeap d, int p, int fileLine, int use, int next, int prev, int size, int request)
        {
            byte[] m = d.Memory;
            int h = p - DebugHeap.HEADER_BYTES;
            Assert.AreEqual(fileLine, Bytes.GetInt32(m, h), "file|line");
            Assert.AreEqual(use, Bytes.GetInt32(m, h + 4), "use");
            Assert.AreEqual(next, Bytes.GetInt32(m, h + 8), "next");
            Assert.AreEqual(prev, Bytes.GetInt32(m, h + 12), "prev");
            Assert.AreEqual(size, Bytes.GetInt32(m, h + 16), "size");
            Assert.AreEqual(request, Bytes.GetInt32(m, h + 20), "request");
            DebugTesting.AllBytes(m, h + 24, 4, 0xFD);
            DebugTesting.AllBytes(m, p, size, 0xCD);
            DebugTesting.AllBytes(m, p + size, 4, 0xFD);
        }

        [TestMethod]
        public void Template_EachWordThatChanges_IsRewritten()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            int a = DebugTesting.Malloc(d, 16, "a.cs", 1);
            int b = DebugTesting.Malloc(d, 16, "a.cs", 1);                           // only next and request change
            int c = DebugTesting.Malloc(d, 300, BlockType.ClientBlock(7), "b.cs", 2);  // every word, and data past the template's 256
            int e = DebugTesting.Malloc(d, 0, "b.cs", 1048576);                       // line clamped, size 0
            Header(d, a, (1 << 20) | 1, BlockType.Normal, 0, b - 28, 16, 1);
            Header(d, b, (1 << 20) | 1, BlockType.Normal, a - 28, c - 28, 16, 2);
            Header(d, c, (2 << 20) | 2, BlockType.ClientBlock(7), b - 28, e - 28, 300, 3);
            Header(d, e, (2 << 20) | 1048574, BlockType.Normal, c - 28, 0, 0, 4);
            Assert.AreEqual("", sink.Text);
        }

        [TestMethod]
        public void Template_RequestNumbers_PastTheLowByte_AreWhole()
        {
            // Request numbers 255, 256 and 65,536 change bytes above the low one.
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            int keep = 0;
            for (int r = 1; r <= 65536; r++)
            {
                int p = d.Malloc(8, BlockType.Normal, "loop.cs", 9);
                if (r == 255 || r == 256 || r == 257 || r == 65536)
                {
                    Assert.AreEqual(r, Bytes.GetInt32(d.Memory, p - 28 + 20), "request " + r.ToString());
                }

                if (r == 256)
                {
                    keep = p;   // kept: its number is checked again at its free
                    continue;
                }

                Assert.AreEqual(DebugHeapError.None, d.Free(p, BlockType.Normal, "loop.cs", 10));
            }

            BlockInfo info = new BlockInfo();
            Assert.AreEqual(DebugHeapError.None, d.GetBlockInfo(keep, info));
            Assert.AreEqual(256, info.RequestNumber);
            Assert.AreEqual("loop.cs", info.File);
            Assert.AreEqual(9, info.Line);
            Assert.AreEqual(DebugHeapError.None, DebugTesting.Free(d, keep, "loop.cs", 11));
            Assert.AreEqual("", sink.Text);
            Assert.AreEqual(0, d.Stats().LinkedBlocks);
        }

        [TestMethod]
        public void Free_WithADamagedRequestNumber_IsRefusedAndReportedAsTheGeneralWayDoes()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            int p = DebugTesting.Malloc(d, 24, "a.cs", 5);
            Bytes.PutInt32(d.Memory, p - 28 + 20, 99);   // a request number not given out yet
            Assert.AreEqual(DebugHeapError.BadHeaderRequest, d.Free(p, BlockType.Normal, "a.cs", 6));
            Assert.AreEqual(DebugHeapError.BadHeaderRequest, d.LastError);
            Assert.AreEqual(1, d.Stats().LinkedBlocks);   // nothing freed
            Assert.IsTrue(sink.Text.Length > 0);
        }

        [TestMethod]
        public void Free_WithABrokenBackLink_IsRefusedAndNothingChanges()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            int a = DebugTesting.Malloc(d, 24, "a.cs", 1);
            int b = DebugTesting.Malloc(d, 24, "a.cs", 2);
            Bytes.PutInt32(d.Memory, a - 28 + 12, 0);   // a.prev should be b's header
            Assert.AreEqual(DebugHeapError.BadHeaderLinks, d.Free(a, BlockType.Normal, "a.cs", 3));
            Assert.AreEqual(2, d.Stats().LinkedBlocks);
            Assert.AreEqual(a - 28, Bytes.GetInt32(d.Memory, b - 28 + 8));   // b.next still a: no unlink happened
            Assert.IsTrue(sink.Text.Length > 0);
        }

        [TestMethod]
        public void Free_WithADamagedTrailingGuard_IsReportedAndTheBlockFreed()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            int p = DebugTesting.Malloc(d, 24, "a.cs", 1);
            d.Memory[p + 24] = 0;
            Assert.AreEqual(DebugHeapError.GuardAfter, d.Free(p, BlockType.Normal, "a.cs", 2));
            Assert.AreEqual(0, d.Stats().LinkedBlocks);
            Assert.Contains("after end of heap buffer", sink.Text);
            DebugTesting.Valid(d);
        }
    }
}
