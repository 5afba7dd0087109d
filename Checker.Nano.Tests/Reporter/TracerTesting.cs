// What the heap tracer's tests share (linked into the DebugHeap and Checker test assemblies): a
// clock the test sets, and the record lines of a sink without their suffixes (each suffix checked).
using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    /// <summary>A clock that says what the test sets.</summary>
    internal sealed class TestClock : TraceClock
    {
        public long Ms;

        public TestClock(long ms)
        {
            Ms = ms;
        }

        public override long NowMs
        {
            get { return Ms; }
        }
    }

    /// <summary>A clock that throws: the tracer must catch it and the heap go on.</summary>
    internal sealed class BrokenClock : TraceClock
    {
        public override long NowMs
        {
            get { throw new System.InvalidOperationException("clock broken"); }
        }
    }

    internal static class TracerTesting
    {
        /// <summary>Every line of <paramref name="text"/>, records with their suffix checked and cut off, joined by '\n'.</summary>
        public static string Bodies(string text)
        {
            string[] lines = ReportTesting.Lines(text);
            string all = "";
            for (int i = 0; i < lines.Length; i++)
            {
                string line = lines[i].StartsWith("@CN1 ") ? ReportTesting.CheckedBody(lines[i]) : lines[i];
                all = i == 0 ? line : all + "\n" + line;
            }

            return all;
        }

        /// <summary>How many lines of <paramref name="text"/> start with <paramref name="prefix"/>.</summary>
        public static int Count(string text, string prefix)
        {
            string[] lines = ReportTesting.Lines(text);
            int n = 0;
            for (int i = 0; i < lines.Length; i++)
            {
                if (lines[i].StartsWith(prefix))
                {
                    n++;
                }
            }

            return n;
        }

        /// <summary>The value of " key=" in <paramref name="line"/> (up to the next space), or null.</summary>
        public static string Field(string line, string key)
        {
            int at = line.IndexOf(" " + key + "=");
            if (at < 0)
            {
                return null;
            }

            int start = at + key.Length + 2;
            int end = line.IndexOf(' ', start);
            return end < 0 ? line.Substring(start) : line.Substring(start, end - start);
        }
    }
}
