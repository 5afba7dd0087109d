// The stack zone: frames, slots, and every stack error with its exact report.
using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class CheckerStackTests
    {
        [TestMethod]
        public void PushAndPop_MoveTheStackPointer()
        {
            CheckerHeap c = CheckerTesting.New(new MemorySink());
            Assert.AreEqual(c.StackTop, c.StackPointer);
            int outer = c.PushFrame(3, "Main.cs", 1);
            Assert.AreEqual(0x10000 - 20, outer);
            int inner = c.PushFrame(0, "Main.cs", 2);
            Assert.AreEqual(outer - 8, inner);
            Assert.AreEqual(2, c.FrameDepth);
            CheckerTesting.Valid(c);
            c.WriteSlot(outer, 2, 42, "Main.cs", 3);
            Assert.AreEqual(42, c.ReadSlot(outer, 2, "Main.cs", 4));
            Assert.AreEqual(outer + 16, c.SlotAddress(outer, 2, "Main.cs", 5));
            Assert.AreEqual(42, c.ReadInt32(outer + 16, "Main.cs", 6));
            c.PopFrame(inner, "Main.cs", 7);
            c.PopFrame(outer, "Main.cs", 8);
            Assert.AreEqual(c.StackTop, c.StackPointer);
            Assert.AreEqual(0, c.FrameDepth);
            Assert.AreEqual(0, c.TotalErrors);
            CheckerTesting.Valid(c);
        }

        [TestMethod]
        public void Rus_ReadOfAnUnwrittenSlot()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            int f = c.PushFrame(4, "Sensors.cs", 200);
            c.WriteSlot(f, 0, 1, "Sensors.cs", 201);
            c.ReadSlot(f, 2, "Sensors.cs", 202);
            CheckerTesting.Expect(sink, CheckerTesting.Lines(
                "From Checker: (rus) read uninitialized byte(s) in the stack.",
                "When Reading 4 byte(s) at address 0x0000FFF8, slot 2 of a frame (start: 0x0000FFE8, 4 slot(s))",
                "The frame was pushed from: Sensors.cs(200)",
                "The access was made from: Sensors.cs(202)"));
            Assert.AreEqual(1, c.ErrorCount(CheckerError.ReadUninitializedStack));
        }

        [TestMethod]
        public void Rus_InAFramePushedWithNoFile_HasNoPushSite()
        {
            // The frame's file is kept in a string[] and comes back as null: no push site is claimed.
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            int f = c.PushFrame(4, null, 0);
            c.ReadSlot(f, 2, "Sensors.cs", 202);
            CheckerTesting.Expect(sink, CheckerTesting.Lines(
                "From Checker: (rus) read uninitialized byte(s) in the stack.",
                "When Reading 4 byte(s) at address 0x0000FFF8, slot 2 of a frame (start: 0x0000FFE8, 4 slot(s))",
                "The access was made from: Sensors.cs(202)"));
        }

        [TestMethod]
        public void Bvs_SlotOutsideItsFrame_AndDeadFrames()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            int f = c.PushFrame(4, "Sensors.cs", 200);
            c.WriteSlot(f, 4, 1, "Sensors.cs", 210);
            Assert.AreEqual(0, c.ReadSlot(f, -1, "Sensors.cs", 211));
            c.PopFrame(f, "Sensors.cs", 212);
            c.ReadSlot(f, 0, "Sensors.cs", 213);
            CheckerTesting.Expect(sink, CheckerTesting.Lines(
                "From Checker: (bvs) bounds violation in the stack.",
                "When Writing slot 4 of a frame (start: 0x0000FFE8, 4 slot(s)): outside the frame",
                "The frame was pushed from: Sensors.cs(200)",
                "The access was made from: Sensors.cs(210)",
                "From Checker: (bvs) bounds violation in the stack.",
                "When Reading slot -1 of a frame (start: 0x0000FFE8, 4 slot(s)): outside the frame",
                "The frame was pushed from: Sensors.cs(200)",
                "The access was made from: Sensors.cs(211)",
                "From Checker: (bvs) bounds violation in the stack.",
                "When Reading slot 0 of frame 0x0000FFE8: no such frame on the stack (stack pointer 0x00010000)",
                "The access was made from: Sensors.cs(213)"));
            Assert.AreEqual(3, c.ErrorCount(CheckerError.BoundsViolationStack));
        }

        [TestMethod]
        public void Bvs_AbsoluteAccesses_BelowTheStackPointer_AndOnAHeader()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            int f = c.PushFrame(2, "Main.cs", 1);
            c.ReadInt32(f - 4, "Main.cs", 2);
            c.WriteInt32(f + 4, 0, "Main.cs", 3);
            c.ReadInt32(f + 14, "Main.cs", 4);
            CheckerTesting.Expect(sink, CheckerTesting.Lines(
                "From Checker: (bvs) bounds violation in the stack.",
                "When Reading 4 byte(s) at address 0x0000FFEC, below the stack pointer (0x0000FFF0): in no frame",
                "The access was made from: Main.cs(2)",
                "From Checker: (bvs) bounds violation in the stack.",
                "When Writing 4 byte(s) at address 0x0000FFF4, in the header of a frame (start: 0x0000FFF0, 2 slot(s))",
                "The frame was pushed from: Main.cs(1)",
                "The access was made from: Main.cs(3)",
                "From Checker: (bvs) bounds violation in the stack.",
                "When Reading 4 byte(s) at address 0x0000FFFE, slot 1 (+2) of a frame (start: 0x0000FFF0, 2 slot(s))",
                "The frame was pushed from: Main.cs(1)",
                "The access was made from: Main.cs(4)"));
            Assert.AreEqual(unchecked(CheckerHeap.FRAME_MAGIC | 2), Bytes.GetInt32(c.Memory, f));
            CheckerTesting.Valid(c);
        }

        [TestMethod]
        public void Sfp_PoppedTwice_ChangesNothing()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            int outer = c.PushFrame(1, "Main.cs", 1);
            int f = c.PushFrame(1, "Main.cs", 2);
            c.PopFrame(f, "Main.cs", 3);
            c.PopFrame(f, "Main.cs", 4);
            CheckerTesting.Expect(sink, CheckerTesting.Lines(
                "From Checker: (sfp) bad stack frame pop.",
                "When popping frame 0x0000FFE8: no such frame on the stack (popped twice?); stack pointer 0x0000FFF4",
                "The call was made from: Main.cs(4)"));
            Assert.AreEqual(outer, c.StackPointer);
            Assert.AreEqual(1, c.FrameDepth);
            c.PopFrame(12345, "Main.cs", 5);
            Assert.AreEqual(2, c.ErrorCount(CheckerError.BadFramePop));
            CheckerTesting.Valid(c);
        }

        [TestMethod]
        public void Sfp_OuterFramePoppedFirst_UnwindsTheInnerOnes()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            int a = c.PushFrame(1, "Main.cs", 1);
            int b = c.PushFrame(1, "Main.cs", 2);
            c.PushFrame(1, "Main.cs", 3);
            c.PopFrame(b, "Main.cs", 4);
            CheckerTesting.Expect(sink, CheckerTesting.Lines(
                "From Checker: (sfp) bad stack frame pop.",
                "When popping frame 0x0000FFE8: 1 inner frame(s) were still pushed; they were popped with it",
                "The call was made from: Main.cs(4)"));
            Assert.AreEqual(a, c.StackPointer);
            Assert.AreEqual(1, c.FrameDepth);
            CheckerTesting.Valid(c);
        }

        [TestMethod]
        public void Sfp_DamagedFrameHeader_IsReported_NoCrash()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            int a = c.PushFrame(1, "Main.cs", 1);
            int b = c.PushFrame(1, "Main.cs", 2);
            Bytes.PutInt32(c.Memory, b, 0x12345678);   // a stray write over the inner frame's header
            Assert.AreEqual("stack: the frame header at 0x0000FFE8 is damaged", c.Validate());
            c.PopFrame(a, "Main.cs", 3);
            CheckerTesting.Expect(sink, CheckerTesting.Lines(
                "From Checker: (sfp) bad stack frame pop.",
                "When popping frame 0x0000FFF4: the frame header at 0x0000FFE8 is damaged; nothing was popped",
                "The call was made from: Main.cs(3)"));

            // The detector still runs: it scans the damaged part of the stack wholesale.
            int p = c.Malloc(8, BlockType.Normal, "A.cs", 1);
            c.WriteSlot(a, 0, p, "Main.cs", 4);
            Assert.AreEqual(0, c.RunDetector(GarbageKind.All).Blocks);
            Assert.AreEqual(2, c.ReachabilityOf(p));
        }

        [TestMethod]
        public void Sov_FrameLargerThanTheStackZone()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            c.PushFrame(200, "Main.cs", 1);
            Assert.AreEqual(0, c.PushFrame(100, "Main.cs", 2));
            CheckerTesting.Expect(sink, CheckerTesting.Lines(
                "From Checker: (sov) stack overflow.",
                "When pushing a frame of 100 slot(s) (408 bytes): the stack pointer (0x0000FCD8) may not go below the stack limit (0x0000FC00)",
                "The call was made from: Main.cs(2)"));
            Assert.AreEqual(1, c.FrameDepth);
            Assert.AreNotEqual(0, c.PushFrame(52, "Main.cs", 3));   // 216 bytes still fit exactly
            Assert.AreEqual(c.StackLimit, c.StackPointer);
            CheckerTesting.Valid(c);
        }

        [TestMethod]
        public void DeepFrames_HaveNoPushSiteBeyondTheTable()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            int f = 0;
            for (int i = 0; i < CheckerHeap.MaxFrameSites + 1; i++)
            {
                f = c.PushFrame(1, "Deep.cs", i);
            }

            c.ReadSlot(f, 0, "Deep.cs", 99);
            Assert.AreEqual(-1, sink.Text.IndexOf("pushed from"));
            Assert.AreEqual(1, c.ErrorCount(CheckerError.ReadUninitializedStack));
            CheckerTesting.Valid(c);
        }
    }
}
