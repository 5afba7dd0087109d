// The arena: the firmware's static byte[] that stands in for the process's data segment,
// and the break over it that stands in for Unix sbrk(2). Gingold's malloc grows the heap
// with sbrk; a microcontroller has no sbrk, so the heap asks this class instead.
//
// Invariants:
//   0 < Start <= Break <= Limit <= Memory.Length, Start a multiple of 8.
//   Offset 0 is never handed out: 0 means null everywhere in Checker.Nano.
//   Limit can be lowered and raised again by a layer that keeps something at the top of
//   the arena (Checker's stack zone); the break never crosses it.
namespace Checker.Nano
{
    /// <summary>The arena and its break (sbrk over a byte[]).</summary>
    public sealed class Arena
    {
        /// <summary>What <see cref="Sbrk"/> returns when it cannot move the break ((void *) -1 in C).</summary>
        public const int SbrkFailed = -1;

        /// <summary>Bytes kept free at the bottom of a default arena so that offset 0 is never a block.</summary>
        public const int DefaultStart = 8;

        private readonly byte[] _memory;
        private readonly int _start;
        private int _break;
        private int _limit;

        /// <summary>An arena over <paramref name="memory"/> whose break starts at offset 8.</summary>
        public Arena(byte[] memory) : this(memory, DefaultStart)
        {
        }

        /// <summary>
        /// An arena whose break starts at <paramref name="start"/>, rounded up to a multiple of 8
        /// (the bytes below it are the firmware's own, e.g. Checker's data zone).
        /// </summary>
        public Arena(byte[] memory, int start)
        {
            if (memory == null)
            {
                throw new System.ArgumentNullException("memory");
            }

            if (start < 1 || start > memory.Length)
            {
                throw new System.ArgumentOutOfRangeException("start", "start must be between 1 and the arena's length");
            }

            _memory = memory;
            _start = (start + 7) & ~7;
            if (_start > memory.Length)
            {
                _start = memory.Length;
            }

            _break = _start;
            _limit = memory.Length;
        }

        /// <summary>The arena's bytes. A block's data is (Memory, offset, length).</summary>
        public byte[] Memory
        {
            get { return _memory; }
        }

        /// <summary>Size of the arena in bytes (the board's HEAP).</summary>
        public int Size
        {
            get { return _memory.Length; }
        }

        /// <summary>The lowest offset the break can take.</summary>
        public int Start
        {
            get { return _start; }
        }

        /// <summary>The current break: one past the last byte handed out.</summary>
        public int Break
        {
            get { return _break; }
        }

        /// <summary>The highest offset the break may reach.</summary>
        public int Limit
        {
            get { return _limit; }
        }

        /// <summary>
        /// Moves the break by <paramref name="increment"/> bytes (negative gives memory back) and
        /// returns the old break, or <see cref="SbrkFailed"/> with nothing changed when the break
        /// would leave [Start, Limit]. Sbrk(0) returns the break.
        /// </summary>
        public int Sbrk(int increment)
        {
            int old = _break;
            if (increment >= 0)
            {
                if (increment > _limit - old)
                {
                    return SbrkFailed;
                }
            }
            else if (-increment > old - _start)
            {
                return SbrkFailed;
            }

            _break = old + increment;
            return old;
        }

        /// <summary>
        /// Moves the limit (the top of what the break may reach). Fails, returning false, if the
        /// new limit is below the break or outside the arena.
        /// </summary>
        public bool SetLimit(int limit)
        {
            if (limit < _break || limit > _memory.Length)
            {
                return false;
            }

            _limit = limit;
            return true;
        }

        /// <summary>Puts the break back at <see cref="Start"/> and the limit at the top (for tests and restarts).</summary>
        public void Reset()
        {
            _break = _start;
            _limit = _memory.Length;
        }
    }
}
