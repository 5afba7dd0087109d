// Checker over the Compact policy (CompactHeap.Make, BLOCKSIZE 256): its slots are not powers of
// two, so a debug block's header may start 8, 16 or 24 bytes into a 32-byte granule of the block
// map, whose first bytes hold the previous block's tail (Bitmap.cs). Exact reports of the cases
// the map decides: a double free (ffb, told from fba by the FREED mark), an interior free (fba),
// an access to an aged block (rfb), and the garbage detector over neighbouring slots.
using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class CheckerCompactTests
    {
        [TestMethod]
        public void Compact_NeighbouringSlots_OffTheGranules_KeepTheirOwnMarks()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink, "-a=1", 1);
            Assert.AreEqual("compact", c.Heap.PolicyName);

            // 10 bytes + 32 of header and guard: the 48-byte class; a run of 5 slots from the heap's start.
            int p1 = CheckerTesting.Malloc(c, 10, "Sensors.cs", 10);
            int p2 = CheckerTesting.Malloc(c, 10, "Sensors.cs", 11);
            int p3 = CheckerTesting.Malloc(c, 10, "Sensors.cs", 12);
            int start = c.HeapStart;
            Assert.AreEqual(start + DebugHeap.HEADER_BYTES, p1);                 // a new run hands out its slot 0 ...
            Assert.AreEqual(start + (4 * 48) + DebugHeap.HEADER_BYTES, p2);   // ... then its last slot, as the seed's order: on a granule
            Assert.AreEqual(start + (3 * 48) + DebugHeap.HEADER_BYTES, p3);   // 144: 16 bytes into its granule, after p2's granule-mate
            Assert.IsTrue(c.ReachabilityOf(p3) >= 0, "p3 is a live block");
            CheckerTesting.Valid(c);

            // Freeing the one off its granule: aged, then (age 1) given back with its FREED mark,
            // in a granule whose first 16 bytes are another block's.
            CheckerTesting.Free(c, p3, "Main.cs", 20);
            Assert.AreEqual(-1, c.ReachabilityOf(p3));
            CheckerTesting.Valid(c);
            c.ReadByte(p3, "Main.cs", 21);
            CheckerTesting.Free(c, p2, "Main.cs", 22);   // pushes p3 out of the aging queue (one place)
            CheckerTesting.Valid(c);
            CheckerTesting.Free(c, p3, "Main.cs", 23);   // a double free of a block given back: ffb, not fba
            CheckerTesting.Free(c, p1 + 4, "Main.cs", 24);
            Assert.AreEqual(0x3920, start);
            CheckerTesting.Expect(sink, CheckerTesting.Lines(
                "From Checker: (rfb) read in a free block.",
                "When Reading 1 byte(s) at address 0x000039CC, 0 bytes into a free block (start: 0x000039CC, 10 bytes)",
                "The block was allocated from: Sensors.cs(12)",
                "The block was freed from: Main.cs(20)",
                "The access was made from: Main.cs(21)",
                "From Checker: (ffb) free an already free block.",
                "When freeing address 0x000039CC, the start of a block freed earlier (given back to the heap since)",
                "The call was made from: Main.cs(23)",
                "From Checker: (fba) free called with an address not obtained from malloc.",
                "When freeing address 0x00003940, 4 bytes into a block (start: 0x0000393C, 10 bytes)",
                "The block was allocated from: Sensors.cs(10)",
                "The call was made from: Main.cs(24)"));
            Assert.AreEqual(1, c.ErrorCount(CheckerError.FreeFreeBlock));
            Assert.AreEqual(1, c.ErrorCount(CheckerError.FreeBadAddress));
            Assert.AreEqual(1, c.LiveBlocks);
            CheckerTesting.Valid(c);
        }

        [TestMethod]
        public void Compact_Garbage_FindsTheLostSlotsBetweenReachableOnes()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink, "-a=0", 1);
            int[] p = new int[5];
            for (int i = 0; i < 5; i++)
            {
                p[i] = CheckerTesting.Malloc(c, 10, "List.cs", 20 + i);
            }

            // The data zone keeps the first, third and fifth; the second and fourth are lost.
            c.WriteInt32(c.DataSlot(0), p[0], "Main.cs", 1);
            c.WriteInt32(c.DataSlot(1), p[2], "Main.cs", 2);
            c.WriteInt32(c.DataSlot(2), p[4], "Main.cs", 3);
            GarbageSummary g = c.DetectGarbage();
            Assert.AreEqual(2, g.Blocks);
            Assert.AreEqual(20, g.Bytes);
            Assert.AreEqual(0, g.MaybeBlocks);
            Assert.AreEqual(5, g.LiveBlocks);
            Assert.AreEqual(0, c.ReachabilityOf(p[1]));
            Assert.AreEqual(0, c.ReachabilityOf(p[3]));
            Assert.AreEqual(2, c.ReachabilityOf(p[2]));
            CheckerTesting.Valid(c);
        }
    }
}
