// nano-mdp: our driver of nanoFramework's metadata processor (MDP). NanoMdp.csproj compiles the
// MDP's own sources (MetadataProcessor.Shared, from a checkout given as MetadataProcessorDir)
// together with this file, so a conversion here is the MDP's conversion: the same
// nanoAssemblyBuilder calls, in the same order, as its console tool and its MSBuild task
// (Write, Minimize, Write). Nothing of the MDP is copied into this repository.
//
//   nano-mdp convert <in.dll> <out.pe> [--ref <dependency.dll>]... [--tables]
//       Converts one assembly. Each --ref is a load hint (the MDP resolves references only
//       through hints). Prints one line
//         size <assembly> bytecode=N strings=N signatures=N pe=N
//       and with --tables one more line with every table's size, in the PE's table order:
//         tables <assembly> header=N AssemblyRef=N TypeRef=N ... EndOfAssembly=N
//       Exit code 0. On failure prints
//         fail <assembly> <the MDP's message>
//       and, for the two table overflows, what the table would have needed:
//         overflow <assembly> table=bytecode needed=N            (the MDP's own code writer, every method)
//         overflow <assembly> table=strings needed-at-least=N    (strings collected when it stopped)
//       Exit code 1. Usage errors: exit code 2.
//
//   nano-mdp refs <in.dll>
//       Prints "assembly <name> <major.minor.build.revision> <entry-point|library>" and one line
//       "ref <name> <version>" per assembly reference (what the interpreter will look for:
//       it matches a reference by name and by major.minor only).
//
//   nano-mdp deps <root.dll>... --ref <assembly.dll>...
//       The assemblies the interpreter must load to run the roots (a test launcher and a test
//       assembly, or a program): the roots and, transitively, every assembly they reference,
//       found among the --ref files by assembly name (read from each file's metadata). Prints
//       one "pe <path>" line per assembly, referenced before referencing (mscorlib first), the
//       .pe being the file beside the .dll. Exit code 1 with "missing ..." lines when a
//       reference is not found, has no .pe, or has another major.minor than the reference asks
//       for (the interpreter would refuse it).
//
//   nano-mdp filter <in.dll> <out.dll> <pattern>
//       A copy of a test assembly in which only the tests whose "<namespace>.<class>.<method>"
//       matches the pattern keep their [TestMethod]/[DataRow] attributes (a substring, or a
//       glob with * and ? matched against the whole name); a class left with no test loses
//       [TestClass], so its [Setup] and [Cleanup] do not run either. The launcher then runs
//       only those. Prints "filter <kept> of <all> test methods".
//
//   nano-mdp tests <in.dll>
//       For nanoFramework.UnitTestLauncher: prints "class <full name> <count>" for each class
//       marked [TestClass], where count is the number of result lines the launcher prints for it
//       (one per [Setup], [Cleanup], [DataRow], and [TestMethod] of a method without [DataRow]),
//       and "total <count>".
//
// The table sizes come from the PE the MDP wrote: its header holds the start of each of the 16
// tables and the padding the MDP added after each (CLR_RECORD_ASSEMBLY in nf-interpreter's
// nanoCLR_Types.h), so a table's size is start[i+1] - start[i] - padding[i], exactly as the
// interpreter's SizeOfTable computes it.
using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using Mono.Cecil;
using nanoFramework.Tools.MetadataProcessor;

namespace Checker.Nano.NanoRuntime
{
    internal static class Driver
    {
        // CLR_TABLESENUM order, which is the order nanoAssemblyBuilder writes them in.
        private static readonly string[] TableNames =
        {
            "AssemblyRef", "TypeRef", "FieldRef", "MethodRef", "TypeDef", "FieldDef", "MethodDef",
            "Attributes", "TypeSpec", "Resources", "ResourcesData", "Strings", "Signatures",
            "ByteCode", "ResourcesFiles", "EndOfAssembly",
        };

        // CLR_RECORD_ASSEMBLY: marker[8], headerCRC, assemblyCRC, flags, nativeMethodsChecksum,
        // patchEntryOffset, version (4 x u16), assemblyName (u16), stringTableVersion (u16),
        // startOfTables[16] (u32), numOfPatchedMethods (u32), paddingOfTables[16] (u8).
        private const int StartOfTablesOffset = 40;
        private const int PaddingOfTablesOffset = StartOfTablesOffset + 16 * 4 + 4;

        private static int Main(string[] args)
        {
            try
            {
                if (args.Length >= 3 && args[0] == "convert")
                {
                    return Convert(args);
                }

                if (args.Length == 2 && args[0] == "refs")
                {
                    return Refs(args[1]);
                }

                if (args.Length >= 2 && args[0] == "deps")
                {
                    return Deps(args);
                }

                if (args.Length == 4 && args[0] == "filter")
                {
                    return Filter(args[1], args[2], args[3]);
                }

                if (args.Length == 2 && args[0] == "tests")
                {
                    return Tests(args[1]);
                }
            }
            catch (UsageException e)
            {
                Console.Error.WriteLine("nano-mdp: " + e.Message);
                return 2;
            }

            Console.Error.WriteLine("usage: nano-mdp convert <in.dll> <out.pe> [--ref <dependency.dll>]... [--tables]");
            Console.Error.WriteLine("       nano-mdp refs <in.dll>");
            Console.Error.WriteLine("       nano-mdp deps <root.dll>... --ref <assembly.dll>...");
            Console.Error.WriteLine("       nano-mdp filter <in.dll> <out.dll> <pattern>");
            Console.Error.WriteLine("       nano-mdp tests <in.dll>");
            return 2;
        }

        private sealed class UsageException : Exception
        {
            public UsageException(string message) : base(message)
            {
            }
        }

        private static int Convert(string[] args)
        {
            string input = args[1];
            string output = args[2];
            bool tables = false;
            var hints = new Dictionary<string, string>(StringComparer.Ordinal);
            for (int i = 3; i < args.Length; i++)
            {
                if (args[i] == "--tables")
                {
                    tables = true;
                }
                else if (args[i] == "--ref" && i + 1 < args.Length)
                {
                    string path = Path.GetFullPath(args[++i]);
                    if (!File.Exists(path))
                    {
                        throw new UsageException("no such reference: " + path);
                    }

                    // As the MDP's MSBuild task does: the hint's key is the file name.
                    hints[Path.GetFileNameWithoutExtension(path)] = path;
                }
                else
                {
                    throw new UsageException("unexpected argument: " + args[i]);
                }
            }

            if (!File.Exists(input))
            {
                throw new UsageException("no such assembly: " + input);
            }

            AssemblyDefinition assembly = AssemblyDefinition.ReadAssembly(
                input, new ReaderParameters { AssemblyResolver = new LoadHintsAssemblyResolver(hints) });
            string name = assembly.Name.Name;
            nanoAssemblyBuilder builder = null;
            try
            {
                // Exactly the MDP's compile step: a first pass (written and thrown away), the
                // minimization, and the pass that is kept. Not a core library.
                builder = new nanoAssemblyBuilder(assembly, new List<string>(), false, false);
                using (var scratch = new MemoryStream())
                using (var writer = new BinaryWriter(scratch))
                {
                    builder.Write(nanoBinaryWriter.CreateLittleEndianBinaryWriter(writer));
                }

                builder.Minimize();
                byte[] pe;
                using (var stream = new MemoryStream())
                {
                    using (var writer = new BinaryWriter(stream, Encoding.UTF8, true))
                    {
                        builder.Write(nanoBinaryWriter.CreateLittleEndianBinaryWriter(writer));
                    }

                    pe = stream.ToArray();
                }

                string dir = Path.GetDirectoryName(Path.GetFullPath(output));
                Directory.CreateDirectory(dir);
                File.WriteAllBytes(output, pe);

                int[] sizes = TableSizes(pe);
                Console.WriteLine($"size {name} bytecode={sizes[13]} strings={sizes[11]} signatures={sizes[12]} pe={pe.Length}");
                if (tables)
                {
                    var sb = new StringBuilder("tables " + name + " header=" + ReadUInt32(pe, StartOfTablesOffset));
                    for (int t = 0; t < TableNames.Length; t++)
                    {
                        sb.Append(' ').Append(TableNames[t]).Append('=').Append(sizes[t]);
                    }

                    Console.WriteLine(sb.ToString());
                }

                return 0;
            }
            catch (Exception e)
            {
                if (File.Exists(output))
                {
                    File.Delete(output);
                }

                Exception inner = e is TargetInvocationException && e.InnerException != null ? e.InnerException : e;
                Console.WriteLine($"fail {name} {OneLine(inner.Message)}");
                if (inner.Message.StartsWith("Byte code table overflow", StringComparison.Ordinal) && builder != null)
                {
                    Console.WriteLine($"overflow {name} table=bytecode needed={ByteCodeNeeded(builder.TablesContext)}");
                }
                else if (inner.Message.StartsWith("String table overflow", StringComparison.Ordinal) && builder != null)
                {
                    Console.WriteLine($"overflow {name} table=strings needed-at-least={StringsCollected(builder.TablesContext)}");
                }
                else if (!(inner is InvalidOperationException) && !(inner is ArgumentException))
                {
                    Console.Error.WriteLine(inner.ToString());
                }

                return 1;
            }
        }

        /// <summary>Sizes of the 16 tables from the header of a PE the MDP wrote.</summary>
        private static int[] TableSizes(byte[] pe)
        {
            var sizes = new int[TableNames.Length];
            for (int t = 0; t < TableNames.Length; t++)
            {
                long start = ReadUInt32(pe, StartOfTablesOffset + 4 * t);
                long next = t + 1 < TableNames.Length ? ReadUInt32(pe, StartOfTablesOffset + 4 * (t + 1)) : pe.Length;
                sizes[t] = (int)(next - start - pe[PaddingOfTablesOffset + t]);
            }

            return sizes;
        }

        private static uint ReadUInt32(byte[] b, int at) =>
            (uint)(b[at] | b[at + 1] << 8 | b[at + 2] << 16 | b[at + 3] << 24);

        /// <summary>
        /// The byte code table the assembly needs: the size of every method body as the MDP's
        /// code writer produces it (CodeWriter, the class nanoByteCodeTable uses), summed over
        /// every method of every type the first pass writes. A string's token has a fixed size,
        /// so each method is written with a string table of its own.
        /// </summary>
        private static long ByteCodeNeeded(nanoTablesContext context)
        {
            long total = 0;
            foreach (TypeDefinition type in context.TypeDefinitionTable.TypeDefinitions)
            {
                foreach (MethodDefinition method in type.Methods)
                {
                    if (!method.HasBody)
                    {
                        continue;
                    }

                    using (var stream = new MemoryStream())
                    using (var writer = new BinaryWriter(stream))
                    {
                        new CodeWriter(method, nanoBinaryWriter.CreateBigEndianBinaryWriter(writer), new nanoStringTable(context), context)
                            .WriteMethodBody();
                        total += stream.Length;
                    }
                }
            }

            return total;
        }

        /// <summary>
        /// A lower bound of the string table the assembly needs: the distinct strings the MDP had
        /// collected when it stopped (its string table and the byte code's literals, each stored
        /// as UTF-8 with a terminating zero). Strings it would have added later are not counted.
        /// </summary>
        private static long StringsCollected(nanoTablesContext context)
        {
            var all = new HashSet<string>(StringComparer.Ordinal);
            foreach (nanoStringTable table in new[] { context.StringTable, context.ByteCodeTable.FakeStringTable })
            {
                var field = typeof(nanoStringTable).GetField("_idsByStrings", BindingFlags.Instance | BindingFlags.NonPublic);
                if (field?.GetValue(table) is IDictionary dictionary)
                {
                    foreach (object key in dictionary.Keys)
                    {
                        all.Add((string)key);
                    }
                }
            }

            return all.Sum(s => (long)Encoding.UTF8.GetByteCount(s) + 1);
        }

        private static string OneLine(string s) => s.Replace("\r", " ").Replace("\n", " ");

        private static int Refs(string input)
        {
            AssemblyDefinition assembly = AssemblyDefinition.ReadAssembly(input);
            Console.WriteLine($"assembly {assembly.Name.Name} {assembly.Name.Version} {(assembly.EntryPoint != null ? "entry-point" : "library")}");
            foreach (AssemblyNameReference r in assembly.MainModule.AssemblyReferences)
            {
                Console.WriteLine($"ref {r.Name} {r.Version}");
            }

            return 0;
        }

        private static int Deps(string[] args)
        {
            var roots = new List<string>();
            var pool = new Dictionary<string, string>(StringComparer.Ordinal);
            for (int i = 1; i < args.Length; i++)
            {
                if (args[i] == "--ref" && i + 1 < args.Length)
                {
                    string path = Path.GetFullPath(args[++i]);
                    if (!File.Exists(path))
                    {
                        throw new UsageException("no such reference: " + path);
                    }

                    // The first file given for a name wins, so callers list their own builds first.
                    string name = AssemblyDefinition.ReadAssembly(path).Name.Name;
                    if (!pool.ContainsKey(name))
                    {
                        pool[name] = path;
                    }
                }
                else
                {
                    roots.Add(Path.GetFullPath(args[i]));
                }
            }

            if (roots.Count == 0)
            {
                throw new UsageException("deps: no root assembly");
            }

            var order = new List<string>();
            var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false: in progress
            var missing = new List<string>();

            void Visit(string path, string label)
            {
                AssemblyDefinition assembly = AssemblyDefinition.ReadAssembly(path);
                string name = assembly.Name.Name;
                if (state.ContainsKey(name))
                {
                    return;
                }

                state[name] = false;
                foreach (AssemblyNameReference r in assembly.MainModule.AssemblyReferences)
                {
                    if (!pool.TryGetValue(r.Name, out string found))
                    {
                        missing.Add($"missing {r.Name} {r.Version.Major}.{r.Version.Minor} (referenced by {name}): no such assembly given");
                        continue;
                    }

                    Version v = AssemblyDefinition.ReadAssembly(found).Name.Version;
                    if (v.Major != r.Version.Major || v.Minor != r.Version.Minor)
                    {
                        missing.Add($"missing {r.Name} {r.Version.Major}.{r.Version.Minor} (referenced by {name}): {found} is {v.Major}.{v.Minor}, and the interpreter matches major.minor");
                        continue;
                    }

                    Visit(found, name);
                }

                string pe = Path.ChangeExtension(path, ".pe");
                if (!File.Exists(pe))
                {
                    missing.Add($"missing {name} (needed by {label}): no {pe}");
                }

                state[name] = true;
                order.Add(pe);
            }

            foreach (string root in roots)
            {
                Visit(root, "the run");
            }

            foreach (string m in missing.Distinct())
            {
                Console.WriteLine(m);
            }

            if (missing.Count > 0)
            {
                return 1;
            }

            // mscorlib first, as the interpreter's harness expects; the rest as visited.
            foreach (string pe in order.OrderBy(p => Path.GetFileNameWithoutExtension(p) == "mscorlib" ? 0 : 1))
            {
                Console.WriteLine("pe " + pe);
            }

            return 0;
        }

        private static readonly string[] TestAttributes =
        {
            "nanoFramework.TestFramework.TestMethodAttribute", "nanoFramework.TestFramework.DataRowAttribute",
        };

        private static int Filter(string input, string output, string pattern)
        {
            System.Text.RegularExpressions.Regex glob = null;
            if (pattern.IndexOfAny(new[] { '*', '?' }) >= 0)
            {
                glob = new System.Text.RegularExpressions.Regex(
                    "^" + System.Text.RegularExpressions.Regex.Escape(pattern).Replace(@"\*", ".*").Replace(@"\?", ".") + "$");
            }

            AssemblyDefinition assembly = AssemblyDefinition.ReadAssembly(input);
            int all = 0;
            int kept = 0;
            foreach (TypeDefinition type in AllTypes(assembly.MainModule.Types))
            {
                CustomAttribute testClass = type.CustomAttributes.FirstOrDefault(a => a.AttributeType.FullName == "nanoFramework.TestFramework.TestClassAttribute");
                if (testClass == null)
                {
                    continue;
                }

                int keptHere = 0;
                foreach (MethodDefinition method in type.Methods)
                {
                    var tests = method.CustomAttributes.Where(a => TestAttributes.Contains(a.AttributeType.FullName)).ToList();
                    if (tests.Count == 0)
                    {
                        continue;
                    }

                    all++;
                    string name = type.FullName.Replace('/', '+') + "." + method.Name;
                    if (glob != null ? glob.IsMatch(name) : name.Contains(pattern, StringComparison.Ordinal))
                    {
                        kept++;
                        keptHere++;
                        continue;
                    }

                    foreach (CustomAttribute a in tests)
                    {
                        method.CustomAttributes.Remove(a);
                    }
                }

                if (keptHere == 0)
                {
                    type.CustomAttributes.Remove(testClass);
                }
            }

            assembly.Write(output);
            Console.WriteLine($"filter {kept} of {all} test methods");
            return 0;
        }

        private static int Tests(string input)
        {
            const string ns = "nanoFramework.TestFramework.";
            AssemblyDefinition assembly = AssemblyDefinition.ReadAssembly(input);
            int total = 0;
            foreach (TypeDefinition type in AllTypes(assembly.MainModule.Types))
            {
                if (!type.IsClass || !type.CustomAttributes.Any(a => a.AttributeType.FullName == ns + "TestClassAttribute"))
                {
                    continue;
                }

                int count = 0;
                foreach (MethodDefinition method in type.Methods.Where(m => m.IsPublic))
                {
                    var names = method.CustomAttributes.Select(a => a.AttributeType.FullName).ToList();
                    int dataRows = names.Count(n => n == ns + "DataRowAttribute");
                    count += names.Count(n => n == ns + "SetupAttribute") + names.Count(n => n == ns + "CleanupAttribute");
                    count += dataRows > 0 ? dataRows : names.Count(n => n == ns + "TestMethodAttribute");
                }

                Console.WriteLine($"class {type.FullName.Replace('/', '+')} {count}");
                total += count;
            }

            Console.WriteLine($"total {total}");
            return 0;
        }

        private static IEnumerable<TypeDefinition> AllTypes(IEnumerable<TypeDefinition> types)
        {
            foreach (TypeDefinition t in types)
            {
                yield return t;
                foreach (TypeDefinition n in AllTypes(t.NestedTypes))
                {
                    yield return n;
                }
            }
        }
    }
}
