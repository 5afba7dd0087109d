// What the tracing tests of every layer share (linked into the Reporter, DebugHeap and Checker
// test assemblies): a hook that writes each event down as text, the operations of a layer
// behind one small class, and a fixed workload (the same on the device and the PC) whose
// offsets are compared with tracing on and off.
using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    /// <summary>A TraceHook that keeps every event as text: "a 8 100", "c 8 3x8", "r 136<8 200", "f 8", "m 64 40/64", then " ty=N" and " file:line" when known.</summary>
    internal sealed class RecordingHook : TraceHook
    {
        public string Log = "";
        public int Count;
        public bool KeepText = true;   // false: count only (a long workload would copy the log quadratically)

        public override void Record(int op, int ptr, int aux, int size, int blockUse, string file, int line)
        {
            if (!KeepText)
            {
                Count++;
                return;
            }

            string e;
            switch (op)
            {
                case OpMalloc:
                    e = "a " + ptr.ToString() + " " + size.ToString();
                    break;
                case OpCalloc:
                    e = "c " + ptr.ToString() + " " + aux.ToString() + "x" + size.ToString();
                    break;
                case OpRealloc:
                    e = "r " + ptr.ToString() + "<" + aux.ToString() + " " + size.ToString();
                    break;
                case OpFree:
                    e = "f " + ptr.ToString() + (size == -1 && aux == 0 ? "" : " ?");
                    break;
                case OpMemalign:
                    e = "m " + ptr.ToString() + " " + size.ToString() + "/" + aux.ToString();
                    break;
                default:
                    e = "? " + op.ToString();
                    break;
            }

            if (blockUse >= 0)
            {
                e = e + " ty=" + blockUse.ToString();
            }

            if (file != null)
            {
                int slash = file.LastIndexOf('/');
                e = e + " " + file.Substring(slash + 1) + ":" + line.ToString();
            }

            Log = Count == 0 ? e : Log + "; " + e;
            Count++;
        }
    }

    /// <summary>A layer's malloc, calloc, realloc and free, for the workload.</summary>
    internal abstract class TraceTarget
    {
        public abstract int Malloc(int size);

        public abstract int Calloc(int count, int size);

        public abstract int Realloc(int ptr, int size);

        public abstract void Free(int ptr);
    }

    /// <summary>The base heap's public operations.</summary>
    internal sealed class BaseTarget : TraceTarget
    {
        private readonly BaseHeap _heap;

        public BaseTarget(BaseHeap heap)
        {
            _heap = heap;
        }

        public override int Malloc(int size)
        {
            return _heap.Malloc(size);
        }

        public override int Calloc(int count, int size)
        {
            return _heap.Calloc(count, size);
        }

        public override int Realloc(int ptr, int size)
        {
            return _heap.Realloc(ptr, size);
        }

        public override void Free(int ptr)
        {
            _heap.Free(ptr);
        }
    }

    internal static class TraceWorkload
    {
        /// <summary>
        /// <paramref name="operations"/> mallocs, callocs, reallocs and frees over 48 slots (sizes
        /// mostly small, some of several blocks, a few too large to fit a 64 KiB arena), every
        /// slot freed at the end. Returns every offset handed out, in order (0 for a failure).
        /// </summary>
        public static int[] Run(TraceTarget target, int seed, int operations, int blockSize)
        {
            TestRandom random = new TestRandom(seed);
            int[] slots = new int[48];
            int[] offsets = new int[operations];
            for (int i = 0; i < operations; i++)
            {
                int k = random.Next(slots.Length);
                int kind = random.Next(100);
                int size = random.Next(10) == 0 ? random.Next(3 * blockSize) + 1 : random.Next(300) + 1;
                if (random.Next(200) == 0)
                {
                    size = 70000;   // never fits: an allocation that fails
                }

                int p;
                if (kind < 20 && slots[k] != 0)
                {
                    target.Free(slots[k]);
                    slots[k] = 0;
                    p = -1;
                }
                else if (kind < 45)
                {
                    p = target.Realloc(slots[k], size);   // realloc(0, n) when the slot is empty
                    if (p != 0)
                    {
                        slots[k] = p;
                    }
                }
                else
                {
                    if (slots[k] != 0)
                    {
                        target.Free(slots[k]);
                    }

                    p = kind < 55 ? target.Calloc((size + 7) / 8, 8) : target.Malloc(size);
                    slots[k] = p;
                }

                offsets[i] = p;
            }

            for (int k = 0; k < slots.Length; k++)
            {
                if (slots[k] != 0)
                {
                    target.Free(slots[k]);
                }
            }

            return offsets;
        }

        /// <summary>Fails at the first offset that differs (the same workload with and without a tracer).</summary>
        public static void AssertSame(int[] expected, int[] actual, string what)
        {
            Assert.AreEqual(expected.Length, actual.Length, what);
            for (int i = 0; i < expected.Length; i++)
            {
                if (expected[i] != actual[i])
                {
                    Assert.AreEqual(expected[i], actual[i], what + ": operation " + i.ToString());
                }
            }
        }
    }
}
