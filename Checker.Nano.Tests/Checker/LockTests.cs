// Checker takes the shared lock once per operation and calls the debug heap's entry points that
// assume it is held; with Heap.ThreadSafe off it takes none. Both give the same reports, records
// and maps.
using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class CheckerLockTests
    {
        /// <summary>Every allocator call, a few errors and a detector run; returns what was reported.</summary>
        private static string Scenario(bool threadSafe)
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.NewWithRecords(sink);
            c.Heap.ThreadSafe = threadSafe;
            int p = c.Malloc(64, BlockType.Normal, "Lock.cs", 1);
            c.WriteInt32(p, 1, "Lock.cs", 2);
            c.ReadInt32(p + 8, "Lock.cs", 3);                 // ruh
            int q = c.Realloc(p, 128, "Lock.cs", 4);          // moves: the old block is aged
            c.ReadInt32(p, "Lock.cs", 5);                     // rfb
            c.Free(q, "Lock.cs", 6);
            c.Free(q, "Lock.cs", 7);                          // ffb
            c.Free(q + 4, "Lock.cs", 8);                      // fba
            int r = c.Calloc(4, 4, BlockType.ClientBlock(3), "Lock.cs", 9);
            c.WriteInt32(c.DataSlot(0), r + 4, "Lock.cs", 10);   // r maybe lost
            c.Malloc(16, BlockType.Normal, "Lock.cs", 11);    // lost
            c.DetectGarbage();
            Assert.AreEqual(2, c.ReleaseAged());
            Assert.AreEqual(0, c.Realloc(r, 1 << 20, "Lock.cs", 12));   // oom
            CheckerTesting.Valid(c);
            Assert.AreEqual(5, c.TotalErrors);   // ruh, rfb, ffb, fba, oom
            return sink.Text;
        }

        [TestMethod]
        public void ThreadSafeOnAndOff_GiveTheSameReports()
        {
            string on = Scenario(true);
            Assert.AreEqual(on, Scenario(false));
            string[] heads =
            {
                "From Checker: (ruh)", "From Checker: (rfb)", "From Checker: (ffb)", "From Checker: (fba)",
                "From Checker: (oom)", "From Checker: (gar)", "@CN1 GARB ",
            };
            for (int i = 0; i < heads.Length; i++)
            {
                Assert.IsTrue(on.IndexOf(heads[i]) >= 0, heads[i]);
            }
        }
    }
}
