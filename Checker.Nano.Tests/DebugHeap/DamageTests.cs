// A damaged base heap under the debug heap: the operation that trips over the damage reports it
// ("_heapchk fails: ... the call was abandoned.", LastError BaseHeapDamaged) and throws nothing;
// CheckMemory then says where the damage is. A stray write through a block cannot damage the base
// heap (no free list lives in the arena), so the damage here is the arena's break moved behind the
// heap's back. The long campaigns (bit flips in the table and the bitmap) live in
// tools/Checker.Nano.Reliability.
using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class DebugDamageTests
    {
        /// <summary>A debug heap with one block, whose arena's break was then moved 16 bytes up behind the base heap's back.</summary>
        private static DebugHeap Damaged(MemorySink sink)
        {
            DebugHeap d = DebugTesting.New(sink);
            DebugTesting.Malloc(d, 16, "Sensors.cs", 1);
            d.Heap.Arena.Sbrk(16);
            return d;
        }

        [TestMethod]
        public void Malloc_OnADamagedHeap_ReportsAndReturnsZero()
        {
            // 5000 bytes need new blocks: morecore finds the break elsewhere than the heap's end.
            MemorySink sink = new MemorySink();
            DebugHeap d = Damaged(sink);
            Assert.AreEqual(0, d.Malloc(5000, BlockType.Normal, "Main.cs", 40));
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
            Assert.AreEqual(DebugTesting.Lines("_heapchk fails: heap ends at 0x00001008 but the break is 0x00001018."), sink.Text);
        }
    }
}
