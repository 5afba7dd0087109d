// Operations drawn from System.Random with the same mix as the CsCheck generator, for the
// campaigns that need a workload but no shrinking (bit flips, thread stress, out of memory).
using System;

namespace Checker.Nano.Reliability
{
    /// <summary>A seeded source of operations.</summary>
    public sealed class RandomOps
    {
        private readonly Random _rng;
        private readonly bool _memalign;
        private readonly bool _hostile;

        /// <summary>Operations from <paramref name="seed"/>; memalign and hostile sizes only when asked.</summary>
        public RandomOps(int seed, bool memalign = false, bool hostile = false)
        {
            _rng = new Random(seed);
            _memalign = memalign;
            _hostile = hostile;
        }

        /// <summary>The generator (for the campaigns' own choices).</summary>
        public Random Random => _rng;

        /// <summary>The next operation.</summary>
        public Op Next()
        {
            int r = _rng.Next(100);
            int slot = _rng.Next(1 << 10);
            int sizeClass = _rng.Next(4);
            int raw = _rng.Next(1 << 16);
            if (r < 30)
            {
                return new Op(OpKind.Malloc, slot, sizeClass, raw, 0);
            }

            if (r < 35)
            {
                return new Op(OpKind.Calloc, slot, Math.Min(sizeClass, 2), raw & 0xFFF, 1 + _rng.Next(8));
            }

            if (r < 49)
            {
                return new Op(OpKind.Realloc, slot, sizeClass, raw, 0);
            }

            if (r < 75)
            {
                return new Op(OpKind.Free, slot, 0, 0, 0);
            }

            if (r < 85)
            {
                return new Op(OpKind.Write, slot, 0, raw, _rng.Next(1 << 16));
            }

            if (r < 90)
            {
                return new Op(OpKind.Read, slot, 0, 0, 0);
            }

            if (r < 94)
            {
                return _memalign ? new Op(OpKind.Memalign, slot, Math.Min(sizeClass, 2), raw & 0xFFF, _rng.Next(7)) : new Op(OpKind.Malloc, slot, sizeClass, raw, 0);
            }

            if (r < 96)
            {
                return new Op(OpKind.Inspect, slot, 0, raw, _rng.Next(32));
            }

            if (r < 98 || !_hostile)
            {
                return new Op(OpKind.Null, slot, Math.Min(sizeClass, 2), raw & 0xFFF, 0);
            }

            return new Op(OpKind.Hostile, slot, _rng.Next(7), 0, 0);
        }
    }
}
