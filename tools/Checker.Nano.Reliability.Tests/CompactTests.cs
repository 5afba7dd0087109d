// The campaigns over the Compact policy (BLOCKSIZE 256, and 512 where the shapes vary), at their
// quick sizes. The base heap alone: property runs against the model with Validate after every
// operation (memalign, the walks and the dumps among the queries), out of memory at every
// allocation of the synthetic trace, bad handles (every offset of a small arena; the edges of a
// large one), 4 threads sharing the heap, metadata bit flips (the table, the class and gap list
// heads and bitmaps, the links in free slots and gaps, the top). The debug heap and Checker over
// it: property runs, guard corruption, out of memory, bad handles, bit flips (the debug headers
// and Checker's maps too) and a short thread stress; their soaks are the console tool's.
using System.Reflection;
using Checker.Nano.Traces;
using Xunit;
using Xunit.Abstractions;

namespace Checker.Nano.Reliability.Tests
{
    public class CompactPropertyTests(ITestOutputHelper output)
    {
        [Fact]
        public void RandomPrograms_AgainstTheModel_HoldEveryProperty()
        {
            Figure f = PropertyRuns.Run(SubjectKind.BaseCompact, Sizes.Quick.PropertyOperations(SubjectKind.BaseCompact));
            Rows.Clean(output, f);
            Assert.True(f.Operations >= 400_000, f.ToString());
        }
    }

    public class CompactFaultTests(ITestOutputHelper output)
    {
        [Fact]
        public void EveryAllocationOfATrace_FailsCleanly()
        {
            Figure f = OutOfMemorySweep.EveryK(SubjectKind.BaseCompact, SyntheticTrace.EspIdf(), new HeapShape(262144, 256), 0, 1);   // 512 too in the console tool's run
            Rows.Clean(output, f);
            Assert.Equal(5000, f.Injected);
            Assert.Equal(f.Injected, f.Detected + f.Harmless);
        }

        [Fact]
        public void AFailureKept_TheProgramGoesOn_AndTheHeapEndsEmpty()
        {
            Rows.Clean(output, OutOfMemorySweep.Kept(SubjectKind.BaseCompact, SyntheticTrace.EspIdf(), new HeapShape(262144, 256), 0, Sizes.Quick.KeptSamples));
        }

        [Fact]
        public void EveryOffsetOfASmallArena_GetsTheDocumentedAnswer()
        {
            Rows.AllDetected(output, BadHandles.Small(SubjectKind.BaseCompact, 256));   // 512 too in the console tool's run
        }

        [Fact]
        public void TheEdgesOfALargeArena_GetTheDocumentedAnswer()
        {
            Rows.AllDetected(output, BadHandles.Large(SubjectKind.BaseCompact, 256));
        }

        [Fact]
        public void OneBitFlipped_IsDetectedOrHarmless_NeverACrashOrAHang()
        {
            Figure f = BitFlips.Run(SubjectKind.BaseCompact, Sizes.Quick.BitFlipTrials, 1000 + SubjectKind.BaseCompact.Index);
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
            Rows.Clean(output, ThreadStress.Run(SubjectKind.BaseCompact, 4, Sizes.Quick.ThreadOperations(SubjectKind.BaseCompact), 1024, 4242 + SubjectKind.BaseCompact.Index));
        }
    }

    public class DebugCompactPropertyTests(ITestOutputHelper output)
    {
        [Fact]
        public void RandomPrograms_AgainstTheModel_HoldEveryProperty()
        {
            Figure f = PropertyRuns.Run(SubjectKind.DebugCompact, Sizes.Quick.PropertyOperations(SubjectKind.DebugCompact));
            Rows.Clean(output, f);
            Assert.True(f.Operations >= Sizes.Quick.PropertyOperations(SubjectKind.DebugCompact), f.ToString());
        }
    }

    public class CheckerCompactPropertyTests(ITestOutputHelper output)
    {
        [Fact]
        public void RandomPrograms_AgainstTheModel_HoldEveryProperty()
        {
            Figure f = PropertyRuns.Run(SubjectKind.CheckerCompact, Sizes.Quick.PropertyOperations(SubjectKind.CheckerCompact));
            Rows.Clean(output, f);
            Assert.True(f.Operations >= Sizes.Quick.PropertyOperations(SubjectKind.CheckerCompact), f.ToString());
        }
    }

    /// <summary>The debug heap and Checker over Compact.</summary>
    public class UpperLayersOverCompactFaultTests(ITestOutputHelper output)
    {
        public static TheoryData<Layer> Upper() => new TheoryData<Layer> { Layer.Debug, Layer.Checker };

        private static SubjectKind Over(Layer layer) => new SubjectKind(layer, HeapPolicy.Compact);

        [Fact]
        public void DebugHeap_EveryGuardByte_IsReportedWithItsBlockAndSide()
        {
            Figure f = GuardSweep.RunDebug(new HeapShape(16384, 256), HeapPolicy.Compact);   // 128K/512 too in the console tool's run
            Assert.Equal("debug heap, Compact policy", f.Target);
            Rows.AllDetected(output, f);
        }

        [Fact]
        public void Checker_GuardWrites_AreRefused_AndRawDamageIsReported()
        {
            foreach (Figure f in GuardSweep.RunChecker(new HeapShape(131072, 512), HeapPolicy.Compact))
            {
                Rows.AllDetected(output, f);
            }
        }

        [Theory]
        [MemberData(nameof(Upper))]
        public void EveryAllocationOfATrace_FailsCleanly(Layer layer)
        {
            SubjectKind kind = Over(layer);
            Figure f = OutOfMemorySweep.EveryK(kind, SyntheticTrace.EspIdf(), new HeapShape(262144, 256), layer == Layer.Debug ? 1 : 0, 1);
            Rows.Clean(output, f);
            Assert.Equal(5000, f.Injected);
            Assert.Equal(f.Injected, f.Detected + f.Harmless);
        }

        [Theory]
        [MemberData(nameof(Upper))]
        public void AFailureKept_TheProgramGoesOn_AndTheHeapEndsEmpty(Layer layer)
        {
            Rows.Clean(output, OutOfMemorySweep.Kept(Over(layer), SyntheticTrace.EspIdf(), new HeapShape(262144, 256), 0, 5));
        }

        [Theory]
        [MemberData(nameof(Upper))]
        public void EveryOffsetOfASmallArena_GetsTheDocumentedAnswer(Layer layer)
        {
            Rows.AllDetected(output, BadHandles.Small(Over(layer), 256));   // 512 and a large arena's edges too in the console tool's run
        }

        [Theory]
        [MemberData(nameof(Upper))]
        public void OneBitFlipped_IsDetectedOrHarmless_NeverACrashOrAHang(Layer layer)
        {
            SubjectKind kind = Over(layer);
            Figure f = BitFlips.Run(kind, 500, 1000 + kind.Index);   // 2,000 in the console tool's quick run
            Rows.Clean(output, f);
            Assert.Equal(f.Injected, f.Detected + f.Harmless);
            Assert.Contains("DebugHeader", f.Notes);
        }

        [Theory]
        [MemberData(nameof(Upper))]
        public void FourThreads_StayConsistent(Layer layer)
        {
            SubjectKind kind = Over(layer);
            Rows.Clean(output, ThreadStress.Run(kind, 4, Sizes.Quick.ThreadOperations(kind), 1024, 4242 + kind.Index));
        }
    }
}
