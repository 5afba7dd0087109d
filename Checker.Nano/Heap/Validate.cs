// Validate: the base heap's full invariant check (white box), and Describe: the heapinfo table as
// text for tests and dumps.
//
// Validate walks the table in address order, then the free list, then every fragment list,
// and recomputes the statistics; every walk is bounded so a corrupted (cyclic) list ends. It
// returns null when everything holds, otherwise the first thing wrong and where.
namespace Checker.Nano
{
    public sealed partial class Heap
    {
        /// <summary>The seed's invariants (see the top of this file); the caller holds the lock.</summary>
        protected override string ValidateRaw()
        {
            int[] h = _heapinfo;
            if (_heaplimit < 1 || _heaplimit > _tableBlocks - 1)
            {
                return "_heaplimit " + _heaplimit.ToString() + " outside the table";
            }

            if (ADDRESS(_heaplimit) != _arena.Break)
            {
                return "heap ends at " + Bytes.Hex8(ADDRESS(_heaplimit)) + " but the break is " + Bytes.Hex8(_arena.Break);
            }

            // 1. The table in address order.
            int chunksUsed = 0, bytesUsed = 0, chunksFree = 0, bytesFree = 0;
            int clusters = 0;
            int[] fragsInBlock = null;
            int block = 1;
            while (block < _heaplimit)
            {
                int b3 = block * HEAPINFO_WORDS;
                int w0 = h[b3];
                int span;
                if (w0 == INTERIOR)
                {
                    return "heapinfo[" + block.ToString() + "]: interior entry where a block or cluster should start";
                }

                if (w0 == 0)
                {
                    span = h[b3 + 1];
                    if (span < 1 || block + span > _heaplimit)
                    {
                        return "heapinfo[" + block.ToString() + "]: busy block of " + span.ToString() + " blocks runs past the heap";
                    }

                    chunksUsed++;
                    bytesUsed += span << BLOCKLOG;
                }
                else if (w0 > 0)
                {
                    int last = (w0 >> LAST_SHIFT) & LAST_MASK;
                    int fresh = w0 >> FRESH_SHIFT;
                    w0 &= FRAGLOG_MASK;
                    span = 1;
                    int count = BLOCKSIZE >> w0;
                    int nfree = h[b3 + 1];
                    if (w0 < MINFRAGLOG || w0 >= BLOCKLOG)
                    {
                        return "heapinfo[" + block.ToString() + "]: fragment log " + w0.ToString() + " out of range";
                    }

                    if (nfree < 0 || nfree >= count)
                    {
                        return "heapinfo[" + block.ToString() + "]: nfree " + nfree.ToString() + " of " + count.ToString() + " fragments";
                    }

                    if (nfree > 0 && (h[b3 + 2] < 0 || h[b3 + 2] >= count || last >= count))
                    {
                        return "heapinfo[" + block.ToString() + "]: first " + h[b3 + 2].ToString() + ", last " + last.ToString() + " of " + count.ToString() + " fragments";
                    }

                    if (fresh > nfree || (fresh > 0 && last != 1))
                    {
                        return "heapinfo[" + block.ToString() + "]: " + fresh.ToString() + " fresh fragments with nfree " + nfree.ToString() + " and last " + last.ToString();
                    }

                    chunksUsed += count - nfree;
                    bytesUsed += (count - nfree) << w0;
                    chunksFree += nfree;
                    bytesFree += nfree << w0;
                }
                else
                {
                    span = -w0;
                    if (block + span > _heaplimit)
                    {
                        return "heapinfo[" + block.ToString() + "]: free cluster of " + span.ToString() + " blocks runs past the heap";
                    }

                    if (span > _largestFree)
                    {
                        return "heapinfo[" + block.ToString() + "]: free cluster of " + span.ToString() + " blocks, larger than the bound on the largest (" + _largestFree.ToString() + ")";
                    }

                    clusters++;
                    chunksFree++;
                    bytesFree += span << BLOCKLOG;
                }

                for (int i = 1; i < span; i++)
                {
                    if (h[(block + i) * HEAPINFO_WORDS] != INTERIOR)
                    {
                        return "heapinfo[" + (block + i).ToString() + "]: inside the " + (w0 < 0 ? "free cluster" : "block")
                            + " at " + block.ToString() + " but not marked interior";
                    }
                }

                block += span;
            }

            for (int i = _heaplimit; i < _tableBlocks; i++)
            {
                if (h[i * HEAPINFO_WORDS] != INTERIOR)
                {
                    return "heapinfo[" + i.ToString() + "]: entry past _heaplimit " + _heaplimit.ToString() + " is in use";
                }
            }

            // 2. The free list: circular, address-ordered, coalesced, doubly linked, only free starts.
            if (h[0] != 0)
            {
                return "heapinfo[0]: the anchor's size is " + (-h[0]).ToString() + ", not 0";
            }

            int prev = 0;
            int node = h[1];
            int seen = 0;
            while (node != 0)
            {
                if (++seen > clusters)
                {
                    return "free list: more nodes than the " + clusters.ToString() + " free clusters in the table (cycle?)";
                }

                if (node <= prev || node >= _heaplimit)
                {
                    return "free list: node " + node.ToString() + " after " + prev.ToString() + " is out of address order";
                }

                int n3 = node * HEAPINFO_WORDS;
                if (h[n3] >= 0 || h[n3] == INTERIOR)
                {
                    return "free list: node " + node.ToString() + " is not the start of a free cluster";
                }

                if (h[n3 + 2] != prev)
                {
                    return "free list: node " + node.ToString() + " has prev " + h[n3 + 2].ToString() + ", expected " + prev.ToString();
                }

                if (prev != 0 && prev - h[prev * HEAPINFO_WORDS] == node)
                {
                    return "free list: clusters " + prev.ToString() + " and " + node.ToString() + " touch but were not coalesced";
                }

                prev = node;
                node = h[n3 + 1];
            }

            if (h[2] != prev)
            {
                return "free list: the anchor's prev is " + h[2].ToString() + ", expected the last cluster " + prev.ToString();
            }

            if (seen != clusters)
            {
                return "free list: " + seen.ToString() + " nodes but " + clusters.ToString() + " free clusters in the table";
            }

            if (_heapindex != 0 && (_heapindex >= _heaplimit || h[_heapindex * HEAPINFO_WORDS] >= 0 || h[_heapindex * HEAPINFO_WORDS] == INTERIOR))
            {
                return "_heapindex " + _heapindex.ToString() + " is not a free cluster";
            }

            // 3. The fragment lists: each node a free fragment of its size, its block's run
            //    contiguous and starting at frag.first, nfree long.
            for (int log = MINFRAGLOG; log < BLOCKLOG; log++)
            {
                int frag = _fraghead[log];
                int back = 0;
                int runBlock = 0;
                int runLeft = 0;
                int steps = 0;
                int limit = (_heaplimit << BLOCKLOG) >> log;
                while (frag != 0)
                {
                    if (++steps > limit)
                    {
                        return "fragment list " + (1 << log).ToString() + ": longer than the heap could hold (cycle?)";
                    }

                    if (frag < _heapbase || frag >= ADDRESS(_heaplimit))
                    {
                        return "fragment list " + (1 << log).ToString() + ": node " + Bytes.Hex8(frag) + " is outside the heap";
                    }

                    int fb = BLOCK(frag);
                    int f3 = fb * HEAPINFO_WORDS;
                    if (h[f3] <= 0 || (h[f3] & FRAGLOG_MASK) != log)
                    {
                        return "fragment list " + (1 << log).ToString() + ": node " + Bytes.Hex8(frag) + " lies in block " + fb.ToString() + " which is not split into " + (1 << log).ToString() + "-byte fragments";
                    }

                    if (((frag - ADDRESS(fb)) & ((1 << log) - 1)) != 0)
                    {
                        return "fragment list " + (1 << log).ToString() + ": node " + Bytes.Hex8(frag) + " is not on a fragment boundary";
                    }

                    if (FragPrev(frag, log) != back)
                    {
                        return "fragment list " + (1 << log).ToString() + ": node " + Bytes.Hex8(frag) + " has prev " + Bytes.Hex8(FragPrev(frag, log)) + ", expected " + Bytes.Hex8(back);
                    }

                    if (runLeft == 0)
                    {
                        // A new block's run starts here.
                        if (fragsInBlock == null)
                        {
                            fragsInBlock = new int[_tableBlocks];
                        }

                        if (fragsInBlock[fb] != 0)
                        {
                            return "fragment list " + (1 << log).ToString() + ": the free fragments of block " + fb.ToString() + " are not together";
                        }

                        if (ADDRESS(fb) + (h[f3 + 2] << log) != frag)
                        {
                            return "heapinfo[" + fb.ToString() + "]: first is " + h[f3 + 2].ToString() + " but the block's run starts at fragment " + ((frag - ADDRESS(fb)) >> log).ToString();
                        }

                        runBlock = fb;
                        runLeft = h[f3 + 1];
                    }
                    else if (fb != runBlock)
                    {
                        return "fragment list " + (1 << log).ToString() + ": block " + runBlock.ToString() + " has " + runLeft.ToString() + " fewer free fragments in its run than nfree says";
                    }

                    int index = (frag - ADDRESS(fb)) >> log;
                    if (index >= 1 && index <= h[f3] >> FRESH_SHIFT && index != runLeft)
                    {
                        return "heapinfo[" + fb.ToString() + "]: fresh fragment " + index.ToString() + " is not at its place at the end of the block's run";
                    }

                    fragsInBlock[fb]++;
                    runLeft--;
                    if (runLeft == 0 && ADDRESS(fb) + (((h[f3] >> LAST_SHIFT) & LAST_MASK) << log) != frag)
                    {
                        return "heapinfo[" + fb.ToString() + "]: last is " + ((h[f3] >> LAST_SHIFT) & LAST_MASK).ToString() + " but the block's run ends at fragment " + index.ToString();
                    }

                    back = frag;
                    frag = FragNext(frag, log);
                }

                if (runLeft != 0)
                {
                    return "fragment list " + (1 << log).ToString() + ": block " + runBlock.ToString() + " has " + runLeft.ToString() + " fewer free fragments in its run than nfree says";
                }
            }

            for (block = 1; block < _heaplimit; block++)
            {
                int w0 = h[block * HEAPINFO_WORDS];
                if (w0 > 0 && w0 != INTERIOR)
                {
                    int listed = fragsInBlock == null ? 0 : fragsInBlock[block];
                    if (listed != h[block * HEAPINFO_WORDS + 1])
                    {
                        return "heapinfo[" + block.ToString() + "]: nfree " + h[block * HEAPINFO_WORDS + 1].ToString() + " but " + listed.ToString() + " fragments of it are on the list";
                    }
                }
            }

            // 4. Statistics against the recount (memalign's pairs are BaseHeap's to check).
            return CheckCounters(chunksUsed, bytesUsed, chunksFree, bytesFree);
        }

        /// <summary>
        /// The heapinfo table in address order, one item per block or cluster:
        /// "1:used(2)" a busy object of 2 blocks, "3:frag128(31/32,first 31)" a block of 128-byte
        /// fragments with 31 of 32 free, the block's run starting at fragment 31, "4:free(5)" a
        /// free cluster of 5 blocks. An empty heap is "".
        /// </summary>
        protected override string DescribeLocked()
        {
            string[] items = new string[16];
            int count = 0;
            int block = 1;
            while (block < _heaplimit)
            {
                int state;
                int nfree;
                int span = ReadEntry(block, out state, out nfree);
                string item;
                if (state == WalkObject)
                {
                    item = "used(" + span.ToString() + ")";
                }
                else if (state == WalkFree)
                {
                    item = "free(" + span.ToString() + ")";
                }
                else if (state == WalkAnomaly)
                {
                    item = "interior?";
                }
                else
                {
                    item = "frag" + (1 << state).ToString() + "(" + nfree.ToString() + "/" + (BLOCKSIZE >> state).ToString()
                        + (nfree > 0 ? ",first " + _heapinfo[(block * HEAPINFO_WORDS) + 2].ToString() : "") + ")";
                }

                items = AddItem(items, count++, block.ToString() + ":" + item);
                block += span;
            }

            return JoinItems(items, count);
        }
    }
}
