// Facts the listing format drops but the compiler acts on. The listings show type
// attributes and [obsolete], but not method, indexer, enum-field or parameter-attribute
// arguments. Each entry below was read in the upstream source at the listed commit, and
// changes what a caller's code compiles to or whether it compiles at all. Nothing here
// adds a member: an overlay only decorates a member that the listing has.
using System;
using System.Linq;

namespace NanoSurface.Generator
{
    internal static class Overlays
    {
        public static void Apply(Listing listing)
        {
            foreach (var type in listing.Types)
            {
                foreach (var member in type.Members)
                {
                    Decorate(type, member);
                }
            }
        }

        private static void Decorate(TypeDecl type, Member member)
        {
            // mscorlib needs no overlay any more: the surface builds compile against the real
            // mscorlib.dll, whose Debug methods are [Conditional("DEBUG")], whose String indexer
            // is get_Chars and whose DateTimeKind.Local is [Obsolete(..., true)] by themselves.

            // [CallerArgumentExpression] is listed without its argument. Upstream
            // (TestFramework Assert*.cs, CoreLibrary ArgumentNullException/ArgumentException)
            // names the parameter called `value` when there is one, else `actual`, else the
            // parameter just before the annotated one.
            for (int i = 0; i < member.Params.Count; i++)
            {
                var p = member.Params[i];
                if (p.Attribute != "CallerArgumentExpression")
                {
                    continue;
                }

                var target = member.Params.FirstOrDefault(x => x.Name == "value")
                    ?? member.Params.FirstOrDefault(x => x.Name == "actual")
                    ?? (i > 0 ? member.Params[i - 1] : null);
                if (target == null)
                {
                    throw new FormatException($"{member}: no parameter for [CallerArgumentExpression]");
                }

                p.Attribute = $"global::System.Runtime.CompilerServices.CallerArgumentExpression(\"{target.Name}\")";
            }
        }
    }
}
