// The three layers under test behind one face, so every campaign runs the same code on each:
// the base heap (a BaseHeap), the debug heap over it (DebugHeap) and Checker over that
// (CheckerHeap), each over either base-heap policy (the seed's Heap or CompactHeap): a
// SubjectKind names the pair. A Subject hands out user pointers (offsets into the arena), moves
// data through the layer's own accessors, and exposes the layer's two checks: Validate (white
// box, its invariants) and Check (what a user runs: Validate for the base heap, CheckMemory for
// the upper layers, reports counted).
//
// What "an error the library documents" is, per layer (the metadata-corruption semantics, see
// README.md): the base heap throws HeapException; the debug heap reports and returns an error
// code (its data accessors throw DebugHeapException); Checker reports an error code. Anything
// else escaping a public call is a crash.
using System;
using Checker.Nano.Traces;

namespace Checker.Nano.Reliability
{
    /// <summary>Which layer a subject drives (over either base-heap policy: see <see cref="SubjectKind"/>).</summary>
    public enum Layer
    {
        /// <summary>The base heap alone.</summary>
        Base,

        /// <summary>The CRT-style debug heap over the base heap.</summary>
        Debug,

        /// <summary>Checker over the debug heap.</summary>
        Checker,
    }

    /// <summary>
    /// What a campaign runs on: a layer over a base-heap policy ("debug heap, Compact policy").
    /// A bare <see cref="Layer"/> converts to the layer over the seed's policy, so the seed's rows
    /// keep their names ("base heap", "debug heap", "Checker") and their seeds.
    /// </summary>
    public readonly record struct SubjectKind(Layer Layer, HeapPolicy Policy)
    {
        /// <summary>The base heap over the Compact policy (what --layer compact names).</summary>
        public static readonly SubjectKind BaseCompact = new SubjectKind(Layer.Base, HeapPolicy.Compact);

        /// <summary>The debug heap over the Compact policy.</summary>
        public static readonly SubjectKind DebugCompact = new SubjectKind(Layer.Debug, HeapPolicy.Compact);

        /// <summary>Checker over the debug heap over the Compact policy.</summary>
        public static readonly SubjectKind CheckerCompact = new SubjectKind(Layer.Checker, HeapPolicy.Compact);

        /// <summary>The layer over the seed's policy.</summary>
        public static implicit operator SubjectKind(Layer layer) => new SubjectKind(layer, HeapPolicy.Seed);

        /// <summary>Whether the base heap has the Compact policy.</summary>
        public bool IsCompact => Policy == HeapPolicy.Compact;

        /// <summary>0-2 for the seed's base heap, debug heap, Checker; 3-5 over Compact (added to the campaigns' seeds).</summary>
        public int Index => (int)Layer + (IsCompact ? 3 : 0);

        /// <summary>"base heap", "debug heap", "Checker", and ", Compact policy" after them over Compact.</summary>
        public string Name => (Layer switch
        {
            Layer.Base => "base heap",
            Layer.Debug => "debug heap",
            _ => "Checker",
        }) + (IsCompact ? ", Compact policy" : "");

        /// <summary>The Name.</summary>
        public override string ToString() => Name;
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

        /// <summary>The base heap's policy.</summary>
        public HeapPolicy Policy => Heap is CompactHeap ? HeapPolicy.Compact : HeapPolicy.Seed;

        /// <summary>The layer and the policy ("debug heap, Compact policy").</summary>
        public SubjectKind Kind => new SubjectKind(Layer, Policy);

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

        /// <summary>Whether this layer offers memalign (the base heap, of either policy).</summary>
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
        public bool IsBaseHeap => Layer == Layer.Base;

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

                string problem = InspectCore(which, b, address);
                return InspectChecks ? problem : null;
            }
            catch (Exception e)
            {
                throw new LibraryFault(e);
            }
        }

        /// <summary>
        /// The base heap's queries (every layer has a base heap under it, of either policy): the
        /// pointer check, the usable size (over Compact: exactly what the policy allots), the
        /// statistics against a walk, the walks (they tile the heap, and a live block starts an
        /// object or a slot of a run), Describe, a dump.
        /// </summary>
        protected virtual string InspectCore(int which, LiveBlock b, int address)
        {
            BaseHeap heap = Heap;
            int p = b == null ? 0 : b.Ptr - HeaderBytes;
            switch (which)
            {
                case 0:
                    if (b != null && heap.CheckPointer(p) != HeapError.None)
                    {
                        return $"CheckPointer({Bytes.Hex8(p)}) of a live block gave {heap.CheckPointer(p)}";
                    }

                    return null;
                case 1:
                {
                    if (b == null)
                    {
                        return null;
                    }

                    int usable = heap.UsableSize(p);
                    int need = b.Size + HeaderBytes + TrailerBytes;
                    if (usable < need)
                    {
                        return $"UsableSize({Bytes.Hex8(p)}) is {usable}, less than the block's {b.Size} bytes";
                    }

                    if (heap is CompactHeap && b.Alignment == 0 && usable != heap.AllottedBytes(need))
                    {
                        return $"UsableSize({Bytes.Hex8(p)}) is {usable}, the policy allots {heap.AllottedBytes(need)} for {need} bytes";
                    }

                    return null;
                }

                case 2:
                    return CheckStats(heap);
                case 3:
                    heap.Describe();
                    return null;
                case 4:
                    return CheckWalk(heap, b == null || b.Alignment != 0 ? 0 : p, b == null ? 0 : b.Size + HeaderBytes + TrailerBytes);
                case 5:
                    heap.WalkFreeSlots(new int[256]);
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

        /// <summary>The whole walk, read under the heap's lock (other threads may be at work).</summary>
        private static int[] Walk(BaseHeap heap, out int count, out MStats stats)
        {
            lock (heap.SyncRoot)
            {
                int[] rows = new int[heap.MaxWalkRows * BaseHeap.WALK_WORDS];
                count = heap.WalkTable(rows);
                stats = heap.MStats();
                return rows;
            }
        }

        /// <summary>
        /// MStats against the walk: the seed's policy counts every byte of the heap used or free; the
        /// Compact policy counts a run's unused tail (its bytes past its last slot) neither used nor
        /// free (COMPACT.md), so there used + free + the tails is the heap.
        /// </summary>
        private static string CheckStats(BaseHeap heap)
        {
            int[] rows = Walk(heap, out int count, out MStats st);
            long tails = 0;
            for (int i = 0; i < count; i++)
            {
                int bytes = rows[(i * BaseHeap.WALK_WORDS) + 1], state = rows[(i * BaseHeap.WALK_WORDS) + 2];
                if (state > 0)
                {
                    tails += bytes % state;
                }
            }

            if (st.ChunksUsed < 0 || st.ChunksFree < 0 || st.BytesUsed < 0 || st.BytesFree < 0 || st.LargestFreeRun > st.BytesFree)
            {
                return "MStats: " + st;
            }

            if (st.BytesUsed + st.BytesFree + tails != st.BytesTotal)
            {
                return $"MStats: used {st.BytesUsed} + free {st.BytesFree} + runs' unused tails {tails} != total {st.BytesTotal}";
            }

            return heap is CompactHeap || tails == 0 ? null : $"the seed's policy has {tails} bytes of unused fragment tails";
        }

        /// <summary>
        /// The walk tiles the heap (rows back to back from HeapStart to HeapEnd, no anomaly), and the
        /// live block at <paramref name="p"/> (0: none to look for) of <paramref name="bytes"/> lies in
        /// a busy row: at the start of an object, or on a slot of a run or fragment block.
        /// </summary>
        private static string CheckWalk(BaseHeap heap, int p, int bytes)
        {
            int[] rows;
            int count, start, end;
            lock (heap.SyncRoot)
            {
                rows = Walk(heap, out count, out _);
                start = heap.HeapStart;
                end = heap.HeapEnd;
            }

            int at = start;
            bool found = p == 0;
            for (int i = 0; i < count; i++)
            {
                int r = i * BaseHeap.WALK_WORDS;
                int offset = rows[r], length = rows[r + 1], state = rows[r + 2], free = rows[r + 3];
                if (offset != at || length <= 0 || state == BaseHeap.WalkAnomaly)
                {
                    return $"walk row {i} [{Bytes.Hex8(offset)}, {length} bytes, state {state}] does not follow {Bytes.Hex8(at)} (rows must tile the heap, no anomaly)";
                }

                if (state > 0 && (free < 0 || free > length / state))
                {
                    return $"walk row {i} at {Bytes.Hex8(offset)}: {free} free of {length / state} slots of {state}";
                }

                if (!found && p >= offset && p < offset + length)
                {
                    bool busy = state == BaseHeap.WalkObject ? p == offset : state > 0 && (p - offset) % state == 0 && bytes <= state;
                    if (!busy || p + bytes > offset + length)
                    {
                        return $"the live block at {Bytes.Hex8(p)} ({bytes} bytes) lies in walk row [{Bytes.Hex8(offset)}, {length} bytes, state {state}]";
                    }

                    found = true;
                }

                at = offset + length;
            }

            if (at != end)
            {
                return $"the walk ends at {Bytes.Hex8(at)}, the heap at {Bytes.Hex8(end)}";
            }

            return found ? null : $"the live block at {Bytes.Hex8(p)} is in no walk row";
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

        /// <summary>A subject of <paramref name="kind"/> (a layer over a policy) over a fresh arena of <paramref name="shape"/>.</summary>
        public static Subject Create(SubjectKind kind, HeapShape shape)
        {
            switch (kind.Layer)
            {
                case Layer.Base: return new BaseSubject(shape, kind.Policy);
                case Layer.Debug: return new DebugSubject(shape, kind.Policy);
                default: return new CheckerSubject(shape, kind.Policy);
            }
        }

        /// <summary>A reporter writing both forms into <see cref="Sink"/>.</summary>
        protected Reporter NewReporter() => new Reporter(Sink);
    }

    /// <summary>The base heap, of either policy.</summary>
    public sealed class BaseSubject : Subject
    {
        private readonly BaseHeap _heap;

        /// <summary>A base heap (the seed's policy) over a fresh arena.</summary>
        public BaseSubject(HeapShape shape)
            : this(shape, HeapPolicy.Seed)
        {
        }

        /// <summary>A base heap of <paramref name="policy"/> over a fresh arena.</summary>
        public BaseSubject(HeapShape shape, HeapPolicy policy)
        {
            _heap = HeapPolicies.Make(policy, new Arena(new byte[shape.ArenaBytes]), shape.BlockSize);
        }

        /// <inheritdoc/>
        public override Layer Layer => Layer.Base;

        /// <inheritdoc/>
        public override BaseHeap Heap => _heap;

        /// <inheritdoc/>
        public override int HeaderBytes => 0;

        /// <inheritdoc/>
        public override int TrailerBytes => 0;

        /// <inheritdoc/>
        public override bool HasMemalign => true;

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
                return _heap.Memalign(alignment, size);
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

        /// <summary>A debug heap over a fresh base heap of <paramref name="policy"/>.</summary>
        public DebugSubject(HeapShape shape, HeapPolicy policy = HeapPolicy.Seed)
        {
            _debug = new DebugHeap(HeapPolicies.Make(policy, new Arena(new byte[shape.ArenaBytes]), shape.BlockSize), NewReporter());
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

        /// <summary>Checker over a fresh arena, its base heap of <paramref name="policy"/>.</summary>
        public CheckerSubject(HeapShape shape, HeapPolicy policy = HeapPolicy.Seed)
        {
            _checker = new CheckerHeap(new byte[shape.ArenaBytes], shape.BlockSize, DataBytes, StackBytes, NewReporter(), DebugHeap.DefaultFileNameCapacity, HeapPolicies.Maker(policy));
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
        /// <remarks>
        /// Not free(NULL)'s "fnl": Checker reports it as the original does (it cannot be switched
        /// off); it is the documented answer to a call the model makes on purpose, so it is neither
        /// a false report nor a detection.
        /// </remarks>
        public override int ReportedFaults => _checker.TotalErrors - _checker.ErrorCount(CheckerError.FreeNull) + _checker.DebugHeap.Stats().Faults;

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
