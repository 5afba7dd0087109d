// The classifiers must not call a miss a detection: an argument exception the harness throws is
// not a documented library error (whatever its namespace starts with), and a report a hostile step
// makes about damage it found is not absorbed as the documented answer to a bad size. And they
// can report a miss: a planted corruption that nothing can detect comes out as missed, in the
// bit-flip campaign and in the out-of-memory sweep.
using System;
using Checker.Nano.Traces;
using Xunit;
using Xunit.Abstractions;

namespace Checker.Nano.Reliability.Tests
{
    public class ClassifierTests(ITestOutputHelper output)
    {
        private static Exception Caught(Action a)
        {
            try
            {
                a();
            }
            catch (Exception e)
            {
                return e;
            }

            throw new InvalidOperationException("nothing was thrown");
        }

        private static void HarnessCode(int index) => throw new ArgumentOutOfRangeException(nameof(index), "the harness's own bug");

        [Fact]
        public void AnArgumentExceptionOfTheHarness_IsNotADocumentedError()
        {
            Exception own = Caught(() => HarnessCode(3));
            Assert.Equal("Checker.Nano.Reliability.Tests", typeof(ClassifierTests).Namespace);
            Assert.False(Faults.IsDocumented(own));
            Assert.False(Faults.IsDocumented(new LibraryFault(own)));   // even inside a Subject's call
        }

        [Fact]
        public void AnArgumentExceptionOfTheLibrary_IsDocumented_WhenItCameOutOfALibraryCall()
        {
            var s = new DebugSubject(new HeapShape(16384, 256));
            int p = s.Malloc(10);
            Exception e = Caught(() => s.Read(p, 8, new byte[16], 4));   // bytes 8..11 of a 10-byte block
            Assert.IsType<LibraryFault>(e);
            Assert.IsType<ArgumentOutOfRangeException>(e.InnerException);
            Assert.True(Faults.IsDocumented(e));
            Assert.False(Faults.IsDocumented(e.InnerException));   // not out of a Subject's call

            Exception h = Caught(() => new BaseSubject(new HeapShape(16384, 256)).Free(12345));
            Assert.IsType<HeapException>(h.InnerException);
            Assert.True(Faults.IsDocumented(h));
        }

        [Fact]
        public void AHostileStep_AbsorbsItsBadSizeReport_AndNothingElse()
        {
            var s = new DebugSubject(new HeapShape(16384, 256));
            s.Debug.SetDbgFlag(DbgFlag.ALLOC_MEM_DF | DbgFlag.CHECK_ALWAYS_DF);
            var runner = new ModelRunner(s, 1) { ValidateEach = false };
            runner.Step(new Op(OpKind.Malloc, 0, 1, 100, 0));
            runner.Step(new Op(OpKind.Hostile, 0, 0, 0, 0));   // malloc(-1): the bad size alone is reported
            Assert.Equal(1, s.ReportedFaults);

            // The guard after the block's data overwritten: malloc(-1) runs CheckMemory first
            // (CHECK_ALWAYS_DF), which reports the damage, then the bad size.
            LiveBlock b = runner.Model.Live[0];
            s.Memory[b.Ptr + b.Size] ^= 0xFF;
            var v = Assert.Throws<PropertyViolation>(() => runner.Step(new Op(OpKind.Hostile, 0, 0, 0, 0)));
            Assert.Contains("the layer reported a fault on a correct program: ", v.Message);
            Assert.Contains("HEAP CORRUPTION DETECTED: after Normal block (#1)", v.Message);
            Assert.Contains("Invalid allocation size: -1 bytes.", v.Message);
        }

        [Theory]
        [InlineData(Layer.Base, 39, 36)]
        [InlineData(Layer.Debug, 40, 38)]
        [InlineData(Layer.Checker, 40, 38)]
        public void BitFlips_APlantedUndetectableCorruption_IsMissed(Layer layer, int injected, int missed)
        {
            // In place of a bit flip, one bit of a live block's data (the program's own bytes, which
            // no check of the allocator reads): nothing can report it, and the block has lost data.
            // Harmless only when the program frees that block before it reads it again.
            static string Plant(Subject s, HeapModel model, Random rng)
            {
                LiveBlock b = model.Live.Find(x => x.Size > 0);
                if (b == null)
                {
                    return null;
                }

                int at = b.Ptr + rng.Next(b.Size);
                s.Memory[at] ^= 1;
                return $"planted: data byte {Bytes.Hex8(at)} bit 0";
            }

            Figure f = BitFlips.Run(layer, 40, 77, Plant);
            output.WriteLine(f.ToString());
            Assert.Equal(injected, f.Injected);
            Assert.Equal(missed, f.Missed);
            Assert.Equal(0, f.Detected);
            Assert.Equal(injected - missed, f.Harmless);
            Assert.False(f.Clean);
            Assert.StartsWith("missed: planted: data byte 0x", f.Problems[0]);
            Assert.Contains(") lost its data at 0x", f.Problems[0]);
            Assert.Contains($"Planted {injected}: 0+0/{injected - missed}/{missed}", f.Notes);
        }

        [Theory]
        [InlineData(Layer.Base)]
        [InlineData(Layer.Debug)]
        [InlineData(Layer.Checker)]
        public void OutOfMemory_APlantedUndetectableCorruption_IsMissed(Layer layer)
        {
            // Right after the first failed allocation, one bit of a live block's data: the
            // allocation failed cleanly, but the checks after it find the block changed.
            int planted = 0;
            void Plant(TraceDriver d)
            {
                int p = d.FirstLive(out _);
                if (planted == 0 && p != 0)
                {
                    planted++;
                    d.Subject.Memory[p] ^= 1;
                }
            }

            Figure f = OutOfMemorySweep.EveryK(layer, SyntheticTrace.EspIdf(), new HeapShape(262144, 4096), 0, 50, Plant);
            output.WriteLine(f.ToString());
            Assert.Equal(100, f.Injected);
            Assert.Equal(1, f.Missed);   // counted once: the sweep gives the ballast back and refills the blocks
            Assert.False(f.Clean);
            Assert.Contains("after the failure: block of id ", f.Problems[0]);
            Assert.Contains("was overwritten at byte 0", f.Problems[0]);
            Assert.Equal(f.Injected, f.Detected + f.Harmless + 1);   // the planted one: missed, not detected
        }

        [Fact]
        public void BitFlips_DamageOnlyValidateSees_IsMissed_NotHarmless()
        {
            // With tracking off the debug heap's CheckMemory checks nothing, as the CRT's does; a
            // statistic changed then is seen by Validate alone, which a harmless trial must pass.
            static string Plant(Subject s, HeapModel model, Random rng)
            {
                DebugHeap d = ((DebugSubject)s).Debug;
                d.SetDbgFlag(0);
                System.Reflection.FieldInfo current = typeof(DebugHeap).GetField("_currentBytes", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance);
                current.SetValue(d, (int)current.GetValue(d) + 1);
                return "planted: tracking off, _currentBytes + 1";
            }

            Figure f = BitFlips.Run(Layer.Debug, 10, 5, Plant);
            output.WriteLine(f.ToString());
            Assert.Equal(10, f.Injected);
            Assert.Equal(10, f.Missed);
            Assert.StartsWith("missed: planted: tracking off, _currentBytes + 1 (seed 5): Validate: statistics: ", f.Problems[0]);
        }
    }
}
