// The garbage detector (marking), conservative and recursive as in the seed: every aligned
// 32-bit value in the roots (the data zone, the slots of the live stack frames, and every element
// of the int[] arrays registered with AddRoots) that points
// into a live block marks the block, and every marked block's own words are scanned in turn.
// A value equal to a block's start (the user pointer) makes the block surely reachable; a value
// inside its requested bytes (one past the end included, as C allows) only maybe reachable.
// Aged blocks are not live: pointers to them are dangling, not references.
//
// Roots in C# fields: a C firmware's statics and locals are in the data and stack zones, which
// are scanned; a C# firmware keeps its offsets in fields and locals the detector cannot see. It
// registers an int[] holding them (AddRoots) and the detector reads every element as it reads a
// word of the data zone; RemoveRoots ends that. Only int[] is taken: nanoFramework's reflection
// cannot enumerate an object's int fields.
//
// Two marking passes over the block map's flags:
//   1. SURE: from the roots, following start pointers only;
//   2. REACH: from the roots and every SURE block, following start and interior pointers.
// A live block without REACH is a leak; REACH without SURE a potential leak (Families.cs groups
// and reports them). Cycles end because a block is pushed only when its flag is first set, so
// each pass scans a block at most once.
//
// Memory: no recursion (the device's C# stack is tiny) and nothing allocated per block. The
// work array holds, for the n live blocks, their headers (ascending: the block map is walked in
// address order, so a value is looked up by binary search), their sizes, and the mark stack
// (each block is pushed at most once per pass, so n entries are enough). It is allocated when a
// run finds more blocks than it holds, and kept: 12 bytes per live block at the high-water mark.
// Cost: O(words scanned * log n) per pass; nothing on the malloc/free path.
namespace Checker.Nano
{
    public sealed partial class CheckerHeap
    {
        private int[] _work = new int[0];
        private int _workBlocks;        // n: live blocks found by the last marking
        private int _workSkipped;       // START granules the debug heap did not confirm
        private int _lo;                // lowest block start: values below cannot be references
        private int _hi;                // highest block end
        private int _markSp;            // mark stack depth (in _work[2n ..])
        private int _scannedWords;
        private object[] _roots = new object[0];   // the registered int[] arrays
        private int _rootCount;

        /// <summary>
        /// Registers <paramref name="roots"/> as roots of the garbage detector: every element that
        /// holds a block's offset keeps that block reachable, as a word of the data zone would.
        /// The array is read at each run, so the firmware keeps its offsets in it as they change.
        /// Throws ArgumentNullException for null and ArgumentException for an array already registered.
        /// </summary>
        public void AddRoots(int[] roots)
        {
            if (roots == null)
            {
                throw new System.ArgumentNullException("roots");
            }

            lock (_sync)
            {
                if (IndexOfRoots(roots) >= 0)
                {
                    throw new System.ArgumentException("this int[] is registered already", "roots");
                }

                if (_rootCount == _roots.Length)
                {
                    object[] grown = new object[_rootCount + 4];
                    System.Array.Copy(_roots, grown, _rootCount);
                    _roots = grown;
                }

                _roots[_rootCount++] = roots;
            }
        }

        /// <summary>Unregisters <paramref name="roots"/>; false if it was not registered. Throws ArgumentNullException for null.</summary>
        public bool RemoveRoots(int[] roots)
        {
            if (roots == null)
            {
                throw new System.ArgumentNullException("roots");
            }

            lock (_sync)
            {
                int i = IndexOfRoots(roots);
                if (i < 0)
                {
                    return false;
                }

                _rootCount--;
                _roots[i] = _roots[_rootCount];
                _roots[_rootCount] = null;
                return true;
            }
        }

        /// <summary>How many int[] arrays are registered as roots.</summary>
        public int RootArrays
        {
            get { return _rootCount; }
        }

        private int IndexOfRoots(int[] roots)
        {
            for (int i = 0; i < _rootCount; i++)
            {
                if (_roots[i] == (object)roots)
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>
        /// How the last detector run found the live block at <paramref name="ptr"/>: 2 surely
        /// reachable, 1 maybe (through interior pointers only), 0 unreachable (also a block
        /// allocated since the run); -1 if it is not a live block.
        /// </summary>
        public int ReachabilityOf(int ptr)
        {
            lock (_sync)
            {
                int flags = FlagsAt(ptr - DebugHeap.HEADER_BYTES);
                if ((flags & G_START) == 0)
                {
                    return -1;
                }

                return (flags & G_SURE) != 0 ? 2 : (flags & G_REACH) != 0 ? 1 : 0;
            }
        }

        /// <summary>Words the last detector run examined (roots and blocks, both passes).</summary>
        public int ScannedWords
        {
            get { return _scannedWords; }
        }

        /// <summary>
        /// Marks the live blocks: collects them from the block map (checking each with the debug
        /// heap), then runs both passes. Leaves SURE and REACH in their granules.
        /// </summary>
        private void MarkBlocks()
        {
            byte[] m = _m;
            int brk = _arena.Break;
            int first = _blockMapStart;
            int end = brk > _heapStart ? GranuleOf(brk - 1) + 1 : first;
            int count = 0;
            for (int i = first; i < end; i++)
            {
                if ((m[i] & G_START) != 0)
                {
                    count++;
                }
            }

            if (_work.Length < 3 * count)
            {
                _work = new int[3 * count];
            }

            int[] w = _work;
            int n = 0;
            _workSkipped = 0;
            for (int i = first; i < end; i++)
            {
                int flags = m[i];
                if ((flags & G_START) == 0)
                {
                    continue;
                }

                m[i] = (byte)(flags & ~(G_SURE | G_REACH));
                int data = HeaderAt(i) + DebugHeap.HEADER_BYTES;
                if (_debug.GetBlockInfoLocked(data, _info) != DebugHeapError.None || _info.BlockUse == BlockType.Free)
                {
                    _workSkipped++;
                    continue;
                }

                w[n] = data;
                w[count + n] = _info.Size;
                n++;
            }

            // Sizes move next to the headers so that the stack can start at 2n.
            if (n < count)
            {
                System.Array.Copy(w, count, w, n, n);
            }

            _workBlocks = n;
            _lo = n > 0 ? w[0] : 1;
            _hi = n > 0 ? w[n - 1] + w[n + n - 1] : 0;
            _scannedWords = 0;

            // Pass 1: surely reachable.
            _markSp = 0;
            ScanRoots(true, G_SURE);
            Drain(true, G_SURE);

            // Pass 2: reachable at all, from the roots and every SURE block.
            for (int j = 0; j < n; j++)
            {
                int g = GranuleOf(w[j] - DebugHeap.HEADER_BYTES);
                if ((m[g] & G_SURE) != 0)
                {
                    m[g] = (byte)(m[g] | G_REACH);
                    w[(n << 1) + _markSp++] = j;
                }
            }

            ScanRoots(false, G_REACH);
            Drain(false, G_REACH);
        }

        /// <summary>The roots: the data zone, and the slots of every live frame (the live stack wholesale past a damaged header).</summary>
        private void ScanRoots(bool exact, int flag)
        {
            ScanWords(_dataStart, _dataEnd - _dataStart, exact, flag);
            int f = _sp;
            while (f < _stackTop)
            {
                if (!FrameHeaderOk(f))
                {
                    ScanWords(f, _stackTop - f, exact, flag);
                    return;
                }

                int bytes = FrameBytes(f);
                ScanWords(f + FrameHeaderBytes, bytes - FrameHeaderBytes, exact, flag);
                f += bytes;
            }

            for (int r = 0; r < _rootCount; r++)
            {
                int[] a = (int[])_roots[r];
                for (int k = 0; k < a.Length; k++)
                {
                    int v = a[k];
                    if (v >= _lo && v <= _hi)
                    {
                        Mark(v, exact, flag);
                    }
                }

                _scannedWords += a.Length;
            }
        }

        private void Drain(bool exact, int flag)
        {
            int[] w = _work;
            int n = _workBlocks;
            while (_markSp > 0)
            {
                int j = w[(n << 1) + --_markSp];
                ScanWords(w[j], w[n + j], exact, flag);
            }
        }

        /// <summary>Scans the aligned words of [from, from + bytes) and marks (and pushes) the blocks they point to.</summary>
        private void ScanWords(int from, int bytes, bool exact, int flag)
        {
            byte[] m = _m;
            int lo = _lo;
            int hi = _hi;
            int end = from + bytes - 3;
            int words = 0;
            for (int a = from; a < end; a += 4)
            {
                words++;
                int v = m[a] | (m[a + 1] << 8) | (m[a + 2] << 16) | (m[a + 3] << 24);
                if (v >= lo && v <= hi)
                {
                    Mark(v, exact, flag);
                }
            }

            _scannedWords += words;
        }

        /// <summary>Marks (and pushes) the block <paramref name="v"/> points to, if any: its start, or with !exact anywhere in it.</summary>
        private void Mark(int v, bool exact, int flag)
        {
            int[] w = _work;
            int n = _workBlocks;

            // The last block starting at or below v.
            int l = 0;
            int h = n - 1;
            int j = -1;
            while (l <= h)
            {
                int mid = (l + h) >> 1;
                if (w[mid] <= v)
                {
                    j = mid;
                    l = mid + 1;
                }
                else
                {
                    h = mid - 1;
                }
            }

            if (j < 0 || (v != w[j] && (exact || v > w[j] + w[n + j])))
            {
                return;
            }

            byte[] m = _m;
            int g = GranuleOf(w[j] - DebugHeap.HEADER_BYTES);
            if ((m[g] & flag) == 0)
            {
                m[g] = (byte)(m[g] | flag);
                w[(n << 1) + _markSp++] = j;
            }
        }
    }
}
