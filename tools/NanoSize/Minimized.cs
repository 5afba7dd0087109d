using System;
using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace NanoSize
{
    /// <summary>
    /// What of an assembly survives the MDP's Minimize step, which runs before the .pe is
    /// written: a closure over metadata tokens that starts from every type definition not
    /// excluded and follows the MDP's own (narrow) idea of what each token depends on. Types,
    /// methods and fields of a library survive whole; what the closure decides is mostly which
    /// type references, assembly references and member references are kept, and so which of
    /// their names reach the string table.
    /// </summary>
    public sealed class Minimized
    {
        /// <summary>Type names the MDP always excludes (besides types marked [ExcludeType]).</summary>
        static readonly string[] DefaultExcluded =
        {
            "ThisAssembly",
            "System.Runtime.CompilerServices.RefSafetyRulesAttribute",
            "System.Runtime.CompilerServices.AccessedThroughPropertyAttribute",
        };

        /// <summary>Attributes the MDP never writes (compiler, debugger and tooling attributes).</summary>
        internal static readonly HashSet<string> IgnoredAttributes = new HashSet<string>(StringComparer.Ordinal)
        {
            "System.Reflection.AssemblyFileVersionAttribute", "System.Runtime.InteropServices.ComVisibleAttribute",
            "System.Runtime.InteropServices.GuidAttribute", "System.ParamArrayAttribute", "System.SerializableAttribute",
            "System.NonSerializedAttribute", "System.Runtime.InteropServices.StructLayoutAttribute",
            "System.Runtime.InteropServices.LayoutKind", "System.Runtime.InteropServices.OutAttribute",
            "System.Runtime.CompilerServices.ExtensionAttribute", "System.Runtime.CompilerServices.MethodImplAttribute",
            "System.Runtime.CompilerServices.NullableAttribute", "System.Runtime.CompilerServices.NullableContextAttribute",
            "System.Runtime.CompilerServices.InternalsVisibleToAttribute", "System.Runtime.CompilerServices.IndexerNameAttribute",
            "System.Runtime.CompilerServices.MethodImplOptions", "System.Runtime.CompilerServices.RefSafetyRulesAttribute",
            "System.Reflection.FieldNoReflectionAttribute", "System.Diagnostics.DebuggableAttribute",
            "System.Diagnostics.DebuggerBrowsableAttribute", "System.Diagnostics.DebuggerBrowsableState",
            "System.Diagnostics.DebuggerHiddenAttribute", "System.Diagnostics.DebuggerNonUserCodeAttribute",
            "System.Diagnostics.DebuggerStepThroughAttribute", "System.Diagnostics.DebuggerDisplayAttribute",
            "System.AttributeUsageAttribute", "System.CLSCompliantAttribute", "System.FlagsAttribute",
            "System.ObsoleteAttribute", "System.Diagnostics.ConditionalAttribute",
            "System.ComponentModel.EditorBrowsableAttribute", "System.Reflection.DefaultMemberAttribute",
            "System.MTAThreadAttribute", "System.STAThreadAttribute",
        };

        public ModuleDefinition Module { get; }

        /// <summary>Full names (and simple names) of excluded types.</summary>
        public HashSet<string> Excluded { get; } = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>Every token the closure reached (the MDP's "set").</summary>
        public HashSet<MetadataToken> Set { get; } = new HashSet<MetadataToken>();

        /// <summary>All type definitions but &lt;Module&gt;, in the MDP's table order.</summary>
        public List<TypeDefinition> AllTypes { get; }

        /// <summary>Kept type definitions, in table order.</summary>
        public List<TypeDefinition> Types { get; }

        /// <summary>Kept type references, assembly references, field and method references, in table order.</summary>
        public List<TypeReference> TypeRefs { get; }
        public List<AssemblyNameReference> AssemblyRefs { get; }
        public List<FieldReference> FieldRefs { get; }
        public List<MethodReference> MethodRefs { get; }

        /// <summary>Every member reference of the module, and those the MDP tabulates.</summary>
        public List<MemberReference> AllMemberRefs { get; }
        public List<MemberReference> TabulatedMemberRefs { get; }

        /// <summary>Kept methods and fields of a kept type (its fields without constants).</summary>
        public IEnumerable<MethodDefinition> MethodsOf(TypeDefinition t) => t.Methods.Where(m => Set.Contains(m.MetadataToken));
        public IEnumerable<FieldDefinition> FieldsOf(TypeDefinition t) => t.Fields.Where(f => !f.HasConstant && Set.Contains(f.MetadataToken));

        /// <summary>The string literals of the kept methods (ldstr operands), each once.</summary>
        public HashSet<string> UserStrings { get; } = new HashSet<string>(StringComparer.Ordinal);

        readonly Dictionary<MetadataToken, TypeReference> _typeRefs = new Dictionary<MetadataToken, TypeReference>();
        readonly Dictionary<MetadataToken, MemberReference> _memberRefs = new Dictionary<MetadataToken, MemberReference>();
        readonly Dictionary<MetadataToken, TypeDefinition> _typeDefs = new Dictionary<MetadataToken, TypeDefinition>();
        readonly Dictionary<MetadataToken, FieldDefinition> _fields = new Dictionary<MetadataToken, FieldDefinition>();
        readonly Dictionary<MetadataToken, MethodDefinition> _methods = new Dictionary<MetadataToken, MethodDefinition>();
        readonly Dictionary<MetadataToken, TypeDefinition> _interfaceOwners = new Dictionary<MetadataToken, TypeDefinition>();
        readonly Dictionary<MetadataToken, TypeReference> _interfaceTypes = new Dictionary<MetadataToken, TypeReference>();

        public Minimized(ModuleDefinition module)
        {
            Module = module;
            foreach (var n in DefaultExcluded) Excluded.Add(n);

            AllTypes = TypeOrder.Of(module);
            foreach (var t in AllTypes)
                if (t.CustomAttributes.Any(a => a.AttributeType.FullName == "System.Runtime.CompilerServices.ExcludeTypeAttribute"))
                    Excluded.Add(t.FullName);

            var typeRefs = module.GetTypeReferences().ToList();
            foreach (var r in typeRefs) _typeRefs[r.MetadataToken] = r;
            var typeRefNames = new HashSet<string>(typeRefs.Select(r => r.FullName), StringComparer.Ordinal);

            AllMemberRefs = module.GetMemberReferences().ToList();
            TabulatedMemberRefs = AllMemberRefs.Where(m =>
                typeRefNames.Contains(m.DeclaringType.FullName) ||
                m.DeclaringType.GetElementType().IsPrimitive ||
                m.ContainsGenericParameter ||
                m.DeclaringType.IsGenericInstance).ToList();
            foreach (var m in TabulatedMemberRefs) _memberRefs[m.MetadataToken] = m;

            foreach (var t in AllTypes)
            {
                _typeDefs[t.MetadataToken] = t;
                foreach (var f in t.Fields.Where(f => !f.HasConstant)) _fields[f.MetadataToken] = f;
                foreach (var m in t.Methods) _methods[m.MetadataToken] = m;
                foreach (var i in t.Interfaces)
                {
                    if (!_interfaceOwners.ContainsKey(i.MetadataToken)) _interfaceOwners[i.MetadataToken] = t;
                    _interfaceTypes[i.MetadataToken] = i.InterfaceType;
                }
            }

            Close();

            Types = AllTypes.Where(t => Set.Contains(t.MetadataToken)).ToList();
            TypeRefs = typeRefs.Where(r => Set.Contains(r.MetadataToken)).ToList();
            AssemblyRefs = module.AssemblyReferences.Where(a => Set.Contains(a.MetadataToken)).ToList();
            FieldRefs = TabulatedMemberRefs.OfType<FieldReference>().Where(r => Set.Contains(r.MetadataToken)).ToList();
            MethodRefs = TabulatedMemberRefs.OfType<MethodReference>().Where(r => Set.Contains(r.MetadataToken)).ToList();
        }

        public bool IsExcluded(TypeDefinition t) =>
            Excluded.Contains(t.FullName) || Excluded.Contains(t.Name) ||
            (t.DeclaringType != null && Excluded.Contains(t.DeclaringType.FullName));

        /// <summary>Whether the MDP writes an attribute of this type (and keeps its constructor).</summary>
        public bool KeepsAttribute(TypeReference attributeType) =>
            !Excluded.Contains(attributeType.FullName) &&
            !IgnoredAttributes.Contains(attributeType.FullName) &&
            !attributeType.FullName.StartsWith("System.Diagnostics.CodeAnalysis", StringComparison.Ordinal);

        void Close()
        {
            var pending = new Queue<MetadataToken>();
            foreach (var t in AllTypes)
                if (!IsExcluded(t) && Set.Add(t.MetadataToken)) pending.Enqueue(t.MetadataToken);
            var found = new List<MetadataToken>();
            while (pending.Count > 0)
            {
                found.Clear();
                DependenciesOf(pending.Dequeue(), found);
                foreach (var d in found)
                    if (Set.Add(d)) pending.Enqueue(d);
            }
        }

        static bool IsVoidStringOrObject(TypeReference t) =>
            t.FullName == "System.Void" || t.FullName == "System.String" || t.FullName == "System.Object";

        static TypeDefinition TryResolve(TypeReference t)
        {
            try { return t.Resolve(); }
            catch (AssemblyResolutionException) { return null; }
        }

        /// <summary>An array's element type counts when it is neither primitive nor void, string or object.</summary>
        static void AddElement(TypeReference array, List<MetadataToken> deps)
        {
            var e = array.GetElementType();
            if (!IsVoidStringOrObject(e) && !e.IsPrimitive) deps.Add(e.MetadataToken);
        }

        /// <summary>A nested type (declared in another type) counts as itself if it is an enum, else as its declaring type.</summary>
        static void AddNested(TypeReference t, List<MetadataToken> deps)
        {
            var resolved = TryResolve(t);
            deps.Add(resolved != null && resolved.IsEnum ? t.MetadataToken : t.DeclaringType.MetadataToken);
        }

        void AddAttributes(ICustomAttributeProvider owner, List<MetadataToken> deps)
        {
            foreach (var a in owner.CustomAttributes)
                if (KeepsAttribute(a.AttributeType)) deps.Add(a.Constructor.MetadataToken);
        }

        void DependenciesOf(MetadataToken token, List<MetadataToken> deps)
        {
            switch (token.TokenType)
            {
                case TokenType.TypeRef:
                    if (_typeRefs.TryGetValue(token, out var tr))
                    {
                        if (tr.IsNested) deps.Add(tr.DeclaringType.MetadataToken);
                        else if (tr.Scope.MetadataToken.TokenType == TokenType.AssemblyRef ||
                                 tr.Scope.MetadataToken.TokenType == TokenType.TypeRef)
                            deps.Add(tr.Scope.MetadataToken);
                    }
                    break;

                case TokenType.MemberRef:
                    if (!_memberRefs.TryGetValue(token, out var member)) break;
                    if (member is MethodReference mr && mr.ReturnType != null)
                        MethodRefDependencies(mr, deps);
                    else if (member is FieldReference fr)
                        FieldRefDependencies(fr, deps);
                    break;

                case TokenType.TypeDef:
                    if (_typeDefs.TryGetValue(token, out var td)) TypeDependencies(td, deps);
                    break;

                case TokenType.Field:
                    if (_fields.TryGetValue(token, out var fd)) FieldDependencies(fd, deps);
                    break;

                case TokenType.Method:
                    if (_methods.TryGetValue(token, out var md)) MethodDependencies(md, deps);
                    break;

                case TokenType.InterfaceImpl:
                    if (_interfaceOwners.TryGetValue(token, out var owner))
                    {
                        deps.Add(_interfaceTypes[token].MetadataToken);
                        deps.Add(owner.MetadataToken);
                    }
                    break;
            }
        }

        void MethodRefDependencies(MethodReference mr, List<MetadataToken> deps)
        {
            if (mr.DeclaringType != null) deps.Add(mr.DeclaringType.MetadataToken);

            var r = mr.ReturnType;
            if (r.IsValueType && !r.IsPrimitive) deps.Add(r.MetadataToken);
            else if (r.IsArray)
            {
                if (r.DeclaringType != null) deps.Add(r.DeclaringType.MetadataToken);
                else AddElement(r, deps);
            }
            else
            {
                if (r.MetadataType == MetadataType.ValueType && !IsVoidStringOrObject(r) && !r.IsPrimitive) deps.Add(r.MetadataToken);
                if (r.MetadataType == MetadataType.Class) deps.Add(r.MetadataToken);
            }

            foreach (var p in mr.Parameters)
            {
                var t = p.ParameterType;
                if (t.DeclaringType != null) AddNested(t, deps);
                if (t.MetadataType == MetadataType.Class) deps.Add(t.MetadataToken);
                if (t.IsValueType && !t.IsPrimitive) deps.Add(t.MetadataToken);
                if (t is GenericInstanceType) { deps.Add(t.MetadataToken); deps.Add(t.GetElementType().MetadataToken); }
            }
        }

        static void FieldRefDependencies(FieldReference fr, List<MetadataToken> deps)
        {
            if (fr.DeclaringType != null) deps.Add(fr.DeclaringType.MetadataToken);
            var t = fr.FieldType;
            if (t.MetadataType == MetadataType.Class) deps.Add(t.MetadataToken);
            else if (!t.IsPrimitive && t.IsValueType && !IsVoidStringOrObject(t)) deps.Add(t.MetadataToken);
            else if (t.IsArray)
            {
                if (t.DeclaringType != null) deps.Add(t.MetadataToken);
                else AddElement(t, deps);
            }
            else if (t.DeclaringType != null) deps.Add(t.DeclaringType.MetadataToken);
        }

        void TypeDependencies(TypeDefinition td, List<MetadataToken> deps)
        {
            if (td.BaseType != null) deps.Add(td.BaseType.MetadataToken);
            if (td.DeclaringType != null) deps.Add(td.DeclaringType.MetadataToken);
            AddAttributes(td, deps);
            bool typeListed = Excluded.Contains(td.FullName);
            if (!typeListed)
            {
                foreach (var f in td.Fields) if (!f.IsLiteral) deps.Add(f.MetadataToken);
                foreach (var g in td.GenericParameters) deps.Add(g.MetadataToken);
                foreach (var m in td.Methods) deps.Add(m.MetadataToken);
            }
            foreach (var i in td.Interfaces)
                if (!Excluded.Contains(i.InterfaceType.FullName)) deps.Add(i.MetadataToken);
        }

        void FieldDependencies(FieldDefinition fd, List<MetadataToken> deps)
        {
            var t = fd.FieldType;
            if (t.IsValueType && !t.IsPrimitive) deps.Add(t.MetadataToken);
            else if (t is GenericInstanceType) { deps.Add(t.MetadataToken); deps.Add(t.GetElementType().MetadataToken); }
            else if (t.IsArray)
            {
                if (t.DeclaringType != null) deps.Add(t.DeclaringType.MetadataToken);
                else AddElement(t, deps);
            }
            else if (!t.IsValueType && !t.IsPrimitive && !IsVoidStringOrObject(t)) deps.Add(t.MetadataToken);
            AddAttributes(fd, deps);
        }

        void MethodDependencies(MethodDefinition md, List<MetadataToken> deps)
        {
            var r = md.ReturnType;
            if (r.IsValueType && !r.IsPrimitive) deps.Add(r.MetadataToken);
            else if (r.IsArray)
            {
                if (r.DeclaringType != null) deps.Add(r.DeclaringType.MetadataToken);
                else AddElement(r, deps);
            }
            else if (!r.IsValueType && !r.IsPrimitive && !r.IsByReference && !IsVoidStringOrObject(r)) deps.Add(r.MetadataToken);

            foreach (var g in md.GenericParameters) deps.Add(g.MetadataToken);

            foreach (var p in md.Parameters)
            {
                var t = p.ParameterType is ByReferenceType byRef ? byRef.ElementType : p.ParameterType;
                if (t.IsArray)
                {
                    if (t.DeclaringType != null) deps.Add(t.DeclaringType.MetadataToken);
                    else AddElement(t, deps);
                }
                else if (t.MetadataType == MetadataType.Class) deps.Add(t.MetadataToken);
                else if (t.IsValueType && !t.IsPrimitive) deps.Add(t.MetadataToken);
                else if (t is GenericInstanceType) { deps.Add(t.MetadataToken); deps.Add(t.GetElementType().MetadataToken); }
                else if (!t.IsValueType && !t.IsPrimitive && !IsVoidStringOrObject(t)) deps.Add(t.MetadataToken);
            }

            if (md.HasBody)
            {
                foreach (var v in md.Body.Variables)
                {
                    var t = v.VariableType;
                    if (t.DeclaringType != null) AddNested(t, deps);
                    else if (t.MetadataType == MetadataType.Class) deps.Add(t.MetadataToken);
                    else if (t.MetadataType == MetadataType.Array) AddElement(t, deps);
                    else if (t.IsValueType && !t.IsPrimitive) deps.Add(t.MetadataToken);
                    else if (t is GenericInstanceType) { deps.Add(t.MetadataToken); deps.Add(t.GetElementType().MetadataToken); }
                    else if (t.IsPointer)
                        throw new NotSupportedException($"the MDP refuses pointer types: a {t} variable in {md.FullName}");
                }

                foreach (var i in md.Body.Instructions)
                {
                    switch (i.Operand)
                    {
                        case MemberReference m when m is MethodReference || m is FieldReference || m is TypeReference:
                            deps.Add(m.MetadataToken);
                            break;
                        case string s:
                            UserStrings.Add(s);
                            break;
                    }
                }

                foreach (var h in md.Body.ExceptionHandlers)
                    if (h.HandlerType != ExceptionHandlerType.Filter && h.CatchType != null) deps.Add(h.CatchType.MetadataToken);
            }

            AddAttributes(md, deps);
        }
    }
}
