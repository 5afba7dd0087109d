// Replays a trace's events on a Subject, keeping each id's pointer and size and filling every
// block with a byte derived from its id, checked before free and realloc (and everywhere on
// demand): two blocks that overlap, a realloc that lost data or a failed call that touched a
// block show up at the event that did it. A failed allocation leaves the id without a block, as
// a program that checks malloc's result would: a later realloc of it is a malloc, a free a free(0).
using System;
using Checker.Nano.Traces;

namespace Checker.Nano.Reliability
{
    /// <summary>Drives a subject through trace events with content checks.</summary>
    public sealed class TraceDriver
    {
        private readonly Subject _s;
        private int[] _ptr;
        private int[] _size;

        /// <summary>A driver for ids 1..<paramref name="maxId"/> on <paramref name="subject"/>.</summary>
        public TraceDriver(Subject subject, int maxId)
        {
            _s = subject;
            _ptr = new int[maxId + 1];
            _size = new int[maxId + 1];
        }

        /// <summary>The subject.</summary>
        public Subject Subject => _s;

        /// <summary>Library calls made.</summary>
        public long Calls { get; set; }

        /// <summary>Ids that hold a block (or a 0-byte allocation) now.</summary>
        public int Live { get; private set; }

        /// <summary>The byte block <paramref name="id"/> is filled with.</summary>
        public static byte Pattern(int id) => (byte)((id * 0x9D) + 0x5B);

        /// <summary>Forgets every id (after the subject was emptied another way).</summary>
        public void Forget(int maxId)
        {
            _ptr = new int[maxId + 1];
            _size = new int[maxId + 1];
            Live = 0;
        }

        /// <summary>Applies <paramref name="e"/>; false when the allocation failed (the id then keeps what it had).</summary>
        public bool Step(in TraceEvent e)
        {
            Calls++;
            int id = e.Id;
            switch (e.Op)
            {
                case TraceOp.Malloc:
                case TraceOp.Calloc:
                {
                    int p = e.Op == TraceOp.Malloc ? _s.Malloc(e.Size) : _s.Calloc(e.Count, e.ElementSize);
                    if (p == 0 && (e.Size > 0 || !_s.IsBaseHeap))
                    {
                        return false;
                    }

                    if (e.Op == TraceOp.Calloc && _s.Memory.AsSpan(p, e.Size).ContainsAnyExcept((byte)0))
                    {
                        throw new PropertyViolation($"line {e.Line}: calloc returned {Bytes.Hex8(p)} with bytes that are not zero");
                    }

                    _ptr[id] = p;
                    _size[id] = e.Size;
                    if (p != 0)
                    {
                        Live++;
                    }

                    if (e.Size > 0)
                    {
                        _s.Fill(p, 0, e.Size, Pattern(id));
                    }

                    return true;
                }

                case TraceOp.Realloc:
                {
                    int old = _ptr[id];
                    int oldSize = _size[id];
                    Verify(id, "realloc");
                    int q = _s.Realloc(old, e.Size);
                    if (q == 0)
                    {
                        Verify(id, "failed realloc");
                        return false;
                    }

                    if (old == 0)
                    {
                        Live++;
                        oldSize = 0;
                    }

                    _ptr[id] = q;
                    _size[id] = e.Size;
                    if (!_s.Memory.AsSpan(q, Math.Min(oldSize, e.Size)).TrimStart(Pattern(id)).IsEmpty)
                    {
                        throw new PropertyViolation($"line {e.Line}: realloc of id {id} to {Bytes.Hex8(q)} lost data");
                    }

                    if (e.Size > oldSize)
                    {
                        _s.Fill(q, oldSize, e.Size - oldSize, Pattern(id));
                    }

                    return true;
                }

                default:
                    Verify(id, "free");
                    if (_ptr[id] != 0)
                    {
                        Live--;
                    }

                    _s.Free(_ptr[id]);
                    _ptr[id] = 0;
                    _size[id] = 0;
                    return true;
            }
        }

        /// <summary>The data of the first id that holds a block of at least one byte (0 when none), and its size.</summary>
        public int FirstLive(out int size)
        {
            for (int id = 1; id < _ptr.Length; id++)
            {
                if (_ptr[id] != 0 && _size[id] > 0)
                {
                    size = _size[id];
                    return _ptr[id];
                }
            }

            size = 0;
            return 0;
        }

        /// <summary>Writes every live block's pattern again, straight into the arena (after damage was found and counted).</summary>
        public void Refill()
        {
            for (int id = 1; id < _ptr.Length; id++)
            {
                if (_ptr[id] != 0 && _size[id] > 0 && _ptr[id] + _size[id] <= _s.Memory.Length)
                {
                    _s.Memory.AsSpan(_ptr[id], _size[id]).Fill(Pattern(id));
                }
            }
        }

        /// <summary>Checks block <paramref name="id"/> still holds its pattern.</summary>
        public void Verify(int id, string when)
        {
            int p = _ptr[id], n = _size[id];
            if (n > 0 && !_s.Memory.AsSpan(p, n).TrimStart(Pattern(id)).IsEmpty)
            {
                int at = _s.Memory.AsSpan(p, n).IndexOfAnyExcept(Pattern(id));
                throw new PropertyViolation($"{when}: block of id {id} at {Bytes.Hex8(p)} ({n} bytes) was overwritten at byte {at}");
            }
        }

        /// <summary>Checks every live block.</summary>
        public void VerifyAll(string when)
        {
            for (int id = 1; id < _ptr.Length; id++)
            {
                Verify(id, when);
            }
        }

        /// <summary>Frees every block still held (the end of a program).</summary>
        public void FreeAll()
        {
            for (int id = 1; id < _ptr.Length; id++)
            {
                if (_ptr[id] != 0)
                {
                    Verify(id, "free at the end");
                    _s.Free(_ptr[id]);
                    Calls++;
                    _ptr[id] = 0;
                    _size[id] = 0;
                }
            }

            Live = 0;
        }
    }
}
