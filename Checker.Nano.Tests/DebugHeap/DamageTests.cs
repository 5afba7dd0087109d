// A damaged base heap under the debug heap: the operation that trips over the damage reports it
// ("_heapchk fails: ... the call was abandoned.", LastError BaseHeapDamaged) and throws nothing;
// CheckMemory then says where the damage is. The long campaigns live in tools/Checker.Nano.Reliability.
using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class DebugDamageTests
    {
        /// <summary>
        /// A debug heap whose 64-byte base list starts with fragment 62 of block 1 (at 8 + 62 * 64),
        /// after two Malloc(16) (48-byte debug blocks in 64-byte fragments 0 and 63) and the free
        /// of the second (linked in after fragment 62, whose next link is then written), that
        /// fragment's next link overwritten to lead out of the arena.
        /// </summary>
        private static DebugHeap Damaged(MemorySink sink)
        {
            DebugHeap d = DebugTesting.New(sink);
            DebugTesting.Malloc(d, 16, "Sensors.cs", 1);
            int second = DebugTesting.Malloc(d, 16, "Sensors.cs", 2);
            d.Free(second);
            Bytes.PutInt32(d.Memory, 8 + (62 * 64), 0x7FFFFFF0);
            return d;
        }

        [TestMethod]
        public void Malloc_OnADamagedFreeList_ReportsAndReturnsZero()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = Damaged(sink);
            Assert.AreEqual(0, d.Malloc(16, BlockType.Normal, "Main.cs", 40));
            Assert.AreEqual((int)DebugHeapError.BaseHeapDamaged, (int)d.LastError);
            Assert.AreEqual(
                DebugTesting.Lines("Main.cs(40) : _heapchk fails: malloc found the heap's bookkeeping damaged; the call was abandoned."),
                sink.Text);
            Assert.AreEqual(1, d.Stats().Faults);
        }

        [TestMethod]
        public void CheckMemory_AfterTheDamage_SaysWhere()
        {
            MemorySink sink = new MemorySink();
            DebugHeap d = Damaged(sink);
            Assert.IsFalse(d.CheckMemory());
            Assert.IsTrue(sink.Text.IndexOf("_heapchk fails: fragment list 64") == 0, sink.Text);
        }
    }
}
