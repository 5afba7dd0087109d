using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class DebugAccessTests
    {
        [TestMethod]
        public void Accessors_AreBoundedByTheRequestedSize()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            int p = DebugTesting.Malloc(d, 10, "a.cs", 1);   // the base block has 64 bytes
            d.WriteByte(p, 9, 1);
            d.WriteInt16(p, 8, 0x1234);
            d.WriteInt32(p, 6, 0x11223344);
            Assert.AreEqual(0x11223344, d.ReadInt32(p, 6));
            Assert.AreEqual((short)0x1122, d.ReadInt16(p, 8));
            Assert.AreEqual((byte)0x44, d.ReadByte(p, 6));
            Assert.ThrowsException(typeof(System.ArgumentOutOfRangeException), () => d.WriteByte(p, 10, 1));
            Assert.ThrowsException(typeof(System.ArgumentOutOfRangeException), () => d.WriteInt32(p, 7, 1));
            Assert.ThrowsException(typeof(System.ArgumentOutOfRangeException), () => d.ReadInt16(p, -1));
            Assert.ThrowsException(typeof(System.ArgumentOutOfRangeException), () => d.Fill(p, 0, 11, 0));
            Assert.ThrowsException(typeof(System.ArgumentOutOfRangeException), () => d.CopyIn(p, 5, new byte[6], 0, 6));
            Assert.ThrowsException(typeof(System.ArgumentOutOfRangeException), () => d.CopyOut(p, 0, new byte[20], 0, 11));
            Assert.IsTrue(d.CheckMemory());   // no accessor ever reached a guard
            Assert.AreEqual("", sink.Text);
        }

        [TestMethod]
        public void Accessors_CopyInAndOut()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            int p = DebugTesting.Malloc(d, 6, "a.cs", 1);
            d.CopyIn(p, 1, new byte[] { 9, 8, 7, 6, 5 }, 0, 5);
            byte[] back = new byte[8];
            d.CopyOut(p, 0, back, 2, 6);
            CollectionAssert.AreEqual(new byte[] { 0, 0, 0xCD, 9, 8, 7, 6, 5 }, back);
            d.Fill(p, 0, 6, 0xAA);
            Assert.AreEqual((byte)0xAA, d.ReadByte(p, 5));
        }

        [TestMethod]
        public void Accessors_ThrowForABadPointer()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            d.SetDbgFlag(DbgFlag.ALLOC_MEM_DF | DbgFlag.DELAY_FREE_MEM_DF);
            int p = DebugTesting.Malloc(d, 16, "a.cs", 1);
            DebugHeapException caught = null;
            try
            {
                d.ReadByte(p + 2, 0);
            }
            catch (DebugHeapException e)
            {
                caught = e;
            }

            Assert.IsNotNull(caught);
            Assert.AreEqual((int)DebugHeapError.Interior, (int)caught.Error);
            Assert.AreEqual("read(0x00000026): address is inside a block, not at its start", caught.Message);

            DebugTesting.Free(d, p, "a.cs", 2);
            caught = null;
            try
            {
                d.WriteByte(p, 0, 1);
            }
            catch (DebugHeapException e)
            {
                caught = e;
            }

            Assert.IsNotNull(caught);
            Assert.AreEqual((int)DebugHeapError.AlreadyFreed, (int)caught.Error);
            Assert.AreEqual(p, caught.Address);
            Assert.IsTrue(d.CheckMemory());   // the refused write did not happen
            Assert.AreEqual("", sink.Text);
        }

        [TestMethod]
        public void MSize_OfABadPointer_IsReportedAndMinusOne()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            Assert.AreEqual(-1, d.MSize(12345, "Main.cs", 3));
            Assert.AreEqual(DebugTesting.Lines(
                "Main.cs(3) : Assertion failed: _CrtIsValidHeapPointer(block)",
                "msize(0x00003039): address is not in the heap."), sink.Text);
        }

        [TestMethod]
        public void GetBlockInfo_GivesTheHeaderFields()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            DebugTesting.Malloc(d, 8, "a.cs", 1);
            int p = DebugTesting.Malloc(d, 30, BlockType.ClientBlock(5), "dir/Sensors.cs", 117);
            BlockInfo info = new BlockInfo();
            Assert.AreEqual(DebugHeapError.None, d.GetBlockInfo(p, info));
            Assert.AreEqual(p, info.Pointer);
            Assert.AreEqual(p - 28, info.HeaderOffset);
            Assert.AreEqual(BlockType.ClientBlock(5), info.BlockUse);
            Assert.AreEqual(30, info.Size);
            Assert.AreEqual(2, info.RequestNumber);
            Assert.AreEqual("dir/Sensors.cs", info.File);
            Assert.AreEqual(117, info.Line);

            Assert.AreEqual(DebugHeapError.Interior, d.GetBlockInfo(p + 3, info));
            Assert.AreEqual(p + 3, info.Pointer);
            Assert.AreEqual(0, info.RequestNumber);
            Assert.IsNull(info.File);
            Assert.AreEqual("", sink.Text);   // queries report nothing
        }

        [TestMethod]
        [DataRow(0)]
        [DataRow(27)]
        [DataRow(28)]
        [DataRow(57)]
        [DataRow(61)]
        public void FindBlock_FindsTheBlockAroundAnAddress(int offset)
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            DebugTesting.Malloc(d, 8, "a.cs", 1);
            int p = DebugTesting.Malloc(d, 30, "Sensors.cs", 117);
            DebugTesting.Malloc(d, 8, "a.cs", 3);
            BlockInfo info = new BlockInfo();
            Assert.IsTrue(d.FindBlock(p - 28 + offset, info));   // header, guards or data
            Assert.AreEqual(p, info.Pointer);
            Assert.AreEqual(2, info.RequestNumber);
            Assert.AreEqual(117, info.Line);
            Assert.IsFalse(d.FindBlock(p - 28 + 62, info));      // past the trailing guard
            Assert.IsFalse(d.FindBlock(60000, info));
        }

        [TestMethod]
        public void FindBlock_FindsADelayFreedBlock()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            d.SetDbgFlag(DbgFlag.ALLOC_MEM_DF | DbgFlag.DELAY_FREE_MEM_DF);
            int p = DebugTesting.Malloc(d, 30, "Sensors.cs", 117);
            DebugTesting.Free(d, p, "a.cs", 2);
            BlockInfo info = new BlockInfo();
            Assert.IsTrue(d.FindBlock(p + 5, info));
            Assert.AreEqual(BlockType.Free, info.BlockUse);
            Assert.AreEqual("Sensors.cs", info.File);
        }

        [TestMethod]
        public void ThreadSafeOff_WorksTheSame()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = DebugTesting.New(sink);
            d.Heap.ThreadSafe = false;
            int p = DebugTesting.Malloc(d, 8, "a.cs", 1);
            p = DebugTesting.Realloc(d, p, 100, "a.cs", 2);
            d.Memory[p + 100] = 0;
            Assert.IsFalse(d.CheckMemory());
            Assert.AreEqual(DebugHeapError.GuardAfter, DebugTesting.Free(d, p, "a.cs", 3));
            Assert.AreEqual(11, CountLines(sink.Text));
        }

        private static int CountLines(string text)
        {
            int n = 0;
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] == '\n')
                {
                    n++;
                }
            }

            return n;
        }
    }
}
