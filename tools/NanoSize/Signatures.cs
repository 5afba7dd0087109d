using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace NanoSize
{
    /// <summary>
    /// An estimate of the MDP's signatures table, rebuilt in the order the MDP asks for
    /// signatures while writing the .pe: field references, method references, then per type
    /// (static fields with their initial values, instance fields, methods with their locals,
    /// interfaces), then attributes and type specifications. A blob already in the table, whole
    /// or as a run of bytes anywhere in it (the MDP's search stops one byte short of the end),
    /// is not added again. Type data types use the runtime's numbering (void 0 ... string 15,
    /// object 16, class 17, value type 18, szarray 19, byref 20, var 21, generic instance 22,
    /// mvar 23, weak class 27); a class or value type is followed by its compressed table index.
    /// What it cannot know exactly: the ids that string arguments of attributes get.
    /// </summary>
    public sealed class Signatures
    {
        const byte Void = 0, Boolean = 1, I1 = 2, U1 = 3, Char = 4, I2 = 5, U2 = 6, I4 = 7, U4 = 8, R4 = 9,
            I8 = 10, U8 = 11, R8 = 12, String = 15, Object = 16, Class = 17, ValueType = 18, SzArray = 19,
            ByRef = 20, Var = 21, GenericInst = 22, MVar = 23, WeakClass = 27;

        static readonly Dictionary<string, byte> Primitive = new Dictionary<string, byte>(StringComparer.Ordinal)
        {
            ["System.Void"] = Void, ["System.SByte"] = I1, ["System.Int16"] = I2, ["System.Int32"] = I4,
            ["System.Int64"] = I8, ["System.Byte"] = U1, ["System.UInt16"] = U2, ["System.UInt32"] = U4,
            ["System.UInt64"] = U8, ["System.Single"] = R4, ["System.Double"] = R8, ["System.Char"] = Char,
            ["System.String"] = String, ["System.Boolean"] = Boolean, ["System.Object"] = Object,
            ["System.IntPtr"] = I4, ["System.UIntPtr"] = U4, ["System.WeakReference"] = WeakClass,
        };

        static readonly Dictionary<string, byte> SerializationType = new Dictionary<string, byte>(StringComparer.Ordinal)
        {
            ["System.Boolean"] = 0x02, ["System.Char"] = 0x03, ["System.SByte"] = 0x04, ["System.Byte"] = 0x05,
            ["System.Int16"] = 0x06, ["System.UInt16"] = 0x07, ["System.Int32"] = 0x08, ["System.UInt32"] = 0x09,
            ["System.Int64"] = 0x0a, ["System.UInt64"] = 0x0b, ["System.Single"] = 0x0c, ["System.Double"] = 0x0d,
            ["System.String"] = 0x0e,
        };

        readonly List<byte> _table = new List<byte>();
        readonly HashSet<string> _seen = new HashSet<string>(StringComparer.Ordinal);
        readonly Dictionary<string, int> _typeRefIds = new Dictionary<string, int>(StringComparer.Ordinal);
        readonly Dictionary<string, int> _typeDefIds = new Dictionary<string, int>(StringComparer.Ordinal);
        readonly Dictionary<string, int> _stringIds = new Dictionary<string, int>(StringComparer.Ordinal);
        readonly TypeSpecs _specs;

        public int Size => _table.Count;

        Signatures(Minimized m, TypeSpecs specs)
        {
            _specs = specs;
            for (int i = 0; i < m.TypeRefs.Count; i++) _typeRefIds[m.TypeRefs[i].FullName] = i;
            for (int i = 0; i < m.Types.Count; i++) _typeDefIds[m.Types[i].FullName] = i;
        }

        public static Signatures Build(Minimized m, TypeSpecs specs)
        {
            var s = new Signatures(m, specs);
            foreach (var r in m.FieldRefs) s.Add(s.Field(r.FieldType));
            foreach (var r in m.MethodRefs) s.Add(s.Method(r));
            foreach (var t in m.Types)
            {
                var fields = t.Fields.Where(f => !f.HasConstant).ToList();
                foreach (var f in fields.Where(f => f.IsStatic && m.Set.Contains(f.MetadataToken)))
                {
                    s.Add(s.Field(f.FieldType));
                    if (f.InitialValue != null && f.InitialValue.Length > 0) s.Add(InitialValue(f.InitialValue));
                }
                foreach (var f in fields.Where(f => !f.IsStatic && m.Set.Contains(f.MetadataToken))) s.Add(s.Field(f.FieldType));
                foreach (var method in Order.Methods(m.MethodsOf(t)))
                {
                    specs.AddFromBody(method);
                    s.Add(s.Method(method));
                    if (method.HasBody && method.Body.Variables.Count > 0) s.Add(s.Locals(method.Body.Variables));
                }
                if (t.Interfaces.Count > 0) s.Add(s.Interfaces(t));
            }
            foreach (var a in Attributes.Of(m)) s.Add(s.Attribute(a.Attribute));
            foreach (var spec in specs.All) s.Add(s.TypeInfo(spec));
            return s;
        }

        void Add(byte[] sig)
        {
            var key = Convert.ToHexString(sig);
            if (!_seen.Add(key)) return;
            for (int i = 0; i < _table.Count - sig.Length; i++)
            {
                int j = 0;
                while (j < sig.Length && _table[i + j] == sig[j]) j++;
                if (j == sig.Length) return;
            }
            _table.AddRange(sig);
        }

        byte[] Field(TypeReference type)
        {
            var b = new List<byte> { 0x06 };
            WriteTypeInfo(type, b);
            return b.ToArray();
        }

        byte[] Method(MethodReference m)
        {
            var b = new List<byte> { (byte)((m.HasThis ? 0x20 : 0) | (byte)m.CallingConvention) };
            if (m.CallingConvention == MethodCallingConvention.Generic) b.Add((byte)m.GenericParameters.Count);
            b.Add((byte)m.Parameters.Count);
            WriteTypeInfo(m.ReturnType, b);
            foreach (var p in m.Parameters) WriteTypeInfo(p.ParameterType, b);
            return b.ToArray();
        }

        byte[] Locals(IEnumerable<VariableDefinition> variables)
        {
            var b = new List<byte>();
            foreach (var v in variables) WriteTypeInfo(v.VariableType, b);
            return b.ToArray();
        }

        byte[] Interfaces(TypeDefinition t)
        {
            var b = new List<byte> { (byte)t.Interfaces.Count };
            foreach (var i in t.Interfaces) WriteSubType(i.InterfaceType, b);
            return b.ToArray();
        }

        byte[] TypeInfo(TypeReference t)
        {
            var b = new List<byte>();
            WriteTypeInfo(t, b);
            return b.ToArray();
        }

        static byte[] InitialValue(byte[] value)
        {
            var b = new List<byte> { (byte)value.Length, (byte)(value.Length >> 8) };
            b.AddRange(value);
            return b.ToArray();
        }

        byte[] Attribute(CustomAttribute a)
        {
            using var ms = new MemoryStream();
            using var w = new BinaryWriter(ms);
            foreach (var arg in a.ConstructorArguments) WriteArgument(w, arg);
            w.Write((ushort)(a.Properties.Count + a.Fields.Count));
            foreach (var n in a.Fields.OrderBy(n => n.Name, StringComparer.InvariantCulture))
            {
                w.Write((byte)0x53); w.Write(StringId(n.Name)); WriteArgument(w, n.Argument);
            }
            foreach (var n in a.Properties.OrderBy(n => n.Name, StringComparer.InvariantCulture))
            {
                w.Write((byte)0x54); w.Write(StringId(n.Name)); WriteArgument(w, n.Argument);
            }
            w.Flush();
            return ms.ToArray();
        }

        /// <summary>A stand-in for a string's id in the string table (distinct strings, distinct ids).</summary>
        ushort StringId(string s)
        {
            if (!_stringIds.TryGetValue(s, out var id)) _stringIds[s] = id = 0x8000 + _stringIds.Count;
            return (ushort)id;
        }

        void WriteArgument(BinaryWriter w, CustomAttributeArgument arg)
        {
            if (SerializationType.TryGetValue(arg.Type.FullName, out var code))
            {
                w.Write(code);
                switch (arg.Value)
                {
                    case bool v: w.Write((byte)(v ? 1 : 0)); break;
                    case sbyte v: w.Write(v); break;
                    case byte v: w.Write(v); break;
                    case short v: w.Write(v); break;
                    case ushort v: w.Write(v); break;
                    case int v: w.Write(v); break;
                    case uint v: w.Write(v); break;
                    case long v: w.Write(v); break;
                    case ulong v: w.Write(v); break;
                    case float v: w.Write(v); break;
                    case double v: w.Write(v); break;
                    case char v: w.Write((ushort)v); break;
                    case string v: w.Write(StringId(v)); break;
                    default: w.Write((ushort)0); break;
                }
            }
            if (arg.Type.IsArray && arg.Type.GetElementType().FullName == "System.Object" && arg.Value is CustomAttributeArgument[] items)
            {
                w.Write((byte)items.Length);
                foreach (var item in items) if (item.Value is CustomAttributeArgument inner) WriteArgument(w, inner);
            }
            if (arg.Type.FullName == "System.Type" && arg.Value is TypeReference t)
            {
                w.Write((byte)0x0e); w.Write(StringId(t.FullName));
            }
        }

        void WriteTypeInfo(TypeReference t, List<byte> b)
        {
            if (t.IsOptionalModifier) b.Add(0);
            if (t is ByReferenceType byRef) { b.Add(ByRef); WriteDataType(byRef.ElementType, b, true); }
            else WriteDataType(t, b, true);
        }

        void WriteDataType(TypeReference t, List<byte> b, bool withSubType)
        {
            if (Primitive.TryGetValue(t.FullName, out var p)) { b.Add(p); return; }
            switch (t.MetadataType)
            {
                case MetadataType.Class:
                    b.Add(Class);
                    if (withSubType) WriteSubType(t, b);
                    return;
                case MetadataType.ValueType:
                    b.Add(ValueType);
                    if (withSubType) WriteSubType(t, b);
                    return;
                case MetadataType.Var:
                    b.Add(MVar);
                    if (withSubType) b.Add((byte)((GenericParameter)t).Position);
                    return;
            }
            if (t is ArrayType array)
            {
                b.Add(SzArray);
                if (array.ElementType is GenericParameter g) { b.Add(Var); b.Add((byte)g.Position); }
                else if (withSubType) WriteDataType(array.ElementType, b, true);
                return;
            }
            if (t.IsByReference)
            {
                b.Add(ByRef);
                if (withSubType) { var r = TryResolve(t); if (r != null) WriteDataType(r, b, false); else b.Add(0); }
                return;
            }
            if (t is GenericInstanceType gi)
            {
                b.Add(GenericInst);
                WriteDataType(gi.ElementType, b, false);
                b.Add((byte)gi.GenericArguments.Count);
                foreach (var a in gi.GenericArguments) WriteDataType(a, b, true);
                return;
            }
            b.Add(0);
        }

        void WriteSubType(TypeReference t, List<byte> b)
        {
            uint token;
            if (t is TypeSpecification) token = ((uint)_specs.IdOf(t) << 2) | 2;
            else if (_typeRefIds.TryGetValue(t.FullName, out var r)) token = ((uint)r << 2) | 1;
            else if (_typeDefIds.TryGetValue(TryResolve(t)?.FullName ?? t.FullName, out var d)) token = (uint)d << 2;
            else token = 0;
            if (token <= 0x7F) b.Add((byte)token);
            else if (token <= 0x3FFF) { b.Add((byte)(token >> 8 | 0x80)); b.Add((byte)token); }
            else { b.Add((byte)(token >> 24 | 0xC0)); b.Add((byte)(token >> 16)); b.Add((byte)(token >> 8)); b.Add((byte)token); }
        }

        static TypeDefinition TryResolve(TypeReference t)
        {
            try { return t.Resolve(); }
            catch (AssemblyResolutionException) { return null; }
        }
    }

    /// <summary>
    /// The MDP's type specification table: each distinct (by full name) array or other type
    /// specification that a kept method's byte code names as a type operand, a token (ldtoken) or
    /// the type of a catch clause, in the order the byte code is generated.
    /// </summary>
    public sealed class TypeSpecs
    {
        readonly List<TypeReference> _all = new List<TypeReference>();
        readonly Dictionary<string, int> _ids = new Dictionary<string, int>(StringComparer.Ordinal);

        public IReadOnlyList<TypeReference> All => _all;

        public int IdOf(TypeReference t)
        {
            if (!_ids.TryGetValue(t.FullName, out var id))
            {
                _ids[t.FullName] = id = _all.Count;
                _all.Add(t);
            }
            return id;
        }

        public void AddFromBody(MethodDefinition m)
        {
            if (!m.HasBody) return;
            foreach (var i in m.Body.Instructions)
            {
                if (i.OpCode.OperandType == OperandType.InlineType && i.Operand is TypeSpecification t) IdOf(t);
                else if (i.OpCode.OperandType == OperandType.InlineTok && i.Operand is TypeReference tok &&
                         tok.MetadataToken.TokenType == TokenType.TypeSpec) IdOf(tok);
            }
            foreach (var h in m.Body.ExceptionHandlers)
                if (h.CatchType is TypeSpecification c) IdOf(c);
        }
    }
}
