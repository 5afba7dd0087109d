// Walk: the heapinfo table and the free-fragment lists as plain int arrays, for tools that draw
// or inspect the heap (the host CLI's heap map). It changes nothing; like Describe it walks the
// table in address order, and every walk is bounded so a damaged table or list still ends.
//
// A row is WALK_WORDS ints, one per table entry that starts something, in address order:
//   [0] first block number   [1] span in blocks   [2] state   [3] free fragments (fragment blocks)
// state, like heapinfo's word 0: WalkObject (0, busy whole blocks), log2 of the fragment size
// (MINFRAGLOG .. BLOCKLOG-1, a block split into fragments), WalkFree (-1, a free cluster),
// WalkAnomaly (-2, an interior entry where something should start; its span is 1). No generics and no allocation: the caller passes the arrays (device subset).
namespace Checker.Nano
{
    public sealed partial class Heap
    {
        /// <summary>ints per row of <see cref="WalkTable"/>.</summary>
        public const int WALK_WORDS = 4;

        /// <summary>Walk state: a busy object of whole blocks.</summary>
        public const int WalkObject = 0;

        /// <summary>Walk state: a free cluster of whole blocks.</summary>
        public const int WalkFree = -1;

        /// <summary>Walk state: a table entry that should start a block or cluster but does not.</summary>
        public const int WalkAnomaly = -2;

        /// <summary>
        /// The most rows <see cref="WalkTable"/> can return: one per block the arena can hold (every
        /// block a one-block object or a fragment block). An array of MaxWalkRows * WALK_WORDS ints
        /// always holds the whole table.
        /// </summary>
        public int MaxWalkRows
        {
            get { return _tableBlocks - 2; }
        }

        /// <summary>
        /// Writes one row (<see cref="WALK_WORDS"/> ints: first block, span, state, free fragments)
        /// per table entry in address order into <paramref name="rows"/>, as many as fit, and
        /// returns how many rows the table has (call again with a bigger array when it is more
        /// than rows.Length / WALK_WORDS). 0 for a heap not yet initialized.
        /// </summary>
        public int WalkTable(int[] rows)
        {
            if (_compact)
            {
                throw CompactUnsupported("WalkTable");
            }

            if (rows == null)
            {
                throw new System.ArgumentNullException("rows");
            }

            lock (_sync)
            {
                if (!_initialized)
                {
                    return 0;
                }

                int capacity = rows.Length / WALK_WORDS;
                int count = 0;
                int block = 1;
                while (block < _heaplimit)
                {
                    int state;
                    int nfree;
                    int span = ReadEntry(block, out state, out nfree);
                    if (count < capacity)
                    {
                        int r = count * WALK_WORDS;
                        rows[r] = block;
                        rows[r + 1] = span;
                        rows[r + 2] = state;
                        rows[r + 3] = nfree;
                    }

                    count++;
                    block += span;
                }

                return count;
            }
        }

        /// <summary>
        /// Reads the table entry that starts at <paramref name="block"/> for the walkers (WalkTable,
        /// Describe, Summarize): returns its span in blocks (at least 1) and gives its state
        /// (WalkObject, the fragment log, WalkFree or WalkAnomaly) and its free fragments.
        /// Validate reads the table itself, strictly.
        /// </summary>
        private int ReadEntry(int block, out int state, out int nfree)
        {
            int b3 = block * HEAPINFO_WORDS;
            int w0 = _heapinfo[b3];
            int span;
            nfree = 0;
            if (w0 == 0)
            {
                span = _heapinfo[b3 + 1];
                state = WalkObject;
            }
            else if (w0 == INTERIOR)
            {
                span = 1;
                state = WalkAnomaly;
            }
            else if (w0 > 0)
            {
                span = 1;
                state = w0 & FRAGLOG_MASK;   // log2 of the fragment size
                nfree = _heapinfo[b3 + 1];
            }
            else
            {
                span = -w0;
                state = WalkFree;
            }

            if (span < 1)
            {
                span = 1;
                state = WalkAnomaly;
            }

            return span;
        }

        /// <summary>
        /// Writes the offset of every free fragment (all sizes, list by list from the smallest size)
        /// into <paramref name="offsets"/>, as many as fit, and returns how many there are. Each
        /// list walk stops after as many steps as the heap has fragment slots, so a cyclic list ends.
        /// </summary>
        public int WalkFreeFragments(int[] offsets)
        {
            if (_compact)
            {
                throw CompactUnsupported("WalkFreeFragments");
            }

            if (offsets == null)
            {
                throw new System.ArgumentNullException("offsets");
            }

            lock (_sync)
            {
                if (!_initialized)
                {
                    return 0;
                }

                int count = 0;
                int limit = ((_heaplimit - 1) << BLOCKLOG) >> MINFRAGLOG;   // fragment slots in the heap
                for (int log = MINFRAGLOG; log < BLOCKLOG; log++)
                {
                    int frag = _fraghead[log];
                    int steps = 0;
                    while (frag != 0 && steps++ <= limit && frag >= _heapbase && frag <= _m.Length - MINFRAG)
                    {
                        if (count < offsets.Length)
                        {
                            offsets[count] = frag;
                        }

                        count++;
                        frag = FragNext(frag, log);
                    }
                }

                return count;
            }
        }
    }
}
