using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Mono.Cecil;

namespace NanoSize
{
    /// <summary>The MDP's figures for one assembly, as estimated from its DLL.</summary>
    public sealed class NanoFigures
    {
        public string Assembly { get; init; }

        /// <summary>"Debug" when the DLL was compiled without optimizations, else "Release".</summary>
        public string Configuration { get; init; }

        /// <summary>The byte code table (the MDP refuses more than 65,535 bytes).</summary>
        public int ByteCode { get; init; }

        /// <summary>The string table (the MDP refuses more than 65,535 bytes).</summary>
        public int Strings { get; init; }

        /// <summary>
        /// The largest the string table gets while the MDP works: the final table, or the one it
        /// had built before Minimize if that was larger. The MDP's limit applies to this figure.
        /// </summary>
        public int StringsPeak { get; init; }

        /// <summary>The signatures table (estimated; see Signatures).</summary>
        public int Signatures { get; init; }

        /// <summary>The whole .pe file.</summary>
        public int Pe { get; init; }

        /// <summary>Every table's size (without padding), in the .pe's order.</summary>
        public IReadOnlyDictionary<string, int> Tables { get; init; }

        /// <summary>The strings of the string table (in no particular order).</summary>
        public IReadOnlyList<string> StringTable { get; init; }
    }

    public static class Estimator
    {
        public const int FormatLimit = 65535;

        /// <summary>
        /// Estimates the MDP's tables for a DLL. References are looked up beside the DLL and in
        /// <paramref name="searchDirectories"/> (the MDP needs them too: it resolves some types).
        /// </summary>
        public static NanoFigures Estimate(string dllPath, ConstantStrings constants = null, params string[] searchDirectories)
        {
            constants ??= ConstantStrings.Default;
            using var resolver = new DefaultAssemblyResolver();
            foreach (var d in resolver.GetSearchDirectories()) resolver.RemoveSearchDirectory(d);
            resolver.AddSearchDirectory(Path.GetDirectoryName(Path.GetFullPath(dllPath)));
            foreach (var d in searchDirectories) resolver.AddSearchDirectory(d);
            resolver.AddSearchDirectory(ConstantStrings.NanoDirectory);
            using var module = ModuleDefinition.ReadModule(dllPath, new ReaderParameters { AssemblyResolver = resolver });
            return Estimate(module, constants);
        }

        public static NanoFigures Estimate(ModuleDefinition module, ConstantStrings constants)
        {
            var m = new Minimized(module);

            int byteCode = m.Types.SelectMany(m.MethodsOf).Sum(ByteCode.MethodSize);
            var strings = Strings.Table(m, constants);
            int stringBytes = strings.Sum(Strings.Bytes);
            int beforeMinimize = Strings.RequestedBeforeMinimize(m).Where(s => !constants.Contains(s)).Sum(Strings.Bytes);

            var specs = new TypeSpecs();
            var signatures = Signatures.Build(m, specs);

            var tables = new Dictionary<string, int>
            {
                ["AssemblyRef"] = 12 * m.AssemblyRefs.Count,
                ["TypeRef"] = 8 * m.TypeRefs.Count,
                ["FieldRef"] = 8 * m.FieldRefs.Count,
                ["MethodRef"] = 8 * m.MethodRefs.Count,
                ["TypeDef"] = 24 * m.Types.Count,
                ["FieldDef"] = 8 * m.Types.Sum(t => m.FieldsOf(t).Count()),
                ["MethodDef"] = 16 * m.Types.Sum(t => m.MethodsOf(t).Count()),
                ["Attributes"] = 8 * Attributes.Of(m).Count,
                ["TypeSpec"] = 4 * specs.All.Count,
                ["Resources"] = 0,
                ["ResourcesData"] = 0,
                ["Strings"] = stringBytes,
                ["Signatures"] = signatures.Size,
                ["ByteCode"] = byteCode,
                ["ResourcesFiles"] = 0,
            };
            if (module.Resources.Count > 0)
                throw new NotSupportedException($"{module.Assembly.Name.Name} has embedded resources, which nano-size does not estimate");

            int pe = PeFile.HeaderSize + tables.Values.Sum(v => (v + 3) & ~3);

            return new NanoFigures
            {
                Assembly = module.Assembly.Name.Name,
                Configuration = IsOptimized(module) ? "Release" : "Debug",
                ByteCode = byteCode,
                Strings = stringBytes,
                StringsPeak = Math.Max(stringBytes, beforeMinimize),
                Signatures = signatures.Size,
                Pe = pe,
                Tables = tables,
                StringTable = strings,
            };
        }

        /// <summary>Whether the compiler optimized the code: no DebuggableAttribute asking for DisableOptimizations (0x100).</summary>
        public static bool IsOptimized(ModuleDefinition module)
        {
            var a = module.Assembly.CustomAttributes.FirstOrDefault(x => x.AttributeType.FullName == "System.Diagnostics.DebuggableAttribute");
            if (a == null || a.ConstructorArguments.Count == 0) return true;
            var arg = a.ConstructorArguments[a.ConstructorArguments.Count == 1 ? 0 : 1].Value;
            if (a.ConstructorArguments.Count == 2 && arg is bool jitOptimizerDisabled) return !jitOptimizerDisabled;
            return (Convert.ToInt64(arg) & 0x100) == 0;
        }
    }
}
