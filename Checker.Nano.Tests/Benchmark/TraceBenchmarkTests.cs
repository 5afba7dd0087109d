using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class TraceBenchmarkTests
    {
        [TestMethod]
        public void Benchmark_PrintsAHeader_AndOneLinePerLayer_WithEveryModeAndItsRatio()
        {
            MemorySink sink = new MemorySink();
            Reporter reporter = new Reporter(sink);
            reporter.Forms = ReportForm.Text;
            long[][] ns = TraceBenchmark.Run(reporter, 16384, 1024, 50);
            Assert.AreEqual(3, ns.Length);
            string[] lines = sink.Text.Split('\n');
            Assert.AreEqual(1 + 3 + 1, lines.Length);
            Assert.AreEqual("trace: 64-byte malloc+free pairs, 50 per case, least of 3 rounds, HEAP 16384, BLOCKSIZE 1024; ns per pair (two events), "
                + "ratio to the layer untraced; ring 256 events, leaks 64 entries, stream to a sink that keeps nothing", lines[0]);
            for (int layer = 0; layer < 3; layer++)
            {
                long[] row = ns[layer];
                Assert.AreEqual(4, row.Length);
                Assert.AreEqual("trace: " + TraceBenchmark.Layers[layer] + ": off " + row[0].ToString()
                    + ", stream " + row[1].ToString() + " (" + AllocBenchmark.Ratio(row[1], row[0])
                    + "), ring " + row[2].ToString() + " (" + AllocBenchmark.Ratio(row[2], row[0])
                    + "), leaks " + row[3].ToString() + " (" + AllocBenchmark.Ratio(row[3], row[0]) + ")", lines[1 + layer]);
            }

            Assert.AreEqual(0, reporter.Dropped);
        }

        [TestMethod]
        public void Benchmark_NoPairs_IsRejected()
        {
            Reporter reporter = new Reporter(new MemorySink());
            Assert.ThrowsException(typeof(System.ArgumentOutOfRangeException), () => TraceBenchmark.Run(reporter, 16384, 1024, 0));
        }
    }
}
