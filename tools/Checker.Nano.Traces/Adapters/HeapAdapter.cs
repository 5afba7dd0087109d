// The Checker.Nano base heap as a replay target: one Heap over a fresh arena of ArenaBytes, its
// offsets kept per trace id in an int[]. With VerifyContents on, every block is filled with a
// byte derived from its id and checked before free and realloc (and the copied prefix after a
// realloc): two blocks that overlap, or a realloc that loses data, show up at the line that hurts.
using System;

namespace Checker.Nano.Traces
{
    /// <summary>Replays a trace on the base heap (<see cref="Heap"/>, or <see cref="CompactHeap"/> by policy).</summary>
    public sealed class HeapAdapter : IAllocatorAdapter
    {
        private readonly BaseHeap _heap;
        private readonly byte[] _m;
        private int[] _offsets = Array.Empty<int>();

        /// <summary>A base heap with <paramref name="blockSize"/>-byte blocks over a new arena of <paramref name="arenaBytes"/> bytes.</summary>
        public HeapAdapter(int arenaBytes, int blockSize, bool threadSafe = true)
        {
            _heap = new Heap(new byte[arenaBytes], blockSize) { ThreadSafe = threadSafe };
            _m = _heap.Memory;
            Name = threadSafe ? "base heap" : "base heap (no lock)";
        }

        /// <summary>A base heap with the given <paramref name="policy"/> (<see cref="HeapPolicy.Compact"/> is opt-in).</summary>
        public HeapAdapter(int arenaBytes, int blockSize, HeapPolicy policy, bool threadSafe = true)
        {
            _heap = HeapPolicies.Make(policy, new Arena(new byte[arenaBytes]), blockSize);
            _heap.ThreadSafe = threadSafe;
            _m = _heap.Memory;
            string name = policy == HeapPolicy.Compact ? "base heap, compact" : "base heap";
            Name = threadSafe ? name : name + " (no lock)";
        }

        /// <inheritdoc/>
        public string Name { get; }

        /// <inheritdoc/>
        public bool Touch { get; set; } = true;

        /// <summary>Fill blocks with a per-id byte and check it before free and realloc (tests).</summary>
        public bool VerifyContents { get; set; }

        /// <summary>The heap being driven (either policy).</summary>
        public BaseHeap Heap => _heap;

        /// <summary>The offset trace id <paramref name="id"/> holds now (0 when none).</summary>
        public int OffsetOf(int id) => _offsets[id];

        /// <inheritdoc/>
        public long ArenaBytesInUse => _heap.Arena.Break - _heap.Arena.Start;

        /// <inheritdoc/>
        public void Begin(int maxId)
        {
            _heap.Reset();
            if (_offsets.Length < maxId + 1)
            {
                _offsets = new int[maxId + 1];
            }
            else
            {
                Array.Clear(_offsets);
            }
        }

        /// <inheritdoc/>
        public bool Malloc(int id, int size)
        {
            int p = _heap.Malloc(size);
            if (p == 0 && size > 0)
            {
                return false;
            }

            _offsets[id] = p;
            if (Touch | VerifyContents)
            {
                _m.AsSpan(p, size).Fill(Pattern(id));
            }

            return true;
        }

        /// <inheritdoc/>
        public bool Calloc(int id, int count, int size)
        {
            int p = _heap.Calloc(count, size);
            int total = count * size;
            if (p == 0 && total > 0)
            {
                return false;
            }

            _offsets[id] = p;
            if (VerifyContents && _m.AsSpan(p, total).ContainsAnyExcept((byte)0))
            {
                throw new InvalidOperationException($"calloc({count}, {size}) for id {id} at {p} returned bytes that are not zero");
            }

            if (Touch | VerifyContents)
            {
                _m.AsSpan(p, total).Fill(Pattern(id));
            }

            return true;
        }

        /// <inheritdoc/>
        public bool Realloc(int id, int oldSize, int newSize)
        {
            int p = _offsets[id];
            if (VerifyContents)
            {
                Check(id, p, oldSize, "realloc");
            }

            int r = _heap.Realloc(p, newSize);
            if (r == 0 && newSize > 0)
            {
                if (VerifyContents)
                {
                    Check(id, p, oldSize, "failed realloc");
                }

                return false;
            }

            _offsets[id] = r;
            if (VerifyContents)
            {
                Check(id, r, Math.Min(oldSize, newSize), "realloc's copy");
            }

            if ((Touch | VerifyContents) && newSize > oldSize)
            {
                _m.AsSpan(r + oldSize, newSize - oldSize).Fill(Pattern(id));
            }

            return true;
        }

        /// <inheritdoc/>
        public void Free(int id, int size)
        {
            int p = _offsets[id];
            if (VerifyContents)
            {
                Check(id, p, size, "free");
            }

            _heap.Free(p);
            _offsets[id] = 0;
        }

        /// <inheritdoc/>
        public string Validate() => _heap.Validate();

        /// <inheritdoc/>
        public void Dispose()
        {
        }

        /// <summary>The byte trace id <paramref name="id"/>'s block is filled with.</summary>
        public static byte Pattern(int id) => (byte)((id * 0x9D) + 0x5B);

        private void Check(int id, int p, int size, string when)
        {
            if (size > 0 && _m.AsSpan(p, size).ContainsAnyExcept(Pattern(id)))
            {
                int at = _m.AsSpan(p, size).IndexOfAnyExcept(Pattern(id));
                throw new InvalidOperationException(
                    $"{when}: block of id {id} at {p} ({size} bytes) was overwritten at byte {at}");
            }
        }
    }
}
