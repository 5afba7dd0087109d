using Mono.Cecil;
using Mono.Cecil.Cil;

namespace NanoSize
{
    /// <summary>
    /// The size of a method body in the MDP's byte code table. The MDP keeps every IL
    /// instruction and its opcode bytes (one, or two for the 0xFE opcodes) but rewrites the
    /// operands: a metadata token becomes a 2-byte table index (call, newobj, ldfld, ldstr,
    /// castclass, box...), a long branch offset 2 bytes instead of 4, a switch a 1-byte count and
    /// 2 bytes per target instead of 4 + 4 each. Short forms and immediates keep their size; ldtoken
    /// keeps 4 bytes and calli's signature token is dropped. A method with exception handlers is
    /// followed by 12 bytes per handler and a 1-byte count. Methods without a body cost nothing.
    /// </summary>
    public static class ByteCode
    {
        public static int OperandSize(Instruction i)
        {
            switch (i.OpCode.OperandType)
            {
                case OperandType.InlineNone: return 0;
                case OperandType.ShortInlineBrTarget:
                case OperandType.ShortInlineVar:
                case OperandType.ShortInlineArg:
                case OperandType.ShortInlineI: return 1;
                case OperandType.InlineBrTarget:
                case OperandType.InlineVar:
                case OperandType.InlineArg:
                case OperandType.InlineString:
                case OperandType.InlineMethod:
                case OperandType.InlineField:
                case OperandType.InlineType: return 2;
                case OperandType.InlineI:
                case OperandType.ShortInlineR:
                case OperandType.InlineTok: return 4;
                case OperandType.InlineI8:
                case OperandType.InlineR: return 8;
                case OperandType.InlineSwitch: return 1 + 2 * ((Instruction[])i.Operand).Length;
                case OperandType.InlineSig: return 0;
                default: throw new System.NotSupportedException($"operand type {i.OpCode.OperandType} of {i.OpCode}");
            }
        }

        public static int InstructionSize(Instruction i) => i.OpCode.Size + OperandSize(i);

        public static int MethodSize(MethodDefinition m)
        {
            if (!m.HasBody) return 0;
            int size = 0;
            foreach (var i in m.Body.Instructions) size += InstructionSize(i);
            if (m.Body.HasExceptionHandlers) size += 12 * m.Body.ExceptionHandlers.Count + 1;
            return size;
        }
    }
}
