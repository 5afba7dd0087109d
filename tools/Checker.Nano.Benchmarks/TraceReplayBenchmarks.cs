// Trace replay: every trace through each allocator, in the same process, every handed-out byte
// written once (Touch). ns per operation = mean time of one replay ÷ the trace's events (the
// "ns/op" column). The base heap is the baseline, so BenchmarkDotNet's Ratio column is the ratio
// to it per trace; Program prints the geometric mean over traces after the run.
//
// Arena: the smallest HEAP that completes the trace at BLOCKSIZE 4096 (binary search, see
// MinHeapSearch) plus HeapMargin, so the base heap runs as it would on a board sized for the trace.
//
// Adding an allocator (the debug heap, Checker): write an IAllocatorAdapter for it in
// tools/Checker.Nano.Traces/Adapters (like HeapAdapter, over an arena of _heapBytes), create it in
// Setup and add one [Benchmark] method that calls Replay(adapter). Nothing else changes.
using System;
using BenchmarkDotNet.Attributes;
using Checker.Nano.Traces;

namespace Checker.Nano.Benchmarks
{
    [MemoryDiagnoser]
    public class TraceReplayBenchmarks
    {
        /// <summary>BLOCKSIZE of the heaps in the replay (the seed's).</summary>
        public const int BlockSize = 4096;

        /// <summary>Arena = smallest HEAP × this (stated margin: 25%).</summary>
        public const double HeapMargin = 1.25;

        private Trace _trace;
        private int[] _held;
        private HeapAdapter _heap;
        private HeapAdapter _heapNoLock;
        private ArrayPoolAdapter _arrayPool;
        private NativeMemoryAdapter _native;
        private GcArrayAdapter _gc;
        private int _heapBytes;

        /// <summary>The trace names (all traces in the directory, or those in CHECKER_NANO_TRACE_FILTER).</summary>
        public static System.Collections.Generic.IEnumerable<string> TraceNames() => TraceCatalog.Names(TraceCatalog.Resolve(null));

        [ParamsSource(nameof(TraceNames))]
        public string Trace { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            _trace = TraceCatalog.Load(TraceCatalog.Resolve(null), Trace);
            _held = new int[_trace.MaxId + 1];
            MinHeapResult min = MinHeapSearch.ForBaseHeap(_trace, BlockSize);
            _heapBytes = (int)Math.Ceiling(min.HeapBytes * HeapMargin / 16) * 16;
            _heap = new HeapAdapter(_heapBytes, BlockSize, threadSafe: true);
            _heapNoLock = new HeapAdapter(_heapBytes, BlockSize, threadSafe: false);
            _arrayPool = new ArrayPoolAdapter();
            _native = new NativeMemoryAdapter();
            _gc = new GcArrayAdapter();
            foreach (IAllocatorAdapter a in new IAllocatorAdapter[] { _heap, _heapNoLock, _arrayPool, _native, _gc })
            {
                if (Replay(a) != 0)
                {
                    throw new InvalidOperationException($"{a.Name}: {Trace} did not complete in {_heapBytes} bytes");
                }
            }
        }

        [GlobalCleanup]
        public void Cleanup()
        {
            _arrayPool?.Dispose();
            _native?.Dispose();
            _gc?.Dispose();
        }

        [Benchmark(Baseline = true, Description = "base heap")]
        public int BaseHeap() => Replay(_heap);

        [Benchmark(Description = "base heap, no lock")]
        public int BaseHeapNoLock() => Replay(_heapNoLock);

        [Benchmark(Description = "ArrayPool.Shared")]
        public int ArrayPoolShared() => Replay(_arrayPool);

        [Benchmark(Description = "NativeMemory (C malloc)")]
        public int NativeMemoryMalloc() => Replay(_native);

        [Benchmark(Description = "new byte[n] (GC)")]
        public int GcNewByteArray() => Replay(_gc);

        private int Replay(IAllocatorAdapter adapter) => Replayer.RunFast(_trace, adapter, _held);
    }
}
