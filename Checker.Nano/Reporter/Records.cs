// The record types of the line protocol and one writer per type, so that every field name is
// spelled in one place (PROTOCOL.md documents them field by field; a test pins each writer's
// output). Layers call these writers rather than building records by hand; a layer that needs a
// record this file lacks adds its writer here and its row to PROTOCOL.md (and bumps
// Reporter.ProtocolRevision).
//
// Conventions every writer keeps:
//  - numbers are decimal; addresses are "0x" and 8 hex digits; text is percent-encoded;
//  - an int argument of -1 (or any negative value where the field cannot be negative), and a
//    null string, leave the field out: "unknown" is an absent field, never a magic value;
//  - fields a parser needs most come first, since a record too long for the line loses its last
//    fields (and says so with cut=1).
// Nothing here allocates.
namespace Checker.Nano
{
    /// <summary>The record types of the line protocol and their writers.</summary>
    public static class Records
    {
        /// <summary>The firmware started (or was asked 'V'): who is talking and with which protocol revision.</summary>
        public const string HELLO = "HELLO";

        /// <summary>A dump starts: d, why, t, rev.</summary>
        public const string BEGIN = "BEGIN";

        /// <summary>A dump ends: d, count (records between BEGIN and END).</summary>
        public const string END = "END";

        /// <summary>The base heap's statistics (mstats).</summary>
        public const string STAT = "STAT";

        /// <summary>Busy whole-block objects: count, blocks, bytes.</summary>
        public const string OBJS = "OBJS";

        /// <summary>One fragment size in use: size, blocks, used, free.</summary>
        public const string FRGS = "FRGS";

        /// <summary>Free clusters of whole blocks: count, blocks, largest, top.</summary>
        public const string HOLES = "HOLES";

        /// <summary>The fragmentation figure: free, largest, pm.</summary>
        public const string FRAG = "FRAG";

        /// <summary>The base heap's heapinfo table, entry by entry in address order: base, at, runs (as many records as the line needs).</summary>
        public const string MAP = "MAP";

        /// <summary>The runtime's own memory figures: kind, total, free, largest.</summary>
        public const string RTMEM = "RTMEM";

        /// <summary>Debug heap: counts and bytes per block type (and client subtype).</summary>
        public const string TYPE = "TYPE";

        /// <summary>Debug heap: high-water mark and total allocated.</summary>
        public const string PEAK = "PEAK";

        /// <summary>Debug heap: one leaked (still allocated) block.</summary>
        public const string LEAK = "LEAK";

        /// <summary>Checker: one family of the garbage detector (lost, maybe lost or in-use blocks allocated at the same place).</summary>
        public const string GARB = "GARB";

        /// <summary>An error found by the debug heap or Checker.</summary>
        public const string ERR = "ERR";

        /// <summary>The result of a check (command 'C' or a periodic check).</summary>
        public const string CHECK = "CHECK";

        /// <summary>A note from the reporter itself (ignored command bytes, ...).</summary>
        public const string NOTE = "NOTE";

        /// <summary>Lines were lost (no n: it is about the wire). Written by the reporter only.</summary>
        public const string DROP = "DROP";

        /// <summary>Heap tracing: one malloc, calloc, realloc, memalign or free (HeapTracer), short for a busy UART.</summary>
        public const string T = "T";

        /// <summary>Heap tracing: started, stopped, the head of a ring or leaks dump, or the tracer's status in a dump.</summary>
        public const string TRACE = "TRACE";

        // T's op= letters by TraceHook.Op* (index 0 unused): the letters of the trace file format.
        private static readonly string[] OpLetters = new string[] { "?", "a", "c", "r", "f", "m" };

        /// <summary>HELLO: board and app names, HEAP, BLOCKSIZE, rev.</summary>
        public static void Hello(Reporter r, string board, string app, int heap, int blockSize)
        {
            r.BeginRecord(HELLO)
                .Field("rev", Reporter.ProtocolRevision)
                .FieldText("board", board)
                .FieldText("app", app);
            Optional(r, "heap", heap);
            Optional(r, "bs", blockSize);
            r.Field("lcap", r.LineCapacity).EndRecord();
        }

        /// <summary>
        /// STAT: the base heap's mstats: bytes_total, chunks_used, bytes_used, chunks_free,
        /// bytes_free (gmalloc's struct mstats), largest_free (largest free cluster, bytes),
        /// arena (HEAP), arena_avail (bytes the break can still grow by), meta (bytes of the
        /// heap's own tables beside the arena), bs (BLOCKSIZE).
        /// </summary>
        public static void Stat(Reporter r, MStats s)
        {
            r.BeginRecord(STAT)
                .Field("bytes_total", s.BytesTotal)
                .Field("chunks_used", s.ChunksUsed)
                .Field("bytes_used", s.BytesUsed)
                .Field("chunks_free", s.ChunksFree)
                .Field("bytes_free", s.BytesFree)
                .Field("largest_free", s.LargestFreeRun)
                .Field("arena", s.ArenaBytes)
                .Field("arena_avail", s.ArenaAvailable)
                .Field("meta", s.MetadataBytes)
                .Field("bs", s.BlockSize)
                .EndRecord();
        }

        /// <summary>OBJS: busy objects of whole blocks: how many, the blocks they hold, their bytes.</summary>
        public static void Objects(Reporter r, int count, int blocks, int bytes)
        {
            r.BeginRecord(OBJS).Field("count", count).Field("blocks", blocks).Field("bytes", bytes).EndRecord();
        }

        /// <summary>FRGS: blocks split into fragments of <paramref name="size"/> bytes: how many blocks, fragments used and free.</summary>
        public static void FragmentSize(Reporter r, int size, int blocks, int used, int free)
        {
            r.BeginRecord(FRGS).Field("size", size).Field("blocks", blocks).Field("used", used).Field("free", free).EndRecord();
        }

        /// <summary>
        /// HOLES: free clusters: how many, their blocks, the largest in bytes, and the bytes of the
        /// one ending at the break (top, 0 if none: it can grow into the arena).
        /// </summary>
        public static void Holes(Reporter r, int count, int blocks, int largestBytes, int topBytes)
        {
            r.BeginRecord(HOLES).Field("count", count).Field("blocks", blocks).Field("largest", largestBytes).Field("top", topBytes).EndRecord();
        }

        /// <summary>
        /// FRAG: free (bytes free in the heap plus the arena the break can still take), largest
        /// (the largest whole-block request that fits now), pm (fragmentation in per mille:
        /// 1000 * (free - largest) / free, 0 when nothing is free).
        /// </summary>
        public static void Fragmentation(Reporter r, int freeBytes, int largestBytes, int perMille)
        {
            r.BeginRecord(FRAG).Field("free", freeBytes).Field("largest", largestBytes).Field("pm", perMille).EndRecord();
        }

        /// <summary>
        /// MAP: the heap as BaseHeap.WalkTable gives it (<paramref name="rows"/>: WALK_WORDS ints per
        /// row, offset, bytes, state, free; <paramref name="count"/> rows in address order), for a heap
        /// whose block 1 is at <paramref name="heapBase"/> with blocks of 1 &lt;&lt;
        /// <paramref name="blockLog"/> bytes. Writes ONE record: base (offset of block 1), at (the
        /// block of row <paramref name="first"/>, 1 when the heap is empty), off (only when that row
        /// does not start on a block: its bytes into the block) and runs, the rows from there
        /// separated by ',': U&lt;n&gt; a busy object of n whole blocks, H&lt;n&gt; a free cluster of n
        /// blocks, F&lt;size&gt;/&lt;free&gt; a block cut into fragments of size bytes, free of them free
        /// (F&lt;size&gt;/&lt;free&gt;/&lt;k&gt; a run of k blocks cut so: the Compact policy), X a table entry
        /// that should start something and does not (one block); rows that do not start and end on
        /// block boundaries (the Compact policy's large objects and gaps) are u&lt;bytes&gt;,
        /// h&lt;bytes&gt; and x&lt;bytes&gt;. It stops between two rows when the next would not fit the line,
        /// and returns the row to go on from (count when the heap is done): call it again until it
        /// returns count. It always takes at least one row, so the loop ends; a row that does not
        /// fit even alone (a line capacity under about 100) is left out with the field and the
        /// record says cut=1, and the reader sees the gap in at.
        /// </summary>
        public static int Map(Reporter r, int heapBase, int blockLog, int[] rows, int first, int count)
        {
            int at = 1;
            int off = 0;
            if (first < count)
            {
                int rel = rows[first * BaseHeap.WALK_WORDS] - heapBase;
                at = (rel >> blockLog) + 1;
                off = rel & ((1 << blockLog) - 1);
            }

            r.BeginRecord(MAP).FieldAddress("base", heapBase).Field("at", at);
            if (off != 0)
            {
                r.Field("off", off);
            }

            int room = r.RecordRoom - 6;   // " runs="
            r.BeginField("runs");
            int i = first;
            while (i < count)
            {
                int length = MapItemLength(rows, i, heapBase, blockLog) + (i > first ? 1 : 0);
                if (length > room && i > first)
                {
                    break;
                }

                room -= length;
                if (i > first)
                {
                    r.Append(',');
                }

                AppendMapItem(r, rows, i, heapBase, blockLog);
                i++;
            }

            r.EndField().EndRecord();
            return i > first ? i : count;
        }

        /// <summary>The code of a row (see Map): its letter, and the number after it.</summary>
        private static char MapCode(int[] rows, int row, int heapBase, int blockLog, out int number)
        {
            int at = row * BaseHeap.WALK_WORDS;
            int bytes = rows[at + 1];
            int state = rows[at + 2];
            int mask = (1 << blockLog) - 1;
            bool whole = ((rows[at] - heapBase) & mask) == 0 && (bytes & mask) == 0 && bytes > 0;
            number = whole ? bytes >> blockLog : bytes;
            if (state == BaseHeap.WalkObject)
            {
                return whole ? 'U' : 'u';
            }

            if (state == BaseHeap.WalkFree)
            {
                return whole ? 'H' : 'h';
            }

            if (state > 0 && whole)
            {
                return 'F';
            }

            if (whole && number == 1)
            {
                return 'X';
            }

            number = bytes;   // x counts bytes, even for damage that spans whole blocks
            return 'x';
        }

        private static void AppendMapItem(Reporter r, int[] rows, int row, int heapBase, int blockLog)
        {
            int number;
            char code = MapCode(rows, row, heapBase, blockLog, out number);
            r.Append(code);
            if (code == 'F')
            {
                int at = row * BaseHeap.WALK_WORDS;
                r.Append(rows[at + 2]).Append('/').Append(rows[at + 3]);
                if (number != 1)
                {
                    r.Append('/').Append(number);
                }
            }
            else if (code != 'X')
            {
                r.Append(number);
            }
        }

        private static int MapItemLength(int[] rows, int row, int heapBase, int blockLog)
        {
            int number;
            char code = MapCode(rows, row, heapBase, blockLog, out number);
            if (code == 'F')
            {
                int at = row * BaseHeap.WALK_WORDS;
                return 2 + Digits(rows[at + 2]) + Digits(rows[at + 3]) + (number != 1 ? 1 + Digits(number) : 0);
            }

            return code == 'X' ? 1 : 1 + Digits(number);
        }

        private static int Digits(int value)
        {
            int digits = value < 0 ? 2 : 1;
            long v = value < 0 ? -(long)value : value;
            while (v >= 10)
            {
                v /= 10;
                digits++;
            }

            return digits;
        }

        /// <summary>
        /// RTMEM: one of the runtime's memory figures, kind = internal | spiram | managed | all |
        /// process (host); negative figures (unknown) are left out.
        /// </summary>
        public static void RuntimeMemory(Reporter r, string kind, long total, long free, long largest)
        {
            r.BeginRecord(RTMEM).FieldText("kind", kind);
            Optional(r, "total", total);
            Optional(r, "free", free);
            Optional(r, "largest", largest);
            r.EndRecord();
        }

        /// <summary>
        /// TYPE: the debug heap's blocks of one type (CRT _CrtMemState.lCounts/lSizes): type
        /// (the block-type number), name (Free, Normal, CRT, Ignore, Client), sub (client
        /// subtype, left out for other types), count, bytes.
        /// </summary>
        public static void BlockType(Reporter r, int type, string name, int subtype, int count, int bytes)
        {
            r.BeginRecord(TYPE).Field("type", type).FieldText("name", name);
            Optional(r, "sub", subtype);
            r.Field("count", count).Field("bytes", bytes).EndRecord();
        }

        /// <summary>
        /// PEAK: the debug heap's high-water mark in bytes (CRT lHighWaterCount, "Largest number
        /// used") and the bytes allocated since the start (lTotalCount, "Total allocations"),
        /// and the number of allocations (the last request number).
        /// </summary>
        public static void Peak(Reporter r, int maxBytes, long totalBytes, int allocations)
        {
            r.BeginRecord(PEAK).Field("max", maxBytes).Field("total", totalBytes);
            Optional(r, "allocs", allocations);
            r.EndRecord();
        }

        /// <summary>
        /// LEAK: a block still allocated when leaks are dumped: req (request number, CRT's {87}),
        /// type, sub, size (bytes the caller asked for), addr, line and file (of the allocation;
        /// the file is written without its directories), data (up to <paramref name="dataCount"/>
        /// first bytes of the block, hex; CRT shows 16).
        /// </summary>
        public static void Leak(Reporter r, int request, int type, int subtype, int size, int address,
            string file, int line, byte[] data, int dataOffset, int dataCount)
        {
            r.BeginRecord(LEAK).Field("req", request).Field("type", type);
            Optional(r, "sub", subtype);
            r.Field("size", size).FieldAddress("addr", address);
            Optional(r, "line", line);
            r.FieldFileName("file", file);
            if (data != null && dataCount > 0)
            {
                r.FieldBytes("data", data, dataOffset, dataCount);
            }

            r.EndRecord();
        }

        /// <summary>GARB kind: blocks nothing points to (leaks).</summary>
        public const string GarbageLost = "lost";

        /// <summary>GARB kind: blocks reachable only through pointers into them (potential leaks).</summary>
        public const string GarbageMaybe = "maybe";

        /// <summary>GARB kind: reachable blocks (Checker's in-use report).</summary>
        public const string GarbageInUse = "inuse";

        /// <summary>
        /// GARB: one family of Checker's garbage detector (blocks allocated at the same place, of
        /// the same block type and subtype): fam (its number in this report), kind (lost, maybe
        /// or inuse: GarbageLost, GarbageMaybe, GarbageInUse), count (blocks), bytes, addr (the
        /// first block), type and sub (the debug heap's block type, and the client subtype, left
        /// out for other types), line and file of the allocation. A negative type leaves type and
        /// sub out (the row that collects the families beyond Checker's table).
        /// </summary>
        public static void Garbage(Reporter r, int family, string kind, int count, int bytes, int firstAddress,
            int type, int subtype, string file, int line)
        {
            r.BeginRecord(GARB).Field("fam", family).FieldText("kind", kind).Field("count", count).Field("bytes", bytes);
            if (firstAddress >= 0)
            {
                r.FieldAddress("addr", firstAddress);
            }

            Optional(r, "type", type);
            if (type >= 0)
            {
                Optional(r, "sub", subtype);
            }

            Optional(r, "line", line);
            r.FieldFileName("file", file).EndRecord();
        }

        /// <summary>
        /// ERR: an error found by the debug heap or Checker. code (the layer's error number: stable),
        /// name (its short stable token: the debug heap's are words joined by hyphens, e.g.
        /// double-free, write-free, bad-guard-after; Checker's are its three-letter codes, e.g. ruh,
        /// bvh, rfb; PROTOCOL.md tells them apart),
        /// op (the operation: free, realloc, read, write, check), addr (the address involved),
        /// size (bytes accessed or asked for), block and bsize (the block concerned), req and type
        /// (its request number and block type), line/file (the faulty call), aline/afile (where the
        /// block was allocated). Negative ints and null strings are left out.
        /// </summary>
        public static void Error(Reporter r, int code, string name, string operation, int address, int size,
            int block, int blockSize, int request, int type, string file, int line, string allocFile, int allocLine)
        {
            r.BeginRecord(ERR).Field("code", code).FieldText("name", name).FieldText("op", operation);
            if (address >= 0)
            {
                r.FieldAddress("addr", address);
            }

            Optional(r, "size", size);
            if (block >= 0)
            {
                r.FieldAddress("block", block);
            }

            Optional(r, "bsize", blockSize);
            Optional(r, "req", request);
            Optional(r, "type", type);
            Optional(r, "line", line);
            r.FieldFileName("file", file);
            Optional(r, "aline", allocLine);
            r.FieldFileName("afile", allocFile);
            r.EndRecord();
        }

        /// <summary>
        /// CHECK: the result of a check: what (heap, debug, checker, all), ok (1 or 0), problems
        /// (how many were found and reported), first (the first problem, text).
        /// </summary>
        public static void Check(Reporter r, string what, int problems, string first)
        {
            r.BeginRecord(CHECK).FieldText("what", what).Field("ok", problems == 0 ? 1 : 0).Field("problems", problems)
                .FieldText("first", first).EndRecord();
        }

        /// <summary>
        /// NOTE what=cmd-ignored: command bytes that mean nothing: count, first (the first of
        /// them as 0xNN).
        /// </summary>
        public static void IgnoredCommands(Reporter r, int count, int first)
        {
            r.BeginRecord(NOTE).FieldText("what", "cmd-ignored").Field("count", count);
            if (first >= 0)
            {
                r.FieldHex("first", first, 2);
            }

            r.EndRecord();
        }

        /// <summary>NOTE what=... text=...: any other note from the reporter or a trigger.</summary>
        public static void Note(Reporter r, string what, string text)
        {
            r.BeginRecord(NOTE).FieldText("what", what).FieldText("text", text).EndRecord();
        }

        /// <summary>
        /// T: one traced event: e (its number since the tracer started, from 1), op (a malloc,
        /// c calloc, r realloc, f free, m memalign), p (the offset handed out, 0 when there was no
        /// room; free: the offset freed; in decimal, the short way), s (bytes asked: calloc's per
        /// element, realloc's new size; not for free), k (calloc's count), q (realloc's old offset),
        /// al (memalign's alignment), t (the firmware's clock in ms), ty and sub (the debug heap's
        /// block type and subtype), fi (the index of the caller's file in this trace), l (the
        /// caller's line), file (the file's name, with the first event of each fi). Negative
        /// values and a null file leave their fields out.
        /// </summary>
        public static void TraceEvent(Reporter r, int e, int op, int ptr, int aux, int size, long timeMs, int blockUse,
            int fileIndex, string file, int line)
        {
            r.BeginRecord(T).Field("e", e).FieldText("op", op > 0 && op < OpLetters.Length ? OpLetters[op] : "?").Field("p", ptr);
            if (op != TraceHook.OpFree)
            {
                Optional(r, "s", size);
            }

            if (op == TraceHook.OpCalloc)
            {
                r.Field("k", aux);
            }
            else if (op == TraceHook.OpRealloc)
            {
                r.Field("q", aux);
            }
            else if (op == TraceHook.OpMemalign)
            {
                r.Field("al", aux);
            }

            Optional(r, "t", timeMs);
            if (blockUse >= 0)
            {
                r.Field("ty", blockUse & 0xFFFF);
                int sub = (blockUse >> 16) & 0xFFFF;
                if (sub != 0)
                {
                    r.Field("sub", sub);
                }
            }

            if (fileIndex > 0)
            {
                r.Field("fi", fileIndex);
            }

            if (line > 0)
            {
                r.Field("l", line);
            }

            r.FieldFileName("file", file).EndRecord();
        }

        /// <summary>
        /// TRACE: what (start, stop, ring, leaks, status), mode (stream, ring, leaks), layer
        /// (base, debug, checker), policy (seed, compact), heap (HEAP), bs (BLOCKSIZE), on (1 while
        /// tracing, in status), cap (events the ring keeps, live blocks the leaks table keeps),
        /// meta (bytes of the tracer's fixed storage), events (since start), count (T records that
        /// follow in this dump; in status the events kept), lost (ring: events overwritten before
        /// any dump listed them), missed (leaks: allocations the full table could not keep), t.
        /// Negative values and null texts leave their fields out.
        /// </summary>
        public static void Trace(Reporter r, string what, string mode, string layer, string policy, int heap, int blockSize,
            int on, int capacity, int metaBytes, long events, int count, long lost, long missed, long timeMs)
        {
            r.BeginRecord(TRACE).FieldText("what", what).FieldText("mode", mode).FieldText("layer", layer).FieldText("policy", policy);
            Optional(r, "heap", heap);
            Optional(r, "bs", blockSize);
            Optional(r, "on", on);
            Optional(r, "cap", capacity);
            Optional(r, "meta", metaBytes);
            Optional(r, "events", events);
            Optional(r, "count", count);
            Optional(r, "lost", lost);
            Optional(r, "missed", missed);
            Optional(r, "t", timeMs);
            r.EndRecord();
        }

        private static void Optional(Reporter r, string key, long value)
        {
            if (value >= 0)
            {
                r.Field(key, value);
            }
        }
    }
}
