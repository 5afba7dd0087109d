// Where reports go. A sink takes finished lines as ASCII bytes (so a UART sink can write them
// without making strings); the reporter owns the buffer they are formatted in.
// The UART sink lives with the board firmware (boards/common/SerialSink.cs), because
// System.IO.Ports is an assembly of its own on nanoFramework and the library does not depend on it.
namespace Checker.Nano
{
    /// <summary>Takes finished report lines as bytes, newline included.</summary>
    public abstract class ReportSink
    {
        /// <summary>Writes <paramref name="count"/> bytes of one or more whole lines. May throw; the reporter counts the loss.</summary>
        public abstract void Write(byte[] buffer, int offset, int count);

        /// <summary>
        /// Whether the sink can take lines now (default true). A sink that says no is not written
        /// to: the reporter counts the line as dropped and reports the count when the sink is back.
        /// </summary>
        public virtual bool IsConnected
        {
            get { return true; }
        }
    }

    /// <summary>A sink that keeps everything in memory, for tests and for the host.</summary>
    public sealed class MemorySink : ReportSink
    {
        private byte[] _data = new byte[1024];
        private int _length;

        /// <summary>Appends the bytes.</summary>
        public override void Write(byte[] buffer, int offset, int count)
        {
            if (_length + count > _data.Length)
            {
                int size = _data.Length * 2;
                while (size < _length + count)
                {
                    size *= 2;
                }

                byte[] bigger = new byte[size];
                System.Array.Copy(_data, bigger, _length);
                _data = bigger;
            }

            System.Array.Copy(buffer, offset, _data, _length, count);
            _length += count;
        }

        /// <summary>Bytes written so far.</summary>
        public int Length
        {
            get { return _length; }
        }

        /// <summary>Everything written so far as text ('\n' between lines).</summary>
        public string Text
        {
            get
            {
                char[] chars = new char[_length];
                for (int i = 0; i < _length; i++)
                {
                    chars[i] = (char)_data[i];
                }

                return new string(chars);
            }
        }

        /// <summary>Forgets what was written.</summary>
        public void Clear()
        {
            _length = 0;
        }
    }

    /// <summary>A sink that prints lines with Console.Write (the PC, or the device's console).</summary>
    public sealed class ConsoleSink : ReportSink
    {
        /// <summary>Prints the bytes as text.</summary>
        public override void Write(byte[] buffer, int offset, int count)
        {
            char[] chars = new char[count];
            for (int i = 0; i < count; i++)
            {
                chars[i] = (char)buffer[offset + i];
            }

            System.Console.Write(new string(chars));
        }
    }
}
