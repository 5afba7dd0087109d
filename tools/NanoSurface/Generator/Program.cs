// NanoSurface generator: nanoFramework API listings in, compile-only reference stubs out.
//
//   dotnet run --project tools/NanoSurface/Generator -- <listing-dir> <out-dir>
//   dotnet NanoSurface.Generator.dll check-generics <assembly>...   (see GenericsCheck.cs;
//                                     the surface projects run it after each build)
//
// For every <listing-dir>/<Assembly>.txt it writes <out-dir>/<Assembly>/<Assembly>.cs (the
// stub source) and <out-dir>/<Assembly>/<Assembly>.csproj (which builds it with no standard
// library and references the assemblies named by the listing's "# references" lines),
// except for the assemblies in Real: those are compiled against as nanoFramework ships them
// (mscorlib: nanoFramework.CoreLibrary's mscorlib.dll, which NanoSurface.props references in
// every project), so their listings are read only to look types up across assemblies (base
// types, constructors) and no stub is written for them.
// Nothing else in <out-dir> is touched: the hand-written NanoSurface.props, the surface
// projects and any compiler-support file stay as they are.
using System;
using System.IO;
using System.Linq;

namespace NanoSurface.Generator
{
    internal static class Program
    {
        /// <summary>Listed assemblies that are not stubbed: the real one is referenced instead.</summary>
        public static readonly string[] Real = { "mscorlib" };

        private static int Main(string[] args)
        {
            if (args.Length >= 1 && args[0] == "check-generics")
            {
                return GenericsCheck.Run(args.Skip(1));
            }

            if (args.Length != 2)
            {
                Console.Error.WriteLine("usage: dotnet run --project tools/NanoSurface/Generator -- <listing-dir> <out-dir>");
                Console.Error.WriteLine("       dotnet run --project tools/NanoSurface/Generator -- check-generics <assembly>...");
                return 2;
            }

            string listingDir = args[0];
            string outDir = args[1];
            var files = Directory.GetFiles(listingDir, "*.txt").OrderBy(f => f, StringComparer.Ordinal).ToList();
            if (files.Count == 0)
            {
                Console.Error.WriteLine($"no *.txt listings in {listingDir}");
                return 1;
            }

            try
            {
                var listings = files.Select(Parser.Read).ToList();
                foreach (var listing in listings)
                {
                    Overlays.Apply(listing);
                }

                var world = new World(listings);
                foreach (var listing in listings)
                {
                    var known = listings.Select(l => l.Assembly).ToHashSet();
                    foreach (string r in listing.References.Where(r => !known.Contains(r)))
                    {
                        throw new FormatException($"{listing.SourceFile} references {r}, which has no listing");
                    }

                    if (Real.Contains(listing.Assembly))
                    {
                        Console.WriteLine($"{listing.Assembly}: the real assembly is referenced (NanoSurface.props), no stub written");
                        continue;
                    }

                    var writer = new Writer(world, listing);
                    string dir = Path.Combine(outDir, listing.Assembly);
                    Directory.CreateDirectory(dir);
                    string source = writer.Source();
                    WriteIfChanged(Path.Combine(dir, listing.Assembly + ".cs"), source);
                    WriteIfChanged(Path.Combine(dir, listing.Assembly + ".csproj"), writer.Project("../shared/nano-surface"));
                    int members = listing.Types.Sum(t => t.Members.Count);
                    Console.WriteLine($"{listing.Assembly}: {listing.Types.Count} types, {members} members"
                        + (writer.Skipped.Count > 0 ? $", {writer.Skipped.Count} skipped" : ""));
                    foreach (string s in writer.Skipped)
                    {
                        Console.WriteLine("  skipped: " + s);
                    }
                }
            }
            catch (FormatException e)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return 1;
            }

            return 0;
        }

        private static void WriteIfChanged(string path, string text)
        {
            text = text.Replace("\r\n", "\n");
            if (File.Exists(path) && File.ReadAllText(path) == text)
            {
                return;
            }

            File.WriteAllText(path, text);
        }
    }
}
