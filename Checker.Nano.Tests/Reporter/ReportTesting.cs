// Sinks and stand-ins the reporter tests share: a sink that can fail or disconnect on cue, fixed
// runtime figures, and a section shaped like the debug heap's (one text line, one LEAK record).
using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    /// <summary>A memory sink that throws or reports itself disconnected when told to.</summary>
    internal sealed class FlakySink : ReportSink
    {
        public readonly MemorySink Inner = new MemorySink();
        public bool Throw;
        public bool Connected = true;
        public int Calls;

        public override void Write(byte[] buffer, int offset, int count)
        {
            Calls++;
            if (Throw)
            {
                throw new System.InvalidOperationException("sink broken");
            }

            Inner.Write(buffer, offset, count);
        }

        public override bool IsConnected
        {
            get { return Connected; }
        }

        public string Text
        {
            get { return Inner.Text; }
        }
    }

    /// <summary>Two fixed figures: ESP32-like internal RAM and the managed heap's free bytes.</summary>
    internal sealed class FixedRuntimeMemory : RuntimeMemory
    {
        public override int Sample(RuntimeFigure[] figures)
        {
            figures[0].Set("internal", 327680, 120000, 65536);
            figures[1].Set("managed", -1, 34567, -1);
            return 2;
        }
    }

    /// <summary>A section shaped like the debug heap's leak list: one text line and one LEAK per dump.</summary>
    internal sealed class OneLeakSection : ReportSection
    {
        public int Address;
        public int Checks;

        public override int Kind
        {
            get { return Leaks; }
        }

        public override void WriteText(Reporter reporter)
        {
            reporter.Begin().Append("sensor.cs(42) : {7} normal block at ").AppendAddress(Address).Append(", 24 bytes long.").End();
        }

        public override void WriteRecords(Reporter reporter)
        {
            Records.Leak(reporter, 7, 1, -1, 24, Address, "/src/app/sensor.cs", 42, null, 0, 0);
        }

        public override int Check(Reporter reporter)
        {
            Checks++;
            return 0;
        }
    }

    internal static class ReportTesting
    {
        /// <summary>The host board's heap: 64 KiB arena, 4096-byte blocks.</summary>
        public static Heap NewHeap()
        {
            return new Heap(new byte[65536], 4096);
        }

        /// <summary>The body of a record line (before " *") with its suffix checked; fails the test if the suffix is wrong.</summary>
        public static string CheckedBody(string line)
        {
            int star = line.LastIndexOf(" *");
            Assert.IsTrue(star > 0, "no suffix: " + line);
            string body = line.Substring(0, star);
            string suffix = line.Substring(star + 2);
            int colon = suffix.IndexOf(':');
            Assert.AreEqual(body.Length.ToString(), suffix.Substring(0, colon), "length of " + line);
            byte[] bytes = new byte[body.Length];
            for (int i = 0; i < body.Length; i++)
            {
                bytes[i] = (byte)body[i];
            }

            Assert.AreEqual(Reporter.Crc16(bytes, 0, bytes.Length).ToString("X4"), suffix.Substring(colon + 1), "CRC of " + line);
            return body;
        }

        /// <summary>The record line of <paramref name="body"/>: the body and its suffix " *LEN:CRC".</summary>
        public static string Sealed(string body)
        {
            byte[] bytes = new byte[body.Length];
            for (int i = 0; i < body.Length; i++)
            {
                bytes[i] = (byte)body[i];
            }

            return body + " *" + body.Length.ToString() + ":" + Reporter.Crc16(bytes, 0, bytes.Length).ToString("X4");
        }

        /// <summary>The lines of <paramref name="text"/> (split at '\n', the empty tail dropped).</summary>
        public static string[] Lines(string text)
        {
            string[] parts = text.Split('\n');
            int n = parts.Length;
            if (n > 0 && parts[n - 1].Length == 0)
            {
                n--;
            }

            string[] lines = new string[n];
            for (int i = 0; i < n; i++)
            {
                lines[i] = parts[i];
            }

            return lines;
        }
    }
}
