// Host (.NET) stand-in for nanoFramework.TestFramework 3.0: see Host/README.md.
using Checker.Nano.Tests.Host;

namespace nanoFramework.TestFramework
{
    /// <summary>
    /// Test output. On the device it goes to the console; on the host it is attached to the
    /// running test's result (shown by `dotnet test` for failed tests, and in the TRX file),
    /// or goes to the console when no test is running.
    /// </summary>
    public static class OutputHelper
    {
        public static void Write(string message)
        {
            TestOutput.Write(message);
        }

        public static void WriteLine(string message)
        {
            TestOutput.WriteLine(message);
        }
    }
}
