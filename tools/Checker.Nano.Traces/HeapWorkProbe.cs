// Counting the base heap's work per operation from outside, deterministically, until the heap
// counts it itself (the proposed counters are in the benchmarks README). Before each operation
// the probe reads the heap's table and simulates the operation's walks on a private overlay,
// never changing the heap:
//   ClusterSteps    free-cluster list nodes visited (malloc's first-fit search, free's search
//                   for the cluster before the block);
//   FragmentSteps   free-fragment links followed (free of a block's last live fragment walks
//                   the block's run of free fragments; the exact double-free test walks it too);
//   FragmentsLinked fragments chained when a block is split for fragments;
//   BytesCopied     realloc's copies; BytesZeroed calloc's clearing.
// It also predicts the offset each allocation returns and where the rover ends; the replay
// compares both with what the heap did, so a probe that drifts from the heap's code is caught
// (the tests require zero mismatches on every shared trace).
//
// The heap's private table is read with UnsafeAccessor (host only, no copy, no reflection per call).
using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace Checker.Nano.Traces
{
    /// <summary>The work one operation does.</summary>
    public struct OpWork
    {
        /// <summary>Free-cluster list nodes visited.</summary>
        public int ClusterSteps;

        /// <summary>Free-fragment links followed.</summary>
        public int FragmentSteps;

        /// <summary>Fragments chained by a block split.</summary>
        public int FragmentsLinked;

        /// <summary>Bytes realloc copied.</summary>
        public int BytesCopied;

        /// <summary>Bytes calloc cleared.</summary>
        public int BytesZeroed;

        /// <summary>The offset the allocation is predicted to return (0: fails or none).</summary>
        public int PredictedOffset;

        /// <summary>All list and table steps: the scan a microcontroller pays for.</summary>
        public readonly int Steps => ClusterSteps + FragmentSteps + FragmentsLinked;
    }

    /// <summary>Simulates the base heap's next operation on an overlay of its table to count its work.</summary>
    public sealed class HeapWorkProbe
    {
        private const int W = Heap.HEAPINFO_WORDS;

        [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_heapinfo")]
        private static extern ref int[] HeapInfoOf(Heap heap);

        [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_fraghead")]
        private static extern ref int[] FragHeadOf(Heap heap);

        [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_fraglog")]
        private static extern ref byte[] FragLogOf(Heap heap);

        private readonly Heap _heap;
        private readonly int[] _h;
        private readonly int[] _fraghead;
        private readonly byte[] _fraglog;
        private readonly byte[] _m;
        private readonly int _log;
        private readonly int _blockSize;
        private readonly int _tableBlocks;
        private readonly Dictionary<int, (int W0, int W1, int W2)> _overlay = new();
        private int _rover, _limit, _break;
        private OpWork _work;

        /// <summary>A probe over <paramref name="heap"/> (it reads the heap's live table).</summary>
        public HeapWorkProbe(Heap heap)
        {
            _heap = heap ?? throw new ArgumentNullException(nameof(heap));
            _h = HeapInfoOf(heap);
            _fraghead = FragHeadOf(heap);
            _fraglog = FragLogOf(heap);
            _m = heap.Memory;
            _log = heap.BLOCKLOG;
            _blockSize = heap.BLOCKSIZE;
            _tableBlocks = _h.Length / W;
        }

        /// <summary>Where the simulation leaves the rover (compare with Heap.HeapIndex after the operation).</summary>
        public int PredictedRover => _rover;

        /// <summary>The work of malloc(<paramref name="size"/>) if it ran now.</summary>
        public OpWork Malloc(int size)
        {
            Start();
            _work.PredictedOffset = SimMalloc(size);
            return _work;
        }

        /// <summary>The work of calloc(<paramref name="count"/>, <paramref name="size"/>) if it ran now.</summary>
        public OpWork Calloc(int count, int size)
        {
            Start();
            long total = (long)count * size;
            if (total <= int.MaxValue && total >= 0)
            {
                _work.PredictedOffset = SimMalloc((int)total);
                if (_work.PredictedOffset != 0)
                {
                    _work.BytesZeroed = (int)total;
                }
            }

            return _work;
        }

        /// <summary>The work of free(<paramref name="ptr"/>) (a live offset) if it ran now.</summary>
        public OpWork Free(int ptr)
        {
            Start();
            if (ptr != 0)
            {
                int block = Block(ptr);
                int type = W0(block);
                if (type > 0)
                {
                    SimIsFreeFragment(ptr, block, type);
                }

                SimFreeInternal(ptr);
            }

            return _work;
        }

        /// <summary>The work of realloc(<paramref name="ptr"/>, <paramref name="size"/>) (ptr live or 0) if it ran now.</summary>
        public OpWork Realloc(int ptr, int size)
        {
            Start();
            _work.PredictedOffset = SimRealloc(ptr, size);
            return _work;
        }

        private void Start()
        {
            _overlay.Clear();
            _work = default;
            _rover = _heap.HeapIndex;
            _limit = _heap.HeapLimit;
            _break = _heap.Arena.Break;
            if (!_heap.Initialized)
            {
                // The first operation initializes: the table is reset and the heap starts at the break.
                _rover = 0;
                _limit = 1;
            }
        }

        // ---- the table through the overlay ----
        private int W0(int i) => _overlay.TryGetValue(i, out var e) ? e.W0 : _h[i * W];

        private int W1(int i) => _overlay.TryGetValue(i, out var e) ? e.W1 : _h[(i * W) + 1];

        private int W2(int i) => _overlay.TryGetValue(i, out var e) ? e.W2 : _h[(i * W) + 2];

        private void Set(int i, int w0, int w1, int w2) => _overlay[i] = (w0, w1, w2);

        private void SetW0(int i, int v) => Set(i, v, W1(i), W2(i));

        private void SetNext(int i, int v) => Set(i, W0(i), v, W2(i));

        private void SetPrev(int i, int v) => Set(i, W0(i), W1(i), v);

        private int HeapBase => _heap.Initialized ? _heap.HeapBase : _heap.Arena.Break;

        private int Block(int offset) => ((offset - HeapBase) >> _log) + 1;

        private int Address(int block) => ((block - 1) << _log) + HeapBase;

        private bool CanSbrk(int bytes) => bytes <= _heap.Arena.Limit - _break;

        // ---- malloc ----
        private int SimMalloc(int size)
        {
            if (size <= 0)
            {
                return 0;
            }

            if (size < Heap.MINFRAG)
            {
                size = Heap.MINFRAG;
            }

            if (size <= _blockSize / 2)
            {
                int log = _fraglog[(size - 1) >> Heap.MINFRAGLOG];
                int head = _heap.Initialized ? _fraghead[log] : 0;
                if (head != 0)
                {
                    return head;
                }

                int result = SimMallocBlocks(1);
                if (result == 0)
                {
                    return 0;
                }

                int count = _blockSize >> log;
                _work.FragmentsLinked += count - 1;
                Set(Block(result), log, count - 1, count - 1);
                return result;
            }

            return SimMallocBlocks(((size - 1) >> _log) + 1);
        }

        private int SimMallocBlocks(int blocks)
        {
            if (blocks >= _tableBlocks)
            {
                return 0;
            }

            int start = _rover;
            int block = start;
            _work.ClusterSteps++;
            while (-W0(block) < blocks)
            {
                block = W1(block);
                if (block == start)
                {
                    int last = W2(0);
                    int lastBlocks = -W0(last);
                    if (last != 0 && last + lastBlocks == _limit && _break == Address(last + lastBlocks)
                        && CanSbrk((blocks - lastBlocks) << _log))
                    {
                        _break += (blocks - lastBlocks) << _log;
                        _limit = Block(_break);
                        SetW0(last, -blocks);
                        block = last;
                        _work.ClusterSteps++;
                        continue;
                    }

                    if (!CanSbrk(blocks << _log))
                    {
                        return 0;
                    }

                    int result = _break;
                    _break += blocks << _log;
                    _limit = Block(_break);
                    Set(Block(result), 0, blocks, 0);
                    return result;
                }

                _work.ClusterSteps++;
            }

            int size = -W0(block);
            int next = W1(block);
            int prev = W2(block);
            if (size > blocks)
            {
                int rest = block + blocks;
                Set(rest, -(size - blocks), next, prev);
                SetNext(prev, rest);
                SetPrev(next, rest);
                _rover = rest;
            }
            else
            {
                SetPrev(next, prev);
                SetNext(prev, next);
                _rover = next;
            }

            Set(block, 0, blocks, 0);
            return Address(block);
        }

        // ---- free ----
        private void SimIsFreeFragment(int ptr, int block, int log)
        {
            int nfree = W1(block);
            if (nfree == 0)
            {
                return;
            }

            int prev = Bytes.GetInt32(_m, ptr + 4);
            if (prev == 0)
            {
                return;   // the heap compares _fraghead[log] with ptr: no walk
            }

            if (prev < HeapBase || prev > _m.Length - Heap.MINFRAG || Bytes.GetInt32(_m, prev) != ptr)
            {
                return;
            }

            int frag = Address(block) + (W2(block) << log);
            for (int i = 0; i < nfree && frag != 0; i++)
            {
                _work.FragmentSteps++;
                if (frag == ptr)
                {
                    return;
                }

                frag = Bytes.GetInt32(_m, frag);
            }
        }

        private void SimFreeInternal(int ptr)
        {
            int block = Block(ptr);
            int type = W0(block);
            if (type == 0)
            {
                SimFreeBlocks(block, W1(block), shrink: true);
                return;
            }

            int nfree = W1(block);
            if (nfree == (_blockSize >> type) - 1)
            {
                _work.FragmentSteps += nfree - 1;
                Set(block, 0, 1, 0);
                SimFreeBlocks(block, 1, shrink: true);
            }
        }

        private void SimFreeBlocks(int block, int size, bool shrink)
        {
            int i = _rover;
            if (i > block)
            {
                while (i > block)
                {
                    i = W2(i);
                    _work.ClusterSteps++;
                }
            }
            else
            {
                do
                {
                    i = W1(i);
                    _work.ClusterSteps++;
                }
                while (i > 0 && i < block);
                i = W2(i);
                _work.ClusterSteps++;
            }

            if (block == i - W0(i))
            {
                SetW0(i, W0(i) - size);
                Set(block, Heap.INTERIOR, 0, W2(block));
                block = i;
            }
            else
            {
                int next = W1(i);
                Set(block, -size, next, i);
                SetNext(i, block);
                SetPrev(next, block);
            }

            int after = W1(block);
            if (block - W0(block) == after)
            {
                SetW0(block, W0(block) + W0(after));
                int afterNext = W1(after);
                SetNext(block, afterNext);
                SetPrev(afterNext, block);
                Set(after, Heap.INTERIOR, 0, 0);
            }

            int blocks = -W0(block);
            if (shrink && blocks >= _heap.FINAL_FREE_BLOCKS && block + blocks == _limit && _break == Address(block + blocks))
            {
                _break -= blocks << _log;
                _limit -= blocks;
                int prev = W2(block);
                int next = W1(block);
                SetNext(prev, next);
                SetPrev(next, prev);
                Set(block, Heap.INTERIOR, 0, 0);
                block = prev;
            }

            _rover = block;
        }

        // ---- realloc ----
        private int SimRealloc(int ptr, int size)
        {
            if (ptr == 0)
            {
                return SimMalloc(size);
            }

            if (size <= 0)
            {
                SimFreeInternal(ptr);
                return 0;
            }

            int block = Block(ptr);
            int type = W0(block);
            if (type == 0)
            {
                int oldBlocks = W1(block);
                if (size <= _blockSize / 2)
                {
                    int small = SimMalloc(size);
                    if (small != 0)
                    {
                        _work.BytesCopied += size;
                        SimFreeInternal(ptr);
                        return small;
                    }
                }

                int blocks = ((size - 1) >> _log) + 1;
                if (blocks < oldBlocks)
                {
                    Set(block + blocks, 0, oldBlocks - blocks, 0);
                    SimFreeBlocks(block + blocks, oldBlocks - blocks, shrink: true);
                    return ptr;
                }

                if (blocks == oldBlocks)
                {
                    return ptr;
                }

                SimFreeBlocks(block, oldBlocks, shrink: false);
                int result = SimMallocBlocks(blocks);
                if (result != 0 && result != ptr)
                {
                    _work.BytesCopied += oldBlocks << _log;
                }

                return result;
            }

            if (size > (1 << (type - 1)) && size <= (1 << type))
            {
                return ptr;
            }

            if (type == Heap.MINFRAGLOG && size <= Heap.MINFRAG)
            {
                return ptr;
            }

            int moved = SimMalloc(size);
            if (moved == 0)
            {
                return 0;
            }

            int keep = 1 << type;
            _work.BytesCopied += size < keep ? size : keep;
            SimFreeInternal(ptr);
            return moved;
        }
    }
}
