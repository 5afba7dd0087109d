// Validate: the base heap's full invariant check (white box), and Describe: the heapinfo table as
// text for tests and dumps.
//
// Validate walks the table in address order (and, for each block, its words of the free-fragment
// bitmap), then the free list, then every fragment block list; every walk is bounded so a
// corrupted (cyclic) list ends. It returns null when everything holds, otherwise the first thing
// wrong and where.
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

            // 1. The table in address order, and each block's words of the bitmap.
            int clusters = 0;
            int[] listedByLog = new int[BLOCKLOG];
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
                }
                else if (w0 > 0)
                {
                    span = 1;
                    string problem = ValidateFragmentBlock(block, w0);
                    if (problem != null)
                    {
                        return problem;
                    }

                    if ((h[b3 + 1] & FRAG_INLIST) != 0)
                    {
                        listedByLog[w0]++;
                    }
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
                }

                for (int i = 1; i < span; i++)
                {
                    if (h[(block + i) * HEAPINFO_WORDS] != INTERIOR)
                    {
                        return "heapinfo[" + (block + i).ToString() + "]: inside the " + (w0 < 0 ? "free cluster" : "block")
                            + " at " + block.ToString() + " but not marked interior";
                    }
                }

                if (w0 <= 0)
                {
                    int bad = FirstSetWord(FirstWord(block), span * WordsPerBlock);
                    if (bad >= 0)
                    {
                        return "bitmap: word " + bad.ToString() + " has a free fragment in " + (w0 == 0 ? "a busy block" : "a free cluster") + " at block " + block.ToString();
                    }
                }

                block += span;
            }

            int past = FirstSetWord(FirstWord(_heaplimit), _bits.Length - FirstWord(_heaplimit));
            if (past >= 0)
            {
                return "bitmap: word " + past.ToString() + " past the heap has a bit set";
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

            // 3. The fragment block lists: doubly linked from _fraghead[log], every node a block of
            //    that size with free fragments (INLIST), every such block listed.
            for (int log = MINFRAGLOG; log < BLOCKLOG; log++)
            {
                int fb = _fraghead[log];
                int back = 0;
                int steps = 0;
                while (fb != 0)
                {
                    if (++steps > listedByLog[log])
                    {
                        return "fragment list " + (1 << log).ToString() + ": more blocks than the " + listedByLog[log].ToString() + " with free fragments of that size (cycle?)";
                    }

                    if (fb >= _heaplimit || h[fb * HEAPINFO_WORDS] != log || (h[(fb * HEAPINFO_WORDS) + 1] & FRAG_INLIST) == 0)
                    {
                        return "fragment list " + (1 << log).ToString() + ": block " + fb.ToString() + " is not a block of " + (1 << log).ToString() + "-byte fragments with free ones";
                    }

                    int w2 = h[(fb * HEAPINFO_WORDS) + 2];
                    if (((w2 >> FRAG_PREV_SHIFT) & FRAG_LINK_MASK) != back)
                    {
                        return "fragment list " + (1 << log).ToString() + ": block " + fb.ToString() + " has prev " + ((w2 >> FRAG_PREV_SHIFT) & FRAG_LINK_MASK).ToString() + ", expected " + back.ToString();
                    }

                    back = fb;
                    fb = w2 & FRAG_LINK_MASK;
                }

                if (steps != listedByLog[log])
                {
                    return "fragment list " + (1 << log).ToString() + ": " + steps.ToString() + " blocks but " + listedByLog[log].ToString() + " blocks of that size have free fragments";
                }
            }

            return null;
        }

        /// <summary>
        /// A fragment block's entry against its bitmap words: its log in range, bits only at
        /// fragment starts, live + free = fragments, listed exactly when it has free fragments,
        /// its hint then one of the block's words; null if all hold.
        /// </summary>
        private string ValidateFragmentBlock(int block, int log)
        {
            int[] h = _heapinfo;
            int b3 = block * HEAPINFO_WORDS;
            string where = "heapinfo[" + block.ToString() + "]: ";
            if (log < MINFRAGLOG || log >= BLOCKLOG)
            {
                return where + "fragment log " + log.ToString() + " out of range";
            }

            int count = BLOCKSIZE >> log;
            int w1 = h[b3 + 1];
            int live = w1 & FRAG_LIVE_MASK;
            if (live < 1 || live > count)
            {
                return where + live.ToString() + " live of " + count.ToString() + " fragments";
            }

            int first = FirstWord(block);
            int free = 0;
            int lowest = -1;
            int used = _bitMask == 31 ? -1 : (1 << (_bitMask + 1)) - 1;   // the bits of a word that cover the block
            for (int k = 0; k < WordsPerBlock; k++)
            {
                int bw = _bits[first + k];
                if ((bw & ~used) != 0)
                {
                    return "bitmap: word " + (first + k).ToString() + " has bits past block " + block.ToString();
                }

                if (bw != 0 && lowest < 0)
                {
                    lowest = first + k;
                }

                while (bw != 0)
                {
                    int low = bw & -bw;
                    bw ^= low;
                    int offset = ((k << (_wordLog - MINFRAGLOG)) + DeBruijn[(int)((uint)(low * 0x077CB531) >> 27)]) << MINFRAGLOG;
                    if ((offset & ((1 << log) - 1)) != 0)
                    {
                        return "bitmap: a free fragment at " + Bytes.Hex8(ADDRESS(block) + offset) + ", off the " + (1 << log).ToString() + "-byte fragments of block " + block.ToString();
                    }

                    free++;
                }
            }

            if (live + free != count)
            {
                return where + live.ToString() + " live and " + free.ToString() + " free fragments (bitmap), not " + count.ToString();
            }

            bool listed = (w1 & FRAG_INLIST) != 0;
            if (listed != (free > 0))
            {
                return where + (listed ? "in its size's list with no free fragment" : free.ToString() + " free fragments but not in its size's list");
            }

            int hint = w1 >> FRAG_HINT_SHIFT;
            if (listed ? hint < first || hint >= first + WordsPerBlock : hint != 0 || h[b3 + 2] != 0)
            {
                return where + "hint " + hint.ToString() + (listed ? ", not one of the block's words" : " and links " + h[b3 + 2].ToString() + " while out of the list");
            }

            return null;
        }

        /// <summary>
        /// The index of the fragment the next malloc takes from fragment block <paramref name="block"/>
        /// (of 1 &lt;&lt; log bytes): the lowest of its hint word, or of the next word round the
        /// block with one (as TakeFragment looks); -1 if none.
        /// </summary>
        private int NextFree(int block, int log)
        {
            int first = FirstWord(block);
            int words = WordsPerBlock;
            int wi = _heapinfo[(block * HEAPINFO_WORDS) + 1] >> FRAG_HINT_SHIFT;
            if (wi < first || wi >= first + words)
            {
                return -1;
            }

            for (int n = 0; n < words; n++)
            {
                int bw = _bits[wi];
                if (bw != 0)
                {
                    int offset = ((wi - first) << _wordLog) + (DeBruijn[(int)((uint)((bw & -bw) * 0x077CB531) >> 27)] << MINFRAGLOG);
                    return offset >> log;
                }

                if (++wi == first + words)
                {
                    wi = first;
                }
            }

            return -1;
        }

        /// <summary>The first of <paramref name="count"/> words of _bits from <paramref name="from"/> that is not 0, or -1.</summary>
        private int FirstSetWord(int from, int count)
        {
            for (int i = from; i < from + count && i < _bits.Length; i++)
            {
                if (_bits[i] != 0)
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>
        /// The heapinfo table in address order, one item per block or cluster:
        /// "1:used(2)" a busy object of 2 blocks, "3:frag128(31/32,next 1)" a block of 128-byte
        /// fragments with 31 of 32 free, fragment 1 the one the next malloc takes from it,
        /// "4:free(5)" a free cluster of 5 blocks. An empty heap is "".
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
                        + (nfree > 0 ? ",next " + NextFree(block, state).ToString() : "") + ")";
                }

                items = AddItem(items, count++, block.ToString() + ":" + item);
                block += span;
            }

            return JoinItems(items, count);
        }
    }
}
