// The strict reader of "checker-nano trace v1" (format in the traces README). Strict because a
// replay is only as good as its input: anything the format does not allow stops the read with a
// TraceFormatException naming the file and the line, never a silent skip.
//
// Checked here: the two header lines; record letters and field counts; numbers (decimal digits
// only, within an int); new ids come in order 1, 2, 3 ... and are never reused; 'r' and 'f' name
// a live id (so no double free, no realloc of a freed block); calloc's count * size fits an int;
// realloc to 0 bytes does not occur (the format writes it as 'f'); and, when the source line
// carries them, the event count and the peak live bytes and blocks agree with the events.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Text.RegularExpressions;

namespace Checker.Nano.Traces
{
    /// <summary>A trace that breaks the format: says which file, which line and why.</summary>
    public sealed class TraceFormatException : FormatException
    {
        /// <summary>"file:line: reason".</summary>
        public TraceFormatException(string fileName, int line, string reason)
            : base($"{fileName}:{line}: {reason}")
        {
            FileName = fileName;
            LineNumber = line;
            Reason = reason;
        }

        /// <summary>The file (or name) the trace was read from.</summary>
        public string FileName { get; }

        /// <summary>The 1-based line at fault.</summary>
        public int LineNumber { get; }

        /// <summary>What is wrong, without the file and line.</summary>
        public string Reason { get; }
    }

    /// <summary>Reads traces, plain or gzip-compressed.</summary>
    public static partial class TraceReader
    {
        /// <summary>Line 1 of every trace.</summary>
        public const string Magic = "# checker-nano trace v1";

        /// <summary>How line 2 starts.</summary>
        public const string SourcePrefix = "# source: ";

        /// <summary>How a note line starts.</summary>
        public const string NotePrefix = "# note: ";

        /// <summary>How a site line starts: "# site: &lt;n&gt; &lt;type&gt; &lt;file&gt;:&lt;line&gt;" (a device trace's allocation sites).</summary>
        public const string SitePrefix = "# site: ";

        /// <summary>How a site-switch line starts: "# @&lt;n&gt;": the allocations that follow were made at site n (0: unknown).</summary>
        public const string AtPrefix = "# @";

        [GeneratedRegex(@", ([0-9]+) events, peak live ([0-9]+) bytes in ([0-9]+) blocks$")]
        private static partial Regex SourceFigures();

        /// <summary>
        /// Reads the trace at <paramref name="path"/>; gzip is recognised by its magic bytes, so
        /// "x.txt.gz" and "x.txt" both work whatever they hold. A gzip file is decompressed whole
        /// and checked against its trailer before a line is parsed (<see cref="Gunzip"/>), so a cut
        /// file is reported as truncated, never as the error its partial last line would make.
        /// </summary>
        public static Trace Read(string path)
        {
            ArgumentNullException.ThrowIfNull(path);
            byte[] head = new byte[2];
            int n;
            using (FileStream probe = File.OpenRead(path))
            {
                n = probe.Read(head, 0, 2);
            }

            if (n == 2 && head[0] == 0x1f && head[1] == 0x8b)
            {
                using var text = new StreamReader(new MemoryStream(Gunzip(File.ReadAllBytes(path))), System.Text.Encoding.ASCII, false, 1 << 16);
                return Parse(text, path, NameOf(path));
            }

            using FileStream file = File.OpenRead(path);
            using var reader = new StreamReader(file, System.Text.Encoding.ASCII, false, 1 << 16);
            return Parse(reader, path, NameOf(path));
        }

        /// <summary>
        /// The bytes a gzip file holds, checked against its trailer: the last 8 bytes of a whole
        /// file are the CRC-32 and the length (mod 2^32) of its last member's data, which ends the
        /// data (RFC 1952), so a file cut anywhere fails the check (or the decompression) and
        /// throws <see cref="InvalidDataException"/> saying "truncated".
        /// </summary>
        public static byte[] Gunzip(byte[] file)
        {
            ArgumentNullException.ThrowIfNull(file);
            const int Smallest = 18;   // a 10-byte header, an empty deflate block (2), the trailer (8)
            if (file.Length < Smallest)
            {
                throw new InvalidDataException($"truncated gzip: {file.Length} bytes, less than a header and a trailer");
            }

            byte[] data;
            try
            {
                using var gz = new GZipStream(new MemoryStream(file), CompressionMode.Decompress);
                using var output = new MemoryStream();
                gz.CopyTo(output);
                data = output.ToArray();
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"truncated or damaged gzip: {e.Message}");
            }

            uint crc = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(file.Length - 8));
            uint length = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(file.Length - 4));
            int last = (int)Math.Min(length, (uint)data.Length);
            if (length != (uint)last || Crc32(data, data.Length - last, last) != crc)
            {
                throw new InvalidDataException($"truncated gzip: its trailer's CRC-32 and length do not match the {data.Length} bytes it decompresses to");
            }

            return data;
        }

        private static readonly uint[] CrcTable = MakeCrcTable();

        private static uint[] MakeCrcTable()
        {
            var table = new uint[256];
            for (uint i = 0; i < 256; i++)
            {
                uint c = i;
                for (int k = 0; k < 8; k++)
                {
                    c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
                }

                table[i] = c;
            }

            return table;
        }

        /// <summary>The CRC-32 of gzip and zlib (reflected polynomial 0xEDB88320) of <paramref name="count"/> bytes from <paramref name="offset"/>.</summary>
        public static uint Crc32(byte[] bytes, int offset, int count)
        {
            uint c = 0xFFFFFFFFu;
            for (int i = offset; i < offset + count; i++)
            {
                c = CrcTable[(c ^ bytes[i]) & 0xFF] ^ (c >> 8);
            }

            return c ^ 0xFFFFFFFFu;
        }

        /// <summary>The trace name for a file: its name without ".gz" and ".txt".</summary>
        public static string NameOf(string path)
        {
            string name = System.IO.Path.GetFileName(path);
            if (name.EndsWith(".gz", StringComparison.Ordinal))
            {
                name = name[..^3];
            }

            if (name.EndsWith(".txt", StringComparison.Ordinal))
            {
                name = name[..^4];
            }

            return name;
        }

        /// <summary>Parses trace text; <paramref name="fileName"/> names it in errors.</summary>
        public static Trace Parse(string text, string fileName)
        {
            using var reader = new StringReader(text);
            return Parse(reader, fileName, NameOf(fileName));
        }

        /// <summary>Parses a trace from <paramref name="reader"/>; <paramref name="fileName"/> names it in errors.</summary>
        public static Trace Parse(TextReader reader, string fileName, string name)
        {
            ArgumentNullException.ThrowIfNull(reader);
            var events = new List<TraceEvent>();
            var notes = new List<string>();
            var sites = new List<TraceSite>();
            var eventSites = new List<int>();
            int currentSite = 0;
            string source = null;

            // Per id (index = id): the line that allocated it, and the line that freed it (0 = live).
            var allocatedAt = new List<int> { 0 };
            var freedAt = new List<int> { 0 };
            var liveSize = new List<int> { 0 };
            int maxId = 0;
            long live = 0, peak = 0;
            int liveBlocks = 0, peakBlocks = 0;
            int mallocs = 0, callocs = 0, reallocs = 0, frees = 0, largest = 0;

            Span<int> n = stackalloc int[3];
            int lineNumber = 0;
            string line;
            while ((line = reader.ReadLine()) != null)
            {
                lineNumber++;
                if (line.EndsWith('\r'))
                {
                    line = line[..^1];
                }

                if (lineNumber == 1)
                {
                    if (line != Magic)
                    {
                        throw new TraceFormatException(fileName, 1, $"expected '{Magic}' on line 1");
                    }

                    continue;
                }

                if (lineNumber == 2)
                {
                    if (!line.StartsWith(SourcePrefix, StringComparison.Ordinal))
                    {
                        throw new TraceFormatException(fileName, 2, "expected '# source: ...' on line 2");
                    }

                    source = line[SourcePrefix.Length..];
                    continue;
                }

                if (line.Length == 0)
                {
                    throw new TraceFormatException(fileName, lineNumber, "empty line");
                }

                if (line[0] == '#')
                {
                    if (line.StartsWith(NotePrefix, StringComparison.Ordinal))
                    {
                        notes.Add(line[NotePrefix.Length..]);
                    }
                    else if (line.StartsWith(SitePrefix, StringComparison.Ordinal))
                    {
                        sites.Add(ParseSite(line[SitePrefix.Length..], sites.Count + 1, fileName, lineNumber));
                    }
                    else if (line.StartsWith(AtPrefix, StringComparison.Ordinal))
                    {
                        currentSite = Number(line.AsSpan(AtPrefix.Length), fileName, lineNumber);
                        if (currentSite > sites.Count)
                        {
                            throw new TraceFormatException(fileName, lineNumber, $"site {currentSite} is not defined (a '# site: {currentSite} ...' line must come first)");
                        }
                    }

                    continue;
                }

                if (line[0] == ' ' || line[^1] == ' ')
                {
                    throw new TraceFormatException(fileName, lineNumber, "leading or trailing space");
                }

                ReadOnlySpan<char> rest = line;
                ReadOnlySpan<char> letter = NextField(ref rest);
                if (letter.Length != 1 || (letter[0] != 'a' && letter[0] != 'c' && letter[0] != 'r' && letter[0] != 'f'))
                {
                    throw new TraceFormatException(fileName, lineNumber,
                        $"unknown record '{letter.ToString()}' (expected a, c, r or f)");
                }

                char op = letter[0];
                int fields = op == 'c' ? 3 : op == 'f' ? 1 : 2;
                for (int i = 0; i < fields; i++)
                {
                    if (rest.IsEmpty)
                    {
                        throw new TraceFormatException(fileName, lineNumber, Usage(op));
                    }

                    n[i] = Number(NextField(ref rest), fileName, lineNumber);
                }

                if (!rest.IsEmpty)
                {
                    throw new TraceFormatException(fileName, lineNumber, Usage(op));
                }

                int id = n[0];
                if (id < 1)
                {
                    throw new TraceFormatException(fileName, lineNumber, "id 0: ids start at 1");
                }

                TraceEvent e;
                if (op == 'a' || op == 'c')
                {
                    if (id <= maxId)
                    {
                        throw new TraceFormatException(fileName, lineNumber,
                            $"id {id} is reused (first allocated at line {allocatedAt[id]})");
                    }

                    if (id != maxId + 1)
                    {
                        throw new TraceFormatException(fileName, lineNumber,
                            $"id {id} skips ahead: the next new id is {maxId + 1}");
                    }

                    int count = 1, size = n[1];
                    if (op == 'c')
                    {
                        count = n[1];
                        size = n[2];
                        if ((long)count * size > int.MaxValue)
                        {
                            throw new TraceFormatException(fileName, lineNumber,
                                $"calloc {count} * {size} does not fit in a 32-bit size");
                        }

                        callocs++;
                    }
                    else
                    {
                        mallocs++;
                    }

                    maxId = id;
                    allocatedAt.Add(lineNumber);
                    freedAt.Add(0);
                    e = new TraceEvent(op == 'c' ? TraceOp.Calloc : TraceOp.Malloc, id, count, size, lineNumber);
                    liveSize.Add(e.Size);
                    live += e.Size;
                    liveBlocks++;
                }
                else
                {
                    if (id > maxId)
                    {
                        throw new TraceFormatException(fileName, lineNumber,
                            $"{(op == 'r' ? "realloc" : "free")} of id {id}, which was never allocated");
                    }

                    if (freedAt[id] != 0)
                    {
                        throw new TraceFormatException(fileName, lineNumber, op == 'f'
                            ? $"id {id} is freed twice (first freed at line {freedAt[id]})"
                            : $"realloc of id {id}, which was freed at line {freedAt[id]}");
                    }

                    if (op == 'r')
                    {
                        if (n[1] == 0)
                        {
                            throw new TraceFormatException(fileName, lineNumber,
                                "realloc to 0 bytes (the format writes realloc(p, 0) as 'f')");
                        }

                        e = new TraceEvent(TraceOp.Realloc, id, 1, n[1], lineNumber);
                        live += e.Size - liveSize[id];
                        liveSize[id] = e.Size;
                        reallocs++;
                    }
                    else
                    {
                        e = new TraceEvent(TraceOp.Free, id, 0, 0, lineNumber);
                        freedAt[id] = lineNumber;
                        live -= liveSize[id];
                        liveSize[id] = 0;
                        liveBlocks--;
                        frees++;
                    }
                }

                if (e.Size > largest)
                {
                    largest = e.Size;
                }

                if (live > peak)
                {
                    peak = live;
                    peakBlocks = liveBlocks;
                }

                events.Add(e);
                eventSites.Add(op == 'f' ? 0 : currentSite);
            }

            if (lineNumber == 0)
            {
                throw new TraceFormatException(fileName, 1, $"empty file (expected '{Magic}')");
            }

            if (source == null)
            {
                throw new TraceFormatException(fileName, 2, "expected '# source: ...' on line 2");
            }

            Match m = SourceFigures().Match(source);
            if (m.Success)
            {
                if (!long.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long saidEvents)
                    || !long.TryParse(m.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long saidPeak)
                    || !long.TryParse(m.Groups[3].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long saidBlocks))
                {
                    throw new TraceFormatException(fileName, 2, "the source line's figures are too large");
                }

                if (saidEvents != events.Count)
                {
                    throw new TraceFormatException(fileName, 2,
                        $"the source line says {saidEvents} events but the trace has {events.Count}");
                }

                if (saidPeak != peak || saidBlocks != peakBlocks)
                {
                    throw new TraceFormatException(fileName, 2,
                        $"the source line says peak live {saidPeak} bytes in {saidBlocks} blocks but the events give {peak} bytes in {peakBlocks} blocks");
                }
            }

            return new Trace(name, fileName, source, notes, events.ToArray(), maxId, peak, peakBlocks,
                mallocs, callocs, reallocs, frees, largest, liveBlocks, live)
            {
                Sites = sites,
                EventSites = sites.Count == 0 ? null : eventSites.ToArray(),
            };
        }

        /// <summary>"&lt;type&gt; &lt;location&gt;" of site <paramref name="expected"/> (sites are numbered 1, 2, ... in order).</summary>
        private static TraceSite ParseSite(string rest, int expected, string fileName, int line)
        {
            string[] parts = rest.Split(' ', 3);
            if (parts.Length != 3 || parts[1].Length == 0 || parts[2].Length == 0)
            {
                throw new TraceFormatException(fileName, line, "a site line is '# site: <n> <type> <file>:<line>'");
            }

            int n = Number(parts[0], fileName, line);
            if (n != expected)
            {
                throw new TraceFormatException(fileName, line, $"site {n} out of order: the next site is {expected}");
            }

            return new TraceSite(n, parts[1], parts[2]);
        }

        private static string Usage(char op)
        {
            switch (op)
            {
                case 'a': return "'a' takes two numbers: a <id> <size>";
                case 'c': return "'c' takes three numbers: c <id> <count> <size>";
                case 'r': return "'r' takes two numbers: r <id> <newsize>";
                default: return "'f' takes one number: f <id>";
            }
        }

        /// <summary>The next field up to a single space; the rest after it.</summary>
        private static ReadOnlySpan<char> NextField(ref ReadOnlySpan<char> rest)
        {
            int space = rest.IndexOf(' ');
            if (space < 0)
            {
                ReadOnlySpan<char> last = rest;
                rest = default;
                return last;
            }

            ReadOnlySpan<char> field = rest[..space];
            rest = rest[(space + 1)..];
            return field;
        }

        private static int Number(ReadOnlySpan<char> s, string fileName, int line)
        {
            if (s.IsEmpty)
            {
                throw new TraceFormatException(fileName, line, "empty field (fields are separated by one space)");
            }

            long value = 0;
            foreach (char ch in s)
            {
                if (ch < '0' || ch > '9')
                {
                    throw new TraceFormatException(fileName, line, $"'{s.ToString()}' is not a decimal number");
                }

                value = (value * 10) + (ch - '0');
                if (value > int.MaxValue)
                {
                    throw new TraceFormatException(fileName, line, $"'{s.ToString()}' is too large (the limit is {int.MaxValue})");
                }
            }

            return (int)value;
        }
    }
}
