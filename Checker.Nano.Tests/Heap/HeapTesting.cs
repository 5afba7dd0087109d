// Small wrappers the heap tests call so that every operation is followed by Validate(),
// and a fixed-seed generator that gives the same numbers on the device and the PC
// (System.Random's sequence differs between nanoFramework and .NET).
using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    internal static class HeapTesting
    {
        /// <summary>A fresh 64 KiB arena (the host board's HEAP) with 4096-byte blocks: block 1 starts at offset 8.</summary>
        public static Heap NewHeap()
        {
            return new Heap(new byte[65536], 4096);
        }

        public static void Valid(BaseHeap heap)
        {
            string problem = heap.Validate();
            if (problem != null)
            {
                Assert.IsNull(problem, "Validate: " + problem + " | table: " + heap.Describe());
            }
        }

        public static int Malloc(BaseHeap heap, int size)
        {
            int p = heap.Malloc(size);
            Valid(heap);
            return p;
        }

        public static void Free(BaseHeap heap, int p)
        {
            heap.Free(p);
            Valid(heap);
        }

        public static int Realloc(BaseHeap heap, int p, int size)
        {
            int q = heap.Realloc(p, size);
            Valid(heap);
            return q;
        }

        /// <summary>
        /// On a fresh heap of 256-byte blocks: 40 one-block requests of 256 bytes at 8, 264, ...,
        /// then every other one freed but the top three (40 items for Describe, none coalesced).
        /// Returns the Describe string expected: items keyed by block number (the seed's policy)
        /// or by offset (Compact), "free" and "used" spelled as the policy spells them.
        /// </summary>
        public static string FortyItems(BaseHeap heap, bool keyedByOffset, string freeItem, string usedItem)
        {
            for (int i = 0; i < 40; i++)
            {
                Assert.AreEqual(8 + (i * 256), Malloc(heap, 256));
            }

            string expected = "";
            for (int i = 0; i < 40; i++)
            {
                bool free = (i & 1) == 0 && i < 37;
                if (free)
                {
                    Free(heap, 8 + (i * 256));
                }

                expected += (i == 0 ? "" : " ") + (keyedByOffset ? 8 + (i * 256) : i + 1).ToString() + ":" + (free ? freeItem : usedItem);
            }

            return expected;
        }

        /// <summary>Writes a pattern derived from <paramref name="seed"/> over <paramref name="count"/> bytes.</summary>
        public static void Pattern(byte[] m, int offset, int count, int seed)
        {
            for (int i = 0; i < count; i++)
            {
                m[offset + i] = (byte)(seed * 31 + i * 7);
            }
        }

        /// <summary>The index of the first byte that differs from the pattern, or -1.</summary>
        public static int CheckPattern(byte[] m, int offset, int count, int seed)
        {
            for (int i = 0; i < count; i++)
            {
                if (m[offset + i] != (byte)(seed * 31 + i * 7))
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>Asserts that <paramref name="action"/> throws a HeapException with <paramref name="error"/> and leaves the table as it was.</summary>
        public static void Rejects(BaseHeap heap, HeapError error, string expectedMessage, System.Action action)
        {
            string before = heap.Describe();
            MStats s0 = heap.MStats();
            HeapException caught = null;
            try
            {
                action();
            }
            catch (HeapException e)
            {
                caught = e;
            }

            Assert.IsNotNull(caught, "expected a HeapException");
            Assert.AreEqual((int)error, (int)caught.Error);
            if (expectedMessage != null)
            {
                Assert.AreEqual(expectedMessage, caught.Message);
            }

            Assert.AreEqual(before, heap.Describe());
            MStats s1 = heap.MStats();
            Assert.AreEqual(s0.ChunksUsed, s1.ChunksUsed);
            Assert.AreEqual(s0.BytesFree, s1.BytesFree);
            Valid(heap);
        }
    }

    /// <summary>xorshift32: the same sequence on every runtime.</summary>
    internal sealed class TestRandom
    {
        private uint _state;

        public TestRandom(int seed)
        {
            _state = (uint)seed * 2654435761u + 1u;
            if (_state == 0)
            {
                _state = 1;
            }
        }

        /// <summary>A number in [0, max).</summary>
        public int Next(int max)
        {
            uint x = _state;
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            _state = x;
            return (int)(x % (uint)max);
        }
    }
}
