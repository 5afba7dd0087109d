// A sink for System.Diagnostics.Debug.WriteLine: the Visual Studio / VS Code output window when
// a debugger is attached to the device. Debug.WriteLine is [Conditional("DEBUG")] and the
// condition is decided where the call is compiled, so this file defines DEBUG for itself: the
// calls stay in a Release build of the library too.
#define DEBUG
namespace Checker.Nano
{
    /// <summary>Writes each line with Debug.WriteLine (one string per line: allocates).</summary>
    public sealed class DebugSink : ReportSink
    {
        /// <summary>Writes the lines, without their '\n' (Debug.WriteLine adds its own).</summary>
        public override void Write(byte[] buffer, int offset, int count)
        {
            int start = offset;
            int end = offset + count;
            for (int i = offset; i < end; i++)
            {
                if (buffer[i] == (byte)'\n')
                {
                    System.Diagnostics.Debug.WriteLine(Text(buffer, start, i - start));
                    start = i + 1;
                }
            }

            if (start < end)
            {
                System.Diagnostics.Debug.WriteLine(Text(buffer, start, end - start));
            }
        }

        private static string Text(byte[] buffer, int offset, int count)
        {
            char[] chars = new char[count];
            for (int i = 0; i < count; i++)
            {
                chars[i] = (char)buffer[offset + i];
            }

            return new string(chars);
        }
    }
}
