// Data access to a block's bytes (both policies), bounds-checked against the block: the offset must be a live
// block or fragment and [index, index + width) must lie inside its usable size. Firmware that
// wants no checks uses (Memory, offset, UsableSize(offset)) directly, e.g. with SpanByte or an
// API taking (byte[], offset, count). Like every public operation they take the heap's lock
// unless ThreadSafe is off.
namespace Checker.Nano
{
    public abstract partial class BaseHeap
    {
        private int CheckRange(int ptr, int index, int width, string operation)
        {
            int size = UsableSizeChecked(ptr, operation);
            if (ptr > _m.Length - size)
            {
                throw Damaged(operation, ptr);   // a block running past the arena: its entry is damaged
            }

            if (index < 0 || width < 0 || index > size - width)
            {
                throw new System.ArgumentOutOfRangeException("index", operation + "(" + Bytes.Hex8(ptr) + "): bytes "
                    + index.ToString() + ".." + (index + width).ToString() + " are outside the block's "
                    + size.ToString() + " bytes");
            }

            return ptr + index;
        }

        /// <summary>Reads the byte at <paramref name="index"/> of the block at <paramref name="ptr"/>.</summary>
        public byte ReadByte(int ptr, int index)
        {
            bool locked = _threadSafe;
            if (locked)
            {
                System.Threading.Monitor.Enter(_sync);
            }

            try
            {
                return _m[CheckRange(ptr, index, 1, "read")];
            }
            catch (System.IndexOutOfRangeException)
            {
                throw Damaged("read", ptr);
            }
            finally
            {
                if (locked)
                {
                    System.Threading.Monitor.Exit(_sync);
                }
            }
        }

        /// <summary>Writes the byte at <paramref name="index"/> of the block at <paramref name="ptr"/>.</summary>
        public void WriteByte(int ptr, int index, byte value)
        {
            bool locked = _threadSafe;
            if (locked)
            {
                System.Threading.Monitor.Enter(_sync);
            }

            try
            {
                _m[CheckRange(ptr, index, 1, "write")] = value;
            }
            catch (System.IndexOutOfRangeException)
            {
                throw Damaged("write", ptr);
            }
            finally
            {
                if (locked)
                {
                    System.Threading.Monitor.Exit(_sync);
                }
            }
        }

        /// <summary>Reads the little-endian 16-bit value at <paramref name="index"/> of the block.</summary>
        public short ReadInt16(int ptr, int index)
        {
            bool locked = _threadSafe;
            if (locked)
            {
                System.Threading.Monitor.Enter(_sync);
            }

            try
            {
                return Bytes.GetInt16(_m, CheckRange(ptr, index, 2, "read"));
            }
            catch (System.IndexOutOfRangeException)
            {
                throw Damaged("read", ptr);
            }
            finally
            {
                if (locked)
                {
                    System.Threading.Monitor.Exit(_sync);
                }
            }
        }

        /// <summary>Writes a little-endian 16-bit value at <paramref name="index"/> of the block.</summary>
        public void WriteInt16(int ptr, int index, short value)
        {
            bool locked = _threadSafe;
            if (locked)
            {
                System.Threading.Monitor.Enter(_sync);
            }

            try
            {
                Bytes.PutInt16(_m, CheckRange(ptr, index, 2, "write"), value);
            }
            catch (System.IndexOutOfRangeException)
            {
                throw Damaged("write", ptr);
            }
            finally
            {
                if (locked)
                {
                    System.Threading.Monitor.Exit(_sync);
                }
            }
        }

        /// <summary>Reads the little-endian 32-bit value at <paramref name="index"/> of the block.</summary>
        public int ReadInt32(int ptr, int index)
        {
            bool locked = _threadSafe;
            if (locked)
            {
                System.Threading.Monitor.Enter(_sync);
            }

            try
            {
                return Bytes.GetInt32(_m, CheckRange(ptr, index, 4, "read"));
            }
            catch (System.IndexOutOfRangeException)
            {
                throw Damaged("read", ptr);
            }
            finally
            {
                if (locked)
                {
                    System.Threading.Monitor.Exit(_sync);
                }
            }
        }

        /// <summary>Writes a little-endian 32-bit value at <paramref name="index"/> of the block.</summary>
        public void WriteInt32(int ptr, int index, int value)
        {
            bool locked = _threadSafe;
            if (locked)
            {
                System.Threading.Monitor.Enter(_sync);
            }

            try
            {
                Bytes.PutInt32(_m, CheckRange(ptr, index, 4, "write"), value);
            }
            catch (System.IndexOutOfRangeException)
            {
                throw Damaged("write", ptr);
            }
            finally
            {
                if (locked)
                {
                    System.Threading.Monitor.Exit(_sync);
                }
            }
        }

        /// <summary>Copies <paramref name="count"/> bytes from <paramref name="source"/> into the block at <paramref name="index"/>.</summary>
        public void CopyIn(int ptr, int index, byte[] source, int sourceIndex, int count)
        {
            if (source == null)
            {
                throw new System.ArgumentNullException("source");
            }

            bool locked = _threadSafe;
            if (locked)
            {
                System.Threading.Monitor.Enter(_sync);
            }

            try
            {
                int at = CheckRange(ptr, index, count, "write");
                System.Array.Copy(source, sourceIndex, _m, at, count);
            }
            catch (System.IndexOutOfRangeException)
            {
                throw Damaged("write", ptr);
            }
            finally
            {
                if (locked)
                {
                    System.Threading.Monitor.Exit(_sync);
                }
            }
        }

        /// <summary>Copies <paramref name="count"/> bytes of the block from <paramref name="index"/> into <paramref name="destination"/>.</summary>
        public void CopyOut(int ptr, int index, byte[] destination, int destinationIndex, int count)
        {
            if (destination == null)
            {
                throw new System.ArgumentNullException("destination");
            }

            bool locked = _threadSafe;
            if (locked)
            {
                System.Threading.Monitor.Enter(_sync);
            }

            try
            {
                int at = CheckRange(ptr, index, count, "read");
                System.Array.Copy(_m, at, destination, destinationIndex, count);
            }
            catch (System.IndexOutOfRangeException)
            {
                throw Damaged("read", ptr);
            }
            finally
            {
                if (locked)
                {
                    System.Threading.Monitor.Exit(_sync);
                }
            }
        }

        /// <summary>Sets <paramref name="count"/> bytes of the block from <paramref name="index"/> to <paramref name="value"/>.</summary>
        public void Fill(int ptr, int index, int count, byte value)
        {
            bool locked = _threadSafe;
            if (locked)
            {
                System.Threading.Monitor.Enter(_sync);
            }

            try
            {
                Bytes.Fill(_m, CheckRange(ptr, index, count, "write"), count, value);
            }
            catch (System.IndexOutOfRangeException)
            {
                throw Damaged("write", ptr);
            }
            finally
            {
                if (locked)
                {
                    System.Threading.Monitor.Exit(_sync);
                }
            }
        }
    }
}
