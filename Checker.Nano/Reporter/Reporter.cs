// The reporter: the one path every layer's text goes through (base statistics, debug-heap dumps
// and checks, Checker errors, garbage reports). A line is built in a preallocated buffer with
// Begin / Append... / End and handed to the sink as bytes; building a line allocates nothing on
// the managed heap and nothing in the arena being reported.
//
// Two forms share the wire (PROTOCOL.md beside this file):
//  - text: the human lines (CRT- and Checker-shaped), built with Begin / Append / End;
//  - records: "@CN1 TYPE n=.. key=value ... *LEN:CRC", built with BeginRecord / Field / EndRecord,
//    numbered (n), tagged with the dump they belong to (d) and ended by the body's length and
//    CRC-16 so that a host can tell a whole record from a cut or noisy one.
// Forms says which of the two are sent; a line of a form that is switched off is discarded
// (not counted as dropped).
//
// Locking: not thread-safe by itself. Whoever writes holds SyncRoot for the whole line (or the
// whole dump); a layer that also holds the heap's lock takes the heap's lock first, then this one
// (HeapReport does the same), so the two locks are always taken in one order.
//
// A sink that throws or says it is disconnected loses the line, not the firmware: the loss is
// counted and reported in a line of its own (text "[reporter] N line(s) dropped" and/or record
// DROP) when the sink works again.
namespace Checker.Nano
{
    /// <summary>Which forms the reporter sends (flags).</summary>
    [System.Flags]
    public enum ReportForm
    {
        /// <summary>Nothing is sent (lines are discarded, not counted as dropped).</summary>
        None = 0,

        /// <summary>The human text lines.</summary>
        Text = 1,

        /// <summary>The machine records ("@CN1 ...").</summary>
        Records = 2,

        /// <summary>Both forms: the default.</summary>
        Both = 3,
    }

    /// <summary>Formats report lines into a fixed buffer and sends them to a <see cref="ReportSink"/>.</summary>
    public sealed class Reporter
    {
        /// <summary>The default longest line, in characters; longer text lines are cut and end with "...".</summary>
        public const int DefaultLineCapacity = 256;

        /// <summary>The protocol's major version: the digit in the marker. A change that breaks parsers bumps it.</summary>
        public const int ProtocolVersion = 1;

        /// <summary>The protocol's revision (rev= in HELLO and BEGIN): new record types or new fields bump it.</summary>
        public const int ProtocolRevision = 4;

        /// <summary>What every record starts with: "@CN" and the major version.</summary>
        public const string Marker = "@CN1";

        // Room kept at the end of a record's body for " cut=1" and " *LLLLL:CCCC".
        private const int RecordReserve = 20;

        // Records get at least this many characters, whatever the text lines' capacity.
        private const int MinRecordCapacity = 64;

        private const int KindText = 0;
        private const int KindRecord = 1;

        private readonly byte[] _line;
        private readonly byte[] _note = new byte[48];
        private readonly int _capacity;        // longest text line
        private readonly int _recordCapacity;  // longest record, suffix included
        private int _limit;                    // the capacity of the line being built
        private int _length;
        private bool _truncated;
        private ReportSink _sink;
        private int _dropped;
        private int _written;
        private object _sync = new object();
        private ReportForm _forms = ReportForm.Both;

        // The line being built.
        private int _kind;
        private bool _skip;          // a record while records are off: built nowhere, sent nowhere
        private bool _cut;           // a record field did not fit: it and the fields after it are left out
        private int _fieldMark = -1; // where the field opened by BeginField starts, -1 when none is open
        private bool _discard;       // BeginField's field is not written (record skipped or cut): Append puts nothing

        // Record numbering.
        private int _records;        // n of the last record
        private int _dumps;          // d of the last dump begun
        private int _dump;           // d of the dump in progress, 0 outside dumps
        private int _dumpRecords;    // records written since BEGIN of the dump in progress

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
            _capacity = lineCapacity;
            _recordCapacity = lineCapacity < MinRecordCapacity ? MinRecordCapacity : lineCapacity;
            _limit = lineCapacity;
            _line = new byte[_recordCapacity + 1];
        }

        /// <summary>The sink lines go to; may be changed at any time.</summary>
        public ReportSink Sink
        {
            get { return _sink; }
            set { _sink = value; }
        }

        /// <summary>Which forms are sent (default <see cref="ReportForm.Both"/>).</summary>
        public ReportForm Forms
        {
            get { return _forms; }
            set { _forms = value; }
        }

        /// <summary>Whether text lines are sent: callers may skip building them when not.</summary>
        public bool WantsText
        {
            get { return (_forms & ReportForm.Text) != 0; }
        }

        /// <summary>Whether records are sent: callers may skip building them when not.</summary>
        public bool WantsRecords
        {
            get { return (_forms & ReportForm.Records) != 0; }
        }

        /// <summary>
        /// The lock writers hold across a line or a dump. May be set to the heap's SyncRoot so that
        /// the program has a single lock; otherwise take the heap's lock first, then this one.
        /// </summary>
        public object SyncRoot
        {
            get { return _sync; }
            set { _sync = value == null ? new object() : value; }
        }

        /// <summary>The longest text line in characters (records get at least 64).</summary>
        public int LineCapacity
        {
            get { return _capacity; }
        }

        /// <summary>Lines lost because the sink threw, was disconnected or missing (not yet reported).</summary>
        public int Dropped
        {
            get { return _dropped; }
        }

        /// <summary>Lines written.</summary>
        public int Written
        {
            get { return _written; }
        }

        /// <summary>n of the last record numbered (records are numbered from 1).</summary>
        public int RecordNumber
        {
            get { return _records; }
        }

        /// <summary>d of the dump in progress, or 0 outside a dump.</summary>
        public int DumpNumber
        {
            get { return _dump; }
        }

        /// <summary>d of the last dump begun (0 before the first).</summary>
        public int LastDumpNumber
        {
            get { return _dumps; }
        }

        /// <summary>Starts a new text line, discarding anything not ended.</summary>
        public Reporter Begin()
        {
            _length = 0;
            _truncated = false;
            _kind = KindText;
            _limit = _capacity;
            _skip = false;
            _cut = false;
            _fieldMark = -1;
            _discard = false;
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

        /// <summary>
        /// Appends a per-mille figure as a percentage with one decimal: 128 gives "12.8%".
        /// </summary>
        public Reporter AppendPerMille(int perMille)
        {
            if (perMille < 0)
            {
                Put((byte)'-');
                perMille = -perMille;
            }

            Append(perMille / 10);
            Put((byte)'.');
            Put((byte)('0' + (perMille % 10)));
            Put((byte)'%');
            return this;
        }

        /// <summary>
        /// Appends the last part of a path (after the last '/' or '\'), e.g. the file name from a
        /// [CallerFilePath] that holds the build machine's full path.
        /// </summary>
        public Reporter AppendFileName(string path)
        {
            if (path == null)
            {
                return this;
            }

            int start = 0;
            for (int i = 0; i < path.Length; i++)
            {
                char c = path[i];
                if (c == '/' || c == '\\')
                {
                    start = i + 1;
                }
            }

            for (int i = start; i < path.Length; i++)
            {
                char c = path[i];
                Put(c < 128 ? (byte)c : (byte)'?');
            }

            return this;
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

        /// <summary>Ends the text line and sends it to the sink (or discards it if text is switched off).</summary>
        public void End()
        {
            if (_kind == KindRecord)
            {
                EndRecord();
                return;
            }

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
            if (WantsText)
            {
                Send(_line, count);
            }
        }

        /// <summary>Writes one whole line of text.</summary>
        public void Line(string text)
        {
            Begin().Append(text).End();
        }

        // ---- Records -------------------------------------------------------------------------

        /// <summary>
        /// Starts a record of <paramref name="type"/> (one of <see cref="Records"/>' names): writes
        /// the marker, the type, n (the record's number) and, inside a dump, d (the dump's number).
        /// </summary>
        public Reporter BeginRecord(string type)
        {
            Begin();
            _kind = KindRecord;
            _limit = _recordCapacity;
            if (!WantsRecords)
            {
                _skip = true;
                return this;
            }

            Append(Marker);
            Put((byte)' ');
            Append(type);
            _records++;
            Field("n", _records);
            if (_dump != 0)
            {
                _dumpRecords++;
                Field("d", _dump);
            }

            return this;
        }

        /// <summary>Adds " key=value" with a decimal value.</summary>
        public Reporter Field(string key, long value)
        {
            int mark = StartField(key);
            if (mark < 0)
            {
                return this;
            }

            Append(value);
            return EndField(mark);
        }

        /// <summary>Adds " key=value" with a decimal value.</summary>
        public Reporter Field(string key, int value)
        {
            return Field(key, (long)value);
        }

        /// <summary>Adds " key=0x0000A010" (an arena offset or other address, 8 hex digits).</summary>
        public Reporter FieldAddress(string key, int address)
        {
            int mark = StartField(key);
            if (mark < 0)
            {
                return this;
            }

            AppendAddress(address);
            return EndField(mark);
        }

        /// <summary>Adds " key=0x..." with <paramref name="digits"/> upper-case hex digits.</summary>
        public Reporter FieldHex(string key, int value, int digits)
        {
            int mark = StartField(key);
            if (mark < 0)
            {
                return this;
            }

            Put((byte)'0');
            Put((byte)'x');
            AppendHex(value, digits);
            return EndField(mark);
        }

        /// <summary>
        /// Adds " key=text", percent-encoding (%XX, UTF-8) every byte outside '!'..'~' and the
        /// characters % * = @ so that a value never holds a space, a marker or a suffix. A null
        /// text leaves the field out; an empty one gives "key=".
        /// </summary>
        public Reporter FieldText(string key, string text)
        {
            if (text == null)
            {
                return this;
            }

            int mark = StartField(key);
            if (mark < 0)
            {
                return this;
            }

            PutEncoded(text, 0);
            return EndField(mark);
        }

        /// <summary>Like <see cref="FieldText"/>, with only the part of a path after its last '/' or '\'.</summary>
        public Reporter FieldFileName(string key, string path)
        {
            if (path == null)
            {
                return this;
            }

            int start = 0;
            for (int i = 0; i < path.Length; i++)
            {
                char c = path[i];
                if (c == '/' || c == '\\')
                {
                    start = i + 1;
                }
            }

            int mark = StartField(key);
            if (mark < 0)
            {
                return this;
            }

            PutEncoded(path, start);
            return EndField(mark);
        }

        /// <summary>Adds " key=" and <paramref name="count"/> bytes as upper-case hex pairs ("CDCD0A").</summary>
        public Reporter FieldBytes(string key, byte[] data, int offset, int count)
        {
            if (data == null)
            {
                return this;
            }

            int mark = StartField(key);
            if (mark < 0)
            {
                return this;
            }

            for (int i = 0; i < count; i++)
            {
                AppendHex(data[offset + i], 2);
            }

            return EndField(mark);
        }

        /// <summary>
        /// Characters the record being built can still take in fields before they are cut (room for
        /// " cut=1" and the suffix is kept apart); 0 outside a record, when records are off or once
        /// the record was cut. A writer that splits a long list over several records (MAP) asks
        /// this before each item.
        /// </summary>
        public int RecordRoom
        {
            get
            {
                if (_kind != KindRecord || _skip || _cut)
                {
                    return 0;
                }

                int room = _limit - RecordReserve - _length;
                return room < 0 ? 0 : room;
            }
        }

        /// <summary>
        /// Starts " key=" whose value the caller writes piece by piece with Append (numbers, letters
        /// and list punctuation such as ',' and '/': nothing is encoded, so no space, '%', '*', '='
        /// or '@'), then ends with <see cref="EndField()"/>. Like every field, one that does not fit
        /// is left out whole and the record says cut=1.
        /// </summary>
        public Reporter BeginField(string key)
        {
            _fieldMark = StartField(key);
            _discard = _fieldMark < 0 && _kind == KindRecord;
            return this;
        }

        /// <summary>Ends the field opened by <see cref="BeginField"/>.</summary>
        public Reporter EndField()
        {
            int mark = _fieldMark;
            _fieldMark = -1;
            _discard = false;
            return mark < 0 ? this : EndField(mark);
        }

        /// <summary>
        /// Ends the record: adds " cut=1" if fields were left out, then " *LEN:CRC" where LEN is
        /// the number of bytes before " *" and CRC their CRC-16/CCITT-FALSE in 4 hex digits, and
        /// sends it (or discards it if records are switched off).
        /// </summary>
        public void EndRecord()
        {
            if (_kind != KindRecord)
            {
                End();
                return;
            }

            if (_fieldMark >= 0 || _discard)
            {
                EndField();   // a field BeginField opened and nobody closed
            }

            if (_skip)
            {
                _length = 0;
                _skip = false;
                _kind = KindText;
                return;
            }

            if (_cut)
            {
                Append(" cut=1");
            }

            int count = Seal(_line, _length);
            _length = 0;
            _truncated = false;
            _cut = false;
            _kind = KindText;
            Send(_line, count);
        }

        /// <summary>
        /// Starts a dump: numbers it (d) and writes BEGIN with why= (a short token such as cmd,
        /// timer, low, call) and t= (milliseconds, left out when negative). Returns d. Records
        /// written until <see cref="EndDump"/> carry d=.
        /// </summary>
        public int BeginDump(string why, long timeMs)
        {
            _dumps++;
            _dump = _dumps;
            BeginRecord(Records.BEGIN).FieldText("why", why);
            if (timeMs >= 0)
            {
                Field("t", timeMs);
            }

            Field("rev", ProtocolRevision).EndRecord();
            _dumpRecords = 0;
            return _dump;
        }

        /// <summary>Ends the dump in progress with END count= (the records written between BEGIN and END).</summary>
        public void EndDump()
        {
            if (_dump == 0)
            {
                return;
            }

            int count = _dumpRecords;
            BeginRecord(Records.END).Field("count", count).EndRecord();
            _dump = 0;
            _dumpRecords = 0;
        }

        /// <summary>CRC-16/CCITT-FALSE (polynomial 0x1021, initial 0xFFFF) of <paramref name="count"/> bytes.</summary>
        public static int Crc16(byte[] data, int offset, int count)
        {
            ushort[] table = CrcTable;
            int crc = 0xFFFF;
            for (int i = 0; i < count; i++)
            {
                crc = ((crc << 8) & 0xFFFF) ^ table[((crc >> 8) ^ data[offset + i]) & 0xFF];
            }

            return crc;
        }

        private static readonly ushort[] CrcTable = MakeCrcTable();

        private static ushort[] MakeCrcTable()
        {
            ushort[] table = new ushort[256];
            for (int i = 0; i < 256; i++)
            {
                int c = i << 8;
                for (int bit = 0; bit < 8; bit++)
                {
                    c = (c & 0x8000) != 0 ? ((c << 1) ^ 0x1021) : (c << 1);
                }

                table[i] = (ushort)(c & 0xFFFF);
            }

            return table;
        }

        // Writes " *LEN:CRC\n" after the body in buffer[0..length) and returns the bytes to send.
        // The buffer always has room: fields stop RecordReserve bytes before the capacity.
        private int Seal(byte[] buffer, int length)
        {
            int crc = Crc16(buffer, 0, length);
            int at = length;
            buffer[at++] = (byte)' ';
            buffer[at++] = (byte)'*';
            int div = 1;
            while (length / div >= 10)
            {
                div *= 10;
            }

            while (div > 0)
            {
                buffer[at++] = (byte)('0' + (length / div % 10));
                div /= 10;
            }

            buffer[at++] = (byte)':';
            for (int shift = 12; shift >= 0; shift -= 4)
            {
                int d = (crc >> shift) & 0xF;
                buffer[at++] = (byte)(d < 10 ? '0' + d : 'A' + d - 10);
            }

            buffer[at++] = (byte)'\n';
            return at;
        }

        // Returns the length before the field, or -1 if the field is not written (record skipped or
        // already cut).
        private int StartField(string key)
        {
            if (_kind != KindRecord || _skip || _cut)
            {
                return -1;
            }

            int mark = _length;
            Put((byte)' ');
            Append(key);
            Put((byte)'=');
            return mark;
        }

        private Reporter EndField(int mark)
        {
            if (_truncated || _length > _limit - RecordReserve)
            {
                _length = mark;
                _truncated = false;
                _cut = true;
            }

            return this;
        }

        private void PutEncoded(string text, int start)
        {
            for (int i = start; i < text.Length; i++)
            {
                int c = text[i];
                if (c > 0x20 && c < 0x7F && c != '%' && c != '*' && c != '=' && c != '@')
                {
                    Put((byte)c);
                }
                else if (c < 0x80)
                {
                    PutPercent(c);
                }
                else if (c < 0x800)
                {
                    PutPercent(0xC0 | (c >> 6));
                    PutPercent(0x80 | (c & 0x3F));
                }
                else
                {
                    PutPercent(0xE0 | (c >> 12));
                    PutPercent(0x80 | ((c >> 6) & 0x3F));
                    PutPercent(0x80 | (c & 0x3F));
                }
            }
        }

        private void PutPercent(int b)
        {
            Put((byte)'%');
            AppendHex(b, 2);
        }

        // ---- Sending ---------------------------------------------------------------------------

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
                if (!sink.IsConnected)
                {
                    _dropped++;
                    return;
                }

                if (_dropped > 0)
                {
                    int lost = _dropped;
                    if (WantsText)
                    {
                        int n = DroppedText(lost);
                        sink.Write(_note, 0, n);
                        _written++;
                    }

                    if (WantsRecords)
                    {
                        int n = DroppedRecord(lost);
                        sink.Write(_note, 0, n);
                        _written++;
                    }

                    _dropped = 0;
                }

                sink.Write(bytes, 0, count);
                _written++;
            }
            catch (System.Exception)
            {
                _dropped++;
            }
        }

        // "[reporter] 3 line(s) dropped\n" in _note.
        private int DroppedText(int lost)
        {
            int at = PutNote(0, "[reporter] ");
            at = PutNoteNumber(at, lost);
            return PutNote(at, " line(s) dropped\n");
        }

        // "@CN1 DROP lines=3 *17:CRC\n" in _note: DROP carries no n (it is about the wire).
        private int DroppedRecord(int lost)
        {
            int at = PutNote(0, Marker);
            at = PutNote(at, " ");
            at = PutNote(at, Records.DROP);
            at = PutNote(at, " lines=");
            at = PutNoteNumber(at, lost);
            return Seal(_note, at);
        }

        private int PutNote(int at, string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                _note[at++] = (byte)text[i];
            }

            return at;
        }

        private int PutNoteNumber(int at, int value)
        {
            int div = 1;
            while (value / div >= 10)
            {
                div *= 10;
            }

            while (div > 0)
            {
                _note[at++] = (byte)('0' + (value / div % 10));
                div /= 10;
            }

            return at;
        }

        private void Put(byte b)
        {
            if (_skip || _discard)
            {
                return;
            }

            if (_length < _limit)
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
