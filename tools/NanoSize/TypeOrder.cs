using System;
using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;

namespace NanoSize
{
    /// <summary>
    /// The order of the MDP's type definition table: by full name, except that a type comes
    /// after its declaring type, after the interfaces it implements that are defined in the same
    /// assembly, and after the same-assembly types that appear (as return or parameter types) in
    /// the methods its method bodies call. Only the signatures table depends on it (a type
    /// definition's index is written into signatures, in one byte below 32, two bytes from 32).
    /// </summary>
    public static class TypeOrder
    {
        public static List<TypeDefinition> Of(ModuleDefinition module)
        {
            var done = new HashSet<string>(StringComparer.Ordinal);
            var order = new List<TypeDefinition>();
            var byName = module.GetTypes().Where(t => t.FullName != "<Module>")
                .OrderBy(t => t.FullName, StringComparer.InvariantCulture).ToList();
            foreach (var t in byName) Visit(t, module, done, order);
            return order;
        }

        static void Visit(TypeDefinition type, ModuleDefinition module, HashSet<string> done, List<TypeDefinition> order)
        {
            if (type == null || done.Contains(type.FullName)) return;
            if (type.DeclaringType != null) Visit(type.DeclaringType, module, done, order);
            foreach (var i in type.Interfaces) Visit(Local(i.InterfaceType, module), module, done, order);
            if (!done.Add(type.FullName)) return;
            foreach (var m in type.Methods.Where(m => m.HasBody))
                foreach (var ins in m.Body.Instructions)
                    if (ins.Operand is MethodReference called)
                    {
                        if (called.ReturnType.FullName != "System.Void") Visit(Local(called.ReturnType, module), module, done, order);
                        foreach (var p in called.Parameters) Visit(Local(p.ParameterType, module), module, done, order);
                    }
            order.Add(type);
        }

        /// <summary>The definition in this module that a type reference resolves to (arrays and by-refs to their element), if any.</summary>
        static TypeDefinition Local(TypeReference t, ModuleDefinition module)
        {
            while (t is TypeSpecification spec && !(t is GenericInstanceType)) t = spec.ElementType;
            if (t is GenericInstanceType g) t = g.ElementType;
            return t is TypeDefinition d && d.Module == module ? d : null;
        }
    }
}
