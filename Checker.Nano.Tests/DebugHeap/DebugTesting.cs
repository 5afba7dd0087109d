// Helpers for the debug heap tests: a fresh debug heap over the host board's 64 KiB arena with
// 4096-byte blocks (block 1 at offset 8) reporting into a MemorySink, wrappers that Validate
// after every operation, and the addresses the tests' layouts give.
//
// Addresses used throughout (the seed's policy hands out the lowest free fragment of its size's
// head block, see Heap/Heap.cs): a debug block of n bytes takes a base block of n + 32 bytes, its
// data starts 28 bytes in. So in a fresh heap the first Malloc(64) (a 128-byte fragment at 8)
// returns 0x24, the second 0xA4 (fragment 1 of block 1, at 136).
using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    internal static class DebugTesting
    {
        /// <summary>
        /// A debug heap over a fresh 64 KiB arena with 4096-byte blocks, reporting the CRT's text
        /// only (records off) to <paramref name="sink"/>.
        /// </summary>
        public static DebugHeap New(MemorySink sink)
        {
            return New(sink, DebugHeap.DefaultFileNameCapacity);
        }

        /// <summary>The same with a file-name table of <paramref name="files"/> entries.</summary>
        public static DebugHeap New(MemorySink sink, int files)
        {
            Reporter reporter = new Reporter(sink);
            reporter.Forms = ReportForm.Text;
            return new DebugHeap(new Heap(new byte[65536], 4096), reporter, files);
        }

        /// <summary>A debug heap whose reporter sends both forms, text and records.</summary>
        public static DebugHeap NewWithRecords(MemorySink sink)
        {
            return new DebugHeap(new Heap(new byte[65536], 4096), new Reporter(sink));
        }

        public static void Valid(DebugHeap d)
        {
            string problem = d.Validate();
            if (problem != null)
            {
                Assert.IsNull(problem, "Validate: " + problem + " | table: " + d.Heap.Describe());
            }
        }

        /// <summary>Malloc with an explicit site, then Validate.</summary>
        public static int Malloc(DebugHeap d, int size, string file, int line)
        {
            int p = d.Malloc(size, BlockType.Normal, file, line);
            Valid(d);
            return p;
        }

        /// <summary>Malloc of a block use with an explicit site, then Validate.</summary>
        public static int Malloc(DebugHeap d, int size, int blockUse, string file, int line)
        {
            int p = d.Malloc(size, blockUse, file, line);
            Valid(d);
            return p;
        }

        public static DebugHeapError Free(DebugHeap d, int p, string file, int line)
        {
            DebugHeapError e = d.Free(p, BlockType.Normal, file, line);
            Valid(d);
            return e;
        }

        public static int Realloc(DebugHeap d, int p, int size, string file, int line)
        {
            int q = d.Realloc(p, size, BlockType.Normal, file, line);
            Valid(d);
            return q;
        }

        /// <summary>Joins lines with '\n' after each (the sink's text of those lines).</summary>
        public static string Lines(params string[] lines)
        {
            string s = "";
            for (int i = 0; i < lines.Length; i++)
            {
                s = s + lines[i] + "\n";
            }

            return s;
        }

        /// <summary>" Data: <...> XX XX ... " for <paramref name="count"/> bytes of <paramref name="value"/> (unprintable).</summary>
        public static string FilledData(int count, string hex)
        {
            string chars = "";
            string bytes = "";
            int n = count < 16 ? count : 16;
            for (int i = 0; i < n; i++)
            {
                chars = chars + " ";
                bytes = bytes + hex + " ";
            }

            return " Data: <" + chars + "> " + bytes;
        }

        /// <summary>Asserts that <paramref name="count"/> bytes from <paramref name="offset"/> all hold <paramref name="value"/>.</summary>
        public static void AllBytes(byte[] m, int offset, int count, byte value)
        {
            for (int i = 0; i < count; i++)
            {
                if (m[offset + i] != value)
                {
                    Assert.AreEqual((int)value, (int)m[offset + i], "byte " + i.ToString() + " of " + count.ToString());
                }
            }
        }

        /// <summary>"0x0000A010".</summary>
        public static string Hex(int value)
        {
            return Bytes.Hex8(value);
        }
    }
}
