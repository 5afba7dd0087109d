// The Compact policy's pointer check, full invariant check (Validate), Describe and statistics.
namespace Checker.Nano
{
    public sealed partial class CompactHeap
    {
        /// <summary>
        /// Whether <paramref name="p"/> is a live slot or large object, and if not why not, by the
        /// table: O(1) for a live pointer (a run slot may need the walk of its run's free slots, as
        /// the seed's fragments do); an interior or free offset inside the large area may walk back
        /// over the blocks of the object or gap that holds it.
        /// </summary>
        protected override HeapError CheckRaw(int p)
        {
            if (!_initialized || p < _heapbase || p >= _top)
            {
                return HeapError.NotInHeap;
            }

            int[] h = _heapinfo;
            int b3 = C3(p);
            int w = h[b3];
            int start = p - ((p - _heapbase) & (BLOCKSIZE - 1));
            if ((w & (C_RUN | C_RUNI)) != 0)
            {
                int r3 = (w & C_RUNI) != 0 ? h[b3 + 1] * HEAPINFO_WORDS : b3;
                int rw = h[r3];
                if ((rw & C_RUN) == 0 || (rw & C_CLASS_MASK) >= _cSize.Length)
                {
                    return HeapError.Damaged;
                }

                int c = rw & C_CLASS_MASK;
                int size = _cSize[c];
                int rs = ADDRESS(r3 / HEAPINFO_WORDS);
                int index = (p - rs) / size;
                if (index >= _cSlots[c])
                {
                    return HeapError.FreeMemory;   // the run's tail: never handed out
                }

                int slot = rs + (index * size);
                if (IsFreeSlot(slot, r3, size))
                {
                    return HeapError.FreeMemory;
                }

                return slot == p ? HeapError.None : HeapError.Interior;
            }

            if ((w & C_AREA) == 0)
            {
                return HeapError.Damaged;
            }

            int obj = (w & C_OBJ) != 0 ? start + (((w >> C_OBJ_SHIFT) & C_OFF_MASK) << 4) : -1;
            if (obj == p)
            {
                return HeapError.None;
            }

            if ((w & C_GAP) != 0)
            {
                int gs = start + (((w >> C_GAP_SHIFT) & C_OFF_MASK) << 4);
                if (p >= gs && p < gs + h[b3 + 2])
                {
                    return HeapError.FreeMemory;
                }
            }

            if ((w & C_BACK) != 0)
            {
                int gs = h[b3 + 2];
                if (p < gs + h[C3(gs) + 2])
                {
                    return HeapError.FreeMemory;
                }
            }

            if (obj >= 0 && p > obj)
            {
                return HeapError.Interior;
            }

            // Held by an object or gap that started in an earlier block: the last start before p.
            for (int b = ((p - _heapbase) >> BLOCKLOG); b >= 1; b--)
            {
                int w0 = h[b * HEAPINFO_WORDS];
                if ((w0 & C_AREA) == 0)
                {
                    return HeapError.Damaged;
                }

                int o = (w0 & C_OBJ) != 0 ? ((w0 >> C_OBJ_SHIFT) & C_OFF_MASK) : -1;
                int g = (w0 & C_GAP) != 0 ? ((w0 >> C_GAP_SHIFT) & C_OFF_MASK) : -1;
                if (o >= 0 || g >= 0)
                {
                    return o > g ? HeapError.Interior : HeapError.FreeMemory;
                }
            }

            return HeapError.Damaged;
        }

        /// <summary>
        /// Whether the slot at <paramref name="slot"/> of the run whose head entry is at r3 is on its
        /// class's list: its prev link leading back to it settles most cases cheaply, a walk of the
        /// run's free slots (nfree long) the rest exactly.
        /// </summary>
        private bool IsFreeSlot(int slot, int r3, int size)
        {
            int[] h = _heapinfo;
            byte[] m = _m;
            int nfree = h[r3 + 1];
            if (nfree == 0)
            {
                return false;
            }

            int c = h[r3] & C_CLASS_MASK;
            int prev = Bytes.GetInt32(m, slot + 4);
            if (prev == 0)
            {
                if (_cHead[c] != slot)
                {
                    return false;
                }
            }
            else if (prev < _heapbase || prev > _top - 8 || Bytes.GetInt32(m, prev) != slot)
            {
                return false;
            }

            int n = _cSlots[c];
            int rs = ADDRESS(r3 / HEAPINFO_WORDS);
            int q = rs + (h[r3 + 2] * size);
            if (nfree > n)
            {
                nfree = n;
            }

            for (int i = 0; i < nfree && q != 0; i++)
            {
                CountFragmentSteps(1);
                if (q == slot)
                {
                    return true;
                }

                if (q < _heapbase || q > _top - 8)
                {
                    return false;
                }

                q = Bytes.GetInt32(m, q);
            }

            return false;
        }

        /// <summary>Bytes of the heap's fixed storage: the table, the class tables and lists, the gap lists, memalign pairs.</summary>
        public override int MetadataBytes
        {
            get
            {
                return (_heapinfo.Length * 4) + (_cSize.Length * 4) + _cBlocks.Length + (_cSlots.Length * 4) + (_cHead.Length * 4)
                    + _cOf.Length + (_gHead.Length * 4) + (_gSl.Length * 4) + 4 + AlignedMetadataBytes;
            }
        }

        /// <summary>mstats: the counters every operation keeps, and the largest gap.</summary>
        protected override void StatsLocked(MStats s)
        {
            FillCommonStats(s);
            s.BytesTotal = _top - _heapbase;
            s.LargestFreeRun = LargestGap();
        }

        /// <summary>The longest gap: the longest of the highest non-empty list (a bounded walk).</summary>
        private int LargestGap()
        {
            int largest = 0;
            for (int list = _gHead.Length - 1; list >= 0; list--)
            {
                int s = _gHead[list];
                int guard = _tableBlocks;
                while (s != 0 && guard-- > 0 && s >= _heapbase && s < _top && C3(s) + 2 < _heapinfo.Length)
                {
                    int size = _heapinfo[C3(s) + 2];
                    if (size > largest)
                    {
                        largest = size;
                    }

                    s = Bytes.GetInt32(_m, s);
                }

                if (largest != 0)
                {
                    return largest;
                }
            }

            return 0;
        }

        /// <summary>The Compact policy's invariants (COMPACT.md); the caller holds the lock.</summary>
        protected override string ValidateRaw()
        {
            int[] h = _heapinfo;
            byte[] m = _m;
            int hb = _heapbase;
            if (_top < hb || _top != _arena.Break)
            {
                return "heap ends at " + Bytes.Hex8(_top) + " but the break is " + Bytes.Hex8(_arena.Break);
            }

            if (((_top - hb) & (C_GRANULE - 1)) != 0)
            {
                return "top " + Bytes.Hex8(_top) + " is not on a 16-byte granule";
            }

            int limit = _top == hb ? 1 : ((_top - 1 - hb) >> BLOCKLOG) + 2;
            if (_heaplimit != limit || limit > _tableBlocks)
            {
                return "_heaplimit " + _heaplimit.ToString() + " but the top is in block " + (limit - 1).ToString();
            }

            // 1. The heap in address order: runs, objects, gaps.
            int chunksUsed = 0, bytesUsed = 0, chunksFree = 0, bytesFree = 0;
            int objects = 0, gaps = 0, backs = 0, runs = 0, runBlocks = 0;
            bool lastWasGap = false;
            int pos = hb;
            while (pos < _top)
            {
                int b = ((pos - hb) >> BLOCKLOG) + 1;
                int b3 = b * HEAPINFO_WORDS;
                int w = h[b3];
                int start = ADDRESS(b);
                if ((w & C_RUN) != 0)
                {
                    int c = w & C_CLASS_MASK;
                    if (pos != start || (w & (C_RUNI | C_AREA)) != 0 || c >= _cSize.Length)
                    {
                        return "heapinfo[" + b.ToString() + "]: run head at " + Bytes.Hex8(pos) + " is not a run of a known class on a block start";
                    }

                    int k = _cBlocks[c];
                    int n = _cSlots[c];
                    int nfree = h[b3 + 1];
                    int last = (w >> C_LAST_SHIFT) & C_LAST_MASK;
                    if (pos + (k << BLOCKLOG) > _top)
                    {
                        return "heapinfo[" + b.ToString() + "]: run of " + k.ToString() + " blocks runs past the top";
                    }

                    if (nfree < 0 || nfree >= n || (nfree > 0 && (h[b3 + 2] < 0 || h[b3 + 2] >= n || last >= n)))
                    {
                        return "heapinfo[" + b.ToString() + "]: nfree " + nfree.ToString() + ", first " + h[b3 + 2].ToString() + ", last " + last.ToString() + " of " + n.ToString() + " slots";
                    }

                    for (int j = 1; j < k; j++)
                    {
                        int j3 = (b + j) * HEAPINFO_WORDS;
                        if (h[j3] != C_RUNI || h[j3 + 1] != b || h[j3 + 2] != 0)
                        {
                            return "heapinfo[" + (b + j).ToString() + "]: inside the run at block " + b.ToString() + " but not marked so";
                        }
                    }

                    runs++;
                    runBlocks += k;
                    chunksUsed += n - nfree;
                    bytesUsed += (n - nfree) * _cSize[c];
                    chunksFree += nfree;
                    bytesFree += nfree * _cSize[c];
                    pos += k << BLOCKLOG;
                    lastWasGap = false;
                    continue;
                }

                if ((w & C_AREA) == 0 || (w & (C_RUN | C_RUNI)) != 0)
                {
                    return "heapinfo[" + b.ToString() + "]: " + Bytes.Hex8(pos) + " lies in a block that is neither a run's first nor of the large area";
                }

                int len;
                bool isGap;
                if ((w & C_OBJ) != 0 && start + (((w >> C_OBJ_SHIFT) & C_OFF_MASK) << 4) == pos)
                {
                    len = h[b3 + 1];
                    isGap = false;
                    if (len < BLOCKSIZE || (len & (C_GRANULE - 1)) != 0 || len > _top - pos)
                    {
                        return "heapinfo[" + b.ToString() + "]: object at " + Bytes.Hex8(pos) + " of " + len.ToString() + " bytes";
                    }

                    objects++;
                    chunksUsed++;
                    bytesUsed += len;
                    lastWasGap = false;
                }
                else if ((w & C_GAP) != 0 && start + (((w >> C_GAP_SHIFT) & C_OFF_MASK) << 4) == pos)
                {
                    len = h[b3 + 2];
                    isGap = true;
                    if (len < C_GRANULE || (len & (C_GRANULE - 1)) != 0 || len > _top - pos)
                    {
                        return "heapinfo[" + b.ToString() + "]: gap at " + Bytes.Hex8(pos) + " of " + len.ToString() + " bytes";
                    }

                    if (lastWasGap)
                    {
                        return "gap at " + Bytes.Hex8(pos) + " touches the gap before it but was not coalesced";
                    }

                    if ((w & C_BACK) != 0)
                    {
                        return "heapinfo[" + b.ToString() + "]: a gap starts and another ends in the block";
                    }

                    gaps++;
                    chunksFree++;
                    bytesFree += len;
                    lastWasGap = true;
                }
                else
                {
                    return "heapinfo[" + b.ToString() + "]: nothing starts at " + Bytes.Hex8(pos) + " (a hole in the table)";
                }

                // The blocks after the first one it covers: nothing else starts inside it.
                int end = pos + len;
                int lastBlock = ((end - 1 - hb) >> BLOCKLOG) + 1;
                for (int bb = b + 1; bb <= lastBlock; bb++)
                {
                    int w0 = h[bb * HEAPINFO_WORDS];
                    int bs = ADDRESS(bb);
                    if ((w0 & C_AREA) == 0 || (w0 & (C_RUN | C_RUNI)) != 0)
                    {
                        return "heapinfo[" + bb.ToString() + "]: inside the " + (isGap ? "gap" : "object") + " at " + Bytes.Hex8(pos) + " but not of the large area";
                    }

                    if (((w0 & C_OBJ) != 0 && bs + (((w0 >> C_OBJ_SHIFT) & C_OFF_MASK) << 4) < end)
                        || ((w0 & C_GAP) != 0 && bs + (((w0 >> C_GAP_SHIFT) & C_OFF_MASK) << 4) < end))
                    {
                        return "heapinfo[" + bb.ToString() + "]: something starts inside the " + (isGap ? "gap" : "object") + " at " + Bytes.Hex8(pos);
                    }

                    bool back = (w0 & C_BACK) != 0;
                    if (isGap && bb == lastBlock)
                    {
                        if (!back || h[(bb * HEAPINFO_WORDS) + 2] != pos)
                        {
                            return "heapinfo[" + bb.ToString() + "]: the gap at " + Bytes.Hex8(pos) + " ends here but the block does not point back to it";
                        }

                        backs++;
                    }
                    else if (back)
                    {
                        return "heapinfo[" + bb.ToString() + "]: points back to a gap that does not end here";
                    }
                }

                pos = end;
            }

            // Every mark in the table was met on the way, and the entries past the top are clear.
            int objMarks = 0, gapMarks = 0, backMarks = 0, runMarks = 0, runiMarks = 0;
            for (int b = 1; b < _tableBlocks; b++)
            {
                int b3 = b * HEAPINFO_WORDS;
                int w0 = h[b3];
                if (b >= limit)
                {
                    if (w0 != C_AREA || h[b3 + 1] != 0 || h[b3 + 2] != 0)
                    {
                        return "heapinfo[" + b.ToString() + "]: entry past the top is in use";
                    }

                    continue;
                }

                if ((w0 & C_RUN) != 0)
                {
                    if ((w0 & ~(C_RUN | C_CLASS_MASK | (C_LAST_MASK << C_LAST_SHIFT))) != 0)
                    {
                        return "heapinfo[" + b.ToString() + "]: run head " + Bytes.Hex8(w0) + " has bits no run head uses";
                    }

                    runMarks++;
                }
                else if (w0 == C_RUNI)
                {
                    runiMarks++;
                }
                else if ((w0 & C_AREA) != 0)
                {
                    // Clear what no mark uses: the next object or gap set here ORs its offset in.
                    if ((w0 & ~(C_AREA | C_OBJ | C_GAP | C_BACK | (C_OFF_MASK << C_OBJ_SHIFT) | (C_OFF_MASK << C_GAP_SHIFT))) != 0
                        || ((w0 & C_OBJ) == 0 && (((w0 >> C_OBJ_SHIFT) & C_OFF_MASK) != 0 || h[b3 + 1] != 0))
                        || ((w0 & C_GAP) == 0 && ((w0 >> C_GAP_SHIFT) & C_OFF_MASK) != 0)
                        || ((w0 & (C_GAP | C_BACK)) == 0 && h[b3 + 2] != 0))
                    {
                        return "heapinfo[" + b.ToString() + "]: entry " + Bytes.Hex8(w0) + " " + Bytes.Hex8(h[b3 + 1]) + " " + Bytes.Hex8(h[b3 + 2])
                            + " holds an offset, a length or bits that none of its marks uses";
                    }

                    objMarks += w0 & C_OBJ;
                    gapMarks += (w0 & C_GAP) >> 1;
                    backMarks += (w0 & C_BACK) >> 2;
                }
                else
                {
                    return "heapinfo[" + b.ToString() + "]: unknown entry " + w0.ToString();
                }
            }

            if (objMarks != objects || gapMarks != gaps || backMarks != backs || runMarks != runs || runiMarks != runBlocks - runs)
            {
                return "table: " + objMarks.ToString() + " object, " + gapMarks.ToString() + " gap, " + backMarks.ToString() + " back marks, "
                    + runMarks.ToString() + " runs, but the walk met " + objects.ToString() + ", " + gaps.ToString() + ", " + backs.ToString() + ", " + runs.ToString();
            }

            // 2. The gap lists and their bitmaps.
            int listed = 0;
            int fl = 0;
            for (int list = 0; list < _gHead.Length; list++)
            {
                int s = _gHead[list];
                bool bit = (_gSl[list >> C_SL] & (1 << (list & ((1 << C_SL) - 1)))) != 0;
                if (bit != (s != 0))
                {
                    return "gap list " + list.ToString() + ": bitmap says " + (bit ? "non-empty" : "empty") + " but its head is " + Bytes.Hex8(s);
                }

                if (s != 0)
                {
                    fl |= 1 << (list >> C_SL);
                }

                int back = 0;
                int steps = 0;
                while (s != 0)
                {
                    if (++steps > gaps)
                    {
                        return "gap list " + list.ToString() + ": longer than the " + gaps.ToString() + " gaps (cycle?)";
                    }

                    if (s < hb || s >= _top)
                    {
                        return "gap list " + list.ToString() + ": node " + Bytes.Hex8(s) + " is outside the heap";
                    }

                    int size = GapAt(s);
                    if (size == 0)
                    {
                        return "gap list " + list.ToString() + ": node " + Bytes.Hex8(s) + " is not the start of a gap";
                    }

                    if (GapList(size) != list)
                    {
                        return "gap list " + list.ToString() + ": gap " + Bytes.Hex8(s) + " of " + size.ToString() + " bytes belongs to list " + GapList(size).ToString();
                    }

                    if (Bytes.GetInt32(m, s + 4) != back)
                    {
                        return "gap list " + list.ToString() + ": node " + Bytes.Hex8(s) + " has prev " + Bytes.Hex8(Bytes.GetInt32(m, s + 4)) + ", expected " + Bytes.Hex8(back);
                    }

                    listed++;
                    back = s;
                    s = Bytes.GetInt32(m, s);
                }
            }

            if (fl != _gFl)
            {
                return "gap bitmap: first level " + _gFl.ToString("X") + ", expected " + fl.ToString("X");
            }

            if (listed != gaps)
            {
                return "gap lists hold " + listed.ToString() + " gaps but the heap has " + gaps.ToString();
            }

            // 3. The class lists: each node a slot of a run of its class, each run's free slots
            //    together from its first to its last, nfree of them.
            int[] seen = null;
            int totalFree = chunksFree - gaps;
            for (int c = 0; c < _cHead.Length; c++)
            {
                int size = _cSize[c];
                int q = _cHead[c];
                int back = 0;
                int runLeft = 0;
                int run3 = 0;
                int steps = 0;
                while (q != 0)
                {
                    if (++steps > totalFree)
                    {
                        return "class " + size.ToString() + " list: longer than the free slots (cycle?)";
                    }

                    if (q < hb || q >= _top)
                    {
                        return "class " + size.ToString() + " list: node " + Bytes.Hex8(q) + " is outside the heap";
                    }

                    int b3 = C3(q);
                    int w0 = h[b3];
                    int r3 = (w0 & C_RUNI) != 0 ? h[b3 + 1] * HEAPINFO_WORDS : b3;
                    if ((w0 & (C_RUN | C_RUNI)) == 0 || (h[r3] & C_RUN) == 0 || (h[r3] & C_CLASS_MASK) != c)
                    {
                        return "class " + size.ToString() + " list: node " + Bytes.Hex8(q) + " is not in a run of the class";
                    }

                    int rs = ADDRESS(r3 / HEAPINFO_WORDS);
                    int index = (q - rs) / size;
                    if ((q - rs) % size != 0 || index >= _cSlots[c])
                    {
                        return "class " + size.ToString() + " list: node " + Bytes.Hex8(q) + " is not on a slot boundary";
                    }

                    if (Bytes.GetInt32(m, q + 4) != back)
                    {
                        return "class " + size.ToString() + " list: node " + Bytes.Hex8(q) + " has prev " + Bytes.Hex8(Bytes.GetInt32(m, q + 4)) + ", expected " + Bytes.Hex8(back);
                    }

                    if (runLeft == 0)
                    {
                        if (seen == null)
                        {
                            seen = new int[_tableBlocks];
                        }

                        if (seen[r3 / HEAPINFO_WORDS] != 0)
                        {
                            return "class " + size.ToString() + " list: the free slots of the run at " + Bytes.Hex8(rs) + " are not together";
                        }

                        if (h[r3 + 2] != index)
                        {
                            return "run at " + Bytes.Hex8(rs) + ": first is " + h[r3 + 2].ToString() + " but its free slots start at slot " + index.ToString();
                        }

                        run3 = r3;
                        runLeft = h[r3 + 1];
                    }
                    else if (r3 != run3)
                    {
                        return "run at " + Bytes.Hex8(ADDRESS(run3 / HEAPINFO_WORDS)) + ": " + runLeft.ToString() + " fewer free slots in the list than nfree says";
                    }

                    seen[r3 / HEAPINFO_WORDS]++;
                    runLeft--;
                    if (runLeft == 0 && ((h[r3] >> C_LAST_SHIFT) & C_LAST_MASK) != index)
                    {
                        return "run at " + Bytes.Hex8(rs) + ": last is " + ((h[r3] >> C_LAST_SHIFT) & C_LAST_MASK).ToString() + " but its free slots end at slot " + index.ToString();
                    }

                    back = q;
                    q = Bytes.GetInt32(m, q);
                }

                if (runLeft != 0)
                {
                    return "run at " + Bytes.Hex8(ADDRESS(run3 / HEAPINFO_WORDS)) + ": " + runLeft.ToString() + " fewer free slots in the list than nfree says";
                }
            }

            for (int b = 1; b < limit; b++)
            {
                int w0 = h[b * HEAPINFO_WORDS];
                if ((w0 & C_RUN) != 0)
                {
                    int listedSlots = seen == null ? 0 : seen[b];
                    if (listedSlots != h[(b * HEAPINFO_WORDS) + 1])
                    {
                        return "run at " + Bytes.Hex8(ADDRESS(b)) + ": nfree " + h[(b * HEAPINFO_WORDS) + 1].ToString() + " but " + listedSlots.ToString() + " of its slots are on the list";
                    }
                }
            }

            // 4. Statistics against the recount (memalign's pairs are BaseHeap's to check).
            return CheckCounters(chunksUsed, bytesUsed, chunksFree, bytesFree);
        }

        /// <summary>
        /// Compact: the heap in address order, one item per run, object or gap, keyed by offset:
        /// "8:slots56x2(8/9,first 8)" a run of 2 blocks of 56-byte slots with 8 of 9 free, its
        /// free slots starting at slot 8; "520:used(272)" a large object; "792:free(240)" a gap;
        /// "pos:?" where the table says nothing sound (damage; the walk goes on 16 bytes later).
        /// </summary>
        protected override string DescribeLocked()
        {
            string[] items = new string[16];   // see AddItem
            int count = 0;
            int pos = _heapbase;
            int guard = _top - _heapbase;
            while (pos < _top && guard-- > 0)
            {
                int state;
                int nfree;
                int len = ReadItem(pos, out state, out nfree);
                if (len == 0)
                {
                    // A damaged top or length leads past the table: say so and stop.
                    items = AddItem(items, count++, pos.ToString() + ":?");
                    break;
                }

                string item;
                if (state > 0)
                {
                    int c = _heapinfo[C3(pos)] & C_CLASS_MASK;
                    item = "slots" + _cSize[c].ToString() + "x" + _cBlocks[c].ToString() + "(" + nfree.ToString() + "/" + _cSlots[c].ToString()
                        + (nfree > 0 ? ",first " + _heapinfo[C3(pos) + 2].ToString() : "") + ")";
                }
                else if (state == WalkObject)
                {
                    item = "used(" + len.ToString() + ")";
                }
                else if (state == WalkFree)
                {
                    item = "free(" + len.ToString() + ")";
                }
                else
                {
                    item = "?";
                }

                items = AddItem(items, count++, pos.ToString() + ":" + item);
                pos += len;
            }

            return JoinItems(items, count);
        }

        /// <summary>
        /// The item that starts at <paramref name="pos"/> (inside the heap), for the walkers: returns
        /// its length and gives its state (the slot size of a run, WalkObject, WalkFree, or
        /// WalkAnomaly for 16 bytes where the table says nothing sound) and a run's free slots;
        /// 0 when pos leads past the table (a damaged top or length).
        /// </summary>
        private int ReadItem(int pos, out int state, out int nfree)
        {
            int[] h = _heapinfo;
            int b3 = C3(pos);
            nfree = 0;
            state = WalkAnomaly;
            if (pos < _heapbase || b3 + HEAPINFO_WORDS > h.Length)
            {
                return 0;
            }

            int w = h[b3];
            int start = pos - ((pos - _heapbase) & (BLOCKSIZE - 1));
            if ((w & C_RUN) != 0 && pos == start && (w & C_CLASS_MASK) < _cSize.Length)
            {
                int c = w & C_CLASS_MASK;
                nfree = h[b3 + 1];
                state = _cSize[c];
                return _cBlocks[c] << BLOCKLOG;
            }

            if ((w & C_AREA) != 0 && (w & C_OBJ) != 0 && start + (((w >> C_OBJ_SHIFT) & C_OFF_MASK) << 4) == pos && h[b3 + 1] > 0)
            {
                state = WalkObject;
                return h[b3 + 1];
            }

            if ((w & C_AREA) != 0 && (w & C_GAP) != 0 && start + (((w >> C_GAP_SHIFT) & C_OFF_MASK) << 4) == pos && h[b3 + 2] > 0)
            {
                state = WalkFree;
                return h[b3 + 2];
            }

            return C_GRANULE;
        }

        /// <summary>
        /// At most two rows per block (a gap never touches another, so between two gaps stands a
        /// run or an object of at least a block), plus one.
        /// </summary>
        public override int MaxWalkRows
        {
            get { return (2 * (_tableBlocks - 2)) + 1; }
        }

        /// <summary>
        /// The heap's rows (see BaseHeap.WalkTable): a run is one row of its slot size, a large
        /// object WalkObject, a gap WalkFree, in bytes; where the table says nothing sound, one
        /// WalkAnomaly row up to the next block (so a damaged table still fits MaxWalkRows).
        /// </summary>
        protected override int WalkLocked(int[] rows)
        {
            int count = 0;
            int pos = _heapbase;
            int guard = _top - _heapbase;
            while (pos < _top && guard-- > 0)
            {
                int state;
                int nfree;
                int len = ReadItem(pos, out state, out nfree);
                if (len == 0)
                {
                    break;
                }

                if (state == WalkAnomaly)
                {
                    len = BLOCKSIZE - ((pos - _heapbase) & (BLOCKSIZE - 1));
                    if (len > _top - pos)
                    {
                        len = _top - pos;
                    }
                }

                PutRow(rows, count++, pos, len, state, nfree);
                pos += len;
            }

            return count;
        }

        /// <summary>Every free slot, class list by class list (bounded: a cyclic list ends).</summary>
        protected override int WalkFreeSlotsLocked(int[] offsets)
        {
            int count = 0;
            int limit = (_top - _heapbase) >> 3;   // slots of 8 bytes the heap could hold
            for (int c = 0; c < _cHead.Length; c++)
            {
                int p = _cHead[c];
                int steps = 0;
                while (p != 0 && steps++ <= limit && p >= _heapbase && p <= _top - 8)
                {
                    if (count < offsets.Length)
                    {
                        offsets[count] = p;
                    }

                    count++;
                    p = Bytes.GetInt32(_m, p);
                }
            }

            return count;
        }

        /// <summary>One walk of the heap into <paramref name="s"/>: runs by class, large objects, gaps.</summary>
        protected override void SummarizeLocked(HeapSummary s)
        {
            s.Clear();
            s.BlockLog = BLOCKLOG;
            int chunksUsed = 0, bytesUsed = 0, chunksFree = 0, bytesFree = 0;
            int largestGap = 0;
            int pos = _heapbase;
            int guard = _top - _heapbase;
            while (pos < _top && guard-- > 0)
            {
                int state;
                int nfree;
                int len = ReadItem(pos, out state, out nfree);
                if (len == 0)
                {
                    s.Anomalies++;
                    break;
                }

                if (state > 0)
                {
                    int c = _heapinfo[C3(pos)] & C_CLASS_MASK;
                    int n = _cSlots[c];
                    s.FragmentSize[c] = state;
                    s.FragmentBlocks[c] += _cBlocks[c];
                    s.FragmentsUsed[c] += n - nfree;
                    s.FragmentsFree[c] += nfree;
                    chunksUsed += n - nfree;
                    bytesUsed += (n - nfree) * state;
                    chunksFree += nfree;
                    bytesFree += nfree * state;
                }
                else if (state == WalkObject)
                {
                    s.Objects++;
                    s.ObjectBytes += len;
                    chunksUsed++;
                    bytesUsed += len;
                }
                else if (state == WalkFree)
                {
                    s.Holes++;
                    s.HoleBytes += len;
                    if (len > largestGap)
                    {
                        largestGap = len;
                    }

                    if (pos + len == _top)
                    {
                        s.TopHoleBytes = len;
                    }

                    chunksFree++;
                    bytesFree += len;
                }
                else
                {
                    s.Anomalies++;
                }

                pos += len;
            }

            s.ObjectBlocks = s.ObjectBytes >> BLOCKLOG;
            s.HoleBlocks = s.HoleBytes >> BLOCKLOG;
            MStats m = s.Stats;
            m.BytesTotal = _top - _heapbase;
            m.ChunksUsed = chunksUsed;
            m.BytesUsed = bytesUsed;
            m.ChunksFree = chunksFree;
            m.BytesFree = bytesFree;
            m.LargestFreeRun = largestGap;
            FinishSummary(s);
        }
    }
}
