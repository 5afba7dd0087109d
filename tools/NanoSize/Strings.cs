using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Mono.Cecil;

namespace NanoSize
{
    /// <summary>
    /// The MDP's string table: each distinct string once (ordinal), as UTF-8 with a terminating
    /// zero, except the strings the nanoFramework runtime already knows (its built-in constants),
    /// which cost nothing. Which strings go in, after Minimize:
    /// <list type="bullet">
    /// <item>the empty string and the assembly's own name;</item>
    /// <item>the names of the kept assembly references; namespace and name of each kept type reference;</item>
    /// <item>the name of every member reference of the module whose declaring type's full name is
    ///   contained in the full name of some kept type reference (the MDP's test is a substring test);</item>
    /// <item>for each kept type definition: namespace, name, the names of all its methods, of its
    ///   instance fields, and of its static fields that have no constant value;</item>
    /// <item>the names of the kept field and method references;</item>
    /// <item>every string literal (ldstr) of a kept method;</item>
    /// <item>for each kept custom attribute: its string arguments, the full names of its Type arguments,
    ///   the names of its named arguments;</item>
    /// <item>for each embedded resource: its name with the extension .nanoresources.</item>
    /// </list>
    /// </summary>
    public static class Strings
    {
        public static int Bytes(string s) => Encoding.UTF8.GetByteCount(s) + 1;

        /// <summary>Every string the MDP asks the table for, constants included.</summary>
        public static HashSet<string> Requested(Minimized m)
        {
            var set = new HashSet<string>(StringComparer.Ordinal) { string.Empty, m.Module.Assembly.Name.Name };

            foreach (var a in m.AssemblyRefs) set.Add(a.Name);
            foreach (var r in m.TypeRefs) { set.Add(r.Namespace); set.Add(r.Name); }

            var keptRefNames = m.TypeRefs.Select(r => r.FullName).ToList();
            foreach (var member in m.AllMemberRefs)
            {
                var declaring = member.DeclaringType.FullName;
                if (keptRefNames.Any(n => n.Contains(declaring, StringComparison.Ordinal))) set.Add(member.Name);
            }

            foreach (var t in m.Types)
            {
                set.Add(t.Namespace);
                set.Add(t.Name);
                foreach (var f in t.Fields) if (!f.IsStatic) set.Add(f.Name);
                foreach (var f in m.FieldsOf(t)) set.Add(f.Name);
                foreach (var method in t.Methods) set.Add(method.Name);
            }

            foreach (var r in m.FieldRefs) set.Add(r.Name);
            foreach (var r in m.MethodRefs) set.Add(r.Name);
            foreach (var s in m.UserStrings) set.Add(s);

            foreach (var a in Attributes.Of(m)) AddAttributeStrings(a.Attribute, set);

            foreach (var res in m.Module.Resources.OfType<EmbeddedResource>())
                set.Add(Path.ChangeExtension(res.Name, ".nanoresources"));

            return set;
        }

        /// <summary>
        /// The strings in the table just before Minimize resets it: the MDP has then written the
        /// tables once with everything (every assembly and type reference, the names of the
        /// tabulated member references, namespace, name and field names of every type, excluded
        /// ones included, but no method names) and collected the kept methods' string literals.
        /// The MDP's overflow check runs then too, so its limit applies to the larger of this and
        /// the final table.
        /// </summary>
        public static HashSet<string> RequestedBeforeMinimize(Minimized m)
        {
            var set = new HashSet<string>(StringComparer.Ordinal) { string.Empty, m.Module.Assembly.Name.Name };
            foreach (var a in m.Module.AssemblyReferences) set.Add(a.Name);
            foreach (var r in m.Module.GetTypeReferences()) { set.Add(r.Namespace); set.Add(r.Name); }
            foreach (var member in m.TabulatedMemberRefs) set.Add(member.Name);
            foreach (var t in m.AllTypes)
            {
                set.Add(t.Namespace);
                set.Add(t.Name);
                foreach (var f in t.Fields) if (!f.HasConstant) set.Add(f.Name);
            }
            foreach (var a in Attributes.Of(m, afterMinimize: false)) AddAttributeStrings(a.Attribute, set);
            foreach (var res in m.Module.Resources.OfType<EmbeddedResource>())
                set.Add(Path.ChangeExtension(res.Name, ".nanoresources"));
            foreach (var s in m.UserStrings) set.Add(s);
            return set;
        }

        static void AddAttributeStrings(CustomAttribute a, HashSet<string> set)
        {
            foreach (var arg in a.ConstructorArguments) AddArgument(arg, set);
            foreach (var n in a.Fields) { set.Add(n.Name); AddArgument(n.Argument, set); }
            foreach (var n in a.Properties) { set.Add(n.Name); AddArgument(n.Argument, set); }
        }

        static void AddArgument(CustomAttributeArgument arg, HashSet<string> set)
        {
            if (arg.Type.FullName == "System.String" && arg.Value is string s) set.Add(s);
            if (arg.Type.IsArray && arg.Type.GetElementType().FullName == "System.Object" && arg.Value is CustomAttributeArgument[] items)
                foreach (var item in items) if (item.Value is CustomAttributeArgument inner) AddArgument(inner, set);
            if (arg.Type.FullName == "System.Type" && arg.Value is TypeReference t) set.Add(t.FullName);
        }

        /// <summary>The table: the requested strings less the runtime's constants.</summary>
        public static List<string> Table(Minimized m, ConstantStrings constants) =>
            Requested(m).Where(s => !constants.Contains(s)).ToList();
    }
}
