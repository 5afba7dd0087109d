using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class BytesTests
    {
        [TestMethod]
        [DataRow(0)]
        [DataRow(1)]
        [DataRow(7)]
        [DataRow(8)]
        [DataRow(9)]
        [DataRow(16)]
        [DataRow(17)]
        [DataRow(63)]
        [DataRow(64)]
        [DataRow(200)]
        public void Fill_WritesExactlyTheRange(int count)
        {
            // Up to 8 bytes written, then the run copied after itself: every length, nothing around it.
            byte[] m = new byte[300];
            for (int i = 0; i < m.Length; i++)
            {
                m[i] = 0x11;
            }

            Bytes.Fill(m, 13, count, 0xA5);
            for (int i = 0; i < m.Length; i++)
            {
                Assert.AreEqual(i >= 13 && i < 13 + count ? (byte)0xA5 : (byte)0x11, m[i], "byte " + i.ToString());
            }

            Bytes.Fill(m, 13, count, 0);
            for (int i = 13; i < 13 + count; i++)
            {
                Assert.AreEqual((byte)0, m[i], "cleared byte " + i.ToString());
            }
        }
    }
}
