// The synthetic ESP-IDF-style trace, generated here exactly as the traces README describes it
// (ESP-IDF's "Heap many random allocations timings": 128 slots, 5000 iterations, the ANSI C
// rand() seeded with 1; every 4th iteration reallocs the slot to rand() % 1024 + 1 bytes, the
// others free the slot if occupied and allocate rand() % 1024 + 1; all slots freed at the end).
// So the campaigns that replay a trace have one even where the shared traces are absent; when
// they are present, a test checks this text is the file's, byte for byte.
using System.Text;
using Checker.Nano.Traces;

namespace Checker.Nano.Reliability
{
    /// <summary>Generates the synthetic ESP-IDF-style trace.</summary>
    public static class SyntheticTrace
    {
        /// <summary>The trace's text for <paramref name="iterations"/> iterations (5000 in the shared file).</summary>
        public static string EspIdfText(int iterations = 5000)
        {
            const int slots = 128;
            uint next = 1;
            int Rand()
            {
                next = unchecked((next * 1103515245) + 12345);
                return (int)((next >> 16) & 0x7fff);
            }

            var events = new StringBuilder();
            int[] slotId = new int[slots];
            int ids = 0, count = 0;
            long live = 0, peak = 0;
            int liveBlocks = 0, peakBlocks = 0;
            var sizes = new System.Collections.Generic.Dictionary<int, int>();
            void Note()
            {
                if (live > peak)
                {
                    peak = live;
                    peakBlocks = liveBlocks;
                }
            }

            for (int i = 0; i < iterations; i++)
            {
                int n = Rand() % slots;
                if (i % 4 == 0)
                {
                    int size = (Rand() % 1024) + 1;
                    if (slotId[n] == 0)
                    {
                        slotId[n] = ++ids;
                        events.Append("a ").Append(ids).Append(' ').Append(size).Append('\n');
                        sizes[ids] = size;
                        live += size;
                        liveBlocks++;
                    }
                    else
                    {
                        events.Append("r ").Append(slotId[n]).Append(' ').Append(size).Append('\n');
                        live += size - sizes[slotId[n]];
                        sizes[slotId[n]] = size;
                    }
                }
                else
                {
                    if (slotId[n] != 0)
                    {
                        events.Append("f ").Append(slotId[n]).Append('\n');
                        live -= sizes[slotId[n]];
                        liveBlocks--;
                        count++;
                    }

                    int size = (Rand() % 1024) + 1;
                    slotId[n] = ++ids;
                    events.Append("a ").Append(ids).Append(' ').Append(size).Append('\n');
                    sizes[ids] = size;
                    live += size;
                    liveBlocks++;
                }

                count++;
                Note();
            }

            for (int n = 0; n < slots; n++)
            {
                if (slotId[n] != 0)
                {
                    events.Append("f ").Append(slotId[n]).Append('\n');
                    count++;
                }
            }

            return "# checker-nano trace v1\n"
                + $"# source: synthetic ESP-IDF-style random test ({slots} slots, {iterations} iterations, size rand()%1024+1, every 4th iteration a realloc; C example LCG rand(), seed 1), {count} events, peak live {peak} bytes in {peakBlocks} blocks\n"
                + events;
        }

        /// <summary>The generated trace, parsed.</summary>
        public static Trace EspIdf(int iterations = 5000) => TraceReader.Parse(EspIdfText(iterations), "synthetic-espidf.txt");
    }
}
