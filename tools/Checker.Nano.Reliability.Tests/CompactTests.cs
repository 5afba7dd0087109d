// The campaigns on the base heap with the Compact policy (Layer.Compact: BLOCKSIZE 256, and 512
// where the shapes vary), at their quick sizes: property runs against the model with Validate
// after every operation, out of memory at every allocation of the synthetic trace, bad handles
// (every offset of a small arena; the edges of a large one), 4 threads sharing the heap, metadata
// bit flips (the table, the class and gap list heads and bitmaps, the links in free slots and
// gaps, the top). Memalign, the walks, the dump writer and the upper layers are not supported on
// a compact heap (NotSupportedException, COMPACT.md): no campaign asks for them.
using System.Reflection;
using Xunit;
using Xunit.Abstractions;

namespace Checker.Nano.Reliability.Tests
{
    public class CompactPropertyTests(ITestOutputHelper output)
    {
        [Fact]
        public void RandomPrograms_AgainstTheModel_HoldEveryProperty()
        {
            Figure f = PropertyRuns.Run(Layer.Compact, Sizes.Quick.PropertyOperations(Layer.Compact));
            Rows.Clean(output, f);
            Assert.True(f.Operations >= 400_000, f.ToString());
        }
    }

    public class CompactFaultTests(ITestOutputHelper output)
    {
        [Fact]
        public void EveryAllocationOfATrace_FailsCleanly()
        {
            Figure f = OutOfMemorySweep.EveryK(Layer.Compact, SyntheticTrace.EspIdf(), new HeapShape(262144, 256), 0, 1);   // 512 too in the console tool's run
            Rows.Clean(output, f);
            Assert.Equal(5000, f.Injected);
            Assert.Equal(f.Injected, f.Detected + f.Harmless);
        }

        [Fact]
        public void AFailureKept_TheProgramGoesOn_AndTheHeapEndsEmpty()
        {
            Rows.Clean(output, OutOfMemorySweep.Kept(Layer.Compact, SyntheticTrace.EspIdf(), new HeapShape(262144, 256), 0, Sizes.Quick.KeptSamples));
        }

        [Fact]
        public void EveryOffsetOfASmallArena_GetsTheDocumentedAnswer()
        {
            Rows.AllDetected(output, BadHandles.Small(Layer.Compact, 256));   // 512 too in the console tool's run
        }

        [Fact]
        public void TheEdgesOfALargeArena_GetTheDocumentedAnswer()
        {
            Rows.AllDetected(output, BadHandles.Large(Layer.Compact, 256));
        }

        [Fact]
        public void OneBitFlipped_IsDetectedOrHarmless_NeverACrashOrAHang()
        {
            Figure f = BitFlips.Run(Layer.Compact, Sizes.Quick.BitFlipTrials, 1000 + (int)Layer.Compact);
            Rows.Clean(output, f);
            Assert.Equal(f.Injected, f.Detected + f.Harmless);
            Assert.Contains("+ 0 later;", f.Notes);   // every flip that matters fails the Validate right after it
        }

        [Fact]
        public void Validate_RefusesTableBitsNoMarkUses()
        {
            // Block 1 holds the gap [8, 312) and nothing else; block 2 the gap's end and the object at 312.
            var heap = new CompactHeap(new Arena(new byte[65536]), 256);
            int a = heap.Malloc(300);
            Assert.Equal(312, heap.Malloc(300));
            heap.Free(a);
            Assert.Null(heap.Validate());
            int[] table = (int[])typeof(BaseHeap).GetField("_heapinfo", BindingFlags.NonPublic | BindingFlags.Instance).GetValue(heap);

            // An object offset with no object mark: the next object set in block 1 would OR it in.
            table[3] |= 2 << CompactHeap.C_OBJ_SHIFT;
            Assert.Equal("heapinfo[1]: entry 0x10000022 0x00000000 0x00000130 holds an offset, a length or bits that none of its marks uses", heap.Validate());
            table[3] &= ~(2 << CompactHeap.C_OBJ_SHIFT);
            table[4] = 64;                                   // an object length with no object
            Assert.StartsWith("heapinfo[1]: entry 0x10000002 0x00000040 ", heap.Validate());
            table[4] = 0;
            table[3] |= 8;                                   // bit 3: no mark
            Assert.StartsWith("heapinfo[1]: entry 0x1000000A ", heap.Validate());
            table[3] &= ~8;
            Assert.Null(heap.Validate());

            // A run head with a bit above its last-slot field.
            int slot = heap.Malloc(8);
            int head = ((slot - 8) >> 8) + 1;
            table[head * 3] |= 1 << 25;
            Assert.Equal($"heapinfo[{head}]: run head 0x{table[head * 3]:X8} has bits no run head uses", heap.Validate());
            table[head * 3] &= ~(1 << 25);
            Assert.Null(heap.Validate());
        }
    }

    public class CompactThreadTests(ITestOutputHelper output)
    {
        [Fact]
        public void FourThreads_StayConsistent()
        {
            Rows.Clean(output, ThreadStress.Run(Layer.Compact, 4, Sizes.Quick.ThreadOperations(Layer.Compact), 1024, 4242 + (int)Layer.Compact));
        }
    }
}
