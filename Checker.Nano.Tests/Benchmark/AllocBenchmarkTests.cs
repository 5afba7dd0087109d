using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class AllocBenchmarkTests
    {
        [TestMethod]
        public void Benchmark_PrintsOneLinePerSize_WithRatios()
        {
            MemorySink sink = new MemorySink();
            Reporter reporter = new Reporter(sink);
            reporter.Forms = ReportForm.Text;
            long[] ns = AllocBenchmark.Run(reporter, 16384, 1024, 200);
            Assert.AreEqual(3, ns.Length);
            string[] lines = sink.Text.Split('\n');

            // A header, three sizes, and the empty string after the last newline.
            Assert.AreEqual(5, lines.Length);
            Assert.AreEqual("bench: 200 malloc+free pairs per case, HEAP 16384, BLOCKSIZE 1024; ns per pair (ratio to new byte[n])", lines[0]);
            Assert.StartsWith("bench:  16 bytes: heap ", lines[1]);
            Assert.StartsWith("bench:  64 bytes: heap ", lines[2]);
            Assert.StartsWith("bench: 256 bytes: heap ", lines[3]);
            for (int i = 1; i <= 3; i++)
            {
                Assert.Contains(", heap without lock ", lines[i]);
                Assert.Contains(", debug heap ", lines[i]);
                Assert.Contains(", new byte[" + AllocBenchmark.Sizes[i - 1].ToString() + "] ", lines[i]);
                Assert.IsTrue(ns[i - 1] >= 0);
            }

            Assert.AreEqual(0, reporter.Dropped);
        }

        [TestMethod]
        public void Benchmark_NoPairs_IsRejected()
        {
            Reporter reporter = new Reporter(new MemorySink());
            Assert.ThrowsException(typeof(System.ArgumentOutOfRangeException), () => AllocBenchmark.Run(reporter, 16384, 1024, 0));
        }
    }
}
