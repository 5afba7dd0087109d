// A dump of the heap in both forms: the base heap (mstats, objects, fragment sizes, free
// clusters, the fragmentation figure; in records also its heapinfo table), the sections the layers above registered (debug heap:
// block types and leaks; Checker: garbage), and the runtime's own memory figures.
//
// Order on the wire (each pass only if its form is switched on):
//   text:    "== Checker.Nano dump D (why) at T s ==", base lines, sections' lines, runtime lines,
//            "== end of dump D ==";
//   records: BEGIN, STAT, OBJS, FRGS (one per fragment size in use), HOLES, FRAG, MAP (the
//            heapinfo table, as many records as the line needs), sections' records, the heap
//            tracer's status (TRACE what=status, when a Tracer is set), RTMEM (one per figure), END.
// Locks: the runtime figures are sampled first, with no lock held (GC.Run may take a while); then
// the heap's lock, then the reporter's, are held for both passes, so the two forms describe the
// same heap. Nothing is allocated per dump: the summary, the figures, the table's rows for MAP
// (Heap.WalkTable into an array of Heap.MaxWalkRows rows: 16 bytes per block the arena can
// hold) and the sections array are made once (AddSection grows the array when a layer registers).
namespace Checker.Nano
{
    /// <summary>Writes dumps and checks of a heap through a reporter.</summary>
    public sealed class HeapReport
    {
        /// <summary>Dump part: the base heap's statistics, summary and fragmentation.</summary>
        public const int Base = 1;

        /// <summary>Dump part: the runtime's memory figures.</summary>
        public const int Runtime = 2;

        /// <summary>Dump part: sections of kind Leaks (debug heap).</summary>
        public const int LeakSections = 4;

        /// <summary>Dump part: every other section (Checker's garbage, ...).</summary>
        public const int OtherSections = 8;

        /// <summary>Every part: what 'D' dumps.</summary>
        public const int All = Base | Runtime | LeakSections | OtherSections;

        private readonly BaseHeap _heap;
        private readonly Reporter _reporter;
        private readonly HeapSummary _summary = new HeapSummary();
        private readonly RuntimeFigure[] _figures = new RuntimeFigure[6];
        private readonly int[] _mapRows;
        private int _mapCount;
        private ReportSection[] _sections = new ReportSection[0];
        private RuntimeMemory _runtime;
        private HeapTracer _tracer;
        private string _board = "unknown";
        private string _app = "app";

        /// <summary>A report on <paramref name="heap"/> written through <paramref name="reporter"/>.</summary>
        public HeapReport(BaseHeap heap, Reporter reporter)
        {
            if (heap == null)
            {
                throw new System.ArgumentNullException("heap");
            }

            if (reporter == null)
            {
                throw new System.ArgumentNullException("reporter");
            }

            _heap = heap;
            _reporter = reporter;
            _mapRows = new int[heap.MaxWalkRows * BaseHeap.WALK_WORDS];
            for (int i = 0; i < _figures.Length; i++)
            {
                _figures[i] = new RuntimeFigure();
            }
        }

        /// <summary>The heap reported on (either policy).</summary>
        public BaseHeap Heap
        {
            get { return _heap; }
        }

        /// <summary>The reporter written to.</summary>
        public Reporter Reporter
        {
            get { return _reporter; }
        }

        /// <summary>The snapshot of the last dump (filled again by each dump).</summary>
        public HeapSummary Summary
        {
            get { return _summary; }
        }

        /// <summary>Where the runtime's figures come from (null: none are reported).</summary>
        public RuntimeMemory RuntimeMemory
        {
            get { return _runtime; }
            set { _runtime = value; }
        }

        /// <summary>
        /// The heap tracer the command bytes T, P and E drive and the low-memory trigger dumps (ring
        /// mode); every full dump carries its status (TRACE what=status). Null (the default): no
        /// tracer, and H does not list its commands.
        /// </summary>
        public HeapTracer Tracer
        {
            get { return _tracer; }
            set { _tracer = value; }
        }

        /// <summary>The board's name in HELLO (esp32, esp32-s3, esp32-c3, host).</summary>
        public string Board
        {
            get { return _board; }
            set { _board = value; }
        }

        /// <summary>The application's name in HELLO.</summary>
        public string App
        {
            get { return _app; }
            set { _app = value; }
        }

        /// <summary>
        /// Registers a layer's section: it is written in every dump that includes its kind, after
        /// the sections registered before it. Allocates (once, at registration).
        /// </summary>
        public void AddSection(ReportSection section)
        {
            if (section == null)
            {
                throw new System.ArgumentNullException("section");
            }

            lock (_heap.SyncRoot)
            {
                ReportSection[] bigger = new ReportSection[_sections.Length + 1];
                System.Array.Copy(_sections, bigger, _sections.Length);
                bigger[_sections.Length] = section;
                _sections = bigger;
            }
        }

        /// <summary>Sections registered.</summary>
        public int SectionCount
        {
            get { return _sections.Length; }
        }

        /// <summary>Whether a section of kind Leaks is registered (the debug heap is in use).</summary>
        public bool HasLeakSection
        {
            get
            {
                ReportSection[] sections = _sections;
                for (int i = 0; i < sections.Length; i++)
                {
                    if (sections[i].Kind == ReportSection.Leaks)
                    {
                        return true;
                    }
                }

                return false;
            }
        }

        /// <summary>Writes a full dump; <paramref name="why"/> is a short token (call, cmd-D, timer, low, button). Returns its number d.</summary>
        public int Dump(string why, long timeMs)
        {
            return Dump(why, timeMs, All);
        }

        /// <summary>
        /// Writes a dump of the given <paramref name="parts"/> (Base, Runtime, LeakSections,
        /// OtherSections). <paramref name="timeMs"/> is the firmware's clock in milliseconds
        /// (negative: not shown). Returns the dump's number d.
        /// </summary>
        public int Dump(string why, long timeMs, int parts)
        {
            int figures = 0;
            RuntimeMemory runtime = _runtime;
            if ((parts & Runtime) != 0 && runtime != null)
            {
                try
                {
                    figures = runtime.Sample(_figures);
                }
                catch (System.Exception)
                {
                    figures = 0;
                }

                if (figures > _figures.Length)
                {
                    figures = _figures.Length;
                }
            }

            Reporter r = _reporter;
            lock (_heap.SyncRoot)
            {
                lock (r.SyncRoot)
                {
                    _mapCount = 0;
                    if ((parts & Base) != 0)
                    {
                        _heap.Summarize(_summary);
                        if (r.WantsRecords)
                        {
                            _mapCount = _heap.WalkTable(_mapRows);
                        }
                    }

                    int d = r.LastDumpNumber + 1;   // the number BeginDump will give it
                    if (r.WantsText)
                    {
                        WriteText(d, why, timeMs, parts, figures);
                    }

                    r.BeginDump(why, timeMs);
                    if (r.WantsRecords)
                    {
                        WriteRecords(parts, figures);
                    }

                    r.EndDump();
                    return d;
                }
            }
        }

        /// <summary>
        /// Runs the full checks (command 'C'): the base heap's Validate, then every section's Check.
        /// Reports each result (text and CHECK / the sections' ERR records) and returns the
        /// number of problems found (0: all sound).
        /// </summary>
        public int Check()
        {
            Reporter r = _reporter;
            lock (_heap.SyncRoot)
            {
                lock (r.SyncRoot)
                {
                    string problem = _heap.Validate();
                    r.Begin().Append("[check] heap: ").Append(problem == null ? "ok" : problem).End();
                    Records.Check(r, "heap", problem == null ? 0 : 1, problem);
                    int problems = problem == null ? 0 : 1;
                    ReportSection[] sections = _sections;
                    for (int i = 0; i < sections.Length; i++)
                    {
                        problems += sections[i].Check(r);
                    }

                    return problems;
                }
            }
        }

        /// <summary>
        /// Writes HELLO (the board, the app, HEAP, BLOCKSIZE, the protocol revision) in both forms.
        /// The text never holds the marker: a text line with "@CN" in it would look like a damaged record.
        /// </summary>
        public void Hello()
        {
            Reporter r = _reporter;
            lock (r.SyncRoot)
            {
                r.Begin().Append("Checker.Nano ").Append(_app).Append(" on ").Append(_board)
                    .Append(": HEAP ").Append(_heap.Arena.Size).Append(", BLOCKSIZE ").Append(_heap.BLOCKSIZE)
                    .Append(", line protocol ").Append(Reporter.ProtocolVersion).Append(" rev ").Append(Reporter.ProtocolRevision).End();
                Records.Hello(r, _board, _app, _heap.Arena.Size, _heap.BLOCKSIZE);
            }
        }

        /// <summary>Writes the list of command bytes (text only: it is for people).</summary>
        public void Help()
        {
            Reporter r = _reporter;
            lock (r.SyncRoot)
            {
                r.Line(_tracer == null ? "commands: D dump, S statistics, L leaks, C check, V version, H or ? help"
                    : "commands: D dump, S statistics, L leaks, C check, V version, T trace on, P trace off, E trace events, H or ? help");
            }
        }

        // ---- text ------------------------------------------------------------------------------

        private void WriteText(int d, string why, long timeMs, int parts, int figures)
        {
            Reporter r = _reporter;
            r.Begin().Append("== Checker.Nano dump ").Append(d).Append(" (").Append(why).Append(')');
            if (timeMs >= 0)
            {
                r.Append(" at ").Append(timeMs / 1000).Append('.');
                AppendDigits3(r, (int)(timeMs % 1000));
                r.Append(" s");
            }

            r.Append(" ==").End();
            if ((parts & Base) != 0)
            {
                WriteBaseText();
            }

            WriteSections(parts, true);
            if ((parts & OtherSections) != 0 && _tracer != null)
            {
                _tracer.WriteStatus(r, true);
            }

            if ((parts & Runtime) != 0)
            {
                for (int i = 0; i < figures; i++)
                {
                    WriteFigureText(_figures[i]);
                }
            }

            r.Begin().Append("== end of dump ").Append(d).Append(" ==").End();
        }

        private void WriteBaseText()
        {
            Reporter r = _reporter;
            HeapSummary s = _summary;
            MStats m = s.Stats;
            r.Begin().Append("heap: ").Append(m.BytesTotal).Append(" bytes in ").Append(m.BytesTotal / m.BlockSize)
                .Append(" blocks of ").Append(m.BlockSize).Append("; arena ").Append(m.ArenaBytes).Append(", ")
                .Append(m.ArenaAvailable).Append(" not yet in the heap").End();
            r.Begin().Append("used: ").Append(m.ChunksUsed).Append(" chunks, ").Append(m.BytesUsed).Append(" bytes; free: ")
                .Append(m.ChunksFree).Append(" chunks, ").Append(m.BytesFree).Append(" bytes").End();
            r.Begin().Append("  objects: ").Append(s.Objects).Append(" in ").Append(s.ObjectBlocks).Append(" block(s), ")
                .Append(s.ObjectBytes).Append(" bytes").End();
            for (int i = 0; i < HeapSummary.MaxSizes; i++)
            {
                if (s.FragmentBlocks[i] == 0)
                {
                    continue;
                }

                r.Begin().Append("  fragments of ").Append(s.FragmentSize[i]).Append(": ").Append(s.FragmentsUsed[i]).Append(" used, ")
                    .Append(s.FragmentsFree[i]).Append(" free in ").Append(s.FragmentBlocks[i]).Append(" block(s)").End();
            }

            r.Begin().Append("  free clusters: ").Append(s.Holes).Append(" in ").Append(s.HoleBlocks).Append(" block(s), largest ")
                .Append(m.LargestFreeRun).Append(", top ").Append(s.TopHoleBytes).End();
            if (s.Anomalies != 0)
            {
                r.Begin().Append("  table anomalies: ").Append(s.Anomalies).Append(" (send C to check)").End();
            }

            r.Begin().Append("free ").Append(s.FreeBytes).Append(" bytes, largest request that fits ").Append(s.LargestBytes)
                .Append(": fragmentation ").AppendPerMille(s.FragmentationPerMille).End();
            r.Begin().Append("metadata beside the arena: ").Append(m.MetadataBytes).Append(" bytes").End();
        }

        private void WriteFigureText(RuntimeFigure f)
        {
            Reporter r = _reporter;
            r.Begin().Append("runtime ").Append(f.Kind).Append(':');
            bool any = false;
            if (f.Total >= 0)
            {
                r.Append(' ').Append(f.Total).Append(" total");
                any = true;
            }

            if (f.Free >= 0)
            {
                r.Append(any ? ", " : " ").Append(f.Free).Append(" free");
                any = true;
            }

            if (f.Largest >= 0)
            {
                r.Append(any ? ", " : " ").Append("largest block ").Append(f.Largest);
                any = true;
            }

            if (!any)
            {
                r.Append(" unknown");
            }

            r.End();
        }

        private static void AppendDigits3(Reporter r, int value)
        {
            r.Append((char)('0' + (value / 100 % 10))).Append((char)('0' + (value / 10 % 10))).Append((char)('0' + (value % 10)));
        }

        // ---- records ---------------------------------------------------------------------------

        private void WriteRecords(int parts, int figures)
        {
            Reporter r = _reporter;
            if ((parts & Base) != 0)
            {
                HeapSummary s = _summary;
                MStats m = s.Stats;
                Records.Stat(r, m);
                Records.Objects(r, s.Objects, s.ObjectBlocks, s.ObjectBytes);
                for (int i = 0; i < HeapSummary.MaxSizes; i++)
                {
                    if (s.FragmentBlocks[i] != 0)
                    {
                        Records.FragmentSize(r, s.FragmentSize[i], s.FragmentBlocks[i], s.FragmentsUsed[i], s.FragmentsFree[i]);
                    }
                }

                Records.Holes(r, s.Holes, s.HoleBlocks, m.LargestFreeRun, s.TopHoleBytes);
                Records.Fragmentation(r, s.FreeBytes, s.LargestBytes, s.FragmentationPerMille);
                WriteMap();
            }

            WriteSections(parts, false);
            if ((parts & OtherSections) != 0 && _tracer != null)
            {
                _tracer.WriteStatus(r, false);
            }

            if ((parts & Runtime) != 0)
            {
                for (int i = 0; i < figures; i++)
                {
                    RuntimeFigure f = _figures[i];
                    Records.RuntimeMemory(r, f.Kind, f.Total, f.Free, f.Largest);
                }
            }
        }

        // MAP: the table walked in Dump, in as many records as the line capacity needs (at least
        // one, so that a reader knows the table even when it is empty).
        private void WriteMap()
        {
            int count = _mapCount;
            int capacity = _mapRows.Length / BaseHeap.WALK_WORDS;
            if (count > capacity)
            {
                count = capacity;   // never in a sound heap; the reader sees the blocks not described
            }

            int row = 0;
            do
            {
                row = Records.Map(_reporter, _heap.HeapBase, _heap.BLOCKLOG, _mapRows, row, count);
            }
            while (row < count);
        }

        private void WriteSections(int parts, bool text)
        {
            ReportSection[] sections = _sections;
            for (int i = 0; i < sections.Length; i++)
            {
                ReportSection section = sections[i];
                int part = section.Kind == ReportSection.Leaks ? LeakSections : OtherSections;
                if ((parts & part) == 0)
                {
                    continue;
                }

                if (text)
                {
                    section.WriteText(_reporter);
                }
                else
                {
                    section.WriteRecords(_reporter);
                }
            }
        }
    }
}
