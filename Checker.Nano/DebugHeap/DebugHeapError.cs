// The debug heap's one error enum and its one message table. Enum.ToString() prints the number
// on nanoFramework, so every text comes from the tables here; published texts stay as they are.
// Each code has a message (the detail line of a report: "free(0x0000A011): <message>..."), a
// stable token (the name= of the ERR record, see Reporter/PROTOCOL.md) and, for the checks the
// CRT makes with _ASSERTE, the expression the CRT's assertion shows. The numbers are the ERR
// record's code= and are never reused.
namespace Checker.Nano
{
    /// <summary>What the debug heap found wrong with a call or a block.</summary>
    public enum DebugHeapError
    {
        /// <summary>Nothing wrong.</summary>
        None = 0,

        /// <summary>The address is not inside the heap.</summary>
        NotInHeap = 1,

        /// <summary>The address's header would lie in free memory: freed already (without delay-free) or never allocated.</summary>
        FreeMemory = 2,

        /// <summary>The address is inside a block, not the start of a block's data.</summary>
        Interior = 3,

        /// <summary>The block is a delay-freed Free block: freed already.</summary>
        AlreadyFreed = 4,

        /// <summary>The header's block use is not a block type.</summary>
        BadHeaderBlockUse = 5,

        /// <summary>The header's requested size does not fit the heap block that holds it.</summary>
        BadHeaderSize = 6,

        /// <summary>The header's request number was never given out.</summary>
        BadHeaderRequest = 7,

        /// <summary>The header's file index is not in the file-name table.</summary>
        BadHeaderFile = 8,

        /// <summary>The header's list links do not match its neighbours.</summary>
        BadHeaderLinks = 9,

        /// <summary>Free or Realloc was given a block use that is not the block's.</summary>
        WrongBlockType = 10,

        /// <summary>Malloc or Realloc was given a block use that cannot be allocated.</summary>
        BadBlockType = 11,

        /// <summary>A negative or too large size.</summary>
        BadSize = 12,

        /// <summary>The arena has no room for the block.</summary>
        OutOfMemory = 13,

        /// <summary>The allocation hook refused the operation.</summary>
        HookRefused = 14,

        /// <summary>The guard before the data was overwritten.</summary>
        GuardBefore = 15,

        /// <summary>The guard after the data was overwritten.</summary>
        GuardAfter = 16,

        /// <summary>A delay-freed block's 0xDD fill was overwritten.</summary>
        WriteAfterFree = 17,

        /// <summary>A link of the list of debug blocks leads to something that is not a block linking back.</summary>
        ListDamaged = 18,

        /// <summary>The list of debug blocks is longer than the blocks counted (a cycle).</summary>
        ListCycle = 19,

        /// <summary>SetDbgFlag was given unknown flag bits.</summary>
        BadFlag = 20,

        /// <summary>A data access reaches outside the requested size.</summary>
        OutOfRange = 21,

        /// <summary>The base heap's Validate failed (_heapchk).</summary>
        BaseHeapDamaged = 22,
    }

    /// <summary>
    /// Thrown by the debug heap's data accessors for an address that is not a live block (the
    /// operations themselves report and return an error instead of throwing).
    /// </summary>
    public class DebugHeapException : System.Exception
    {
        private static readonly string[] Messages =
        {
            "ok",
            "address is not in the heap",
            "address is free memory (freed already, or never allocated)",
            "address is inside a block, not at its start",
            "block was freed already",
            "the header's block use is not a block type",
            "the header's requested size does not fit its heap block",
            "the header's request number was never given out",
            "the header's file index is not in the file-name table",
            "the header's list links do not match its neighbours",
            "the block use given is not the block's",
            "bad memory block type",
            "invalid allocation size",
            "no room in the arena",
            "the allocation hook refused the operation",
            "the application wrote to memory before start of heap buffer",
            "the application wrote to memory after end of heap buffer",
            "the application wrote to a heap buffer that was freed",
            "the next link does not lead to a block that links back",
            "the list is longer than the blocks counted (a cycle)",
            "unknown flag bits",
            "bytes outside the block's requested size",
            "the base heap is damaged",
        };

        // The stable token of each code: the name= of the ERR record (PROTOCOL.md). Never renamed.
        private static readonly string[] Names =
        {
            "ok",
            "not-in-heap",
            "free-memory",
            "interior",
            "double-free",
            "bad-header-use",
            "bad-header-size",
            "bad-header-req",
            "bad-header-file",
            "bad-header-links",
            "wrong-type",
            "bad-type",
            "bad-size",
            "no-memory",
            "hook-refused",
            "bad-guard-before",
            "bad-guard-after",
            "write-free",
            "list-damaged",
            "list-cycle",
            "bad-flag",
            "out-of-range",
            "base-heap",
        };

        // The expression the CRT's _ASSERTE shows for the same fault (null: not an assertion).
        private static readonly string[] Expressions =
        {
            null,
            "_CrtIsValidHeapPointer(block)",
            "_CrtIsValidHeapPointer(block)",
            "_CrtIsValidHeapPointer(block)",
            "is_block_type_valid(header->_block_use)",
            "is_block_type_valid(header->_block_use)",
            "_CrtIsValidHeapPointer(block)",
            "_CrtIsValidHeapPointer(block)",
            "_CrtIsValidHeapPointer(block)",
            "_CrtIsValidHeapPointer(block)",
            "header->_block_use == block_use || header->_block_use == _CRT_BLOCK && block_use == _NORMAL_BLOCK",
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
        };

        private readonly DebugHeapError _error;
        private readonly int _address;

        /// <summary>An error of <paramref name="error"/> for <paramref name="address"/> in <paramref name="operation"/>.</summary>
        public DebugHeapException(string operation, DebugHeapError error, int address)
            : base(operation + "(" + Bytes.Hex8(address) + "): " + MessageOf(error))
        {
            _error = error;
            _address = address;
        }

        /// <summary>The error code.</summary>
        public DebugHeapError Error
        {
            get { return _error; }
        }

        /// <summary>The address the call was given.</summary>
        public int Address
        {
            get { return _address; }
        }

        /// <summary>The fixed text of an error code.</summary>
        public static string MessageOf(DebugHeapError error)
        {
            int i = (int)error;
            return i >= 0 && i < Messages.Length ? Messages[i] : "unknown debug heap error";
        }

        /// <summary>The stable token of an error code (the ERR record's name=), e.g. "double-free".</summary>
        public static string NameOf(DebugHeapError error)
        {
            int i = (int)error;
            return i >= 0 && i < Names.Length ? Names[i] : "unknown";
        }

        /// <summary>The CRT assertion expression for an error code, or null.</summary>
        public static string ExpressionOf(DebugHeapError error)
        {
            int i = (int)error;
            return i >= 0 && i < Expressions.Length ? Expressions[i] : null;
        }

        /// <summary>Whether the code says a block's header is damaged (BadHeaderBlockUse .. BadHeaderLinks).</summary>
        public static bool IsBadHeader(DebugHeapError error)
        {
            return error >= DebugHeapError.BadHeaderBlockUse && error <= DebugHeapError.BadHeaderLinks;
        }
    }
}
