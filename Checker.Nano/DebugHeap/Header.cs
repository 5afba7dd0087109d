// The block header (the CRT's _CrtMemBlockHeader) and everything that reads or writes it.
//
// A debug block of n requested bytes is one base-heap block of at least n + 32 bytes; offsets
// are relative to its start H (the "header offset", what the base heap returned):
//
//   H+0   file | line   int32  file index in the upper 12 bits, line in the low 20 (_file_name, _line_number)
//   H+4   block use     int32  type | subtype << 16                              (_block_use)
//   H+8   next          int32  header offset of the next older block, 0 = none  (_block_header_next)
//   H+12  prev          int32  header offset of the next newer block, 0 = none  (_block_header_prev)
//   H+16  size          int32  requested bytes                                   (_data_size)
//   H+20  request       int32  request number                                    (_request_number)
//   H+24  guard         4 x 0xFD                                                 (_gap)
//   H+28  data          n bytes: the user's pointer is H+28
//   H+28+n guard        4 x 0xFD
//
// 32 bytes of overhead per block against the CRT's 36 on 32-bit targets (a 32-byte header with
// its leading guard, plus the trailing guard) and 52 on 64-bit: links are 4-byte offsets, and
// file and line share one word because the file is an index into a table of the caller-info
// strings instead of a pointer. Lines above 1048574 are stored as 1048574, so that a word of all
// ones (file UNKNOWN_FILE, line 1048575) is never written and is reported as a damaged header.
// File index 0 means "no file" (a null or empty file argument), UNKNOWN_FILE "the table was
// full". An ignore block made while ALLOC_MEM_DF is off has no links, request number 0 and the
// CRT's mark 0xFEDCBABC in the file|line word (line_number_for_ignore_blocks); one asked for
// (Malloc with BlockType.Ignore, or a block Checker ages) is linked like any other.
//
// Why the links are not the first two words, as in the CRT: the Compact policy tells a live
// slot from a free one by its first two words, a free slot's next and prev links (the prev link
// leads to a slot whose next is this one; only then it walks the run's free slots, see
// Compact/CompactCheck.cs IsFreeSlot), and the seed's policy did the same with its fragments
// before they became bits beside the arena (Heap/Heap.cs). A doubly linked list at +0/+4 passes
// that cheap test for every live block, and every free and realloc paid the walk (measured over
// the seed's policy then: debug malloc/free about ten times the base heap's on the host). At +4
// the block use (0 to 4, below any heap offset, or a subtype above 64 Ki) practically never
// leads back.
//
// Every header read by an operation is first checked for plausibility (CheckUserPointer): the
// base block must be live and big enough, the block use a block type, the size within the
// base block, the request number one that was given out, the file index in the table, and
// the links must lead to blocks that link back. Only then are its fields trusted.
namespace Checker.Nano
{
    public sealed partial class DebugHeap
    {
        private const int H_FILELINE = 0;
        private const int H_USE = 4;
        private const int H_NEXT = 8;
        private const int H_PREV = 12;
        private const int H_SIZE = 16;
        private const int H_REQUEST = 20;
        private const int H_GAP = 24;

        private const int FILE_SHIFT = 20;

        // Four NO_MANS_LAND_FILL bytes read as one little-endian int.
        private const int GuardWord = unchecked((int)0xFDFDFDFD);
        private const int LINE_MASK = (1 << FILE_SHIFT) - 1;

        // The highest line stored (LINE_MASK with UNKNOWN_FILE would be a word of all ones).
        private const int MAX_LINE = LINE_MASK - 1;

        /// <summary>The file index of blocks allocated once the file-name table was full.</summary>
        public const int UNKNOWN_FILE = 4095;

        /// <summary>line_number_for_ignore_blocks: the file|line word of every ignore block.</summary>
        public const int IGNORE_MARK = unchecked((int)0xFEDCBABC);

        // ---- Reads and writes -----------------------------------------------------------------

        private int Get(int offset)
        {
            byte[] m = _m;
            return m[offset] | (m[offset + 1] << 8) | (m[offset + 2] << 16) | (m[offset + 3] << 24);
        }

        private void Put(int offset, int value)
        {
            byte[] m = _m;
            m[offset] = (byte)value;
            m[offset + 1] = (byte)(value >> 8);
            m[offset + 2] = (byte)(value >> 16);
            m[offset + 3] = (byte)(value >> 24);
        }

        private static int FileIndexOf(int fileLine)
        {
            return (int)((uint)fileLine >> FILE_SHIFT);
        }

        private static int LineOf(int fileLine)
        {
            return fileLine & LINE_MASK;
        }

        /// <summary>The file-name string of a file index (null for none, "&lt;unknown file&gt;" when the table was full).</summary>
        private string FileName(int fileIndex)
        {
            if (fileIndex == UNKNOWN_FILE)
            {
                return UnknownFileName;
            }

            return fileIndex > 0 && fileIndex <= _fileCount ? _files[fileIndex] : null;
        }

        /// <summary>The name shown for blocks whose file did not fit the table.</summary>
        public const string UnknownFileName = "<unknown file>";

        /// <summary>
        /// The table index of <paramref name="file"/>: found by reference first (caller-info
        /// strings are literals, so the same call site passes the same string), then by value,
        /// else added; UNKNOWN_FILE when the table is full. Allocates nothing.
        /// </summary>
        private int FileIndex(string file)
        {
            if ((object)file == (object)_lastFile)
            {
                return _lastFileIndex;   // the same call site again, or a loop's
            }

            if (file == null || file.Length == 0)
            {
                return 0;
            }

            int found = FindOrAddFile(file);
            if (found != UNKNOWN_FILE)
            {
                _lastFile = file;   // not a file that missed the table: each of its blocks counts in UnknownFiles
                _lastFileIndex = found;
            }

            return found;
        }

        private int FindOrAddFile(string file)
        {

            string[] f = _files;
            int n = _fileCount;
            for (int i = 1; i <= n; i++)
            {
                if ((object)f[i] == (object)file)
                {
                    return i;
                }
            }

            for (int i = 1; i <= n; i++)
            {
                if (f[i] == file)
                {
                    return i;
                }
            }

            if (n < f.Length - 1)
            {
                n++;
                f[n] = file;
                _fileCount = n;
                return n;
            }

            _unknownFiles++;
            return UNKNOWN_FILE;
        }

        private static int PackFileLine(int fileIndex, int line)
        {
            if (line < 0)
            {
                line = 0;
            }
            else if (line > MAX_LINE)
            {
                line = MAX_LINE;
            }

            return (fileIndex << FILE_SHIFT) | line;
        }

        // The fills are copied from these with Array.Copy, which nanoFramework runs natively: an
        // interpreted loop costs ~50 ns per byte on the device, a copy about as much as two bytes
        // written one by one. Each starts with the 4 guard bytes, so that a new block's leading
        // guard and its first FillChunk bytes of data are one copy, and its trailing guard another.
        private const int FillChunk = 256;
        private static readonly byte[] CleanLand = NewFill(CLEAN_LAND_FILL);
        private static readonly byte[] DeadLand = NewFill(DEAD_LAND_FILL);

        private static byte[] NewFill(byte value)
        {
            byte[] b = new byte[4 + FillChunk];
            for (int i = 0; i < b.Length; i++)
            {
                b[i] = i < 4 ? NO_MANS_LAND_FILL : value;
            }

            return b;
        }

        /// <summary>AllocLocked's template at the start: every header word 0, the guard, 0xCD.</summary>
        private static byte[] NewTemplate()
        {
            byte[] b = new byte[HEADER_BYTES + FillChunk];
            for (int i = H_GAP; i < b.Length; i++)
            {
                b[i] = i < HEADER_BYTES ? NO_MANS_LAND_FILL : CLEAN_LAND_FILL;
            }

            return b;
        }

        /// <summary>Fills <paramref name="count"/> arena bytes from <paramref name="offset"/> with <paramref name="pattern"/>'s byte.</summary>
        private void FillWith(byte[] pattern, int offset, int count)
        {
            while (count > 0)
            {
                int n = count < FillChunk ? count : FillChunk;
                System.Array.Copy(pattern, 4, _m, offset, n);
                offset += n;
                count -= n;
            }
        }

        /// <summary>Writes the guards around the data and fills the data with 0xCD or 0xDD.</summary>
        private void WriteGuardsAndFill(int header, int size, byte fill)
        {
            byte[] pattern = fill == DEAD_LAND_FILL ? DeadLand : CleanLand;
            int data = header + HEADER_BYTES;
            int n = size < FillChunk ? size : FillChunk;
            System.Array.Copy(pattern, 0, _m, data - 4, n + 4);
            if (size > n)
            {
                FillWith(pattern, data + n, size - n);
            }

            System.Array.Copy(pattern, 0, _m, data + size, 4);
        }

        /// <summary>check_bytes: whether the 4 guard bytes at <paramref name="offset"/> are intact.</summary>
        private bool GuardIntact(int offset)
        {
            byte[] m = _m;
            return m[offset] == NO_MANS_LAND_FILL && m[offset + 1] == NO_MANS_LAND_FILL
                && m[offset + 2] == NO_MANS_LAND_FILL && m[offset + 3] == NO_MANS_LAND_FILL;
        }

        /// <summary>Whether <paramref name="count"/> bytes from <paramref name="offset"/> all hold 0xDD.</summary>
        private bool DeadFillIntact(int offset, int count)
        {
            byte[] m = _m;
            int end = offset + count;
            for (int i = offset; i < end; i++)
            {
                if (m[i] != DEAD_LAND_FILL)
                {
                    return false;
                }
            }

            return true;
        }

        // ---- The list (newest first) -----------------------------------------------------------

        /// <summary>Links the header at the head of the list (the newest block).</summary>
        private void LinkAtHead(int header)
        {
            int first = _first;
            Put(header + H_NEXT, first);
            Put(header + H_PREV, 0);
            if (first != 0)
            {
                Put(first + H_PREV, header);
            }
            else
            {
                _last = header;
            }

            _first = header;
            _linkedBlocks++;
        }

        /// <summary>Unlinks a block whose links were <paramref name="next"/> and <paramref name="prev"/>.</summary>
        private void Unlink(int next, int prev)
        {
            if (prev == 0)
            {
                _first = next;
            }
            else
            {
                Put(prev + H_NEXT, next);
            }

            if (next == 0)
            {
                _last = prev;
            }
            else
            {
                Put(next + H_PREV, prev);
            }

            _linkedBlocks--;
        }

        // ---- Plausibility ------------------------------------------------------------------------

        /// <summary>
        /// Whether <paramref name="header"/> could be a header offset: inside the heap with room
        /// for a header, on the base heap's 8-byte grain.
        /// </summary>
        private bool InHeapRange(int header)
        {
            int base0 = _heap.HeapStart;
            return _heap.Initialized && header >= base0 && header <= _heap.HeapEnd - OVERHEAD_BYTES
                && ((header - base0) & (BaseHeap.GRANULE - 1)) == 0;
        }

        /// <summary>Whether <paramref name="use"/> is a block use a header may hold (is_block_type_valid, plus Free).</summary>
        private static bool IsBlockUse(int use)
        {
            int type = use & 0xFFFF;
            if (type == BlockType.Client || type == BlockType.Crt)
            {
                return true;
            }

            return use == BlockType.Normal || use == BlockType.Ignore || use == BlockType.Free;
        }

        /// <summary>Whether Malloc/Realloc may be asked for <paramref name="use"/>: Normal, CRT or Client (with any subtype).</summary>
        private static bool IsAllocUse(int use)
        {
            int type = use & 0xFFFF;
            return use == BlockType.Normal || type == BlockType.Client || type == BlockType.Crt || use == BlockType.Ignore;
        }

        /// <summary>Whether the block is an ignore block made while ALLOC_MEM_DF was off (not linked, request number 0).</summary>
        private bool IsLooseIgnore(int header)
        {
            return Get(header + H_USE) == BlockType.Ignore && Get(header + H_REQUEST) == 0;
        }

        /// <summary>
        /// Checks the user pointer <paramref name="ptr"/>: its header must be a live base block
        /// with a plausible header. <paramref name="header"/> gets ptr - HEADER_BYTES.
        /// </summary>
        private DebugHeapError CheckUserPointer(int ptr, out int header)
        {
            header = ptr - HEADER_BYTES;
            if (ptr < HEADER_BYTES || ptr > _m.Length)
            {
                return DebugHeapError.NotInHeap;
            }

            HeapError e = _heap.CheckLocked(header);
            if (e == HeapError.NotInHeap)
            {
                // A pointer in the heap's first 28 bytes is inside the first block.
                return _heap.CheckLocked(ptr) == HeapError.NotInHeap ? DebugHeapError.NotInHeap : DebugHeapError.Interior;
            }

            if (e == HeapError.FreeMemory)
            {
                return DebugHeapError.FreeMemory;
            }

            if (e == HeapError.Interior)
            {
                return DebugHeapError.Interior;
            }

            DebugHeapError h = CheckHeaderFields(header);
            if (h != DebugHeapError.None)
            {
                return h;
            }

            return CheckLinks(header);
        }

        /// <summary>
        /// The header fields of the live base block at <paramref name="header"/>, except the
        /// links: block use, size, request number, file index (and an ignore block's marks).
        /// </summary>
        private DebugHeapError CheckHeaderFields(int header)
        {
            int usable = _heap.UsableSizeLocked(header);
            if (usable < OVERHEAD_BYTES)
            {
                return DebugHeapError.BadHeaderSize;
            }

            int use = Get(header + H_USE);
            if (!IsBlockUse(use))
            {
                return DebugHeapError.BadHeaderBlockUse;
            }

            int size = Get(header + H_SIZE);
            if (size < 0 || size > usable - OVERHEAD_BYTES)
            {
                return DebugHeapError.BadHeaderSize;
            }

            int request = Get(header + H_REQUEST);
            int fileLine = Get(header + H_FILELINE);
            if (use == BlockType.Ignore && request == 0)
            {
                return fileLine == IGNORE_MARK ? DebugHeapError.None : DebugHeapError.BadHeaderFile;
            }

            if (fileLine == -1)
            {
                return DebugHeapError.BadHeaderFile;   // all ones: never written (MAX_LINE)
            }

            // The counter stops at int.MaxValue (as the CRT's at LONG_MAX), so that number may repeat.
            if (request < 1 || (request >= _nextRequest && request != int.MaxValue))
            {
                return DebugHeapError.BadHeaderRequest;
            }

            int file = FileIndexOf(fileLine);
            if (file > _fileCount && file != UNKNOWN_FILE)
            {
                return DebugHeapError.BadHeaderFile;
            }

            return DebugHeapError.None;
        }

        /// <summary>The links of a header: an ignore block has none; a linked one's lead to blocks that link back.</summary>
        private DebugHeapError CheckLinks(int header)
        {
            int next = Get(header + H_NEXT);
            int prev = Get(header + H_PREV);
            if (IsLooseIgnore(header))
            {
                return next == 0 && prev == 0 && _first != header ? DebugHeapError.None : DebugHeapError.BadHeaderLinks;
            }

            if (prev == 0)
            {
                if (_first != header)
                {
                    return DebugHeapError.BadHeaderLinks;
                }
            }
            else if (!InHeapRange(prev) || Get(prev + H_NEXT) != header)
            {
                return DebugHeapError.BadHeaderLinks;
            }

            if (next == 0)
            {
                if (_last != header)
                {
                    return DebugHeapError.BadHeaderLinks;
                }
            }
            else if (!InHeapRange(next) || Get(next + H_PREV) != header)
            {
                return DebugHeapError.BadHeaderLinks;
            }

            return DebugHeapError.None;
        }

        /// <summary>
        /// The linked block whose base block contains <paramref name="address"/>, or 0 (a walk of
        /// the list, bounded by its count; for reports and the Checker layer, not the hot path).
        /// </summary>
        private int FindHeaderContaining(int address)
        {
            int node = _first;
            int steps = 0;
            while (node != 0 && steps++ <= _linkedBlocks && InHeapRange(node))
            {
                if (address >= node && address < node + OVERHEAD_BYTES + Get(node + H_SIZE)
                    && _heap.CheckLocked(node) == HeapError.None)
                {
                    return node;
                }

                node = Get(node + H_NEXT);
            }

            return 0;
        }
    }
}
