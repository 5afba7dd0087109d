using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class DebugHookTests
    {
        [TestMethod]
        public void AllocHook_SeesEveryOperationWithTheCrtCodes()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            string[] log = new string[1];
            log[0] = "";
            Assert.IsNull(d.SetAllocHook((type, userData, size, use, request, file, line) =>
            {
                log[0] = log[0] + type.ToString() + " " + userData.ToString() + " " + size.ToString() + " " + use.ToString()
                    + " " + request.ToString() + " " + (file == null ? "-" : file) + " " + line.ToString() + "\n";
                return true;
            }));
            int p = d.Malloc(10, BlockType.ClientBlock(1), "a.cs", 1);
            int q = d.Realloc(p, 20, BlockType.Normal, "b.cs", 2);
            d.Free(q, BlockType.Normal, "c.cs", 3);
            Assert.AreEqual(
                "1 0 10 65540 1 a.cs 1\n" +
                "2 36 20 65540 2 b.cs 2\n" +
                "3 36 0 65540 2 c.cs 3\n", log[0]);
            Assert.AreEqual("", sink.Text);
        }

        [TestMethod]
        public void AllocHook_RefusingMalloc_FailsItWithTheCrtWarning()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            d.SetAllocHook((t, u, s, b, r, f, l) => false);
            Assert.AreEqual(0, d.Malloc(10, BlockType.Normal, "src/Main.cs", 5));
            Assert.AreEqual(0, d.Malloc(10, BlockType.Normal, null, 0));
            Assert.AreEqual(0, d.Calloc(2, 5, BlockType.Normal, "Main.cs", 7));
            Assert.AreEqual((int)DebugHeapError.HookRefused, (int)d.LastError);
            Assert.AreEqual(DebugTesting.Lines(
                "Client hook allocation failure at file Main.cs line 5.",
                "Client hook allocation failure.",
                "Client hook allocation failure at file Main.cs line 7."), sink.Text);
            Assert.AreEqual("", d.Heap.Describe());
            Assert.AreEqual(3, d.Stats().HookRefusals);
            DebugTesting.Valid(d);
        }

        [TestMethod]
        public void AllocHook_RefusingRealloc_KeepsTheOldBlock()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            int p = DebugTesting.Malloc(d, 10, "a.cs", 1);
            d.WriteInt32(p, 0, 77);
            d.SetAllocHook((t, u, s, b, r, f, l) => t != HookType.REALLOC);
            Assert.AreEqual(0, d.Realloc(p, 500, BlockType.Normal, "Main.cs", 6));
            Assert.AreEqual(DebugTesting.Lines("Client hook re-allocation failure at file Main.cs line 6."), sink.Text);
            Assert.AreEqual(10, d.MSize(p));
            Assert.AreEqual(77, d.ReadInt32(p, 0));
            DebugTesting.Valid(d);
        }

        [TestMethod]
        public void AllocHook_RefusingFree_KeepsTheBlock()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            int p = DebugTesting.Malloc(d, 10, "a.cs", 1);
            d.SetAllocHook((t, u, s, b, r, f, l) => t != HookType.FREE);
            Assert.AreEqual(DebugHeapError.HookRefused, d.Free(p, BlockType.Normal, "Main.cs", 8));
            Assert.AreEqual(DebugTesting.Lines("Client hook free failure."), sink.Text);
            Assert.AreEqual(BlockType.Normal, d.ReportBlockType(p));
            d.SetAllocHook(null);
            Assert.AreEqual(DebugHeapError.None, DebugTesting.Free(d, p, "a.cs", 9));
        }

        [TestMethod]
        public void AllocHook_ThatThrows_LetsTheOperationGoOn()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            d.SetAllocHook((t, u, s, b, r, f, l) => { throw new System.InvalidOperationException("hook bug"); });
            int p = DebugTesting.Malloc(d, 10, "a.cs", 1);
            Assert.AreNotEqual(0, p);
            Assert.AreEqual(DebugHeapError.None, DebugTesting.Free(d, p, "a.cs", 2));
            Assert.AreEqual(2, d.Stats().HookFailures);
        }

        [TestMethod]
        public void SetHooks_ReturnThePreviousOnes()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            AllocHook a = (t, u, s, b, r, f, l) => true;
            ReportHook rh = (type, text) => false;
            DumpClient dc = (ptr, size) => { };
            BreakHook bh = (n, f, l) => { };
            Assert.IsNull(d.SetAllocHook(a));
            Assert.AreSame(a, d.SetAllocHook(null));
            Assert.IsNull(d.SetReportHook(rh));
            Assert.AreSame(rh, d.SetReportHook(null));
            Assert.IsNull(d.SetDumpClient(dc));
            Assert.AreSame(dc, d.SetDumpClient(null));
            Assert.IsNull(d.SetBreakHook(bh));
            Assert.AreSame(bh, d.SetBreakHook(null));
            Assert.AreEqual(-1, d.SetBreakAlloc(12));
            Assert.AreEqual(12, d.SetBreakAlloc(-1));
        }

        [TestMethod]
        public void ReportHook_SeesEveryLineWithItsType_AndMayConsumeIt()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            string[] seen = new string[1];
            seen[0] = "";
            d.SetReportHook((type, text) =>
            {
                seen[0] = seen[0] + type.ToString() + ":" + text + "\n";
                return text.StartsWith("CRT detected");   // consume those
            });
            int p = d.Malloc(4, BlockType.Normal, "a.cs", 1);
            d.Memory[p + 4] = 0;
            d.CheckMemory();
            d.Free(p + 1, BlockType.Normal, "Main.cs", 2);
            d.MemDumpAllObjectsSince(null);
            Assert.AreEqual(
                "1:HEAP CORRUPTION DETECTED: after Normal block (#1) at 0x00000024.\n" +
                "1:CRT detected that the application wrote to memory after end of heap buffer.\n" +
                "1:\n" +
                "1:Memory allocated at a.cs(1).\n" +
                "0:Normal located at 0x00000024 is 4 bytes long.\n" +
                "0:\n" +
                "0:Memory allocated at a.cs(1).\n" +
                "2:Main.cs(2) : Assertion failed: _CrtIsValidHeapPointer(block)\n" +
                "2:free(0x00000025): address is inside a block, not at its start: Normal block (#1) at 0x00000024, 4 bytes long.\n" +
                "2:Memory allocated at a.cs(1).\n" +
                "0:Dumping objects ->\n" +
                "0:a.cs(1) : {1} normal block at 0x00000024, 4 bytes long.\n" +
                "0: Data: <    > CD CD CD CD \n" +
                "0:Object dump complete.\n", seen[0]);
            Assert.AreEqual(DebugTesting.Lines(
                "HEAP CORRUPTION DETECTED: after Normal block (#1) at 0x00000024.",
                "",
                "Memory allocated at a.cs(1).",
                "Normal located at 0x00000024 is 4 bytes long.",
                "",
                "Memory allocated at a.cs(1).",
                "Main.cs(2) : Assertion failed: _CrtIsValidHeapPointer(block)",
                "free(0x00000025): address is inside a block, not at its start: Normal block (#1) at 0x00000024, 4 bytes long.",
                "Memory allocated at a.cs(1).",
                "Dumping objects ->",
                "a.cs(1) : {1} normal block at 0x00000024, 4 bytes long.",
                " Data: <    > CD CD CD CD ",
                "Object dump complete."), sink.Text);
            Assert.AreEqual(1, d.Stats().ReportsConsumed);
        }

        [TestMethod]
        public void ReportHook_ThatThrows_LetsTheLineThrough()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            d.SetReportHook((type, text) => { throw new System.InvalidOperationException("hook bug"); });
            d.ReportLine(ReportType.WARN, "hello");
            Assert.AreEqual("hello\n", sink.Text);
            Assert.AreEqual(1, d.Stats().HookFailures);
        }

        [TestMethod]
        public void BreakAlloc_CallsTheBreakHookAtThatRequest()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            // An object[], not a string[]: on nanoFramework's interpreter (nf-interpreter a3e8139,
            // posix build) a string[] element never written (its default null) compares unequal to
            // null in ceq and beq (Assert.IsNull's o == null, bool b = s == null), though a branch
            // on it sees null; a null stored in it, and an object[]'s default, compare as null.
            object[] hit = new object[1];
            d.SetBreakHook((n, file, line) => hit[0] = n.ToString() + " " + file + " " + line.ToString());
            d.SetBreakAlloc(3);
            int p = d.Malloc(8, BlockType.Normal, "a.cs", 1);
            d.Malloc(8, BlockType.Normal, "a.cs", 2);
            Assert.IsNull(hit[0]);
            d.Realloc(p, 20, BlockType.Normal, "Sensors.cs", 117);   // request 3
            Assert.AreEqual("3 Sensors.cs 117", (string)hit[0]);
            Assert.AreEqual(1, d.Stats().Breaks);
            Assert.AreEqual("", sink.Text);
            DebugTesting.Valid(d);
        }

        [TestMethod]
        public void BreakAlloc_WithoutAHook_ReportsTheRequest()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            d.SetBreakAlloc(2);
            d.Malloc(8, BlockType.Normal, "a.cs", 1);
            int p = d.Malloc(8, BlockType.Normal, "src/Sensors.cs", 117);
            Assert.AreNotEqual(0, p);   // the allocation goes on
            d.Malloc(8, BlockType.Normal, "a.cs", 3);
            Assert.AreEqual("Sensors.cs(117) : Break at allocation request {2}.\n", sink.Text);
        }

        [TestMethod]
        public void DoForAllClientObjects_VisitsClientBlocksNewestFirst()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            int c1 = DebugTesting.Malloc(d, 8, BlockType.ClientBlock(1), "a.cs", 1);
            DebugTesting.Malloc(d, 8, "a.cs", 2);
            int c2 = DebugTesting.Malloc(d, 8, BlockType.ClientBlock(2), "a.cs", 3);
            d.SetDbgFlag(DbgFlag.ALLOC_MEM_DF | DbgFlag.DELAY_FREE_MEM_DF);
            int c3 = DebugTesting.Malloc(d, 8, BlockType.ClientBlock(3), "a.cs", 4);
            DebugTesting.Free(d, c3, "a.cs", 5);   // a Free block now: not visited
            string[] order = new string[1];
            order[0] = "";
            object context = new object();
            d.DoForAllClientObjects((ptr, ctx) =>
            {
                Assert.AreSame(context, ctx);
                order[0] = order[0] + DebugTesting.Hex(ptr) + " ";
            }, context);
            Assert.AreEqual(DebugTesting.Hex(c2) + " " + DebugTesting.Hex(c1) + " ", order[0]);
        }

        [TestMethod]
        public void DoForAllClientObjects_MayFreeTheBlockItIsGiven()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            for (int i = 0; i < 6; i++)
            {
                DebugTesting.Malloc(d, 8, i % 2 == 0 ? BlockType.ClientBlock(1) : BlockType.Normal, "a.cs", i);
            }

            int[] visits = new int[1];
            d.DoForAllClientObjects((ptr, ctx) =>
            {
                visits[0]++;
                d.Free(ptr, BlockType.ClientBlock(1), "a.cs", 99);
            }, null);
            Assert.AreEqual(3, visits[0]);
            DebugTesting.Valid(d);
            MemState s = new MemState();
            d.MemCheckpoint(s);
            Assert.AreEqual(0, s.Counts[BlockType.Client]);
            Assert.AreEqual(3, s.Counts[BlockType.Normal]);
            Assert.AreEqual("", sink.Text);
        }

        [TestMethod]
        public void DoForAllClientObjects_WithTrackingOff_DoesNothing()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            DebugTesting.Malloc(d, 8, BlockType.ClientBlock(1), "a.cs", 1);
            d.SetDbgFlag(0);
            int[] visits = new int[1];
            d.DoForAllClientObjects((ptr, ctx) => visits[0]++, null);
            Assert.AreEqual(0, visits[0]);
        }
    }
}
