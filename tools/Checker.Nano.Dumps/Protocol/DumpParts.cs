// Typed views of the records a dump is made of (PROTOCOL.md, "Record types"). Each is built from
// one CnRecord by a From method that returns null when a field the view needs is missing or bad
// (the caller counts that as a BadField skip); optional fields stay null.
using System;
using System.Collections.Generic;

namespace Checker.Nano.Dumps
{
    /// <summary>HELLO: who is talking.</summary>
    public sealed class Hello
    {
        public int Line { get; init; }
        public int? Rev { get; init; }
        public string Board { get; init; }
        public string App { get; init; }
        public int? Heap { get; init; }
        public int? BlockSize { get; init; }
        public int? LineCapacity { get; init; }

        public static Hello From(CnRecord r) => new Hello
        {
            Line = r.Line, Rev = r.Int32("rev"), Board = r.Text("board"), App = r.Text("app"),
            Heap = r.Int32("heap"), BlockSize = r.Int32("bs"), LineCapacity = r.Int32("lcap"),
        };
    }

    /// <summary>STAT: the base heap's mstats.</summary>
    public sealed class HeapStat
    {
        public int BytesTotal { get; init; }
        public int ChunksUsed { get; init; }
        public int BytesUsed { get; init; }
        public int ChunksFree { get; init; }
        public int BytesFree { get; init; }
        public int LargestFree { get; init; }
        public int Arena { get; init; }
        public int ArenaAvail { get; init; }
        public int Meta { get; init; }
        public int BlockSize { get; init; }

        public static HeapStat From(CnRecord r)
        {
            int? total = r.Int32("bytes_total"), cu = r.Int32("chunks_used"), bu = r.Int32("bytes_used"),
                cf = r.Int32("chunks_free"), bf = r.Int32("bytes_free"), bs = r.Int32("bs");
            if (total == null || bu == null || bf == null || bs == null || bs <= 0)
            {
                return null;
            }

            return new HeapStat
            {
                BytesTotal = total.Value, ChunksUsed = cu ?? 0, BytesUsed = bu.Value, ChunksFree = cf ?? 0, BytesFree = bf.Value,
                LargestFree = r.Int32("largest_free") ?? 0, Arena = r.Int32("arena") ?? 0, ArenaAvail = r.Int32("arena_avail") ?? 0,
                Meta = r.Int32("meta") ?? 0, BlockSize = bs.Value,
            };
        }
    }

    /// <summary>FRGS: blocks split into fragments of one size.</summary>
    public sealed class FragmentSize
    {
        public int Size { get; init; }
        public int Blocks { get; init; }
        public int Used { get; init; }
        public int Free { get; init; }

        public static FragmentSize From(CnRecord r)
        {
            int? size = r.Int32("size"), blocks = r.Int32("blocks"), used = r.Int32("used"), free = r.Int32("free");
            return size == null || blocks == null || used == null || free == null ? null
                : new FragmentSize { Size = size.Value, Blocks = blocks.Value, Used = used.Value, Free = free.Value };
        }
    }

    /// <summary>OBJS + HOLES + FRAG: objects, free clusters and the fragmentation figure.</summary>
    public sealed class FragFigure
    {
        public int FreeBytes { get; init; }
        public int LargestBytes { get; init; }
        public int PerMille { get; init; }

        public static FragFigure From(CnRecord r)
        {
            int? free = r.Int32("free"), largest = r.Int32("largest"), pm = r.Int32("pm");
            return free == null || largest == null || pm == null ? null
                : new FragFigure { FreeBytes = free.Value, LargestBytes = largest.Value, PerMille = pm.Value };
        }
    }

    /// <summary>HOLES: free clusters.</summary>
    public sealed class Holes
    {
        public int Count { get; init; }
        public int Blocks { get; init; }
        public int Largest { get; init; }
        public int Top { get; init; }

        public static Holes From(CnRecord r)
        {
            int? count = r.Int32("count"), blocks = r.Int32("blocks");
            return count == null || blocks == null ? null
                : new Holes { Count = count.Value, Blocks = blocks.Value, Largest = r.Int32("largest") ?? 0, Top = r.Int32("top") ?? 0 };
        }
    }

    /// <summary>OBJS: busy whole-block objects.</summary>
    public sealed class Objects
    {
        public int Count { get; init; }
        public int Blocks { get; init; }
        public int Bytes { get; init; }

        public static Objects From(CnRecord r)
        {
            int? count = r.Int32("count"), blocks = r.Int32("blocks"), bytes = r.Int32("bytes");
            return count == null || blocks == null ? null : new Objects { Count = count.Value, Blocks = blocks.Value, Bytes = bytes ?? 0 };
        }
    }

    /// <summary>TYPE: the debug heap's blocks of one type.</summary>
    public sealed class TypeCount
    {
        public int Type { get; init; }
        public string Name { get; init; }
        public int? Sub { get; init; }
        public int Count { get; init; }
        public long Bytes { get; init; }

        public static TypeCount From(CnRecord r)
        {
            int? type = r.Int32("type"), count = r.Int32("count");
            long? bytes = r.Int("bytes");
            return type == null || count == null || bytes == null ? null
                : new TypeCount { Type = type.Value, Name = r.Text("name") ?? BlockTypes.Name(type.Value), Sub = r.Int32("sub"), Count = count.Value, Bytes = bytes.Value };
        }
    }

    /// <summary>PEAK: high-water mark and totals.</summary>
    public sealed class Peak
    {
        public long Max { get; init; }
        public long Total { get; init; }
        public long? Allocs { get; init; }

        public static Peak From(CnRecord r)
        {
            long? max = r.Int("max"), total = r.Int("total");
            return max == null ? null : new Peak { Max = max.Value, Total = total ?? 0, Allocs = r.Int("allocs") };
        }
    }

    /// <summary>LEAK: one block still allocated.</summary>
    public sealed class Leak
    {
        public int Line { get; init; }
        public int Request { get; init; }
        public int Type { get; init; }
        public int? Sub { get; init; }
        public int Size { get; init; }
        public int? Address { get; init; }
        public string File { get; init; }
        public int? SourceLine { get; init; }
        public byte[] Data { get; init; }

        /// <summary>"file:line", or "(unknown site)".</summary>
        public string Site => File == null ? "(unknown site)" : SourceLine.HasValue ? $"{File}:{SourceLine}" : File;

        public static Leak From(CnRecord r)
        {
            int? req = r.Int32("req"), type = r.Int32("type"), size = r.Int32("size");
            return req == null || type == null || size == null || size < 0 ? null : new Leak
            {
                Line = r.Line, Request = req.Value, Type = type.Value, Sub = r.Int32("sub"), Size = size.Value,
                Address = r.Int32("addr"), File = r.Text("file"), SourceLine = r.Int32("line"), Data = r.Bytes("data"),
            };
        }
    }

    /// <summary>GARB: one family of Checker's garbage detector (rev 1: lost, maybe or in use).</summary>
    public sealed class GarbageFamily
    {
        /// <summary>kind=lost: nothing points to the blocks (a leak); also a rev 0 GARB, which has no kind.</summary>
        public const string Lost = "lost";

        /// <summary>kind=maybe: only pointers into the blocks (a potential leak).</summary>
        public const string Maybe = "maybe";

        /// <summary>kind=inuse: reachable blocks (Checker's in-use report).</summary>
        public const string InUse = "inuse";

        public int Line { get; init; }
        public int Family { get; init; }

        /// <summary>lost, maybe, inuse (or a kind of a newer revision).</summary>
        public string Kind { get; init; } = Lost;
        public int Count { get; init; }
        public long Bytes { get; init; }
        public int? Address { get; init; }

        /// <summary>The debug heap's block type, when known (rev 1).</summary>
        public int? Type { get; init; }

        /// <summary>The client (or CRT) subtype, when any (rev 1).</summary>
        public int? Sub { get; init; }
        public string File { get; init; }
        public int? SourceLine { get; init; }

        /// <summary>Whether the family is garbage for sure (kind=lost, or no kind).</summary>
        public bool IsLost => Kind == Lost;

        public string Site => File == null ? "(unknown site)" : SourceLine.HasValue ? $"{File}:{SourceLine}" : File;

        public static GarbageFamily From(CnRecord r)
        {
            int? fam = r.Int32("fam"), count = r.Int32("count");
            long? bytes = r.Int("bytes");
            return fam == null || count == null || bytes == null ? null : new GarbageFamily
            {
                Line = r.Line, Family = fam.Value, Kind = r.Text("kind") ?? Lost, Count = count.Value, Bytes = bytes.Value,
                Address = r.Int32("addr"), Type = r.Int32("type"), Sub = r.Int32("sub"), File = r.Text("file"), SourceLine = r.Int32("line"),
            };
        }
    }

    /// <summary>RTMEM: one runtime memory figure.</summary>
    public sealed class RuntimeRecord
    {
        public string Kind { get; init; }
        public long? Total { get; init; }
        public long? Free { get; init; }
        public long? Largest { get; init; }

        public static RuntimeRecord From(CnRecord r)
        {
            string kind = r.Text("kind");
            return kind == null ? null : new RuntimeRecord { Kind = kind, Total = r.Int("total"), Free = r.Int("free"), Largest = r.Int("largest") };
        }
    }

    /// <summary>ERR: an error found by the debug heap or Checker.</summary>
    public sealed class HeapErrorReport
    {
        public int Line { get; init; }
        public int? Dump { get; init; }
        public int? Code { get; init; }
        public string Name { get; init; }
        public string Op { get; init; }
        public int? Address { get; init; }
        public int? Size { get; init; }
        public int? Request { get; init; }
        public string File { get; init; }
        public int? SourceLine { get; init; }
        public string AllocFile { get; init; }
        public int? AllocLine { get; init; }

        /// <summary>One line for people: "double-free in free at 0x00000024 (sensor.cs:42), allocated at ...".</summary>
        public override string ToString()
        {
            string s = (Name ?? $"error {Code}") + (Op != null ? " in " + Op : "");
            if (Address.HasValue)
            {
                s += $" at 0x{Address.Value:X8}";
            }

            if (Size.HasValue)
            {
                s += $", {Size} bytes";
            }

            if (File != null)
            {
                s += $" ({File}{(SourceLine.HasValue ? ":" + SourceLine : "")})";
            }

            if (AllocFile != null)
            {
                s += $", allocated at {AllocFile}{(AllocLine.HasValue ? ":" + AllocLine : "")}";
            }

            if (Request.HasValue)
            {
                s += $" {{{Request}}}";
            }

            return s;
        }

        public static HeapErrorReport From(CnRecord r) => new HeapErrorReport
        {
            Line = r.Line, Dump = r.D, Code = r.Int32("code"), Name = r.Text("name"), Op = r.Text("op"), Address = r.Int32("addr"),
            Size = r.Int32("size"), Request = r.Int32("req"), File = r.Text("file"), SourceLine = r.Int32("line"),
            AllocFile = r.Text("afile"), AllocLine = r.Int32("aline"),
        };
    }

    /// <summary>CHECK: the result of a check.</summary>
    public sealed class CheckResult
    {
        public int Line { get; init; }
        public string What { get; init; }
        public bool Ok { get; init; }
        public int Problems { get; init; }
        public string First { get; init; }

        public static CheckResult From(CnRecord r)
        {
            int? ok = r.Int32("ok");
            return ok == null ? null : new CheckResult { Line = r.Line, What = r.Text("what"), Ok = ok == 1, Problems = r.Int32("problems") ?? (ok == 1 ? 0 : 1), First = r.Text("first") };
        }
    }

    /// <summary>The debug heap's block types (CRT _FREE_BLOCK ... _CLIENT_BLOCK).</summary>
    public static class BlockTypes
    {
        public const int Free = 0, Normal = 1, Crt = 2, Ignore = 3, Client = 4;

        private static readonly string[] Names = { "Free", "Normal", "CRT", "Ignore", "Client" };

        /// <summary>The CRT's name of a block type, or "type N".</summary>
        public static string Name(int type) => type >= 0 && type < Names.Length ? Names[type] : type < 0 ? "-" : "type " + type;

        /// <summary>"Normal", "Client/1".</summary>
        public static string Name(int type, int? sub) => sub.HasValue ? Name(type) + "/" + sub.Value : Name(type);
    }

    /// <summary>
    /// One entry of a MAP record's runs (PROTOCOL.md, rev 2 and 3), or one row of a heap's walk: the
    /// block it starts in (<paramref name="FirstBlock"/>, from 1 at the heap base), the blocks it
    /// touches (<paramref name="Blocks"/>), what it is, and for a run of slots their size and how
    /// many are free. An entry that starts and ends on block boundaries (every entry of the seed's
    /// policy: U, H, F, X) has <see cref="Offset"/> and <see cref="Bytes"/> 0: it is its whole
    /// blocks. One that does not (the Compact policy's large objects and gaps at 16-byte granules:
    /// u, h, x) says where it starts in its first block and how long it is, in bytes; its first and
    /// last blocks may hold other entries too.
    /// </summary>
    public readonly record struct MapRun(int FirstBlock, int Blocks, MapRunKind Kind, int FragmentSize, int FreeFragments)
    {
        /// <summary>Bytes into <see cref="FirstBlock"/> where the entry starts (0 for a whole-block entry).</summary>
        public int Offset { get; init; }

        /// <summary>The entry's length in bytes when it does not start and end on block boundaries; 0 for a whole-block entry (Blocks blocks).</summary>
        public int Bytes { get; init; }

        /// <summary>Whether the entry is its whole blocks (Offset and Bytes 0).</summary>
        public bool Whole => Bytes == 0;

        /// <summary>An entry of <paramref name="bytes"/> bytes at <paramref name="start"/> bytes from the heap base, in the canonical form (whole blocks when it starts and ends on block boundaries).</summary>
        public static MapRun At(long start, long bytes, int blockSize, MapRunKind kind, int fragmentSize = 0, int freeFragments = 0)
        {
            int first = (int)(start / blockSize) + 1;
            int offset = (int)(start % blockSize);
            if (offset == 0 && bytes > 0 && bytes % blockSize == 0)
            {
                return new MapRun(first, (int)(bytes / blockSize), kind, fragmentSize, freeFragments);
            }

            int last = (int)((start + Math.Max(bytes, 1) - 1) / blockSize) + 1;
            return new MapRun(first, last - first + 1, kind, fragmentSize, freeFragments) { Offset = offset, Bytes = (int)bytes };
        }

        /// <summary>Bytes from the heap base to the entry's start.</summary>
        public long StartIn(int blockSize) => ((long)(FirstBlock - 1) * blockSize) + Offset;

        /// <summary>The entry's length in bytes.</summary>
        public long LengthIn(int blockSize) => Whole ? (long)Blocks * blockSize : Bytes;

        /// <summary>Bytes from the heap base to the entry's end.</summary>
        public long EndIn(int blockSize) => StartIn(blockSize) + LengthIn(blockSize);
    }

    /// <summary>What a table entry is.</summary>
    public enum MapRunKind
    {
        /// <summary>A busy object: whole blocks (U), or any bytes (u, Compact).</summary>
        Object,

        /// <summary>A block split into fragments (F), or a run of blocks cut into slots (F with /k, Compact).</summary>
        Fragments,

        /// <summary>A free cluster of blocks (H), or a free gap of any bytes (h, Compact).</summary>
        Free,

        /// <summary>A table entry that should start something and does not: one block (X), or any bytes (x).</summary>
        Anomaly,
    }

    /// <summary>The MAP records of a dump, joined.</summary>
    public sealed class MapRecords
    {
        /// <summary>Offset of block 1.</summary>
        public int HeapBase { get; set; }

        /// <summary>The runs in address order.</summary>
        public List<MapRun> Runs { get; } = new List<MapRun>();

        /// <summary>Blocks described by no MAP record, in part or whole (a record lost between two others), 0 when the table is whole.</summary>
        public int MissingBlocks { get; set; }
    }
}
