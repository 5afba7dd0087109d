// Validate: Checker's full invariant check (white box), and CheckMemory which runs the debug
// heap's CheckMemory (every block's guards and header, live or aged, in the CRT's words) and
// then Validate, reporting what that finds as a "bmd" error. Validate first runs the debug heap's (which runs the base heap's),
// then walks Checker's own maps both ways against the heap:
//   1. the data zone is read-only or read-write throughout;
//   2. the block map in address order: every START or AGED granule is a live base block whose
//      debug header is sound; the bytes between blocks (headers, guards, padding, free memory,
//      aged data) are unavailable; a live block's data is write-only or read-write; granules
//      inside a block carry no flag; only FREED marks free memory; past the break up to the
//      stack limit everything is unavailable and no granule holds a block;
//   3. the counts: live blocks and bytes, the aging queue's length, and the debug heap's own
//      count of linked and ignore blocks agree;
//   4. the aging queue: each entry an AGED block, none twice, no more than the depth;
//   5. the stack: frames tile [StackPointer, StackTop) with depths counting down to 1, headers
//      unavailable, slots write-only or read-write, everything below the stack pointer unavailable.
// Every walk is bounded by the zone it walks, so damaged maps end it. The first problem found is
// returned, with where it is.
namespace Checker.Nano
{
    public sealed partial class CheckerHeap
    {
        /// <summary>Checks every invariant of Checker's maps and the layers below; null if all hold, else what is wrong and where.</summary>
        public string Validate()
        {
            lock (_sync)
            {
                try
                {
                    return ValidateLocked();
                }
                catch (System.IndexOutOfRangeException)
                {
                    return "a map or a stack frame points outside the arena";
                }
            }
        }

        /// <summary>
        /// The debug heap's CheckMemory (guards and headers of every block, live or aged), then
        /// Validate, whose first problem is reported as a "bmd" error; returns whether all was well.
        /// </summary>
        public bool CheckMemory()
        {
            lock (_sync)
            {
                // The debug heap's CheckMemory first: the guards (and headers) of every block, live
                // or aged, reported in the CRT's words; then Checker's own maps.
                bool ok = _debug.CheckMemory();
                string problem = Validate();
                if (problem == null)
                {
                    return ok;
                }

                ReportMapsDamaged(problem, null, 0);
                return false;
            }
        }

        private string ValidateLocked()
        {
            string problem = _debug.ValidateLocked();
            if (problem != null)
            {
                return "debug heap: " + problem;
            }

            if (_arena.Start != _heapStart || _arena.Limit != _stackLimit)
            {
                return "arena: start " + Bytes.Hex8(_arena.Start) + " and limit " + Bytes.Hex8(_arena.Limit)
                    + " are not the heap's start " + Bytes.Hex8(_heapStart) + " and the stack limit " + Bytes.Hex8(_stackLimit);
            }

            // 1. Data zone: readable everywhere (read-only 01 or read-write 11).
            int bad = FirstLacking(_dataStart, _dataEnd - _dataStart, 1);
            if (bad >= 0)
            {
                return "bitmap: data zone byte " + Bytes.Hex8(bad) + " is " + AccessState.NameOf(StateOf(bad));
            }

            // 2. The heap, in address order.
            byte[] m = _m;
            int brk = _arena.Break;
            int end = brk > _heapStart ? GranuleOf(brk - 1) + 1 : _blockMapStart;
            int unavailableFrom = _heapStart;
            int live = 0;
            int liveBytes = 0;
            int aged = 0;
            int blockEnd = _heapStart;   // one past the last block walked (live or aged)
            for (int i = _blockMapStart; i < end; i++)
            {
                int flags = m[i] & G_FLAGS;
                int at = HeaderAt(i);
                int granule = GranuleAddress(i);
                if (granule < blockEnd)
                {
                    // Inside the last block: only its last granule may record something, the next
                    // block's header past its end (the Compact policy's 8-byte grain).
                    if (flags != 0 && (granule + GranuleBytes <= blockEnd || at < blockEnd))
                    {
                        return "block map: granule " + Bytes.Hex8(granule) + " lies inside a block but has flags " + flags.ToString();
                    }

                    if (flags == 0)
                    {
                        continue;
                    }
                }

                if ((flags & (G_START | G_AGED)) == 0)
                {
                    if ((flags & ~G_FREED) != 0)
                    {
                        return "block map: granule " + Bytes.Hex8(granule) + " holds no block but has flags " + flags.ToString();
                    }

                    continue;
                }

                if ((flags & G_START) != 0 && (flags & G_AGED) != 0)
                {
                    return "block map: granule " + Bytes.Hex8(granule) + " is both live and aged";
                }

                int data = at + DebugHeap.HEADER_BYTES;
                if (_heap.CheckLocked(at) != HeapError.None)
                {
                    return "block map: a block at " + Bytes.Hex8(data) + " but the base heap has no live block at " + Bytes.Hex8(at);
                }

                if (_debug.GetBlockInfoLocked(data, _info) != DebugHeapError.None || _info.BlockUse == BlockType.Free)
                {
                    return "block map: a block at " + Bytes.Hex8(data) + " that the debug heap does not know";
                }

                int size = _info.Size;
                bad = FirstAvailable(unavailableFrom, data - unavailableFrom);
                if (bad >= 0)
                {
                    return "bitmap: byte " + Bytes.Hex8(bad) + " is " + AccessState.NameOf(StateOf(bad)) + " but lies outside every block's data";
                }

                if ((flags & G_START) != 0)
                {
                    bad = FirstLacking(data, size, 2);
                    if (bad >= 0)
                    {
                        return "bitmap: byte " + Bytes.Hex8(bad) + " of the block at " + Bytes.Hex8(data) + " is " + AccessState.NameOf(StateOf(bad));
                    }

                    live++;
                    liveBytes += size;
                    unavailableFrom = data + size;
                }
                else
                {
                    string file;
                    int line;
                    if (!FindAged(data, out file, out line))
                    {
                        return "block map: the block at " + Bytes.Hex8(data) + " is aged but not in the aging queue";
                    }

                    if (_info.BlockUse != BlockType.Ignore)
                    {
                        return "aging: the debug heap does not hold the aged block at " + Bytes.Hex8(data) + " (block use " + _info.BlockUse.ToString() + ")";
                    }

                    aged++;
                    unavailableFrom = data;
                }

                blockEnd = at + _heap.UsableSizeLocked(at);
            }

            bad = FirstAvailable(unavailableFrom, _stackLimit - unavailableFrom);
            if (bad >= 0)
            {
                return "bitmap: byte " + Bytes.Hex8(bad) + " is " + AccessState.NameOf(StateOf(bad)) + " but lies outside every block's data";
            }

            int mapEnd = _blockMapStart + _blockMapBytes;
            for (int i = end; i < mapEnd; i++)
            {
                if ((m[i] & G_FLAGS & ~G_FREED) != 0)
                {
                    return "block map: granule " + Bytes.Hex8(GranuleAddress(i)) + " past the break has flags " + (m[i] & G_FLAGS).ToString();
                }
            }

            // 3. Counts.
            if (live != _liveBlocks || liveBytes != _liveBytes)
            {
                return "counts: " + live.ToString() + " live blocks (" + liveBytes.ToString() + " bytes) in the map, "
                    + _liveBlocks.ToString() + " (" + _liveBytes.ToString() + ") counted";
            }

            if (aged != _agingCount)
            {
                return "aging: " + aged.ToString() + " aged blocks in the map, " + _agingCount.ToString() + " in the queue";
            }

            DebugStats ds = _debug.StatsLocked();
            if (ds.LinkedBlocks - ds.FreeBlocks + ds.IgnoreBlocks != live + aged)
            {
                return "counts: the debug heap holds " + (ds.LinkedBlocks - ds.FreeBlocks + ds.IgnoreBlocks).ToString()
                    + " blocks, Checker knows " + (live + aged).ToString() + " (blocks allocated or freed behind Checker's back?)";
            }

            // 4. The aging queue.
            if (_agingCount > _agingDepth)
            {
                return "aging: " + _agingCount.ToString() + " blocks held, depth " + _agingDepth.ToString();
            }

            int cap = _agingPtrs.Length;
            for (int k = 0; k < _agingCount; k++)
            {
                int p = _agingPtrs[(_agingHead + k) % cap];
                if ((FlagsAt(p - DebugHeap.HEADER_BYTES) & G_AGED) == 0)
                {
                    return "aging: queue entry " + k.ToString() + " (" + Bytes.Hex8(p) + ") is not an aged block";
                }

                for (int l = 0; l < k; l++)
                {
                    if (_agingPtrs[(_agingHead + l) % cap] == p)
                    {
                        return "aging: " + Bytes.Hex8(p) + " is queued twice";
                    }
                }
            }

            // 5. The stack.
            return ValidateStack();
        }

        private string ValidateStack()
        {
            if (_sp < _stackLimit || _sp > _stackTop)
            {
                return "stack: the stack pointer " + Bytes.Hex8(_sp) + " is outside the stack zone";
            }

            int bad = FirstAvailable(_stackLimit, _sp - _stackLimit);
            if (bad >= 0)
            {
                return "bitmap: stack byte " + Bytes.Hex8(bad) + " below the stack pointer is " + AccessState.NameOf(StateOf(bad));
            }

            int f = _sp;
            int depth = _depth;
            while (f < _stackTop)
            {
                if (!FrameHeaderOk(f))
                {
                    return "stack: the frame header at " + Bytes.Hex8(f) + " is damaged";
                }

                if (Bytes.GetInt32(_m, f + 4) != depth)
                {
                    return "stack: the frame at " + Bytes.Hex8(f) + " has depth " + Bytes.GetInt32(_m, f + 4).ToString() + ", expected " + depth.ToString();
                }

                bad = FirstAvailable(f, FrameHeaderBytes);
                if (bad >= 0)
                {
                    return "bitmap: stack byte " + Bytes.Hex8(bad) + " in a frame header is " + AccessState.NameOf(StateOf(bad));
                }

                int bytes = FrameBytes(f);
                bad = FirstLacking(f + FrameHeaderBytes, bytes - FrameHeaderBytes, 2);
                if (bad >= 0)
                {
                    return "bitmap: stack byte " + Bytes.Hex8(bad) + " in a slot is " + AccessState.NameOf(StateOf(bad));
                }

                depth--;
                f += bytes;
            }

            if (f != _stackTop || depth != 0)
            {
                return "stack: the frames end at " + Bytes.Hex8(f) + " with " + depth.ToString() + " frame(s) unaccounted for";
            }

            return null;
        }

        /// <summary>The first byte of [address, address + count) whose state is not unavailable, or -1.</summary>
        private int FirstAvailable(int address, int count)
        {
            if (count <= 0)
            {
                return -1;
            }

            byte[] m = _m;
            int rel = address - _mapStart;
            int end = rel + count;
            while (rel < end && ((rel & 3) != 0 || end - rel < 4))
            {
                if (((m[_bitmapStart + (rel >> 2)] >> ((rel & 3) << 1)) & 3) != 0)
                {
                    return rel + _mapStart;
                }

                rel++;
            }

            while (end - rel >= 4)
            {
                if (m[_bitmapStart + (rel >> 2)] != 0)
                {
                    break;
                }

                rel += 4;
            }

            while (rel < end)
            {
                if (((m[_bitmapStart + (rel >> 2)] >> ((rel & 3) << 1)) & 3) != 0)
                {
                    return rel + _mapStart;
                }

                rel++;
            }

            return -1;
        }
    }
}
