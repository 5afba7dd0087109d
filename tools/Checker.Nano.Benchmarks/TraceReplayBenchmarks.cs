// Trace replay: every trace through each allocator, in the same process, every handed-out byte
// written once (Touch). ns per operation = mean time of one replay ÷ the trace's events (the
// "ns/op" column). The base heap is the baseline, so BenchmarkDotNet's Ratio column is the ratio
// to it per trace; Program prints the geometric mean over traces after the run.
//
// Arena: the smallest HEAP that completes the trace at BLOCKSIZE 4096 (binary search, see
// MinHeapSearch) plus HeapMargin, so the base heap runs as it would on a board sized for the trace.
//
// The layers: the debug heap (32 bytes of header and guard per block, request numbers, fills)
// and Checker (the debug heap plus access bitmaps, checked writes and aging), each over the base
// heap at the same BLOCKSIZE, both shipped as they are (the lock on). Their arenas: the layer's
// own smallest HEAP × HeapMargin, found by the same search in the setup of
// their own cases only (targeted GlobalSetup), so each runs as tightly as the base heap does. The debug heap's bytes are written directly,
// Checker's through its checked Fill (what a program under Checker does); see LayerAdapters.cs.
//
// Adding an allocator: write an IAllocatorAdapter for it in tools/Checker.Nano.Traces/Adapters
// (like HeapAdapter), create it in Setup and add one [Benchmark] method that calls
// Replay(adapter). Nothing else changes.
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
        private DebugHeapAdapter _debugHeap;
        private CheckerAdapter _checker;
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
            _heapBytes = Arena(min);
            _heap = new HeapAdapter(_heapBytes, BlockSize, threadSafe: true);
            _heapNoLock = new HeapAdapter(_heapBytes, BlockSize, threadSafe: false);
            _arrayPool = new ArrayPoolAdapter();
            _native = new NativeMemoryAdapter();
            _gc = new GcArrayAdapter();
            foreach (IAllocatorAdapter a in new IAllocatorAdapter[] { _heap, _heapNoLock, _arrayPool, _native, _gc })
            {
                Check(a);
            }
        }

        [GlobalSetup(Target = nameof(DebugHeapLayer))]
        public void SetupDebugHeap()
        {
            Setup();
            _debugHeap = new DebugHeapAdapter(Arena(MinHeapSearch.ForDebugHeap(_trace, BlockSize)), BlockSize, threadSafe: true);
            Check(_debugHeap);
        }

        [GlobalSetup(Target = nameof(CheckerLayer))]
        public void SetupChecker()
        {
            Setup();
            _checker = new CheckerAdapter(Arena(MinHeapSearch.ForChecker(_trace, BlockSize)), BlockSize, threadSafe: true) { Touch = true };
            Check(_checker);
            if (_checker.Errors != 0)
            {
                throw new InvalidOperationException($"Checker: {Trace} gave {_checker.Errors} errors, but every access of a replay is legal");
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

        [Benchmark(Description = "debug heap")]
        public int DebugHeapLayer() => Replay(_debugHeap);

        [Benchmark(Description = "Checker")]
        public int CheckerLayer() => Replay(_checker);

        private void Check(IAllocatorAdapter a)
        {
            if (Replay(a) != 0)
            {
                throw new InvalidOperationException($"{a.Name}: {Trace} did not complete in its arena");
            }
        }

        /// <summary>The arena a replay runs in: a smallest HEAP × <see cref="HeapMargin"/>, in 16-byte steps.</summary>
        public static int Arena(MinHeapResult min) => (int)Math.Ceiling(min.HeapBytes * HeapMargin / 16) * 16;

        private int Replay(IAllocatorAdapter adapter) => Replayer.RunFast(_trace, adapter, _held);
    }
}
