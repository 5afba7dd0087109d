// The options string: each option, suppressions by code and site, and bad options.
using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class CheckerOptionsTests
    {
        [TestMethod]
        public void Defaults()
        {
            CheckerHeap c = CheckerTesting.New(new MemorySink());
            Assert.AreEqual("-a=8 -m=1 -d=end", c.Options);
            Assert.AreEqual(8, c.AgingDepth);
            Assert.IsTrue(c.SetOptions(""));
            Assert.AreEqual(8, c.AgingDepth);
            Assert.IsTrue(c.SetOptions(null));
        }

        [TestMethod]
        public void Suppression_ByCode()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink, "  -n=ruh\t-n=bva ");
            int p = CheckerTesting.Malloc(c, 16, "Sensors.cs", 117);
            c.ReadInt32(p, "A.cs", 1);
            c.ReadInt32(c.Break + 16, "A.cs", 2);
            Assert.AreEqual("", sink.Text);
            Assert.AreEqual(2, c.SuppressedErrors);
            Assert.AreEqual(0, c.TotalErrors);
            Assert.AreEqual(CheckerError.BadAddress, c.LastError);

            // -e undoes a plain -n.
            Assert.IsTrue(c.SetOptions("-n=ruh -e=ruh"));
            c.ReadInt32(p, "A.cs", 3);
            Assert.AreEqual(1, c.ErrorCount(CheckerError.ReadUninitializedHeap));
        }

        [TestMethod]
        public void Suppression_ByAllocationSite()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink, "-n=ruh:Sensors.cs(117) -n=bvh:Radio.cs");
            int a = CheckerTesting.Malloc(c, 16, "C:\\firmware\\src\\Sensors.cs", 117);
            int b = CheckerTesting.Malloc(c, 16, "/home/me/src/Sensors.cs", 118);
            int r = CheckerTesting.Malloc(c, 16, "Radio.cs", 5);
            c.ReadInt32(a, "Main.cs", 1);      // suppressed: allocated at Sensors.cs(117)
            c.ReadInt32(b, "Main.cs", 2);      // reported: line 118
            c.ReadInt32(r + 16, "Main.cs", 3); // suppressed: any line of Radio.cs
            c.ReadInt32(r, "Main.cs", 4);      // reported: ruh is not suppressed for Radio.cs
            c.ReadInt32(a + 16, "Main.cs", 5); // reported: bvh is not suppressed for Sensors.cs
            Assert.AreEqual(2, c.SuppressedErrors);
            Assert.AreEqual(2, c.ErrorCount(CheckerError.ReadUninitializedHeap));
            Assert.AreEqual(1, c.ErrorCount(CheckerError.BoundsViolationHeap));
            Assert.IsTrue(sink.Text.IndexOf("The block was allocated from: Sensors.cs(118)") > 0);
        }

        [TestMethod]
        public void Suppression_OfACallSite_ForErrorsWithoutABlock()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink, "-n=oom:Cache.cs -n=oom:Main.cs(3)");
            Assert.AreEqual(0, c.Malloc(100000, BlockType.Normal, "Cache.cs", 40));
            Assert.AreEqual(0, c.Malloc(100000, BlockType.Normal, "Main.cs", 3));
            Assert.AreEqual("", sink.Text);
            Assert.AreEqual(0, c.Malloc(100000, BlockType.Normal, "Main.cs", 4));
            Assert.AreEqual(1, c.ErrorCount(CheckerError.OutOfMemory));
            Assert.AreEqual(2, c.SuppressedErrors);
        }

        [TestMethod]
        public void Malloc0_NullOrABlock()
        {
            CheckerHeap c = CheckerTesting.New(new MemorySink());
            int p = CheckerTesting.Malloc(c, 0, "A.cs", 1);
            Assert.AreNotEqual(0, p);
            Assert.AreEqual(1, c.LiveBlocks);
            Assert.IsTrue(c.SetOptions("-m=0"));
            Assert.AreEqual(0, CheckerTesting.Malloc(c, 0, "A.cs", 2));
            Assert.AreEqual(0, CheckerTesting.Calloc(c, 0, 4, "A.cs", 3));
            Assert.AreEqual(1, c.LiveBlocks);
        }

        [TestMethod]
        public void Detector_Never_End_Point_Every()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink, "-d=never");
            CheckerTesting.Malloc(c, 16, "Leak.cs", 1);
            c.DetectorPoint();
            c.Shutdown();
            Assert.AreEqual(0, c.DetectorRuns);

            c = CheckerTesting.New(sink, "-d=point");
            CheckerTesting.Malloc(c, 16, "Leak.cs", 1);
            c.DetectorPoint();
            Assert.AreEqual(1, c.DetectorRuns);
            Assert.AreEqual(1, c.LastSummary.Blocks);
            c.DetectorPoint();
            Assert.AreEqual(0, c.LastSummary.Blocks);   // an evolution run: reported once
            c.Shutdown();
            Assert.AreEqual(2, c.DetectorRuns);

            c = CheckerTesting.New(sink, "-d=3,end");
            for (int i = 0; i < 7; i++)
            {
                CheckerTesting.Malloc(c, 16, "Leak.cs", i);
            }

            Assert.AreEqual(2, c.DetectorRuns);
            c.Shutdown();
            Assert.AreEqual(3, c.DetectorRuns);
            Assert.AreEqual(1, c.LastSummary.Blocks);

            c = CheckerTesting.New(sink);
            c.Shutdown();
            Assert.AreEqual(1, c.DetectorRuns);
        }

        [TestMethod]
        public void BadOptions_AreReported_AndChangeNothing()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink, "-a=4");
            string usage = "Options: -n=code[:File.cs[(line)]] -e=code -a=0..1024 -m=0|1 -d=never|end|point|N[,...]";
            string[] bad =
            {
                "-q=1", "a=1", "-a", "-a=x", "-a=1025", "-n=xyz", "-n=opt", "-e=ruh:A.cs", "-n=ruh:A.cs(1",
                "-n=ruh:dir/A.cs", "-n=ruh:A.cs(x)", "-m=2", "-d=sometimes", "-d=never,end", "-d=0",
                "-n=fba", "-n=ffb", "-n=ffb:A.cs", "-n=fnl", "-n=rec", "-n=bda", "-n=gar",
            };
            string[] why =
            {
                "unknown option -q", "an option is -letter=value", "an option is -letter=value",
                "-a takes a depth from 0 to 1024", "-a takes a depth from 0 to 1024", "unknown error code 'xyz'",
                "unknown error code 'opt'", "-e takes a code without a site", "a site is File.cs or File.cs(line)",
                "a site is File.cs or File.cs(line)", "a site is File.cs or File.cs(line)",
                "-m takes 0 (malloc(0) returns null) or 1 (a 0-byte block)",
                "-d takes never, or end, point and a count of allocations, separated by commas",
                "-d takes never, or end, point and a count of allocations, separated by commas",
                "-d takes never, or end, point and a count of allocations, separated by commas",
                "fba cannot be switched off", "ffb cannot be switched off", "ffb cannot be switched off", "fnl cannot be switched off",
                "rec cannot be switched off", "bda cannot be switched off", "gar cannot be switched off",
            };
            for (int i = 0; i < bad.Length; i++)
            {
                Assert.IsFalse(c.SetOptions("-a=1 " + bad[i]), bad[i]);
                CheckerTesting.Expect(sink, CheckerTesting.Lines(
                    "From Checker: (bda) bad option for Checker.",
                    "In \"" + bad[i] + "\": " + why[i] + ".",
                    usage));
                Assert.AreEqual(4, c.AgingDepth);
                Assert.AreEqual("-a=4", c.Options);
            }

            Assert.AreEqual(bad.Length, c.ErrorCount(CheckerError.BadOption));
        }

        [TestMethod]
        public void BadOptions_TooManySuppressions()
        {
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            string options = "";
            for (int i = 0; i <= CheckerHeap.MaxSuppressions; i++)
            {
                options = options + " -n=ruh:A.cs(" + i.ToString() + ")";
            }

            Assert.IsFalse(c.SetOptions(options));
            Assert.IsTrue(sink.Text.IndexOf("In \"-n=ruh:A.cs(16)\": more than 16 site suppressions.") > 0);
        }

        [TestMethod]
        public void Codes_RoundTrip()
        {
            for (int i = 1; i < CheckerErrors.Count; i++)
            {
                CheckerError e = (CheckerError)i;
                Assert.AreEqual(i, (int)CheckerErrors.Parse(CheckerErrors.CodeOf(e)));
                Assert.IsTrue(CheckerErrors.MessageOf(e).Length > 0);
            }

            Assert.AreEqual("ruh", CheckerErrors.CodeOf(CheckerError.ReadUninitializedHeap));
            Assert.AreEqual("???", CheckerErrors.CodeOf((CheckerError)99));
            Assert.AreEqual(0, (int)CheckerErrors.Parse("RUH"));
        }
    
        [TestMethod]
        public void Unsuppressible_ADoubleFreeIsReportedWhatever_TheOptionsSay()
        {
            // As in the original, -n cannot hide fba, ffb, fnl, rec or bda: the option is refused.
            MemorySink sink = new MemorySink();
            CheckerHeap c = CheckerTesting.New(sink);
            Assert.IsFalse(c.SetOptions("-n=ffb"));
            sink.Clear();
            int p = CheckerTesting.Malloc(c, 16, "A.cs", 1);
            CheckerTesting.Free(c, p, "A.cs", 2);
            CheckerTesting.Free(c, p, "A.cs", 3);
            Assert.AreEqual(1, c.ErrorCount(CheckerError.FreeFreeBlock));
            Assert.AreEqual(0, c.SuppressedErrors);
            Assert.IsTrue(sink.Text.StartsWith("From Checker: (ffb) free an already free block.\n"), sink.Text);
            Assert.AreEqual(CheckerErrors.Unsuppressible, (1 << 5) | (1 << 6) | (1 << 7) | (1 << 9) | (1 << 17));
            Assert.AreEqual("bda", CheckerErrors.CodeOf(CheckerError.BadOption));
            Assert.AreEqual("nza", CheckerErrors.CodeOf(CheckerError.NullZone));
            Assert.AreEqual(CheckerError.NullZone, CheckerErrors.Parse("nza"));
            Assert.AreEqual(CheckerError.None, CheckerErrors.Parse("opt"));
            CheckerTesting.Valid(c);
        }
}
}
