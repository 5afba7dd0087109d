using System;
using System.Collections.Generic;
using System.IO;

namespace NanoSize.Tests
{
    /// <summary>Where the synthetic assemblies are compiled, and the real mscorlib they are compiled against.</summary>
    public static class Fixture
    {
        public static string Mscorlib => Path.Combine(ConstantStrings.NanoDirectory, "mscorlib.dll");

        public static string MscorlibPe => Path.Combine(ConstantStrings.NanoDirectory, "mscorlib.pe");

        static readonly string Root = Path.Combine(AppContext.BaseDirectory, "synthetic");

        static readonly Dictionary<string, string> Compiled = new Dictionary<string, string>();

        /// <summary>Compiles a synthetic assembly (once per test run, beside the tests) and returns its path.</summary>
        public static string Compile(string name, string source, bool optimize)
        {
            var dir = Path.Combine(Root, optimize ? "Release" : "Debug");
            lock (Compiled)
            {
                var key = dir + "|" + name;
                if (!Compiled.TryGetValue(key, out var path)) Compiled[key] = path = Synthetic.Compile(name, source, optimize, Mscorlib, dir);
                return path;
            }
        }
    }
}
