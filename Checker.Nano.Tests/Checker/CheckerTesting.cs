// Helpers for the Checker tests: a fresh Checker over the host board's 64 KiB arena with
// 4096-byte blocks, a 256-byte data zone and a 1 KiB stack zone, reporting text only into a
// MemorySink (records are tested on their own), and wrappers that Validate after every operation.
//
// The layout this gives (pinned by MemoryMapTests.Layout_OfTheTestBoard):
//   null 0x0000..0x0008, bitmap 0x0008..0x3200 (12792), block map 0x3200..0x3818 (1560),
//   data 0x3820..0x3920 (256), heap from 0x3920 (break), stack 0xFC00..0x10000 (1024).
// A debug block's data starts 28 bytes into its base block, so in a fresh heap the first
// Malloc(64) (a 128-byte fragment at the heap's start 0x3920) returns 0x393C; Malloc(16) and
// Malloc(32) take 64-byte fragments of a block of their own.
using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    internal static class CheckerTesting
    {
        public const string Sensors = "Sensors.cs";
        public const string ListFile = "List.cs";
        public const string Main = "Main.cs";

        /// <summary>A Checker over a fresh 64 KiB arena, reporting text only to <paramref name="sink"/>.</summary>
        public static CheckerHeap New(MemorySink sink)
        {
            Reporter r = new Reporter(sink);
            r.Forms = ReportForm.Text;
            return new CheckerHeap(new byte[65536], 4096, 256, 1024, r);
        }

        /// <summary>The same with both forms (records too).</summary>
        public static CheckerHeap NewWithRecords(MemorySink sink)
        {
            return new CheckerHeap(new byte[65536], 4096, 256, 1024, new Reporter(sink));
        }

        /// <summary>The same with <paramref name="options"/> set (which must be good).</summary>
        public static CheckerHeap New(MemorySink sink, string options)
        {
            CheckerHeap c = New(sink);
            Assert.IsTrue(c.SetOptions(options), "options " + options);
            return c;
        }

        /// <summary>
        /// A Checker over a fresh 64 KiB arena on the base heap of <paramref name="policy"/> (0: the
        /// seed's, BLOCKSIZE 4096; 1: Compact, BLOCKSIZE 256), text only, with <paramref name="options"/>.
        /// </summary>
        public static CheckerHeap New(MemorySink sink, string options, int policy)
        {
            Reporter r = new Reporter(sink);
            r.Forms = ReportForm.Text;
            CheckerHeap c = policy == 0 ? new CheckerHeap(new byte[65536], 4096, 256, 1024, r)
                : new CheckerHeap(new byte[65536], 256, 256, 1024, r, DebugHeap.DefaultFileNameCapacity, CompactHeap.Make);
            Assert.AreEqual(policy == 0 ? "seed" : "compact", c.Heap.PolicyName);
            Assert.IsTrue(c.SetOptions(options), "options " + options);
            return c;
        }

        public static void Valid(CheckerHeap c)
        {
            string problem = c.Validate();
            if (problem != null)
            {
                Assert.IsNull(problem, "Validate: " + problem + " | table: " + c.Heap.Describe());
            }
        }

        public static int Malloc(CheckerHeap c, int size, string file, int line)
        {
            int p = c.Malloc(size, BlockType.Normal, file, line);
            Valid(c);
            return p;
        }

        public static int Calloc(CheckerHeap c, int count, int size, string file, int line)
        {
            int p = c.Calloc(count, size, BlockType.Normal, file, line);
            Valid(c);
            return p;
        }

        public static int Realloc(CheckerHeap c, int p, int size, string file, int line)
        {
            int q = c.Realloc(p, size, file, line);
            Valid(c);
            return q;
        }

        public static void Free(CheckerHeap c, int p, string file, int line)
        {
            c.Free(p, file, line);
            Valid(c);
        }

        /// <summary>Writes <paramref name="value"/> at <paramref name="address"/> from Main.cs(1), then Validate.</summary>
        public static void Write(CheckerHeap c, int address, int value)
        {
            c.WriteInt32(address, value, Main, 1);
            Valid(c);
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

        /// <summary>"0x0000393C".</summary>
        public static string Hex(int value)
        {
            return Bytes.Hex8(value);
        }

        /// <summary>Asserts the sink's text and clears it.</summary>
        public static void Expect(MemorySink sink, string expected)
        {
            Assert.AreEqual(expected, sink.Text);
            sink.Clear();
        }
    }
}
