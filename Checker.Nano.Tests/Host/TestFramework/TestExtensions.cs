// Host (.NET) stand-in for nanoFramework.TestFramework 3.0: see Host/README.md.
using System;

namespace nanoFramework.TestFramework
{
    public static class TestExtensions
    {
        /// <summary>
        /// True when both arrays are non-null, of equal length, and element i of each has the same
        /// runtime type and value. As on the device: numbers, chars and bools compare by value (so a
        /// NaN never equals itself), every other element by reference (two equal strings built at run
        /// time differ); a null argument gives false. Unlike the device, which throws on a null
        /// element, a null element here equals only a null element.
        /// </summary>
        public static bool SequenceEqual(this Array a, Array b)
        {
            if (a == null || b == null || a.Length != b.Length)
            {
                return false;
            }

            int index = 0;
            foreach (object x in a)
            {
                object y = b.GetValue(index++);
                if (x == null || y == null)
                {
                    if (x != y)
                    {
                        return false;
                    }

                    continue;
                }

                if (x.GetType() != y.GetType())
                {
                    return false;
                }

                bool same = x switch
                {
                    int i => i == (int)y,
                    uint i => i == (uint)y,
                    byte i => i == (byte)y,
                    sbyte i => i == (sbyte)y,
                    short i => i == (short)y,
                    ushort i => i == (ushort)y,
                    long i => i == (long)y,
                    ulong i => i == (ulong)y,
                    char c => c == (char)y,
                    bool v => v == (bool)y,
                    double d => d == (double)y,
                    float f => f == (float)y,
                    _ => ReferenceEquals(x, y),
                };
                if (!same)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
