using System.Linq;
using Xunit;

namespace NanoSize.Tests
{
    /// <summary>The budget check on assemblies made to break it, and its exact messages.</summary>
    public class BudgetTests
    {
        [Fact]
        public void A_70_KB_method_breaks_the_byte_code_budget()
        {
            // One method of 10,000 statements. Real MDP: byte code 78,188 bytes (Release), 78,194 (Debug).
            var f = Estimator.Estimate(Fixture.Compile("BigMethod", Synthetic.BigMethod(10000), true));
            Assert.Equal(78_188, f.ByteCode);
            Assert.Equal(new[]
            {
                "BigMethod (Release): nano byte code 78,188 bytes is over the budget of 49,152 bytes (75% of the format's 65,535)",
            }, Budget.Check(f, "Release"));

            var debug = Estimator.Estimate(Fixture.Compile("BigMethod", Synthetic.BigMethod(10000), false));
            Assert.Equal(new[]
            {
                "BigMethod (Debug): nano byte code 78,194 bytes is over the budget of 49,152 bytes (75% of the format's 65,535)",
            }, Budget.Check(debug, "Debug"));
        }

        [Fact]
        public void Seventy_KB_of_string_literals_break_the_string_budget()
        {
            // 1,000 literals of 70 characters. Real MDP: final string table 71,074 bytes, 71,135 at
            // its largest (before Minimize); ours 71,074 and 71,170 (runtime constants it cannot know
            // counted: never low). Byte code 6,013: within budget.
            var f = Estimator.Estimate(Fixture.Compile("ManyStrings", Synthetic.ManyStrings(1000, 70), true));
            Assert.Equal(71_074, f.Strings);
            Assert.Equal(6_013, f.ByteCode);
            Assert.Equal(new[]
            {
                "ManyStrings (Release): string table 71,170 bytes is over the budget of 49,152 bytes (75% of the format's 65,535)",
            }, Budget.Check(f, "Release"));
        }

        [Fact]
        public void A_small_assembly_is_within_budget()
        {
            var f = Estimator.Estimate(Fixture.Compile("Tiny", Synthetic.Tiny, true));
            Assert.Empty(Budget.Check(f, "Release"));
        }

        [Fact]
        public void The_budget_is_48_KiB_inclusive()
        {
            Assert.Null(Budget.ByteCodeFailure("A", "Debug", 49_152));
            Assert.Null(Budget.StringsFailure("A", "Debug", 49_152));
            Assert.Equal("A (Debug): nano byte code 49,153 bytes is over the budget of 49,152 bytes (75% of the format's 65,535)",
                Budget.ByteCodeFailure("A", "Debug", 49_153));
            Assert.Equal("Checker.Nano.Heap (Release): string table 70,112 bytes is over the budget of 49,152 bytes (75% of the format's 65,535)",
                Budget.StringsFailure("Checker.Nano.Heap", "Release", 70_112));
        }
    }
}
