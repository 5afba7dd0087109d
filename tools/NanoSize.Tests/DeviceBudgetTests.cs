using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace NanoSize.Tests
{
    /// <summary>
    /// The size budget of every device assembly listed in DeviceAssemblies.props, built as Debug
    /// and as Release (by BuildDevices.targets, after this project's build): nano byte code and
    /// string table at most 48 KiB each. A failure names the assembly, the configuration, the
    /// table and both numbers. The estimate is exact for the byte code and never low for the
    /// strings (README.md), so a pass is a real pass.
    /// </summary>
    public class DeviceBudgetTests
    {
        readonly ITestOutputHelper _out;

        public DeviceBudgetTests(ITestOutputHelper output) { _out = output; }

        public sealed class Build
        {
            public string Configuration, Dll, Project;
            // The device assembly by its project's name (the test assemblies are all NFUnitTest:
            // Checker.Nano.Tests/<layer>/NFUnitTest.<layer>.nfproj, surface NFUnitTest.<layer>.Surface).
            public string Assembly
            {
                get
                {
                    string name = Path.GetFileNameWithoutExtension(Project);
                    return name.EndsWith(".Surface", StringComparison.Ordinal) ? name.Substring(0, name.Length - ".Surface".Length) : Path.GetFileNameWithoutExtension(Dll);
                }
            }
        }

        static string ListFile => Path.Combine(AppContext.BaseDirectory, "device-assemblies.txt");

        public static List<Build> Builds()
        {
            if (!File.Exists(ListFile)) return new List<Build>();
            return File.ReadAllLines(ListFile).Where(l => l.Trim().Length > 0).Select(l => l.Split(';'))
                .Select(p => new Build { Configuration = p[0], Dll = p[1], Project = p[2] })
                .OrderBy(b => b.Assembly, StringComparer.Ordinal).ThenBy(b => b.Configuration, StringComparer.Ordinal).ToList();
        }

        public static IEnumerable<object[]> Tables() =>
            Builds().SelectMany(b => new[] { new object[] { b.Assembly, b.Configuration, "byte code" }, new object[] { b.Assembly, b.Configuration, "strings" } });

        static readonly Dictionary<string, NanoFigures> Cache = new Dictionary<string, NanoFigures>();

        static NanoFigures Figures(string assembly, string configuration)
        {
            var build = Builds().Single(b => b.Assembly == assembly && b.Configuration == configuration);
            lock (Cache)
            {
                if (!Cache.TryGetValue(build.Dll, out var f)) Cache[build.Dll] = f = Estimator.Estimate(build.Dll);
                return f;
            }
        }

        [Theory]
        [MemberData(nameof(Tables))]
        public void Within_budget(string assembly, string configuration, string table)
        {
            var f = Figures(assembly, configuration);
            _out.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0} ({1}): byte code {2:N0}, strings {3:N0} (final table {4:N0}), .pe {5:N0} bytes",
                assembly, configuration, f.ByteCode, f.StringsPeak, f.Strings, f.Pe));
            var failure = table == "byte code"
                ? Budget.ByteCodeFailure(assembly, configuration, f.ByteCode)
                : Budget.StringsFailure(assembly, configuration, f.StringsPeak);
            Assert.True(failure == null, failure);
        }

        [Fact]
        public void Every_listed_assembly_is_built_in_both_configurations()
        {
            var builds = Builds();
            Assert.True(File.Exists(ListFile), $"{ListFile} is missing: BuildDevices.targets did not run after the build");
            Assert.NotEmpty(builds);
            foreach (var project in builds.GroupBy(b => b.Project))
            {
                Assert.Equal(new[] { "Debug", "Release" }, project.Select(b => b.Configuration).OrderBy(c => c, StringComparer.Ordinal));
                foreach (var b in project)
                {
                    Assert.True(File.Exists(b.Dll), b.Dll);
                    var optimized = Mono.Cecil.ModuleDefinition.ReadModule(b.Dll);
                    using (optimized)
                        Assert.Equal(b.Configuration == "Release", Estimator.IsOptimized(optimized));
                }
            }
        }

        /// <summary>The table the README quotes: every listed assembly, both configurations.</summary>
        [Fact]
        public void Figures_table()
        {
            _out.WriteLine("| assembly | config | nano byte code | strings | .pe |");
            _out.WriteLine("|---|---|---:|---:|---:|");
            foreach (var b in Builds())
            {
                var f = Figures(b.Assembly, b.Configuration);
                _out.WriteLine(string.Format(CultureInfo.InvariantCulture, "| {0} | {1} | {2:N0} | {3:N0} | {4:N0} |",
                    b.Assembly, b.Configuration, f.ByteCode, f.StringsPeak, f.Pe));
            }
        }
    }
}
