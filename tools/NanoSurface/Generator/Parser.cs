// Reads one listing file. Each non-comment line is `<Type>: <member>`; a `type ...` member
// is the type's own line. Everything this parser does not understand is an error, so a
// new construct in a regenerated listing is noticed instead of silently dropped.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace NanoSurface.Generator
{
    internal static class Parser
    {
        private static readonly Regex TrailingTag = new Regex(@"\s+(\[native\]|\[obsolete\]|\(generic\))$");
        private static readonly Regex EnumValue = new Regex(@"^([A-Za-z_][A-Za-z0-9_]*) = (.+)$");

        public static Listing Read(string path)
        {
            var listing = new Listing
            {
                SourceFile = Path.GetFileName(path),
                Assembly = Path.GetFileNameWithoutExtension(path),
            };

            var byName = new Dictionary<string, TypeDecl>();
            var pendingMembers = new List<(string typeName, string text, int line)>();
            int lineNo = 0;
            foreach (string rawLine in File.ReadAllLines(path))
            {
                lineNo++;
                string line = rawLine.TrimEnd();
                if (line.Length == 0)
                {
                    continue;
                }

                if (line.StartsWith("#", StringComparison.Ordinal))
                {
                    listing.HeaderLines.Add(line);
                    const string refs = "# references ";
                    if (line.StartsWith(refs, StringComparison.Ordinal))
                    {
                        listing.References.Add(line.Substring(refs.Length).Trim());
                    }

                    continue;
                }

                int sep = line.IndexOf(": ", StringComparison.Ordinal);
                if (sep < 0)
                {
                    throw new FormatException($"{path}:{lineNo}: no ': ' separator");
                }

                string typeName = line.Substring(0, sep);
                string text = line.Substring(sep + 2);
                if (text.StartsWith("type ", StringComparison.Ordinal) || text == "type")
                {
                    var type = ParseType(typeName, text, path, lineNo);
                    type.Owner = listing;
                    if (byName.ContainsKey(typeName))
                    {
                        throw new FormatException($"{path}:{lineNo}: type {typeName} listed twice");
                    }

                    byName[typeName] = type;
                    listing.Types.Add(type);
                }
                else
                {
                    pendingMembers.Add((typeName, text, lineNo));
                }
            }

            foreach (var (typeName, text, line) in pendingMembers)
            {
                if (!byName.TryGetValue(typeName, out var owner))
                {
                    throw new FormatException($"{path}:{line}: member of unlisted type {typeName}");
                }

                try
                {
                    owner.Members.Add(ParseMember(owner, text));
                }
                catch (FormatException e)
                {
                    throw new FormatException($"{path}:{line}: {e.Message}: {text}");
                }
            }

            // Nesting: A.B.C is nested in A.B when A.B is itself a listed type.
            foreach (var type in listing.Types)
            {
                string name = Names.StripGenerics(type.FullName);
                int dot = name.LastIndexOf('.');
                string prefix = dot < 0 ? "" : name.Substring(0, dot);
                if (prefix.Length > 0 && byName.TryGetValue(prefix, out var parent))
                {
                    type.Parent = parent;
                    parent.Nested.Add(type);
                }

                type.Name = type.FullName.Substring(dot + 1);
                type.SimpleName = Names.StripGenerics(type.Name);
            }

            foreach (var type in listing.Types)
            {
                var outer = type;
                while (outer.Parent != null)
                {
                    outer = outer.Parent;
                }

                string outerName = Names.StripGenerics(outer.FullName);
                int dot = outerName.LastIndexOf('.');
                type.Namespace = dot < 0 ? "" : outerName.Substring(0, dot);
            }

            return listing;
        }

        private static string StripTags(string text, out bool native, out bool obsolete, out bool generic)
        {
            native = obsolete = generic = false;
            while (true)
            {
                var m = TrailingTag.Match(text);
                if (!m.Success)
                {
                    return text;
                }

                switch (m.Groups[1].Value)
                {
                    case "[native]": native = true; break;
                    case "[obsolete]": obsolete = true; break;
                    default: generic = true; break;
                }

                text = text.Substring(0, m.Index);
            }
        }

        private static TypeDecl ParseType(string fullName, string text, string path, int lineNo)
        {
            var type = new TypeDecl { FullName = fullName, Raw = text };
            text = StripTags(text, out _, out type.Obsolete, out type.Generic);
            string rest = text.Length > 4 ? text.Substring(5).TrimStart() : "";

            while (rest.StartsWith("[", StringComparison.Ordinal))
            {
                int end = MatchingBracket(rest, 0);
                type.Attributes.Add(rest.Substring(1, end - 1));
                rest = rest.Substring(end + 1).TrimStart();
            }

            string[] modifiers = { "static", "abstract", "sealed", "readonly", "ref" };
            while (true)
            {
                string word = FirstWord(rest);
                if (!modifiers.Contains(word))
                {
                    break;
                }

                type.Modifiers.Add(word);
                rest = rest.Substring(word.Length).TrimStart();
            }

            string kind = FirstWord(rest);
            rest = rest.Substring(kind.Length).Trim();
            switch (kind)
            {
                case "class":
                case "struct":
                case "interface":
                    type.Kind = kind == "class" ? TypeKind.Class : kind == "struct" ? TypeKind.Struct : TypeKind.Interface;
                    if (rest.StartsWith(":", StringComparison.Ordinal))
                    {
                        var bases = Names.SplitTopLevel(rest.Substring(1));
                        if (type.Kind == TypeKind.Class)
                        {
                            type.BaseType = bases[0];
                            bases.RemoveAt(0);
                        }

                        type.Interfaces.AddRange(bases);
                    }
                    else if (rest.Length > 0)
                    {
                        throw new FormatException($"{path}:{lineNo}: unexpected '{rest}' after {kind}");
                    }

                    break;

                case "enum":
                    type.Kind = TypeKind.Enum;
                    if (!rest.StartsWith(":", StringComparison.Ordinal))
                    {
                        throw new FormatException($"{path}:{lineNo}: enum without underlying type");
                    }

                    type.EnumUnderlying = rest.Substring(1).Trim();
                    break;

                case "delegate":
                {
                    type.Kind = TypeKind.Delegate;
                    string ret = ReadType(ref rest);
                    int open = rest.IndexOf('(');
                    type.DelegateReturn = ret;
                    type.DelegateParams = ParseParams(rest.Substring(open + 1, rest.LastIndexOf(')') - open - 1));
                    break;
                }

                default:
                    throw new FormatException($"{path}:{lineNo}: unknown type kind '{kind}'");
            }

            return type;
        }

        private static Member ParseMember(TypeDecl owner, string text)
        {
            var m = new Member { Owner = owner, Raw = text };
            text = StripTags(text, out m.Native, out m.Obsolete, out _);

            if (owner.Kind == TypeKind.Enum)
            {
                var ev = EnumValue.Match(text);
                if (!ev.Success)
                {
                    throw new FormatException("not an enum value");
                }

                m.Kind = MemberKind.EnumValue;
                m.Name = ev.Groups[1].Value;
                m.Value = ev.Groups[2].Value;
                return m;
            }

            string rest = text;
            bool isEvent = false, isConst = false;
            while (true)
            {
                string word = FirstWord(rest);
                switch (word)
                {
                    case "protected": m.Protected = true; break;
                    case "static": m.Static = true; break;
                    case "virtual": m.Virtual = true; break;
                    case "abstract": m.Abstract = true; break;
                    case "override": m.Override = true; break;
                    case "readonly": m.ReadOnly = true; break;
                    case "event": isEvent = true; break;
                    case "const": isConst = true; break;
                    default: goto modifiersDone;
                }

                rest = rest.Substring(word.Length).TrimStart();
            }

        modifiersDone:
            if (rest.StartsWith(".ctor(", StringComparison.Ordinal))
            {
                m.Kind = MemberKind.Constructor;
                m.Name = ".ctor";
                m.Params = ParseParams(rest.Substring(6, rest.LastIndexOf(')') - 6));
                return m;
            }

            m.Type = ReadType(ref rest);
            if (isConst)
            {
                int eq = rest.IndexOf(" = ", StringComparison.Ordinal);
                if (eq < 0)
                {
                    throw new FormatException("const without value");
                }

                m.Kind = MemberKind.Const;
                m.Name = rest.Substring(0, eq);
                m.Value = rest.Substring(eq + 3);
                return m;
            }

            if (isEvent)
            {
                m.Kind = MemberKind.Event;
                m.Name = rest.Trim();
                return m;
            }

            if (rest.StartsWith("this[", StringComparison.Ordinal))
            {
                int close = MatchingBracket(rest, 4);
                m.Kind = MemberKind.Indexer;
                m.Name = "this";
                m.Params = ParseParams(rest.Substring(5, close - 5));
                ParseAccessors(m, rest.Substring(close + 1));
                return m;
            }

            string name = FirstWord(rest);
            if (name.Length == 0)
            {
                throw new FormatException("no member name");
            }

            m.Name = name;
            rest = rest.Substring(name.Length);
            if (rest.StartsWith("(", StringComparison.Ordinal))
            {
                m.Params = ParseParams(rest.Substring(1, rest.LastIndexOf(')') - 1));
                if (name.StartsWith("op_", StringComparison.Ordinal) && m.Static)
                {
                    m.Kind = MemberKind.Operator;
                }
                else if (name == "Finalize" && m.Params.Count == 0 && m.Override)
                {
                    m.Kind = MemberKind.Finalizer;
                }
                else
                {
                    m.Kind = MemberKind.Method;
                }

                return m;
            }

            if (rest.TrimStart().StartsWith("{", StringComparison.Ordinal))
            {
                m.Kind = MemberKind.Property;
                ParseAccessors(m, rest);
                return m;
            }

            if (rest.Trim().Length == 0)
            {
                m.Kind = MemberKind.Field;
                return m;
            }

            throw new FormatException("unrecognised member");
        }

        private static void ParseAccessors(Member m, string text)
        {
            text = text.Trim();
            if (!text.StartsWith("{", StringComparison.Ordinal) || !text.EndsWith("}", StringComparison.Ordinal))
            {
                throw new FormatException("bad accessor list");
            }

            foreach (string accessor in text.Trim('{', '}', ' ').Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                switch (accessor)
                {
                    case "get": m.Get = true; break;
                    case "set": m.Set = true; break;
                    default: throw new FormatException($"unknown accessor '{accessor}'");
                }
            }
        }

        internal static List<Param> ParseParams(string text)
        {
            var result = new List<Param>();
            foreach (string part in Names.SplitTopLevel(text))
            {
                var p = new Param();
                string rest = part;
                if (rest.StartsWith("[", StringComparison.Ordinal))
                {
                    int end = MatchingBracket(rest, 0);
                    p.Attribute = rest.Substring(1, end - 1);
                    rest = rest.Substring(end + 1).TrimStart();
                }

                string word = FirstWord(rest);
                if (word == "ref" || word == "out" || word == "in" || word == "params" || word == "this")
                {
                    p.Modifier = word;
                    rest = rest.Substring(word.Length).TrimStart();
                }

                int eq = rest.IndexOf(" = ", StringComparison.Ordinal);
                if (eq >= 0)
                {
                    p.Default = rest.Substring(eq + 3).Trim();
                    rest = rest.Substring(0, eq);
                }

                p.Type = ReadType(ref rest);
                p.Name = rest.Trim();
                if (p.Name.Length == 0)
                {
                    throw new FormatException($"parameter without a name in '{part}'");
                }

                result.Add(p);
            }

            return result;
        }

        /// <summary>Reads a type name (dots, [], &lt;...&gt;) and the space after it.</summary>
        private static string ReadType(ref string text)
        {
            int depth = 0;
            int i = 0;
            for (; i < text.Length; i++)
            {
                char c = text[i];
                if (c == '<' || c == '[')
                {
                    depth++;
                }
                else if (c == '>' || c == ']')
                {
                    depth--;
                }
                else if (c == ' ' && depth == 0)
                {
                    break;
                }
                else if (c == ',' && depth > 0 && i + 1 < text.Length && text[i + 1] == ' ')
                {
                    i++;
                }
            }

            string type = text.Substring(0, i);
            text = i < text.Length ? text.Substring(i + 1) : "";
            return type;
        }

        private static string FirstWord(string text)
        {
            int i = 0;
            while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
            {
                i++;
            }

            return text.Substring(0, i);
        }

        private static int MatchingBracket(string text, int open)
        {
            char o = text[open];
            char c = o == '[' ? ']' : o == '(' ? ')' : '>';
            int depth = 0;
            for (int i = open; i < text.Length; i++)
            {
                if (text[i] == o)
                {
                    depth++;
                }
                else if (text[i] == c && --depth == 0)
                {
                    return i;
                }
            }

            throw new FormatException($"unbalanced '{o}' in '{text}'");
        }
    }
}
