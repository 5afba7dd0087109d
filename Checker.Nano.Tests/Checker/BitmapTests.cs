// The access states after each operation: DescribeStates shows one digit per byte,
// 0 unavailable, 1 read-only, 2 write-only, 3 read-write.
using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class CheckerBitmapTests
    {
        private static string Repeat(char c, int n)
        {
            return new string(c, n);
        }

        [TestMethod]
        public void Malloc_DataWriteOnly_HeaderAndGuardsUnavailable()
        {
            CheckerHeap c = CheckerTesting.New(new MemorySink());
            int p = CheckerTesting.Malloc(c, 10, "A.cs", 1);
            Assert.AreEqual(0x393C, p);
            Assert.AreEqual(Repeat('0', 28) + Repeat('2', 10) + Repeat('0', 4 + 22), c.DescribeStates(p - 28, 64));
            Assert.AreEqual(AccessState.WriteOnly, c.StateOf(p));
            Assert.AreEqual(AccessState.Unavailable, c.StateOf(p + 10));
        }

        [TestMethod]
        public void Writes_MakeTheirBytesReadWrite()
        {
            CheckerHeap c = CheckerTesting.New(new MemorySink());
            int p = CheckerTesting.Malloc(c, 16, "A.cs", 1);
            c.WriteByte(p + 1, 7, "A.cs", 2);
            Assert.AreEqual("2322222222222222", c.DescribeStates(p, 16));
            c.WriteInt16(p + 3, 7, "A.cs", 3);
            Assert.AreEqual("2323322222222222", c.DescribeStates(p, 16));
            c.WriteInt32(p + 8, 7, "A.cs", 4);
            Assert.AreEqual("2323322233332222", c.DescribeStates(p, 16));
            c.WriteInt32(p + 11, 7, "A.cs", 5);   // unaligned: the slow path
            Assert.AreEqual("2323322233333332", c.DescribeStates(p, 16));
            c.Fill(p + 5, 3, 0xAA, "A.cs", 6);
            Assert.AreEqual("2323333333333332", c.DescribeStates(p, 16));
            c.CopyIn(p, new byte[] { 1, 2, 3 }, 1, 1, "A.cs", 7);
            Assert.AreEqual("3323333333333332", c.DescribeStates(p, 16));
            Assert.AreEqual((byte)2, c.Memory[p]);
            Assert.AreEqual(0, c.TotalErrors);
            CheckerTesting.Valid(c);
        }

        [TestMethod]
        public void Calloc_DataReadWriteAndZero()
        {
            CheckerHeap c = CheckerTesting.New(new MemorySink());
            int p = CheckerTesting.Calloc(c, 3, 4, "A.cs", 1);
            Assert.AreEqual("0000" + Repeat('3', 12) + "0000", c.DescribeStates(p - 4, 20));
            Assert.AreEqual(0, c.ReadInt32(p + 8, "A.cs", 2));
            Assert.AreEqual(0, c.TotalErrors);
        }

        [TestMethod]
        public void Free_MakesTheDataUnavailable()
        {
            CheckerHeap c = CheckerTesting.New(new MemorySink());
            int p = CheckerTesting.Malloc(c, 12, "A.cs", 1);
            c.WriteInt32(p, 1, "A.cs", 2);
            CheckerTesting.Free(c, p, "A.cs", 3);
            Assert.AreEqual(Repeat('0', 20), c.DescribeStates(p - 4, 20));
            Assert.AreEqual(1, c.AgingCount);
        }

        [TestMethod]
        public void Realloc_WithAging_MovesAndKeepsWhatWasInitialized()
        {
            CheckerHeap c = CheckerTesting.New(new MemorySink());
            int p = CheckerTesting.Malloc(c, 10, "A.cs", 1);
            c.WriteInt16(p + 2, 0x1234, "A.cs", 2);
            c.WriteByte(p + 9, 9, "A.cs", 3);
            int q = CheckerTesting.Realloc(c, p, 14, "A.cs", 4);
            Assert.AreNotEqual(p, q);
            Assert.AreEqual("0000" + "2233222223" + "2222" + "0000", c.DescribeStates(q - 4, 22));
            Assert.AreEqual(0x1234, (int)c.ReadInt16(q + 2, "A.cs", 5));
            Assert.AreEqual((byte)9, c.ReadByte(q + 9, "A.cs", 6));
            Assert.AreEqual(Repeat('0', 10), c.DescribeStates(p, 10));
            Assert.AreEqual(1, c.AgingCount);

            // Shrinking keeps the first bytes' states, the cut ones become unavailable.
            int r = CheckerTesting.Realloc(c, q, 4, "A.cs", 7);
            Assert.AreEqual("0000" + "2233" + "0000", c.DescribeStates(r - 4, 12));
            Assert.AreEqual(0, c.TotalErrors);
        }

        [TestMethod]
        public void Realloc_WithoutAging_InPlaceGrowAndShrink()
        {
            CheckerHeap c = CheckerTesting.New(new MemorySink(), "-a=0");

            // 20 + 32 bytes take a 64-byte fragment: growing to 30 stays in it.
            int p = CheckerTesting.Malloc(c, 20, "A.cs", 1);
            c.WriteInt32(p + 16, 5, "A.cs", 2);
            int q = CheckerTesting.Realloc(c, p, 30, "A.cs", 3);
            Assert.AreEqual(p, q);
            Assert.AreEqual(Repeat('2', 16) + "3333" + Repeat('2', 10) + "0000", c.DescribeStates(q, 34));
            q = CheckerTesting.Realloc(c, q, 18, "A.cs", 4);
            Assert.AreEqual(p, q);
            Assert.AreEqual(Repeat('2', 16) + "33" + Repeat('0', 16), c.DescribeStates(q, 34));
        }

        [TestMethod]
        public void Realloc_WithoutAging_MovedBlockKeepsItsStates()
        {
            CheckerHeap c = CheckerTesting.New(new MemorySink(), "-a=0");
            int p = CheckerTesting.Malloc(c, 20, "A.cs", 1);
            c.WriteInt32(p, 5, "A.cs", 2);
            c.WriteByte(p + 19, 5, "A.cs", 3);
            int q = CheckerTesting.Realloc(c, p, 100, "A.cs", 4);
            Assert.AreNotEqual(p, q);
            Assert.AreEqual("3333" + Repeat('2', 15) + "3" + Repeat('2', 80) + "0000", c.DescribeStates(q, 104));
            Assert.AreEqual(5, c.ReadInt32(q, "A.cs", 5));
            Assert.AreEqual(0, c.TotalErrors);

            // A whole-block object moving down into a fragment.
            int big = CheckerTesting.Malloc(c, 5000, "A.cs", 6);
            c.WriteInt32(big + 4, 77, "A.cs", 7);
            int small = CheckerTesting.Realloc(c, big, 8, "A.cs", 8);
            Assert.AreEqual("22223333" + "0000", c.DescribeStates(small, 12));
            Assert.AreEqual(77, c.ReadInt32(small + 4, "A.cs", 9));
            Assert.AreEqual(0, c.TotalErrors);
        }

        [TestMethod]
        public void Stack_SlotsWriteOnlyHeadersUnavailable()
        {
            CheckerHeap c = CheckerTesting.New(new MemorySink());
            int f = c.PushFrame(2, "A.cs", 1);
            Assert.AreEqual(c.StackTop - 16, f);
            Assert.AreEqual("00000000" + "22222222", c.DescribeStates(f, 16));
            c.WriteSlot(f, 1, 3, "A.cs", 2);
            Assert.AreEqual("00000000" + "22223333", c.DescribeStates(f, 16));
            c.PopFrame(f, "A.cs", 3);
            Assert.AreEqual(Repeat('0', 16), c.DescribeStates(f, 16));
            CheckerTesting.Valid(c);
        }

        [TestMethod]
        public void SetReadOnly_OnlyInTheDataZone()
        {
            CheckerHeap c = CheckerTesting.New(new MemorySink());
            c.SetReadOnly(c.DataStart + 2, 3);
            Assert.AreEqual("33111333", c.DescribeStates(c.DataStart, 8));
            c.SetReadWrite(c.DataStart + 3, 1);
            Assert.AreEqual("33131333", c.DescribeStates(c.DataStart, 8));
            CheckerTesting.Valid(c);
            bool threw = false;
            try
            {
                c.SetReadOnly(c.DataEnd - 2, 4);
            }
            catch (System.ArgumentOutOfRangeException)
            {
                threw = true;
            }

            Assert.IsTrue(threw);
        }
    }
}
