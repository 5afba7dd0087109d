// The access bitmap and the block map, both stored in the arena below the data zone.
//
// Bitmap: two bits per byte of [DataStart, StackTop), four bytes per bitmap byte, byte a's bits
// at shift 2 * (a & 3) of bitmap byte BitmapStart + ((a - DataStart) >> 2). DataStart is a
// multiple of 8, so an aligned 4-byte access is exactly one bitmap byte and its test is one
// mask: readable iff (b & 0x55) == 0x55, writable iff (b & 0xAA) == 0xAA. The states (seed):
//   00 unavailable, 01 read-only, 10 write-only (allocated, not yet written), 11 read-write.
// Invariants (checked by Validate):
//  - the data zone is read-only or read-write throughout;
//  - in the heap, exactly the requested bytes of live blocks are write-only or read-write;
//    headers, guards, padding, aged blocks and free memory are unavailable;
//  - between the break and the stack limit everything is unavailable;
//  - in the stack zone, exactly the slots of pushed frames are write-only or read-write.
//
// Block map: one byte per granule (32 bytes, or BLOCKSIZE if smaller) of [HeapStart,
// StackLimit). Debug blocks take at least 32 bytes of the base heap, so each granule holds at
// most one block header; the seed's policy places them on their size's alignment (at the
// granule's start), the Compact policy on 8 bytes (a 40-byte slot's header may start 8, 16 or 24
// bytes into a granule, whose first bytes are the previous block's tail). The byte's top two bits
// say where: the header is at the granule's start + 8 * (byte >> G_OFFSET_SHIFT). Its flags:
//   START     a live block's header starts here
//   AGED      a freed block, still held by the aging queue, starts here
//   FREED     a block started here and was given back to the debug heap (tells ffb from fba);
//             cleared when a new block covers the granule
//   SURE      detector: reached through pointers to blocks' starts only
//   REACH     detector: reached at all (interior pointers too)
//   REPORTED  the garbage detector has reported this block (the evolution detector skips it)
namespace Checker.Nano
{
    public sealed partial class CheckerHeap
    {
        /// <summary>Block map flag: a live block's header starts in this granule.</summary>
        public const int G_START = 0x01;

        /// <summary>Block map flag: an aged (freed, held) block's header starts here.</summary>
        public const int G_AGED = 0x02;

        /// <summary>Block map flag: a block started here and was given back to the debug heap.</summary>
        public const int G_FREED = 0x04;

        /// <summary>Block map flag (detector): surely reachable.</summary>
        public const int G_SURE = 0x08;

        /// <summary>Block map flag (detector): reachable at all.</summary>
        public const int G_REACH = 0x10;

        /// <summary>Block map flag: reported as garbage (the evolution detector skips it).</summary>
        public const int G_REPORTED = 0x20;

        /// <summary>Block map: every flag bit (below the header's offset).</summary>
        public const int G_FLAGS = 0x3F;

        /// <summary>Block map: the header's offset into its granule, in 8-byte units, above this shift.</summary>
        public const int G_OFFSET_SHIFT = 6;

        // ---- Bitmap ------------------------------------------------------------------------------

        /// <summary>The access state of the byte at <paramref name="address"/> (Unavailable outside the zones).</summary>
        public int StateOf(int address)
        {
            int rel = address - _mapStart;
            if (rel < 0 || rel >= _mapLength)
            {
                return AccessState.Unavailable;
            }

            return (_m[_bitmapStart + (rel >> 2)] >> ((rel & 3) << 1)) & 3;
        }

        /// <summary>
        /// The states of <paramref name="count"/> bytes from <paramref name="address"/> as a string of
        /// digits 0-3 (for tests and dumps): "2222" four write-only bytes.
        /// </summary>
        public string DescribeStates(int address, int count)
        {
            char[] c = new char[count];
            for (int i = 0; i < count; i++)
            {
                c[i] = (char)('0' + StateOf(address + i));
            }

            return new string(c);
        }

        /// <summary>Sets the state of <paramref name="count"/> bytes from <paramref name="address"/> (inside the covered range).</summary>
        internal void SetStates(int address, int count, int state)
        {
            if (count <= 0)
            {
                return;
            }

            byte[] m = _m;
            int rel = address - _mapStart;
            int end = rel + count;
            while ((rel & 3) != 0 && rel < end)
            {
                SetOne(m, rel, state);
                rel++;
            }

            int full = (end - rel) >> 2;
            if (full > 0)
            {
                Bytes.Fill(m, _bitmapStart + (rel >> 2), full, (byte)(state * 0x55));
                rel += full << 2;
            }

            while (rel < end)
            {
                SetOne(m, rel, state);
                rel++;
            }
        }

        private void SetOne(byte[] m, int rel, int state)
        {
            int i = _bitmapStart + (rel >> 2);
            int shift = (rel & 3) << 1;
            m[i] = (byte)((m[i] & ~(3 << shift)) | (state << shift));
        }

        /// <summary>
        /// The first byte of [address, address + count) whose state lacks <paramref name="need"/>
        /// (1 readable, 2 writable), or -1 if they all have it. The range must be inside the covered bytes.
        /// </summary>
        internal int FirstLacking(int address, int count, int need)
        {
            byte[] m = _m;
            int rel = address - _mapStart;
            int end = rel + count;
            while ((rel & 3) != 0 && rel < end)
            {
                if (((m[_bitmapStart + (rel >> 2)] >> ((rel & 3) << 1)) & need) == 0)
                {
                    return rel + _mapStart;
                }

                rel++;
            }

            if (rel >= end)
            {
                return -1;
            }

            int all = need * 0x55;
            int i = _bitmapStart + (rel >> 2);
            int last = _bitmapStart + ((end - rel) >> 2) + (rel >> 2);
            for (; i < last; i++)
            {
                if ((m[i] & all) != all)
                {
                    // Find the byte within the group.
                    int b = m[i];
                    int k = 0;
                    while (((b >> (k << 1)) & need) != 0)
                    {
                        k++;
                    }

                    return ((i - _bitmapStart) << 2) + k + _mapStart;
                }
            }

            rel = (last - _bitmapStart) << 2;
            while (rel < end)
            {
                if (((m[_bitmapStart + (rel >> 2)] >> ((rel & 3) << 1)) & need) == 0)
                {
                    return rel + _mapStart;
                }

                rel++;
            }

            return -1;
        }

        /// <summary>Whether [address, address + count) lies inside the bytes the bitmap covers.</summary>
        internal bool Covered(int address, int count)
        {
            int rel = address - _mapStart;
            return rel >= 0 && count >= 0 && rel <= _mapLength - count;
        }

        /// <summary>
        /// Copies the states of <paramref name="count"/> bytes from <paramref name="from"/> to
        /// <paramref name="to"/> (both 4-aligned: block data), correct when the ranges overlap.
        /// </summary>
        internal void MoveStates(int from, int to, int count)
        {
            if (count <= 0 || from == to)
            {
                return;
            }

            byte[] m = _m;
            int full = count >> 2;
            int rest = count & 3;
            int fromIndex = _bitmapStart + ((from - _mapStart) >> 2);
            int toIndex = _bitmapStart + ((to - _mapStart) >> 2);
            int partial = rest != 0 ? m[fromIndex + full] : 0;
            if (full > 0)
            {
                System.Array.Copy(m, fromIndex, m, toIndex, full);
            }

            if (rest != 0)
            {
                int mask = (1 << (rest << 1)) - 1;
                int i = toIndex + full;
                m[i] = (byte)((m[i] & ~mask) | (partial & mask));
            }
        }

        // ---- Block map ---------------------------------------------------------------------------

        /// <summary>The block map index of the granule holding <paramref name="address"/> (a heap address).</summary>
        internal int GranuleOf(int address)
        {
            return _blockMapStart + ((address - _heapStart) >> _granuleLog);
        }

        /// <summary>The first byte of the granule at block map index <paramref name="index"/>.</summary>
        internal int GranuleAddress(int index)
        {
            return _heapStart + ((index - _blockMapStart) << _granuleLog);
        }

        /// <summary>The header the granule at block map index <paramref name="index"/> records (its start + its offset bits).</summary>
        internal int HeaderAt(int index)
        {
            return GranuleAddress(index) + ((_m[index] >> G_OFFSET_SHIFT) << 3);
        }

        /// <summary>The block map byte that records <paramref name="flags"/> for a header at <paramref name="header"/>.</summary>
        internal byte MapByte(int header, int flags)
        {
            return (byte)(flags | ((((header - _heapStart) & ((1 << _granuleLog) - 1)) >> 3) << G_OFFSET_SHIFT));
        }

        /// <summary>Whether <paramref name="header"/> could be a block's header: in the heap, on the base heap's 8-byte grain.</summary>
        internal bool OnGranule(int header)
        {
            return header >= _heapStart && header < _arena.Break && ((header - _heapStart) & 7) == 0;
        }

        /// <summary>The flags recorded for a header at <paramref name="header"/> (0 if its granule records none there, or it cannot be a header).</summary>
        internal int FlagsAt(int header)
        {
            if (!OnGranule(header))
            {
                return 0;
            }

            int g = GranuleOf(header);
            return HeaderAt(g) == header ? _m[g] & G_FLAGS : 0;
        }

        /// <summary>
        /// Clears the block map over a new block at <paramref name="header"/> of
        /// <paramref name="usable"/> bytes: its header's granule and every granule inside it; the
        /// granule of its last byte only if what it records lies inside this block (stale), since
        /// past the block's end it may record the next block's header.
        /// </summary>
        internal void ClearGranules(int header, int usable)
        {
            int g = GranuleOf(header);
            int end = header + usable;
            int last = GranuleOf(end - 1);
            if (last > g && GranuleAddress(last) + (1 << _granuleLog) > end && (_m[last] & G_FLAGS) != 0 && HeaderAt(last) >= end)
            {
                last--;   // the last granule records the next block: keep it
            }

            System.Array.Clear(_m, g, last - g + 1);
        }

        /// <summary>
        /// The header of the live or aged block whose base block contains <paramref name="address"/>
        /// (a heap address), or 0. Scans the block map back from the address's granule: used for
        /// reports, not on the hot path.
        /// </summary>
        internal int FindBlockHeader(int address)
        {
            if (address < _heapStart || address >= _arena.Break)
            {
                return 0;
            }

            byte[] m = _m;
            for (int i = GranuleOf(address); i >= _blockMapStart; i--)
            {
                if ((m[i] & (G_START | G_AGED)) != 0 && HeaderAt(i) <= address)
                {
                    int header = HeaderAt(i);
                    try
                    {
                        if (_heap.CheckLocked(header) != HeapError.None)
                        {
                            return 0;   // the map disagrees with the heap: Validate says where
                        }
                    }
                    catch (System.IndexOutOfRangeException)
                    {
                        return 0;   // the heap's bookkeeping is damaged: as above
                    }

                    return address < header + _heap.UsableSizeLocked(header) ? header : 0;
                }
            }

            return 0;
        }
    }
}
