// The base heap's trace hook (Checker.Nano/Heap/TraceHook.cs, Trace.cs): each public operation
// reports what it did, once, after doing it; a bad offset reports nothing; with the hook unset
// nothing is reported; and the offsets are the same with and without it.
using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class TraceHookTests
    {
        [TestMethod]
        [DataRow(true)]
        [DataRow(false)]
        public void Hook_EveryPublicOperation_IsOneEvent(bool threadSafe)
        {
            Heap heap = HeapTesting.NewHeap();
            heap.ThreadSafe = threadSafe;
            RecordingHook hook = new RecordingHook();
            heap.TraceHook = hook;
            int p1 = heap.Malloc(100);
            int p2 = heap.Calloc(3, 8);
            int p3 = heap.Realloc(p1, 200);
            int p4 = heap.Memalign(64, 40);
            heap.Free(p2);
            int p5 = heap.Realloc(0, 16);
            Assert.AreEqual(0, heap.Realloc(p5, 0));
            Assert.AreEqual(0, heap.Malloc(0));          // malloc(0) gives 0: not an event
            Assert.AreEqual(0, heap.Malloc(70000));      // no room: an event with offset 0
            Assert.AreEqual(0, heap.Calloc(0, 8));       // 0 bytes: not an event
            Assert.AreEqual(0, heap.Realloc(p3, -1));    // changes nothing: not an event
            heap.Free(p4);
            heap.Free(0);                                // free(0) does nothing: not an event
            Assert.AreEqual("a 8 100; c 4104 3x8; r 8200<8 200; m 64 40/64; f 4104; a 4104 16; f 4104; a 0 70000; f 64", hook.Log);
            HeapTesting.Valid(heap);
        }

        [TestMethod]
        public void Hook_AndThreadSafe_SetInEitherOrder_TheUnlockedPathTracesOnlyWithAHook()
        {
            // Malloc and Free test one field (neither lock nor hook) before the unlocked hot path:
            // it must follow both settings, whichever is set last.
            Heap heap = HeapTesting.NewHeap();
            RecordingHook hook = new RecordingHook();
            heap.TraceHook = hook;
            heap.ThreadSafe = false;                     // the hook first, then the lock off
            heap.Free(heap.Malloc(10));
            heap.TraceHook = null;                       // unlocked, no hook: the hot path
            heap.Free(heap.Malloc(10));
            heap.TraceHook = hook;                       // the lock already off, then the hook
            heap.Free(heap.Malloc(20));
            heap.ThreadSafe = true;
            heap.TraceHook = null;
            heap.Free(heap.Malloc(30));
            Assert.AreEqual("a 8 10; f 8; a 8 20; f 8", hook.Log);
            HeapTesting.Valid(heap);
        }

        [TestMethod]
        public void LayerLock_IsSyncRootWhileThreadSafe_NullWhileNot()
        {
            Heap heap = HeapTesting.NewHeap();
            Assert.IsTrue(heap.ThreadSafe);
            Assert.AreSame(heap.SyncRoot, heap.LayerLock);
            heap.ThreadSafe = false;
            Assert.IsNull(heap.LayerLock);
            heap.ThreadSafe = true;
            Assert.AreSame(heap.SyncRoot, heap.LayerLock);
        }

        [TestMethod]
        public void Hook_BadFree_ThrowsAndRecordsNothing()
        {
            Heap heap = HeapTesting.NewHeap();
            RecordingHook hook = new RecordingHook();
            heap.TraceHook = hook;
            int p = heap.Malloc(100);
            heap.Free(p);
            bool threw = false;
            try
            {
                heap.Free(p);   // a double free
            }
            catch (HeapException e)
            {
                threw = e.Error == HeapError.FreeMemory;
            }

            Assert.IsTrue(threw);
            threw = false;
            try
            {
                heap.Realloc(p + 4, 10);   // not a block
            }
            catch (HeapException)
            {
                threw = true;
            }

            Assert.IsTrue(threw);
            Assert.AreEqual("a 8 100; f 8", hook.Log);
        }

        [TestMethod]
        public void Hook_Unset_RecordsNothing()
        {
            Heap heap = HeapTesting.NewHeap();
            RecordingHook hook = new RecordingHook();
            heap.TraceHook = hook;
            heap.Free(heap.Malloc(10));
            heap.TraceHook = null;
            heap.Free(heap.Malloc(10));
            Assert.AreEqual(2, hook.Count);
            Assert.AreEqual("base", heap.TraceLayer);
            Assert.IsTrue(heap.TraceHeap == heap);
        }

        [TestMethod]
        [DataRow(true, 4096)]
        [DataRow(false, 4096)]
        [DataRow(false, 256)]
        public void Hook_WholeWorkload_SameOffsetsOnAndOff(bool threadSafe, int blockSize)
        {
            Heap plain = new Heap(new byte[65536], blockSize);
            plain.ThreadSafe = threadSafe;
            int[] expected = TraceWorkload.Run(new BaseTarget(plain), 7, 3000, blockSize);
            Heap traced = new Heap(new byte[65536], blockSize);
            traced.ThreadSafe = threadSafe;
            RecordingHook hook = new RecordingHook();
            hook.KeepText = false;
            traced.TraceHook = hook;
            int[] actual = TraceWorkload.Run(new BaseTarget(traced), 7, 3000, blockSize);
            TraceWorkload.AssertSame(expected, actual, "base heap, BLOCKSIZE " + blockSize.ToString());
            Assert.AreEqual(plain.Describe(), traced.Describe());
            HeapTesting.Valid(traced);
        }
    }
}
