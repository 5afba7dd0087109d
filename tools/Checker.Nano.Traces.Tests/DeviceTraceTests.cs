// Device traces in the trace format: "# site:" and "# @" lines read (and refused when wrong),
// written back by TraceWriter, peak live bytes by site; and tracing never changes what the
// allocator does: a whole shared trace replayed with a heap tracer on, in every mode, hands out
// the same offsets as with none.
using System;
using System.IO;
using System.Linq;
using Xunit;

namespace Checker.Nano.Traces.Tests
{
    public class DeviceTraceTests
    {
        private const string WithSites =
            "# checker-nano trace v1\n# source: unit test, 7 events, peak live 500 bytes in 3 blocks\n"
            + "# site: 1 Normal radio.cs:10\n# site: 2 Client/1 json.cs:7\n"
            + "# @1\na 1 100\na 2 200\n# @2\nc 3 4 50\nf 1\n# @1\nr 2 150\n# @0\na 4 60\nf 3\n";

        [Fact]
        public void Sites_AreRead_WithTheSiteOfEachAllocation()
        {
            Trace t = TraceReader.Parse(WithSites, "t.txt");
            Assert.Equal(new[] { "radio.cs:10 (Normal)", "json.cs:7 (Client/1)" }, t.Sites.Select(s => s.ToString()));
            Assert.Equal(new[] { 1, 1, 2, 0, 1, 0, 0 }, t.EventSites);
            Assert.Equal(500, t.PeakLiveBytes);
            Assert.Null(TraceReader.Parse("# checker-nano trace v1\n# source: x\na 1 10\n", "u.txt").EventSites);
        }

        [Theory]
        [InlineData("# site: 1 Normal a.cs:1\n# @2\na 1 10\n", "t.txt:4: site 2 is not defined (a '# site: 2 ...' line must come first)")]
        [InlineData("# site: 2 Normal a.cs:1\na 1 10\n", "t.txt:3: site 2 out of order: the next site is 1")]
        [InlineData("# site: 1 Normal\na 1 10\n", "t.txt:3: a site line is '# site: <n> <type> <file>:<line>'")]
        [InlineData("# @x\na 1 10\n", "t.txt:3: 'x' is not a decimal number")]
        public void BadSiteLines_NameTheLine(string body, string message)
        {
            var e = Assert.Throws<TraceFormatException>(() => TraceReader.Parse("# checker-nano trace v1\n# source: x\n" + body, "t.txt"));
            Assert.Equal(message, e.Message);
        }

        [Fact]
        public void Writer_WritesWhatTheReaderReads()
        {
            var w = new TraceWriter();
            w.Note("from a test");
            int radio = w.Site("Normal", "radio.cs:10");
            int json = w.Site("Client/1", "json.cs:7");
            Assert.Equal(radio, w.Site("Normal", "radio.cs:10"));
            int a = w.Allocate(1, 100, false, radio);
            int b = w.Allocate(1, 200, false, radio);
            int c = w.Allocate(4, 50, true, json);
            w.Free(a);
            w.Realloc(b, 150, radio);
            w.Allocate(1, 60, false, 0);
            w.Free(c);
            Assert.Equal(WithSites.Replace("# source: unit test, 7 events", "# source: unit test, 7 events").Replace("# site: 1", "# note: from a test\n# site: 1"),
                w.ToText("unit test"));
        }

        [Fact]
        public void SitePeaks_AtTheTracesPeak_AndEachSitesOwn()
        {
            Trace t = TraceReader.Parse(WithSites, "t.txt");
            SitePeak[] p = SitePeaks.Of(t).ToArray();
            Assert.Equal(new[] { "radio.cs:10", "json.cs:7", "(unknown site)" }, p.Select(s => s.Site.Location));
            Assert.Equal(new[] { 3, 1, 1 }, p.Select(s => s.Allocations));
            Assert.Equal(new long[] { 300, 200, 60 }, p.Select(s => s.PeakBytes));
            Assert.Equal(new long[] { 300, 200, 0 }, p.Select(s => s.BytesAtPeak));
            Assert.Equal(new[] { 2, 1, 0 }, p.Select(s => s.BlocksAtPeak));
            Assert.Equal(1.0, p.Sum(s => s.Share), 6);
            Assert.Empty(SitePeaks.Of(TraceReader.Parse("# checker-nano trace v1\n# source: x\na 1 10\n", "u.txt")));
        }

        [SkippableTheory]
        [InlineData(0, TraceMode.Stream)]
        [InlineData(0, TraceMode.Ring)]
        [InlineData(0, TraceMode.Leaks)]
        [InlineData(1, TraceMode.Stream)]
        [InlineData(1, TraceMode.Ring)]
        [InlineData(1, TraceMode.Leaks)]
        public void SharedTrace_SameOffsetsWithATracerOn(int policy, int mode)
        {
            string file = Path.Combine(SharedTraceTests.Directory_, "synthetic-espidf.txt");
            Skip.IfNot(File.Exists(file), $"shared traces not found at {SharedTraceTests.Directory_} (set CHECKER_NANO_TRACES to run these tests)");
            Trace t = TraceReader.Read(file);
            HeapPolicy p = policy == 0 ? HeapPolicy.Seed : HeapPolicy.Compact;
            int bs = policy == 0 ? 1024 : 256;
            int heap = Fragmentation.RoomyArena(t, bs);
            int[] Offsets(bool traced)
            {
                using var a = new HeapAdapter(heap, bs, p, threadSafe: false) { Touch = false };
                HeapTracer tracer = null;
                if (traced)
                {
                    tracer = new HeapTracer(a.Heap, new Reporter(new MemorySink()) { Forms = ReportForm.Records }, mode, mode == TraceMode.Stream ? 0 : 128);
                    tracer.Start();
                }

                var offsets = new int[t.Events.Length];
                Replayer.Run(t, a, new ReplayOptions { AfterEvent = (i, ok) => offsets[i] = a.OffsetOf(t.Events[i].Id) });
                if (tracer != null)
                {
                    Assert.Equal(t.Events.Length, tracer.Events);
                    Assert.Equal(0, tracer.Faults);
                }

                return offsets;
            }

            Assert.Equal(Offsets(false), Offsets(true));
        }
    }
}
