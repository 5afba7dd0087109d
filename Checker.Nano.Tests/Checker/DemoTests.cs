// The demo the boards run: its deliberate bugs give these reports, word for word.
using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class CheckerDemoTests
    {
        [TestMethod]
        public void Demo_ReportsEachDeliberateBug()
        {
            MemorySink sink = new MemorySink();
            Reporter r = new Reporter(sink);
            r.Forms = ReportForm.Text;
            CheckerHeap c = CheckerDemo.Run(r, 32768);
            Assert.AreEqual(CheckerTesting.Lines(
                "From Checker: (ruh) read uninitialized byte(s) in a block.",
                "When Reading 4 byte(s) at address 0x00001D28, 12 bytes into a block (start: 0x00001D1C, 64 bytes)",
                "The block was allocated from: Demo.cs(21)",
                "The access was made from: Demo.cs(23)",
                "From Checker: (bvh) block bounds violation in the heap.",
                "When Writing 4 byte(s) at address 0x00001D5C, 0 bytes after a block (start: 0x00001D1C, 64 bytes)",
                "The block was allocated from: Demo.cs(21)",
                "The access was made from: Demo.cs(28)",
                "From Checker: (rfb) read in a free block.",
                "When Reading 4 byte(s) at address 0x00001D20, 4 bytes into a free block (start: 0x00001D1C, 64 bytes)",
                "The block was allocated from: Demo.cs(21)",
                "The block was freed from: Demo.cs(32)",
                "The access was made from: Demo.cs(33)",
                "From Checker: (gar) garbage detector results.",
                "There are 4 leak(s) and 0 potential leak(s), in 1 family(ies).",
                "Leaks consume 32 byte(s) of the 32 byte(s) in use (100.0%); potential leaks 0 byte(s) (0.0%).",
                "Found 4 block(s) of 32 byte(s) lost (100.0%), first at 0x0000211C: Normal block allocated from: Demo.cs(39)"),
                sink.Text);
            Assert.AreEqual(3, c.TotalErrors);
            Assert.AreEqual(4, c.LastSummary.Blocks);
            CheckerTesting.Valid(c);
        }

        [TestMethod]
        public void Demo_BothForms_OneErrPerErrorAndOneGarb()
        {
            MemorySink sink = new MemorySink();
            CheckerDemo.Run(new Reporter(sink), 32768);
            string[] lines = sink.Text.Split('\n');
            int errs = 0;
            int garbs = 0;
            for (int i = 0; i < lines.Length; i++)
            {
                if (lines[i].StartsWith("@CN1 ERR "))
                {
                    errs++;
                }

                if (lines[i].StartsWith("@CN1 GARB "))
                {
                    garbs++;
                }
            }

            Assert.AreEqual(3, errs);
            Assert.AreEqual(1, garbs);
        }
    }
}
