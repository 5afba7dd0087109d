// A block's header fields for the layer above (Checker reports "fba"/"ffb" with the block's
// number and allocation site): GetBlockInfo for a block's own pointer, FindBlock for any
// address inside a linked block (its header, guards or data). The caller owns the BlockInfo and
// reuses it: these queries allocate nothing.
namespace Checker.Nano
{
    /// <summary>The header of one debug block, as GetBlockInfo and FindBlock read it.</summary>
    public sealed class BlockInfo
    {
        /// <summary>The block's data offset (the user's pointer).</summary>
        public int Pointer;

        /// <summary>The offset of its header (the base heap's block).</summary>
        public int HeaderOffset;

        /// <summary>Its block use (type | subtype &lt;&lt; 16); BlockType.Free for a delay-freed block.</summary>
        public int BlockUse;

        /// <summary>Its requested size in bytes.</summary>
        public int Size;

        /// <summary>Its request number (0 for an ignore block).</summary>
        public int RequestNumber;

        /// <summary>The file of the allocation (as given by caller info; null if none or for an ignore block).</summary>
        public string File;

        /// <summary>The line of the allocation.</summary>
        public int Line;

        /// <summary>Clears every field.</summary>
        public void Clear()
        {
            Pointer = 0;
            HeaderOffset = 0;
            BlockUse = 0;
            Size = 0;
            RequestNumber = 0;
            File = null;
            Line = 0;
        }
    }

    public sealed partial class DebugHeap
    {
        /// <summary>
        /// Fills <paramref name="info"/> with the header of the block whose data starts at
        /// <paramref name="ptr"/> (live, ignore or Free); returns None, or why it is not a block
        /// (then only Pointer is set). Reports nothing.
        /// </summary>
        public DebugHeapError GetBlockInfo(int ptr, BlockInfo info)
        {
            if (info == null)
            {
                throw new System.ArgumentNullException("info");
            }

            lock (_heap.SyncRoot)
            {
                return GetBlockInfoLocked(ptr, info);
            }
        }

        /// <summary>GetBlockInfo with the lock held by the caller (Checker's entry point).</summary>
        public DebugHeapError GetBlockInfoLocked(int ptr, BlockInfo info)
        {
            info.Clear();
            info.Pointer = ptr;
            try
            {
                int header;
                DebugHeapError e = CheckUserPointer(ptr, out header);
                if (e == DebugHeapError.None)
                {
                    FillInfo(header, info);
                }

                return e;
            }
            catch (System.IndexOutOfRangeException)
            {
                return DebugHeapError.BaseHeapDamaged;   // for the layer above, which reports it
            }
        }

        /// <summary>
        /// Fills <paramref name="info"/> from the header of the block at <paramref name="ptr"/>
        /// without checking it: for a pointer GetBlockInfoLocked accepted during the same hold of
        /// the lock (Checker's detector, grouping the blocks its marking confirmed).
        /// </summary>
        public void FillInfoKnown(int ptr, BlockInfo info)
        {
            info.Clear();
            FillInfo(ptr - HEADER_BYTES, info);
        }

        /// <summary>
        /// Finds the linked block (live or Free) whose header, guards or data contain
        /// <paramref name="address"/> and fills <paramref name="info"/>; false if there is none.
        /// Ignore blocks are not linked and not found. A walk of the list.
        /// </summary>
        public bool FindBlock(int address, BlockInfo info)
        {
            if (info == null)
            {
                throw new System.ArgumentNullException("info");
            }

            lock (_heap.SyncRoot)
            {
                info.Clear();
                try
                {
                    int header = FindHeaderContaining(address);
                    if (header == 0 || CheckHeaderFields(header) != DebugHeapError.None)
                    {
                        return false;
                    }

                    FillInfo(header, info);
                    return true;
                }
                catch (System.IndexOutOfRangeException)
                {
                    return false;
                }
            }
        }

        /// <summary>
        /// Checker's aging, with the lock held: the live linked block at <paramref name="ptr"/>
        /// (checked by the caller) becomes an ignore block, still linked and checked, counted
        /// under Ignore and left out of leak dumps, so a block the program freed is never called
        /// a leak while Checker holds it. Returns its old block use.
        /// </summary>
        public int HoldLocked(int ptr)
        {
            int header = ptr - HEADER_BYTES;
            int use = Get(header + H_USE);
            int size = Get(header + H_SIZE);
            int type = use & 0xFFFF;
            _counts[type]--;
            _sizes[type] -= size;
            _counts[BlockType.Ignore]++;
            _sizes[BlockType.Ignore] += size;
            Put(header + H_USE, BlockType.Ignore);
            return use;
        }

        private void FillInfo(int header, BlockInfo info)
        {
            int use = Get(header + H_USE);
            info.Pointer = header + HEADER_BYTES;
            info.HeaderOffset = header;
            info.BlockUse = use;
            info.Size = Get(header + H_SIZE);
            info.RequestNumber = Get(header + H_REQUEST);
            if (info.RequestNumber != 0)
            {
                int fileLine = Get(header + H_FILELINE);
                info.File = FileName(FileIndexOf(fileLine));
                info.Line = LineOf(fileLine);
            }
        }
    }
}
