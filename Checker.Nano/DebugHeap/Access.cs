// Data access to a debug block, bounds-checked against its REQUESTED size (not the base block's
// usable size): the pointer must be a live block (not Free) with a plausible header and
// [index, index + width) must lie inside the requested bytes, so these accessors can never
// touch a guard. A bad pointer throws DebugHeapException, a bad range ArgumentOutOfRangeException;
// nothing is reported (the caller's exception says it). Code that wants no checks uses
// (Memory, ptr, MSize(ptr)) directly; that is also how a stray write reaches a guard.
namespace Checker.Nano
{
    public sealed partial class DebugHeap
    {
        private int CheckRange(int ptr, int index, int width, string operation)
        {
            int header;
            DebugHeapError e;
            try
            {
                e = CheckUserPointer(ptr, out header);
            }
            catch (System.IndexOutOfRangeException)
            {
                throw new DebugHeapException(operation, DebugHeapError.BaseHeapDamaged, ptr);
            }

            if (e == DebugHeapError.None && Get(header + H_USE) == BlockType.Free)
            {
                e = DebugHeapError.AlreadyFreed;
            }

            if (e != DebugHeapError.None)
            {
                throw new DebugHeapException(operation, e, ptr);
            }

            int size = Get(header + H_SIZE);
            if (ptr > _m.Length - size)
            {
                throw new DebugHeapException(operation, DebugHeapError.BaseHeapDamaged, ptr);   // a base block past the arena
            }

            if (index < 0 || width < 0 || index > size - width)
            {
                throw new System.ArgumentOutOfRangeException("index", operation + "(" + Bytes.Hex8(ptr) + "): bytes "
                    + index.ToString() + ".." + (index + width).ToString() + " are outside the block's "
                    + size.ToString() + " requested bytes");
            }

            return ptr + index;
        }

        /// <summary>Reads the byte at <paramref name="index"/> of the block at <paramref name="ptr"/>.</summary>
        public byte ReadByte(int ptr, int index)
        {
            lock (_heap.SyncRoot)
            {
                return _m[CheckRange(ptr, index, 1, "read")];
            }
        }

        /// <summary>Writes the byte at <paramref name="index"/> of the block at <paramref name="ptr"/>.</summary>
        public void WriteByte(int ptr, int index, byte value)
        {
            lock (_heap.SyncRoot)
            {
                _m[CheckRange(ptr, index, 1, "write")] = value;
            }
        }

        /// <summary>Reads the little-endian 16-bit value at <paramref name="index"/> of the block.</summary>
        public short ReadInt16(int ptr, int index)
        {
            lock (_heap.SyncRoot)
            {
                return Bytes.GetInt16(_m, CheckRange(ptr, index, 2, "read"));
            }
        }

        /// <summary>Writes a little-endian 16-bit value at <paramref name="index"/> of the block.</summary>
        public void WriteInt16(int ptr, int index, short value)
        {
            lock (_heap.SyncRoot)
            {
                Bytes.PutInt16(_m, CheckRange(ptr, index, 2, "write"), value);
            }
        }

        /// <summary>Reads the little-endian 32-bit value at <paramref name="index"/> of the block.</summary>
        public int ReadInt32(int ptr, int index)
        {
            lock (_heap.SyncRoot)
            {
                return Bytes.GetInt32(_m, CheckRange(ptr, index, 4, "read"));
            }
        }

        /// <summary>Writes a little-endian 32-bit value at <paramref name="index"/> of the block.</summary>
        public void WriteInt32(int ptr, int index, int value)
        {
            lock (_heap.SyncRoot)
            {
                Bytes.PutInt32(_m, CheckRange(ptr, index, 4, "write"), value);
            }
        }

        /// <summary>Copies <paramref name="count"/> bytes from <paramref name="source"/> into the block at <paramref name="index"/>.</summary>
        public void CopyIn(int ptr, int index, byte[] source, int sourceIndex, int count)
        {
            if (source == null)
            {
                throw new System.ArgumentNullException("source");
            }

            lock (_heap.SyncRoot)
            {
                int at = CheckRange(ptr, index, count, "write");
                System.Array.Copy(source, sourceIndex, _m, at, count);
            }
        }

        /// <summary>Copies <paramref name="count"/> bytes of the block from <paramref name="index"/> into <paramref name="destination"/>.</summary>
        public void CopyOut(int ptr, int index, byte[] destination, int destinationIndex, int count)
        {
            if (destination == null)
            {
                throw new System.ArgumentNullException("destination");
            }

            lock (_heap.SyncRoot)
            {
                int at = CheckRange(ptr, index, count, "read");
                System.Array.Copy(_m, at, destination, destinationIndex, count);
            }
        }

        /// <summary>Sets <paramref name="count"/> bytes of the block from <paramref name="index"/> to <paramref name="value"/>.</summary>
        public void Fill(int ptr, int index, int count, byte value)
        {
            lock (_heap.SyncRoot)
            {
                Bytes.Fill(_m, CheckRange(ptr, index, count, "write"), count, value);
            }
        }
    }
}
