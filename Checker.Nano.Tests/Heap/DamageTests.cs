// A damaged heap: a stray write over a free fragment's links. The operation that trips over the
// damage throws HeapException with HeapError.Damaged (never a runtime exception), and Validate
// says where the damage is. The long campaigns (every bit of the table and the lists flipped in
// turn) live in tools/Checker.Nano.Reliability.
using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class DamageTests
    {
        /// <summary>A heap whose 16-byte list starts with fragment 255 of block 1 (at 8 + 255 * 16), its next link overwritten.</summary>
        private static Heap HeapWithDamagedLink(int link)
        {
            // Fragments 0 and 255 of block 1 handed out, 255 freed again: it goes in after the
            // list head, fragment 254, whose next link is then written (a fresh fragment's is
            // implied); that link is overwritten.
            Heap heap = HeapTesting.NewHeap();
            HeapTesting.Malloc(heap, 16);
            heap.Free(HeapTesting.Malloc(heap, 16));
            Bytes.PutInt32(heap.Memory, 8 + (254 * 16), link);
            return heap;
        }

        [TestMethod]
        [DataRow(0x7FFFFFF0)]
        [DataRow(-8)]
        [DataRow(65536)]
        public void Malloc_WhenAFreeFragmentsLinkLeavesTheArena_ThrowsDamaged(int link)
        {
            Heap heap = HeapWithDamagedLink(link);
            Assert.IsNotNull(heap.Validate());
            HeapError error = HeapError.None;
            try
            {
                heap.Malloc(16);
            }
            catch (HeapException e)
            {
                error = e.Error;
            }

            Assert.AreEqual((int)HeapError.Damaged, (int)error);
            Assert.AreEqual("the heap's bookkeeping is damaged (Validate says where)", HeapException.MessageOf(HeapError.Damaged));
        }

        [TestMethod]
        public void Calloc_WhenAFreeFragmentsLinkLeavesTheArena_ThrowsDamaged()
        {
            Heap heap = HeapWithDamagedLink(0x7FFFFFF0);
            HeapError error = HeapError.None;
            try
            {
                heap.Calloc(2, 8);
            }
            catch (HeapException e)
            {
                error = e.Error;
            }

            Assert.AreEqual((int)HeapError.Damaged, (int)error);
        }

        [TestMethod]
        public void Queries_OnADamagedHeap_AnswerWithoutThrowing()
        {
            Heap heap = HeapWithDamagedLink(0x7FFFFFF0);
            Assert.AreEqual((int)HeapError.NotInHeap, (int)heap.CheckPointer(0x7FFFFFF0));
            Assert.AreEqual(0, heap.MStats().ChunksFree - 255);
            Assert.AreEqual("1:frag16(255/256,first 254)", heap.Describe());
        }

        [TestMethod]
        public void Malloc_WhenTheBreakMovedBehindItsBack_ThrowsDamaged_AndMovesNothing()
        {
            Heap heap = HeapTesting.NewHeap();
            HeapTesting.Malloc(heap, 5000);
            heap.Arena.Sbrk(16);
            int brk = heap.Arena.Break;
            string described = heap.Describe();
            HeapError error = HeapError.None;
            try
            {
                heap.Malloc(8192);
            }
            catch (HeapException e)
            {
                error = e.Error;
                Assert.AreEqual("malloc(0x00000000): the heap's bookkeeping is damaged (Validate says where)", e.Message);
            }

            Assert.AreEqual((int)HeapError.Damaged, (int)error);
            Assert.AreEqual(brk, heap.Arena.Break);
            Assert.AreEqual(described, heap.Describe());
            Assert.AreEqual("heap ends at 0x00002008 but the break is 0x00002018", heap.Validate());
        }

        [TestMethod]
        public void Realloc_GrowingWhenTheBreakMovedBehindItsBack_KeepsTheBlockAndItsBytes()
        {
            Heap heap = HeapTesting.NewHeap();
            int p = HeapTesting.Malloc(heap, 5000);
            HeapTesting.Pattern(heap.Memory, p, 5000, 7);
            heap.Arena.Sbrk(16);
            string described = heap.Describe();
            HeapError error = HeapError.None;
            try
            {
                heap.Realloc(p, 20000);
            }
            catch (HeapException e)
            {
                error = e.Error;
            }

            Assert.AreEqual((int)HeapError.Damaged, (int)error);
            Assert.AreEqual(described, heap.Describe());
            Assert.AreEqual(-1, HeapTesting.CheckPattern(heap.Memory, p, 5000, 7));
            Assert.AreEqual((int)HeapError.None, (int)heap.CheckPointer(p));
        }
    }
}
