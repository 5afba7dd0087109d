// Thread safety and the soak at their quick sizes. The thread test runs 4 threads x 250,000
// operations with Validate every 1,024 operations per thread on each layer; the soak replays
// the small shared traces (or the generated synthetic one) twice back to back with the debug
// heap's CHECK_EVERY_1024_DF. The long soak (100 rounds of every trace) is the console tool's.
using Checker.Nano.Traces;
using System.Collections.Generic;
using Xunit;
using Xunit.Abstractions;

namespace Checker.Nano.Reliability.Tests
{
    public class BaseHeapThreadTests(ITestOutputHelper output)
    {
        [Fact]
        public void FourThreads_QuarterMillionOperationsEach_StayConsistent()
        {
            Rows.Clean(output, ThreadStress.Run(Layer.Base, 4, Sizes.Quick.ThreadOperations(Layer.Base), 1024, 4242));
        }
    }

    public class DebugHeapThreadTests(ITestOutputHelper output)
    {
        [Fact]
        public void FourThreads_StayConsistent()
        {
            Rows.Clean(output, ThreadStress.Run(Layer.Debug, 4, Sizes.Quick.ThreadOperations(Layer.Debug), 1024, 4243));
        }
    }

    public class CheckerThreadTests(ITestOutputHelper output)
    {
        [Fact]
        public void FourThreads_StayConsistent()
        {
            Rows.Clean(output, ThreadStress.Run(Layer.Checker, 4, Sizes.Quick.ThreadOperations(Layer.Checker), 1024, 4244));
        }
    }

    public class SoakTests(ITestOutputHelper output)
    {
        [Fact]
        public void SmallTraces_BackToBack_OnTheDebugHeap_LeaveItEmptyEachTime()
        {
            List<Trace> traces = Soak.SharedTraces(TraceFiles.DefaultDirectory(), includeLarge: false);
            if (traces.Count == 0)
            {
                traces.Add(SyntheticTrace.EspIdf());
            }

            Rows.Clean(output, Soak.Run(Layer.Debug, traces, 2, new HeapShape(8 << 20, 4096)));
        }
    }
}
