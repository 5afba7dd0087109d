using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class ReporterTests
    {
        [TestMethod]
        public void Line_Text_EndsWithNewline()
        {
            MemorySink sink = new MemorySink();
            Reporter r = new Reporter(sink);
            r.Begin().Append("block at ").AppendAddress(0xA010).Append(", ").Append(24).Append(" bytes").End();
            r.Begin().Append('[').AppendPadded(7, 4).Append(']').Append(-12L).End();
            r.Begin().AppendPerMille(128).Append(' ').AppendPerMille(5).Append(' ').AppendFileName("C:\\src\\app/sensor.cs").End();
            Assert.AreEqual("block at 0x0000A010, 24 bytes\n[   7]-12\n12.8% 0.5% sensor.cs\n", sink.Text);
            Assert.AreEqual(3, r.Written);
        }

        [TestMethod]
        public void Line_LongerThanCapacity_IsCutWithDots()
        {
            MemorySink sink = new MemorySink();
            Reporter r = new Reporter(sink, 16);
            r.Line("0123456789abcdefXYZ");
            Assert.AreEqual("0123456789abc...\n", sink.Text);
        }

        [TestMethod]
        public void Sink_Throwing_CountsDroppedThenReportsThem()
        {
            FlakySink sink = new FlakySink();
            Reporter r = new Reporter(sink);
            r.Line("one");
            sink.Throw = true;
            r.Line("two");
            r.Line("three");
            Assert.AreEqual(2, r.Dropped);
            sink.Throw = false;
            r.Line("four");
            Assert.AreEqual(0, r.Dropped);
            Assert.AreEqual("one\n[reporter] 2 line(s) dropped\n@CN1 DROP lines=2 *17:"
                + DropCrc(2) + "\nfour\n", sink.Text);
        }

        [TestMethod]
        public void Sink_Disconnected_IsNotWrittenAndLossIsReported()
        {
            FlakySink sink = new FlakySink();
            Reporter r = new Reporter(sink);
            sink.Connected = false;
            r.Line("lost");
            Assert.AreEqual(0, sink.Calls);
            Assert.AreEqual(1, r.Dropped);
            sink.Connected = true;
            r.Forms = ReportForm.Text;
            r.Line("back");
            Assert.AreEqual("[reporter] 1 line(s) dropped\nback\n", sink.Text);
        }

        [TestMethod]
        public void Sink_Null_CountsDropped()
        {
            Reporter r = new Reporter(null);
            r.Line("nowhere");
            r.BeginRecord(Records.NOTE).FieldText("what", "x").EndRecord();
            Assert.AreEqual(2, r.Dropped);
            MemorySink sink = new MemorySink();
            r.Sink = sink;
            r.Forms = ReportForm.Records;
            r.BeginRecord(Records.NOTE).FieldText("what", "y").EndRecord();
            string[] lines = ReportTesting.Lines(sink.Text);
            Assert.AreEqual(2, lines.Length);
            Assert.AreEqual("@CN1 DROP lines=2", ReportTesting.CheckedBody(lines[0]));
            Assert.AreEqual("@CN1 NOTE n=2 what=y", ReportTesting.CheckedBody(lines[1]));
        }

        [TestMethod]
        public void Sink_ThrowingWhileNoteIsWritten_KeepsCounting()
        {
            FlakySink sink = new FlakySink();
            Reporter r = new Reporter(sink);
            r.Forms = ReportForm.Text;
            sink.Throw = true;
            r.Line("a");
            r.Line("b");
            r.Line("c");
            Assert.AreEqual(3, r.Dropped);
            Assert.AreEqual(3, sink.Calls);
            sink.Throw = false;
            r.Line("d");
            Assert.AreEqual("[reporter] 3 line(s) dropped\nd\n", sink.Text);
        }

        [TestMethod]
        public void Forms_TextOnly_DiscardsRecordsWithoutCountingThem()
        {
            MemorySink sink = new MemorySink();
            Reporter r = new Reporter(sink);
            r.Forms = ReportForm.Text;
            r.BeginRecord(Records.NOTE).FieldText("what", "x").EndRecord();
            r.Line("text");
            Assert.AreEqual("text\n", sink.Text);
            Assert.AreEqual(0, r.Dropped);
            Assert.AreEqual(0, r.RecordNumber);
        }

        [TestMethod]
        public void Forms_RecordsOnly_DiscardsText()
        {
            MemorySink sink = new MemorySink();
            Reporter r = new Reporter(sink);
            r.Forms = ReportForm.Records;
            r.Line("text");
            r.BeginRecord(Records.NOTE).FieldText("what", "x").EndRecord();
            Assert.AreEqual("@CN1 NOTE n=1 what=x *20:" + Crc("@CN1 NOTE n=1 what=x") + "\n", sink.Text);
        }

        private static string DropCrc(int lines)
        {
            return Crc("@CN1 DROP lines=" + lines.ToString());
        }

        internal static string Crc(string body)
        {
            byte[] bytes = new byte[body.Length];
            for (int i = 0; i < body.Length; i++)
            {
                bytes[i] = (byte)body[i];
            }

            return Reporter.Crc16(bytes, 0, bytes.Length).ToString("X4");
        }
    }
}
