// Checker's part of a HeapReport dump (Reporter/ReportSection.cs, PROTOCOL.md): register it with
// report.AddSection(new CheckerSection(checker)) and every dump 'D' carries a garbage report,
// and command 'C' runs Checker's Validate.
//   text pass:    the garbage detector's report (Families.cs), from a run made for this dump;
//   records pass: one GARB per family of that same run, lost families (kind=lost) then
//                 potential leaks (kind=maybe); the records pass runs the detector itself when
//                 the text form is off;
//   check:        Validate, then "[check] checker: ok" or the problem (also as a "bmd" error)
//                 and a CHECK record what=checker.
// The report holds the heap's lock, then the reporter's, while it calls the section; Checker
// takes the same locks again (both are reentrant), in the same order.
namespace Checker.Nano
{
    /// <summary>Checker's section of a heap dump (kind Garbage).</summary>
    public sealed class CheckerSection : ReportSection
    {
        private readonly CheckerHeap _checker;
        private int _dump = -1;     // the dump the last run was made for

        /// <summary>The section of <paramref name="checker"/>.</summary>
        public CheckerSection(CheckerHeap checker)
        {
            if (checker == null)
            {
                throw new System.ArgumentNullException("checker");
            }

            _checker = checker;
        }

        /// <summary>Garbage: dumped by 'D'.</summary>
        public override int Kind
        {
            get { return Garbage; }
        }

        /// <summary>The garbage report's text lines.</summary>
        public override void WriteText(Reporter reporter)
        {
            _dump = reporter.LastDumpNumber + 1;   // the number the records pass will carry
            _checker.WriteSection(true, true);
        }

        /// <summary>GARB records.</summary>
        public override void WriteRecords(Reporter reporter)
        {
            bool run = _dump != reporter.DumpNumber;
            _dump = reporter.DumpNumber;
            _checker.WriteSection(run, false);
        }

        /// <summary>Validate; returns 1 if it found a problem (reported), else 0.</summary>
        public override int Check(Reporter reporter)
        {
            return _checker.CheckForReport();
        }
    }

    public sealed partial class CheckerHeap
    {
        internal void WriteSection(bool run, bool text)
        {
            lock (_sync)
            {
                lock (_reporter.SyncRoot)
                {
                    if (run)
                    {
                        MarkBlocks();
                        Group(GarbageKind.All, true);
                    }

                    if (text)
                    {
                        WriteSummaryText();
                    }
                    else
                    {
                        WriteSummaryRecords();
                    }
                }
            }
        }

        internal int CheckForReport()
        {
            lock (_sync)
            {
                lock (_reporter.SyncRoot)
                {
                    string problem = Validate();
                    if (problem != null)
                    {
                        ReportMapsDamaged(problem, null, 0);
                    }

                    _reporter.Begin().Append("[check] checker: ").Append(problem == null ? "ok" : problem).End();
                    Records.Check(_reporter, "checker", problem == null ? 0 : 1, problem);
                    return problem == null ? 0 : 1;
                }
            }
        }
    }
}
