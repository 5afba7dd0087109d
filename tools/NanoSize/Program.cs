using System;
using System.Globalization;
using System.IO;
using System.Linq;

namespace NanoSize
{
    /// <summary>
    /// dotnet run --project tools/NanoSize -- [--tables] [--strings] [--pe file.pe] dll...
    /// Prints one line per DLL: assembly config bytecode strings pe (bytes, as the MDP counts them).
    /// --tables adds every table; --strings lists the string table; --pe compares with a real .pe.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            bool tables = false, strings = false;
            string realPe = null;
            var dlls = new System.Collections.Generic.List<string>();
            for (int i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--tables": tables = true; break;
                    case "--strings": strings = true; break;
                    case "--pe": realPe = args[++i]; break;
                    case "-h": case "--help": Usage(Console.Out); return 0;
                    default: dlls.Add(args[i]); break;
                }
            }
            if (dlls.Count == 0) { Usage(Console.Error); return 2; }

            var n = CultureInfo.InvariantCulture;
            Console.WriteLine($"{"assembly",-28} {"config",-7} {"bytecode",9} {"strings",9} {"pe",9}");
            int status = 0;
            foreach (var dll in dlls)
            {
                NanoFigures f;
                try { f = Estimator.Estimate(dll); }
                catch (Exception e) when (e is IOException || e is BadImageFormatException || e is NotSupportedException)
                {
                    Console.Error.WriteLine($"{dll}: {e.Message}");
                    status = 1;
                    continue;
                }
                Console.WriteLine(string.Format(n, "{0,-28} {1,-7} {2,9:N0} {3,9:N0} {4,9:N0}", f.Assembly, f.Configuration, f.ByteCode, f.Strings, f.Pe));
                if (tables)
                {
                    var pe = realPe != null ? PeFile.Read(realPe) : null;
                    for (int t = 0; t < PeFile.TableNames.Length; t++)
                    {
                        var name = PeFile.TableNames[t];
                        var real = pe != null ? string.Format(n, "  (real {0:N0})", pe.TableSize(t)) : "";
                        Console.WriteLine(string.Format(n, "    {0,-15} {1,9:N0}{2}", name, f.Tables[name], real));
                    }
                    if (pe != null) Console.WriteLine(string.Format(n, "    {0,-15} {1,9:N0}  (real {2:N0})", ".pe", f.Pe, pe.Length));
                }
                if (strings)
                    foreach (var s in f.StringTable.OrderBy(s => s, StringComparer.Ordinal)) Console.WriteLine("    \"" + s + "\"");
            }
            return status;
        }

        static void Usage(TextWriter w) =>
            w.WriteLine("usage: NanoSize [--tables] [--strings] [--pe real.pe] assembly.dll...\n" +
                        "  prints, per assembly, the nanoFramework metadata processor's byte code and string tables and .pe size");
    }
}
