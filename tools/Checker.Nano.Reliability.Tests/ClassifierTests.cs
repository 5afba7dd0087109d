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
    }
}
