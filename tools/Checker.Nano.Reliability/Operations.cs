// The operations a property run applies, and their CsCheck generator. An operation names its
// block by a slot number taken modulo the live blocks at the time it runs, and its size by a
// class and a raw number turned into bytes at run time against the heap's BLOCKSIZE: so every
// sequence is valid whatever came before, and CsCheck's shrinking (shorter arrays, smaller
// numbers) keeps it valid while it looks for the smallest failing one.
using System;
using CsCheck;

namespace Checker.Nano.Reliability
{
    /// <summary>What an operation does.</summary>
    public enum OpKind : byte
    {
        /// <summary>malloc(size), then the block filled through the layer's accessor.</summary>
        Malloc,

        /// <summary>calloc(count, size): the bytes must be zero, then filled.</summary>
        Calloc,

        /// <summary>realloc(block, size): the kept bytes must survive, the new ones are filled.</summary>
        Realloc,

        /// <summary>free(block).</summary>
        Free,

        /// <summary>Writes a random range of a block through the accessor.</summary>
        Write,

        /// <summary>Reads a whole block through the accessor and compares it with the model.</summary>
        Read,

        /// <summary>memalign(alignment, size) (base heap, when it has memalign).</summary>
        Memalign,

        /// <summary>free(0), realloc(0, size), realloc(block, 0).</summary>
        Null,

        /// <summary>Sizes no allocator can give (negative, near int.MaxValue, calloc overflow): 0 and nothing changed.</summary>
        Hostile,

        /// <summary>A query of the layer (CheckPointer, UsableSize, MStats, walks, dumps, block info...): its answer must agree with the model.</summary>
        Inspect,
    }

    /// <summary>One operation: a kind, a slot, a size class and raw numbers (see the top of this file).</summary>
    public readonly record struct Op(OpKind Kind, int Slot, int SizeClass, int Raw, int Extra)
    {
        /// <summary>"Malloc(class 1, 200)".</summary>
        public override string ToString() => $"{Kind}(slot {Slot}, class {SizeClass}, {Raw}, {Extra})";
    }

    /// <summary>The generators of operations and sequences.</summary>
    public static class OperationGen
    {
        /// <summary>The heap shapes property runs use (small arenas fill up, so running out of memory is common).</summary>
        public static readonly HeapShape[] Shapes =
        {
            new HeapShape(16384, 256),
            new HeapShape(32768, 1024),
            new HeapShape(65536, 4096),
            new HeapShape(8192, 64),
        };

        /// <summary>The Compact policy's shapes: its measured block sizes, 256 and 512, over small and mid arenas.</summary>
        public static readonly HeapShape[] CompactShapes =
        {
            new HeapShape(16384, 256),
            new HeapShape(32768, 512),
            new HeapShape(65536, 512),
            new HeapShape(8192, 256),
        };

        /// <summary>The shapes a property run of <paramref name="kind"/> draws from (as many for every layer and policy).</summary>
        public static HeapShape[] ShapesFor(SubjectKind kind) => kind.IsCompact ? CompactShapes : Shapes;

        /// <summary>One operation, weighted like a busy program: more mallocs and frees than anything else.</summary>
        public static Gen<Op> Op(bool memalign)
        {
            Gen<Op> malloc = Gen.Select(Gen.Int[0, 3], Gen.Int[0, 1 << 16], (c, r) => new Op(OpKind.Malloc, 0, c, r, 0));
            Gen<Op> calloc = Gen.Select(Gen.Int[0, 2], Gen.Int[0, 1 << 12], Gen.Int[1, 8], (c, r, n) => new Op(OpKind.Calloc, 0, c, r, n));
            Gen<Op> realloc = Gen.Select(Gen.Int[0, 1 << 10], Gen.Int[0, 3], Gen.Int[0, 1 << 16], (s, c, r) => new Op(OpKind.Realloc, s, c, r, 0));
            Gen<Op> free = Gen.Int[0, 1 << 10].Select(s => new Op(OpKind.Free, s, 0, 0, 0));
            Gen<Op> write = Gen.Select(Gen.Int[0, 1 << 10], Gen.Int[0, 1 << 16], Gen.Int[0, 1 << 16], (s, a, b) => new Op(OpKind.Write, s, 0, a, b));
            Gen<Op> read = Gen.Int[0, 1 << 10].Select(s => new Op(OpKind.Read, s, 0, 0, 0));
            Gen<Op> aligned = Gen.Select(Gen.Int[0, 2], Gen.Int[0, 1 << 12], Gen.Int[0, 6], (c, r, a) => new Op(OpKind.Memalign, 0, c, r, a));
            Gen<Op> nulls = Gen.Select(Gen.Int[0, 1 << 10], Gen.Int[0, 2], Gen.Int[0, 1 << 12], (s, c, r) => new Op(OpKind.Null, s, c, r, 0));
            Gen<Op> hostile = Gen.Select(Gen.Int[0, 1 << 10], Gen.Int[0, 6], (s, c) => new Op(OpKind.Hostile, s, c, 0, 0));
            Gen<Op> inspect = Gen.Select(Gen.Int[0, 1 << 10], Gen.Int[0, 1 << 16], Gen.Int[0, 31], (s, r, w) => new Op(OpKind.Inspect, s, 0, r, w));
            return Gen.Frequency(
                (30, malloc),
                (5, calloc),
                (14, realloc),
                (26, free),
                (10, write),
                (5, read),
                (memalign ? 4 : 0, aligned),
                (4, nulls),
                (2, hostile),
                (4, inspect));
        }

        /// <summary>A shape, a layer variant (Subject.Configure) and a sequence of 1..<paramref name="maxLength"/> operations.</summary>
        public static Gen<(int Shape, int Variant, Op[] Ops)> Sequence(int maxLength, bool memalign)
        {
            return Gen.Select(Gen.Int[0, Shapes.Length - 1], Gen.Int[0, 3], Op(memalign).Array[1, maxLength]);
        }

        /// <summary>
        /// Bytes for a size class: 0 tiny (0..16), 1 small fragments (up to BLOCKSIZE/2), 2 the
        /// edges (fragment sizes, BLOCKSIZE/2 and BLOCKSIZE around the layer's overhead), 3 large (up to 4 blocks).
        /// </summary>
        public static int SizeOf(int sizeClass, int raw, int blockSize, int overhead)
        {
            switch (sizeClass)
            {
                case 0:
                    return raw % 17;
                case 1:
                    return raw % ((blockSize / 2) + 1);
                case 2:
                    int[] edges =
                    {
                        0, 1, 7, 8, 9, 15, 16, 17, 31, 32, 33,
                        (blockSize / 2) - overhead - 1, (blockSize / 2) - overhead, (blockSize / 2) - overhead + 1,
                        (blockSize / 2) - 1, blockSize / 2, (blockSize / 2) + 1,
                        blockSize - overhead - 1, blockSize - overhead, blockSize - overhead + 1,
                        blockSize - 1, blockSize, blockSize + 1, (2 * blockSize) - overhead, (2 * blockSize) + 1,
                    };
                    return Math.Max(0, edges[raw % edges.Length]);
                default:
                    return raw % ((4 * blockSize) + 1);
            }
        }
    }
}
