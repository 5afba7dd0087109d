// How a test checks a row of figures: prints it (so `dotnet test -v n` shows the figures), then
// asserts nothing was missed, nothing crashed, nothing hung, with the problems in the message.
using System;
using Xunit;
using Xunit.Abstractions;

namespace Checker.Nano.Reliability.Tests
{
    internal static class Rows
    {
        public static void Clean(ITestOutputHelper output, Figure f)
        {
            output.WriteLine(f.ToString());
            foreach (string p in f.Problems)
            {
                output.WriteLine("  ! " + p);
            }

            Assert.True(f.Clean, f + Environment.NewLine + string.Join(Environment.NewLine, f.Problems));
        }

        /// <summary>Clean, and every injected fault detected (guards, bad handles: the goal is 100%).</summary>
        public static void AllDetected(ITestOutputHelper output, Figure f)
        {
            Clean(output, f);
            Assert.True(f.Injected > 0, "nothing was injected: " + f);
            Assert.Equal(f.Injected, f.Detected);
        }
    }
}
