// Aging (the seed's "aged" free blocks): a freed block is not given back to the debug heap at
// once. Its bytes become unavailable and it waits in a FIFO queue; only when AgingDepth newer
// frees have pushed it out is it really freed. Meanwhile a read or write through a stale
// pointer lands in a known freed block and is reported as "rfb"/"wfb" with where the block was
// allocated and where it was freed, and a second free is a sure "ffb".
//
// The trade-off of the depth (-a=N, default 8): deeper catches uses after more intervening
// frees but keeps more memory out of use; when an allocation finds no room, the queue is
// emptied and the allocation tried again, so aging never causes an "oom" by itself. Depth 0
// frees at once (uses after free are then "bvh ... not in a block", or silent if reused).
//
// While it waits, the block is an ignore block in the debug heap (DebugHeap.HoldLocked): still
// linked and checked by CheckMemory, counted under Ignore in the statistics, and left out of the
// leak dumps (DumpMemoryLeaks, a HeapReport dump, the LEAK records), which would otherwise list
// blocks the program has freed. Its block use is kept here for the reports about it.
//
// Invariants (checked by Validate): the queue holds AgingCount distinct blocks, oldest first;
// each is a live debug block whose granule says AGED, whose block use is Ignore and whose data
// is unavailable; no other granule says AGED; AgingCount <= AgingDepth.
namespace Checker.Nano
{
    public sealed partial class CheckerHeap
    {
        /// <summary>The default aging depth (-a=8).</summary>
        public const int DefaultAgingDepth = 8;

        /// <summary>The deepest aging queue the options accept.</summary>
        public const int MaxAgingDepth = 1024;

        private int _agingDepth = DefaultAgingDepth;
        private int[] _agingPtrs = new int[DefaultAgingDepth];
        private int[] _agingUses = new int[DefaultAgingDepth];          // each block's use before it was held
        private string[] _agingFiles = new string[DefaultAgingDepth];   // where each block was freed
        private int[] _agingLines = new int[DefaultAgingDepth];
        private int _agingHead;          // index of the oldest
        private int _agingCount;

        /// <summary>How many freed blocks the aging queue holds now.</summary>
        public int AgingCount
        {
            get { return _agingCount; }
        }

        /// <summary>How many freed blocks are held before the oldest is given back (-a=N).</summary>
        public int AgingDepth
        {
            get { return _agingDepth; }
        }

        /// <summary>
        /// Gives every aged block back to the debug heap (done by itself when an allocation finds no
        /// room, and by Shutdown). Returns how many were given back.
        /// </summary>
        public int ReleaseAged()
        {
            if (!_heap.ThreadSafe)
            {
                return ReleaseAllAged();
            }

            lock (_sync)
            {
                return ReleaseAllAged();
            }
        }

        /// <summary>Queues the freed block at <paramref name="ptr"/> (its data already marked unavailable).</summary>
        private void Age(int ptr, string file, int line)
        {
            if (_agingDepth == 0)
            {
                ReleaseBlock(ptr, file, line);
                return;
            }

            while (_agingCount >= _agingDepth)
            {
                ReleaseOldest();
            }

            int cap = _agingPtrs.Length;
            int tail = _agingHead + _agingCount;
            if (tail >= cap)
            {
                tail -= cap;
            }

            _agingPtrs[tail] = ptr;
            _agingUses[tail] = _debug.HoldLocked(ptr);
            _agingFiles[tail] = file;
            _agingLines[tail] = line;
            _agingCount++;
            _m[GranuleOf(ptr - DebugHeap.HEADER_BYTES)] = MapByte(ptr - DebugHeap.HEADER_BYTES, G_AGED);
        }

        private void ReleaseOldest()
        {
            int i = _agingHead;
            int ptr = _agingPtrs[i];
            string file = _agingFiles[i];
            int line = _agingLines[i];
            _agingFiles[i] = null;
            _agingHead = i + 1 == _agingPtrs.Length ? 0 : i + 1;
            _agingCount--;
            ReleaseBlock(ptr, file, line);
        }

        private int ReleaseAllAged()
        {
            int n = _agingCount;
            while (_agingCount > 0)
            {
                ReleaseOldest();
            }

            return n;
        }

        /// <summary>Really frees a block (through the debug heap, which checks its guards) and marks its granule FREED.</summary>
        private void ReleaseBlock(int ptr, string file, int line)
        {
            // The debug heap's free calls the allocation hook: a hook that frees or allocates
            // through Checker now is refused ("rec"), as inside Malloc or Free.
            int header = ptr - DebugHeap.HEADER_BYTES;
            bool inCall = _inCall;
            _inCall = true;
            try
            {
                _debug.FreeLocked(ptr, BlockType.Normal, file, line);
            }
            finally
            {
                _inCall = inCall;
            }

            _m[GranuleOf(header)] = MapByte(header, G_FREED);
        }

        /// <summary>The aging queue's slot holding <paramref name="ptr"/>, or -1 if it is not in the queue.</summary>
        private int AgedSlot(int ptr)
        {
            int cap = _agingPtrs.Length;
            for (int k = 0; k < _agingCount; k++)
            {
                int i = _agingHead + k;
                if (i >= cap)
                {
                    i -= cap;
                }

                if (_agingPtrs[i] == ptr)
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>After a GetBlockInfoLocked of the aged block at <paramref name="ptr"/>: its block use as it was before it was held.</summary>
        private void RestoreAgedUse(int ptr)
        {
            int i = AgedSlot(ptr);
            if (i >= 0)
            {
                _info.BlockUse = _agingUses[i];
            }
        }

        /// <summary>Where the aged block at <paramref name="ptr"/> was freed; false if it is not in the queue.</summary>
        private bool FindAged(int ptr, out string file, out int line)
        {
            int i = AgedSlot(ptr);
            if (i < 0)
            {
                file = null;
                line = 0;
                return false;
            }

            file = _agingFiles[i];
            line = _agingLines[i];
            return true;
        }

        /// <summary>Sets the depth: releases the oldest blocks beyond it and regrows the queue's arrays if needed.</summary>
        private void SetAgingDepth(int depth)
        {
            while (_agingCount > depth)
            {
                ReleaseOldest();
            }

            if (depth > _agingPtrs.Length)
            {
                int[] ptrs = new int[depth];
                int[] uses = new int[depth];
                string[] files = new string[depth];
                int[] lines = new int[depth];
                int cap = _agingPtrs.Length;
                for (int k = 0; k < _agingCount; k++)
                {
                    int i = _agingHead + k;
                    if (i >= cap)
                    {
                        i -= cap;
                    }

                    ptrs[k] = _agingPtrs[i];
                    uses[k] = _agingUses[i];
                    files[k] = _agingFiles[i];
                    lines[k] = _agingLines[i];
                }

                _agingPtrs = ptrs;
                _agingUses = uses;
                _agingFiles = files;
                _agingLines = lines;
                _agingHead = 0;
            }

            _agingDepth = depth;
        }
    }
}
