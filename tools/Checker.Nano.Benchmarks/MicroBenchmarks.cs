// Micro-benchmarks of single operations against the peers, BLOCKSIZE 4096 (the seed's), arena
// 1 MiB, one lock per call as shipped (ThreadSafe) plus the lock-free variant. No byte is
// written here (the trace replays do that); new byte[n] and calloc clear their bytes by nature.
//
// malloc+free pairs run against a resident block of the same size, allocated in Setup and kept:
// for a fragment size it keeps the block split, so a pair is a list pop and push (the common
// case); without it every pair would split a block and give it back (the worst case, which the
// work table counts instead).
using System;
using System.Buffers;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;

namespace Checker.Nano.Benchmarks
{
    /// <summary>malloc+free pairs of fragment sizes (8..BLOCKSIZE/2) and block sizes.</summary>
    [MemoryDiagnoser]
    public class MallocFreeBenchmarks
    {
        private Heap _heap;
        private Heap _heapNoLock;

        [Params(8, 16, 64, 256, 1024, 2048, 4096, 16384)]
        public int Size { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            _heap = new Heap(new byte[1 << 20], 4096);
            _heapNoLock = new Heap(new byte[1 << 20], 4096) { ThreadSafe = false };
            _heap.Malloc(Size);
            _heapNoLock.Malloc(Size);
        }

        [Benchmark(Baseline = true, Description = "base heap")]
        public int BaseHeap()
        {
            int p = _heap.Malloc(Size);
            _heap.Free(p);
            return p;
        }

        [Benchmark(Description = "base heap, no lock")]
        public int BaseHeapNoLock()
        {
            int p = _heapNoLock.Malloc(Size);
            _heapNoLock.Free(p);
            return p;
        }

        [Benchmark(Description = "ArrayPool.Shared")]
        public byte[] ArrayPoolShared()
        {
            byte[] a = ArrayPool<byte>.Shared.Rent(Size);
            ArrayPool<byte>.Shared.Return(a);
            return a;
        }

        [Benchmark(Description = "NativeMemory (C malloc)")]
        public unsafe nint NativeMemoryMalloc()
        {
            void* p = NativeMemory.Alloc((nuint)Size);
            NativeMemory.Free(p);
            return (nint)p;
        }

        [Benchmark(Description = "new byte[n] (GC)")]
        public byte[] GcNewByteArray() => new byte[Size];
    }

    /// <summary>
    /// realloc growth sequences: doubling from 16 to 65536 bytes (12 reallocs), and +64 bytes from
    /// 64 to 4096 (63 reallocs, a growing string buffer); one operation = one realloc (the malloc
    /// and free around them are included in the time).
    /// </summary>
    [MemoryDiagnoser]
    public class ReallocBenchmarks
    {
        private const int DoublingSteps = 12;
        private const int LinearSteps = 63;
        private Heap _heap;

        [GlobalSetup]
        public void Setup()
        {
            _heap = new Heap(new byte[1 << 20], 4096);
        }

        [Benchmark(Baseline = true, OperationsPerInvoke = DoublingSteps, Description = "base heap, doubling 16..64K")]
        public int BaseHeapDoubling()
        {
            int p = _heap.Malloc(16);
            for (int size = 32; size <= 65536; size <<= 1)
            {
                p = _heap.Realloc(p, size);
            }

            _heap.Free(p);
            return p;
        }

        [Benchmark(OperationsPerInvoke = DoublingSteps, Description = "NativeMemory.Realloc, doubling")]
        public unsafe nint NativeDoubling()
        {
            void* p = NativeMemory.Alloc(16);
            for (int size = 32; size <= 65536; size <<= 1)
            {
                p = NativeMemory.Realloc(p, (nuint)size);
            }

            NativeMemory.Free(p);
            return (nint)p;
        }

        [Benchmark(OperationsPerInvoke = DoublingSteps, Description = "ArrayPool rent+copy+return, doubling")]
        public byte[] ArrayPoolDoubling()
        {
            byte[] a = ArrayPool<byte>.Shared.Rent(16);
            int used = 16;
            for (int size = 32; size <= 65536; size <<= 1)
            {
                if (size > a.Length)
                {
                    byte[] b = ArrayPool<byte>.Shared.Rent(size);
                    a.AsSpan(0, used).CopyTo(b);
                    ArrayPool<byte>.Shared.Return(a);
                    a = b;
                }

                used = size;
            }

            ArrayPool<byte>.Shared.Return(a);
            return a;
        }

        [Benchmark(OperationsPerInvoke = DoublingSteps, Description = "Array.Resize (GC), doubling")]
        public byte[] GcDoubling()
        {
            byte[] a = new byte[16];
            for (int size = 32; size <= 65536; size <<= 1)
            {
                Array.Resize(ref a, size);
            }

            return a;
        }

        [Benchmark(OperationsPerInvoke = LinearSteps, Description = "base heap, +64 bytes 64..4096")]
        public int BaseHeapLinear()
        {
            int p = _heap.Malloc(64);
            for (int size = 128; size <= 4096; size += 64)
            {
                p = _heap.Realloc(p, size);
            }

            _heap.Free(p);
            return p;
        }

        [Benchmark(OperationsPerInvoke = LinearSteps, Description = "NativeMemory.Realloc, +64 bytes")]
        public unsafe nint NativeLinear()
        {
            void* p = NativeMemory.Alloc(64);
            for (int size = 128; size <= 4096; size += 64)
            {
                p = NativeMemory.Realloc(p, (nuint)size);
            }

            NativeMemory.Free(p);
            return (nint)p;
        }

        [Benchmark(OperationsPerInvoke = LinearSteps, Description = "Array.Resize (GC), +64 bytes")]
        public byte[] GcLinear()
        {
            byte[] a = new byte[64];
            for (int size = 128; size <= 4096; size += 64)
            {
                Array.Resize(ref a, size);
            }

            return a;
        }
    }

    /// <summary>calloc(1, n) + free against the peers' zeroed allocations.</summary>
    [MemoryDiagnoser]
    public class CallocBenchmarks
    {
        private Heap _heap;

        [Params(64, 1024, 16384)]
        public int Size { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            _heap = new Heap(new byte[1 << 20], 4096);
            _heap.Malloc(Size);
        }

        [Benchmark(Baseline = true, Description = "base heap calloc+free")]
        public int BaseHeap()
        {
            int p = _heap.Calloc(1, Size);
            _heap.Free(p);
            return p;
        }

        [Benchmark(Description = "NativeMemory.AllocZeroed+Free")]
        public unsafe nint Native()
        {
            void* p = NativeMemory.AllocZeroed((nuint)Size);
            NativeMemory.Free(p);
            return (nint)p;
        }

        [Benchmark(Description = "ArrayPool Rent+Clear+Return")]
        public byte[] ArrayPoolShared()
        {
            byte[] a = ArrayPool<byte>.Shared.Rent(Size);
            a.AsSpan(0, Size).Clear();
            ArrayPool<byte>.Shared.Return(a);
            return a;
        }

        [Benchmark(Description = "new byte[n] (GC)")]
        public byte[] Gc() => new byte[Size];
    }
}
