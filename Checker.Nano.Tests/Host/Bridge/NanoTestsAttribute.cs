// Host only: marks the one xunit method (NanoTests.Run) whose test cases are the nano tests.
using System;
using Xunit;
using Xunit.Sdk;

namespace Checker.Nano.Tests.Host.Bridge
{
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
    [XunitTestCaseDiscoverer("Checker.Nano.Tests.Host.Bridge.NanoTestDiscoverer", "Checker.Nano.Tests")]
    public sealed class NanoTestsAttribute : FactAttribute
    {
    }
}
