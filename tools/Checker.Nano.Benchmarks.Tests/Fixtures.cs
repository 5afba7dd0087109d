// Small methods of known IL for the instrumenter's tests. This project is always compiled
// optimized (see the csproj), so their IL is fixed: EmptyLoop(n), for one, is
//   ldc.i4.0; stloc.0; br.s COND; BODY: ldloc.0; ldc.i4.1; add; stloc.0;
//   COND: ldloc.0; ldarg.0; blt.s BODY; ret
// = 7 + 7n instructions. The tests run an instrumented copy of this assembly and compare every
// result with the original's.
using System;

namespace Checker.Nano.Benchmarks.Tests
{
    public static class Fixtures
    {
        public static void EmptyLoop(int n)
        {
            for (int i = 0; i < n; i++)
            {
            }
        }

        public static int Collatz(int n)
        {
            int steps = 0;
            while (n != 1)
            {
                n = (n & 1) == 0 ? n / 2 : (3 * n) + 1;
                steps++;
            }

            return steps;
        }

        public static int Classify(int x)
        {
            switch (x)
            {
                case 0: return 10;
                case 1: return 20;
                case 2: return 35;
                case 3: return 47;
                default: return -1;
            }
        }

        public static int TryCatchFinally(int x, int[] log)
        {
            int r = 0;
            try
            {
                if (x < 0)
                {
                    throw new ArgumentException("negative", nameof(x));
                }

                r = x * 2;
            }
            catch (ArgumentException)
            {
                r = -1;
            }
            finally
            {
                log[0]++;
            }

            return r;
        }

        public static int Locked(object gate, int x)
        {
            lock (gate)
            {
                return x + 1;
            }
        }

        public static int Sum(int[] a, byte[] b)
        {
            int s = 0;
            for (int i = 0; i < a.Length; i++)
            {
                s += a[i];
            }

            for (int i = 0; i < b.Length; i++)
            {
                s += b[i];
            }

            return s;
        }

        public static int Calls(int n)
        {
            int s = 0;
            for (int i = 0; i < n; i++)
            {
                s += Helper(i);
            }

            return Math.Max(s, 0);
        }

        private static int Helper(int i) => i & 3;
    }
}
