// `check-generics <assembly>...`: fails when a compiled surface assembly declares or uses
// generics. nanoFramework 1.x has no generics (its metadata processor and runtime reject
// them; they arrive with 2.0), yet csc accepts user generics and mscorlib 1.17 declares
// Action<T>, Func<..> and EventHandler<T>, so only the compiled metadata shows every use,
// including the compiler's own (`var f = () => 1` is a Func<int>).
// Errors are printed in MSBuild's canonical format, so the build reports them as errors.
using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace NanoSurface.Generator
{
    internal static class GenericsCheck
    {
        public static int Run(IEnumerable<string> assemblies)
        {
            int problems = 0;
            foreach (string path in assemblies)
            {
                foreach (string problem in Find(path))
                {
                    Console.WriteLine($"{path} : error NANO0001: generics are not supported by nanoFramework 1.x: {problem}");
                    problems++;
                }
            }

            return problems == 0 ? 0 : 1;
        }

        private static List<string> Find(string path)
        {
            var found = new List<string>();
            using var stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            var md = pe.GetMetadataReader();

            foreach (var h in md.TypeDefinitions)
            {
                var type = md.GetTypeDefinition(h);
                if (type.GetGenericParameters().Count > 0)
                {
                    found.Add($"generic type {TypeName(md, type)} is declared");
                }

                foreach (var mh in type.GetMethods())
                {
                    var method = md.GetMethodDefinition(mh);
                    if (method.GetGenericParameters().Count > 0)
                    {
                        found.Add($"generic method {TypeName(md, type)}.{md.GetString(method.Name)} is declared");
                    }
                }
            }

            for (int row = 1; row <= md.GetTableRowCount(TableIndex.MethodSpec); row++)
            {
                var spec = md.GetMethodSpecification(MetadataTokens.MethodSpecificationHandle(row));
                found.Add($"generic method {MethodName(md, spec.Method)} is instantiated");
            }

            for (int row = 1; row <= md.GetTableRowCount(TableIndex.TypeSpec); row++)
            {
                var spec = md.GetTypeSpecification(MetadataTokens.TypeSpecificationHandle(row));
                var blob = md.GetBlobReader(spec.Signature);
                if (blob.ReadSignatureTypeCode() == SignatureTypeCode.GenericTypeInstance)
                {
                    blob.ReadSignatureTypeCode(); // class or valuetype
                    found.Add($"generic type {HandleName(md, blob.ReadTypeHandle())} is used");
                }
            }

            return found;
        }

        private static string TypeName(MetadataReader md, TypeDefinition type)
        {
            string ns = md.GetString(type.Namespace);
            string name = md.GetString(type.Name);
            return ns.Length > 0 ? ns + "." + name : name;
        }

        private static string HandleName(MetadataReader md, EntityHandle handle)
        {
            switch (handle.Kind)
            {
                case HandleKind.TypeDefinition:
                    return TypeName(md, md.GetTypeDefinition((TypeDefinitionHandle)handle));
                case HandleKind.TypeReference:
                {
                    var r = md.GetTypeReference((TypeReferenceHandle)handle);
                    string ns = md.GetString(r.Namespace);
                    return (ns.Length > 0 ? ns + "." : "") + md.GetString(r.Name);
                }

                default:
                    return handle.Kind.ToString();
            }
        }

        private static string MethodName(MetadataReader md, EntityHandle handle)
        {
            switch (handle.Kind)
            {
                case HandleKind.MethodDefinition:
                {
                    var m = md.GetMethodDefinition((MethodDefinitionHandle)handle);
                    return TypeName(md, md.GetTypeDefinition(m.GetDeclaringType())) + "." + md.GetString(m.Name);
                }

                case HandleKind.MemberReference:
                {
                    var m = md.GetMemberReference((MemberReferenceHandle)handle);
                    string parent = m.Parent.Kind == HandleKind.TypeSpecification ? "(generic type)" : HandleName(md, m.Parent);
                    return parent + "." + md.GetString(m.Name);
                }

                default:
                    return handle.Kind.ToString();
            }
        }
    }
}
