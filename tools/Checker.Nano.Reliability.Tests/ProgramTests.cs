// The console tool's choice of subjects: --layer and --policy name a layer over a policy; by default
// every layer over both policies; --layer compact is still the base heap over Compact.
using System.Linq;
using Checker.Nano.Traces;
using Xunit;

namespace Checker.Nano.Reliability.Tests
{
    public class ProgramTests
    {
        private static string[] Names(string layer, string policy)
        {
            Assert.Null(Program.TryKinds(layer, policy, out SubjectKind[] kinds));
            return kinds.Select(k => k.Name).ToArray();
        }

        [Fact]
        public void ByDefault_EveryLayer_OverBothPolicies_TheSeedsFirst()
        {
            Assert.Equal(new[] { "base heap", "debug heap", "Checker", "base heap, Compact policy", "debug heap, Compact policy", "Checker, Compact policy" }, Names(null, null));
            Assert.Equal(Names(null, null), Names(null, "both"));
        }

        [Fact]
        public void LayerAndPolicy_PickTheirSubjects()
        {
            Assert.Equal(new[] { "debug heap, Compact policy" }, Names("debug", "compact"));
            Assert.Equal(new[] { "Checker" }, Names("checker", "seed"));
            Assert.Equal(new[] { "debug heap", "debug heap, Compact policy" }, Names("debug", null));
            Assert.Equal(new[] { "base heap, Compact policy", "debug heap, Compact policy", "Checker, Compact policy" }, Names(null, "COMPACT"));
        }

        [Fact]
        public void LayerCompact_IsTheBaseHeapOverCompact()
        {
            Assert.Equal(new[] { "base heap, Compact policy" }, Names("compact", null));
            Assert.Equal(new[] { "base heap, Compact policy" }, Names("compact", "compact"));
            Assert.Contains("takes no --policy seed", Program.TryKinds("compact", "seed", out _));
        }

        [Fact]
        public void BadValues_AreRefused_WithWhatToGive()
        {
            Assert.Equal("--policy tlsf: give seed, compact or both", Program.TryKinds(null, "tlsf", out _));
            Assert.Equal("--layer heap: give base, debug, checker or compact", Program.TryKinds("heap", null, out _));
            Assert.Equal(2, Program.Main(new[] { "property", "--policy", "tlsf" }));
            Assert.Equal(2, Program.Main(new[] { "property", "--layer" }));
        }

        [Fact]
        public void SubjectKinds_KeepTheSeedsRowNamesAndSeeds()
        {
            SubjectKind debug = Layer.Debug;
            Assert.Equal(new SubjectKind(Layer.Debug, HeapPolicy.Seed), debug);
            Assert.Equal(1, debug.Index);
            Assert.Equal(3, SubjectKind.BaseCompact.Index);   // the Compact base heap's bit-flip seed stays 1003
            Assert.Equal(4, SubjectKind.DebugCompact.Index);
            Assert.Equal(5, SubjectKind.CheckerCompact.Index);
        }
    }
}
