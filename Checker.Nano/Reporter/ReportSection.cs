// How the layers above the base heap put their part into a dump: each registers one section with
// the HeapReport (the debug heap: block-type summary and leak list; Checker: garbage families),
// and the report calls it twice per dump, once for each form, in registration order:
//   text pass:    header, base heap, WriteText of every section, runtime figures, footer
//   records pass: BEGIN, base heap, WriteRecords of every section, RTMEM..., END
// Both passes run with the heap's lock held, then the reporter's (in that order), so a section
// sees the same heap in both and must not take those locks in the other order. A section writes
// only through the reporter, allocates nothing per line, and reads its own data structures only.
namespace Checker.Nano
{
    /// <summary>A layer's part of a dump (see HeapReport.AddSection).</summary>
    public abstract class ReportSection
    {
        /// <summary>Kind: the leak list and block-type summary (debug heap); dumped by 'D' and 'L'.</summary>
        public const int Leaks = 1;

        /// <summary>Kind: garbage families (Checker); dumped by 'D'.</summary>
        public const int Garbage = 2;

        /// <summary>Kind: anything else; dumped by 'D'.</summary>
        public const int Other = 4;

        /// <summary>Which kind of section this is (one of the constants above).</summary>
        public abstract int Kind { get; }

        /// <summary>Writes the human lines of this section (Begin / Append / End).</summary>
        public abstract void WriteText(Reporter reporter);

        /// <summary>Writes the records of this section (Records.*): they are numbered inside the dump.</summary>
        public abstract void WriteRecords(Reporter reporter);

        /// <summary>
        /// Runs this layer's full check for command 'C' (e.g. the debug heap's CheckMemory, Checker's
        /// check), reports each problem itself (text and ERR records) and returns how many it found.
        /// The default checks nothing.
        /// </summary>
        public virtual int Check(Reporter reporter)
        {
            return 0;
        }
    }
}
