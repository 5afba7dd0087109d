using System;
using System.Linq;
using Xunit;

namespace NanoSize.Tests
{
    /// <summary>
    /// The estimator against the real metadata processor. Each assembly here was compiled from
    /// Synthetic.cs by Roslyn 4.14.0 against the real mscorlib 1.17.11 and run through the real
    /// MDP once (the calibration in README.md); its figures are written in the cases below. Byte
    /// code, signatures and every other table agree exactly; the string table is exact but for
    /// runtime constants that mscorlib does not use (Features has one: 4 bytes), which the
    /// estimate counts, so it is never low.
    /// </summary>
    public class EstimatorTests
    {
        static string Source(string name) => name switch
        {
            "Tiny" => Synthetic.Tiny,
            "Features" => Synthetic.Features,
            "BigMethodSmall" => Synthetic.BigMethod(500),
            "ManyStringsSmall" => Synthetic.ManyStrings(100, 40),
            _ => throw new ArgumentException(name),
        };

        [Theory]
        //          assembly            optimized  MDP: byte code  strings  .pe      ours: strings  .pe
        [InlineData("Tiny",             true,        14,              77,     384,           77,     384)]
        [InlineData("Tiny",             false,       16,              77,     384,           77,     384)]
        [InlineData("Features",         true,       854,             666,   3_140,          670,   3_144)]
        [InlineData("Features",         false,    1_019,             684,   3_360,          688,   3_364)]
        [InlineData("BigMethodSmall",   true,     3_915,              75,   4_256,           75,   4_256)]
        [InlineData("BigMethodSmall",   false,    3_921,              75,   4_264,           75,   4_264)]
        [InlineData("ManyStringsSmall", true,       613,           4_179,   5_060,        4_179,   5_060)]
        [InlineData("ManyStringsSmall", false,      907,           4_179,   5_356,        4_179,   5_356)]
        public void Matches_the_real_MDP(string name, bool optimize, int mdpByteCode, int mdpStrings, int mdpPe, int ourStrings, int ourPe)
        {
            var f = Estimator.Estimate(Fixture.Compile(name, Source(name), optimize));
            Assert.Equal(name, f.Assembly);
            Assert.Equal(optimize ? "Release" : "Debug", f.Configuration);
            Assert.Equal(mdpByteCode, f.ByteCode);
            Assert.Equal(ourStrings, f.Strings);
            Assert.Equal(ourPe, f.Pe);
            Assert.InRange(f.Strings - mdpStrings, 0, 4);
            Assert.Equal(f.Strings - mdpStrings, f.Pe - mdpPe);
        }

        [Fact]
        public void Features_tables_match_the_real_MDP_one_by_one()
        {
            // Release build of Synthetic.Features through the real MDP: every table's size.
            var f = Estimator.Estimate(Fixture.Compile("Features", Synthetic.Features, true));
            var mdp = new (string Table, int Bytes)[]
            {
                ("AssemblyRef", 12), ("TypeRef", 168), ("FieldRef", 0), ("MethodRef", 144), ("TypeDef", 240),
                ("FieldDef", 128), ("MethodDef", 496), ("Attributes", 32), ("TypeSpec", 8), ("Resources", 0),
                ("ResourcesData", 0), ("Strings", 666), ("Signatures", 264), ("ByteCode", 854), ("ResourcesFiles", 0),
            };
            foreach (var (table, bytes) in mdp)
            {
                // Strings: 4 more, "Area" (the interface's property), a runtime constant mscorlib lacks.
                int expected = table == "Strings" ? bytes + 4 : bytes;
                Assert.True(expected == f.Tables[table], $"{table}: MDP {bytes}, ours {f.Tables[table]}");
            }
        }

        [Fact]
        public void The_string_peak_is_the_table_before_Minimize_when_that_is_larger()
        {
            // Real MDP: Tiny's final table 77 bytes, 136 before Minimize (the assembly attributes'
            // type and namespace names, dropped by Minimize); ours 171 (+35: "DebuggingModes" and
            // other runtime constants mscorlib does not use).
            var f = Estimator.Estimate(Fixture.Compile("Tiny", Synthetic.Tiny, true));
            Assert.Equal(77, f.Strings);
            Assert.Equal(171, f.StringsPeak);
        }

        [Fact]
        public void The_real_mscorlib_gives_the_pe_shipped_with_it()
        {
            // nanoFramework.CoreLibrary 1.17.11 ships mscorlib.pe, made by the MDP from mscorlib.dll.
            // (Its string table is right by construction: the constants are recovered from it.)
            var real = PeFile.Read(Fixture.MscorlibPe);
            var f = Estimator.Estimate(Fixture.Mscorlib);
            for (int t = 0; t < PeFile.TableNames.Length; t++)
                Assert.True(real.TableSize(t) == f.Tables[PeFile.TableNames[t]],
                    $"{PeFile.TableNames[t]}: real {real.TableSize(t)}, ours {f.Tables[PeFile.TableNames[t]]}");
            Assert.Equal(real.Length, f.Pe);
            Assert.Equal(9_835, f.ByteCode);
            Assert.Equal(32_536, f.Pe);
        }

        [Fact]
        public void Constants_are_recovered_from_mscorlib()
        {
            var c = ConstantStrings.Default;
            Assert.Equal(433, c.Count);
            foreach (var s in new[] { ".ctor", ".cctor", "System", "Object", "ToString", "Equals", "value", "get_Length", "String" })
                Assert.True(c.Contains(s), s);
            Assert.False(c.Contains("Checker"));
            Assert.False(c.Contains(""));
        }

        [Fact]
        public void Without_constants_every_string_is_counted()
        {
            var dll = Fixture.Compile("Tiny", Synthetic.Tiny, true);
            var all = Estimator.Estimate(dll, ConstantStrings.None);
            var f = Estimator.Estimate(dll);
            Assert.True(all.Strings > f.Strings);
            Assert.Contains(".ctor", all.StringTable);
            Assert.DoesNotContain(".ctor", f.StringTable);
            Assert.Contains("hello, device", f.StringTable);
        }
    }
}
