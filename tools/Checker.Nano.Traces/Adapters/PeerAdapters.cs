// What a user would pick instead of Checker.Nano, driven by the same replay loop:
// ArrayPool<byte>.Shared (Rent/Return), NativeMemory (the C library's malloc/calloc/realloc/free)
// and the GC (new byte[n]). None of them has an arena, so ArenaBytesInUse is -1.
//
// Realloc where the peer has none: ArrayPool keeps the array when it is already long enough
// (as a real realloc stays in place), else rents a new one, copies and returns the old; the GC
// allocates the new size and copies (Array.Resize). Calloc: ArrayPool rents and clears, the GC's
// arrays come zeroed, NativeMemory uses AllocZeroed.
using System;
using System.Buffers;
using System.Runtime.InteropServices;

namespace Checker.Nano.Traces
{
    /// <summary>ArrayPool&lt;byte&gt;.Shared: Rent and Return.</summary>
    public sealed class ArrayPoolAdapter : IAllocatorAdapter
    {
        private byte[][] _arrays = Array.Empty<byte[]>();

        /// <inheritdoc/>
        public string Name => "ArrayPool.Shared";

        /// <inheritdoc/>
        public bool Touch { get; set; } = true;

        /// <inheritdoc/>
        public long ArenaBytesInUse => -1;

        /// <inheritdoc/>
        public void Begin(int maxId)
        {
            ReturnAll();
            if (_arrays.Length < maxId + 1)
            {
                _arrays = new byte[maxId + 1][];
            }
        }

        /// <inheritdoc/>
        public bool Malloc(int id, int size)
        {
            byte[] a = ArrayPool<byte>.Shared.Rent(size);
            _arrays[id] = a;
            if (Touch)
            {
                a.AsSpan(0, size).Fill((byte)id);
            }

            return true;
        }

        /// <inheritdoc/>
        public bool Calloc(int id, int count, int size)
        {
            int total = count * size;
            byte[] a = ArrayPool<byte>.Shared.Rent(total);
            a.AsSpan(0, total).Clear();
            _arrays[id] = a;
            if (Touch)
            {
                a.AsSpan(0, total).Fill((byte)id);
            }

            return true;
        }

        /// <inheritdoc/>
        public bool Realloc(int id, int oldSize, int newSize)
        {
            byte[] a = _arrays[id];
            if (a == null || newSize > a.Length)
            {
                byte[] b = ArrayPool<byte>.Shared.Rent(newSize);
                if (a != null)
                {
                    a.AsSpan(0, Math.Min(oldSize, newSize)).CopyTo(b);
                    ArrayPool<byte>.Shared.Return(a);
                }

                _arrays[id] = a = b;
            }

            if (Touch && newSize > oldSize)
            {
                a.AsSpan(oldSize, newSize - oldSize).Fill((byte)id);
            }

            return true;
        }

        /// <inheritdoc/>
        public void Free(int id, int size)
        {
            byte[] a = _arrays[id];
            if (a != null)
            {
                ArrayPool<byte>.Shared.Return(a);
                _arrays[id] = null;
            }
        }

        /// <inheritdoc/>
        public string Validate() => null;

        /// <inheritdoc/>
        public void Dispose() => ReturnAll();

        private void ReturnAll()
        {
            for (int i = 0; i < _arrays.Length; i++)
            {
                if (_arrays[i] != null)
                {
                    ArrayPool<byte>.Shared.Return(_arrays[i]);
                    _arrays[i] = null;
                }
            }
        }
    }

    /// <summary>NativeMemory.Alloc / AllocZeroed / Realloc / Free: the C library's allocator.</summary>
    public sealed unsafe class NativeMemoryAdapter : IAllocatorAdapter
    {
        private nint[] _pointers = Array.Empty<nint>();

        /// <inheritdoc/>
        public string Name => "NativeMemory (C malloc)";

        /// <inheritdoc/>
        public bool Touch { get; set; } = true;

        /// <inheritdoc/>
        public long ArenaBytesInUse => -1;

        /// <inheritdoc/>
        public void Begin(int maxId)
        {
            FreeAll();
            if (_pointers.Length < maxId + 1)
            {
                _pointers = new nint[maxId + 1];
            }
        }

        /// <inheritdoc/>
        public bool Malloc(int id, int size)
        {
            void* p = NativeMemory.Alloc((nuint)size);
            _pointers[id] = (nint)p;
            if (Touch)
            {
                new Span<byte>(p, size).Fill((byte)id);
            }

            return true;
        }

        /// <inheritdoc/>
        public bool Calloc(int id, int count, int size)
        {
            void* p = NativeMemory.AllocZeroed((nuint)count, (nuint)size);
            _pointers[id] = (nint)p;
            if (Touch)
            {
                new Span<byte>(p, count * size).Fill((byte)id);
            }

            return true;
        }

        /// <inheritdoc/>
        public bool Realloc(int id, int oldSize, int newSize)
        {
            byte* p = (byte*)NativeMemory.Realloc((void*)_pointers[id], (nuint)newSize);
            _pointers[id] = (nint)p;
            if (Touch && newSize > oldSize)
            {
                new Span<byte>(p + oldSize, newSize - oldSize).Fill((byte)id);
            }

            return true;
        }

        /// <inheritdoc/>
        public void Free(int id, int size)
        {
            NativeMemory.Free((void*)_pointers[id]);
            _pointers[id] = 0;
        }

        /// <inheritdoc/>
        public string Validate() => null;

        /// <inheritdoc/>
        public void Dispose() => FreeAll();

        private void FreeAll()
        {
            for (int i = 0; i < _pointers.Length; i++)
            {
                if (_pointers[i] != 0)
                {
                    NativeMemory.Free((void*)_pointers[i]);
                    _pointers[i] = 0;
                }
            }
        }
    }

    /// <summary>The GC: new byte[n]; free drops the reference.</summary>
    public sealed class GcArrayAdapter : IAllocatorAdapter
    {
        private byte[][] _arrays = Array.Empty<byte[]>();

        /// <inheritdoc/>
        public string Name => "new byte[n] (GC)";

        /// <inheritdoc/>
        public bool Touch { get; set; } = true;

        /// <inheritdoc/>
        public long ArenaBytesInUse => -1;

        /// <inheritdoc/>
        public void Begin(int maxId)
        {
            if (_arrays.Length < maxId + 1)
            {
                _arrays = new byte[maxId + 1][];
            }
            else
            {
                Array.Clear(_arrays);
            }
        }

        /// <inheritdoc/>
        public bool Malloc(int id, int size)
        {
            byte[] a = new byte[size];
            _arrays[id] = a;
            if (Touch)
            {
                a.AsSpan().Fill((byte)id);
            }

            return true;
        }

        /// <inheritdoc/>
        public bool Calloc(int id, int count, int size)
        {
            return Malloc(id, count * size);
        }

        /// <inheritdoc/>
        public bool Realloc(int id, int oldSize, int newSize)
        {
            byte[] a = _arrays[id];
            byte[] b = new byte[newSize];
            if (a != null)
            {
                a.AsSpan(0, Math.Min(oldSize, newSize)).CopyTo(b);
            }

            _arrays[id] = b;
            if (Touch && newSize > oldSize)
            {
                b.AsSpan(oldSize).Fill((byte)id);
            }

            return true;
        }

        /// <inheritdoc/>
        public void Free(int id, int size)
        {
            _arrays[id] = null;
        }

        /// <inheritdoc/>
        public string Validate() => null;

        /// <inheritdoc/>
        public void Dispose() => Array.Clear(_arrays);
    }
}
