// The garbage detector: the seed's scenarios with exact reports.
using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class CheckerGarbageTests
    {
        /// <summary>A list of <paramref name="n"/> nodes { next, value } of 16 bytes allocated at List.cs(20); returns the head.</summary>
        private static int BuildList(CheckerHeap c, int n)
        {
            int head = 0;
            for (int i = 0; i < n; i++)
            {
                int node = c.Malloc(16, BlockType.Normal, "List.cs", 20);
                c.WriteInt32(node, head, "List.cs", 21);
                c.WriteInt32(node + 4, i, "List.cs", 22);
                head = node;
            }

            return head;
        }

        [TestMethod]
        public void List_ReachableThroughTheDataZone_IsNoGarbage()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            int head = BuildList(c, 5);
            c.WriteInt32(c.DataSlot(0), head, "Main.cs", 1);
            GarbageSummary s = c.DetectGarbage();
            CheckerTesting.Expect(sink, CheckerTesting.Lines(
                "From Checker: (gar) garbage detector results.",
                "There are 0 leak(s) and 0 potential leak(s), in 0 family(ies)."));
            Assert.AreEqual(5, s.LiveBlocks);
            Assert.AreEqual(80, s.LiveBytes);
            for (int node = head; node != 0; node = Bytes.GetInt32(c.Memory, node))
            {
                Assert.AreEqual(2, c.ReachabilityOf(node));
            }

            CheckerTesting.Valid(c);
        }

        [TestMethod]
        public void List_AfterItsHeadIsOverwritten_AllNodesInOneFamily()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            int config = c.Calloc(1, 120, BlockType.Normal, "Config.cs", 8);
            c.WriteInt32(c.DataSlot(1), config, "Main.cs", 1);
            int head = BuildList(c, 5);
            c.WriteInt32(c.DataSlot(0), head, "Main.cs", 2);
            c.WriteInt32(c.DataSlot(0), 0, "Main.cs", 3);
            int first = head;
            for (int node = head; node != 0; node = Bytes.GetInt32(c.Memory, node))
            {
                first = node < first ? node : first;
            }

            GarbageSummary s = c.DetectGarbage();
            CheckerTesting.Expect(sink, CheckerTesting.Lines(
                "From Checker: (gar) garbage detector results.",
                "There are 5 leak(s) and 0 potential leak(s), in 1 family(ies).",
                "Leaks consume 80 byte(s) of the 200 byte(s) in use (40.0%); potential leaks 0 byte(s) (0.0%).",
                "Found 5 block(s) of 80 byte(s) lost (40.0%), first at " + CheckerTesting.Hex(first) + ": Normal block allocated from: List.cs(20)"));
            Assert.AreEqual(5, s.Blocks);
            Assert.AreEqual(80, s.Bytes);
            Assert.AreEqual(1, s.Families);
            Assert.AreEqual(2, c.ReachabilityOf(config));
            Assert.AreEqual(0, c.ReachabilityOf(head));
            CheckerTesting.Valid(c);
        }

        [TestMethod]
        public void InteriorPointer_IsAPotentialLeak()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            int buffer = c.Malloc(64, BlockType.ClientBlock(7), "Sensors.cs", 117);
            int lost = c.Malloc(32, BlockType.Normal, "Radio.cs", 9);
            c.WriteInt32(c.DataSlot(0), buffer + 8, "Main.cs", 1);   // a cursor into the buffer, not its start
            c.WriteInt32(buffer + 8, lost + 32, "Main.cs", 2);       // one past the end of 'lost'
            c.DetectGarbage();
            CheckerTesting.Expect(sink, CheckerTesting.Lines(
                "From Checker: (gar) garbage detector results.",
                "There are 0 leak(s) and 2 potential leak(s), in 2 family(ies).",
                "Leaks consume 0 byte(s) of the 96 byte(s) in use (0.0%); potential leaks 96 byte(s) (100.0%).",
                "Found 1 block(s) of 64 byte(s) maybe lost (66.6%), first at " + CheckerTesting.Hex(buffer) + ": Client block (subtype 7) allocated from: Sensors.cs(117)",
                "Found 1 block(s) of 32 byte(s) maybe lost (33.3%), first at " + CheckerTesting.Hex(lost) + ": Normal block allocated from: Radio.cs(9)"));
            Assert.AreEqual(1, c.ReachabilityOf(buffer));
            Assert.AreEqual(1, c.ReachabilityOf(lost));

            // A start pointer anywhere makes it sure, and what it points to from its start too.
            c.WriteInt32(c.DataSlot(1), buffer, "Main.cs", 3);
            c.WriteInt32(buffer + 8, lost, "Main.cs", 4);
            Assert.AreEqual(0, c.RunDetector(GarbageKind.All).MaybeBlocks);
            Assert.AreEqual(2, c.ReachabilityOf(lost));
        }

        [TestMethod]
        public void Cycles_Terminate_UnreachableCycleIsGarbage()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            int a = c.Malloc(8, BlockType.Normal, "Ring.cs", 1);
            int b = c.Malloc(8, BlockType.Normal, "Ring.cs", 1);
            int self = c.Malloc(8, BlockType.Normal, "Ring.cs", 2);
            c.WriteInt32(a, b, "Ring.cs", 3);
            c.WriteInt32(b, a, "Ring.cs", 4);
            c.WriteInt32(self, self, "Ring.cs", 5);
            GarbageSummary s = c.RunDetector(GarbageKind.All);
            Assert.AreEqual(3, s.Blocks);
            Assert.AreEqual(2, s.Families);
            Assert.AreEqual(2, s.Count[s.Order[0]]);
            Assert.AreEqual(2, s.Line[s.Order[1]]);

            // Reachable through the stack, the ring is kept whole.
            int frame = c.PushFrame(1, "Main.cs", 1);
            c.WriteSlot(frame, 0, b, "Main.cs", 2);
            s = c.RunDetector(GarbageKind.All);
            Assert.AreEqual(1, s.Blocks);
            Assert.AreEqual(2, c.ReachabilityOf(a));
            Assert.IsTrue(c.ScannedWords < 200);
        }

        [TestMethod]
        public void StackFrame_GoingOutOfScope_LeavesItsBlocksUnreachable()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            int frame = c.PushFrame(2, "Parser.cs", 30);
            int token = c.Malloc(24, BlockType.Normal, "Parser.cs", 31);
            c.WriteSlot(frame, 1, token, "Parser.cs", 32);
            Assert.AreEqual(0, c.RunDetector(GarbageKind.All).Blocks);
            c.PopFrame(frame, "Parser.cs", 40);
            c.DetectGarbage();
            CheckerTesting.Expect(sink, CheckerTesting.Lines(
                "From Checker: (gar) garbage detector results.",
                "There are 1 leak(s) and 0 potential leak(s), in 1 family(ies).",
                "Leaks consume 24 byte(s) of the 24 byte(s) in use (100.0%); potential leaks 0 byte(s) (0.0%).",
                "Found 1 block(s) of 24 byte(s) lost (100.0%), first at " + CheckerTesting.Hex(token) + ": Normal block allocated from: Parser.cs(31)"));
        }

        [TestMethod]
        public void Evolution_ReportsOnlyNewLeaks_ClearForgets()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            c.Malloc(16, BlockType.Normal, "Old.cs", 1);
            c.Malloc(16, BlockType.Normal, "Old.cs", 1);
            Assert.AreEqual(2, c.DetectNewGarbage().Blocks);
            sink.Clear();
            int fresh = c.Malloc(40, BlockType.Normal, "New.cs", 2);
            c.DetectNewGarbage();
            CheckerTesting.Expect(sink, CheckerTesting.Lines(
                "From Checker: (gar) evolution detector results: leaks new since the last run.",
                "There are 1 leak(s) and 0 potential leak(s), in 1 family(ies).",
                "Leaks consume 40 byte(s) of the 72 byte(s) in use (55.5%); potential leaks 0 byte(s) (0.0%).",
                "Found 1 block(s) of 40 byte(s) lost (55.5%), first at " + CheckerTesting.Hex(fresh) + ": Normal block allocated from: New.cs(2)"));
            c.DetectNewGarbage();
            CheckerTesting.Expect(sink, CheckerTesting.Lines(
                "From Checker: (gar) evolution detector results: leaks new since the last run.",
                "There are 0 leak(s) and 0 potential leak(s), in 0 family(ies)."));

            // A quiet run reports nothing and marks nothing; the full detector still reports them
            // all; after a clear the evolution does too.
            Assert.AreEqual(3, c.RunDetector(GarbageKind.All).Blocks);
            Assert.AreEqual(0, c.RunDetector(GarbageKind.New).Blocks);
            Assert.AreEqual(3, c.DetectGarbage().Blocks);
            Assert.AreEqual(0, c.DetectNewGarbage().Blocks);
            c.ClearGarbageHistory();
            Assert.AreEqual(3, c.DetectNewGarbage().Blocks);

            // A block freed and a new one at the same address is a new leak.
            c.ReleaseAged();
            c.SetOptions("-a=0");
            c.Free(fresh, "New.cs", 3);
            int again = c.Malloc(40, BlockType.Normal, "New.cs", 4);
            Assert.AreEqual(fresh, again);
            Assert.AreEqual(1, c.DetectNewGarbage().Blocks);
            CheckerTesting.Valid(c);
        }

        [TestMethod]
        public void InUse_ListsReachableBlocksBySite()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            int head = BuildList(c, 3);
            c.WriteInt32(c.DataSlot(0), head, "Main.cs", 1);
            int config = c.Calloc(1, 100, BlockType.ClientBlock(2), "Config.cs", 8);
            c.WriteInt32(c.DataSlot(1), config + 4, "Main.cs", 2);
            c.Malloc(52, BlockType.Normal, "Leak.cs", 3);
            int first = head;
            for (int node = head; node != 0; node = Bytes.GetInt32(c.Memory, node))
            {
                first = node < first ? node : first;
            }

            GarbageSummary s = c.ReportInUse();
            CheckerTesting.Expect(sink, CheckerTesting.Lines(
                "From Checker: (inu) blocks in use.",
                "There are 4 block(s) in use, 148 byte(s), in 2 family(ies).",
                "Found 3 block(s) of 48 byte(s) in use (24.0%), first at " + CheckerTesting.Hex(first) + ": Normal block allocated from: List.cs(20)",
                "Found 1 block(s) of 100 byte(s) in use (50.0%), first at " + CheckerTesting.Hex(config) + ": Client block (subtype 2) allocated from: Config.cs(8)"));
            Assert.AreEqual(5, s.LiveBlocks);
            Assert.AreEqual(200, s.LiveBytes);
        }

        [TestMethod]
        public void Families_SortedByCount_TypesAndSubtypesApart()
        {
            CheckerHeap c = CheckerTesting.New(new MemorySink());
            for (int i = 0; i < 3; i++)
            {
                c.Malloc(8, BlockType.ClientBlock(1), "Pool.cs", 5);
            }

            c.Malloc(8, BlockType.ClientBlock(2), "Pool.cs", 5);
            c.Malloc(8, BlockType.ClientBlock(2), "Pool.cs", 5);
            c.Malloc(500, BlockType.Normal, "Pool.cs", 5);
            c.Malloc(500, BlockType.Normal, "Pool.cs", 6);
            GarbageSummary s = c.RunDetector(GarbageKind.All);
            Assert.AreEqual(4, s.Families);
            Assert.AreEqual(3, s.Count[s.Order[0]]);
            Assert.AreEqual(BlockType.ClientBlock(1), s.Use[s.Order[0]]);
            Assert.AreEqual(2, s.Count[s.Order[1]]);
            Assert.AreEqual(BlockType.ClientBlock(2), s.Use[s.Order[1]]);
            Assert.AreEqual(5, s.Line[s.Order[2]]);   // equal counts and bytes: the lower address first
            Assert.AreEqual(6, s.Line[s.Order[3]]);
        }

        [TestMethod]
        public void Families_OfBlocksWithNoFile_AreOneFamilyPerLine()
        {
            // A family's file is kept in a string[]: two blocks with no file (null) and the same
            // line are one family.
            CheckerHeap c = CheckerTesting.New(new MemorySink());
            c.Malloc(8, BlockType.Normal, null, 7);
            c.Malloc(8, BlockType.Normal, null, 7);
            c.Malloc(8, BlockType.Normal, null, 7);
            GarbageSummary s = c.RunDetector(GarbageKind.All);
            Assert.AreEqual(1, s.Families);
            Assert.AreEqual(3, s.Count[s.Order[0]]);
            if (s.File[s.Order[0]] != null)
            {
                // A branch, not Assert.IsNull (see DebugHookTests.BreakAlloc_CallsTheBreakHookAtThatRequest).
                Assert.IsTrue(false, "the family's file is " + s.File[s.Order[0]]);
            }

            Assert.AreEqual(7, s.Line[s.Order[0]]);
        }

        [TestMethod]
        public void Families_BeyondTheTable_GoToOneLastRow()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            for (int i = 0; i < CheckerHeap.MaxFamilies + 3; i++)
            {
                c.Malloc(8, BlockType.Normal, "Many.cs", 100 + i);
            }

            GarbageSummary s = c.DetectGarbage();
            Assert.AreEqual(CheckerHeap.MaxFamilies, s.Families);
            Assert.AreEqual(CheckerHeap.MaxFamilies + 3, s.Blocks);
            int last = s.Order[0];
            Assert.AreEqual(4, s.Count[last]);
            Assert.AreEqual(-1, s.Line[last]);
            Assert.IsTrue(sink.Text.IndexOf("Found 4 block(s) of 32 byte(s) lost (14.8%), first at ") > 0);
            Assert.IsTrue(sink.Text.IndexOf(": in other families (the family table is full)\n") > 0);
        }

        [TestMethod]
        public void AgedBlocksAndDanglingPointers_AreNeitherLeaksNorReferences()
        {
            CheckerHeap c = CheckerTesting.New(new MemorySink());
            int holder = c.Malloc(8, BlockType.Normal, "A.cs", 1);
            int child = c.Malloc(8, BlockType.Normal, "A.cs", 2);
            c.WriteInt32(holder, child, "A.cs", 3);
            c.WriteInt32(c.DataSlot(0), holder, "A.cs", 4);
            c.Free(holder, "A.cs", 5);   // aged, still pointing at child; the global now dangles
            GarbageSummary s = c.RunDetector(GarbageKind.All);
            Assert.AreEqual(1, s.LiveBlocks);
            Assert.AreEqual(1, s.Blocks);
            Assert.AreEqual(0, c.ReachabilityOf(child));
            Assert.AreEqual(-1, c.ReachabilityOf(holder));
        }

        [TestMethod]
        public void OnlyAlignedWordsAndBlockData_AreReferences()
        {
            CheckerHeap c = CheckerTesting.New(new MemorySink());
            int a = c.Malloc(8, BlockType.Normal, "A.cs", 1);
            int b = c.Malloc(8, BlockType.Normal, "A.cs", 2);
            int d = c.Malloc(8, BlockType.Normal, "A.cs", 3);
            c.Fill(c.DataStart, 12, 0, "A.cs", 4);
            c.WriteInt32(c.DataStart + 1, a, "A.cs", 5);                   // unaligned: not seen
            c.WriteInt32(c.DataSlot(2), b - DebugHeap.HEADER_BYTES, "A.cs", 6);   // its header: not a reference
            c.WriteInt32(c.DataSlot(3), d, "A.cs", 7);
            GarbageSummary s = c.RunDetector(GarbageKind.All);
            Assert.AreEqual(0, c.ReachabilityOf(a));
            Assert.AreEqual(0, c.ReachabilityOf(b));
            Assert.AreEqual(2, c.ReachabilityOf(d));
            Assert.AreEqual(2, s.Blocks);
        }

        [TestMethod]
        public void IgnoreBlocks_AreFoundToo_WithoutASite()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            c.DebugHeap.SetDbgFlag(0);   // ALLOC_MEM_DF off: the debug heap makes ignore blocks
            int p = CheckerTesting.Malloc(c, 12, "Untracked.cs", 1);
            c.DetectGarbage();
            CheckerTesting.Expect(sink, CheckerTesting.Lines(
                "From Checker: (gar) garbage detector results.",
                "There are 1 leak(s) and 0 potential leak(s), in 1 family(ies).",
                "Leaks consume 12 byte(s) of the 12 byte(s) in use (100.0%); potential leaks 0 byte(s) (0.0%).",
                "Found 1 block(s) of 12 byte(s) lost (100.0%), first at " + CheckerTesting.Hex(p) + ": Ignore block allocated from: (unknown)"));
            CheckerTesting.Free(c, p, "Untracked.cs", 2);
            c.ReleaseAged();
            CheckerTesting.Valid(c);
        }

        [TestMethod]
        public void Records_OneGarbPerFamily_LostThenMaybe_InADump()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.NewWithRecords(sink);
            c.Reporter.Forms = ReportForm.Records;
            int a = c.Malloc(16, BlockType.Normal, "C:\\src\\List.cs", 20);
            c.Malloc(16, BlockType.Normal, "C:\\src\\List.cs", 20);
            int m = c.Malloc(16, BlockType.ClientBlock(7), "Maybe.cs", 1);
            c.WriteInt32(c.DataSlot(0), m + 4, "Main.cs", 1);
            c.DetectGarbage();
            string[] lines = sink.Text.Split('\n');
            Assert.AreEqual(5, lines.Length);
            Assert.AreEqual("@CN1 BEGIN n=1 d=1 why=garbage rev=4", ReportTesting.CheckedBody(lines[0]));
            Assert.AreEqual("@CN1 GARB n=2 d=1 fam=1 kind=lost count=2 bytes=32 addr=" + CheckerTesting.Hex(a) + " type=1 line=20 file=List.cs",
                ReportTesting.CheckedBody(lines[1]));
            Assert.AreEqual("@CN1 GARB n=3 d=1 fam=2 kind=maybe count=1 bytes=16 addr=" + CheckerTesting.Hex(m) + " type=4 sub=7 line=1 file=Maybe.cs",
                ReportTesting.CheckedBody(lines[2]));
            Assert.AreEqual("@CN1 END n=4 d=1 count=2", ReportTesting.CheckedBody(lines[3]));
            Assert.AreEqual("", lines[4]);

            // Nothing new: no dump.
            sink.Clear();
            c.DetectNewGarbage();
            Assert.AreEqual("", sink.Text);

            // The in-use report: the reachable blocks (through an interior pointer too), in a dump of their own.
            c.WriteInt32(c.DataSlot(1), a, "Main.cs", 2);
            c.ReportInUse();
            lines = sink.Text.Split('\n');
            Assert.AreEqual(5, lines.Length);
            Assert.AreEqual("@CN1 BEGIN n=5 d=2 why=inuse rev=4", ReportTesting.CheckedBody(lines[0]));
            Assert.AreEqual("@CN1 GARB n=6 d=2 fam=1 kind=inuse count=1 bytes=16 addr=" + CheckerTesting.Hex(a) + " type=1 line=20 file=List.cs",
                ReportTesting.CheckedBody(lines[1]));
            Assert.AreEqual("@CN1 GARB n=7 d=2 fam=2 kind=inuse count=1 bytes=16 addr=" + CheckerTesting.Hex(m) + " type=4 sub=7 line=1 file=Maybe.cs",
                ReportTesting.CheckedBody(lines[2]));
            Assert.AreEqual("@CN1 END n=8 d=2 count=2", ReportTesting.CheckedBody(lines[3]));
        }

        [TestMethod]
        public void ReadmeExample_ListLost_CursorMaybe_ConfigKept()
        {
            // Checker/README.md's garbage report, byte for byte.
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.NewWithRecords(sink);
            int config = c.Malloc(120, BlockType.Normal, "Config.cs", 8);
            c.WriteInt32(c.DataSlot(1), config, "Config.cs", 9);
            int head = 0;
            for (int i = 0; i < 5; i++)
            {
                int node = c.Malloc(16, BlockType.Normal, "List.cs", 20);
                c.WriteInt32(node, head, "List.cs", 21);
                head = node;
            }

            c.WriteInt32(c.DataSlot(0), head, "List.cs", 23);
            c.WriteInt32(c.DataSlot(0), 0, "List.cs", 30);                            // the head is overwritten
            int buffer = c.Malloc(64, BlockType.ClientBlock(7), "Sensors.cs", 117);
            c.WriteInt32(c.DataSlot(2), buffer + 8, "Sensors.cs", 118);              // a cursor into the buffer
            sink.Clear();
            c.DetectGarbage();
            CheckerTesting.Expect(sink, CheckerTesting.Lines(
                "From Checker: (gar) garbage detector results.",
                "There are 5 leak(s) and 1 potential leak(s), in 2 family(ies).",
                "Leaks consume 80 byte(s) of the 264 byte(s) in use (30.3%); potential leaks 64 byte(s) (24.2%).",
                "Found 5 block(s) of 80 byte(s) lost (30.3%), first at 0x0000493C: Normal block allocated from: List.cs(20)",
                "Found 1 block(s) of 64 byte(s) maybe lost (24.2%), first at 0x0000593C: Client block (subtype 7) allocated from: Sensors.cs(117)",
                ReportTesting.Sealed("@CN1 BEGIN n=1 d=1 why=garbage rev=4"),
                ReportTesting.Sealed("@CN1 GARB n=2 d=1 fam=1 kind=lost count=5 bytes=80 addr=0x0000493C type=1 line=20 file=List.cs"),
                ReportTesting.Sealed("@CN1 GARB n=3 d=1 fam=2 kind=maybe count=1 bytes=64 addr=0x0000593C type=4 sub=7 line=117 file=Sensors.cs"),
                ReportTesting.Sealed("@CN1 END n=4 d=1 count=2")));
        }

        [TestMethod]
        public void Section_InAHeapReportDump()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.NewWithRecords(sink);
            int a = c.Malloc(16, BlockType.Normal, "List.cs", 20);
            HeapReport report = new HeapReport(c.Heap, c.Reporter);
            report.AddSection(new CheckerSection(c));
            sink.Clear();
            report.Dump("call", 1000, HeapReport.OtherSections);
            string text = sink.Text;
            Assert.IsTrue(text.IndexOf("From Checker: (gar) garbage detector results.\nThere are 1 leak(s) and 0 potential leak(s), in 1 family(ies).\n") > 0);
            Assert.IsTrue(text.IndexOf("@CN1 GARB n=2 d=1 fam=1 kind=lost count=1 bytes=16 addr=" + CheckerTesting.Hex(a) + " type=1 line=20 file=List.cs *") > 0);
            Assert.AreEqual(1, c.DetectorRuns);

            // Records only: the records pass runs the detector itself.
            c.Reporter.Forms = ReportForm.Records;
            sink.Clear();
            report.Dump("call", 2000, HeapReport.OtherSections);
            Assert.IsTrue(sink.Text.IndexOf(" GARB ") > 0);
            Assert.AreEqual(2, c.DetectorRuns);

            // Command C: Checker's check.
            c.Reporter.Forms = ReportForm.Both;
            sink.Clear();
            Assert.AreEqual(0, report.Check());
            Assert.IsTrue(sink.Text.IndexOf("[check] checker: ok\n") > 0);
            Assert.IsTrue(sink.Text.IndexOf("@CN1 CHECK ") > 0);
        }

        [TestMethod]
        public void Shutdown_ReleasesAgedBlocks_AndReportsWhatIsLeft()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            int kept = c.Malloc(8, BlockType.Normal, "A.cs", 1);
            c.WriteInt32(c.DataSlot(0), kept, "A.cs", 2);
            c.Free(c.Malloc(8, BlockType.Normal, "A.cs", 3), "A.cs", 4);
            int leak = c.Malloc(12, BlockType.Normal, "Leak.cs", 5);
            c.Shutdown();
            Assert.AreEqual(0, c.AgingCount);
            CheckerTesting.Expect(sink, CheckerTesting.Lines(
                "From Checker: (gar) evolution detector results: leaks new since the last run.",
                "There are 1 leak(s) and 0 potential leak(s), in 1 family(ies).",
                "Leaks consume 12 byte(s) of the 20 byte(s) in use (60.0%); potential leaks 0 byte(s) (0.0%).",
                "Found 1 block(s) of 12 byte(s) lost (60.0%), first at " + CheckerTesting.Hex(leak) + ": Normal block allocated from: Leak.cs(5)"));
            CheckerTesting.Valid(c);
        }
    
        [TestMethod]
        public void Roots_InARegisteredIntArray_KeepBlocksReachable()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            int[] roots = new int[2];
            c.AddRoots(roots);
            Assert.AreEqual(1, c.RootArrays);
            int head = BuildList(c, 3);
            int cursor = c.Malloc(32, BlockType.Normal, "Log.cs", 5);
            roots[0] = head;          // a C# field holding the list's head
            roots[1] = cursor + 4;    // and an interior offset
            c.DetectGarbage();
            CheckerTesting.Expect(sink, CheckerTesting.Lines(
                "From Checker: (gar) garbage detector results.",
                "There are 0 leak(s) and 1 potential leak(s), in 1 family(ies).",
                "Leaks consume 0 byte(s) of the 80 byte(s) in use (0.0%); potential leaks 32 byte(s) (40.0%).",
                "Found 1 block(s) of 32 byte(s) maybe lost (40.0%), first at " + CheckerTesting.Hex(cursor) + ": Normal block allocated from: Log.cs(5)"));
            Assert.AreEqual(2, c.ReachabilityOf(head));

            // A slot cleared: what it held is lost.
            roots[1] = 0;
            c.DetectGarbage();
            CheckerTesting.Expect(sink, CheckerTesting.Lines(
                "From Checker: (gar) garbage detector results.",
                "There are 1 leak(s) and 0 potential leak(s), in 1 family(ies).",
                "Leaks consume 32 byte(s) of the 80 byte(s) in use (40.0%); potential leaks 0 byte(s) (0.0%).",
                "Found 1 block(s) of 32 byte(s) lost (40.0%), first at " + CheckerTesting.Hex(cursor) + ": Normal block allocated from: Log.cs(5)"));

            // Unregistered: nothing holds the list any more.
            Assert.IsTrue(c.RemoveRoots(roots));
            Assert.IsFalse(c.RemoveRoots(roots));
            Assert.AreEqual(0, c.RootArrays);
            GarbageSummary s = c.DetectGarbage();
            Assert.AreEqual(4, s.Blocks);
            Assert.AreEqual(0, c.ReachabilityOf(head));
            sink.Clear();

            // Bad input: null, and an array registered twice.
            c.AddRoots(roots);
            Assert.ThrowsException(typeof(System.ArgumentException), () => c.AddRoots(roots));

            Assert.ThrowsException(typeof(System.ArgumentNullException), () => c.AddRoots(null));
            Assert.ThrowsException(typeof(System.ArgumentNullException), () => c.RemoveRoots(null));
            Assert.AreEqual(1, c.RootArrays);
            Assert.AreEqual("", sink.Text);
            CheckerTesting.Valid(c);
        }
}
}
