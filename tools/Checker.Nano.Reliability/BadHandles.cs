// Bad handles: every offset of a small arena (and the edges of a large one, and the int
// extremes) given to every call that takes a block: free, realloc (to 1, a block and a half, 0),
// the size queries and the data accessors (read and write), ReportBlockType and friends.
//
// The heap is built by a fixed script (fragments of every size, whole blocks, multi-block
// objects, then some freed: free fragments, free clusters, delay-freed or aged blocks), and the
// answer expected for each offset is worked out from that script alone (not by asking the
// heap): a real block's call must succeed; anything else must get the layer's documented error,
// the right one, and leave the arena's bytes, the table and the statistics exactly as they were.
//   base heap:  HeapException NotInHeap / FreeMemory / Interior (CheckPointer returns the same);
//   debug heap: the DebugHeapError code (returned by free, LastError after realloc, -1 from
//               msize and ReportBlockType, false from IsValidHeapPointer, DebugHeapException from
//               the accessors), AlreadyFreed for a delay-freed block; and a report;
//   Checker:    "ffb" for a freed (aged or released) block's address, "fba" for anything else;
//               its accessors read any address (an error report where the bitmap says no) and
//               write only where it says yes.
// A call on a real block that changes the heap (free, realloc, a write) runs on a copy of the
// heap rebuilt by the same script, so the sweep itself always sees the same heap.
using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace Checker.Nano.Reliability
{
    /// <summary>The bad-handle sweep.</summary>
    public static class BadHandles
    {
        /// <summary>One block of the script: its pointer, requested size, base extent, and whether it was freed.</summary>
        private sealed class Block
        {
            public int Ptr;
            public int Size;
            public int BaseStart;
            public int BaseBytes;
            public bool Freed;      // freed (delay-freed, aged or released) after the script's allocations
            public bool Held;       // still held by the layer (delay-freed Free block, aged block)
        }

        private sealed class Built
        {
            public Subject S;
            public List<Block> Blocks = new List<Block>();
        }

        /// <summary>The sweep over every offset of a small arena on <paramref name="kind"/>.</summary>
        public static Figure Small(SubjectKind kind, int blockSize = 256)
        {
            // Compact: room for every run shape (and for Checker's maps beside them at 512-byte blocks).
            int arena = kind.Layer == Layer.Checker && kind.IsCompact && blockSize >= 512 ? 32768 : kind.Layer == Layer.Checker || kind.IsCompact ? 16384 : 8192;
            HeapShape shape = new HeapShape(arena, blockSize);
            Built b = Build(kind, shape);
            var offsets = new List<int>();
            for (int o = -16; o <= shape.ArenaBytes + 16; o++)
            {
                offsets.Add(o);
            }

            offsets.AddRange(Extremes(shape.ArenaBytes));
            Figure f = Sweep(kind, shape, b, offsets);
            f.Notes = $"every offset -16..{shape.ArenaBytes + 16} and the int extremes, {shape}; {b.Blocks.Count} blocks ({Count(b, true)} freed); " + f.Notes;
            return f;
        }

        /// <summary>The sweep over the edges of a large arena (1 MiB, 4096-byte blocks unless told).</summary>
        public static Figure Large(SubjectKind kind, int blockSize = 4096)
        {
            var shape = new HeapShape(1 << 20, blockSize);
            Built b = Build(kind, shape);
            var set = new SortedSet<int>();
            for (int o = -16; o <= 80; o++)
            {
                set.Add(o);
            }

            for (int o = shape.ArenaBytes - 80; o <= shape.ArenaBytes + 16; o++)
            {
                set.Add(o);
            }

            foreach (Block k in b.Blocks)
            {
                foreach (int edge in new[] { k.Ptr, k.BaseStart, k.BaseStart + k.BaseBytes, k.Ptr + k.Size })
                {
                    for (int d = -9; d <= 9; d++)
                    {
                        set.Add(edge + d);
                    }
                }
            }

            int brk = b.S.Heap.Arena.Break;
            for (int d = -40; d <= 40; d++)
            {
                set.Add(brk + d);
            }

            var offsets = new List<int>(set);
            offsets.AddRange(Extremes(shape.ArenaBytes));
            Figure f = Sweep(kind, shape, b, offsets);
            f.Part = "bad handles (edges of a large arena)";
            f.Notes = $"{offsets.Count:N0} offsets: the arena's ends, every block's edges +-9, the break +-40, the int extremes; {shape}; " + f.Notes;
            return f;
        }

        private static int Count(Built b, bool freed)
        {
            int n = 0;
            foreach (Block k in b.Blocks)
            {
                n += k.Freed == freed ? 1 : 0;
            }

            return n;
        }

        private static IEnumerable<int> Extremes(int arena) => new[]
        {
            int.MinValue, int.MinValue + 1, int.MinValue + 28, -1000000, -29, -28, -27,
            int.MaxValue, int.MaxValue - 1, int.MaxValue - 3, int.MaxValue - 27, int.MaxValue - 28, arena * 2, arena + 28, 1 << 30,
        };

        /// <summary>The script: every fragment size and whole blocks, then a fifth of them freed (the layer may hold them).</summary>
        private static Built Build(SubjectKind kind, HeapShape shape)
        {
            var b = new Built { S = Subject.Create(kind, shape) };
            if (b.S is DebugSubject ds)
            {
                ds.Debug.SetDbgFlag(DbgFlag.ALLOC_MEM_DF | DbgFlag.DELAY_FREE_MEM_DF);
            }
            else if (b.S is CheckerSubject cs)
            {
                cs.Checker.SetOptions("-a=3");
            }

            BaseHeap heap = b.S.Heap;
            int bs = heap.BLOCKSIZE;
            int over = b.S.HeaderBytes + b.S.TrailerBytes;
            var sizes = new List<int> { 1, 5, 8, 9, 16, 17, 31, 33, 64, 65, 100, bs / 4, bs / 2 - over, bs / 2 + 1, bs, 2 * bs + 7, 3 * bs, 12, 40, 1, 70 };
            if (kind.IsCompact)
            {
                // Every class's run shapes (multi-block runs, runs with tails), runs with free
                // slots between live ones, the largest class and the first large sizes, large
                // objects off block boundaries (so gaps start and end inside blocks).
                sizes.AddRange(new[] { 50, 56, 24, 24, 24, 24, 24, 90, 110, 150, ((CompactHeap)heap).LargestClass - 1, ((CompactHeap)heap).LargestClass, ((CompactHeap)heap).LargestClass + 1, bs + 8, bs + 24, 24, 2 * bs + 40, 56, 56, 180, 3 * bs + 72, 8, 8, 8 });
            }

            foreach (int size in sizes)
            {
                int p = b.S.Malloc(size);
                if (p == 0)
                {
                    continue;
                }

                int need = size + over;
                int usable = kind.IsCompact ? heap.AllottedBytes(need) : need <= bs / 2 ? FragmentBytes(need) : ((need + bs - 1) / bs) * bs;
                b.S.Fill(p, 0, size, 0x5A);
                b.Blocks.Add(new Block { Ptr = p, Size = size, BaseStart = p - b.S.HeaderBytes, BaseBytes = usable });
            }

            // Free every fifth (in allocation order) once all are made: free fragments, free clusters,
            // and for the upper layers blocks they hold (delay-freed; aged, the oldest released).
            for (int i = 2; i < b.Blocks.Count; i += 5)
            {
                b.S.Free(b.Blocks[i].Ptr);
                b.Blocks[i].Freed = true;
                b.Blocks[i].Held = kind.Layer == Layer.Debug;
            }

            if (kind.Layer == Layer.Checker)
            {
                // Aging depth 3: only the last three freed are still aged.
                int seen = 0, total = Count(b, true);
                foreach (Block k in b.Blocks)
                {
                    if (k.Freed)
                    {
                        k.Held = seen++ >= total - 3;
                    }
                }
            }

            b.S.TakeReports();
            return b;
        }

        private static int FragmentBytes(int n)
        {
            int f = Heap.MINFRAG;
            while (f < n)
            {
                f <<= 1;
            }

            return f;
        }

        /// <summary>What the base heap's CheckPointer must say about <paramref name="o"/>, from the script.</summary>
        private static HeapError BaseExpected(Built b, int o)
        {
            BaseHeap heap = b.S.Heap;
            if (o < heap.HeapBase || o >= heap.Arena.Break)
            {
                return HeapError.NotInHeap;
            }

            foreach (Block k in b.Blocks)
            {
                bool baseLive = !k.Freed || k.Held;
                if (baseLive && o == k.BaseStart)
                {
                    return HeapError.None;
                }

                if (baseLive && o > k.BaseStart && o < k.BaseStart + k.BaseBytes)
                {
                    return HeapError.Interior;
                }
            }

            return HeapError.FreeMemory;
        }

        /// <summary>What the debug heap must answer for user pointer <paramref name="o"/> (None for a live block).</summary>
        private static DebugHeapError DebugExpected(Built b, int o)
        {
            if (o < DebugHeap.HEADER_BYTES || o > b.S.Memory.Length)
            {
                return DebugHeapError.NotInHeap;
            }

            HeapError e = BaseExpected(b, o - DebugHeap.HEADER_BYTES);
            switch (e)
            {
                case HeapError.NotInHeap:
                    return BaseExpected(b, o) == HeapError.NotInHeap ? DebugHeapError.NotInHeap : DebugHeapError.Interior;
                case HeapError.FreeMemory:
                    return DebugHeapError.FreeMemory;
                case HeapError.Interior:
                    return DebugHeapError.Interior;
            }

            foreach (Block k in b.Blocks)
            {
                if (k.Ptr == o)
                {
                    return k.Freed ? DebugHeapError.AlreadyFreed : DebugHeapError.None;
                }
            }

            return DebugHeapError.BadHeaderBlockUse;   // not reached: every base block of the script is a debug block
        }

        private static Block Live(Built b, int o)
        {
            foreach (Block k in b.Blocks)
            {
                if (k.Ptr == o && !k.Freed)
                {
                    return k;
                }
            }

            return null;
        }

        /// <summary>The arena, the table and the statistics, to tell a call that changed nothing.</summary>
        private sealed class Snapshot
        {
            private readonly byte[] _bytes;
            private readonly string _table;
            private readonly string _stats;

            public Snapshot(Subject s)
            {
                _bytes = (byte[])s.Memory.Clone();
                _table = s.Heap.Describe();
                _stats = s.Heap.MStats().ToString() + "|" + s.LiveBlocks;
            }

            public string Differs(Subject s)
            {
                if (!s.Memory.AsSpan().SequenceEqual(_bytes))
                {
                    int at = s.Memory.AsSpan().CommonPrefixLength(_bytes);
                    return $"the arena changed at {Bytes.Hex8(at)}";
                }

                if (s.Heap.Describe() != _table)
                {
                    return "the table changed: " + s.Heap.Describe();
                }

                string stats = s.Heap.MStats().ToString() + "|" + s.LiveBlocks;
                return stats != _stats ? "the statistics changed: " + stats : null;
            }
        }

        private static Figure Sweep(SubjectKind kind, HeapShape shape, Built b, List<int> offsets)
        {
            var watch = Stopwatch.StartNew();
            var f = new Figure { Part = "bad handles (every offset of a small arena)", Target = kind.Name };
            long real = 0;
            var snap = new Snapshot(b.S);
            byte[] buf = new byte[8];
            var answers = new SortedDictionary<string, int>();
            foreach (int o in offsets)
            {
                Block live = Live(b, o);
                string answer = b.S.IsBaseHeap ? BaseExpected(b, o).ToString()
                    : kind.Layer == Layer.Debug ? DebugExpected(b, o).ToString()
                    : live != null ? "None" : b.Blocks.Exists(k => k.Freed && k.Ptr == o) ? "ffb" : "fba";
                answers[answer] = answers.GetValueOrDefault(answer) + 1;
                string[] calls = Calls(kind.Layer);
                foreach (string call in calls)
                {
                    f.Operations++;
                    bool mutates = call.StartsWith("free", StringComparison.Ordinal) || call.StartsWith("realloc", StringComparison.Ordinal) || call.StartsWith("write", StringComparison.Ordinal) || call == "fill";
                    if (live != null)
                    {
                        // A real block: the call must work (on a rebuilt copy when it changes the heap).
                        real++;
                        Built target = mutates ? Build(kind, shape) : b;
                        string problem = RealCall(target, kind, call, o, live, buf);
                        if (problem != null)
                        {
                            f.Missed++;
                            f.Problem($"{call}({Bytes.Hex8(o)}) on a real block: {problem}");
                        }

                        if (!mutates && (problem = snap.Differs(b.S)) != null)
                        {
                            f.Missed++;
                            f.Problem($"{call}({Bytes.Hex8(o)}) on a real block changed the heap: {problem}");
                        }

                        continue;
                    }

                    if (o == 0 && (call.StartsWith("free", StringComparison.Ordinal) || call.StartsWith("realloc", StringComparison.Ordinal)))
                    {
                        continue;   // 0 is null: free(0) does nothing, realloc(0, n) is malloc(n)
                    }

                    f.Injected++;
                    string wrong;
                    try
                    {
                        wrong = BadCall(b, kind, call, o, buf);
                    }
                    catch (Exception e)
                    {
                        f.Crashes++;
                        f.Problem($"{call}({Bytes.Hex8(o)}): {Faults.Describe(e)}");
                        continue;
                    }

                    wrong ??= snap.Differs(b.S);
                    if (wrong == null)
                    {
                        f.Detected++;
                    }
                    else
                    {
                        f.Missed++;
                        f.Problem($"{call}({Bytes.Hex8(o)}): {wrong}");
                        snap = new Snapshot(b.S);
                    }
                }

                if (kind.Layer == Layer.Checker)
                {
                    CheckerAccess(b, o, f, ref snap);
                }
            }

            string v = b.S.Validate();
            if (v != null)
            {
                f.Missed++;
                f.Problem("Validate after the sweep: " + v);
            }

            f.Time = watch.Elapsed;
            var parts = new List<string>();
            foreach (KeyValuePair<string, int> kv in answers)
            {
                parts.Add($"{kv.Value:N0} {(kv.Key == "None" ? "real blocks" : kv.Key)}");
            }

            f.Notes = $"offsets by expected answer: {string.Join(", ", parts)}; {real:N0} calls on real blocks succeeded";
            return f;
        }

        private static string[] Calls(Layer layer) => layer switch
        {
            Layer.Base => new[] { "free", "realloc 1", "realloc 1.5 blocks", "realloc 0", "usable_size", "check_pointer", "read", "write", "read32", "copy_out", "fill" },
            Layer.Debug => new[] { "free", "realloc 1", "realloc 1.5 blocks", "realloc 0", "msize", "report_block_type", "is_valid", "get_block_info", "read", "write", "read32", "fill" },
            _ => new[] { "free", "realloc 1", "realloc 1.5 blocks", "realloc 0" },
        };

        /// <summary>A call on a real block: null when it did what it should.</summary>
        private static string RealCall(Built t, SubjectKind kind, string call, int o, Block k, byte[] buf)
        {
            Subject s = t.S;
            int bs = s.Heap.BLOCKSIZE;
            try
            {
                switch (call)
                {
                    case "free":
                        s.Free(o);
                        return s.LiveBlocks == Count(t, false) - 1 ? null : "the block is still counted live";
                    case "realloc 1":
                    case "realloc 1.5 blocks":
                    {
                        int n = call == "realloc 1" ? 1 : bs + (bs / 2);
                        int q = s.Realloc(o, n);
                        return q != 0 && s.Memory[q] == 0x5A ? null : $"realloc gave {Bytes.Hex8(q)}";
                    }

                    case "realloc 0":
                        return s.Realloc(o, 0) == 0 ? null : "realloc(p, 0) did not return 0";
                    case "usable_size":
                        return s.Heap.UsableSize(o) >= k.Size ? null : "usable size too small";
                    case "check_pointer":
                        return s.Heap.CheckPointer(o) == HeapError.None ? null : "CheckPointer says " + s.Heap.CheckPointer(o);
                    case "msize":
                        return ((DebugSubject)s).Debug.MSize(o) == k.Size ? null : "wrong msize";
                    case "report_block_type":
                        return ((DebugSubject)s).Debug.ReportBlockType(o) == BlockType.Normal ? null : "wrong block type";
                    case "is_valid":
                        return ((DebugSubject)s).Debug.IsValidHeapPointer(o) ? null : "not a valid heap pointer";
                    case "get_block_info":
                        return ((DebugSubject)s).Debug.GetBlockInfo(o, new BlockInfo()) == DebugHeapError.None ? null : "no block info";
                    case "read":
                        s.Read(o, 0, buf, 1);
                        return buf[0] == 0x5A ? null : "read the wrong byte";
                    case "read32":
                        if (k.Size >= 4)
                        {
                            s.Read(o, 0, buf, 4);
                        }

                        return null;
                    case "copy_out":
                        s.Read(o, 0, buf, 1);
                        return null;
                    case "write":
                        buf[0] = 0x33;
                        s.Write(o, 0, buf, 1);
                        return s.Memory[o] == 0x33 ? null : "the write did not land";
                    default:
                        s.Fill(o, 0, 1, 0x44);
                        return s.Memory[o] == 0x44 ? null : "the fill did not land";
                }
            }
            catch (Exception e)
            {
                return "threw " + Faults.Describe(e);
            }
        }

        /// <summary>A call on a bad handle: null when the answer is the documented one (the heap's sameness is checked by the caller).</summary>
        private static string BadCall(Built b, SubjectKind kind, string call, int o, byte[] buf)
        {
            Subject s = b.S;
            int bs = s.Heap.BLOCKSIZE;
            if (s.IsBaseHeap)
            {
                HeapError expected = BaseExpected(b, o);
                if (call == "check_pointer")
                {
                    HeapError got = s.Heap.CheckPointer(o);
                    return got == expected ? null : $"CheckPointer said {got}, expected {expected}";
                }

                try
                {
                    switch (call)
                    {
                        case "free": s.Heap.Free(o); break;
                        case "realloc 1": s.Heap.Realloc(o, 1); break;
                        case "realloc 1.5 blocks": s.Heap.Realloc(o, bs + (bs / 2)); break;
                        case "realloc 0": s.Heap.Realloc(o, 0); break;
                        case "usable_size": s.Heap.UsableSize(o); break;
                        case "read": s.Heap.ReadByte(o, 0); break;
                        case "write": s.Heap.WriteByte(o, 0, 0x77); break;
                        case "read32": s.Heap.ReadInt32(o, 0); break;
                        case "copy_out": s.Heap.CopyOut(o, 0, buf, 0, 1); break;
                        default: s.Heap.Fill(o, 0, 1, 0x77); break;
                    }
                }
                catch (HeapException e)
                {
                    return o != 0 && e.Error != expected ? $"HeapException {e.Error}, expected {expected}" : null;
                }

                return o == 0 && (call == "free" || call.StartsWith("realloc", StringComparison.Ordinal)) ? null : $"no error (expected {expected})";
            }

            if (kind.Layer == Layer.Debug)
            {
                DebugHeap d = ((DebugSubject)s).Debug;
                DebugHeapError expected = DebugExpected(b, o);
                int faults = d.Stats().Faults;
                string got;
                bool reports = true;
                switch (call)
                {
                    case "free":
                    {
                        DebugHeapError e = d.Free(o);
                        got = o == 0 ? (e == DebugHeapError.None ? null : "free(0) gave " + e) : e == expected ? null : $"free gave {e}, expected {expected}";
                        reports = o != 0;
                        break;
                    }

                    case "realloc 1":
                    case "realloc 1.5 blocks":
                    {
                        int q = d.Realloc(o, call == "realloc 1" ? 1 : bs + (bs / 2));
                        if (o == 0)
                        {
                            // realloc(0, n) is malloc(n): a real allocation, freed again (the heap then differs only by the request number).
                            d.Free(q);
                            d.ReleaseDelayedFreeBlocks();
                            return null;
                        }

                        got = q == 0 && d.LastError == expected ? null : $"realloc gave {Bytes.Hex8(q)}, LastError {d.LastError}, expected {expected}";
                        break;
                    }

                    case "realloc 0":
                        d.Realloc(o, 0);
                        got = o == 0 || d.LastError == expected ? null : $"LastError {d.LastError}, expected {expected}";
                        reports = o != 0;
                        break;
                    case "msize":
                        got = d.MSize(o) == -1 && d.LastError == expected ? null : $"msize gave {d.MSize(o)}, LastError {d.LastError}, expected {expected}";
                        break;
                    case "report_block_type":
                    {
                        int t = d.ReportBlockType(o);
                        int want = expected == DebugHeapError.AlreadyFreed ? BlockType.Free : -1;
                        got = t == want ? null : $"ReportBlockType gave {t}, expected {want}";
                        reports = false;
                        break;
                    }

                    case "is_valid":
                        got = d.IsValidHeapPointer(o) == (expected == DebugHeapError.AlreadyFreed) ? null : $"IsValidHeapPointer gave {!(expected == DebugHeapError.AlreadyFreed)}";
                        reports = false;
                        break;
                    case "get_block_info":
                    {
                        DebugHeapError e = d.GetBlockInfo(o, new BlockInfo());
                        DebugHeapError want = expected == DebugHeapError.AlreadyFreed ? DebugHeapError.None : expected;
                        got = e == want ? null : $"GetBlockInfo gave {e}, expected {want}";
                        reports = false;
                        break;
                    }

                    default:
                        reports = false;
                        try
                        {
                            switch (call)
                            {
                                case "read": d.ReadByte(o, 0); break;
                                case "write": d.WriteByte(o, 0, 0x77); break;
                                case "read32": d.ReadInt32(o, 0); break;
                                default: d.Fill(o, 0, 1, 0x77); break;
                            }

                            got = $"no error (expected {expected})";
                        }
                        catch (DebugHeapException e)
                        {
                            got = e.Error == expected ? null : $"DebugHeapException {e.Error}, expected {expected}";
                        }

                        break;
                }

                if (got == null && reports && d.Stats().Faults <= faults)
                {
                    got = "nothing was reported";
                }

                s.TakeReports();
                return got;
            }

            // Checker: ffb for a freed block's address, fba for anything else.
            CheckerHeap c = ((CheckerSubject)s).Checker;
            bool freedBlock = false;
            foreach (Block k in b.Blocks)
            {
                freedBlock |= k.Freed && k.Ptr == o;
            }

            int fba = c.ErrorCount(CheckerError.FreeBadAddress), ffb = c.ErrorCount(CheckerError.FreeFreeBlock);
            switch (call)
            {
                case "free": c.Free(o); break;
                case "realloc 1": c.Realloc(o, 1); break;
                case "realloc 1.5 blocks": c.Realloc(o, bs + (bs / 2)); break;
                default: c.Realloc(o, 0); break;
            }

            s.TakeReports();
            if (o == 0)
            {
                if (call.StartsWith("realloc 1", StringComparison.Ordinal))
                {
                    return "realloc(0, n) should not get here";   // o == 0 is never a bad handle for realloc: skipped by the caller
                }

                return null;
            }

            int dfba = c.ErrorCount(CheckerError.FreeBadAddress) - fba, dffb = c.ErrorCount(CheckerError.FreeFreeBlock) - ffb;
            if (freedBlock ? dffb == 1 && dfba == 0 : dfba == 1 && dffb == 0)
            {
                return null;
            }

            return $"reported fba {dfba}, ffb {dffb}; expected {(freedBlock ? "ffb" : "fba")}";
        }

        /// <summary>Checker's accessors at address <paramref name="o"/>: a read works or reports; a write lands only where the block's data or the data zone is.</summary>
        private static void CheckerAccess(Built b, int o, Figure f, ref Snapshot snap)
        {
            CheckerHeap c = ((CheckerSubject)b.S).Checker;
            bool writable = o >= c.DataStart && o < c.DataEnd;
            foreach (Block k in b.Blocks)
            {
                writable |= !k.Freed && o >= k.Ptr && o < k.Ptr + k.Size;
            }

            int errors = c.TotalErrors;
            f.Operations += 2;
            try
            {
                c.ReadByte(o, "Handles.cs", 1);
                bool inArena = o >= 0 && o < b.S.Memory.Length;
                byte before = inArena ? b.S.Memory[o] : (byte)0;
                c.WriteByte(o, (byte)(before ^ 0x5A), "Handles.cs", 2);
                bool landed = inArena && b.S.Memory[o] != before;
                if (landed)
                {
                    b.S.Memory[o] = before;   // put it back (its state was read-write already)
                }

                b.S.TakeReports();
                if (writable)
                {
                    if (!landed || c.TotalErrors != errors)
                    {
                        f.Missed++;
                        f.Problem($"Checker write at {Bytes.Hex8(o)} (a block's data) did not land or was reported");
                    }

                    return;
                }

                f.Injected += 2;
                if (landed || c.TotalErrors < errors + 1)
                {
                    f.Missed += 2;
                    f.Problem($"Checker access at {Bytes.Hex8(o)}: the write landed {landed}, {c.TotalErrors - errors} errors reported");
                    return;
                }

                string changed = snap.Differs(b.S);
                if (changed != null)
                {
                    f.Missed += 2;
                    f.Problem($"Checker access at {Bytes.Hex8(o)} changed the heap: {changed}");
                    snap = new Snapshot(b.S);
                    return;
                }

                f.Detected += 2;
            }
            catch (Exception e)
            {
                f.Crashes++;
                f.Problem($"Checker access at {Bytes.Hex8(o)}: {Faults.Describe(e)}");
            }
        }
    }
}
