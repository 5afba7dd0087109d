// The reporter: the one path every layer's text goes through (base statistics, debug-heap dumps
// and checks, Checker errors, garbage reports). A line is built in a preallocated buffer with
// Begin / Append... / End and handed to the sink as bytes; building a line allocates nothing on
// the managed heap. Not thread-safe by itself: the layers call it under the heap's lock.
// A sink that throws loses the line, not the firmware: the loss is counted and reported in a
// line of its own when the sink works again.
namespace Checker.Nano
{
    /// <summary>Formats report lines into a fixed buffer and sends them to a <see cref="ReportSink"/>.</summary>
    public sealed class Reporter
    {
        /// <summary>The default longest line, in characters; longer lines are cut and end with "...".</summary>
        public const int DefaultLineCapacity = 256;

        private readonly byte[] _line;
        private int _length;
        private bool _truncated;
        private ReportSink _sink;
        private int _dropped;
        private int _written;

        /// <summary>A reporter writing to <paramref name="sink"/> (null: lines are counted and dropped).</summary>
        public Reporter(ReportSink sink) : this(sink, DefaultLineCapacity)
        {
        }

        /// <summary>A reporter whose lines hold up to <paramref name="lineCapacity"/> characters.</summary>
        public Reporter(ReportSink sink, int lineCapacity)
        {
            if (lineCapacity < 16)
            {
                throw new System.ArgumentOutOfRangeException("lineCapacity", "lineCapacity must be at least 16");
            }

            _sink = sink;
            _line = new byte[lineCapacity + 1];
        }

        /// <summary>The sink lines go to; may be changed at any time.</summary>
        public ReportSink Sink
        {
            get { return _sink; }
            set { _sink = value; }
        }

        /// <summary>Lines lost because the sink threw or was missing (not yet reported).</summary>
        public int Dropped
        {
            get { return _dropped; }
        }

        /// <summary>Lines written.</summary>
        public int Written
        {
            get { return _written; }
        }

        /// <summary>Starts a new line, discarding anything not ended.</summary>
        public Reporter Begin()
        {
            _length = 0;
            _truncated = false;
            return this;
        }

        /// <summary>Appends text (ASCII; other characters become '?').</summary>
        public Reporter Append(string text)
        {
            if (text == null)
            {
                return this;
            }

            int n = text.Length;
            for (int i = 0; i < n; i++)
            {
                char c = text[i];
                Put(c < 128 ? (byte)c : (byte)'?');
            }

            return this;
        }

        /// <summary>Appends one character.</summary>
        public Reporter Append(char c)
        {
            Put(c < 128 ? (byte)c : (byte)'?');
            return this;
        }

        /// <summary>Appends <paramref name="value"/> in decimal.</summary>
        public Reporter Append(int value)
        {
            return Append((long)value);
        }

        /// <summary>Appends <paramref name="value"/> in decimal.</summary>
        public Reporter Append(long value)
        {
            if (value < 0)
            {
                Put((byte)'-');
                if (value == long.MinValue)
                {
                    return Append("9223372036854775808");
                }

                value = -value;
            }

            long div = 1;
            while (value / div >= 10)
            {
                div *= 10;
            }

            while (div > 0)
            {
                Put((byte)('0' + (int)(value / div % 10)));
                div /= 10;
            }

            return this;
        }

        /// <summary>Appends <paramref name="value"/> as <paramref name="digits"/> upper-case hex digits (no prefix).</summary>
        public Reporter AppendHex(int value, int digits)
        {
            for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4)
            {
                int d = (value >> shift) & 0xF;
                Put((byte)(d < 10 ? '0' + d : 'A' + d - 10));
            }

            return this;
        }

        /// <summary>Appends an address the way every report shows it: "0x0000A010".</summary>
        public Reporter AppendAddress(int offset)
        {
            Put((byte)'0');
            Put((byte)'x');
            return AppendHex(offset, 8);
        }

        /// <summary>Appends <paramref name="value"/> right-aligned in <paramref name="width"/> characters.</summary>
        public Reporter AppendPadded(int value, int width)
        {
            int digits = 1;
            long v = value < 0 ? -(long)value : value;
            while (v >= 10)
            {
                v /= 10;
                digits++;
            }

            if (value < 0)
            {
                digits++;
            }

            for (int i = digits; i < width; i++)
            {
                Put((byte)' ');
            }

            return Append(value);
        }

        /// <summary>Characters in the line so far.</summary>
        public int Length
        {
            get { return _length; }
        }

        /// <summary>The line so far as a string (allocates: for hooks and tests only).</summary>
        public string Current
        {
            get
            {
                char[] chars = new char[_length];
                for (int i = 0; i < _length; i++)
                {
                    chars[i] = (char)_line[i];
                }

                return new string(chars);
            }
        }

        /// <summary>Ends the line and sends it to the sink.</summary>
        public void End()
        {
            if (_truncated && _length >= 3)
            {
                _line[_length - 1] = (byte)'.';
                _line[_length - 2] = (byte)'.';
                _line[_length - 3] = (byte)'.';
            }

            _line[_length] = (byte)'\n';
            int count = _length + 1;
            _length = 0;
            _truncated = false;
            Send(_line, count);
        }

        /// <summary>Writes one whole line of text.</summary>
        public void Line(string text)
        {
            Begin().Append(text).End();
        }

        private void Send(byte[] bytes, int count)
        {
            ReportSink sink = _sink;
            if (sink == null)
            {
                _dropped++;
                return;
            }

            try
            {
                if (_dropped > 0)
                {
                    int lost = _dropped;
                    byte[] note = Note(lost);
                    sink.Write(note, 0, note.Length);
                    _dropped = 0;
                    _written++;
                }

                sink.Write(bytes, 0, count);
                _written++;
            }
            catch (System.Exception)
            {
                _dropped++;
            }
        }

        // "[reporter] 3 line(s) dropped\n": only made when lines were lost.
        private static byte[] Note(int lost)
        {
            string text = "[reporter] " + lost.ToString() + " line(s) dropped\n";
            byte[] b = new byte[text.Length];
            for (int i = 0; i < text.Length; i++)
            {
                b[i] = (byte)text[i];
            }

            return b;
        }

        private void Put(byte b)
        {
            if (_length < _line.Length - 1)
            {
                _line[_length++] = b;
            }
            else
            {
                _truncated = true;
            }
        }
    }
}
