// Host only: the xunit entry point. Every nanoFramework-style test in this assembly (see
// NanoCatalog) is one xunit test case of NanoTests.Run, shown under its nano name.
//
// Test classes run one after another, as on the device: a test written for the device may
// share static state with another class without knowing it. To run classes in parallel
// instead, set DisableTestParallelization = false below (each class is its own collection).
using Checker.Nano.Tests.Host.Bridge;
using Xunit;
using Xunit.Abstractions;

[assembly: CollectionBehavior(DisableTestParallelization = true)]
[assembly: TestCollectionOrderer(NanoTestCollectionOrderer.TypeName, NanoTestCollectionOrderer.AssemblyName)]

namespace Checker.Nano.Tests.Host.Bridge
{
    [TestCaseOrderer(NanoTestCaseOrderer.TypeName, NanoTestCaseOrderer.AssemblyName)]
    public sealed class NanoTests
    {
        private readonly ITestOutputHelper _output;

        public NanoTests(ITestOutputHelper output)
        {
            _output = output;
        }

#pragma warning disable xUnit1001 // The discoverer supplies the arguments of every case.
        [NanoTests]
        [System.Diagnostics.StackTraceHidden]
        public void Run(string className, string methodName, int row)
#pragma warning restore xUnit1001
        {
            using (TestOutput.Begin(_output.WriteLine))
            {
                NanoRunner.Run(className, methodName, row);
            }
        }
    }
}
