// The device benchmark: N malloc+free pairs of 16, 64 and 256 bytes (steady state: one block of
// the size stays allocated, so its block stays split) through the base heap
// (with and without its lock) and through the debug heap, against `new byte[n]`, timed with the
// runtime's clock (DateTime.UtcNow.Ticks: 100 ns). Prints ns per operation and the ratio to
// `new byte[n]` over the reporter, so it runs the same on a board (Board.BENCHMARK_AT_START), on
// the nanoFramework emulator (its test, Checker.Nano.Tests/Benchmark) and on the PC
// (`dotnet run --project boards/host -- --bench`). It is in the library so that a firmware can
// measure the allocator on its own chip.
//
// Reference figures (nanoFramework's interpreter built for Linux, from the performance issue):
// `new byte[n]` 70-90 ns; a GNU-style fragment allocator 0.9 us per pair with its metadata in
// int[]. Goal: a fragment's malloc+free pair within 10x of `new byte[n]`, aiming for 5x.
// Device subset: no generics, no LINQ; strings only for the printed lines.
using System;

namespace Checker.Nano
{
    /// <summary>Times malloc+free pairs against new byte[n] and reports ns per pair.</summary>
    public static class AllocBenchmark
    {
        /// <summary>The request sizes timed.</summary>
        public static readonly int[] Sizes = new int[] { 16, 64, 256 };

        /// <summary>
        /// Runs <paramref name="pairs"/> pairs per size and case on a fresh arena of
        /// <paramref name="heapBytes"/> with <paramref name="blockSize"/>-byte blocks; one text
        /// line per size through <paramref name="reporter"/>. Returns the base heap's ns per pair
        /// (with its lock) for each size, for tests.
        /// </summary>
        public static long[] Run(Reporter reporter, int heapBytes, int blockSize, int pairs)
        {
            if (pairs < 1)
            {
                throw new ArgumentOutOfRangeException("pairs", "pairs must be at least 1");
            }

            long[] result = new long[Sizes.Length];
            reporter.Line("bench: " + pairs.ToString() + " malloc+free pairs per case, HEAP " + heapBytes.ToString()
                + ", BLOCKSIZE " + blockSize.ToString() + "; ns per pair (ratio to new byte[n])");
            long loop = TimeEmptyLoop(pairs);

            // One untimed round first: on the PC it lets the JIT compile every path (the device
            // interprets, so there it only costs time).
            for (int pass = 0; pass < 2; pass++)
            {
                for (int k = 0; k < Sizes.Length; k++)
                {
                    Measure(reporter, heapBytes, blockSize, pass == 0 ? (pairs + 9) / 10 : pairs, loop, k, pass == 1, result);
                }
            }

            return result;
        }

        private static void Measure(Reporter reporter, int heapBytes, int blockSize, int pairs, long loop, int k, bool print, long[] result)
        {
            {
                int size = Sizes[k];
                Heap heap = new Heap(new byte[heapBytes], blockSize);
                long locked = TimeHeap(heap, size, pairs, loop);
                heap.ThreadSafe = false;
                long unlocked = TimeHeap(heap, size, pairs, loop);
                DebugHeap debug = new DebugHeap(new Heap(new byte[heapBytes], blockSize), reporter);
                long debugged = TimeDebugHeap(debug, size, pairs, loop);
                long gc = TimeNew(size, pairs, loop);
                result[k] = locked;
                if (!print)
                {
                    return;
                }

                reporter.Begin().Append("bench: ").AppendPadded(size, 3).Append(" bytes: heap ").Append(locked)
                    .Append(Ratio(locked, gc)).Append(", heap without lock ").Append(unlocked).Append(Ratio(unlocked, gc))
                    .Append(", debug heap ").Append(debugged).Append(Ratio(debugged, gc))
                    .Append(", new byte[").Append(size).Append("] ").Append(gc).End();
            }
        }

        private static string Ratio(long ns, long baseline)
        {
            if (baseline <= 0)
            {
                return " (-)";
            }

            long tenths = ((ns * 10) + (baseline / 2)) / baseline;
            return " (" + (tenths / 10).ToString() + "." + (tenths % 10).ToString() + "x)";
        }

        // ns per iteration of a loop doing nothing: subtracted from every case.
        private static long TimeEmptyLoop(int pairs)
        {
            long t0 = DateTime.UtcNow.Ticks;
            for (int i = 0; i < pairs; i++)
            {
            }

            return ((DateTime.UtcNow.Ticks - t0) * 100) / pairs;
        }

        // Both heaps keep one block of the size for the whole case (a firmware's long-lived
        // buffer): a fragment's block then stays split and a pair is the steady state, a list pop
        // and a link-in. Without it every pair would split a block and give it back.
        private static long TimeHeap(Heap heap, int size, int pairs, long loop)
        {
            if (heap.MStats().ChunksUsed == 0)
            {
                heap.Malloc(size);   // first use: initialize, split a block, keep the resident one
            }

            heap.Free(heap.Malloc(size));
            long t0 = DateTime.UtcNow.Ticks;
            for (int i = 0; i < pairs; i++)
            {
                heap.Free(heap.Malloc(size));
            }

            return Net(t0, pairs, loop);
        }

        private static long TimeDebugHeap(DebugHeap debug, int size, int pairs, long loop)
        {
            debug.Malloc(size);   // the resident block
            debug.Free(debug.Malloc(size));
            long t0 = DateTime.UtcNow.Ticks;
            for (int i = 0; i < pairs; i++)
            {
                debug.Free(debug.Malloc(size));
            }

            return Net(t0, pairs, loop);
        }

        private static long TimeNew(int size, int pairs, long loop)
        {
            byte[] keep = null;
            long t0 = DateTime.UtcNow.Ticks;
            for (int i = 0; i < pairs; i++)
            {
                keep = new byte[size];
            }

            long ns = Net(t0, pairs, loop);
            return keep.Length == size ? ns : -1;
        }

        private static long Net(long t0, int pairs, long loop)
        {
            long ns = (((DateTime.UtcNow.Ticks - t0) * 100) / pairs) - loop;
            return ns < 0 ? 0 : ns;
        }
    }
}
