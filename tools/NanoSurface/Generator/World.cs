// All listings at once, so that base types, interfaces and constructors can be looked up
// across assemblies (Ports derives from Streams, Streams from mscorlib, ...).
using System;
using System.Collections.Generic;
using System.Linq;

namespace NanoSurface.Generator
{
    internal sealed class World
    {
        private readonly Dictionary<string, TypeDecl> _types = new Dictionary<string, TypeDecl>();

        public World(IEnumerable<Listing> listings)
        {
            foreach (var listing in listings)
            {
                foreach (var type in listing.Types)
                {
                    if (_types.ContainsKey(type.FullName))
                    {
                        throw new FormatException($"{type.FullName} is listed in two assemblies");
                    }

                    _types[type.FullName] = type;
                }
            }
        }

        public TypeDecl Resolve(string name)
        {
            _types.TryGetValue(Names.Normalize(name), out var type);
            return type;
        }

        public TypeDecl BaseOf(TypeDecl type)
        {
            if (type.Kind != TypeKind.Class || type.FullName == "System.Object")
            {
                return null;
            }

            var b = Resolve(type.BaseType ?? "object");
            if (b == null)
            {
                throw new FormatException($"{type.FullName}: base type {type.BaseType} is in no listing");
            }

            return b;
        }

        /// <summary>
        /// True when the stub must declare a constructor the listing does not have: C# would
        /// otherwise give the class a public parameterless one. It is made internal, so it
        /// is invisible outside the stub, as the real non-public constructors are.
        /// </summary>
        public static bool NeedsPlaceholderCtor(TypeDecl type) =>
            type.Kind == TypeKind.Class && !type.IsStatic && type.Members.All(m => m.Kind != MemberKind.Constructor);

        /// <summary>The constructor initializer a constructor of <paramref name="type"/> needs, or "".</summary>
        public string BaseInitializer(TypeDecl type)
        {
            var b = BaseOf(type);
            if (b == null)
            {
                return "";
            }

            if (NeedsPlaceholderCtor(b))
            {
                if (b.Owner != type.Owner)
                {
                    throw new FormatException($"{type.FullName} derives from {b.FullName}, which has no accessible constructor");
                }

                return "";
            }

            var ctors = b.Members.Where(m => m.Kind == MemberKind.Constructor).ToList();
            if (ctors.Any(c => c.Params.All(p => p.Default != null || p.Modifier == "params")))
            {
                return "";
            }

            var pick = ctors[0];
            return " : base(" + string.Join(", ", pick.Params.Select(p => $"default({Names.Type(p.Type)})")) + ")";
        }

        public IEnumerable<TypeDecl> InterfaceClosure(TypeDecl type)
        {
            var seen = new List<TypeDecl>();
            var work = new Queue<string>(type.Interfaces);
            while (work.Count > 0)
            {
                string name = work.Dequeue();
                var iface = Resolve(name);
                if (iface == null)
                {
                    throw new FormatException($"{type.FullName}: interface {name} is in no listing");
                }

                if (!seen.Contains(iface))
                {
                    seen.Add(iface);
                    foreach (string parent in iface.Interfaces)
                    {
                        work.Enqueue(parent);
                    }
                }
            }

            return seen;
        }

        /// <summary>
        /// Interface members <paramref name="type"/> must implement explicitly in the stub: those
        /// of its interfaces (not already implemented by a base class) for which neither it nor a
        /// base class lists a public member. The real assemblies implement these explicitly or
        /// through non-public members, which the listings do not show.
        /// </summary>
        public List<(TypeDecl iface, Member member)> MissingInterfaceMembers(TypeDecl type)
        {
            var result = new List<(TypeDecl, Member)>();
            if (type.Kind != TypeKind.Class && type.Kind != TypeKind.Struct)
            {
                return result;
            }

            var inherited = new HashSet<TypeDecl>();
            for (var b = BaseOf(type); b != null; b = BaseOf(b))
            {
                inherited.UnionWith(InterfaceClosure(b));
            }

            foreach (var iface in InterfaceClosure(type))
            {
                if (inherited.Contains(iface))
                {
                    continue;
                }

                foreach (var im in iface.Members.Where(m => !m.Static))
                {
                    if (!HasPublicImplementation(type, im))
                    {
                        result.Add((iface, im));
                    }
                }
            }

            return result;
        }

        private bool HasPublicImplementation(TypeDecl type, Member im)
        {
            for (var cur = type; cur != null; cur = BaseOf(cur))
            {
                foreach (var m in cur.Members)
                {
                    if (m.Protected || m.Static || m.Kind != im.Kind || m.Name != im.Name || !SameSignature(m, im))
                    {
                        continue;
                    }

                    if ((im.Get && !m.Get) || (im.Set && !m.Set))
                    {
                        continue;
                    }

                    return true;
                }
            }

            return false;
        }

        public static bool SameSignature(Member a, Member b) =>
            Names.Normalize(a.Type ?? "void") == Names.Normalize(b.Type ?? "void")
            && a.Params.Select(p => p.SignatureKey).SequenceEqual(b.Params.Select(p => p.SignatureKey));

        /// <summary>Abstract members of base classes that a non-abstract class leaves without an override.</summary>
        public List<Member> UnimplementedAbstracts(TypeDecl type)
        {
            var result = new List<Member>();
            if (type.Kind != TypeKind.Class || type.IsAbstract)
            {
                return result;
            }

            var chain = new List<TypeDecl>();
            for (var cur = type; cur != null; cur = BaseOf(cur))
            {
                chain.Add(cur);
            }

            for (int i = 1; i < chain.Count; i++)
            {
                foreach (var am in chain[i].Members.Where(m => m.Abstract))
                {
                    bool overridden = chain.Take(i).Any(t => t.Members.Any(m =>
                        m.Override && m.Kind == am.Kind && m.Name == am.Name && SameSignature(m, am)));
                    if (!overridden)
                    {
                        result.Add(am);
                    }
                }
            }

            return result;
        }
    }
}
