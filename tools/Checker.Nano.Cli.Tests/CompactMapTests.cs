// The heap map over the Compact policy (protocol rev 3): the MAP codes of its runs (F<size>/<free>/<k>),
// of its large objects, gaps and damage off block boundaries (u, h, x in bytes) and the record that
// starts inside a block (off=); corrupt codes are bad records, never crashes; a rev 2 dump keeps
// the rev 2 rules; the map of a Compact heap and the map of its own dump agree entry for entry;
// the picture cuts blocks at the entries' bytes.
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Checker.Nano.Dumps;
using SkiaSharp;
using Xunit;

namespace Checker.Nano.Cli.Tests
{
    public class CompactMapTests
    {
        /// <summary>A log of sealed records: HELLO (bs 256) unless <paramref name="hello"/> is false, BEGIN of <paramref name="rev"/>, the MAP bodies, END.</summary>
        private static ParsedLog Log(int rev, bool hello, params string[] maps)
        {
            var bodies = new List<string>();
            int n = 1;
            if (hello)
            {
                bodies.Add($"@CN1 HELLO n={n++} rev={rev} board=host app=t heap=65536 bs=256 lcap=256");
            }

            bodies.Add($"@CN1 BEGIN n={n++} d=1 why=call rev={rev}");
            foreach (string m in maps)
            {
                bodies.Add($"@CN1 MAP n={n++} d=1 {m}");
            }

            bodies.Add($"@CN1 END n={n} d=1 count={maps.Length}");
            return LogParser.ParseText(string.Join("\n", bodies.Select(RecordParser.Seal)) + "\n");
        }

        private static MapRun Bytes(int first, int blocks, MapRunKind kind, int offset, int bytes) => new MapRun(first, blocks, kind, 0, 0) { Offset = offset, Bytes = bytes };

        // Records.Map's own example (RecordTests.Record_Map_CompactRows_...): BLOCKSIZE 256, base 8.
        private static readonly MapRun[] Example =
        {
            new MapRun(1, 2, MapRunKind.Fragments, 56, 8),   // F56/8/2: a run of 2 blocks of 56-byte slots
            new MapRun(3, 1, MapRunKind.Fragments, 8, 31),   // F8/31
            Bytes(4, 2, MapRunKind.Object, 0, 304),          // u304 from the start of block 4 into block 5
            Bytes(5, 2, MapRunKind.Free, 48, 240),           // h240 from 48 bytes into block 5
            Bytes(6, 1, MapRunKind.Object, 32, 224),         // u224 ends on block 7
            new MapRun(7, 2, MapRunKind.Object, 0, 0),       // U2
            Bytes(9, 1, MapRunKind.Anomaly, 0, 48),          // x48
            Bytes(9, 1, MapRunKind.Anomaly, 48, 208),        // x208
            new MapRun(10, 1, MapRunKind.Anomaly, 0, 0),     // X
        };

        [Fact]
        public void Rev3Codes_ParseToTheirByteExtents()
        {
            ParsedLog log = Log(3, true, "base=0x00000008 at=1 runs=F56/8/2,F8/31,u304,h240,u224,U2,x48,x208,X");
            Assert.Empty(log.Skips);
            MapRecords m = log.Dumps[0].Map;
            Assert.Equal(8, m.HeapBase);
            Assert.Equal(0, m.MissingBlocks);
            Assert.Equal(Example, m.Runs);
            Assert.Equal(2560, m.Runs[^1].EndIn(256));   // 10 blocks
        }

        [Fact]
        public void Off_GoesOnInsideABlock_AndTheRecordsJoin()
        {
            ParsedLog log = Log(3, true, "base=0x00000008 at=1 runs=F56/8/2,F8/31,u304", "base=0x00000008 at=5 off=48 runs=h240,u224,U2,x48,x208,X");
            Assert.Empty(log.Skips);
            Assert.Equal(Example, log.Dumps[0].Map.Runs);
            Assert.Equal(0, log.Dumps[0].Map.MissingBlocks);

            // A record lost between them: the bytes no record describes, counted in blocks touched.
            log = Log(3, true, "base=0x00000008 at=1 runs=F56/8/2,F8/31", "base=0x00000008 at=5 off=48 runs=h240,u224,U2,x48,x208,X");
            Assert.Empty(log.Skips);
            Assert.Equal(2, log.Dumps[0].Map.MissingBlocks);   // block 4 and the first 48 bytes of block 5
            HeapMap map = HeapMapBuilder.FromDump(log.Dumps[0], log.Hellos[0], "lost");
            Assert.False(map.TableKnown);
            Assert.Contains("heap table partly lost: 2 block(s) not described", map.Notes);
        }

        [Theory]
        [InlineData("runs=u", "is not U<n>")]
        [InlineData("runs=h-5", "is not U<n>")]
        [InlineData("runs=x0", "is not U<n>")]
        [InlineData("runs=F56/8/0", "is not U<n>")]
        [InlineData("runs=F56/1/2/3", "is not U<n>")]
        [InlineData("runs=F57/1", "is not U<n>")]
        [InlineData("runs=F56", "is not U<n>")]
        [InlineData("runs=F56/10/1", "10 free slots, but 1 block(s) of 256 hold 4")]
        [InlineData("runs=F512/0", "do not fit 1 block(s) of 256")]
        [InlineData("runs=u24,U1", "starts 24 bytes into block 1")]
        [InlineData("runs=h40,F56/4/1", "starts 40 bytes into block 1")]
        [InlineData("off=300 runs=U1", "is not a byte offset inside block 1")]
        [InlineData("off=-8 runs=U1", "is not a byte offset inside block 1")]
        [InlineData("off=64 runs=X", "starts 64 bytes into block 1")]
        [InlineData("runs=U2147483647,U2", "runs past the last block number")]
        [InlineData("at=2147483647 runs=u24,U1", "starts 24 bytes into block")]
        [InlineData("at=2147483647 runs=U2", "runs past the last block number")]
        public void Rev3Codes_Corrupt_AreABadRecord_NotACrash(string fields, string why)
        {
            ParsedLog log = Log(3, true, (fields.StartsWith("at=") ? "base=0x00000008 " : "base=0x00000008 at=1 ") + fields);
            Checker.Nano.Dumps.Skip s = Assert.Single(log.Skips);
            Assert.Equal(SkipReason.BadField, s.Reason);
            Assert.Contains(why, s.Detail);
            Assert.Null(log.Dumps[0].Map);
            HeapMapRenderer.Render(HeapMapBuilder.FromDump(log.Dumps[0], log.Hellos[0], "bad"));   // and the map still draws
        }

        [Fact]
        public void ByteCodes_WithoutABlockSize_AreABadRecord()
        {
            // No STAT and no HELLO: whole-block codes still place themselves, bytes cannot.
            ParsedLog log = Log(3, false, "base=0x00000008 at=1 runs=F56/8/2,U1,H2");
            Assert.Empty(log.Skips);
            Assert.Equal(new[] { new MapRun(1, 2, MapRunKind.Fragments, 56, 8), new MapRun(3, 1, MapRunKind.Object, 0, 0), new MapRun(4, 2, MapRunKind.Free, 0, 0) }, log.Dumps[0].Map.Runs);
            log = Log(3, false, "base=0x00000008 at=1 runs=U1,u24");
            Assert.Contains("needs BLOCKSIZE", Assert.Single(log.Skips).Detail);
            log = Log(3, false, "base=0x00000008 at=2 off=16 runs=U1");
            Assert.Contains("needs BLOCKSIZE", Assert.Single(log.Skips).Detail);
        }

        [Fact]
        public void Rev2Dump_KeepsTheRev2Rules()
        {
            // What rev 2 did not define stays a bad record there, and off= an unknown field (ignored).
            Assert.Contains("is not U<n>, H<n>, F<size>/<free> or X", Assert.Single(Log(2, true, "base=0x00000008 at=1 runs=u304").Skips).Detail);
            Assert.Single(Log(2, true, "base=0x00000008 at=1 runs=F56/3").Skips);
            Assert.Single(Log(2, true, "base=0x00000008 at=1 runs=F56/8/2").Skips);
            ParsedLog log = Log(2, true, "base=0x00000008 at=2 off=48 runs=F128/31,H2");
            Assert.Empty(log.Skips);
            Assert.Equal(new[] { new MapRun(2, 1, MapRunKind.Fragments, 128, 31), new MapRun(3, 2, MapRunKind.Free, 0, 0) }, log.Dumps[0].Map.Runs);
            Assert.Equal(1, log.Dumps[0].Map.MissingBlocks);
        }

        private static (HeapMap FromHeap, HeapMap FromDump, ParsedLog Log, CompactScenario.Result S) Both()
        {
            CompactScenario.Result s = CompactScenario.Run();
            ParsedLog log = LogParser.ParseText(s.Log);
            Dump d = log.Dumps[0];
            var chunks = d.Leaks.Select(l => new MapChunk { Offset = l.Address.Value - DebugHeap.HEADER_BYTES, Size = l.Size + DebugHeap.OVERHEAD_BYTES, Type = l.Type, Label = l.Site });
            return (HeapMapBuilder.FromHeap(s.Heap, "compact", chunks), HeapMapBuilder.FromDump(d, log.Hellos[0], "compact"), log, s);
        }

        [Fact]
        public void CompactHeap_MapFromTheHeap_AndFromItsDump_AgreeEntryForEntry()
        {
            (HeapMap heap, HeapMap dump, ParsedLog log, CompactScenario.Result s) = Both();
            Assert.Empty(log.Skips);
            Assert.Contains(" off=", s.Log);   // the second MAP record starts inside a block
            Assert.Contains(",u", s.Log);
            Assert.Contains(",h", s.Log);
            Assert.Matches(@"F\d+/\d+/2", s.Log);
            Assert.Equal(heap.Entries, dump.Entries);
            Assert.Contains(heap.Entries, e => !e.Whole && e.Kind == MapRunKind.Object);
            Assert.Contains(heap.Entries, e => !e.Whole && e.Kind == MapRunKind.Free);
            Assert.Contains(heap.Entries, e => e.Kind == MapRunKind.Fragments && e.Blocks == 2);
            Assert.True(dump.TableKnown);
            Assert.Equal(heap.HeapBase, dump.HeapBase);
            Assert.Equal(heap.HeapBlocks, dump.HeapBlocks);
            Assert.Equal(s.Heap.HeapEnd - s.Heap.HeapStart, dump.HeapBytes);
            Assert.NotEqual(0, dump.HeapBytes % 256);   // the break lies inside the last block

            // The figures computed from the entries are the heap's own (a run's unused tail is neither used nor free).
            var summary = new HeapSummary();
            s.Heap.Summarize(summary);
            Assert.Equal(summary.FragmentationPerMille, heap.FragmentationPerMille);
            Assert.Equal(summary.FreeBytes, heap.FreeBytes);
            Assert.Equal(summary.LargestBytes, heap.LargestBytes);
            Assert.Equal(summary.Stats.BytesUsed, heap.UsedBytes);
            Assert.Equal(log.Dumps[0].Fragmentation.PerMille, dump.FragmentationPerMille);

            // Every live block (LEAK) lies at an object's start or on a slot of a run.
            Assert.Equal(CompactScenario.Sizes.Length - CompactScenario.Freed.Length, dump.Chunks.Count);
            foreach (MapChunk c in dump.Chunks)
            {
                MapRun e = dump.EntryAt(c.Offset).Value;
                bool placed = e.Kind == MapRunKind.Object ? c.Offset == dump.StartOf(e)
                    : e.Kind == MapRunKind.Fragments && (c.Offset - dump.StartOf(e)) % e.FragmentSize == 0 && c.Size <= e.FragmentSize;
                Assert.True(placed, $"{c.Label} at 0x{c.Offset:X} in {e}");
            }
        }

        [Fact]
        public void Scene_CutsBlocksAtTheEntriesBytes()
        {
            (HeapMap heap, HeapMap dump, _, _) = Both();
            foreach (HeapMap m in new[] { heap, dump })
            {
                Scene s = HeapMapRenderer.Render(m);
                MapRun gap = m.Entries.First(e => !e.Whole && e.Kind == MapRunKind.Free && e.Blocks > 2);   // h1200 at 1112: 80 bytes into block 5
                MapRun obj = m.Entries.First(e => !e.Whole && e.Kind == MapRunKind.Object);                 // u336 at 776: block 4 and 80 bytes of block 5
                Assert.Equal(MapPalette.Free, s.Tagged($"seg:0x{m.StartOf(gap):X8}").First().Fill);
                Assert.Equal(MapPalette.Normal, s.Tagged($"seg:0x{m.StartOf(obj):X8}").First().Fill);
                Assert.Equal(MapPalette.Normal, s.Tagged("block:4").Single().Fill);                      // wholly the object
                Assert.Equal(MapPalette.Free, s.Tagged("block:6").Single().Fill);                        // wholly the gap
                Assert.Single(s.Tagged("seg:past-break"));                                               // the break inside the last block
                Assert.Equal(MapPalette.Unused, s.Tagged("block:" + (m.HeapBlocks + 1)).Single().Fill);
                Assert.Equal(m.Entries.Count(e => e.Kind == MapRunKind.Fragments && e.Blocks > 1), s.Shapes.OfType<SceneRect>().Where(r => r.Tag != null && r.Tag.StartsWith("run:")).Select(r => r.Tag).Distinct().Count());
                string[] texts = s.Texts().ToArray();
                Assert.Contains(texts, t => t.Contains("0x458-0x907: 1200 B"));                         // the gap among the free runs, to the byte
                Assert.Contains(texts, t => t.Contains("used      336 B  from"));
            }

            // The pixels: block 5 is the object's last 80 bytes, then the gap.
            using SKBitmap bmp = SKBitmap.Decode(HeapMapRenderer.Render(dump).ToPng());
            (float x, float y, float size) = HeapMapRenderer.CellOf(dump, 5);
            Assert.Equal(SKColor.Parse(MapPalette.Normal), bmp.GetPixel((int)(x + (size * 0.15f)), (int)(y + (size * 0.5f))));
            Assert.Equal(SKColor.Parse(MapPalette.Free), bmp.GetPixel((int)(x + (size * 0.7f)), (int)(y + (size * 0.85f))));   // below the gap's label
        }

        [Fact]
        public void MapCommand_OnACompactLog_DrawsItsTable()
        {
            string dir = Golden.TempDir();
            string log = Path.Combine(dir, "compact.log"), svg = Path.Combine(dir, "compact.svg");
            File.WriteAllText(log, CompactScenario.Run().Log);
            CliRun r = CliRun.Of("map", log, "-o", svg);
            Assert.True(r.Exit == 0, r.Err);
            Assert.DoesNotContain("note:", r.Err);
            Assert.Contains("24 table entries, 21 live block(s) placed", r.Out);
            Assert.Contains("data-tag=\"seg:past-break\"", File.ReadAllText(svg));
        }
    }
}
