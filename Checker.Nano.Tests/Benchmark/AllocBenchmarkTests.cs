using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class AllocBenchmarkTests
    {
        [TestMethod]
        public void Benchmark_PrintsPrices_AndOneLinePerSizeAndCase_WithRatios()
        {
            MemorySink sink = new MemorySink();
            Reporter reporter = new Reporter(sink);
            reporter.Forms = ReportForm.Text;
            long[][] ns = AllocBenchmark.Run(reporter, 16384, 1024, 200);
            Assert.AreEqual(3, ns.Length);
            string[] lines = sink.Text.Split('\n');

            // A header, the prices, the table's header, 8 rows per size, and the empty string after the last newline.
            Assert.AreEqual(3 + (3 * 8) + 1, lines.Length);
            Assert.AreEqual("bench: 200 iterations per case, least of 3 rounds, HEAP 16384, BLOCKSIZE 1024; ns per loop iteration, the loop included", lines[0]);
            Assert.StartsWith("bench: prices (ns per iteration): empty loop ", lines[1]);
            Assert.Contains(", interface call ", lines[1]);
            Assert.Contains(", Interlocked pair ", lines[1]);
            Assert.AreEqual("bench: size case                  ns/iter  ratio to new byte[n]", lines[2]);
            for (int k = 0; k < 3; k++)
            {
                string size = AllocBenchmark.Sizes[k].ToString();
                string pad = size.Length == 2 ? "  " : " ";
                Assert.AreEqual(1 + AllocBenchmark.Cases.Length, ns[k].Length);
                Assert.StartsWith("bench: " + pad + size + " new byte[" + size + "]", lines[3 + (k * 8)]);
                Assert.IsTrue(lines[3 + (k * 8)].EndsWith("  1.0x") || ns[k][0] == 0);
                for (int c = 0; c < AllocBenchmark.Cases.Length; c++)
                {
                    string line = lines[4 + (k * 8) + c];
                    Assert.StartsWith("bench: " + pad + size + " " + AllocBenchmark.Cases[c] + " ", line);
                    Assert.IsTrue(ns[k][c + 1] >= 0);
                    Assert.Contains(" " + ns[k][c + 1].ToString() + "  ", line);
                }
            }

            Assert.AreEqual(0, reporter.Dropped);
        }

        [TestMethod]
        public void Ratio_IsRoundedToATenth()
        {
            Assert.AreEqual("12.3x", AllocBenchmark.Ratio(1234, 100));
            Assert.AreEqual("1.0x", AllocBenchmark.Ratio(70, 70));
            Assert.AreEqual("0.5x", AllocBenchmark.Ratio(1, 2));
            Assert.AreEqual("-", AllocBenchmark.Ratio(5, 0));
        }

        [TestMethod]
        public void Benchmark_NoPairs_IsRejected()
        {
            Reporter reporter = new Reporter(new MemorySink());
            Assert.ThrowsException(typeof(System.ArgumentOutOfRangeException), () => AllocBenchmark.Run(reporter, 16384, 1024, 0));
        }
    }
}
