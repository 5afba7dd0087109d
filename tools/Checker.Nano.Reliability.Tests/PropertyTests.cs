// Property runs against a model, one class per layer so xunit runs them side by side: random
// sequences of malloc/calloc/realloc/free/memalign, writes, reads and queries, Validate after
// every operation, every block's bytes compared with the model, the heap empty at the end. The
// three together apply at least 1,000,000 operations (Sizes.Quick). A failure is shrunk by
// CsCheck and reported with its seed: CsCheck_Seed=<seed> dotnet test ... replays it exactly.
using Xunit;
using Xunit.Abstractions;

namespace Checker.Nano.Reliability.Tests
{
    public class BaseHeapPropertyTests(ITestOutputHelper output)
    {
        [Fact]
        public void RandomPrograms_AgainstTheModel_HoldEveryProperty()
        {
            Figure f = PropertyRuns.Run(Layer.Base, Sizes.Quick.PropertyOperations(Layer.Base));
            Rows.Clean(output, f);
            Assert.True(f.Operations >= 400_000, f.ToString());
        }
    }

    public class DebugHeapPropertyTests(ITestOutputHelper output)
    {
        [Fact]
        public void RandomPrograms_AgainstTheModel_HoldEveryProperty()
        {
            Figure f = PropertyRuns.Run(Layer.Debug, Sizes.Quick.PropertyOperations(Layer.Debug));
            Rows.Clean(output, f);
            Assert.True(f.Operations >= 350_000, f.ToString());
        }
    }

    public class CheckerPropertyTests(ITestOutputHelper output)
    {
        [Fact]
        public void RandomPrograms_AgainstTheModel_HoldEveryProperty()
        {
            Figure f = PropertyRuns.Run(Layer.Checker, Sizes.Quick.PropertyOperations(Layer.Checker));
            Rows.Clean(output, f);
            Assert.True(f.Operations >= 250_000, f.ToString());
        }
    }
}
