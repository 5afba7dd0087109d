using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace NanoSize.Tests
{
    /// <summary>
    /// Small device assemblies made on the spot: C# compiled by Roslyn against the real
    /// nanoFramework mscorlib 1.17.11, as a nanoFramework project compiles (no other standard
    /// library, NANOFRAMEWORK_1_0 defined, DEBUG in Debug). Their real MDP figures were measured
    /// once (README.md) and are pinned in EstimatorTests. The sources are deterministic, so the
    /// same compiler (Microsoft.CodeAnalysis.CSharp 4.14.0) gives the same IL every time.
    /// </summary>
    public static class Synthetic
    {
        /// <summary>Compiles <paramref name="source"/> into <paramref name="directory"/>/<paramref name="name"/>.dll and returns its path.</summary>
        public static string Compile(string name, string source, bool optimize, string mscorlib, string directory)
        {
            var symbols = optimize ? new[] { "NANOFRAMEWORK_1_0" } : new[] { "NANOFRAMEWORK_1_0", "DEBUG", "TRACE" };
            var parse = new CSharpParseOptions(LanguageVersion.CSharp12, preprocessorSymbols: symbols);
            var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary,
                optimizationLevel: optimize ? OptimizationLevel.Release : OptimizationLevel.Debug,
                deterministic: true, nullableContextOptions: NullableContextOptions.Disable);
            var compilation = CSharpCompilation.Create(name,
                new[] { CSharpSyntaxTree.ParseText(source, parse, path: name + ".cs", encoding: Encoding.UTF8) },
                new[] { MetadataReference.CreateFromFile(mscorlib) }, options);
            Directory.CreateDirectory(directory);
            var path = Path.Combine(directory, name + ".dll");
            using (var dll = File.Create(path))
            {
                var result = compilation.Emit(dll);
                var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
                if (!result.Success)
                    throw new InvalidOperationException($"{name} does not compile:\n" + string.Join("\n", errors));
            }
            return path;
        }

        /// <summary>One static method of <paramref name="statements"/> arithmetic statements (7 bytes of nano byte code each).</summary>
        public static string BigMethod(int statements)
        {
            var s = new StringBuilder();
            s.AppendLine("namespace Synthetic");
            s.AppendLine("{");
            s.AppendLine("    public static class Big");
            s.AppendLine("    {");
            s.AppendLine("        public static int Mix(int x)");
            s.AppendLine("        {");
            for (int i = 0; i < statements; i++) s.AppendLine($"            x = x * {3 + i % 5} + {7 + i % 11};");
            s.AppendLine("            return x;");
            s.AppendLine("        }");
            s.AppendLine("    }");
            s.AppendLine("}");
            return s.ToString();
        }

        /// <summary>
        /// <paramref name="count"/> distinct string literals of <paramref name="length"/> characters,
        /// returned by one method each (a case of a switch).
        /// </summary>
        public static string ManyStrings(int count, int length)
        {
            var s = new StringBuilder();
            s.AppendLine("namespace Synthetic");
            s.AppendLine("{");
            s.AppendLine("    public static class Texts");
            s.AppendLine("    {");
            s.AppendLine("        public static string Get(int i)");
            s.AppendLine("        {");
            s.AppendLine("            switch (i)");
            s.AppendLine("            {");
            for (int i = 0; i < count; i++)
            {
                var text = $"message {i:D5} ";
                text += new string((char)('a' + i % 26), Math.Max(0, length - text.Length));
                s.AppendLine($"                case {i}: return \"{text}\";");
            }
            s.AppendLine("                default: return null;");
            s.AppendLine("            }");
            s.AppendLine("        }");
            s.AppendLine("    }");
            s.AppendLine("}");
            return s.ToString();
        }

        /// <summary>
        /// The features whose encoding differs between IL and nano byte code, or whose names reach the
        /// string table: switch, long and short branches, try/catch/finally, ldtoken, jagged arrays (type
        /// specifications), static array data, a string switch, enums, nested types, interfaces,
        /// properties, events, delegates, custom attributes with string, Type and named arguments,
        /// constants, static constructors, string literals (UTF-8 beyond ASCII, one equal to a method
        /// name, one equal to a runtime constant), 64-bit and floating-point immediates.
        /// </summary>
        public const string Features = @"
using System;
using System.Collections;

namespace Synthetic.Features
{
    public enum Colour : byte { Red = 1, Green = 2, Blue = 4 }

    public interface IShape { int Area { get; } string Describe(); }

    public delegate void Changed(object sender, int value);

    [AttributeUsage(AttributeTargets.All)]
    public sealed class NoteAttribute : Attribute
    {
        public NoteAttribute(string text, Type about) { Text = text; About = about; }
        public string Text;
        public Type About;
        public int Level { get; set; }
    }

    [Note(""a shape with corners"", typeof(Colour), Level = 3)]
    public class Box : IShape
    {
        public const int Sides = 4;
        static readonly int[] Primes = { 2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37 };
        static readonly string Prefix;
        int _w, _h;
        public event Changed OnChanged;

        static Box() { Prefix = ""box:""; }

        public Box(int w, int h) { _w = w; _h = h; }

        public int Area => _w * _h;

        public Colour Colour { get; set; }

        [Note(""describes"", typeof(Box))]
        public virtual string Describe() => Prefix + _w.ToString() + ""x"" + _h.ToString() + "" (größe)"";

        public void Grow(int by)
        {
            _w += by;
            OnChanged?.Invoke(this, _w);
        }

        public static int Classify(int v)
        {
            switch (v)
            {
                case 0: return 10;
                case 1: return 20;
                case 2: return 30;
                case 3: return 40;
                case 5: return 60;
                default: return -1;
            }
        }

        public static int Named(string s)
        {
            switch (s)
            {
                case ""alpha"": return 1;
                case ""beta"": return 2;
                case ""gamma"": return 3;
                case ""delta"": return 4;
                case ""epsilon"": return 5;
                case ""zeta"": return 6;
                case ""eta"": return 7;
                default: return 0;
            }
        }

        public static int[][] Jagged(int n)
        {
            var rows = new int[n][];
            for (int i = 0; i < n; i++) { rows[i] = new int[i + 1]; rows[i][i] = Primes[i % Primes.Length]; }
            return rows;
        }

        public static long Wide(long a, double d, float f) => a * 6000000000L + (long)(d * 2.5) + (long)(f * 1.5f);

        public static string Safe(Box b)
        {
            try
            {
                if (b == null) throw new ArgumentNullException(""b"");
                return b.Describe();
            }
            catch (ArgumentException e)
            {
                return e.Message;
            }
            finally
            {
                Counter.Count++;
            }
        }

        public static Type Token() => typeof(Box[]);

        public static string Which() => ""Describe"" + ""ToString"";

        public static int LongLoop(int n)
        {
            int total = 0;
            for (int i = 0; i < n; i++)
            {
                total += Classify(i) + Classify(i + 1) + Classify(i + 2) + Classify(i + 3) + Classify(i + 4);
                total += Classify(i + 5) + Classify(i + 6) + Classify(i + 7) + Classify(i + 8) + Classify(i + 9);
                total += Classify(i + 10) + Classify(i + 11) + Classify(i + 12) + Classify(i + 13) + Classify(i + 14);
                total += Classify(i + 15) + Classify(i + 16) + Classify(i + 17) + Classify(i + 18) + Classify(i + 19);
                total += Classify(i + 20) + Classify(i + 21) + Classify(i + 22) + Classify(i + 23) + Classify(i + 24);
            }
            return total;
        }

        public static int Sum(ArrayList list)
        {
            int s = 0;
            foreach (object o in list) s += (int)o;
            return s;
        }

        public class Counter
        {
            public static int Count;
            public Colour Last;
            public Counter Next;
        }

        public struct Point
        {
            public int X, Y;
            public Point(int x, int y) { X = x; Y = y; }
            public override string ToString() => X.ToString() + "","" + Y.ToString();
        }
    }
}
";

        /// <summary>The smallest useful assembly: one class, one method, one string.</summary>
        public const string Tiny = @"
namespace Synthetic
{
    public class Tiny
    {
        public static string Hello() => ""hello, device"";
    }
}
";
    }
}
