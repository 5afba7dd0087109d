// The heap map of the fixed scenario (as the second dump saw it: fragments of four sizes, a
// one-block hole, a 3-block object, the arena past the break): the model from the heap equals the
// one from the dump's MAP records, the scene colours each part as the legend says, and the PNG and
// SVG written hold those colours where the blocks are.
using System.IO;
using System.Linq;
using Checker.Nano.Dumps;
using SkiaSharp;
using Xunit;

namespace Checker.Nano.Cli.Tests
{
    public class MapTests
    {
        private static HeapMap FromHeap()
        {
            Scenario.Result s = Scenario.Run(stopBeforeLast: true);
            ParsedLog log = LogParser.ParseText(s.Log);
            var chunks = log.Dumps[1].Leaks.Select(l => new MapChunk { Offset = l.Address.Value - DebugHeap.HEADER_BYTES, Size = l.Size, Type = l.Type, Sub = l.Sub, Label = l.Site });
            return HeapMapBuilder.FromHeap(s.Heap, "scenario", chunks);
        }

        private static HeapMap FromDump()
        {
            ParsedLog log = LogParser.ParseFile(Golden.PathOf("scenario.log"));
            return HeapMapBuilder.FromDump(log.Dumps[1], log.Hellos[0], "scenario");
        }

        [Fact]
        public void Model_FromHeap_IsTheTable()
        {
            HeapMap m = FromHeap();
            Assert.Equal("1:frag64(59/64) 2:frag256(13/16) 3:frag1024(3/4) 4:free(1) 5:used(3) 8:frag128(31/32)",
                System.Text.RegularExpressions.Regex.Replace(Scenario.Run(stopBeforeLast: true).Heap.Describe(), @",(first|next) \d+", ""));
            Assert.Equal(new[]
            {
                new MapRun(1, 1, MapRunKind.Fragments, 64, 59), new MapRun(2, 1, MapRunKind.Fragments, 256, 13), new MapRun(3, 1, MapRunKind.Fragments, 1024, 3),
                new MapRun(4, 1, MapRunKind.Free, 0, 0), new MapRun(5, 3, MapRunKind.Object, 0, 0), new MapRun(8, 1, MapRunKind.Fragments, 128, 31),
            }, m.Entries);
            Assert.Equal(8, m.HeapBlocks);
            Assert.Equal(15, m.ArenaBlocks);
            Assert.Equal(59 + 13 + 3 + 31, m.FreeFragments.Count);
            Assert.Equal(388, m.FragmentationPerMille);
            Assert.True(m.TableKnown);
        }

        [Fact]
        public void Model_FromDump_MatchesTheHeap()
        {
            HeapMap fromDump = FromDump(), fromHeap = FromHeap();
            Assert.Equal(fromHeap.Entries, fromDump.Entries);
            Assert.Equal(fromHeap.HeapBase, fromDump.HeapBase);
            Assert.Equal(fromHeap.HeapBlocks, fromDump.HeapBlocks);
            Assert.Equal(fromHeap.FragmentationPerMille, fromDump.FragmentationPerMille);
            Assert.Equal(10, fromDump.Chunks.Count);
            Assert.Null(fromDump.FreeFragments);   // a dump says how many fragments are free, not which
            Assert.True(fromDump.TableKnown);
        }

        [Fact]
        public void Scene_ColoursEachPartAsTheLegendSays()
        {
            Scene s = HeapMapRenderer.Render(FromHeap());
            Assert.Equal(MapPalette.Free, s.Tagged("block:4").Single().Fill);
            Assert.All(new[] { 5, 6, 7 }, b => Assert.Equal(MapPalette.Normal, s.Tagged("block:" + b).Single().Fill));   // buffer.cs:31, 9000 bytes
            Assert.All(Enumerable.Range(9, 7), b => Assert.Equal(MapPalette.Unused, s.Tagged("block:" + b).Single().Fill));
            Assert.Equal(MapPalette.Client, s.Tagged("frag:0x000000C8").Single().Fill);   // history.cs:17's client block, header at 0xC8
            Assert.Equal(MapPalette.Normal, s.Tagged("frag:0x00000008").Single().Fill);   // sensor.cs:42 {1}
            Assert.Equal(MapPalette.Free, s.Tagged("frag:0x00000048").Single().Fill);     // sensor.cs:42 {2}, freed
            Assert.Equal(64 + 16 + 4 + 32, s.Shapes.OfType<SceneRect>().Count(r => r.Tag != null && r.Tag.StartsWith("frag:")));
            string[] texts = s.Texts().ToArray();
            Assert.Contains(texts, t => t.StartsWith("fragmentation 38.8%"));
            Assert.Contains(texts, t => t.Contains("blocks 4-4: 4 KiB"));
            Assert.Contains("heapinfo table", texts);
            Assert.Contains("Client block", texts);
        }

        private static SKColor Pixel(SKBitmap bmp, HeapMap m, int block, float fx = 0.5f, float fy = 0.5f)
        {
            (float x, float y, float size) = HeapMapRenderer.CellOf(m, block);
            return bmp.GetPixel((int)(x + (size * fx)), (int)(y + (size * fy)));
        }

        [Fact]
        public void Png_HasTheColoursWhereTheBlocksAre()
        {
            HeapMap m = FromHeap();
            Scene s = HeapMapRenderer.Render(m);
            using SKBitmap bmp = SKBitmap.Decode(s.ToPng());
            Assert.Equal(s.Width, bmp.Width);
            Assert.Equal(s.Height, bmp.Height);
            Assert.Equal(SKColor.Parse(MapPalette.Free), Pixel(bmp, m, 4, 0.5f, 0.85f));
            Assert.Equal(SKColor.Parse(MapPalette.Normal), Pixel(bmp, m, 6));
            Assert.Equal(SKColor.Parse(MapPalette.Unused), Pixel(bmp, m, 12));
            Assert.Equal(SKColors.White, bmp.GetPixel(2, bmp.Height - 2));
        }

        [Fact]
        public void MapCommand_OnTheLog_WritesPngAndSvg()
        {
            string dir = Golden.TempDir();
            string png = Path.Combine(dir, "heap.png"), svg = Path.Combine(dir, "heap.svg");
            CliRun r = CliRun.Of("map", Golden.PathOf("scenario.log"), "--dump", "2", "-o", png);
            Assert.True(r.Exit == 0, r.Err);
            Assert.Contains("6 table entries, 10 live block(s) placed, fragmentation 38.8%", r.Out);
            HeapMap m = FromDump();
            using (SKBitmap bmp = SKBitmap.Decode(png))
            {
                Assert.Equal(SKColor.Parse(MapPalette.Free), Pixel(bmp, m, 4, 0.5f, 0.85f));
                Assert.Equal(SKColor.Parse(MapPalette.Normal), Pixel(bmp, m, 5));
            }

            Assert.Equal(0, CliRun.Of("map", Golden.PathOf("scenario.log"), "--dump", "2", "-o", svg).Exit);
            string text = File.ReadAllText(svg);
            Assert.StartsWith("<svg ", text);
            Assert.Contains($"fill=\"{MapPalette.Free}\" stroke=\"#FFFFFF\" stroke-width=\"1\" data-tag=\"block:4\"", text);
            Assert.Contains("fragmentation 38.8%", text);
        }

        [Fact]
        public void MapCommand_OnTheHostBoardLog_DrawsTheTableFromItsMapRecords()
        {
            string png = Path.Combine(Golden.TempDir(), "host.png");
            CliRun r = CliRun.Of("map", Golden.PathOf("host-board.log"), "-o", png);
            Assert.True(r.Exit == 0, r.Err);
            Assert.DoesNotContain("note:", r.Err);
            Assert.Contains("4 table entries, 10 live block(s) placed, fragmentation 23.4%", r.Out);
            ParsedLog log = LogParser.ParseFile(Golden.PathOf("host-board.log"));
            Assert.All(log.Dumps.Where(d => d.Stat != null), d => Assert.NotNull(d.Map));
            Assert.Null(log.Dumps[0].Map);   // L: the leak sections only
            HeapMap m = HeapMapBuilder.FromDump(log.Dumps[^1], log.Hellos[0], "host");
            Assert.True(m.TableKnown);
            Assert.True(m.HeapBaseKnown);
            Assert.Equal(0x3880, m.HeapBase);   // above Checker's maps and the firmware's data zone
            Assert.Equal(new[]
            {
                new MapRun(1, 1, MapRunKind.Fragments, 64, 60), new MapRun(2, 1, MapRunKind.Free, 0, 0),
                new MapRun(3, 1, MapRunKind.Fragments, 128, 26), new MapRun(4, 1, MapRunKind.Free, 0, 0),
            }, m.Entries);

            // Every live debug block (LEAK) falls in a fragment block whose fragments hold it.
            Assert.Equal(10, m.Chunks.Count);
            foreach (MapChunk c in m.Chunks)
            {
                MapRun e = m.Entries.Single(x => c.Offset >= m.HeapBase + ((x.FirstBlock - 1) * 4096) && c.Offset < m.HeapBase + ((x.FirstBlock - 1 + x.Blocks) * 4096));
                Assert.Equal(MapRunKind.Fragments, e.Kind);
                Assert.True(c.Size <= e.FragmentSize && (c.Offset - m.HeapBase) % e.FragmentSize == 0, $"{c.Label}: {c.Size} bytes at 0x{c.Offset:X} in {e}");
            }

            Scene s = HeapMapRenderer.Render(m);
            Assert.Equal(MapPalette.Free, s.Tagged("block:2").Single().Fill);
            Assert.Equal(MapPalette.Free, s.Tagged("block:4").Single().Fill);
            Assert.Equal(MapPalette.Unused, s.Tagged("block:5").Single().Fill);
            using SKBitmap bmp = SKBitmap.Decode(png);
            Assert.Equal(SKColor.Parse(MapPalette.Free), Pixel(bmp, m, 2, 0.5f, 0.85f));
        }

        [Fact]
        public void MapCommand_OnALogWithoutMapRecords_DrawsWhatItCan()
        {
            // The host board's log as a rev 1 firmware wrote it, before MAP records.
            string png = Path.Combine(Golden.TempDir(), "host.png");
            CliRun r = CliRun.Of("map", Golden.PathOf("host-board.rev1.log"), "-o", png);
            Assert.True(r.Exit == 0, r.Err);
            Assert.Contains("heap table unknown", r.Err);
            ParsedLog log = LogParser.ParseFile(Golden.PathOf("host-board.rev1.log"));
            HeapMap m = HeapMapBuilder.FromDump(log.Dumps[^1], log.Hellos[0], "host");
            Scene s = HeapMapRenderer.Render(m);
            // The firmware's heap starts above Checker's maps and data zone; without MAP records the
            // heap base is not known, so it is assumed at 8 and said so.
            Assert.Contains("heap base assumed at 0x00000008", r.Err);
            Assert.Equal(MapPalette.Unknown, s.Tagged("block:1").Single().Fill);
            Assert.Equal(MapPalette.Unknown, s.Tagged("block:4").Single().Fill);   // 4 blocks in the heap (STAT)
            Assert.Equal(MapPalette.Unused, s.Tagged("block:5").Single().Fill);
        }
    }
}
