// Host (.NET) stand-in for nanoFramework.TestFramework 3.0: see Host/README.md.
using System;

namespace nanoFramework.TestFramework
{
    /// <summary>
    /// Thrown by <see cref="Assert.SkipTest"/>. The host bridge reports the test as skipped with this
    /// message; thrown from a [Setup] method it skips every test of the class, as on the device.
    /// </summary>
    public class SkipTestException : Exception
    {
        public SkipTestException(string message = null, Exception innerException = null)
            : base(message, innerException)
        {
        }
    }
}
