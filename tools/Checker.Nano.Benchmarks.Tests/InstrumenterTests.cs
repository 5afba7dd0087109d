using System;
using System.Linq;
using System.Reflection;
using Xunit;

namespace Checker.Nano.Benchmarks.Tests
{
    /// <summary>One instrumented copy of this test assembly, shared by the instrumenter's tests (which run one at a time: one class).</summary>
    public sealed class InstrumentedFixtures : IDisposable
    {
        public InstrumentedFixtures()
        {
            Library = InstrumentedAssembly.Load(typeof(Fixtures).Assembly.Location);
            Type = Library.Assembly.GetType(typeof(Fixtures).FullName, throwOnError: true);
        }

        public InstrumentedAssembly Library { get; }

        public Type Type { get; }

        /// <summary>Runs the instrumented copy of <paramref name="name"/> from zeroed counters; its result and the counts.</summary>
        public (object Result, IlTally Tally) Run(string name, params object[] args)
        {
            MethodInfo method = Type.GetMethod(name, BindingFlags.Public | BindingFlags.Static);
            Library.Reset();
            object result = method.Invoke(null, args);
            return (result, Library.Tally());
        }

        public void Dispose() => Library.Dispose();
    }

    public sealed class InstrumenterTests : IClassFixture<InstrumentedFixtures>
    {
        private readonly InstrumentedFixtures _f;

        public InstrumenterTests(InstrumentedFixtures f)
        {
            _f = f;
        }

        [Fact]
        public void TheInstrumentedCopyIsNotTheOriginal()
        {
            Assert.NotSame(typeof(Fixtures), _f.Type);
            Assert.NotNull(_f.Library.Assembly.GetType(IlInstrumenter.CounterNamespace + "." + IlInstrumenter.CounterClass));
            Assert.Null(typeof(Fixtures).Assembly.GetType(IlInstrumenter.CounterNamespace + "." + IlInstrumenter.CounterClass));
        }

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(10)]
        [InlineData(1000)]
        public void AnEmptyLoopCountsSevenInstructionsPerIteration(int n)
        {
            (_, IlTally tally) = _f.Run(nameof(Fixtures.EmptyLoop), n);
            Assert.Equal(7 + (7L * n), tally.Instructions);
            Assert.Equal(7 + (7L * n), tally.PerMethod["Fixtures.EmptyLoop(int)"].Instructions);
            Assert.Equal(0, tally.CallsInside + tally.CallsOutside);
        }

        [Fact]
        public void BranchesStillGoWhereTheyWent()
        {
            for (int n = 1; n < 200; n++)
            {
                (object result, IlTally tally) = _f.Run(nameof(Fixtures.Collatz), n);
                Assert.Equal(Fixtures.Collatz(n), (int)result);
                Assert.True(tally.Instructions > 0);
            }

            (_, IlTally one) = _f.Run(nameof(Fixtures.Collatz), 1);
            (_, IlTally two) = _f.Run(nameof(Fixtures.Collatz), 2);
            Assert.True(two.Instructions > one.Instructions);
        }

        [Fact]
        public void SwitchTablesStillGoWhereTheyWent()
        {
            for (int x = -2; x < 6; x++)
            {
                Assert.Equal(Fixtures.Classify(x), (int)_f.Run(nameof(Fixtures.Classify), x).Result);
            }
        }

        [Fact]
        public void TryCatchFinallyStillRunsAsBefore()
        {
            var log = new int[1];
            (object ok, IlTally quiet) = _f.Run(nameof(Fixtures.TryCatchFinally), 21, log);
            Assert.Equal(42, (int)ok);
            Assert.Equal(1, log[0]);
            Assert.Equal(0, quiet.CallsOutside);

            (object caught, IlTally thrown) = _f.Run(nameof(Fixtures.TryCatchFinally), -5, log);
            Assert.Equal(-1, (int)caught);
            Assert.Equal(2, log[0]);
            Assert.Equal(1, thrown.CallsOutside);   // newobj ArgumentException
            Assert.Equal(1, thrown.Allocations);
        }

        [Fact]
        public void ALockIsTwoCallsOutsideAndReleasesItsMonitor()
        {
            object gate = new object();
            (object result, IlTally tally) = _f.Run(nameof(Fixtures.Locked), gate, 4);
            Assert.Equal(5, (int)result);
            Assert.Equal(2, tally.CallsOutside);
            Assert.Equal(new[] { "Monitor.Enter", "Monitor.Exit" }, tally.OutsideCallees.Keys.OrderBy(k => k, StringComparer.Ordinal));
            Assert.False(System.Threading.Monitor.IsEntered(gate));
        }

        [Fact]
        public void ArrayAccessesAreCountedByElementType()
        {
            int[] a = { 1, 2, 3, 4, 5 };
            byte[] b = { 7, 8, 9 };
            (object result, IlTally tally) = _f.Run(nameof(Fixtures.Sum), a, b);
            Assert.Equal(Fixtures.Sum(a, b), (int)result);
            Assert.Equal(5, tally.IntArray);
            Assert.Equal(3, tally.ByteArray);
            Assert.Equal(0, tally.OtherArray);
        }

        [Fact]
        public void CallsAreSplitIntoLibraryAndOutside()
        {
            (object result, IlTally tally) = _f.Run(nameof(Fixtures.Calls), 9);
            Assert.Equal(Fixtures.Calls(9), (int)result);
            Assert.Equal(9, tally.CallsInside);
            Assert.Equal(1, tally.CallsOutside);   // Math.Max
            Assert.Equal(9, tally.PerMethod["Fixtures.Calls(int)"].CallsInside);
            Assert.Equal(9 * 4, tally.PerMethod["Fixtures.Helper(int)"].Instructions);   // ldarg.0; ldc.i4.3; and; ret
        }
    }
}
