// Host (.NET) stand-in for nanoFramework.TestFramework 3.0: see Host/README.md.
using System;

namespace TestFrameworkShared
{
    /// <summary>Thrown by every failing assertion of <c>Assert</c> and <c>CollectionAssert</c>.</summary>
    public class AssertFailedException : Exception
    {
        public AssertFailedException()
        {
        }

        public AssertFailedException(string msg)
            : base(msg)
        {
        }

        public AssertFailedException(string msg, Exception ex)
            : base(msg, ex)
        {
        }
    }
}
