// Memory states (_CrtMemState) and their difference: MemCheckpoint, MemDifference.
//
// The per-type counts and sizes are kept up to date by every operation (Validate recounts them
// from the list), so a checkpoint copies them instead of walking the list as the CRT does.
// A state also keeps the last request number given out when it was taken: "objects allocated
// since" a state are the linked blocks with a greater request number (the list is in
// request-number order, see DebugHeap.cs), which stays right when the block that was the newest
// at checkpoint time has been freed since (the CRT's pBlockHeader would then be dangling).
namespace Checker.Nano
{
    /// <summary>
    /// _CrtMemState: counts and requested bytes of the linked blocks per block type, the
    /// high-water mark and the total allocated, at one moment.
    /// </summary>
    public sealed class MemState
    {
        /// <summary>pBlockHeader: the newest block's data offset at checkpoint time (0: none).</summary>
        public int BlockHeader;

        /// <summary>lCounts: blocks of each type (index BlockType.Free .. BlockType.Client).</summary>
        public readonly int[] Counts = new int[BlockType.MaxBlocks];

        /// <summary>lSizes: requested bytes of each type.</summary>
        public readonly int[] Sizes = new int[BlockType.MaxBlocks];

        /// <summary>lHighWaterCount: the most requested bytes live at once so far.</summary>
        public int HighWaterCount;

        /// <summary>lTotalCount: all bytes ever requested (reallocations count their new size).</summary>
        public long TotalCount;

        /// <summary>Ours: the last request number given out at checkpoint time (the boundary of "since").</summary>
        public int RequestNumber;

        /// <summary>Copies <paramref name="other"/> into this state.</summary>
        public void CopyFrom(MemState other)
        {
            if (other == null)
            {
                throw new System.ArgumentNullException("other");
            }

            BlockHeader = other.BlockHeader;
            for (int i = 0; i < BlockType.MaxBlocks; i++)
            {
                Counts[i] = other.Counts[i];
                Sizes[i] = other.Sizes[i];
            }

            HighWaterCount = other.HighWaterCount;
            TotalCount = other.TotalCount;
            RequestNumber = other.RequestNumber;
        }
    }

    public sealed partial class DebugHeap
    {
        /// <summary>_CrtMemCheckpoint: fills <paramref name="state"/> with the heap's state now.</summary>
        public void MemCheckpoint(MemState state)
        {
            if (state == null)
            {
                throw new System.ArgumentNullException("state");
            }

            if (!_heap.ThreadSafe)
            {
                MemCheckpointLocked(state);
                return;
            }

            lock (_heap.SyncRoot)
            {
                MemCheckpointLocked(state);
            }
        }

        private void MemCheckpointLocked(MemState state)
        {
            state.BlockHeader = _first == 0 ? 0 : _first + HEADER_BYTES;
            for (int i = 0; i < BlockType.MaxBlocks; i++)
            {
                state.Counts[i] = _counts[i];
                state.Sizes[i] = _sizes[i];
            }

            state.HighWaterCount = _highWaterBytes;
            state.TotalCount = _totalBytes;
            state.RequestNumber = _nextRequest - 1;
        }

        /// <summary>
        /// _CrtMemDifference: <paramref name="diff"/> = <paramref name="newState"/> - <paramref name="oldState"/>,
        /// type by type. True if they differ significantly: in Normal or Client blocks, or in CRT
        /// blocks when CHECK_CRT_DF is on (Free and Ignore blocks never count).
        /// </summary>
        public bool MemDifference(MemState diff, MemState oldState, MemState newState)
        {
            if (diff == null)
            {
                throw new System.ArgumentNullException("diff");
            }

            if (oldState == null)
            {
                throw new System.ArgumentNullException("oldState");
            }

            if (newState == null)
            {
                throw new System.ArgumentNullException("newState");
            }

            bool checkCrt = (GetDbgFlag() & DbgFlag.CHECK_CRT_DF) != 0;
            bool significant = false;
            for (int use = 0; use < BlockType.MaxBlocks; use++)
            {
                diff.Sizes[use] = newState.Sizes[use] - oldState.Sizes[use];
                diff.Counts[use] = newState.Counts[use] - oldState.Counts[use];
                if ((diff.Sizes[use] != 0 || diff.Counts[use] != 0) && use != BlockType.Free && use != BlockType.Ignore
                    && (use != BlockType.Crt || checkCrt))
                {
                    significant = true;
                }
            }

            diff.HighWaterCount = newState.HighWaterCount - oldState.HighWaterCount;
            diff.TotalCount = newState.TotalCount - oldState.TotalCount;
            diff.BlockHeader = 0;
            diff.RequestNumber = oldState.RequestNumber;
            return significant;
        }
    }
}
