using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class CheckerMemoryMapTests
    {
        [TestMethod]
        public void Layout_OfTheTestBoard()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            Assert.AreEqual(
                "null   0x00000000..0x00000008 (8 bytes)\n"
                + "bitmap 0x00000008..0x00003200 (12792 bytes)\n"
                + "blocks 0x00003200..0x00003818 (1560 bytes)\n"
                + "data   0x00003820..0x00003920 (256 bytes)\n"
                + "heap   0x00003920..0x00003920 (0 bytes)\n"
                + "gap    0x00003920..0x0000FC00 (49888 bytes)\n"
                + "stack  0x0000FC00..0x00010000 (1024 bytes), live 0x00010000..0x00010000 (0 bytes)\n",
                c.DescribeMap());
            Assert.AreEqual(14360, c.MapsBytes);
            Assert.AreEqual(32, c.GranuleBytes);
            Assert.AreEqual(c.HeapStart, c.Arena.Start);
            Assert.AreEqual(c.StackLimit, c.Arena.Limit);
            CheckerTesting.Valid(c);
        }

        [TestMethod]
        public void Layout_MapsAreTheSmallestThatCoverTheZones()
        {
            CheckerHeap c = CheckerTesting.New(new MemorySink());

            // The bitmap covers every byte from the data zone to the top, the block map every granule of the heap's room.
            Assert.IsTrue(c.BitmapBytes * 4 >= c.StackTop - c.DataStart);
            Assert.IsTrue(c.BlockMapBytes * 32 >= c.StackLimit - c.HeapStart);
            Assert.IsTrue(c.BlockMapStart + c.BlockMapBytes <= c.DataStart);

            // 8 bytes less for the maps would not do: the data zone would start lower and need more.
            int less = c.MapsBytes - 8;
            int covered = c.StackTop - (8 + less);
            int granules = (c.StackLimit - (8 + less + 256) + 31) / 32;
            int need = (((covered + 3) / 4) + 7) / 8 * 8 + ((granules + 7) / 8 * 8);
            Assert.IsTrue(need > less);
        }

        [DataRow(16, 16)]
        [DataRow(32, 32)]
        [DataRow(4096, 32)]
        [TestMethod]
        public void Layout_GranuleIs32OrBlockSize(int blockSize, int granule)
        {
            CheckerHeap c = new CheckerHeap(new byte[16384], blockSize, 64, 256, new Reporter(new MemorySink()));
            Assert.AreEqual(granule, c.GranuleBytes);
            int p = c.Malloc(0, BlockType.Normal, "A.cs", 1);
            int q = c.Malloc(0, BlockType.Normal, "A.cs", 2);
            Assert.AreNotEqual(0, p);
            Assert.AreNotEqual(0, q);
            CheckerTesting.Valid(c);
            c.Free(p, "A.cs", 3);
            c.Free(q, "A.cs", 4);
            CheckerTesting.Valid(c);
        }

        [TestMethod]
        public void ZoneOf_EachZone()
        {
            CheckerHeap c = CheckerTesting.New(new MemorySink());
            int p = CheckerTesting.Malloc(c, 64, "A.cs", 1);
            Assert.AreEqual(Zone.Outside, c.ZoneOf(-1));
            Assert.AreEqual(Zone.Null, c.ZoneOf(0));
            Assert.AreEqual(Zone.Null, c.ZoneOf(7));
            Assert.AreEqual(Zone.Maps, c.ZoneOf(8));
            Assert.AreEqual(Zone.Maps, c.ZoneOf(c.DataStart - 1));
            Assert.AreEqual(Zone.Data, c.ZoneOf(c.DataStart));
            Assert.AreEqual(Zone.Data, c.ZoneOf(c.DataEnd - 1));
            Assert.AreEqual(Zone.Heap, c.ZoneOf(c.HeapStart));
            Assert.AreEqual(Zone.Heap, c.ZoneOf(p));
            Assert.AreEqual(Zone.Gap, c.ZoneOf(c.Break));
            Assert.AreEqual(Zone.Gap, c.ZoneOf(c.StackLimit - 1));
            Assert.AreEqual(Zone.Stack, c.ZoneOf(c.StackLimit));
            Assert.AreEqual(Zone.Stack, c.ZoneOf(c.StackTop - 1));
            Assert.AreEqual(Zone.Outside, c.ZoneOf(c.StackTop));
            Assert.AreEqual("between the heap and the stack", Zone.NameOf(Zone.Gap));
        }

        [TestMethod]
        public void DataSlot_IsAWordOfTheDataZone()
        {
            CheckerHeap c = CheckerTesting.New(new MemorySink());
            Assert.AreEqual(0x3820, c.DataSlot(0));
            Assert.AreEqual(0x3820 + 252, c.DataSlot(63));
            bool threw = false;
            try
            {
                c.DataSlot(64);
            }
            catch (System.ArgumentOutOfRangeException)
            {
                threw = true;
            }

            Assert.IsTrue(threw);
        }

        [TestMethod]
        public void DataZone_StartsReadWriteAndZero()
        {
            CheckerHeap c = CheckerTesting.New(new MemorySink());
            Assert.AreEqual("33333333", c.DescribeStates(c.DataStart, 8));
            Assert.AreEqual(0, c.ReadInt32(c.DataSlot(5), "A.cs", 1));
            Assert.AreEqual("0", c.DescribeStates(c.DataStart - 1, 1));
            Assert.AreEqual("0", c.DescribeStates(c.DataEnd, 1));
            Assert.AreEqual(0, c.TotalErrors);
        }

        [TestMethod]
        public void Constructor_BadArguments_Throw()
        {
            Reporter r = new Reporter(new MemorySink());
            AssertThrows(delegate { new CheckerHeap(null, 4096, 256, 1024, r); });
            AssertThrows(delegate { new CheckerHeap(new byte[65536], 4096, 256, 1024, null); });
            AssertThrows(delegate { new CheckerHeap(new byte[65532], 4096, 256, 1024, r); });
            AssertThrows(delegate { new CheckerHeap(new byte[65536], 4095, 256, 1024, r); });
            AssertThrows(delegate { new CheckerHeap(new byte[65536], 4096, -8, 1024, r); });
            AssertThrows(delegate { new CheckerHeap(new byte[65536], 4096, 256, -8, r); });
            AssertThrows(delegate { new CheckerHeap(new byte[4096], 4096, 2048, 2048, r); });
            AssertThrows(delegate { new CheckerHeap(new byte[4096], 4096, 1536, 2048, r); });
        }

        [TestMethod]
        public void Oom_TheBreakMayNotCrossIntoTheStack()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);

            // 12 blocks of 4096 fit below the stack zone (0xFC00 - 0x3920 = 49888 bytes); a 13th does not.
            int n = 0;
            while (c.Malloc(4000, BlockType.Normal, "Big.cs", 9) != 0)
            {
                n++;
            }

            Assert.AreEqual(12, n);
            Assert.AreEqual(0x3920 + (12 * 4096), c.Break);
            Assert.IsTrue(c.Break <= c.StackLimit);
            CheckerTesting.Expect(sink, CheckerTesting.Lines(
                "From Checker: (oom) out of memory.",
                "When allocating 4000 byte(s): 0 byte(s) free in the heap, largest free run 0; the break (0x0000F920) may grow by 736 byte(s) up to the stack zone (0x0000FC00)",
                "The call was made from: Big.cs(9)"));
            Assert.AreEqual(1, c.ErrorCount(CheckerError.OutOfMemory));

            // The stack zone is untouched and still works.
            int frame = c.PushFrame(200, "Main.cs", 1);
            Assert.AreEqual(c.StackTop - 808, frame);
            c.WriteSlot(frame, 199, 7, "Main.cs", 2);
            Assert.AreEqual(7, c.ReadSlot(frame, 199, "Main.cs", 3));
            CheckerTesting.Valid(c);
        }

        private static void AssertThrows(System.Action action)
        {
            bool threw = false;
            try
            {
                action();
            }
            catch (System.ArgumentException)
            {
                threw = true;
            }

            Assert.IsTrue(threw, "expected an ArgumentException");
        }
    }
}
