// Host only: where OutputHelper's text goes. The bridge installs a sink for each running test;
// the sink flows with the test's ExecutionContext (AsyncLocal), so threads a test starts write
// to the same test. Without a sink, text goes to the console.
using System;
using System.Text;
using System.Threading;

namespace Checker.Nano.Tests.Host
{
    internal static class TestOutput
    {
        private static readonly AsyncLocal<Sink> Current = new AsyncLocal<Sink>();

        /// <summary>Receives whole lines for the current test until disposed; Write() without newline is buffered.</summary>
        internal static IDisposable Begin(Action<string> writeLine)
        {
            var sink = new Sink(writeLine);
            Current.Value = sink;
            return sink;
        }

        internal static void Write(string message)
        {
            Sink sink = Current.Value;
            if (sink == null || !sink.TryWrite(message, newLine: false))
            {
                Console.Write(message ?? string.Empty);
            }
        }

        internal static void WriteLine(string message)
        {
            Sink sink = Current.Value;
            if (sink == null || !sink.TryWrite(message, newLine: true))
            {
                Console.WriteLine(message ?? string.Empty);
            }
        }

        private sealed class Sink : IDisposable
        {
            private readonly object _gate = new object();
            private readonly StringBuilder _partial = new StringBuilder();
            private Action<string> _writeLine;

            internal Sink(Action<string> writeLine)
            {
                _writeLine = writeLine;
            }

            internal bool TryWrite(string message, bool newLine)
            {
                lock (_gate)
                {
                    if (_writeLine == null)
                    {
                        return false;
                    }

                    _partial.Append(message ?? string.Empty);
                    string text = _partial.ToString();
                    int lastBreak = newLine ? text.Length : text.LastIndexOf('\n');
                    if (lastBreak < 0)
                    {
                        return true;
                    }

                    string complete = text.Substring(0, lastBreak);
                    _partial.Clear();
                    _partial.Append(text, newLine ? text.Length : lastBreak + 1, newLine ? 0 : text.Length - lastBreak - 1);
                    return Emit(complete);
                }
            }

            private bool Emit(string lines)
            {
                try
                {
                    foreach (string line in lines.Replace("\r\n", "\n").Split('\n'))
                    {
                        _writeLine(line);
                    }

                    return true;
                }
                catch (InvalidOperationException)
                {
                    // The test already finished (e.g. a thread it started outlived it).
                    _writeLine = null;
                    Console.WriteLine(lines);
                    return true;
                }
            }

            public void Dispose()
            {
                lock (_gate)
                {
                    if (_writeLine != null && _partial.Length > 0)
                    {
                        Emit(_partial.ToString());
                        _partial.Clear();
                    }

                    _writeLine = null;
                }
            }
        }
    }
}
