// Bad input and damaged maps: a corrupted bitmap, block map or debug header, blocks made behind
// Checker's back. Each gives a clear message (Validate) or a "bmd" report, never a crash or a hang.
using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class CheckerValidateTests
    {
        /// <summary>Sets the bitmap byte covering <paramref name="address"/> (4 bytes) to <paramref name="value"/>, as a stray write would.</summary>
        private static void Corrupt(CheckerHeap c, int address, byte value)
        {
            c.Memory[c.BitmapStart + ((address - c.DataStart) >> 2)] = value;
        }

        [TestMethod]
        public void Validate_OfAFreshChecker_IsClean()
        {
            CheckerHeap c = CheckerTesting.New(new MemorySink());
            Assert.IsNull(c.Validate());
            Assert.IsTrue(c.CheckMemory());
        }

        [TestMethod]
        public void CorruptedBitmap_HeaderMarkedReadWrite()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            int p = CheckerTesting.Malloc(c, 64, "A.cs", 1);
            Corrupt(c, p - 8, 0xFF);
            Assert.AreEqual("bitmap: byte 0x00003934 is read-write but lies outside every block's data", c.Validate());
            Assert.IsFalse(c.CheckMemory());
            CheckerTesting.Expect(sink, CheckerTesting.Lines(
                "From Checker: (bmd) Checker's maps are damaged.",
                "bitmap: byte 0x00003934 is read-write but lies outside every block's data"));
            Assert.AreEqual(1, c.ErrorCount(CheckerError.MapsDamaged));
        }

        [TestMethod]
        public void CorruptedBitmap_AccessesItRefuses_AreReportedAsDamage()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            int p = CheckerTesting.Malloc(c, 64, "A.cs", 1);
            Corrupt(c, p + 8, 0x00);
            Corrupt(c, c.DataSlot(1), 0x00);
            Assert.AreEqual("bitmap: data zone byte 0x00003824 is unavailable", c.Validate());
            c.WriteInt32(p + 8, 1, "Main.cs", 1);
            c.ReadInt32(c.DataSlot(1), "Main.cs", 2);
            CheckerTesting.Expect(sink, CheckerTesting.Lines(
                "From Checker: (bmd) Checker's maps are damaged.",
                "When Writing 4 byte(s) at address 0x00003944, in the heap: the bitmap marks byte 0x00003944 unavailable",
                "The access was made from: Main.cs(1)",
                "From Checker: (bmd) Checker's maps are damaged.",
                "When Reading 4 byte(s) at address 0x00003824, in the data zone: the bitmap marks byte 0x00003824 unavailable",
                "The access was made from: Main.cs(2)"));
        }

        [TestMethod]
        public void CorruptedBlockMap_BogusBlock_IsSkippedAndRefused()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            int p = CheckerTesting.Malloc(c, 64, "A.cs", 1);
            int bogus = c.HeapStart + 512;   // a free fragment's start
            c.Memory[c.BlockMapStart + (512 / 32)] = (byte)CheckerHeap.G_START;
            Assert.AreEqual("block map: a block at 0x00003B3C but the base heap has no live block at 0x00003B20", c.Validate());

            c.Free(bogus + DebugHeap.HEADER_BYTES, "Main.cs", 1);
            GarbageSummary s = c.DetectGarbage();
            Assert.AreEqual(1, s.Skipped);
            Assert.AreEqual(1, s.Blocks);
            CheckerTesting.Expect(sink, CheckerTesting.Lines(
                "From Checker: (bmd) Checker's maps are damaged.",
                "the block map has a block at 0x00003B3C that the debug heap does not know",
                "The call was made from: Main.cs(1)",
                "From Checker: (gar) garbage detector results.",
                "There are 1 leak(s) and 0 potential leak(s), in 1 family(ies).",
                "Leaks consume 64 byte(s) of the 64 byte(s) in use (100.0%); potential leaks 0 byte(s) (0.0%).",
                "Found 1 block(s) of 64 byte(s) lost (100.0%), first at " + CheckerTesting.Hex(p) + ": Normal block allocated from: A.cs(1)",
                "1 block(s) of the block map were skipped: the debug heap does not know them (see CheckMemory)."));
            Assert.AreEqual(1, c.LiveBlocks);
        }

        [TestMethod]
        public void CorruptedBlockMap_LiveBlockForgotten()
        {
            CheckerHeap c = CheckerTesting.New(new MemorySink());
            int p = CheckerTesting.Malloc(c, 64, "A.cs", 1);
            c.Memory[c.BlockMapStart] = 0;
            Assert.AreEqual("bitmap: byte 0x0000393C is write-only but lies outside every block's data", c.Validate());
        }

        [TestMethod]
        public void BlocksMadeBehindCheckersBack_AreNoticed()
        {
            CheckerHeap c = CheckerTesting.New(new MemorySink());
            CheckerTesting.Malloc(c, 64, "A.cs", 1);
            c.DebugHeap.Malloc(8, BlockType.Normal, "Direct.cs", 1);
            Assert.AreEqual("counts: the debug heap holds 2 blocks, Checker knows 1 (blocks allocated or freed behind Checker's back?)", c.Validate());
        }

        [TestMethod]
        public void DamagedDebugHeader_IsTheDebugHeapsFinding()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            int p = CheckerTesting.Malloc(c, 64, "A.cs", 1);
            Bytes.PutInt32(c.Memory, p - DebugHeap.HEADER_BYTES + 12, 77);   // the header's block use
            string problem = c.Validate();
            Assert.IsTrue(problem.StartsWith("debug heap: "), problem);

            // Free refuses the block: the maps say it is live, the debug heap does not know it.
            c.Free(p, "Main.cs", 1);
            Assert.AreEqual(1, c.ErrorCount(CheckerError.MapsDamaged));
            Assert.AreEqual(1, c.LiveBlocks);
        }

        [TestMethod]
        public void DamagedFrameHeader_DepthMismatch()
        {
            CheckerHeap c = CheckerTesting.New(new MemorySink());
            int f = c.PushFrame(1, "Main.cs", 1);
            Bytes.PutInt32(c.Memory, f + 4, 5);
            Assert.AreEqual("stack: the frame at 0x0000FFF4 has depth 5, expected 1", c.Validate());
        }
    }
}
