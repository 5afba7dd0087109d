// Checked accesses by absolute address (a C pointer's value): every read and write through
// these accessors is checked against the access bitmap, then done.
//
// The fast path is the whole check for the common case: an aligned Int32 access tests one
// bitmap byte against one mask, a byte or an Int16 inside one bitmap byte tests two or four bits;
// a write also sets its bytes read-write. Anything else (unaligned, crossing bitmap bytes,
// ranges, or a failed test) goes to CheckSlow, which tests byte by byte and, when a byte lacks
// the access, works out which error it is (Classify) and reports it.
//
// What happens after an error: a read still returns what the arena holds (0 outside the
// arena), so the firmware runs on as the C program would have; a write is NOT done, even when
// the error is suppressed, so a stray write never damages headers, guards, free lists or
// Checker's maps. Every accessor takes the caller's file and line for the report.
namespace Checker.Nano
{
    public sealed partial class CheckerHeap
    {
        // ---- Bytes -------------------------------------------------------------------------------

        /// <summary>Reads the byte at <paramref name="address"/>.</summary>
        public byte ReadByte(int address,
            [System.Runtime.CompilerServices.CallerFilePath] string file = null,
            [System.Runtime.CompilerServices.CallerLineNumber] int line = 0)
        {
            if (!_heap.ThreadSafe)
            {
                return ReadByteLocked(address, file, line);
            }

            lock (_sync)
            {
                return ReadByteLocked(address, file, line);
            }
        }

        private byte ReadByteLocked(int address, string file, int line)
        {
            byte[] m = _m;
            int rel = address - _mapStart;
            if ((uint)rel < (uint)_mapLength && ((m[_bitmapStart + (rel >> 2)] >> ((rel & 3) << 1)) & 1) != 0)
            {
                return m[address];
            }

            return CheckSlow(address, 1, false, file, line) ? m[address] : (byte)0;
        }

        /// <summary>Writes the byte at <paramref name="address"/>.</summary>
        public void WriteByte(int address, byte value,
            [System.Runtime.CompilerServices.CallerFilePath] string file = null,
            [System.Runtime.CompilerServices.CallerLineNumber] int line = 0)
        {
            if (!_heap.ThreadSafe)
            {
                WriteByteLocked(address, value, file, line);
                return;
            }

            lock (_sync)
            {
                WriteByteLocked(address, value, file, line);
            }
        }

        private void WriteByteLocked(int address, byte value, string file, int line)
        {
            byte[] m = _m;
            int rel = address - _mapStart;
            if ((uint)rel < (uint)_mapLength)
            {
                int i = _bitmapStart + (rel >> 2);
                int shift = (rel & 3) << 1;
                if (((m[i] >> shift) & 2) != 0)
                {
                    m[i] = (byte)(m[i] | (3 << shift));
                    m[address] = value;
                    return;
                }
            }

            if (CheckSlow(address, 1, true, file, line))
            {
                m[address] = value;
            }
        }

        // ---- Int16 -------------------------------------------------------------------------------

        /// <summary>Reads the little-endian 16-bit value at <paramref name="address"/>.</summary>
        public short ReadInt16(int address,
            [System.Runtime.CompilerServices.CallerFilePath] string file = null,
            [System.Runtime.CompilerServices.CallerLineNumber] int line = 0)
        {
            if (!_heap.ThreadSafe)
            {
                return ReadInt16Locked(address, file, line);
            }

            lock (_sync)
            {
                return ReadInt16Locked(address, file, line);
            }
        }

        private short ReadInt16Locked(int address, string file, int line)
        {
            byte[] m = _m;
            int rel = address - _mapStart;
            if ((rel & 3) != 3 && (uint)rel < (uint)_mapLength)
            {
                int shift = (rel & 3) << 1;
                if (((m[_bitmapStart + (rel >> 2)] >> shift) & 5) == 5)
                {
                    return (short)(m[address] | (m[address + 1] << 8));
                }
            }

            return CheckSlow(address, 2, false, file, line) ? (short)(m[address] | (m[address + 1] << 8)) : (short)0;
        }

        /// <summary>Writes the low 16 bits of <paramref name="value"/> little-endian at <paramref name="address"/>.</summary>
        public void WriteInt16(int address, short value,
            [System.Runtime.CompilerServices.CallerFilePath] string file = null,
            [System.Runtime.CompilerServices.CallerLineNumber] int line = 0)
        {
            if (!_heap.ThreadSafe)
            {
                WriteInt16Locked(address, value, file, line);
                return;
            }

            lock (_sync)
            {
                WriteInt16Locked(address, value, file, line);
            }
        }

        private void WriteInt16Locked(int address, short value, string file, int line)
        {
            byte[] m = _m;
            int rel = address - _mapStart;
            if ((rel & 3) != 3 && (uint)rel < (uint)_mapLength)
            {
                int i = _bitmapStart + (rel >> 2);
                int shift = (rel & 3) << 1;
                if (((m[i] >> shift) & 0xA) == 0xA)
                {
                    m[i] = (byte)(m[i] | (0xF << shift));
                    m[address] = (byte)value;
                    m[address + 1] = (byte)(value >> 8);
                    return;
                }
            }

            if (CheckSlow(address, 2, true, file, line))
            {
                m[address] = (byte)value;
                m[address + 1] = (byte)(value >> 8);
            }
        }

        // ---- Int32 -------------------------------------------------------------------------------

        /// <summary>Reads the little-endian 32-bit value at <paramref name="address"/>.</summary>
        public int ReadInt32(int address,
            [System.Runtime.CompilerServices.CallerFilePath] string file = null,
            [System.Runtime.CompilerServices.CallerLineNumber] int line = 0)
        {
            if (!_heap.ThreadSafe)
            {
                return ReadInt32Locked(address, file, line);
            }

            lock (_sync)
            {
                return ReadInt32Locked(address, file, line);
            }
        }

        private int ReadInt32Locked(int address, string file, int line)
        {
            byte[] m = _m;
            int rel = address - _mapStart;
            if ((rel & 3) == 0 && (uint)rel < (uint)_mapLength && (m[_bitmapStart + (rel >> 2)] & 0x55) == 0x55)
            {
                return m[address] | (m[address + 1] << 8) | (m[address + 2] << 16) | (m[address + 3] << 24);
            }

            return CheckSlow(address, 4, false, file, line) ? Bytes.GetInt32(m, address) : 0;
        }

        /// <summary>Writes <paramref name="value"/> little-endian at <paramref name="address"/>.</summary>
        public void WriteInt32(int address, int value,
            [System.Runtime.CompilerServices.CallerFilePath] string file = null,
            [System.Runtime.CompilerServices.CallerLineNumber] int line = 0)
        {
            if (!_heap.ThreadSafe)
            {
                WriteInt32Locked(address, value, file, line);
                return;
            }

            lock (_sync)
            {
                WriteInt32Locked(address, value, file, line);
            }
        }

        private void WriteInt32Locked(int address, int value, string file, int line)
        {
            byte[] m = _m;
            int rel = address - _mapStart;
            if ((rel & 3) == 0 && (uint)rel < (uint)_mapLength)
            {
                int i = _bitmapStart + (rel >> 2);
                if ((m[i] & 0xAA) == 0xAA)
                {
                    m[i] = 0xFF;
                    m[address] = (byte)value;
                    m[address + 1] = (byte)(value >> 8);
                    m[address + 2] = (byte)(value >> 16);
                    m[address + 3] = (byte)(value >> 24);
                    return;
                }
            }

            if (CheckSlow(address, 4, true, file, line))
            {
                Bytes.PutInt32(m, address, value);
            }
        }

        // ---- Ranges ------------------------------------------------------------------------------

        /// <summary>Copies <paramref name="count"/> bytes from <paramref name="source"/> to <paramref name="address"/> (a checked write).</summary>
        public void CopyIn(int address, byte[] source, int sourceIndex, int count,
            [System.Runtime.CompilerServices.CallerFilePath] string file = null,
            [System.Runtime.CompilerServices.CallerLineNumber] int line = 0)
        {
            CheckManaged(source, sourceIndex, count, "source");
            if (!_heap.ThreadSafe)
            {
                CopyInLocked(address, source, sourceIndex, count, file, line);
                return;
            }

            lock (_sync)
            {
                CopyInLocked(address, source, sourceIndex, count, file, line);
            }
        }

        private void CopyInLocked(int address, byte[] source, int sourceIndex, int count, string file, int line)
        {
            if (count > 0 && CheckSlow(address, count, true, file, line))
            {
                System.Array.Copy(source, sourceIndex, _m, address, count);
            }
        }

        /// <summary>Copies <paramref name="count"/> bytes at <paramref name="address"/> into <paramref name="destination"/> (a checked read).</summary>
        public void CopyOut(int address, byte[] destination, int destinationIndex, int count,
            [System.Runtime.CompilerServices.CallerFilePath] string file = null,
            [System.Runtime.CompilerServices.CallerLineNumber] int line = 0)
        {
            CheckManaged(destination, destinationIndex, count, "destination");
            if (!_heap.ThreadSafe)
            {
                CopyOutLocked(address, destination, destinationIndex, count, file, line);
                return;
            }

            lock (_sync)
            {
                CopyOutLocked(address, destination, destinationIndex, count, file, line);
            }
        }

        private void CopyOutLocked(int address, byte[] destination, int destinationIndex, int count, string file, int line)
        {
            if (count > 0 && CheckSlow(address, count, false, file, line))
            {
                System.Array.Copy(_m, address, destination, destinationIndex, count);
            }
        }

        /// <summary>Sets <paramref name="count"/> bytes from <paramref name="address"/> to <paramref name="value"/> (a checked write: memset).</summary>
        public void Fill(int address, int count, byte value,
            [System.Runtime.CompilerServices.CallerFilePath] string file = null,
            [System.Runtime.CompilerServices.CallerLineNumber] int line = 0)
        {
            if (count < 0)
            {
                throw new System.ArgumentOutOfRangeException("count", "count must not be negative");
            }

            if (!_heap.ThreadSafe)
            {
                FillLocked(address, count, value, file, line);
                return;
            }

            lock (_sync)
            {
                FillLocked(address, count, value, file, line);
            }
        }

        private void FillLocked(int address, int count, byte value, string file, int line)
        {
            if (count > 0 && CheckSlow(address, count, true, file, line))
            {
                Bytes.Fill(_m, address, count, value);
            }
        }

        private static void CheckManaged(byte[] array, int index, int count, string name)
        {
            if (array == null)
            {
                throw new System.ArgumentNullException(name);
            }

            if (index < 0 || count < 0 || index > array.Length - count)
            {
                throw new System.ArgumentOutOfRangeException(name, "index and count must lie inside the " + name + " array");
            }
        }

        /// <summary>
        /// Marks <paramref name="count"/> bytes of the data zone read-only (constant tables): writes
        /// through the accessors are then "wro" errors. Only the data zone can be made read-only.
        /// </summary>
        public void SetReadOnly(int address, int count)
        {
            lock (_sync)
            {
                if (count < 0 || address < _dataStart || address > _dataEnd - count)
                {
                    throw new System.ArgumentOutOfRangeException("address", "read-only bytes must lie inside the data zone");
                }

                SetStates(address, count, AccessState.ReadOnly);
            }
        }

        /// <summary>Marks <paramref name="count"/> bytes of the data zone read-write again.</summary>
        public void SetReadWrite(int address, int count)
        {
            lock (_sync)
            {
                if (count < 0 || address < _dataStart || address > _dataEnd - count)
                {
                    throw new System.ArgumentOutOfRangeException("address", "the bytes must lie inside the data zone");
                }

                SetStates(address, count, AccessState.ReadWrite);
            }
        }

        // ---- The slow path -----------------------------------------------------------------------

        /// <summary>
        /// Checks [address, address + width) byte by byte. Allowed: a write sets the bytes
        /// read-write, and true is returned. Not allowed: the error is classified and reported; a
        /// read returns true when the bytes are inside the arena (it goes ahead), a write false.
        /// </summary>
        private bool CheckSlow(int address, int width, bool write, string file, int line)
        {
            int need = write ? 2 : 1;
            if (Covered(address, width))
            {
                int bad = FirstLacking(address, width, need);
                if (bad < 0)
                {
                    if (write)
                    {
                        SetStates(address, width, AccessState.ReadWrite);
                    }

                    return true;
                }

                Classify(address, width, write, bad, file, line);
                return !write;
            }

            Classify(address, width, write, -1, file, line);
            return !write && address >= 0 && width >= 0 && address <= _m.Length - width;
        }

        /// <summary>
        /// Works out what a failed access is, from the zone of its first byte, and reports it.
        /// <paramref name="bad"/> is the first byte lacking the access, or -1 if the range is not
        /// (wholly) covered by the bitmap.
        /// </summary>
        private void Classify(int address, int width, bool write, int bad, string file, int line)
        {
            int zone = ZoneOf(address);
            switch (zone)
            {
                case Zone.Data:
                    if (address > _dataEnd - width)
                    {
                        ReportOutsideZones(address, width, write, zone, file, line);
                    }
                    else if (write && StateOf(bad) == AccessState.ReadOnly)
                    {
                        ReportReadOnly(address, width, file, line);
                    }
                    else
                    {
                        ReportBadState(address, width, write, bad, file, line);
                    }

                    return;

                case Zone.Heap:
                    ClassifyHeap(address, width, write, bad, file, line);
                    return;

                case Zone.Stack:
                    ClassifyStack(address, width, write, bad, file, line);
                    return;

                default:
                    ReportOutsideZones(address, width, write, zone, file, line);
                    return;
            }
        }

        private void ClassifyHeap(int address, int width, bool write, int bad, string file, int line)
        {
            int header = FindBlockHeader(address);
            if (header == 0)
            {
                ReportHeapAccess(CheckerError.BoundsViolationHeap, address, width, write, 0, file, line);
                return;
            }

            int data = header + DebugHeap.HEADER_BYTES;
            if ((FlagsAt(header) & G_AGED) != 0)
            {
                ReportHeapAccess(write ? CheckerError.WriteFreeBlock : CheckerError.ReadFreeBlock, address, width, write, data, file, line);
                return;
            }

            if (_debug.GetBlockInfoLocked(data, _info) != DebugHeapError.None)
            {
                ReportBadState(address, width, write, bad, file, line);
                return;
            }

            int size = _info.Size;
            if (address < data || address > data + size - width)
            {
                ReportHeapAccess(CheckerError.BoundsViolationHeap, address, width, write, data, file, line);
            }
            else if (!write && bad >= 0 && StateOf(bad) == AccessState.WriteOnly)
            {
                ReportHeapAccess(CheckerError.ReadUninitializedHeap, address, width, write, data, file, line);
            }
            else
            {
                ReportBadState(address, width, write, bad, file, line);
            }
        }
    }
}
