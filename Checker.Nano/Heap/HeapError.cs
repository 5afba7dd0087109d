// The base heap's one error enum and its one message table. Enum.ToString() prints the number
// on nanoFramework, so every text comes from Messages[]; published texts stay as they are.
namespace Checker.Nano
{
    /// <summary>Why the base heap rejected an offset.</summary>
    public enum HeapError
    {
        /// <summary>The offset is a live block or fragment.</summary>
        None = 0,

        /// <summary>The offset is not inside the heap (below its base, at or past the break, or negative).</summary>
        NotInHeap = 1,

        /// <summary>The offset is free memory: freed already (a double free) or never handed out.</summary>
        FreeMemory = 2,

        /// <summary>The offset is inside a live block or fragment, not at its start.</summary>
        Interior = 3,

        /// <summary>
        /// The heap's own bookkeeping is damaged (a table entry, the seed's free-fragment bitmap, or
        /// the links of a Compact free slot or gap): the call was abandoned part way; Validate says
        /// where the damage is.
        /// </summary>
        Damaged = 4,
    }

    /// <summary>
    /// Thrown by free, realloc and the data accessors for an offset that is not a live block
    /// (the choice for the base heap: a typed exception carrying the code and the offset; the
    /// debug heap and Checker check first and report instead of throwing). The heap is unchanged.
    /// Thrown by any operation with <see cref="HeapError.Damaged"/> when it finds the heap's own
    /// bookkeeping damaged (a link out of range, a list that cycles): then the heap may be left
    /// part way through the operation, as damaged as it was found.
    /// </summary>
    public class HeapException : System.Exception
    {
        private static readonly string[] Messages =
        {
            "ok",
            "offset is not inside the heap",
            "offset is free memory (double free, or never allocated)",
            "offset is inside a block, not at its start",
            "the heap's bookkeeping is damaged (Validate says where)",
        };

        private readonly HeapError _error;
        private readonly int _offset;

        /// <summary>An error of <paramref name="error"/> for <paramref name="offset"/> in <paramref name="operation"/>.</summary>
        public HeapException(string operation, HeapError error, int offset)
            : base(operation + "(" + Bytes.Hex8(offset) + "): " + MessageOf(error))
        {
            _error = error;
            _offset = offset;
        }

        /// <summary>The error code.</summary>
        public HeapError Error
        {
            get { return _error; }
        }

        /// <summary>The offset the call was given.</summary>
        public int Offset
        {
            get { return _offset; }
        }

        /// <summary>The fixed text of an error code.</summary>
        public static string MessageOf(HeapError error)
        {
            int i = (int)error;
            return i >= 0 && i < Messages.Length ? Messages[i] : "unknown heap error " + i.ToString();
        }
    }
}
