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
    }
}
