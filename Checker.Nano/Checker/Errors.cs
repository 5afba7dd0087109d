// Checker's one error enum and its one message table. Enum.ToString() prints the number on
// nanoFramework, so every text comes from the tables here; published texts stay as they are.
//
// Where the meaning is the same, the codes and words are Gingold's Checker's own (its error
// table): ruh, bvh, rfb, wfb, fba, ffb, fnl, oom, rec, rus, wro, nza, bda (and gar, the garbage
// detector's title). oom's words are ours: the original's "warning: virtual memory exhausted."
// does not fit an arena without virtual memory. The others are Checker.Nano's: Checker watched
// a Unix process (its stack and segments were the kernel's), while here the stack zone, the data
// zone and Checker's own maps are ours to keep, so their faults need codes of their own; they
// use the same three-letter style and are marked "ours" in README.md. The numbers are the
// records' code field: new codes are appended.
namespace Checker.Nano
{
    /// <summary>What Checker found wrong with an access, an allocator call or its own maps.</summary>
    public enum CheckerError
    {
        /// <summary>Nothing wrong.</summary>
        None = 0,

        /// <summary>ruh: a read of bytes of a live block that were never written.</summary>
        ReadUninitializedHeap = 1,

        /// <summary>bvh: an access in the heap outside a block's requested bytes (its header, guards, padding, or free memory).</summary>
        BoundsViolationHeap = 2,

        /// <summary>rfb: a read in a freed block (while it is aged).</summary>
        ReadFreeBlock = 3,

        /// <summary>wfb: a write in a freed block (while it is aged).</summary>
        WriteFreeBlock = 4,

        /// <summary>fba: free (or realloc) of an address that malloc did not return.</summary>
        FreeBadAddress = 5,

        /// <summary>ffb: free (or realloc) of a block that was freed already (double free).</summary>
        FreeFreeBlock = 6,

        /// <summary>fnl: free(NULL). Legal C, reported as the original does (it cannot be switched off).</summary>
        FreeNull = 7,

        /// <summary>oom: no room for an allocation: the heap's break may not cross into the stack zone.</summary>
        OutOfMemory = 8,

        /// <summary>rec: malloc, realloc or free called while one is running (from an allocation hook).</summary>
        Recursive = 9,

        /// <summary>rus: a read of a stack slot that was never written.</summary>
        ReadUninitializedStack = 10,

        /// <summary>bvs (ours): an access in the stack zone outside a frame's slots (a slot index past the frame, a frame header, below the stack pointer).</summary>
        BoundsViolationStack = 11,

        /// <summary>sfp (ours): a stack frame popped twice, popped with inner frames still pushed, or damaged.</summary>
        BadFramePop = 12,

        /// <summary>sov (ours): a frame that does not fit the stack zone.</summary>
        StackOverflow = 13,

        /// <summary>wro: a write to bytes marked read-only.</summary>
        WriteReadOnly = 14,

        /// <summary>bva (ours): an access outside every zone other than the null zone (Checker's maps, between the break and the stack, outside the arena, past the data zone).</summary>
        BadAddress = 15,

        /// <summary>bmd (ours): Checker's maps (access bitmap, block map, stack frames, aging queue) disagree with the heap.</summary>
        MapsDamaged = 16,

        /// <summary>bda: a bad options string (cannot be switched off).</summary>
        BadOption = 17,

        /// <summary>nza: an access whose first byte is in the null zone (the arena's first 8 bytes).</summary>
        NullZone = 18,
    }

    /// <summary>The codes and texts of <see cref="CheckerError"/>.</summary>
    public static class CheckerErrors
    {
        /// <summary>How many codes there are (None included): the length of per-code arrays.</summary>
        public const int Count = 19;

        // A build-time check that Count follows the enum: a wrong value makes a negative byte constant.
        private const byte PinCount = (int)CheckerError.NullZone + 1 == Count ? 0 : -1;

        /// <summary>The codes no option can switch off, as in the original (fba, ffb, fnl, rec, bda): one bit per code.</summary>
        public const int Unsuppressible = (1 << (int)CheckerError.FreeBadAddress) | (1 << (int)CheckerError.FreeFreeBlock)
            | (1 << (int)CheckerError.FreeNull) | (1 << (int)CheckerError.Recursive) | (1 << (int)CheckerError.BadOption);

        private static readonly string[] Codes =
        {
            "---", "ruh", "bvh", "rfb", "wfb", "fba", "ffb", "fnl", "oom", "rec",
            "rus", "bvs", "sfp", "sov", "wro", "bva", "bmd", "bda", "nza",
        };

        // The first line of a report reads "From Checker: (ruh) " + Messages[code].
        private static readonly string[] Messages =
        {
            "no error.",
            "read uninitialized byte(s) in a block.",
            "block bounds violation in the heap.",
            "read in a free block.",
            "write/modify a free block.",
            "free called with an address not obtained from malloc.",
            "free an already free block.",
            "free called with a null argument.",
            "out of memory.",
            "recursive use of malloc.",
            "read uninitialized byte(s) in the stack.",
            "bounds violation in the stack.",
            "bad stack frame pop.",
            "stack overflow.",
            "write/modify read-only byte(s).",
            "access outside every zone.",
            "Checker's maps are damaged.",
            "bad option for Checker.",
            "null zone addressed.",
        };

        /// <summary>The three-letter code ("ruh"); "---" for None, "???" for a value out of range.</summary>
        public static string CodeOf(CheckerError error)
        {
            int i = (int)error;
            return i >= 0 && i < Codes.Length ? Codes[i] : "???";
        }

        /// <summary>The fixed text of a code ("read uninitialized byte(s) in a block.").</summary>
        public static string MessageOf(CheckerError error)
        {
            int i = (int)error;
            return i >= 0 && i < Messages.Length ? Messages[i] : "unknown Checker error.";
        }

        /// <summary>The error of a three-letter code, or None if there is no such code.</summary>
        public static CheckerError Parse(string code)
        {
            if (code == null)
            {
                return CheckerError.None;
            }

            for (int i = 1; i < Codes.Length; i++)
            {
                if (Codes[i] == code)
                {
                    return (CheckerError)i;
                }
            }

            return CheckerError.None;
        }

        /// <summary>
        /// Whether the code concerns a heap block, so that a suppression's site is matched against
        /// the block's allocation site (otherwise against the faulty call's site).
        /// </summary>
        internal static bool ConcernsBlock(CheckerError error)
        {
            return error == CheckerError.ReadUninitializedHeap || error == CheckerError.BoundsViolationHeap
                || error == CheckerError.ReadFreeBlock || error == CheckerError.WriteFreeBlock
                || error == CheckerError.FreeBadAddress || error == CheckerError.FreeFreeBlock;
        }
    }

    /// <summary>The access states of a byte (two bits in the bitmap, as in the seed): bit 0 readable, bit 1 writable.</summary>
    public static class AccessState
    {
        /// <summary>00: no access (free memory, headers, guards, popped stack, outside the zones).</summary>
        public const int Unavailable = 0;

        /// <summary>01: may be read, not written.</summary>
        public const int ReadOnly = 1;

        /// <summary>10: allocated but not yet initialized: may be written, not read.</summary>
        public const int WriteOnly = 2;

        /// <summary>11: initialized.</summary>
        public const int ReadWrite = 3;

        private static readonly string[] Names = { "unavailable", "read-only", "write-only", "read-write" };

        /// <summary>The name of a state ("write-only").</summary>
        public static string NameOf(int state)
        {
            return state >= 0 && state < 4 ? Names[state] : "?";
        }
    }
}
