// The listing model: one Listing per assembly, its types and their members, parsed from
// the one-line-per-member format described in the listings' README
// (`Namespace.Type: <member>`, `type ...` lines, tags [native] [obsolete] (generic)).
using System;
using System.Collections.Generic;
using System.Linq;

namespace NanoSurface.Generator
{
    internal sealed class Listing
    {
        public string Assembly;
        public string SourceFile;
        public readonly List<string> HeaderLines = new List<string>();
        public readonly List<string> References = new List<string>();
        public readonly List<TypeDecl> Types = new List<TypeDecl>();
    }

    internal enum TypeKind
    {
        Class,
        Struct,
        Interface,
        Enum,
        Delegate,
    }

    internal sealed class TypeDecl
    {
        public Listing Owner;
        public string Raw;

        /// <summary>The name as the listing spells it, e.g. <c>System.Action&lt;T1, T2&gt;</c>.</summary>
        public string FullName;

        /// <summary>Namespace of the outermost type (empty for the global namespace).</summary>
        public string Namespace;

        /// <summary>The name inside its namespace or parent, with type parameters: <c>Action&lt;T1, T2&gt;</c>.</summary>
        public string Name;

        /// <summary>The name without type parameters: <c>Action</c>.</summary>
        public string SimpleName;

        public TypeDecl Parent;
        public readonly List<TypeDecl> Nested = new List<TypeDecl>();

        public TypeKind Kind;
        public readonly List<string> Attributes = new List<string>();
        public readonly HashSet<string> Modifiers = new HashSet<string>();
        public string BaseType;
        public readonly List<string> Interfaces = new List<string>();
        public string EnumUnderlying;
        public string DelegateReturn;
        public List<Param> DelegateParams;
        public bool Generic;
        public bool Obsolete;
        public readonly List<Member> Members = new List<Member>();

        public bool IsStatic => Modifiers.Contains("static");
        public bool IsAbstract => Modifiers.Contains("abstract") || Kind == TypeKind.Interface;
        public bool IsReadOnly => Modifiers.Contains("readonly");

        public override string ToString() => FullName;
    }

    internal enum MemberKind
    {
        Constructor,
        Method,
        Operator,
        Finalizer,
        Property,
        Indexer,
        Event,
        Field,
        Const,
        EnumValue,
    }

    internal sealed class Member
    {
        public TypeDecl Owner;
        public string Raw;
        public MemberKind Kind;
        public bool Protected;
        public bool Static;
        public bool Virtual;
        public bool Abstract;
        public bool Override;
        public bool ReadOnly;
        public string Type;
        public string Name;
        public List<Param> Params = new List<Param>();
        public bool Get;
        public bool Set;
        public string Value;
        public bool Native;
        public bool Obsolete;

        /// <summary>Attributes the listing format drops but the compiler acts on (see Overlays).</summary>
        public readonly List<string> ExtraAttributes = new List<string>();

        public bool IsInstance => !Static && Kind != MemberKind.Const && Kind != MemberKind.EnumValue;

        public override string ToString() => Owner.FullName + ": " + Raw;
    }

    internal sealed class Param
    {
        public string Attribute;
        public string Modifier;
        public string Type;
        public string Name;
        public string Default;

        public string SignatureKey => (Modifier == "ref" || Modifier == "out" || Modifier == "in" ? "ref " : "") + Names.Normalize(Type);
    }

    /// <summary>Type-name helpers shared by the parser and the writer.</summary>
    internal static class Names
    {
        public static readonly Dictionary<string, string> Keywords = new Dictionary<string, string>
        {
            ["object"] = "System.Object",
            ["string"] = "System.String",
            ["bool"] = "System.Boolean",
            ["char"] = "System.Char",
            ["sbyte"] = "System.SByte",
            ["byte"] = "System.Byte",
            ["short"] = "System.Int16",
            ["ushort"] = "System.UInt16",
            ["int"] = "System.Int32",
            ["uint"] = "System.UInt32",
            ["long"] = "System.Int64",
            ["ulong"] = "System.UInt64",
            ["float"] = "System.Single",
            ["double"] = "System.Double",
            ["decimal"] = "System.Decimal",
            ["void"] = "System.Void",
        };

        private static readonly HashSet<string> CSharpKeywords = new HashSet<string>
        {
            "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class",
            "const", "continue", "decimal", "default", "delegate", "do", "double", "else", "enum", "event",
            "explicit", "extern", "false", "finally", "fixed", "float", "for", "foreach", "goto", "if",
            "implicit", "in", "int", "interface", "internal", "is", "lock", "long", "namespace", "new", "null",
            "object", "operator", "out", "override", "params", "private", "protected", "public", "readonly",
            "ref", "return", "sbyte", "sealed", "short", "sizeof", "stackalloc", "static", "string", "struct",
            "switch", "this", "throw", "true", "try", "typeof", "uint", "ulong", "unchecked", "unsafe",
            "ushort", "using", "virtual", "void", "volatile", "while",
        };

        /// <summary>A listing type name in one canonical spelling, for comparing signatures.</summary>
        public static string Normalize(string type)
        {
            string suffix = "";
            while (type.EndsWith("[]", StringComparison.Ordinal))
            {
                suffix += "[]";
                type = type.Substring(0, type.Length - 2);
            }

            return (Keywords.TryGetValue(type, out var full) ? full : type) + suffix;
        }

        /// <summary>An identifier, escaped with @ when it is a C# keyword.</summary>
        public static string Id(string name) => CSharpKeywords.Contains(name) ? "@" + name : name;

        /// <summary>A listing type name as C# source: dotted names are made global::-qualified.</summary>
        public static string Type(string type)
        {
            var sb = new System.Text.StringBuilder();
            int i = 0;
            while (i < type.Length)
            {
                char c = type[i];
                if (char.IsLetter(c) || c == '_')
                {
                    int start = i;
                    while (i < type.Length && (char.IsLetterOrDigit(type[i]) || type[i] == '_' || type[i] == '.'))
                    {
                        i++;
                    }

                    string word = type.Substring(start, i - start);
                    sb.Append(word.Contains('.') ? "global::" + word : word);
                }
                else
                {
                    sb.Append(c);
                    i++;
                }
            }

            return sb.ToString();
        }

        /// <summary>Strips the type parameter list: <c>System.Action&lt;T&gt;</c> to <c>System.Action</c>.</summary>
        public static string StripGenerics(string name)
        {
            int lt = name.IndexOf('<');
            return lt < 0 ? name : name.Substring(0, lt);
        }

        /// <summary>Splits at commas that are not nested in (), [], &lt;&gt; or quotes.</summary>
        public static List<string> SplitTopLevel(string text, char separator = ',')
        {
            var parts = new List<string>();
            int depth = 0;
            bool inChar = false, inString = false;
            int start = 0;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (inChar || inString)
                {
                    if (c == '\\')
                    {
                        i++;
                    }
                    else if ((inChar && c == '\'') || (inString && c == '"'))
                    {
                        inChar = inString = false;
                    }

                    continue;
                }

                switch (c)
                {
                    case '\'': inChar = true; break;
                    case '"': inString = true; break;
                    case '(': case '[': case '<': depth++; break;
                    case ')': case ']': case '>': depth--; break;
                    default:
                        if (c == separator && depth == 0)
                        {
                            parts.Add(text.Substring(start, i - start).Trim());
                            start = i + 1;
                        }

                        break;
                }
            }

            string last = text.Substring(start).Trim();
            if (last.Length > 0 || parts.Count > 0)
            {
                parts.Add(last);
            }

            return parts.Where(p => p.Length > 0).ToList();
        }
    }
}
