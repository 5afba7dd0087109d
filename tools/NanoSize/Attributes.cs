using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;

namespace NanoSize
{
    /// <summary>
    /// The MDP's attributes table: the custom attributes of types, then of fields (those without a
    /// constant value), then of methods, in table order, less the attributes it ignores, less
    /// those whose constructor Minimize dropped. Assembly and parameter attributes are not written.
    /// </summary>
    public static class Attributes
    {
        public readonly struct Kept
        {
            public Kept(CustomAttribute attribute) { Attribute = attribute; }
            public CustomAttribute Attribute { get; }
        }

        public static List<Kept> Of(Minimized m) => Of(m, afterMinimize: true);

        /// <summary>Before Minimize, every attribute not ignored is in the table.</summary>
        public static List<Kept> Of(Minimized m, bool afterMinimize)
        {
            var owners = new List<ICustomAttributeProvider>();
            owners.AddRange(m.AllTypes);
            foreach (var t in m.AllTypes) owners.AddRange(Order.Fields(t.Fields.Where(f => !f.HasConstant)));
            foreach (var t in m.AllTypes) owners.AddRange(Order.Methods(t.Methods));
            var kept = new List<Kept>();
            foreach (var o in owners)
                foreach (var a in o.CustomAttributes)
                    if (!Ignored(m, a.AttributeType) && (!afterMinimize || m.Set.Contains(a.Constructor.MetadataToken))) kept.Add(new Kept(a));
            return kept;
        }

        static bool Ignored(Minimized m, TypeReference t)
        {
            bool Listed(string name) => name != null && (Minimized.IgnoredAttributes.Contains(name) || m.Excluded.Contains(name));
            return Listed(t.FullName) || Listed(t.DeclaringType?.FullName);
        }
    }

    /// <summary>The MDP's member order within a type: static fields first; virtual, then instance, then static methods.</summary>
    public static class Order
    {
        public static IEnumerable<FieldDefinition> Fields(IEnumerable<FieldDefinition> fields)
        {
            var list = fields.ToList();
            return list.Where(f => f.IsStatic).Concat(list.Where(f => !f.IsStatic));
        }

        public static IEnumerable<MethodDefinition> Methods(IEnumerable<MethodDefinition> methods)
        {
            var list = methods.ToList();
            return list.Where(x => x.IsVirtual)
                .Concat(list.Where(x => !(x.IsVirtual || x.IsStatic)))
                .Concat(list.Where(x => x.IsStatic));
        }
    }
}
