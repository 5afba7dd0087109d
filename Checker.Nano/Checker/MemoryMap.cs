// The memory map: the zones Checker watches (the seed's data, heap and stack) laid out in the
// arena the way a firmware image lays them out in RAM, with Checker's own maps below them:
//
//   0            8              MapsEnd = DataStart     HeapStart = Arena.Start         StackLimit = Arena.Limit        Size
//   | null zone  | bitmap | block map | data zone       | heap: blocks ... break ->  (gap)  | <- stack frames ... | top
//
//   null zone   8 bytes never mapped: offset 0 is null everywhere in Checker.Nano.
//   bitmap      2 bits per byte of [DataStart, Size): the access state of every byte of the zones.
//   block map   1 byte per granule of [HeapStart, StackLimit): which granule holds a block's
//               header, and the detector's marks (Bitmap.cs).
//   data zone   the firmware's globals (DataBytes, fixed per board): roots of the garbage detector.
//   heap        from the arena's Start up to its break; the break may not pass StackLimit
//               (Arena.SetLimit): an allocation that would cross into the stack is an "oom".
//   stack       a fixed zone at the top; frames are pushed downwards from Size; the live part,
//               [StackPointer, Size), is a root of the garbage detector.
//
// Sizes: every zone starts on a multiple of 8. The maps' size depends on where the data zone
// starts, which depends on the maps' size; Layout finds the smallest maps region that holds
// both maps for the zones above it. The bitmap costs a quarter of what it covers (a fifth of
// the arena), the block map 1/32 of the heap's room (1/BLOCKSIZE with blocks under 32 bytes).
namespace Checker.Nano
{
    /// <summary>The zones of the memory map, as <see cref="CheckerHeap.ZoneOf"/> names them.</summary>
    public static class Zone
    {
        /// <summary>Outside the arena (negative, or at or past its size).</summary>
        public const int Outside = 0;

        /// <summary>The null zone: the first 8 bytes.</summary>
        public const int Null = 1;

        /// <summary>Checker's bitmap and block map.</summary>
        public const int Maps = 2;

        /// <summary>The data zone (globals).</summary>
        public const int Data = 3;

        /// <summary>The heap: from its start up to the break.</summary>
        public const int Heap = 4;

        /// <summary>Between the break and the stack zone: room the heap may still take.</summary>
        public const int Gap = 5;

        /// <summary>The stack zone (live or not).</summary>
        public const int Stack = 6;

        private static readonly string[] Names = { "outside the arena", "the null zone", "Checker's maps", "the data zone", "the heap", "between the heap and the stack", "the stack zone" };

        /// <summary>A zone's name as reports show it ("the data zone").</summary>
        public static string NameOf(int zone)
        {
            return zone >= 0 && zone < Names.Length ? Names[zone] : "?";
        }
    }

    public sealed partial class CheckerHeap
    {
        /// <summary>Bytes at the bottom of the arena that are never mapped (offset 0 is null).</summary>
        public const int NullZoneBytes = 8;

        /// <summary>log2 of the block map's granule when BLOCKSIZE allows it: debug blocks take at least 32 bytes, so headers lie 32 apart.</summary>
        public const int MaxGranuleLog = 5;

        // The layout (all multiples of 8), fixed at construction.
        private int _bitmapStart;       // = NullZoneBytes
        private int _bitmapBytes;
        private int _blockMapStart;
        private int _blockMapBytes;     // one byte per granule of [_heapStart, _stackLimit)
        private int _dataStart;         // = _mapStart: the bitmap covers [_dataStart, _size)
        private int _dataEnd;
        private int _heapStart;
        private int _stackLimit;
        private int _stackTop;          // = the arena's size
        private int _mapStart;          // the first byte the bitmap covers
        private int _mapLength;         // bytes covered: [_mapStart, _mapStart + _mapLength)
        private int _granuleLog;

        private static int Round8(int n)
        {
            return (n + 7) & ~7;
        }

        private void ComputeLayout(int size, int blockSize, int dataBytes, int stackBytes)
        {
            int blockLog = 0;
            while ((1 << blockLog) < blockSize)
            {
                blockLog++;
            }

            _granuleLog = blockLog < MaxGranuleLog ? blockLog : MaxGranuleLog;
            int data = Round8(dataBytes);
            int stack = Round8(stackBytes);
            if ((long)NullZoneBytes + data + stack >= size)
            {
                throw new System.ArgumentException("the data and stack zones do not fit the arena", "memory");
            }

            // The smallest maps region m (a multiple of 8) with m >= Need(m): Need falls as m grows.
            int lo = 0;
            int hi = Round8(MapsNeed(size, data, stack, 0));
            while (lo < hi)
            {
                int mid = ((lo + hi) >> 1) & ~7;
                if (mid >= MapsNeed(size, data, stack, mid))
                {
                    hi = mid;
                }
                else
                {
                    lo = mid + 8;
                }
            }

            _bitmapStart = NullZoneBytes;
            _dataStart = NullZoneBytes + lo;
            _dataEnd = _dataStart + data;
            _heapStart = _dataEnd;
            _stackTop = size;
            _stackLimit = size - stack;
            if (_heapStart >= _stackLimit)
            {
                throw new System.ArgumentException("no room is left for the heap once the maps, data and stack zones are laid out", "memory");
            }

            _mapStart = _dataStart;
            _mapLength = size - _dataStart;
            _bitmapBytes = Round8((_mapLength + 3) >> 2);
            _blockMapStart = _bitmapStart + _bitmapBytes;
            _blockMapBytes = Round8(Granules(_stackLimit - _heapStart));
        }

        private int Granules(int bytes)
        {
            return bytes <= 0 ? 0 : (bytes + (1 << _granuleLog) - 1) >> _granuleLog;
        }

        // Bytes the maps need when they take m bytes (so the data zone starts at 8 + m).
        private int MapsNeed(int size, int data, int stack, int m)
        {
            int dataStart = NullZoneBytes + m;
            int covered = size - dataStart;
            int heapRoom = size - stack - dataStart - data;
            return Round8((covered + 3) >> 2) + Round8(Granules(heapRoom));
        }

        // ---- The map ---------------------------------------------------------------------------

        /// <summary>Where the bitmap starts (offset 8).</summary>
        public int BitmapStart
        {
            get { return _bitmapStart; }
        }

        /// <summary>The bitmap's size: a quarter of the bytes it covers, [DataStart, StackTop).</summary>
        public int BitmapBytes
        {
            get { return _bitmapBytes; }
        }

        /// <summary>Where the block map starts (right after the bitmap).</summary>
        public int BlockMapStart
        {
            get { return _blockMapStart; }
        }

        /// <summary>The block map's size: one byte per granule of the heap's room.</summary>
        public int BlockMapBytes
        {
            get { return _blockMapBytes; }
        }

        /// <summary>Bytes of the granule the block map keeps one byte for (32, or BLOCKSIZE if smaller).</summary>
        public int GranuleBytes
        {
            get { return 1 << _granuleLog; }
        }

        /// <summary>The whole cost of Checker's maps in the arena (null zone excluded).</summary>
        public int MapsBytes
        {
            get { return _dataStart - NullZoneBytes; }
        }

        /// <summary>The data zone's first byte.</summary>
        public int DataStart
        {
            get { return _dataStart; }
        }

        /// <summary>One past the data zone's last byte.</summary>
        public int DataEnd
        {
            get { return _dataEnd; }
        }

        /// <summary>The heap's first byte (the arena's Start).</summary>
        public int HeapStart
        {
            get { return _heapStart; }
        }

        /// <summary>The heap's break: one past its last byte.</summary>
        public int Break
        {
            get { return _arena.Break; }
        }

        /// <summary>The stack zone's lowest byte: the break may not pass it.</summary>
        public int StackLimit
        {
            get { return _stackLimit; }
        }

        /// <summary>One past the stack zone's highest byte (the arena's size): the stack pointer of an empty stack.</summary>
        public int StackTop
        {
            get { return _stackTop; }
        }

        /// <summary>The address of word <paramref name="index"/> of the data zone (a global pointer's slot).</summary>
        public int DataSlot(int index)
        {
            if (index < 0 || index >= (_dataEnd - _dataStart) >> 2)
            {
                throw new System.ArgumentOutOfRangeException("index", "the data zone holds " + ((_dataEnd - _dataStart) >> 2).ToString() + " words");
            }

            return _dataStart + (index << 2);
        }

        /// <summary>The zone <paramref name="address"/> lies in (one of <see cref="Zone"/>).</summary>
        public int ZoneOf(int address)
        {
            if (address < 0 || address >= _stackTop)
            {
                return Zone.Outside;
            }

            if (address < NullZoneBytes)
            {
                return Zone.Null;
            }

            if (address < _dataStart)
            {
                return Zone.Maps;
            }

            if (address < _dataEnd)
            {
                return Zone.Data;
            }

            if (address < _arena.Break)
            {
                return Zone.Heap;
            }

            if (address < _stackLimit)
            {
                return Zone.Gap;
            }

            return Zone.Stack;
        }

        /// <summary>
        /// The memory map as text, one zone per line, e.g.
        /// "data 0x00003408..0x00003508 (256 bytes)". For tests, dumps and the README.
        /// </summary>
        public string DescribeMap()
        {
            return "null   " + Range(0, NullZoneBytes) + "\n"
                + "bitmap " + Range(_bitmapStart, _bitmapStart + _bitmapBytes) + "\n"
                + "blocks " + Range(_blockMapStart, _blockMapStart + _blockMapBytes) + "\n"
                + "data   " + Range(_dataStart, _dataEnd) + "\n"
                + "heap   " + Range(_heapStart, _arena.Break) + "\n"
                + "gap    " + Range(_arena.Break, _stackLimit) + "\n"
                + "stack  " + Range(_stackLimit, _stackTop) + ", live " + Range(_sp, _stackTop) + "\n";
        }

        private static string Range(int from, int to)
        {
            return Bytes.Hex8(from) + ".." + Bytes.Hex8(to) + " (" + (to - from).ToString() + " bytes)";
        }
    }
}
