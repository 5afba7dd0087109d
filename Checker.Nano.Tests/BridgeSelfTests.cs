using System;
using nanoFramework.TestFramework;
using TestFrameworkShared;

namespace Checker.Nano.Tests
{
    /// <summary>
    /// Checks the test harness itself, on the device and on the host (where Host/Bridge runs the
    /// tests through xunit): [Setup] runs before the tests, [DataRow]s each run, a skip is
    /// reported as a skip, and a failing assert throws AssertFailedException.
    /// </summary>
    [TestClass]
    public class BridgeSelfTests
    {
        private static bool _setupRan;
        private static int _rowSum;
        private static int _rowsRun;

        [Setup]
        public void Setup()
        {
            _setupRan = true;
        }

        [TestMethod]
        public void Setup_RanBeforeTests()
        {
            Assert.IsTrue(_setupRan);
        }

        [TestMethod]
        public void Assert_Passes()
        {
            Assert.AreEqual(4, 2 + 2);
            Assert.AreEqual("ab", "a" + "b");
            Assert.IsNull(null);
            Assert.IsNotNull(new object());
            Assert.StartsWith("mal", "malloc");
            CollectionAssert.AreEqual(new int[] { 1, 2, 3 }, new int[] { 1, 2, 3 });
            Assert.IsTrue(new byte[] { 1, 2 }.SequenceEqual(new byte[] { 1, 2 }));
            OutputHelper.WriteLine("Assert_Passes: output reaches the test result");
        }

        [TestMethod]
        public void Assert_FailureThrowsAssertFailedException()
        {
            Assert.ThrowsException(typeof(AssertFailedException), () => Assert.AreEqual(1, 2));
            Assert.ThrowsException(typeof(AssertFailedException), () => Assert.IsTrue(false));
            Assert.ThrowsException(typeof(AssertFailedException), () => CollectionAssert.AreEqual(new int[] { 1 }, new int[] { 2 }));
            Assert.ThrowsException(typeof(SkipTestException), () => Assert.SkipTest("inside ThrowsException"));
        }

        [TestMethod]
        public void Assert_ThrowsException_WantsTheExactType()
        {
            Assert.ThrowsException(typeof(ArgumentException), () => { throw new ArgumentException("x"); });
            Assert.ThrowsException(typeof(AssertFailedException), () =>
                Assert.ThrowsException(typeof(ArgumentException), () => { throw new ArgumentNullException("x"); }));
        }

        [DataRow(1, 2, 3)]
        [DataRow(0, 0, 0)]
        [DataRow(-5, 5, 0)]
        public void DataRow_EachRowRuns(int a, int b, int sum)
        {
            Assert.AreEqual(sum, a + b);
            _rowSum += a;
            _rowsRun++;
        }

        [TestMethod]
        public void SkipTest_IsReportedAsSkipped()
        {
            Assert.SkipTest("shows that a skipped test is reported as skipped");
            Assert.IsTrue(false, "not reached");
        }

        [Cleanup]
        public void Cleanup()
        {
            Assert.IsTrue(_setupRan);
            OutputHelper.WriteLine("BridgeSelfTests: cleanup ran; " + _rowsRun.ToString() + " DataRow(s) ran, sum of their first values " + _rowSum.ToString());
            if (_rowsRun == 0)
            {
                Assert.SkipTest("no row of DataRow_EachRowRuns ran before the cleanup (a filter left them out)");
            }

            // Each of the three rows ran once, with its own values: 1 + 0 + -5.
            Assert.AreEqual(3, _rowsRun);
            Assert.AreEqual(-4, _rowSum);
        }
    }
}
