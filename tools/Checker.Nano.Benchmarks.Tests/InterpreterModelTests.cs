using System.IO;
using System.Linq;
using Xunit;

namespace Checker.Nano.Benchmarks.Tests
{
    /// <summary>The interp mode on the device-style library (tools/Checker.Nano.DeviceIL, copied beside the tests).</summary>
    public sealed class InterpreterModelTests
    {
        private static readonly PairCase Base64 = new PairCase(PairCase.BaseHeap, 1024, 64, Resident: true);

        [Fact]
        public void TheDeviceStyleLibraryIsBesideTheTests()
        {
            Assert.True(File.Exists(InterpreterModel.DeviceAssemblyPath), InterpreterModel.DeviceAssemblyPath + " is missing");
        }

        [Fact]
        public void TheDeviceStyleLibraryHasNoWorkCounterCalls()
        {
            // The host library (HEAP_WORK defined) calls the heap's Count* methods; the device-style copy must not.
            using InstrumentedAssembly host = InstrumentedAssembly.Load(typeof(Heap).Assembly.Location);
            var counters = host.Sites.Where(s => s.Callee != null && s.Callee.StartsWith("BaseHeap.Count", System.StringComparison.Ordinal)).Select(s => s.Callee).Distinct().ToList();
            Assert.NotEmpty(counters);
            using InstrumentedAssembly device = InstrumentedAssembly.Load(InterpreterModel.DeviceAssemblyPath);
            Assert.DoesNotContain(device.Sites, s => s.Callee != null && counters.Contains(s.Callee));
        }

        [Fact]
        public void PairCountsAreNonzeroAndTheSameOnEveryRun()
        {
            ModelRow first, second, noLock;
            using (InstrumentedAssembly library = InstrumentedAssembly.Load(InterpreterModel.DeviceAssemblyPath))
            {
                first = InterpreterModel.MeasurePairs(library, Base64, 500);
                noLock = InterpreterModel.MeasurePairs(library, Base64 with { Layer = PairCase.BaseHeapNoLock }, 500);
            }

            using (InstrumentedAssembly library = InstrumentedAssembly.Load(InterpreterModel.DeviceAssemblyPath))
            {
                second = InterpreterModel.MeasurePairs(library, Base64, 500);
            }

            Assert.True(first.Tally.Instructions > 0);
            Assert.True(first.CallsOutside > 0);   // the lock's Monitor.Enter/Exit
            Assert.True(noLock.CallsOutside < first.CallsOutside);
            Assert.Equal(first.Tally.Instructions, second.Tally.Instructions);
            Assert.Equal(first.Tally.CallsInside, second.Tally.CallsInside);
            Assert.Equal(first.Tally.CallsOutside, second.Tally.CallsOutside);
            Assert.Equal(first.Tally.IntArray, second.Tally.IntArray);
            Assert.Equal(first.Tally.ByteArray, second.Tally.ByteArray);
            Assert.Equal(first.Tally.PerMethod.OrderBy(kv => kv.Key), second.Tally.PerMethod.OrderBy(kv => kv.Key));
            Assert.Equal(0, first.Tally.Allocations);
            Assert.True(CostModel.High.Price(first.Il, first.ByteArray, first.CallsInside, first.CallsOutside)
                > CostModel.Low.Price(first.Il, first.ByteArray, first.CallsInside, first.CallsOutside));

            string table = InterpreterModel.Render(new[] { first, noLock }, first, 500, null);
            Assert.Contains("NOT a measurement", table);
            Assert.Contains("| " + Base64.Label + " |", table);
            Assert.Contains("### Top 10 methods", table);
        }
    }
}
