// The three layers under test behind one face, so every campaign runs the same code on each:
// the base heap (Heap), the debug heap over it (DebugHeap) and Checker over that (CheckerHeap).
// A Subject hands out user pointers (offsets into the arena), moves data through the layer's own
// accessors, and exposes the layer's two checks: Validate (white box, its invariants) and Check
// (what a user runs: Validate for the base heap, CheckMemory for the upper layers, reports counted).
//
// What "an error the library documents" is, per layer (the metadata-corruption semantics, see
// README.md): the base heap throws HeapException; the debug heap reports and returns an error
// code (its data accessors throw DebugHeapException); Checker reports an error code. Anything
// else escaping a public call is a crash.
using System;
using System.Reflection;
using Checker.Nano.Traces;

namespace Checker.Nano.Reliability
{
    /// <summary>Which layer a subject drives.</summary>
    public enum Layer
    {
        /// <summary>The base heap (GNU malloc's design).</summary>
        Base,

        /// <summary>The CRT-style debug heap over the base heap.</summary>
        Debug,

        /// <summary>Checker over the debug heap.</summary>
        Checker,

        /// <summary>The base heap with the Compact policy (HeapPolicy.Compact; no memalign, walks or upper layers).</summary>
        Compact,
    }

    /// <summary>An arena and block size for a subject.</summary>
    public readonly record struct HeapShape(int ArenaBytes, int BlockSize)
    {
        /// <summary>"64K/4096".</summary>
        public override string ToString() => $"{ArenaBytes / 1024}K/{BlockSize}";
    }

    /// <summary>One layer of Checker.Nano under test.</summary>
    public abstract class Subject
    {
        /// <summary>Where the reports of the upper layers go.</summary>
        public MemorySink Sink { get; } = new MemorySink();

        /// <summary>The layer.</summary>
        public abstract Layer Layer { get; }

        /// <summary>The base heap (of every layer).</summary>
        public abstract BaseHeap Heap { get; }

        /// <summary>The arena's bytes.</summary>
        public byte[] Memory => Heap.Memory;

        /// <summary>Bytes the layer puts before a block's data (a debug header: 28).</summary>
        public abstract int HeaderBytes { get; }

        /// <summary>Bytes the layer puts after a block's data (a debug guard: 4).</summary>
        public abstract int TrailerBytes { get; }

        /// <summary>malloc; 0 when there is no room.</summary>
        public abstract int Malloc(int size);

        /// <summary>calloc; 0 when there is no room.</summary>
        public abstract int Calloc(int count, int size);

        /// <summary>realloc; 0 when there is no room (the old block untouched).</summary>
        public abstract int Realloc(int ptr, int size);

        /// <summary>free.</summary>
        public abstract void Free(int ptr);

        /// <summary>Whether this layer offers memalign (the base heap, once Heap.Memalign exists).</summary>
        public virtual bool HasMemalign => false;

        /// <summary>memalign; 0 when there is no room.</summary>
        public virtual int Memalign(int alignment, int size) => throw new NotSupportedException();

        /// <summary>Writes <paramref name="count"/> bytes into the block through the layer's accessor.</summary>
        public abstract void Write(int ptr, int index, byte[] source, int count);

        /// <summary>Reads <paramref name="count"/> bytes of the block through the layer's accessor.</summary>
        public abstract void Read(int ptr, int index, byte[] destination, int count);

        /// <summary>Sets <paramref name="count"/> bytes of the block from <paramref name="index"/> through the layer's accessor.</summary>
        public abstract void Fill(int ptr, int index, int count, byte value);

        /// <summary>The white-box check of every invariant: null when all hold.</summary>
        public abstract string Validate();

        /// <summary>The user's check (Validate, or CheckMemory with the reports it made): null when all is well.</summary>
        public abstract string Check();

        /// <summary>Faults the layer reported so far (0 for the base heap, which throws instead).</summary>
        public abstract int ReportedFaults { get; }

        /// <summary>Faults reported other than running out of memory (which Checker reports as "oom").</summary>
        public virtual int ReportedFaultsOtherThanOutOfMemory => ReportedFaults;

        /// <summary>Gives back what the layer holds for itself (delay-freed, aged blocks) so the heap can empty.</summary>
        public virtual void ReleaseHeld()
        {
        }

        /// <summary>Whether the subject is a base heap (either policy): malloc(0) is 0, errors are HeapExceptions.</summary>
        public bool IsBaseHeap => Layer == Layer.Base || Layer == Layer.Compact;

        /// <summary>Live blocks the layer tracks (the base heap's used chunks for the base heap).</summary>
        public abstract int LiveBlocks { get; }

        /// <summary>The layer's settings for variant <paramref name="variant"/> (0-3); "default" and the like.</summary>
        public virtual string Configure(int variant) => "default";

        /// <summary>How many query kinds <see cref="Inspect"/> knows for this layer.</summary>
        public virtual int InspectKinds => 8;

        /// <summary>Whether several threads share the subject: Inspect then skips the dumps (they clear the shared sink).</summary>
        public bool Concurrent { get; set; }

        /// <summary>Whether Inspect compares answers with the model (off once the heap was damaged on purpose).</summary>
        public bool InspectChecks { get; set; } = true;

        private HeapReport _report;
        private readonly int[] _rows = new int[1024];

        /// <summary>
        /// Calls query <paramref name="which"/> (modulo <see cref="InspectKinds"/>) about block
        /// <paramref name="b"/> (may be null) or any <paramref name="address"/>; returns what in
        /// its answer disagrees with the model, or null. Exceptions come out as LibraryFault.
        /// </summary>
        public string Inspect(int which, LiveBlock b, int address)
        {
            try
            {
                which %= InspectKinds;
                if (Concurrent && (which == 6 || which == 14 || which == 19 || which == 20 || which == 23))
                {
                    which = 2;   // dumps and detector runs clear the shared sink: MStats instead
                }

                if (Concurrent && which == 3 && Layer == Layer.Compact)
                {
                    // Describe builds its string by concatenation (as on the device): on a full 1 MiB
                    // compact heap (over 10,000 items) one call holds the lock for a tenth of a second
                    // and more, and the 4-thread run would spend minutes in it. The property runs call it.
                    which = 2;
                }

                string problem = InspectCore(which, b, address);
                return InspectChecks ? problem : null;
            }
            catch (Exception e)
            {
                throw new LibraryFault(e);
            }
        }

        /// <summary>The base heap's queries (every layer has a base heap under it).</summary>
        protected virtual string InspectCore(int which, LiveBlock b, int address)
        {
            BaseHeap heap = Heap;
            switch (which)
            {
                case 0:
                    if (b != null && heap.CheckPointer(b.Ptr - HeaderBytes) != HeapError.None)
                    {
                        return $"CheckPointer({Bytes.Hex8(b.Ptr - HeaderBytes)}) of a live block gave {heap.CheckPointer(b.Ptr - HeaderBytes)}";
                    }

                    return null;
                case 1:
                    if (b != null && heap.UsableSize(b.Ptr - HeaderBytes) < b.Size + HeaderBytes + TrailerBytes)
                    {
                        return $"UsableSize({Bytes.Hex8(b.Ptr - HeaderBytes)}) is {heap.UsableSize(b.Ptr - HeaderBytes)}, less than the block's {b.Size} bytes";
                    }

                    return null;
                case 2:
                {
                    MStats st = heap.MStats();
                    return st.BytesUsed + st.BytesFree != st.BytesTotal ? $"MStats: used {st.BytesUsed} + free {st.BytesFree} != total {st.BytesTotal}" : null;
                }

                case 3:
                    heap.Describe();
                    return null;
                case 4:
                    heap.WalkTable(_rows);
                    return null;
                case 5:
                    heap.WalkFreeSlots(_rows);
                    return null;
                case 6:
                    Report().Dump("inspect", 0);
                    Report().Check();
                    Sink.Clear();
                    return null;
                default:
                    heap.CheckPointer(address);
                    return null;
            }
        }

        /// <summary>The dump writer over this subject (with the upper layers' sections).</summary>
        protected HeapReport Report()
        {
            if (_report == null)
            {
                _report = new HeapReport(Heap, new Reporter(Sink));
                AddSections(_report);
            }

            return _report;
        }

        /// <summary>Adds the layer's sections to the dump writer.</summary>
        protected virtual void AddSections(HeapReport report)
        {
        }

        /// <summary>The reports written so far, as text (and clears them).</summary>
        public string TakeReports()
        {
            string s = Sink.Text;
            Sink.Clear();
            return s;
        }

        /// <summary>A subject of <paramref name="layer"/> over a fresh arena of <paramref name="shape"/>.</summary>
        public static Subject Create(Layer layer, HeapShape shape)
        {
            switch (layer)
            {
                case Layer.Base: return new BaseSubject(shape);
                case Layer.Debug: return new DebugSubject(shape);
                case Layer.Compact: return new BaseSubject(shape, HeapPolicy.Compact);
                default: return new CheckerSubject(shape);
            }
        }

        /// <summary>A reporter writing both forms into <see cref="Sink"/>.</summary>
        protected Reporter NewReporter() => new Reporter(Sink);
    }

    /// <summary>The base heap (the seed's policy, or Compact: Layer.Compact).</summary>
    public sealed class BaseSubject : Subject
    {
        private static readonly MethodInfo MemalignMethod = typeof(BaseHeap).GetMethod("Memalign", new[] { typeof(int), typeof(int) });
        private readonly BaseHeap _heap;
        private readonly Func<int, int, int> _memalign;
        private readonly bool _compact;

        /// <summary>A base heap over a fresh arena.</summary>
        public BaseSubject(HeapShape shape)
            : this(shape, HeapPolicy.Seed)
        {
        }

        /// <summary>A base heap of <paramref name="policy"/> over a fresh arena (Compact: no memalign).</summary>
        public BaseSubject(HeapShape shape, HeapPolicy policy)
        {
            _compact = policy == HeapPolicy.Compact;
            _heap = HeapPolicies.Make(policy, new Arena(new byte[shape.ArenaBytes]), shape.BlockSize);
            if (MemalignMethod != null && !_compact)
            {
                _memalign = (Func<int, int, int>)MemalignMethod.CreateDelegate(typeof(Func<int, int, int>), _heap);
            }
        }

        /// <summary>Whether the base heap has memalign in this build (it is being added; found by reflection).</summary>
        public static bool MemalignAvailable => MemalignMethod != null;

        /// <inheritdoc/>
        public override Layer Layer => _compact ? Layer.Compact : Layer.Base;

        /// <inheritdoc/>
        public override BaseHeap Heap => _heap;

        /// <inheritdoc/>
        protected override string InspectCore(int which, LiveBlock b, int address)
        {
            if (!_compact || (which != 2 && (which < 4 || which > 6)))
            {
                return base.InspectCore(which, b, address);
            }

            // The walks and the dump writer are not supported on a compact heap (NotSupportedException,
            // documented): their places check what the policy promises instead.
            switch (which)
            {
                case 4:
                    if (b != null && _heap.UsableSize(b.Ptr) != _heap.AllottedBytes(b.Size))
                    {
                        return $"UsableSize({Bytes.Hex8(b.Ptr)}) is {_heap.UsableSize(b.Ptr)}, the policy allots {_heap.AllottedBytes(b.Size)} for {b.Size} bytes";
                    }

                    return null;
                case 2:
                case 5:
                {
                    // A run's unused tail is counted neither used nor free (COMPACT.md).
                    MStats st = _heap.MStats();
                    if (st.ChunksUsed < 0 || st.BytesUsed < 0 || st.ChunksFree < 0 || st.BytesFree < 0 || st.BytesUsed + st.BytesFree > st.BytesTotal || st.LargestFreeRun > st.BytesFree)
                    {
                        return "MStats: " + st;
                    }

                    return null;
                }

                default:
                    _heap.Describe();
                    _heap.Validate();
                    return null;
            }
        }

        /// <inheritdoc/>
        public override int HeaderBytes => 0;

        /// <inheritdoc/>
        public override int TrailerBytes => 0;

        /// <inheritdoc/>
        public override bool HasMemalign => _memalign != null;

        /// <inheritdoc/>
        public override int Malloc(int size)
        {
            try
            {
                return _heap.Malloc(size);
            }
            catch (Exception e)
            {
                throw new LibraryFault(e);
            }
        }

        /// <inheritdoc/>
        public override int Calloc(int count, int size)
        {
            try
            {
                return _heap.Calloc(count, size);
            }
            catch (Exception e)
            {
                throw new LibraryFault(e);
            }
        }

        /// <inheritdoc/>
        public override int Realloc(int ptr, int size)
        {
            try
            {
                return _heap.Realloc(ptr, size);
            }
            catch (Exception e)
            {
                throw new LibraryFault(e);
            }
        }

        /// <inheritdoc/>
        public override void Free(int ptr)
        {
            try
            {
                _heap.Free(ptr);
            }
            catch (Exception e)
            {
                throw new LibraryFault(e);
            }
        }

        /// <inheritdoc/>
        public override int Memalign(int alignment, int size)
        {
            try
            {
                return _memalign(alignment, size);
            }
            catch (Exception e)
            {
                throw new LibraryFault(e);
            }
        }

        /// <inheritdoc/>
        public override void Write(int ptr, int index, byte[] source, int count)
        {
            try
            {
                _heap.CopyIn(ptr, index, source, 0, count);
            }
            catch (Exception e)
            {
                throw new LibraryFault(e);
            }
        }

        /// <inheritdoc/>
        public override void Read(int ptr, int index, byte[] destination, int count)
        {
            try
            {
                _heap.CopyOut(ptr, index, destination, 0, count);
            }
            catch (Exception e)
            {
                throw new LibraryFault(e);
            }
        }

        /// <inheritdoc/>
        public override void Fill(int ptr, int index, int count, byte value)
        {
            try
            {
                _heap.Fill(ptr, index, count, value);
            }
            catch (Exception e)
            {
                throw new LibraryFault(e);
            }
        }

        /// <inheritdoc/>
        public override string Validate() => _heap.Validate();

        /// <inheritdoc/>
        public override string Check() => _heap.Validate();

        /// <inheritdoc/>
        public override int ReportedFaults => 0;

        /// <inheritdoc/>
        public override int LiveBlocks => _heap.MStats().ChunksUsed;
    }

    /// <summary>The debug heap over a base heap.</summary>
    public sealed class DebugSubject : Subject
    {
        private readonly DebugHeap _debug;

        /// <summary>A debug heap over a fresh base heap.</summary>
        public DebugSubject(HeapShape shape)
        {
            _debug = new DebugHeap(new Heap(new byte[shape.ArenaBytes], shape.BlockSize), NewReporter());
        }

        /// <summary>The debug heap.</summary>
        public DebugHeap Debug => _debug;

        /// <inheritdoc/>
        public override Layer Layer => Layer.Debug;

        /// <inheritdoc/>
        public override BaseHeap Heap => _debug.Heap;

        /// <inheritdoc/>
        public override int HeaderBytes => DebugHeap.HEADER_BYTES;

        /// <inheritdoc/>
        public override int TrailerBytes => DebugHeap.NO_MANS_LAND_SIZE;

        /// <inheritdoc/>
        public override int Malloc(int size)
        {
            try
            {
                return _debug.Malloc(size, BlockType.Normal, "Model.cs", 1);
            }
            catch (Exception e)
            {
                throw new LibraryFault(e);
            }
        }

        /// <inheritdoc/>
        public override int Calloc(int count, int size)
        {
            try
            {
                return _debug.Calloc(count, size, BlockType.Normal, "Model.cs", 2);
            }
            catch (Exception e)
            {
                throw new LibraryFault(e);
            }
        }

        /// <inheritdoc/>
        public override int Realloc(int ptr, int size)
        {
            try
            {
                return _debug.Realloc(ptr, size, BlockType.Normal, "Model.cs", 3);
            }
            catch (Exception e)
            {
                throw new LibraryFault(e);
            }
        }

        /// <inheritdoc/>
        public override void Free(int ptr)
        {
            try
            {
                _debug.Free(ptr, BlockType.Normal, "Model.cs", 4);
            }
            catch (Exception e)
            {
                throw new LibraryFault(e);
            }
        }

        /// <inheritdoc/>
        public override void Write(int ptr, int index, byte[] source, int count)
        {
            try
            {
                _debug.CopyIn(ptr, index, source, 0, count);
            }
            catch (Exception e)
            {
                throw new LibraryFault(e);
            }
        }

        /// <inheritdoc/>
        public override void Read(int ptr, int index, byte[] destination, int count)
        {
            try
            {
                _debug.CopyOut(ptr, index, destination, 0, count);
            }
            catch (Exception e)
            {
                throw new LibraryFault(e);
            }
        }

        /// <inheritdoc/>
        public override void Fill(int ptr, int index, int count, byte value)
        {
            try
            {
                _debug.Fill(ptr, index, count, value);
            }
            catch (Exception e)
            {
                throw new LibraryFault(e);
            }
        }

        /// <inheritdoc/>
        public override string Validate() => _debug.Validate();

        /// <inheritdoc/>
        public override string Check()
        {
            int before = Sink.Length;
            bool ok = _debug.CheckMemory();
            if (ok)
            {
                return null;
            }

            string text = Sink.Text;
            return "CheckMemory: " + (text.Length > before ? text.Substring(Math.Min(before, text.Length)) : "(no report)");
        }

        /// <inheritdoc/>
        public override int ReportedFaults => _debug.Stats().Faults;

        /// <inheritdoc/>
        public override void ReleaseHeld() => _debug.ReleaseDelayedFreeBlocks();

        /// <inheritdoc/>
        public override int InspectKinds => 16;

        /// <inheritdoc/>
        public override string Configure(int variant)
        {
            switch (variant & 3)
            {
                case 1:
                    _debug.SetDbgFlag(DbgFlag.ALLOC_MEM_DF | DbgFlag.DELAY_FREE_MEM_DF);
                    return "delay-free";
                case 2:
                    _debug.SetDbgFlag(DbgFlag.ALLOC_MEM_DF | DbgFlag.CHECK_EVERY_16_DF);
                    return "check every 16";
                case 3:
                    _debug.SetDbgFlag(DbgFlag.ALLOC_MEM_DF | DbgFlag.DELAY_FREE_MEM_DF | DbgFlag.CHECK_EVERY_128_DF);
                    return "delay-free, check every 128";
                default:
                    return "default";
            }
        }

        /// <inheritdoc/>
        protected override void AddSections(HeapReport report) => report.AddSection(new DebugHeapSection(_debug));

        /// <inheritdoc/>
        protected override string InspectCore(int which, LiveBlock b, int address)
        {
            return which < 8 ? base.InspectCore(which, b, address) : DebugQueries.Inspect(_debug, Sink, which, b, address);
        }

        /// <inheritdoc/>
        public override int LiveBlocks
        {
            get
            {
                DebugStats s = _debug.Stats();
                return s.LinkedBlocks - s.FreeBlocks + s.IgnoreBlocks;
            }
        }
    }

    /// <summary>Checker over a debug heap: a 256-byte data zone and a 1 KiB stack zone.</summary>
    public sealed class CheckerSubject : Subject
    {
        /// <summary>The data zone of every Checker subject.</summary>
        public const int DataBytes = 256;

        /// <summary>The stack zone of every Checker subject.</summary>
        public const int StackBytes = 1024;

        private readonly CheckerHeap _checker;

        /// <summary>Checker over a fresh arena.</summary>
        public CheckerSubject(HeapShape shape)
        {
            _checker = new CheckerHeap(new byte[shape.ArenaBytes], shape.BlockSize, DataBytes, StackBytes, NewReporter());
        }

        /// <summary>Checker.</summary>
        public CheckerHeap Checker => _checker;

        /// <inheritdoc/>
        public override Layer Layer => Layer.Checker;

        /// <inheritdoc/>
        public override BaseHeap Heap => _checker.Heap;

        /// <inheritdoc/>
        public override int HeaderBytes => DebugHeap.HEADER_BYTES;

        /// <inheritdoc/>
        public override int TrailerBytes => DebugHeap.NO_MANS_LAND_SIZE;

        /// <inheritdoc/>
        public override int Malloc(int size)
        {
            try
            {
                return _checker.Malloc(size, BlockType.Normal, "Model.cs", 1);
            }
            catch (Exception e)
            {
                throw new LibraryFault(e);
            }
        }

        /// <inheritdoc/>
        public override int Calloc(int count, int size)
        {
            try
            {
                return _checker.Calloc(count, size, BlockType.Normal, "Model.cs", 2);
            }
            catch (Exception e)
            {
                throw new LibraryFault(e);
            }
        }

        /// <inheritdoc/>
        public override int Realloc(int ptr, int size)
        {
            try
            {
                return _checker.Realloc(ptr, size, "Model.cs", 3);
            }
            catch (Exception e)
            {
                throw new LibraryFault(e);
            }
        }

        /// <inheritdoc/>
        public override void Free(int ptr)
        {
            try
            {
                _checker.Free(ptr, "Model.cs", 4);
            }
            catch (Exception e)
            {
                throw new LibraryFault(e);
            }
        }

        /// <inheritdoc/>
        public override void Write(int ptr, int index, byte[] source, int count)
        {
            try
            {
                _checker.CopyIn(ptr + index, source, 0, count, "Model.cs", 5);
            }
            catch (Exception e)
            {
                throw new LibraryFault(e);
            }
        }

        /// <inheritdoc/>
        public override void Read(int ptr, int index, byte[] destination, int count)
        {
            try
            {
                _checker.CopyOut(ptr + index, destination, 0, count, "Model.cs", 6);
            }
            catch (Exception e)
            {
                throw new LibraryFault(e);
            }
        }

        /// <inheritdoc/>
        public override void Fill(int ptr, int index, int count, byte value)
        {
            try
            {
                _checker.Fill(ptr + index, count, value, "Model.cs", 7);
            }
            catch (Exception e)
            {
                throw new LibraryFault(e);
            }
        }

        /// <inheritdoc/>
        public override string Validate() => _checker.Validate();

        /// <inheritdoc/>
        public override string Check()
        {
            int before = Sink.Length;
            bool ok = _checker.CheckMemory() & _checker.DebugHeap.CheckMemory();
            if (ok)
            {
                return null;
            }

            string text = Sink.Text;
            return "CheckMemory: " + (text.Length > before ? text.Substring(Math.Min(before, text.Length)) : "(no report)");
        }

        /// <inheritdoc/>
        public override int ReportedFaults => _checker.TotalErrors + _checker.DebugHeap.Stats().Faults;

        /// <inheritdoc/>
        public override int ReportedFaultsOtherThanOutOfMemory => ReportedFaults - _checker.ErrorCount(CheckerError.OutOfMemory);

        /// <inheritdoc/>
        public override void ReleaseHeld() => _checker.ReleaseAged();

        /// <inheritdoc/>
        public override int InspectKinds => 24;

        /// <inheritdoc/>
        public override string Configure(int variant)
        {
            string[] options = { "-a=8", "-a=0", "-a=3", "-a=64 -d=16" };
            string o = options[variant & 3];
            _checker.SetOptions(o);
            return o;
        }

        /// <inheritdoc/>
        protected override void AddSections(HeapReport report)
        {
            report.AddSection(new DebugHeapSection(_checker.DebugHeap));
            report.AddSection(new CheckerSection(_checker));
        }

        /// <inheritdoc/>
        protected override string InspectCore(int which, LiveBlock b, int address)
        {
            if (which < 8)
            {
                return base.InspectCore(which, b, address);
            }

            if (which < 16)
            {
                return DebugQueries.Inspect(_checker.DebugHeap, Sink, which, b, address);
            }

            switch (which)
            {
                case 16:
                    if (b != null && b.Size > 0)
                    {
                        int i = address % b.Size;
                        byte v = _checker.ReadByte(b.Ptr + i, "Inspect.cs", 1);
                        return v != b.Data[i] ? $"ReadByte({Bytes.Hex8(b.Ptr + i)}) gave {v:X2}, the model {b.Data[i]:X2}" : null;
                    }

                    return null;
                case 17:
                    if (b != null && b.Size >= 4)
                    {
                        int i = address % (b.Size - 3);
                        int v = _checker.ReadInt32(b.Ptr + i, "Inspect.cs", 2);
                        return v != BitConverter.ToInt32(b.Data, i) ? $"ReadInt32({Bytes.Hex8(b.Ptr + i)}) gave {v:X8}" : null;
                    }

                    return null;
                case 18:
                    if (b != null && _checker.ReachabilityOf(b.Ptr) < 0)
                    {
                        return $"ReachabilityOf({b}) says it is not a live block";
                    }

                    return null;
                case 19:
                    _checker.DetectGarbage();
                    Sink.Clear();
                    return null;
                case 20:
                    _checker.ReportInUse();
                    Sink.Clear();
                    return null;
                case 21:
                    _checker.StateOf(address);
                    _checker.DescribeStates(address, 8);
                    return null;
                case 22:
                    _checker.ReachabilityOf(address);
                    return null;
                default:
                    _checker.DetectNewGarbage();
                    Sink.Clear();
                    return null;
            }
        }

        /// <inheritdoc/>
        public override int LiveBlocks => _checker.LiveBlocks;
    }

    /// <summary>The debug heap's queries, shared by the debug and Checker subjects.</summary>
    internal static class DebugQueries
    {
        private static readonly BlockInfo Info = new BlockInfo();

        public static string Inspect(DebugHeap d, MemorySink sink, int which, LiveBlock b, int address)
        {
            lock (Info)
            {
                switch (which)
                {
                    case 8:
                        return b != null && d.MSize(b.Ptr, "Inspect.cs", 8) != b.Size ? $"MSize({b}) is {d.MSize(b.Ptr, "Inspect.cs", 8)}" : null;
                    case 9:
                        return b != null && !d.IsValidHeapPointer(b.Ptr) ? $"IsValidHeapPointer({b}) is false" : null;
                    case 10:
                        return b != null && d.ReportBlockType(b.Ptr) != BlockType.Normal ? $"ReportBlockType({b}) is {d.ReportBlockType(b.Ptr)}" : null;
                    case 11:
                        if (b != null && (d.GetBlockInfo(b.Ptr, Info) != DebugHeapError.None || Info.Size != b.Size))
                        {
                            return $"GetBlockInfo({b}) gave {d.GetBlockInfo(b.Ptr, Info)}, size {Info.Size}";
                        }

                        return null;
                    case 12:
                        if (b != null && (!d.FindBlock(b.Ptr + (b.Size / 2), Info) || Info.Pointer != b.Ptr))
                        {
                            return $"FindBlock({Bytes.Hex8(b.Ptr + (b.Size / 2))}) did not find {b}";
                        }

                        d.FindBlock(address, Info);
                        return null;
                    case 13:
                        return b != null && !d.IsMemoryBlock(b.Ptr, b.Size, out _, out _, out _) ? $"IsMemoryBlock({b}) is false" : null;
                    case 14:
                    {
                        var state = new MemState();
                        d.MemCheckpoint(state);
                        d.DumpMemoryLeaks();
                        d.MemDumpStatistics(state);
                        d.MemDumpAllObjectsSince(null);
                        sink.Clear();
                        return null;
                    }

                    default:
                        d.IsValidHeapPointer(address);
                        d.ReportBlockType(address);
                        return null;
                }
            }
        }
    }
}
