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
            switch (type.FullName)
            {
                // CoreLibrary System/Diagnostics/Debug.cs: every method is [Conditional("DEBUG")],
                // so in a release build the calls (and their arguments) vanish.
                case "System.Diagnostics.Debug" when member.Kind == MemberKind.Method:
                    member.ExtraAttributes.Add("global::System.Diagnostics.Conditional(\"DEBUG\")");
                    break;

                // CoreLibrary System/String.cs: the indexer is [IndexerName("Chars")]. The compiler
                // looks for String.get_Chars by name (switch on string, foreach over a string).
                case "System.String" when member.Kind == MemberKind.Indexer:
                    member.ExtraAttributes.Add("global::System.Runtime.CompilerServices.IndexerName(\"Chars\")");
                    break;

                // CoreLibrary System/DateTime.cs: DateTimeKind.Local is [Obsolete(..., true)]:
                // nanoFramework has no local time, and using it is a compile error.
                case "System.DateTimeKind" when member.Name == "Local":
                    member.ExtraAttributes.Add("global::System.Obsolete(\"nanoFramework doesn't support local time\", true)");
                    break;
            }

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
