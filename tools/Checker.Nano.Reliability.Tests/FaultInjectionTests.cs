// The fault-injection campaigns at their quick sizes: guard damage (every guard byte of every
// block, runs, over- and underruns: all reported with the right block and side), metadata bit
// flips (detected or harmless; no crash, no hang), out of memory at every allocation of the
// synthetic trace (clean failures, no leak), bad handles (every offset of a small arena: the
// documented error, the heap unchanged).
using Xunit;
using Xunit.Abstractions;

namespace Checker.Nano.Reliability.Tests
{
    public class GuardSweepTests(ITestOutputHelper output)
    {
        [Fact]
        public void DebugHeap_EveryGuardByte_IsReportedWithItsBlockAndSide()
        {
            Rows.AllDetected(output, GuardSweep.RunDebug(new HeapShape(131072, 4096)));
            Rows.AllDetected(output, GuardSweep.RunDebug(new HeapShape(16384, 256)));
        }

        [Fact]
        public void Checker_GuardWrites_AreRefused_AndRawDamageIsReported()
        {
            foreach (Figure f in GuardSweep.RunChecker(new HeapShape(131072, 4096)))
            {
                Rows.AllDetected(output, f);
            }
        }
    }

    public class BitFlipTests(ITestOutputHelper output)
    {
        [Theory]
        [InlineData(Layer.Base)]
        [InlineData(Layer.Debug)]
        [InlineData(Layer.Checker)]
        public void OneBitFlipped_IsDetectedOrHarmless_NeverACrashOrAHang(Layer layer)
        {
            Figure f = BitFlips.Run(layer, Sizes.Quick.BitFlipTrials, 1000 + (int)layer);
            Rows.Clean(output, f);
            Assert.Equal(f.Injected, f.Detected + f.Harmless);
        }
    }

    public class OutOfMemoryTests(ITestOutputHelper output)
    {
        [Theory]
        [InlineData(Layer.Base, 0)]
        [InlineData(Layer.Debug, 1)]
        [InlineData(Layer.Checker, 0)]
        public void EveryAllocationOfATrace_FailsCleanly(Layer layer, int variant)
        {
            Figure f = OutOfMemorySweep.EveryK(layer, SyntheticTrace.EspIdf(), new HeapShape(262144, 4096), variant, 1);
            Rows.Clean(output, f);
            Assert.Equal(5000, f.Injected);
            Assert.Equal(f.Injected, f.Detected + f.Harmless);
        }

        [Theory]
        [InlineData(Layer.Base)]
        [InlineData(Layer.Debug)]
        [InlineData(Layer.Checker)]
        public void AFailureKept_TheProgramGoesOn_AndTheHeapEndsEmpty(Layer layer)
        {
            Rows.Clean(output, OutOfMemorySweep.Kept(layer, SyntheticTrace.EspIdf(), new HeapShape(262144, 4096), 0, Sizes.Quick.KeptSamples));
        }
    }

    public class BadHandleTests(ITestOutputHelper output)
    {
        [Theory]
        [InlineData(Layer.Base)]
        [InlineData(Layer.Debug)]
        [InlineData(Layer.Checker)]
        public void EveryOffsetOfASmallArena_GetsTheDocumentedAnswer(Layer layer)
        {
            Rows.AllDetected(output, BadHandles.Small(layer));
        }

        [Theory]
        [InlineData(Layer.Base)]
        [InlineData(Layer.Debug)]
        [InlineData(Layer.Checker)]
        public void TheEdgesOfALargeArena_GetTheDocumentedAnswer(Layer layer)
        {
            Rows.AllDetected(output, BadHandles.Large(layer));
        }
    }
}
