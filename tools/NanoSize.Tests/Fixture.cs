using System;
using System.IO;

namespace NanoSize.Tests
{
    /// <summary>Where the synthetic assemblies are compiled, and the real mscorlib they are compiled against.</summary>
    public static class Fixture
    {
        public static string Mscorlib => Path.Combine(ConstantStrings.NanoDirectory, "mscorlib.dll");

        public static string MscorlibPe => Path.Combine(ConstantStrings.NanoDirectory, "mscorlib.pe");

        static readonly string Root = Path.Combine(Path.GetTempPath(), "nanosize-tests-" + Environment.ProcessId);

        /// <summary>Compiles a synthetic assembly (once per process) and returns its path.</summary>
        public static string Compile(string name, string source, bool optimize)
        {
            var dir = Path.Combine(Root, optimize ? "Release" : "Debug");
            var path = Path.Combine(dir, name + ".dll");
            lock (Root)
                return File.Exists(path) ? path : Synthetic.Compile(name, source, optimize, Mscorlib, dir);
        }
    }
}
