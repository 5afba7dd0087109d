// Little-endian 16- and 32-bit values in a byte[]: the only place Checker.Nano assembles
// words from arena bytes (the Compact policy's slot and gap links, debug headers, Checker's scans).
//
// Cost note (nanoFramework interpreter, figures in the performance issue): assembling an int
// from four bytes costs about 140 ns against about 25 ns for an int[] element; that is why the
// heapinfo table (and the seed's free-fragment bitmap) lives in an int[] and only what must live
// in the arena (the Compact policy's free-slot and gap links, headers inside blocks) goes through
// these helpers.
namespace Checker.Nano
{
    /// <summary>Little-endian reads and writes of 16- and 32-bit values in a byte[].</summary>
    public static class Bytes
    {
        /// <summary>Reads the little-endian int at <paramref name="offset"/>.</summary>
        public static int GetInt32(byte[] m, int offset)
        {
            return m[offset] | (m[offset + 1] << 8) | (m[offset + 2] << 16) | (m[offset + 3] << 24);
        }

        /// <summary>Writes <paramref name="value"/> little-endian at <paramref name="offset"/>.</summary>
        public static void PutInt32(byte[] m, int offset, int value)
        {
            m[offset] = (byte)value;
            m[offset + 1] = (byte)(value >> 8);
            m[offset + 2] = (byte)(value >> 16);
            m[offset + 3] = (byte)(value >> 24);
        }

        /// <summary>Reads the little-endian 16-bit value at <paramref name="offset"/>.</summary>
        public static short GetInt16(byte[] m, int offset)
        {
            return (short)(m[offset] | (m[offset + 1] << 8));
        }

        /// <summary>Writes the low 16 bits of <paramref name="value"/> little-endian at <paramref name="offset"/>.</summary>
        public static void PutInt16(byte[] m, int offset, int value)
        {
            m[offset] = (byte)value;
            m[offset + 1] = (byte)(value >> 8);
        }

        /// <summary>
        /// Fills <paramref name="count"/> bytes from <paramref name="offset"/> with <paramref name="value"/>:
        /// 0 by Array.Clear; anything else by writing up to 8 bytes, then copying the filled run
        /// after itself, doubling it (Array.Copy is native on the device, a byte written from the
        /// interpreter costs about a tenth of a copy: 64 bytes take 8 writes and 3 copies).
        /// </summary>
        public static void Fill(byte[] m, int offset, int count, byte value)
        {
            if (value == 0)
            {
                System.Array.Clear(m, offset, count);
                return;
            }

            int done = count < 8 ? count : 8;
            for (int i = offset; i < offset + done; i++)
            {
                m[i] = value;
            }

            while (done < count)
            {
                int n = count - done < done ? count - done : done;
                System.Array.Copy(m, offset, m, offset + done, n);
                done += n;
            }
        }

        /// <summary>"0x0000A010": the address format of every report.</summary>
        public static string Hex8(int value)
        {
            return "0x" + value.ToString("X8");
        }
    }
}
