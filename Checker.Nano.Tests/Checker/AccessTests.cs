// Checked accesses: every error code an access can give, with its exact report.
using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class CheckerAccessTests
    {
        [TestMethod]
        public void Ruh_ReadOfUninitializedBytes()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            int p = CheckerTesting.Malloc(c, 64, "Sensors.cs", 117);
            c.WriteInt32(p, 1, "Sensors.cs", 120);
            int v = c.ReadInt32(p + 12, "Sensors.cs", 130);
            Assert.AreEqual(unchecked((int)0xCDCDCDCD), v);   // the read goes ahead: the debug heap's fill
            CheckerTesting.Expect(sink, CheckerTesting.Lines(
                "From Checker: (ruh) read uninitialized byte(s) in a block.",
                "When Reading 4 byte(s) at address 0x00003948, 12 bytes into a block (start: 0x0000393C, 64 bytes)",
                "The block was allocated from: Sensors.cs(117)",
                "The access was made from: Sensors.cs(130)"));
            Assert.AreEqual(CheckerError.ReadUninitializedHeap, c.LastError);
            Assert.AreEqual(1, c.ErrorCount(CheckerError.ReadUninitializedHeap));

            // Reading the initialized int is fine, and reading the uninitialized one again reports again.
            Assert.AreEqual(1, c.ReadInt32(p, "Sensors.cs", 131));
            Assert.AreEqual("", sink.Text);
            c.ReadByte(p + 12, "Sensors.cs", 132);
            Assert.AreEqual(2, c.ErrorCount(CheckerError.ReadUninitializedHeap));
            CheckerTesting.Valid(c);
        }

        [TestMethod]
        public void Ruh_PartlyInitialized_AndEachWidth()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            int p = CheckerTesting.Malloc(c, 16, "A.cs", 1);
            c.WriteInt16(p, 1, "A.cs", 2);
            c.ReadInt16(p, "A.cs", 3);
            c.ReadInt16(p + 1, "A.cs", 4);
            c.ReadInt32(p, "A.cs", 5);
            c.CopyOut(p, new byte[8], 0, 8, "A.cs", 6);
            Assert.AreEqual(3, c.ErrorCount(CheckerError.ReadUninitializedHeap));
            Assert.IsTrue(sink.Text.IndexOf("When Reading 2 byte(s) at address " + CheckerTesting.Hex(p + 1) + ", 1 bytes into a block") > 0);
            Assert.IsTrue(sink.Text.IndexOf("When Reading 8 byte(s) at address " + CheckerTesting.Hex(p) + ", 0 bytes into a block (start: " + CheckerTesting.Hex(p) + ", 16 bytes)") > 0);
        }

        [TestMethod]
        public void Bvh_WritePastTheEnd_IsNotDone()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            int p = CheckerTesting.Malloc(c, 64, "Sensors.cs", 117);
            c.WriteInt32(p + 64, 7, "Sensors.cs", 140);
            CheckerTesting.Expect(sink, CheckerTesting.Lines(
                "From Checker: (bvh) block bounds violation in the heap.",
                "When Writing 4 byte(s) at address 0x0000397C, 0 bytes after a block (start: 0x0000393C, 64 bytes)",
                "The block was allocated from: Sensors.cs(117)",
                "The access was made from: Sensors.cs(140)"));

            // The guard is intact: the write was not done, and the debug heap finds no damage.
            Assert.AreEqual((byte)0xFD, c.Memory[p + 64]);
            Assert.IsTrue(c.DebugHeap.CheckMemory());
            CheckerTesting.Valid(c);
        }

        [TestMethod]
        public void Bvh_BeforeTheBlock_AcrossItsEnd_AndOutsideEveryBlock()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            int p = CheckerTesting.Malloc(c, 64, "Sensors.cs", 117);
            c.Calloc(1, 16, BlockType.Normal, "A.cs", 1);
            c.ReadInt32(p - 4, "Main.cs", 1);
            c.ReadInt32(p + 62, "Main.cs", 2);
            c.WriteByte(p + 90, 1, "Main.cs", 3);   // in the fragment's padding
            CheckerTesting.Expect(sink, CheckerTesting.Lines(
                "From Checker: (bvh) block bounds violation in the heap.",
                "When Reading 4 byte(s) at address 0x00003938, 4 bytes before a block (start: 0x0000393C, 64 bytes)",
                "The block was allocated from: Sensors.cs(117)",
                "The access was made from: Main.cs(1)",
                "From Checker: (bvh) block bounds violation in the heap.",
                "When Reading 4 byte(s) at address 0x0000397A, 62 bytes into a block (start: 0x0000393C, 64 bytes)",
                "The block was allocated from: Sensors.cs(117)",
                "The access was made from: Main.cs(2)",
                "From Checker: (bvh) block bounds violation in the heap.",
                "When Writing 1 byte(s) at address 0x00003996, 26 bytes after a block (start: 0x0000393C, 64 bytes)",
                "The block was allocated from: Sensors.cs(117)",
                "The access was made from: Main.cs(3)"));

            // Free memory of the heap (the rest of block 1 beyond its fragments): not in a block.
            int free = c.HeapStart + 1024;
            c.ReadByte(free, "Main.cs", 4);
            CheckerTesting.Expect(sink, CheckerTesting.Lines(
                "From Checker: (bvh) block bounds violation in the heap.",
                "When Reading 1 byte(s) at address 0x00003D20, inside the heap but not in a block",
                "The access was made from: Main.cs(4)"));
            Assert.AreEqual(4, c.ErrorCount(CheckerError.BoundsViolationHeap));
        }

        [TestMethod]
        public void RfbAndWfb_AccessesToAnAgedBlock()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            int p = CheckerTesting.Malloc(c, 64, "Sensors.cs", 117);
            c.WriteInt32(p + 8, 5, "Sensors.cs", 118);
            CheckerTesting.Free(c, p, "Sensors.cs", 150);
            Assert.AreEqual(5, c.ReadInt32(p + 8, "Main.cs", 20));   // the read goes ahead
            c.WriteInt32(p + 8, 6, "Main.cs", 21);
            Assert.AreEqual(5, Bytes.GetInt32(c.Memory, p + 8));    // the write does not
            CheckerTesting.Expect(sink, CheckerTesting.Lines(
                "From Checker: (rfb) read in a free block.",
                "When Reading 4 byte(s) at address 0x00003944, 8 bytes into a free block (start: 0x0000393C, 64 bytes)",
                "The block was allocated from: Sensors.cs(117)",
                "The block was freed from: Sensors.cs(150)",
                "The access was made from: Main.cs(20)",
                "From Checker: (wfb) write/modify a free block.",
                "When Writing 4 byte(s) at address 0x00003944, 8 bytes into a free block (start: 0x0000393C, 64 bytes)",
                "The block was allocated from: Sensors.cs(117)",
                "The block was freed from: Sensors.cs(150)",
                "The access was made from: Main.cs(21)"));
            CheckerTesting.Valid(c);
        }

        [TestMethod]
        public void Wro_WriteToReadOnlyDataBytes()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            c.SetReadOnly(c.DataSlot(2), 8);
            c.WriteInt32(c.DataSlot(3), 5, "Config.cs", 12);
            Assert.AreEqual(0, c.ReadInt32(c.DataSlot(3), "Config.cs", 13));
            CheckerTesting.Expect(sink, CheckerTesting.Lines(
                "From Checker: (wro) write/modify read-only byte(s).",
                "When Writing 4 byte(s) at address 0x0000382C, 12 bytes into the data zone (start: 0x00003820, 256 bytes)",
                "The access was made from: Config.cs(12)"));
            Assert.AreEqual(1, c.ErrorCount(CheckerError.WriteReadOnly));
        }

        [TestMethod]
        public void NzaAndBva_AccessesOutsideEveryZone()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            CheckerTesting.Malloc(c, 64, "A.cs", 1);
            Assert.AreEqual(0, c.ReadInt32(0, "Main.cs", 1));
            c.WriteByte(0x100, 1, "Main.cs", 2);
            c.ReadInt32(c.DataEnd - 2, "Main.cs", 3);
            c.ReadInt32(c.Break + 16, "Main.cs", 4);
            Assert.AreEqual(0, c.ReadInt32(65536, "Main.cs", 5));
            c.WriteInt32(-4, 1, "Main.cs", 6);
            CheckerTesting.Expect(sink, CheckerTesting.Lines(
                "From Checker: (nza) null zone addressed.",
                "When Reading 4 byte(s) at address 0x00000000, in the null zone",
                "The access was made from: Main.cs(1)",
                "From Checker: (bva) access outside every zone.",
                "When Writing 1 byte(s) at address 0x00000100, in Checker's maps",
                "The access was made from: Main.cs(2)",
                "From Checker: (bva) access outside every zone.",
                "When Reading 4 byte(s) at address 0x0000391E, running past the end of the data zone (0x00003920)",
                "The access was made from: Main.cs(3)",
                "From Checker: (bva) access outside every zone.",
                "When Reading 4 byte(s) at address 0x00004930, between the heap's break (0x00004920) and the stack zone (0x0000FC00)",
                "The access was made from: Main.cs(4)",
                "From Checker: (bva) access outside every zone.",
                "When Reading 4 byte(s) at address 0x00010000, outside the arena",
                "The access was made from: Main.cs(5)",
                "From Checker: (bva) access outside every zone.",
                "When Writing 4 byte(s) at address 0xFFFFFFFC, outside the arena",
                "The access was made from: Main.cs(6)"));
            Assert.AreEqual(5, c.ErrorCount(CheckerError.BadAddress));
            Assert.AreEqual(1, c.ErrorCount(CheckerError.NullZone));
            Assert.AreEqual((byte)0, c.Memory[0x100]);
            CheckerTesting.Valid(c);
        }

        [TestMethod]
        public void Accessors_RoundTripAndUnalignedAccesses()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            int p = CheckerTesting.Malloc(c, 32, "A.cs", 1);
            c.WriteInt32(p + 1, 0x11223344, "A.cs", 2);
            Assert.AreEqual(0x11223344, c.ReadInt32(p + 1, "A.cs", 3));
            c.WriteInt16(p + 7, -2, "A.cs", 4);
            Assert.AreEqual((short)-2, c.ReadInt16(p + 7, "A.cs", 5));
            c.WriteByte(p + 31, 200, "A.cs", 6);
            Assert.AreEqual((byte)200, c.ReadByte(p + 31, "A.cs", 7));
            c.Fill(p + 10, 4, 9, "A.cs", 8);
            byte[] out4 = new byte[6];
            c.CopyOut(p + 10, out4, 1, 4, "A.cs", 9);
            Assert.AreEqual((byte)9, out4[4]);
            Assert.AreEqual((byte)0, out4[5]);
            c.CopyIn(p + 16, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, 0, 8, "A.cs", 10);
            Assert.AreEqual(0x08070605, c.ReadInt32(p + 20, "A.cs", 11));
            Assert.AreEqual("", sink.Text);
            CheckerTesting.Valid(c);
        }

        [TestMethod]
        public void Ranges_AreCheckedWhole()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            int p = CheckerTesting.Malloc(c, 32, "A.cs", 1);
            c.Fill(p, 40, 1, "A.cs", 2);
            Assert.AreEqual((byte)0xCD, c.Memory[p]);   // not done at all
            Assert.AreEqual(1, c.ErrorCount(CheckerError.BoundsViolationHeap));
            c.CopyIn(p + 30, new byte[4], 0, 4, "A.cs", 3);
            Assert.AreEqual(2, c.ErrorCount(CheckerError.BoundsViolationHeap));
            c.Fill(p, 0, 1, "A.cs", 4);
            Assert.AreEqual(2, c.TotalErrors);
            CheckerTesting.Valid(c);
        }

        [TestMethod]
        public void Records_AnErrorAlsoWritesAnErrRecord()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.NewWithRecords(sink);
            int p = c.Malloc(64, BlockType.Normal, "Sensors.cs", 117);
            c.ReadInt32(p + 12, "Sensors.cs", 130);
            string text = sink.Text;
            int at = text.IndexOf("@CN1 ERR ");
            Assert.IsTrue(at > 0);
            string record = text.Substring(at, text.IndexOf(" *", at) - at);
            Assert.AreEqual("@CN1 ERR n=1 code=1 name=ruh op=read addr=0x00003948 size=4 block=0x0000393C bsize=64 req=1 type=1 line=130 file=Sensors.cs aline=117 afile=Sensors.cs", record);
        }
    }
}
