using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class RecordTests
    {
        [TestMethod]
        public void Crc16_CheckValue_Is29B1()
        {
            // CRC-16/CCITT-FALSE's published check value: the CRC of the ASCII bytes "123456789".
            byte[] data = new byte[] { 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39 };
            Assert.AreEqual(0x29B1, Reporter.Crc16(data, 0, data.Length));
            Assert.AreEqual(0xFFFF, Reporter.Crc16(data, 0, 0));
        }

        [TestMethod]
        public void Record_Hello_ExactLine()
        {
            MemorySink sink = new MemorySink();
            Reporter r = new Reporter(sink);
            Records.Hello(r, "esp32", "sensor-logger", 262144, 2048);
            Assert.AreEqual("@CN1 HELLO n=1 rev=4 board=esp32 app=sensor-logger heap=262144 bs=2048 lcap=256 *79:"
                + ReporterTests.Crc("@CN1 HELLO n=1 rev=4 board=esp32 app=sensor-logger heap=262144 bs=2048 lcap=256") + "\n", sink.Text);
        }

        [TestMethod]
        public void Record_Text_IsPercentEncoded()
        {
            MemorySink sink = new MemorySink();
            Reporter r = new Reporter(sink);
            r.BeginRecord(Records.NOTE).FieldText("text", "a b%c=d*e@f\u00e9\u20ac").FieldText("empty", "").FieldText("none", null).EndRecord();
            string body = ReportTesting.CheckedBody(ReportTesting.Lines(sink.Text)[0]);
            Assert.AreEqual("@CN1 NOTE n=1 text=a%20b%25c%3Dd%2Ae%40f%C3%A9%E2%82%AC empty=", body);
        }

        [TestMethod]
        public void Record_Fields_AddressHexBytesFileName()
        {
            MemorySink sink = new MemorySink();
            Reporter r = new Reporter(sink);
            byte[] data = new byte[] { 0xCD, 0x00, 0x7F, 0x0A };
            r.BeginRecord(Records.LEAK).FieldAddress("addr", 0xA010).FieldHex("b", 0x7A, 2).FieldBytes("data", data, 1, 3)
                .FieldFileName("file", "C:\\Users\\me\\src/app\\sensor.cs").Field("neg", -5).EndRecord();
            string body = ReportTesting.CheckedBody(ReportTesting.Lines(sink.Text)[0]);
            Assert.AreEqual("@CN1 LEAK n=1 addr=0x0000A010 b=0x7A data=007F0A file=sensor.cs neg=-5", body);
        }

        [TestMethod]
        public void Record_TooLong_DropsLastFieldsAndSaysCut()
        {
            MemorySink sink = new MemorySink();
            Reporter r = new Reporter(sink, 64);
            r.BeginRecord(Records.NOTE).Field("a", 1).FieldText("long", "0123456789012345678901234567890123456789").Field("b", 2).EndRecord();
            string line = ReportTesting.Lines(sink.Text)[0];
            Assert.AreEqual("@CN1 NOTE n=1 a=1 cut=1", ReportTesting.CheckedBody(line));
            Assert.IsTrue(line.Length <= 64, line);
        }

        [TestMethod]
        public void Record_AtCapacity_KeepsItsSuffix()
        {
            // Fill a record to exactly what fits: the suffix must still be whole.
            for (int extra = 0; extra < 40; extra++)
            {
                MemorySink sink = new MemorySink();
                Reporter r = new Reporter(sink, 64);
                r.BeginRecord(Records.NOTE).FieldText("t", new string('x', extra)).EndRecord();
                string line = ReportTesting.Lines(sink.Text)[0];
                ReportTesting.CheckedBody(line);
                Assert.IsTrue(line.Length <= 64, line);
            }
        }

        [TestMethod]
        public void Records_InDump_CarryDumpNumberAndEndCounts()
        {
            MemorySink sink = new MemorySink();
            Reporter r = new Reporter(sink);
            r.Forms = ReportForm.Records;
            Records.Note(r, "before", null);
            Assert.AreEqual(1, r.BeginDump("call", 1500));
            Records.Objects(r, 1, 2, 8192);
            Records.Holes(r, 0, 0, 0, 0);
            r.EndDump();
            Assert.AreEqual(2, r.BeginDump("timer", -1));
            r.EndDump();
            Records.Note(r, "after", null);
            string[] lines = ReportTesting.Lines(sink.Text);
            string[] expected = new string[]
            {
                "@CN1 NOTE n=1 what=before",
                "@CN1 BEGIN n=2 d=1 why=call t=1500 rev=4",
                "@CN1 OBJS n=3 d=1 count=1 blocks=2 bytes=8192",
                "@CN1 HOLES n=4 d=1 count=0 blocks=0 largest=0 top=0",
                "@CN1 END n=5 d=1 count=2",
                "@CN1 BEGIN n=6 d=2 why=timer rev=4",
                "@CN1 END n=7 d=2 count=0",
                "@CN1 NOTE n=8 what=after",
            };
            Assert.AreEqual(expected.Length, lines.Length);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.AreEqual(expected[i], ReportTesting.CheckedBody(lines[i]));
            }
        }

        [TestMethod]
        public void Records_Writers_ExactBodies()
        {
            MemorySink sink = new MemorySink();
            Reporter r = new Reporter(sink);
            byte[] data = new byte[] { 0xCD, 0xCD, 0x41 };
            Records.BlockType(r, 1, "Normal", -1, 3, 72);
            Records.BlockType(r, 4, "Client", 2, 1, 16);
            Records.Peak(r, 4096, 100000L, 52);
            Records.Leak(r, 87, 1, -1, 40, 0x1C10, "/src/logger.cs", 12, data, 0, 3);
            Records.Garbage(r, 1, Records.GarbageMaybe, 3, 96, 0x2000, 4, 2, "logger.cs", 30);
            Records.Error(r, 2, "double-free", "free", 0x1C10, -1, 0x1C10, 40, 87, 1, "logger.cs", 51, "logger.cs", 12);
            Records.Check(r, "heap", 0, null);
            Records.RuntimeMemory(r, "managed", -1, 34567, -1);
            Records.IgnoredCommands(r, 3, 0x7A);
            string[] expected = new string[]
            {
                "@CN1 TYPE n=1 type=1 name=Normal count=3 bytes=72",
                "@CN1 TYPE n=2 type=4 name=Client sub=2 count=1 bytes=16",
                "@CN1 PEAK n=3 max=4096 total=100000 allocs=52",
                "@CN1 LEAK n=4 req=87 type=1 size=40 addr=0x00001C10 line=12 file=logger.cs data=CDCD41",
                "@CN1 GARB n=5 fam=1 kind=maybe count=3 bytes=96 addr=0x00002000 type=4 sub=2 line=30 file=logger.cs",
                "@CN1 ERR n=6 code=2 name=double-free op=free addr=0x00001C10 block=0x00001C10 bsize=40 req=87 type=1 line=51 file=logger.cs aline=12 afile=logger.cs",
                "@CN1 CHECK n=7 what=heap ok=1 problems=0",
                "@CN1 RTMEM n=8 kind=managed free=34567",
                "@CN1 NOTE n=9 what=cmd-ignored count=3 first=0x7A",
            };
            string[] lines = ReportTesting.Lines(sink.Text);
            Assert.AreEqual(expected.Length, lines.Length);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.AreEqual(expected[i], ReportTesting.CheckedBody(lines[i]));
            }
        }

        // Rows as BaseHeap.WalkTable writes them (offset, bytes, state, free) for a heap of 4096-byte
        // blocks whose block 1 is at heapBase: the seed's policy.
        private static int[] MapRows(int heapBase)
        {
            return new int[]
            {
                heapBase, 4096, 128, 31,                                   // block 1: 128-byte fragments, 31 free
                heapBase + 4096, 8192, BaseHeap.WalkFree, 0,               // blocks 2-3: a free cluster
                heapBase + (3 * 4096), 4096, 32, 127,                      // block 4: 32-byte fragments
                heapBase + (4 * 4096), 3 * 4096, BaseHeap.WalkObject, 0,   // blocks 5-7: an object
                heapBase + (7 * 4096), 4096, BaseHeap.WalkAnomaly, 0,      // block 8: an entry that should start something
                heapBase + (8 * 4096), 4096, BaseHeap.WalkFree, 0,         // block 9
            };
        }

        [TestMethod]
        public void Record_Map_CompactRows_RunsOfBlocksAndByteGranularItems()
        {
            // The Compact policy at BLOCKSIZE 256 (base 8: block k starts at 8 + (k - 1) * 256): a
            // run of 2 blocks of 56-byte slots, a run of one block of 8-byte slots, a large object
            // of 304 bytes, a gap of 240 (from 48 bytes into block 5), an object of 224 that ends on
            // block 7, an object of 2 whole blocks, then damage: 48 bytes, 208 bytes, a whole block.
            int[] rows = new int[]
            {
                8, 512, 56, 8,
                520, 256, 8, 31,
                776, 304, BaseHeap.WalkObject, 0,
                1080, 240, BaseHeap.WalkFree, 0,
                1320, 224, BaseHeap.WalkObject, 0,
                1544, 512, BaseHeap.WalkObject, 0,
                2056, 48, BaseHeap.WalkAnomaly, 0,
                2104, 208, BaseHeap.WalkAnomaly, 0,
                2312, 256, BaseHeap.WalkAnomaly, 0,
            };
            MemorySink sink = new MemorySink();
            Reporter r = new Reporter(sink);
            Assert.AreEqual(9, Records.Map(r, 8, 8, rows, 0, 9));
            Assert.AreEqual(9, Records.Map(r, 8, 8, rows, 3, 9));
            string[] lines = ReportTesting.Lines(sink.Text);
            Assert.AreEqual("@CN1 MAP n=1 base=0x00000008 at=1 runs=F56/8/2,F8/31,u304,h240,u224,U2,x48,x208,X", ReportTesting.CheckedBody(lines[0]));
            Assert.AreEqual("@CN1 MAP n=2 base=0x00000008 at=5 off=48 runs=h240,u224,U2,x48,x208,X", ReportTesting.CheckedBody(lines[1]));
        }

        [TestMethod]
        public void Record_Map_DamageOfSeveralWholeBlocks_IsCountedInBytes()
        {
            // x counts bytes: an anomaly row of two whole blocks (256 each) is x512, not x2 (which a
            // reader takes for 2 bytes); one whole block stays X.
            int[] rows = new int[]
            {
                8, 512, BaseHeap.WalkAnomaly, 0,
                520, 256, BaseHeap.WalkAnomaly, 0,
                776, 256, BaseHeap.WalkFree, 0,
            };
            MemorySink sink = new MemorySink();
            Reporter r = new Reporter(sink);
            Assert.AreEqual(3, Records.Map(r, 8, 8, rows, 0, 3));
            Assert.AreEqual("@CN1 MAP n=1 base=0x00000008 at=1 runs=x512,X,H1", ReportTesting.CheckedBody(ReportTesting.Lines(sink.Text)[0]));
        }

        [TestMethod]
        public void Record_Map_ExactBody()
        {
            MemorySink sink = new MemorySink();
            Reporter r = new Reporter(sink);
            Assert.AreEqual(6, Records.Map(r, 0x48, 12, MapRows(0x48), 0, 6));
            Assert.AreEqual(4, Records.Map(r, 0x48, 12, MapRows(0x48), 3, 4));
            Records.Map(r, 8, 12, new int[0], 0, 0);
            string[] lines = ReportTesting.Lines(sink.Text);
            Assert.AreEqual(3, lines.Length);
            Assert.AreEqual("@CN1 MAP n=1 base=0x00000048 at=1 runs=F128/31,H2,F32/127,U3,X,H1", ReportTesting.CheckedBody(lines[0]));
            Assert.AreEqual("@CN1 MAP n=2 base=0x00000048 at=5 runs=U3", ReportTesting.CheckedBody(lines[1]));
            Assert.AreEqual("@CN1 MAP n=3 base=0x00000008 at=1 runs=", ReportTesting.CheckedBody(lines[2]));   // an empty table
        }

        [TestMethod]
        public void Record_Map_BreaksBetweenEntriesAtTheLineCapacity()
        {
            // 200 fragment blocks: each record ends with a whole entry before the line is full,
            // and the next goes on at the block after it.
            int[] rows = new int[200 * BaseHeap.WALK_WORDS];
            for (int i = 0; i < 200; i++)
            {
                rows[i * BaseHeap.WALK_WORDS] = 8 + (i * 4096);
                rows[(i * BaseHeap.WALK_WORDS) + 1] = 4096;
                rows[(i * BaseHeap.WALK_WORDS) + 2] = 1 << (4 + (i % 7));
                rows[(i * BaseHeap.WALK_WORDS) + 3] = i % 100;
            }

            MemorySink sink = new MemorySink();
            Reporter r = new Reporter(sink, 120);
            int row = 0;
            int records = 0;
            do
            {
                row = Records.Map(r, 8, 12, rows, row, 200);
                records++;
            }
            while (row < 200);

            string[] lines = ReportTesting.Lines(sink.Text);
            Assert.AreEqual(records, lines.Length);
            Assert.IsTrue(records > 5, "records: " + records);
            int next = 1;
            for (int i = 0; i < lines.Length; i++)
            {
                Assert.IsTrue(lines[i].Length <= 120, lines[i]);
                string body = ReportTesting.CheckedBody(lines[i]);
                Assert.IsFalse(body.IndexOf("cut=1") >= 0, body);
                int at = body.IndexOf(" at=");
                int runs = body.IndexOf(" runs=");
                Assert.AreEqual(next, int.Parse(body.Substring(at + 4, runs - at - 4)), body);
                string[] items = body.Substring(runs + 6).Split(',');
                for (int k = 0; k < items.Length; k++)
                {
                    int block = next - 1;
                    string expected = "F" + rows[(block * BaseHeap.WALK_WORDS) + 2].ToString() + "/" + rows[(block * BaseHeap.WALK_WORDS) + 3].ToString();
                    Assert.AreEqual(expected, items[k], body);
                    next++;
                }

                if (i < lines.Length - 1)
                {
                    // the next entry would not have fitted: a body holds at most 120 - 20 characters
                    int block = next - 1;
                    string following = "," + "F" + rows[(block * BaseHeap.WALK_WORDS) + 2].ToString() + "/" + rows[(block * BaseHeap.WALK_WORDS) + 3].ToString();
                    Assert.IsTrue(body.Length + following.Length > 100, body);
                }
            }

            Assert.AreEqual(201, next);
        }

        [TestMethod]
        public void Record_Map_EntryThatDoesNotFitAlone_IsCutAndTheWriterGoesOn()
        {
            // 64 characters leave 4 for the entries after the record's head: an entry longer than
            // that is left out with its field (cut=1, no runs: the reader sees those blocks as not
            // described), a shorter one is written, and the loop ends.
            MemorySink sink = new MemorySink();
            Reporter r = new Reporter(sink, 64);
            int[] rows = MapRows(8);
            int row = 0;
            int records = 0;
            while (row < 6 && records < 100)
            {
                row = Records.Map(r, 8, 12, rows, row, 6);
                records++;
            }

            string[] expected = new string[]
            {
                "@CN1 MAP n=1 base=0x00000008 at=1 cut=1",
                "@CN1 MAP n=2 base=0x00000008 at=2 runs=H2",
                "@CN1 MAP n=3 base=0x00000008 at=4 cut=1",
                "@CN1 MAP n=4 base=0x00000008 at=5 runs=U3,X",
                "@CN1 MAP n=5 base=0x00000008 at=9 runs=H1",
            };
            string[] lines = ReportTesting.Lines(sink.Text);
            Assert.AreEqual(expected.Length, records);
            Assert.AreEqual(expected.Length, lines.Length);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.AreEqual(expected[i], ReportTesting.CheckedBody(lines[i]));
                Assert.IsTrue(lines[i].Length <= 64, lines[i]);
            }
        }

        [TestMethod]
        public void Record_BeginField_ValueWrittenPieceByPiece_OrLeftOutWhole()
        {
            MemorySink sink = new MemorySink();
            Reporter r = new Reporter(sink, 64);
            r.BeginRecord(Records.NOTE).BeginField("list").Append(1).Append(',').Append(22).EndField().Field("b", 2).EndRecord();
            r.BeginRecord(Records.NOTE).Field("a", 1).BeginField("long").Append("0123456789012345678901234567890123456789").EndField()
                .BeginField("x").Append(7).EndField().EndRecord();
            r.BeginRecord(Records.NOTE).BeginField("open").Append(5).EndRecord();   // EndRecord closes it
            Assert.AreEqual(0, r.RecordRoom);   // outside a record: no room
            r.BeginRecord(Records.NOTE);
            Assert.AreEqual(64 - 20 - "@CN1 NOTE n=4".Length, r.RecordRoom);
            r.EndRecord();
            string[] lines = ReportTesting.Lines(sink.Text);
            Assert.AreEqual("@CN1 NOTE n=1 list=1,22 b=2", ReportTesting.CheckedBody(lines[0]));
            Assert.AreEqual("@CN1 NOTE n=2 a=1 cut=1", ReportTesting.CheckedBody(lines[1]));
            Assert.AreEqual("@CN1 NOTE n=3 open=5", ReportTesting.CheckedBody(lines[2]));
        }
    }
}
