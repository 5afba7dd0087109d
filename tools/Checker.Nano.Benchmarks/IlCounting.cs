// Counting the IL instructions a .NET assembly executes, for the interpreter model (interp mode,
// InterpreterModel.cs). IlInstrumenter rewrites a copy of an assembly with Mono.Cecil: every IL
// instruction gets a counter of its own (a "site"), bumped just before the instruction runs, in a
// long[] of a static class injected into the module. Afterwards every site is classified from
// its opcode and operand (call into the module or outside it, int[] or byte[] element access,
// allocation) and summed per method, so nothing is decided at instrumentation time but the site
// table.
//
// The rewrite keeps branches and exception handlers right without touching them: the original
// Instruction object becomes the first instruction of its counter sequence (so every branch,
// switch table and handler boundary that pointed at it now points at its counter) and a copy of
// the original is appended after the sequence. Short branches are widened first
// (SimplifyMacros) and narrowed again afterwards (OptimizeMacros). A prefix (constrained.,
// volatile., readonly., unaligned., tail.) and the instruction it modifies stay adjacent: they
// share one site, which counts as two instructions.
//
// The counter sequence (8 instructions, stack balanced, at most 3 slots above the program's):
//   ldsfld long[] IlCounts::Counts; ldc.i4 site; ldelema int64; dup; ldind.i8; ldc.i8 1; add; stind.i8
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;

namespace Checker.Nano.Benchmarks
{
    /// <summary>What a site does, for the cost model.</summary>
    public enum IlSiteKind
    {
        /// <summary>Any other instruction.</summary>
        Plain,

        /// <summary>call/callvirt/newobj of a method defined in the instrumented module.</summary>
        CallInside,

        /// <summary>call/callvirt/newobj/calli of a method outside it (the BCL: Monitor, Array.Copy...).</summary>
        CallOutside,

        /// <summary>ldelem/stelem/ldelema on an int[] (or uint[]).</summary>
        IntArray,

        /// <summary>ldelem/stelem/ldelema on a byte[] (or sbyte[], bool[]).</summary>
        ByteArray,

        /// <summary>ldelem/stelem/ldelema on any other array.</summary>
        OtherArray,
    }

    /// <summary>One counted instruction of the instrumented module.</summary>
    public sealed class IlSite
    {
        /// <summary>The index of its counter.</summary>
        public int Index { get; init; }

        /// <summary>The method it is in, as "Type.Method(parameter types)".</summary>
        public string Method { get; init; }

        /// <summary>The instruction (after its prefixes, if any).</summary>
        public string OpCode { get; init; }

        /// <summary>IL instructions one execution counts for: 1, or 2+ with prefixes.</summary>
        public int Instructions { get; init; }

        /// <summary>Its class for the cost model.</summary>
        public IlSiteKind Kind { get; init; }

        /// <summary>newobj, newarr or box: allocates on the managed heap.</summary>
        public bool Allocates { get; init; }

        /// <summary>For calls: the callee, as "Type.Method".</summary>
        public string Callee { get; init; }

        /// <summary>Its offset in the original method body.</summary>
        public int Offset { get; init; }
    }

    /// <summary>Rewrites an assembly so that it counts every IL instruction it executes.</summary>
    public static class IlInstrumenter
    {
        /// <summary>The namespace and name of the injected counter class.</summary>
        public const string CounterNamespace = "Checker.Nano.Interp";

        /// <summary>The injected counter class's name.</summary>
        public const string CounterClass = "IlCounts";

        /// <summary>Its public static long[] field, one element per site (set by the host before use).</summary>
        public const string CounterField = "Counts";

        /// <summary>
        /// Instruments the assembly at <paramref name="inputPath"/> and writes the result to
        /// <paramref name="outputPath"/>; returns the site table (index = counter index).
        /// </summary>
        public static IReadOnlyList<IlSite> Instrument(string inputPath, string outputPath)
        {
            var sites = new List<IlSite>();
            using (ModuleDefinition module = ModuleDefinition.ReadModule(inputPath, new ReaderParameters { ReadingMode = ReadingMode.Immediate, ReadSymbols = false }))
            {
                var counterType = new TypeDefinition(CounterNamespace, CounterClass,
                    Mono.Cecil.TypeAttributes.Public | Mono.Cecil.TypeAttributes.Abstract | Mono.Cecil.TypeAttributes.Sealed | Mono.Cecil.TypeAttributes.BeforeFieldInit,
                    module.TypeSystem.Object);
                var counts = new FieldDefinition(CounterField, Mono.Cecil.FieldAttributes.Public | Mono.Cecil.FieldAttributes.Static, new ArrayType(module.TypeSystem.Int64));
                counterType.Fields.Add(counts);

                foreach (TypeDefinition type in module.GetTypes().ToList())
                {
                    foreach (MethodDefinition method in type.Methods)
                    {
                        if (method.HasBody)
                        {
                            InstrumentMethod(module, method, counts, sites);
                        }
                    }
                }

                module.Types.Add(counterType);
                module.Write(outputPath);
            }

            return sites;
        }

        private static void InstrumentMethod(ModuleDefinition module, MethodDefinition method, FieldReference counts, List<IlSite> sites)
        {
            Mono.Cecil.Cil.MethodBody body = method.Body;
            body.SimplifyMacros();
            List<Instruction> originals = body.Instructions.ToList();
            bool[] prefix = originals.Select(i => i.OpCode.OpCodeType == OpCodeType.Prefix).ToArray();
            string name = MethodName(method);
            var list = new Inserter(body.Instructions);
            for (int k = 0; k < originals.Count; k++)
            {
                if (k > 0 && prefix[k - 1])
                {
                    continue;   // counted with its prefix, which must stay right before it
                }

                Instruction first = originals[k];
                int main = k;
                while (prefix[main] && main + 1 < originals.Count)
                {
                    main++;
                }

                Instruction target = originals[main];
                int index = sites.Count;
                sites.Add(Classify(module, target, index, name, main - k + 1, first.Offset));

                // The original object becomes the counter's first instruction; a copy of the
                // original goes after the sequence.
                Instruction copy = Instruction.Create(OpCodes.Nop);
                copy.OpCode = first.OpCode;
                copy.Operand = first.Operand;
                first.OpCode = OpCodes.Ldsfld;
                first.Operand = counts;
                list.InsertAfter(first,
                    Instruction.Create(OpCodes.Ldc_I4, index),
                    Instruction.Create(OpCodes.Ldelema, module.TypeSystem.Int64),
                    Instruction.Create(OpCodes.Dup),
                    Instruction.Create(OpCodes.Ldind_I8),
                    Instruction.Create(OpCodes.Ldc_I8, 1L),
                    Instruction.Create(OpCodes.Add),
                    Instruction.Create(OpCodes.Stind_I8),
                    copy);
            }

            body.OptimizeMacros();
        }

        /// <summary>Inserts after a known instruction without searching the body from its start each time.</summary>
        private sealed class Inserter
        {
            private readonly Mono.Collections.Generic.Collection<Instruction> _instructions;
            private int _hint;

            public Inserter(Mono.Collections.Generic.Collection<Instruction> instructions)
            {
                _instructions = instructions;
            }

            public void InsertAfter(Instruction anchor, params Instruction[] added)
            {
                int at = _hint;
                while (at < _instructions.Count && !ReferenceEquals(_instructions[at], anchor))
                {
                    at++;
                }

                if (at == _instructions.Count)
                {
                    at = _instructions.IndexOf(anchor);
                }

                for (int j = 0; j < added.Length; j++)
                {
                    _instructions.Insert(at + 1 + j, added[j]);
                }

                _hint = at + added.Length + 1;
            }
        }

        private static IlSite Classify(ModuleDefinition module, Instruction ins, int index, string method, int instructions, int offset)
        {
            Code code = ins.OpCode.Code;
            IlSiteKind kind = IlSiteKind.Plain;
            string callee = null;
            switch (code)
            {
                case Code.Call:
                case Code.Callvirt:
                case Code.Newobj:
                    var target = (MethodReference)ins.Operand;
                    kind = IsInside(module, target.DeclaringType) ? IlSiteKind.CallInside : IlSiteKind.CallOutside;
                    callee = TypeName(target.DeclaringType) + "." + target.Name;
                    break;
                case Code.Calli:
                    kind = IlSiteKind.CallOutside;
                    callee = "calli";
                    break;
                case Code.Ldelem_I4:
                case Code.Ldelem_U4:
                case Code.Stelem_I4:
                    kind = IlSiteKind.IntArray;
                    break;
                case Code.Ldelem_I1:
                case Code.Ldelem_U1:
                case Code.Stelem_I1:
                    kind = IlSiteKind.ByteArray;
                    break;
                case Code.Ldelem_Any:
                case Code.Stelem_Any:
                case Code.Ldelema:
                    kind = ((TypeReference)ins.Operand).MetadataType switch
                    {
                        MetadataType.Int32 or MetadataType.UInt32 => IlSiteKind.IntArray,
                        MetadataType.Byte or MetadataType.SByte or MetadataType.Boolean => IlSiteKind.ByteArray,
                        _ => IlSiteKind.OtherArray,
                    };
                    break;
                case Code.Ldelem_I:
                case Code.Ldelem_I2:
                case Code.Ldelem_U2:
                case Code.Ldelem_I8:
                case Code.Ldelem_R4:
                case Code.Ldelem_R8:
                case Code.Ldelem_Ref:
                case Code.Stelem_I:
                case Code.Stelem_I2:
                case Code.Stelem_I8:
                case Code.Stelem_R4:
                case Code.Stelem_R8:
                case Code.Stelem_Ref:
                    kind = IlSiteKind.OtherArray;
                    break;
            }

            return new IlSite
            {
                Index = index,
                Method = method,
                OpCode = ins.OpCode.Name,
                Instructions = instructions,
                Kind = kind,
                Allocates = code is Code.Newobj or Code.Newarr or Code.Box,
                Callee = callee,
                Offset = offset,
            };
        }

        private static bool IsInside(ModuleDefinition module, TypeReference type)
        {
            TypeReference element = type.GetElementType();
            while (element.DeclaringType != null)
            {
                element = element.DeclaringType;
            }

            return element.Scope is ModuleDefinition scope && scope == module;
        }

        private static string TypeName(TypeReference type)
        {
            string name = type.GetElementType().Name;
            int tick = name.IndexOf('`');
            if (tick >= 0)
            {
                name = name.Substring(0, tick);
            }

            return type.DeclaringType != null ? TypeName(type.DeclaringType) + "." + name : name;
        }

        private static string MethodName(MethodDefinition method)
        {
            string parameters = string.Join(", ", method.Parameters.Select(p => ShortType(p.ParameterType)));
            return TypeName(method.DeclaringType) + "." + method.Name + "(" + parameters + ")";
        }

        private static string ShortType(TypeReference type) => type.MetadataType switch
        {
            MetadataType.Int32 => "int",
            MetadataType.Int64 => "long",
            MetadataType.Boolean => "bool",
            MetadataType.Byte => "byte",
            MetadataType.String => "string",
            MetadataType.Object => "object",
            _ => type is ArrayType array ? ShortType(array.ElementType) + "[]" : type is ByReferenceType r ? "ref " + ShortType(r.ElementType) : TypeName(type),
        };
    }

    /// <summary>Sums of the counters over a stretch of execution, by class and by method.</summary>
    public sealed class IlTally
    {
        /// <summary>IL instructions executed.</summary>
        public long Instructions { get; private set; }

        /// <summary>Calls to methods of the instrumented module (call, callvirt, newobj).</summary>
        public long CallsInside { get; private set; }

        /// <summary>Calls to methods outside it (BCL natives and managed BCL code, uncounted inside).</summary>
        public long CallsOutside { get; private set; }

        /// <summary>Element loads, stores and addresses on int[].</summary>
        public long IntArray { get; private set; }

        /// <summary>Element loads, stores and addresses on byte[].</summary>
        public long ByteArray { get; private set; }

        /// <summary>Element accesses on other arrays.</summary>
        public long OtherArray { get; private set; }

        /// <summary>newobj, newarr and box executed (managed allocations).</summary>
        public long Allocations { get; private set; }

        /// <summary>Per method: IL instructions, calls inside and outside.</summary>
        public IReadOnlyDictionary<string, (long Instructions, long CallsInside, long CallsOutside)> PerMethod { get; private set; }

        /// <summary>Per callee outside the module: how often it was called.</summary>
        public IReadOnlyDictionary<string, long> OutsideCallees { get; private set; }

        /// <summary>Sums <paramref name="counts"/> (one per site) over <paramref name="sites"/>.</summary>
        public static IlTally From(IReadOnlyList<IlSite> sites, long[] counts)
        {
            var tally = new IlTally();
            var perMethod = new Dictionary<string, (long, long, long)>();
            var outside = new Dictionary<string, long>();
            for (int i = 0; i < sites.Count; i++)
            {
                long n = counts[i];
                if (n == 0)
                {
                    continue;
                }

                IlSite site = sites[i];
                tally.Instructions += n * site.Instructions;
                long inside = 0, outsideCalls = 0;
                switch (site.Kind)
                {
                    case IlSiteKind.CallInside: inside = n; break;
                    case IlSiteKind.CallOutside:
                        outsideCalls = n;
                        outside[site.Callee] = outside.GetValueOrDefault(site.Callee) + n;
                        break;
                    case IlSiteKind.IntArray: tally.IntArray += n; break;
                    case IlSiteKind.ByteArray: tally.ByteArray += n; break;
                    case IlSiteKind.OtherArray: tally.OtherArray += n; break;
                }

                tally.CallsInside += inside;
                tally.CallsOutside += outsideCalls;
                if (site.Allocates)
                {
                    tally.Allocations += n;
                }

                (long il, long ci, long co) = perMethod.GetValueOrDefault(site.Method);
                perMethod[site.Method] = (il + (n * site.Instructions), ci + inside, co + outsideCalls);
            }

            tally.PerMethod = perMethod;
            tally.OutsideCallees = outside;
            return tally;
        }
    }

    /// <summary>
    /// An instrumented copy of an assembly, loaded in its own collectible AssemblyLoadContext from
    /// a temporary directory, with its counters.
    /// </summary>
    public sealed class InstrumentedAssembly : IDisposable
    {
        private readonly AssemblyLoadContext _context;
        private readonly string _directory;

        private InstrumentedAssembly(string directory, AssemblyLoadContext context, Assembly assembly, IReadOnlyList<IlSite> sites)
        {
            _directory = directory;
            _context = context;
            Assembly = assembly;
            Sites = sites;
            Counts = new long[sites.Count];
            Type counter = assembly.GetType(IlInstrumenter.CounterNamespace + "." + IlInstrumenter.CounterClass, throwOnError: true);
            counter.GetField(IlInstrumenter.CounterField).SetValue(null, Counts);
        }

        /// <summary>The loaded, instrumented assembly.</summary>
        public Assembly Assembly { get; }

        /// <summary>The site table.</summary>
        public IReadOnlyList<IlSite> Sites { get; }

        /// <summary>The live counters (the array the instrumented code increments).</summary>
        public long[] Counts { get; }

        /// <summary>Instruments <paramref name="path"/> into a new temporary directory and loads the result.</summary>
        public static InstrumentedAssembly Load(string path)
        {
            if (!File.Exists(path))
            {
                throw new FileNotFoundException("no assembly to instrument at " + path, path);
            }

            string directory = Directory.CreateTempSubdirectory("checker-nano-interp-").FullName;
            string output = Path.Combine(directory, Path.GetFileName(path));
            IReadOnlyList<IlSite> sites = IlInstrumenter.Instrument(path, output);
            var context = new AssemblyLoadContext("interp-" + Path.GetFileNameWithoutExtension(path), isCollectible: true);
            Assembly assembly = context.LoadFromAssemblyPath(output);
            return new InstrumentedAssembly(directory, context, assembly, sites);
        }

        /// <summary>Sets every counter to 0.</summary>
        public void Reset() => Array.Clear(Counts);

        /// <summary>The sums of the counters as they are now.</summary>
        public IlTally Tally() => IlTally.From(Sites, Counts);

        /// <summary>Unloads the context and deletes the temporary directory.</summary>
        public void Dispose()
        {
            _context.Unload();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
