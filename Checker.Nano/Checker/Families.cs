// The garbage, evolution and in-use reports: blocks grouped into families by allocation site
// (file, line, and block type/subtype from the debug heap), largest families first.
//
//   From Checker: (gar) garbage detector results.
//   There are 4 leak(s) and 1 potential leak(s), in 2 family(ies).
//   Leaks consume 256 byte(s) of the 1024 byte(s) in use (25.0%); potential leaks 64 byte(s) (6.2%).
//   Found 4 block(s) of 256 byte(s) lost (25.0%), first at 0x00003A24: Normal block allocated from: List.cs(20)
//   Found 1 block(s) of 64 byte(s) maybe lost (6.2%), first at 0x00003B24: Client block (subtype 7) allocated from: Sensors.cs(117)
//
// "In use" is the bytes requested by live blocks; a family's share is its bytes over that.
// Leak families come first, then potential-leak families; within each, more blocks first,
// then more bytes, then the lower first address. The evolution detector (DetectNewGarbage)
// reports only blocks no run has reported yet: every run marks what it reports (REPORTED in the
// block map), ClearGarbageHistory forgets. The in-use report lists reachable blocks the same way.
// Records: one GARB per family, in report order, inside a dump of its own (why=garbage,
// evolution, end, every, or inuse for the in-use report), with kind=lost, maybe or inuse and the
// family's block type and subtype (PROTOCOL.md, rev 1).
// The family table has MaxFamilies rows, allocated once; when a run finds more sites, the rest
// are counted in one last row "in other families".
namespace Checker.Nano
{
    /// <summary>What a detector run reports (GarbageSummary.Kind).</summary>
    public static class GarbageKind
    {
        /// <summary>Every unreachable block (DetectGarbage).</summary>
        public const int All = 0;

        /// <summary>Unreachable blocks no run has reported yet (DetectNewGarbage, automatic runs).</summary>
        public const int New = 1;

        /// <summary>Reachable blocks (ReportInUse).</summary>
        public const int InUse = 2;
    }

    /// <summary>
    /// The result of the last detector run: totals and the families, largest first. One instance
    /// per CheckerHeap, filled again by every run (read it before the next run).
    /// </summary>
    public sealed class GarbageSummary
    {
        /// <summary>One of <see cref="GarbageKind"/>.</summary>
        public int Kind;

        /// <summary>Leaks (or, for InUse, reachable blocks) and their bytes.</summary>
        public int Blocks;

        /// <summary>Bytes of <see cref="Blocks"/>.</summary>
        public int Bytes;

        /// <summary>Potential leaks (reachable only through interior pointers) and their bytes (0 for InUse).</summary>
        public int MaybeBlocks;

        /// <summary>Bytes of <see cref="MaybeBlocks"/>.</summary>
        public int MaybeBytes;

        /// <summary>Live blocks examined, and the bytes they requested ("in use").</summary>
        public int LiveBlocks;

        /// <summary>Bytes requested by the live blocks.</summary>
        public int LiveBytes;

        /// <summary>Blocks of the block map the debug heap did not confirm (skipped; CheckMemory says why).</summary>
        public int Skipped;

        /// <summary>Rows used in the family arrays.</summary>
        public int Families;

        /// <summary>Per family: blocks.</summary>
        public readonly int[] Count;

        /// <summary>Per family: bytes.</summary>
        public readonly int[] FamilyBytes;

        /// <summary>Per family: the lowest block address.</summary>
        public readonly int[] First;

        /// <summary>Per family: the allocation file (null: unknown, or the "other families" row).</summary>
        public readonly string[] File;

        /// <summary>Per family: the allocation line (-1 for the "other families" row).</summary>
        public readonly int[] Line;

        /// <summary>Per family: the block use (type | subtype &lt;&lt; 16), -1 for the "other families" row.</summary>
        public readonly int[] Use;

        /// <summary>Per family: whether it is a potential-leak family.</summary>
        public readonly bool[] Maybe;

        /// <summary>The family rows in report order (leak families first, then by blocks, bytes, address): Order[0] is the first reported.</summary>
        public readonly int[] Order;

        internal GarbageSummary(int capacity)
        {
            Count = new int[capacity];
            FamilyBytes = new int[capacity];
            First = new int[capacity];
            File = new string[capacity];
            Line = new int[capacity];
            Use = new int[capacity];
            Maybe = new bool[capacity];
            Order = new int[capacity];
        }
    }

    public sealed partial class CheckerHeap
    {
        /// <summary>Rows of the family table (the last one collects the families beyond it).</summary>
        public const int MaxFamilies = 24;

        private static readonly string[] UseNames = { "Free", "Normal", "CRT", "Ignore", "Client" };

        private readonly GarbageSummary _summary = new GarbageSummary(MaxFamilies);
        private int _runs;

        /// <summary>The result of the last detector run.</summary>
        public GarbageSummary LastSummary
        {
            get { return _summary; }
        }

        /// <summary>Detector runs so far.</summary>
        public int DetectorRuns
        {
            get { return _runs; }
        }

        /// <summary>Runs the garbage detector and reports every leak and potential leak (text, then GARB records in a dump).</summary>
        public GarbageSummary DetectGarbage()
        {
            return RunAndReport(GarbageKind.All, "garbage");
        }

        /// <summary>Runs the evolution detector: reports only the leaks no run has reported yet.</summary>
        public GarbageSummary DetectNewGarbage()
        {
            return RunAndReport(GarbageKind.New, "evolution");
        }

        /// <summary>Reports the reachable blocks grouped by allocation site (text, then GARB kind=inuse records in a dump).</summary>
        public GarbageSummary ReportInUse()
        {
            return RunAndReport(GarbageKind.InUse, "inuse");
        }

        /// <summary>Forgets which leaks have been reported: the next evolution run reports them all again.</summary>
        public void ClearGarbageHistory()
        {
            lock (_sync)
            {
                byte[] m = _m;
                int end = _blockMapStart + _blockMapBytes;
                for (int i = _blockMapStart; i < end; i++)
                {
                    m[i] = (byte)(m[i] & ~G_REPORTED);
                }
            }
        }

        /// <summary>
        /// Runs the detector without reporting (for tests and firmware that reads LastSummary); it
        /// does not count as having reported anything, so the next evolution run still reports all.
        /// </summary>
        public GarbageSummary RunDetector(int kind)
        {
            lock (_sync)
            {
                MarkBlocks();
                Group(kind, false);
                return _summary;
            }
        }

        /// <summary>
        /// A point where the firmware allows the detector to run (e.g. once per main-loop turn):
        /// with -d=point an evolution run is made here.
        /// </summary>
        public void DetectorPoint()
        {
            if (_detectAtPoint)
            {
                DetectNewGarbage();
            }
        }

        /// <summary>
        /// The firmware is stopping: gives every aged block back, then with -d=end (the default)
        /// runs the evolution detector, so every leak not reported yet is reported.
        /// </summary>
        public void Shutdown()
        {
            lock (_sync)
            {
                ReleaseAllAged();
                if (_detectAtEnd)
                {
                    RunAndReport(GarbageKind.New, "end");
                }
            }
        }

        private void CountAllocation()
        {
            if (_detectEvery > 0 && ++_sinceDetect >= _detectEvery)
            {
                _sinceDetect = 0;
                RunAndReport(GarbageKind.New, "every");
            }
        }

        private GarbageSummary RunAndReport(int kind, string why)
        {
            lock (_sync)
            {
                MarkBlocks();
                Group(kind, true);
                lock (_reporter.SyncRoot)
                {
                    WriteSummaryText();
                    if (_reporter.WantsRecords && _summary.Families > 0)
                    {
                        _reporter.BeginDump(why, -1);
                        WriteSummaryRecords();
                        _reporter.EndDump();
                    }
                }

                return _summary;
            }
        }

        /// <summary>
        /// Groups the marked blocks of <paramref name="kind"/> into the summary's families, sorted;
        /// with <paramref name="reported"/> the leaks found are marked REPORTED.
        /// </summary>
        private void Group(int kind, bool reported)
        {
            GarbageSummary s = _summary;
            _runs++;
            s.Kind = kind;
            s.Blocks = 0;
            s.Bytes = 0;
            s.MaybeBlocks = 0;
            s.MaybeBytes = 0;
            s.LiveBlocks = _workBlocks;
            s.LiveBytes = 0;
            s.Skipped = _workSkipped;
            s.Families = 0;
            byte[] m = _m;
            int[] w = _work;
            int n = _workBlocks;
            for (int j = 0; j < n; j++)
            {
                int data = w[j];
                int size = w[n + j];
                s.LiveBytes += size;
                int g = GranuleOf(data - DebugHeap.HEADER_BYTES);
                int flags = m[g];
                bool maybe;
                if (kind == GarbageKind.InUse)
                {
                    if ((flags & G_REACH) == 0)
                    {
                        continue;
                    }

                    maybe = false;
                }
                else
                {
                    if ((flags & G_SURE) != 0)
                    {
                        continue;
                    }

                    if (kind == GarbageKind.New && (flags & G_REPORTED) != 0)
                    {
                        continue;
                    }

                    maybe = (flags & G_REACH) != 0;
                    if (reported)
                    {
                        m[g] = (byte)(flags | G_REPORTED);
                    }
                }

                if (maybe)
                {
                    s.MaybeBlocks++;
                    s.MaybeBytes += size;
                }
                else
                {
                    s.Blocks++;
                    s.Bytes += size;
                }

                _debug.FillInfoKnown(data, _info);   // MarkBlocks confirmed it in this same hold of the lock
                AddToFamily(s, maybe, _info.File, _info.Line, _info.BlockUse, data, size);
            }

            // Sort: leak families before potential ones, then more blocks, more bytes, lower address.
            int[] order = s.Order;
            for (int i = 0; i < s.Families; i++)
            {
                int f = i;
                int k = i - 1;
                while (k >= 0 && FamilyBefore(s, f, order[k]))
                {
                    order[k + 1] = order[k];
                    k--;
                }

                order[k + 1] = f;
            }
        }

        private static bool FamilyBefore(GarbageSummary s, int a, int b)
        {
            if (s.Maybe[a] != s.Maybe[b])
            {
                return !s.Maybe[a];
            }

            if (s.Count[a] != s.Count[b])
            {
                return s.Count[a] > s.Count[b];
            }

            if (s.FamilyBytes[a] != s.FamilyBytes[b])
            {
                return s.FamilyBytes[a] > s.FamilyBytes[b];
            }

            return s.First[a] < s.First[b];
        }

        private static void AddToFamily(GarbageSummary s, bool maybe, string file, int line, int use, int data, int size)
        {
            int last = s.Count.Length - 1;
            int f = 0;
            for (; f < s.Families; f++)
            {
                if (s.Maybe[f] == maybe && s.Line[f] == line && s.Use[f] == use
                    && ((object)s.File[f] == (object)file || (s.File[f] != null && s.File[f] == file)))
                {
                    break;
                }

                if (f == last && s.Line[f] == -1)
                {
                    break;   // the "other families" row takes what does not fit
                }
            }

            if (f == s.Families)
            {
                s.Families++;
                s.Count[f] = 0;
                s.FamilyBytes[f] = 0;
                s.First[f] = data;
                s.Maybe[f] = maybe;
                if (f == last)
                {
                    s.File[f] = null;
                    s.Line[f] = -1;
                    s.Use[f] = -1;
                }
                else
                {
                    s.File[f] = file;
                    s.Line[f] = line;
                    s.Use[f] = use;
                }
            }

            s.Count[f]++;
            s.FamilyBytes[f] += size;
            if (data < s.First[f])
            {
                s.First[f] = data;
            }
        }

        // ---- Writing ---------------------------------------------------------------------------

        /// <summary>The text lines of the last run (the reporter's lock held by the caller).</summary>
        private void WriteSummaryText()
        {
            GarbageSummary s = _summary;
            Reporter r = _reporter;
            if (s.Kind == GarbageKind.InUse)
            {
                r.Begin().Append(Prefix).Append("(inu) blocks in use.").End();
                r.Begin().Append("There are ").Append(s.Blocks).Append(" block(s) in use, ").Append(s.Bytes)
                    .Append(" byte(s), in ").Append(s.Families).Append(" family(ies).").End();
            }
            else
            {
                r.Begin().Append(Prefix).Append(s.Kind == GarbageKind.New
                    ? "(gar) evolution detector results: leaks new since the last run."
                    : "(gar) garbage detector results.").End();
                r.Begin().Append("There are ").Append(s.Blocks).Append(" leak(s) and ").Append(s.MaybeBlocks)
                    .Append(" potential leak(s), in ").Append(s.Families).Append(" family(ies).").End();
                if (s.Blocks + s.MaybeBlocks > 0)
                {
                    r.Begin().Append("Leaks consume ").Append(s.Bytes).Append(" byte(s) of the ").Append(s.LiveBytes)
                        .Append(" byte(s) in use (").AppendPerMille(PerMille(s.Bytes, s.LiveBytes)).Append("); potential leaks ")
                        .Append(s.MaybeBytes).Append(" byte(s) (").AppendPerMille(PerMille(s.MaybeBytes, s.LiveBytes)).Append(").").End();
                }
            }

            for (int k = 0; k < s.Families; k++)
            {
                int f = s.Order[k];
                r.Begin().Append("Found ").Append(s.Count[f]).Append(" block(s) of ").Append(s.FamilyBytes[f]).Append(" byte(s) ")
                    .Append(s.Kind == GarbageKind.InUse ? "in use" : (s.Maybe[f] ? "maybe lost" : "lost"))
                    .Append(" (").AppendPerMille(PerMille(s.FamilyBytes[f], s.LiveBytes)).Append("), first at ").AppendAddress(s.First[f])
                    .Append(": ");
                if (s.Line[f] == -1)
                {
                    r.Append("in other families (the family table is full)");
                }
                else
                {
                    AppendUse(s.Use[f]);
                    r.Append(" allocated from: ");
                    if (s.File[f] == null)
                    {
                        r.Append("(unknown)");
                    }
                    else
                    {
                        r.AppendFileName(s.File[f]).Append('(').Append(s.Line[f]).Append(')');
                    }
                }

                r.End();
            }

            if (s.Skipped > 0)
            {
                r.Begin().Append(s.Skipped).Append(" block(s) of the block map were skipped: the debug heap does not know them (see CheckMemory).").End();
            }
        }

        /// <summary>One GARB record per family of the last run, in report order (inside a dump begun by the caller).</summary>
        private void WriteSummaryRecords()
        {
            GarbageSummary s = _summary;
            for (int k = 0; k < s.Families; k++)
            {
                int f = s.Order[k];
                string kind = s.Kind == GarbageKind.InUse ? Records.GarbageInUse : s.Maybe[f] ? Records.GarbageMaybe : Records.GarbageLost;
                int use = s.Use[f];
                int type = use < 0 ? -1 : BlockType.BLOCK_TYPE(use);
                int subtype = type == BlockType.Client || type == BlockType.Crt ? BlockType.BLOCK_SUBTYPE(use) : -1;
                Records.Garbage(_reporter, k + 1, kind, s.Count[f], s.FamilyBytes[f], s.First[f], type, subtype, s.File[f], s.Line[f]);
            }
        }

        private void AppendUse(int use)
        {
            int type = BlockType.BLOCK_TYPE(use);
            _reporter.Append(type < UseNames.Length ? UseNames[type] : "?").Append(" block");
            if (type == BlockType.Client)
            {
                _reporter.Append(" (subtype ").Append(BlockType.BLOCK_SUBTYPE(use)).Append(')');
            }
        }

        private static int PerMille(int part, int whole)
        {
            return whole <= 0 ? 0 : (int)((long)part * 1000 / whole);
        }
    }
}
