using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Mono.Cecil;

namespace NanoSize
{
    /// <summary>
    /// The strings the nanoFramework runtime has built in (".ctor", "ToString", "System",
    /// "Object", "value", ...). The MDP refers to them by a reserved id instead of putting them in
    /// an assembly's string table, so they cost nothing.
    ///
    /// They are not copied from the MDP: they are recovered from the real mscorlib, whose .pe the
    /// MDP made with them. Every string the MDP asked the table for while making mscorlib.pe
    /// (computed by <see cref="Strings.Requested"/> from mscorlib.dll) but which is not in
    /// mscorlib.pe's string table must be a constant. That finds the constants mscorlib uses,
    /// which is what a device assembly uses too (names of mscorlib's types and members). A
    /// constant mscorlib does not use (a name from another library) is not found: an assembly
    /// that has such a string gets it counted, so the estimate can only be too high, never too low.
    /// </summary>
    public sealed class ConstantStrings
    {
        readonly HashSet<string> _strings;

        public ConstantStrings(IEnumerable<string> strings)
        {
            _strings = new HashSet<string>(strings, StringComparer.Ordinal);
        }

        public bool Contains(string s) => _strings.Contains(s);

        public int Count => _strings.Count;

        public IEnumerable<string> All => _strings;

        /// <summary>The folder beside this tool with the real mscorlib.dll and mscorlib.pe (nanoFramework.CoreLibrary 1.17.11).</summary>
        public static string NanoDirectory => Path.Combine(AppContext.BaseDirectory, "nano");

        static readonly Lazy<ConstantStrings> _default = new Lazy<ConstantStrings>(() =>
            FromCoreLibrary(Path.Combine(NanoDirectory, "mscorlib.dll"), Path.Combine(NanoDirectory, "mscorlib.pe")));

        /// <summary>The constants recovered from the mscorlib pair beside this tool.</summary>
        public static ConstantStrings Default => _default.Value;

        /// <summary>No constants at all: every string counted (an upper bound).</summary>
        public static ConstantStrings None { get; } = new ConstantStrings(Array.Empty<string>());

        public static ConstantStrings FromCoreLibrary(string mscorlibDll, string mscorlibPe)
        {
            using var module = ModuleDefinition.ReadModule(mscorlibDll);
            var requested = Strings.Requested(new Minimized(module));
            var inTable = new HashSet<string>(PeFile.Read(mscorlibPe).Strings(), StringComparer.Ordinal);
            return new ConstantStrings(requested.Where(s => !inTable.Contains(s)));
        }
    }
}
