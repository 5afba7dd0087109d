// Applies operations to a Subject and its HeapModel side by side, checking every property after
// every operation (see Model.cs). A broken property throws PropertyViolation naming the
// operation's index, the operation and what was wrong; CsCheck then shrinks the sequence.
//
// Running out of memory is allowed, but only when it is plausible: an allocation that needs n
// bytes of base heap may fail only if the arena cannot grow by n and no free cluster holds n (a
// necessary condition: the base heap's first fit would otherwise have found them).
using System;
using Checker.Nano.Traces;

namespace Checker.Nano.Reliability
{
    /// <summary>Runs operation sequences against a subject and its model.</summary>
    public sealed class ModelRunner
    {
        private readonly Subject _s;
        private readonly HeapModel _model;
        private readonly int _blockSize;
        private readonly int _overhead;
        private byte[] _scratch = new byte[256];
        private int _index;
        private Op _op;
        private int _faultsAllowed;

        /// <summary>A runner over <paramref name="subject"/>; fill bytes from <paramref name="seed"/>.</summary>
        public ModelRunner(Subject subject, int seed)
        {
            _s = subject;
            _model = new HeapModel(seed);
            _blockSize = subject.Heap.BLOCKSIZE;
            _overhead = subject.HeaderBytes + subject.TrailerBytes;
        }

        /// <summary>Operations applied so far.</summary>
        public long Operations { get; private set; }

        /// <summary>Allocations that ran out of memory (plausibly).</summary>
        public long OutOfMemory { get; private set; }

        /// <summary>The model.</summary>
        public HeapModel Model => _model;

        /// <summary>Validate after every operation (the property runs); off for the long stress loops that check every N.</summary>
        public bool ValidateEach { get; set; } = true;

        /// <summary>
        /// Every how many operations all live blocks' bytes are compared with the model (1: after
        /// each); in between only the block the operation touched is.
        /// </summary>
        public int FullCheckEvery { get; set; } = 1;

        private LiveBlock _touched;

        /// <summary>Runs <paramref name="ops"/>, then frees every block and checks the heap is empty.</summary>
        public void Run(Op[] ops)
        {
            for (_index = 0; _index < ops.Length; _index++)
            {
                _op = ops[_index];
                Step(_op);
            }

            _op = default;
            FreeAllAndCheckEmpty();
        }

        /// <summary>Stops counting the reports made so far as faults (after a fault was injected on purpose).</summary>
        public void AcceptReports()
        {
            _faultsAllowed = _s.ReportedFaultsOtherThanOutOfMemory;
        }

        /// <summary>Takes the arena's bytes as the model's (after damage was found and counted), so the run can go on.</summary>
        public void Resync()
        {
            byte[] m = _s.Memory;
            _model.Live.RemoveAll(b => b.Ptr < 0 || b.Ptr + b.Size > m.Length);
            foreach (LiveBlock b in _model.Live)
            {
                m.AsSpan(b.Ptr, b.Size).CopyTo(b.Data);
            }

            AcceptReports();
        }

        /// <summary>Whether the plausibility of running out of memory is checked (off once the heap was damaged on purpose).</summary>
        public bool CheckOutOfMemory { get; set; } = true;

        /// <summary>One operation and the checks after it.</summary>
        public void Step(Op op)
        {
            _op = op;
            try
            {
                Apply(op);
            }
            catch (PropertyViolation)
            {
                throw;
            }
            catch (Exception e)
            {
                throw Fail($"{e.GetType().Name} escaped: {e.Message}", e);
            }

            Operations++;
            AfterEach();
        }

        /// <summary>Frees every live block (and what the layer holds), then the heap must hold nothing.</summary>
        public void FreeAllAndCheckEmpty()
        {
            while (_model.Live.Count > 0)
            {
                LiveBlock b = _model.Live[_model.Live.Count - 1];
                _s.Free(b.Ptr);
                _model.Live.RemoveAt(_model.Live.Count - 1);
                Operations++;
            }

            _s.ReleaseHeld();
            AfterEach();
            MStats st = _s.Heap.MStats();
            if (st.ChunksUsed != 0 || st.BytesUsed != 0 || _s.LiveBlocks != 0)
            {
                throw Fail($"the heap is not empty after every block was freed: {st}");
            }
        }

        private PropertyViolation Fail(string what, Exception inner = null)
        {
            return new PropertyViolation($"{_s.Kind} {_s.Heap.Arena.Size}/{_blockSize}, operation {_index} {_op}: {what}", inner);
        }

        private void AfterEach()
        {
            if (ValidateEach)
            {
                string problem = _s.Validate();
                if (problem != null)
                {
                    throw Fail("Validate: " + problem + " | " + _s.Heap.Describe());
                }
            }

            int faults = _s.ReportedFaultsOtherThanOutOfMemory;
            if (faults > _faultsAllowed)
            {
                throw Fail("the layer reported a fault on a correct program: " + _s.TakeReports());
            }

            int at = 0;
            LiveBlock damaged;
            if (FullCheckEvery <= 1 || Operations % FullCheckEvery == 0)
            {
                damaged = _model.FirstDamaged(_s.Memory, out at);
            }
            else
            {
                damaged = _touched != null && _touched.Size > 0 && !_s.Memory.AsSpan(_touched.Ptr, _touched.Size).SequenceEqual(_touched.Data) ? _touched : null;
                if (damaged != null)
                {
                    at = damaged.Ptr + _s.Memory.AsSpan(damaged.Ptr, damaged.Size).CommonPrefixLength(damaged.Data);
                }
            }

            _touched = null;
            if (damaged != null)
            {
                throw Fail($"block {damaged} lost its data at {Bytes.Hex8(at)}");
            }

            if (ValidateEach && _s.LiveBlocks != _model.Live.Count)
            {
                throw Fail($"the layer counts {_s.LiveBlocks} live blocks, the model {_model.Live.Count}");
            }
        }

        private LiveBlock Pick(int slot) => _touched = _model.Live.Count == 0 ? null : _model.Live[slot % _model.Live.Count];

        private int Size(int sizeClass, int raw) => OperationGen.SizeOf(sizeClass, raw, _blockSize, _overhead);

        private void Apply(Op op)
        {
            switch (op.Kind)
            {
                case OpKind.Malloc:
                {
                    int size = Size(op.SizeClass, op.Raw);
                    Allocated(_s.Malloc(size), size, "malloc", 0, false);
                    break;
                }

                case OpKind.Calloc:
                {
                    int size = Size(op.SizeClass, op.Raw) / op.Extra;
                    Allocated(_s.Calloc(op.Extra, size), op.Extra * size, "calloc", 0, true);
                    break;
                }

                case OpKind.Memalign:
                {
                    if (!_s.HasMemalign)
                    {
                        goto case OpKind.Malloc;
                    }

                    int alignment = 1 << (3 + op.Extra);
                    int size = Size(op.SizeClass, op.Raw);
                    int p = _s.Memalign(alignment, size);
                    if (p != 0 && (p & (alignment - 1)) != 0)
                    {
                        throw Fail($"memalign({alignment}, {size}) returned {Bytes.Hex8(p)}, not aligned");
                    }

                    Allocated(p, size, "memalign", alignment, false);
                    break;
                }

                case OpKind.Realloc:
                {
                    LiveBlock b = Pick(op.Slot);
                    int size = Size(op.SizeClass, op.Raw);
                    if (b == null)
                    {
                        Allocated(_s.Realloc(0, size), size, "realloc(0, n)", 0, false);
                        break;
                    }

                    Resize(b, size);
                    break;
                }

                case OpKind.Free:
                {
                    LiveBlock b = Pick(op.Slot);
                    if (b != null)
                    {
                        _s.Free(b.Ptr);
                        _model.Live.Remove(b);
                _touched = null;
                    }

                    break;
                }

                case OpKind.Write:
                {
                    LiveBlock b = Pick(op.Slot);
                    if (b == null || b.Size == 0)
                    {
                        break;
                    }

                    int from = op.Raw % b.Size;
                    int count = 1 + (op.Extra % (b.Size - from));
                    Span<byte> fresh = b.Data.AsSpan(from, count);
                    _model.FillRandom(fresh);
                    WriteThrough(b.Ptr, from, fresh);
                    break;
                }

                case OpKind.Read:
                {
                    LiveBlock b = Pick(op.Slot);
                    if (b == null)
                    {
                        break;
                    }

                    EnsureScratch(b.Size);
                    _s.Read(b.Ptr, 0, _scratch, b.Size);
                    if (!_scratch.AsSpan(0, b.Size).SequenceEqual(b.Data))
                    {
                        throw Fail($"reading block {b} through the accessor gave other bytes than the model's");
                    }

                    break;
                }

                case OpKind.Null:
                {
                    LiveBlock b = Pick(op.Slot);
                    if (op.SizeClass == 0)
                    {
                        _s.Free(0);
                    }
                    else if (op.SizeClass == 1 || b == null)
                    {
                        int size = Size(1, op.Raw);
                        Allocated(_s.Realloc(0, size), size, "realloc(0, n)", 0, false);
                    }
                    else
                    {
                        int r = _s.Realloc(b.Ptr, 0);
                        if (r != 0)
                        {
                            throw Fail($"realloc({b}, 0) returned {Bytes.Hex8(r)}, not 0");
                        }

                        _model.Live.Remove(b);
                _touched = null;
                    }

                    break;
                }

                case OpKind.Hostile:
                    Hostile(op);
                    break;

                case OpKind.Inspect:
                {
                    string problem = _s.Inspect(op.Extra, Pick(op.Slot), op.Raw % _s.Memory.Length);
                    if (problem != null)
                    {
                        throw Fail(problem);
                    }

                    break;
                }
            }
        }

        private void Hostile(Op op)
        {
            LiveBlock b = Pick(op.Slot);
            int reportsFrom = _s.Sink.Length;
            int r;
            string call;
            switch (op.SizeClass)
            {
                case 0: r = _s.Malloc(-1); call = "malloc(-1)"; break;
                case 1: r = _s.Malloc(int.MaxValue); call = "malloc(int.MaxValue)"; break;
                case 2: r = _s.Calloc(int.MaxValue, 3); call = "calloc(int.MaxValue, 3)"; break;
                case 3: r = _s.Calloc(-2, 8); call = "calloc(-2, 8)"; break;
                case 4: r = _s.Malloc(int.MaxValue - 20); call = "malloc(int.MaxValue - 20)"; break;
                case 5:
                    if (b == null)
                    {
                        return;
                    }

                    r = _s.Realloc(b.Ptr, -1);
                    call = $"realloc({b}, -1)";
                    break;
                default:
                    if (b == null)
                    {
                        return;
                    }

                    r = _s.Realloc(b.Ptr, int.MaxValue - 8);
                    call = $"realloc({b}, int.MaxValue - 8)";
                    break;
            }

            if (r != 0)
            {
                throw Fail($"{call} returned {Bytes.Hex8(r)}");
            }

            // The upper layers report a bad size; that is the documented answer, not a fault. Only
            // those reports are allowed: any other the call made (a CHECK_EVERY_N check finding
            // damage, say) stays a fault for the check after the step.
            _faultsAllowed += BadSizeReports(_s.Sink, reportsFrom);
        }

        /// <summary>The debug heap's "Invalid allocation size" reports written to <paramref name="sink"/> from byte <paramref name="from"/> on.</summary>
        public static int BadSizeReports(MemorySink sink, int from)
        {
            const string Text = "Invalid allocation size: ";
            string all = sink.Text;
            int n = 0;
            for (int at = all.IndexOf(Text, Math.Min(from, all.Length), StringComparison.Ordinal); at >= 0; at = all.IndexOf(Text, at + Text.Length, StringComparison.Ordinal))
            {
                n++;
            }

            return n;
        }

        private void Allocated(int p, int size, string call, int alignment, bool zeroed)
        {
            if (p == 0)
            {
                if (size == 0 && _s.IsBaseHeap)
                {
                    return;   // the base heap's malloc(0) is 0, as in the seed
                }

                // memalign asks malloc for alignment - 1 bytes more, but only above the heap's own
                // 8-byte grain (BaseHeap.GRANULE); at or below it, memalign is plain malloc.
                CheckOutOfMemoryPlausible(call, size + _overhead + (alignment > BaseHeap.GRANULE ? alignment - 1 : 0));
                return;
            }

            Arena arena = _s.Heap.Arena;
            if (p - _s.HeaderBytes < _s.Heap.HeapBase || p + size + _s.TrailerBytes > arena.Break || ((p - _s.HeaderBytes) & 7) != 0 && alignment == 0)
            {
                throw Fail($"{call}({size}) returned {Bytes.Hex8(p)}, outside the heap [{Bytes.Hex8(_s.Heap.HeapBase)}, {Bytes.Hex8(arena.Break)}) or off the 8-byte grain");
            }

            LiveBlock other = _model.Overlapping(p - _s.HeaderBytes, p + size + _s.TrailerBytes, _s.HeaderBytes, _s.TrailerBytes, null);
            if (other != null)
            {
                throw Fail($"{call}({size}) returned {Bytes.Hex8(p)}, which overlaps live block {other}");
            }

            if (zeroed && _s.Memory.AsSpan(p, size).ContainsAnyExcept((byte)0))
            {
                throw Fail($"{call} returned {Bytes.Hex8(p)} with bytes that are not zero");
            }

            var b = new LiveBlock { Ptr = p, Size = size, Data = new byte[size], Alignment = alignment };
            _touched = b;
            _model.FillRandom(b.Data);
            WriteThrough(p, 0, b.Data);
            _model.Live.Add(b);
        }

        private void Resize(LiveBlock b, int size)
        {
            int q = _s.Realloc(b.Ptr, size);
            if (size == 0)
            {
                if (q != 0)
                {
                    throw Fail($"realloc({b}, 0) returned {Bytes.Hex8(q)}, not 0");
                }

                _model.Live.Remove(b);
                _touched = null;
                return;
            }

            if (q == 0)
            {
                CheckOutOfMemoryPlausible($"realloc({b}, {size})", size + _overhead);
                return;   // the old block must be untouched: the content check after the step says so
            }

            if (q - _s.HeaderBytes < _s.Heap.HeapBase || q + size + _s.TrailerBytes > _s.Heap.Arena.Break)
            {
                _model.Live.Remove(b);
                _touched = null;
                throw Fail($"realloc({b}, {size}) returned {Bytes.Hex8(q)}, outside the heap");
            }

            int keep = Math.Min(b.Size, size);
            if (!_s.Memory.AsSpan(q, keep).SequenceEqual(b.Data.AsSpan(0, keep)))
            {
                throw Fail($"realloc({b}, {size}) to {Bytes.Hex8(q)} lost data at byte {_s.Memory.AsSpan(q, keep).CommonPrefixLength(b.Data.AsSpan(0, keep))}");
            }

            LiveBlock other = _model.Overlapping(q - _s.HeaderBytes, q + size + _s.TrailerBytes, _s.HeaderBytes, _s.TrailerBytes, b);
            if (other != null)
            {
                throw Fail($"realloc({b}, {size}) returned {Bytes.Hex8(q)}, which overlaps live block {other}");
            }

            byte[] data = new byte[size];
            Array.Copy(b.Data, data, keep);
            b.Ptr = q;
            b.Size = size;
            b.Data = data;
            b.Alignment = 0;
            if (size > keep)
            {
                _model.FillRandom(data.AsSpan(keep));
                WriteThrough(q, keep, data.AsSpan(keep));
            }
        }

        private void WriteThrough(int ptr, int index, ReadOnlySpan<byte> bytes)
        {
            if (bytes.Length == 0)
            {
                return;
            }

            EnsureScratch(bytes.Length);
            bytes.CopyTo(_scratch);
            _s.Write(ptr, index, _scratch, bytes.Length);
        }

        private void EnsureScratch(int n)
        {
            if (_scratch.Length < n)
            {
                _scratch = new byte[Math.Max(n, _scratch.Length * 2)];
            }
        }

        private void CheckOutOfMemoryPlausible(string call, long needBytes)
        {
            OutOfMemory++;
            if (!CheckOutOfMemory)
            {
                return;
            }

            if (_s.Policy == HeapPolicy.Compact)
            {
                CheckCompactOutOfMemoryPlausible(call, needBytes);
                return;
            }

            long half = _blockSize / 2;
            long need = needBytes <= half ? _blockSize : ((needBytes + _blockSize - 1) / _blockSize) * _blockSize;
            MStats st = _s.Heap.MStats();
            if (need <= st.ArenaAvailable || need <= st.LargestFreeRun)
            {
                throw Fail($"{call} ran out of memory although the arena could grow by {st.ArenaAvailable} bytes and the largest free run is {st.LargestFreeRun} (needs {need})");
            }
        }

        /// <summary>
        /// The Compact policy's bounded fit (COMPACT.md) must find room when the arena can grow by
        /// what the request needs at the break (a run: its blocks plus the padding to a block
        /// start), or when some gap lies in a list at or above the request's rounded-up list (the
        /// head of the first such list is always tried, and every gap there fits). A request's own
        /// free slots are not visible in MStats, so a failed slot request is checked against
        /// the gaps and the break only.
        /// </summary>
        private void CheckCompactOutOfMemoryPlausible(string call, long needBytes)
        {
            BaseHeap heap = _s.Heap;
            if (needBytes <= 0 || needBytes > heap.Arena.Size)
            {
                return;
            }

            int size = (int)needBytes;
            int allotted = heap.AllottedBytes(size);
            long need = size <= ((CompactHeap)heap).LargestClass ? (CompactHeap.RunBlocks(_blockSize, allotted) * (long)_blockSize) + _blockSize - CompactHeap.C_GRANULE : allotted;
            long step = 1L << (63 - System.Numerics.BitOperations.LeadingZeroCount((ulong)need) - 3);
            MStats st = heap.MStats();
            if (need <= st.ArenaAvailable || st.LargestFreeRun >= need + step - 1)
            {
                throw Fail($"{call} ran out of memory although the arena could grow by {st.ArenaAvailable} bytes and the largest gap is {st.LargestFreeRun} (needs {need}; Compact)");
            }
        }
    }
}
