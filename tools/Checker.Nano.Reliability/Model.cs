// The model of a program's heap: the live blocks it holds and the bytes it wrote into each. The
// runner (ModelRunner.cs) applies operations to a Subject and to the model side by side and
// checks, after every operation: Validate(); no report other than running out of memory; every
// live block's bytes as the model says (so a block overlapping another, a realloc that lost
// data, a metadata write into a block, all show at the operation that did it); the layer's count
// of live blocks. At the end of a sequence every block is freed and the heap must be empty.
using System;
using System.Collections.Generic;

namespace Checker.Nano.Reliability
{
    /// <summary>A block the model holds: where it is, how big, and what it must contain.</summary>
    public sealed class LiveBlock
    {
        /// <summary>The user pointer.</summary>
        public int Ptr;

        /// <summary>Requested bytes.</summary>
        public int Size;

        /// <summary>The bytes the block must hold (Size of them).</summary>
        public byte[] Data;

        /// <summary>The alignment asked of memalign (0 for other blocks).</summary>
        public int Alignment;

        /// <summary>"0x00001234 (40 bytes)".</summary>
        public override string ToString() => $"{Bytes.Hex8(Ptr)} ({Size} bytes)";
    }

    /// <summary>Thrown when the library breaks a property; says which operation and what.</summary>
    public sealed class PropertyViolation : Exception
    {
        /// <summary>A violation described by <paramref name="message"/>.</summary>
        public PropertyViolation(string message, Exception inner = null)
            : base(message, inner)
        {
        }
    }

    /// <summary>The live blocks and their contents.</summary>
    public sealed class HeapModel
    {
        private readonly List<LiveBlock> _live = new List<LiveBlock>();
        private uint _rng;

        /// <summary>A model whose fill bytes come from <paramref name="seed"/>.</summary>
        public HeapModel(int seed)
        {
            _rng = (uint)seed | 1;
        }

        /// <summary>The live blocks, oldest first.</summary>
        public List<LiveBlock> Live => _live;

        /// <summary>Requested bytes live.</summary>
        public long LiveBytes
        {
            get
            {
                long n = 0;
                foreach (LiveBlock b in _live)
                {
                    n += b.Size;
                }

                return n;
            }
        }

        /// <summary>Fresh pseudo-random bytes (xorshift32), never all one value.</summary>
        public void FillRandom(Span<byte> bytes)
        {
            uint x = _rng;
            for (int i = 0; i < bytes.Length; i++)
            {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                bytes[i] = (byte)x;
            }

            _rng = x;
        }

        /// <summary>The block whose pointer is <paramref name="ptr"/>, or null.</summary>
        public LiveBlock Find(int ptr)
        {
            foreach (LiveBlock b in _live)
            {
                if (b.Ptr == ptr)
                {
                    return b;
                }
            }

            return null;
        }

        /// <summary>The live block whose extended range [Ptr - before, Ptr + Size + after) meets [from, to), or null.</summary>
        public LiveBlock Overlapping(int from, int to, int before, int after, LiveBlock except)
        {
            foreach (LiveBlock b in _live)
            {
                if (b == except)
                {
                    continue;
                }

                int lo = b.Ptr - before;
                int hi = b.Ptr + b.Size + after;
                if (from < hi && lo < to)
                {
                    return b;
                }
            }

            return null;
        }

        /// <summary>The first live block whose bytes in <paramref name="memory"/> differ from the model, or null.</summary>
        public LiveBlock FirstDamaged(byte[] memory, out int at)
        {
            foreach (LiveBlock b in _live)
            {
                ReadOnlySpan<byte> actual = memory.AsSpan(b.Ptr, b.Size);
                if (!actual.SequenceEqual(b.Data))
                {
                    at = b.Ptr + actual.CommonPrefixLength(b.Data);
                    return b;
                }
            }

            at = 0;
            return null;
        }
    }
}
