// The largest and smallest arenas the tools make (ArenaLimits) against the library's own
// constructors: the largest is made and 16 bytes more is refused, the smallest is made and 8
// bytes less is refused.
using System;
using Xunit;

namespace Checker.Nano.Traces.Tests
{
    public class ArenaLimitsTests
    {
        [Theory]
        [InlineData(16, 1048544)]
        [InlineData(64, 4194176)]
        [InlineData(256, 16776704)]
        [InlineData(1024, 16775168)]
        [InlineData(4096, 16769024)]
        public void Seed_Largest_IsWhatItsConstructorTakes(int blockSize, int largest)
        {
            Assert.Equal(largest, ArenaLimits.Largest(HeapPolicy.Seed, blockSize));
            Assert.NotNull(new Heap(new byte[largest], blockSize));
            Assert.Throws<ArgumentOutOfRangeException>(() => new Heap(new byte[largest + 16], blockSize));
        }

        [Fact]
        public void Compact_Largest_IsTheToolsOwn()
        {
            Assert.Equal(1 << 30, ArenaLimits.Largest(HeapPolicy.Compact, 256));
            Assert.Equal(1 << 30, ArenaLimits.Largest(HeapPolicy.Compact, 256, checker: true));
        }

        [Theory]
        [InlineData(256)]
        [InlineData(4096)]
        public void Checker_Largest_IsWhatItsConstructorTakes(int blockSize)
        {
            int largest = ArenaLimits.Largest(HeapPolicy.Seed, blockSize, checker: true);
            Assert.True(largest > ArenaLimits.Largest(HeapPolicy.Seed, blockSize));
            using var fits = new CheckerAdapter(largest, blockSize);
            Assert.Throws<ArgumentOutOfRangeException>(() => new CheckerAdapter(largest + 16, blockSize));
        }

        [Theory]
        [InlineData(HeapPolicy.Seed, 4096, 1632)]
        [InlineData(HeapPolicy.Seed, 16, 1632)]
        [InlineData(HeapPolicy.Compact, 256, 1632)]
        public void Checker_Smallest_IsWhatItsConstructorTakes(HeapPolicy policy, int blockSize, int smallest)
        {
            Assert.Equal(smallest, ArenaLimits.Smallest(policy, blockSize, checker: true));
            using var fits = new CheckerAdapter(smallest, blockSize, policy: policy);
            Assert.Throws<ArgumentException>(() => new CheckerAdapter(smallest - 8, blockSize, policy: policy));
            Assert.Equal(64, ArenaLimits.Smallest(policy, blockSize));
        }

        [Fact]
        public void Search_StopsAtTheLargestArena_AndSaysNoneFits()
        {
            // 25,000 one-byte blocks on the debug heap at BLOCKSIZE 16: 33 bytes each, three blocks,
            // 1.2 MB in all, past the seed's 1,048,544 bytes at that size.
            var b = new System.Text.StringBuilder("# checker-nano trace v1\n# source: test\n");
            for (int id = 1; id <= 25000; id++)
            {
                b.Append("a ").Append(id).Append(" 1\n");
            }

            Trace t = TraceReader.Parse(b.ToString(), "t.txt");
            MinHeapResult r = MinHeapSearch.Find(t, size => new DebugHeapAdapter(size, 16, threadSafe: false) { Touch = false }, null, 16, ArenaLimits.Largest(HeapPolicy.Seed, 16));
            Assert.False(r.Found);
            Assert.Equal(0, r.HeapBytes);
            Assert.Equal(1048544, r.LargestTried);
            Assert.Throws<InvalidOperationException>(() => MinHeapSearch.ForDebugHeap(t, 16));
        }

        [Fact]
        public void Search_OfARequestPastTheLargest_TriesNothing()
        {
            Trace t = TraceReader.Parse("# checker-nano trace v1\n# source: test\na 1 2147483647\nf 1\n", "t.txt");
            MinHeapResult r = MinHeapSearch.Find(t, size => new HeapAdapter(size, 4096, HeapPolicy.Seed, threadSafe: false), null, 16, ArenaLimits.Largest(HeapPolicy.Seed, 4096));
            Assert.False(r.Found);
            Assert.Equal(0, r.Replays);
            Assert.Equal(16769024, r.LargestTried);
        }
    }
}
