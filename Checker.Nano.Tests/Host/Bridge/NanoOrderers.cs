// Host only: run order as on the device: test classes by name, then each class's methods in
// declaration order, rows in order, [Cleanup] last.
using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Checker.Nano.Tests.Host.Bridge
{
    public sealed class NanoTestCaseOrderer : ITestCaseOrderer
    {
        public const string TypeName = "Checker.Nano.Tests.Host.Bridge.NanoTestCaseOrderer";
        public const string AssemblyName = "Checker.Nano.Tests";

        public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases)
            where TTestCase : ITestCase
        {
            return testCases
                .OrderBy(tc => (tc as NanoTestCase)?.NanoCase?.Order ?? int.MaxValue)
                .ThenBy(tc => tc.DisplayName, StringComparer.Ordinal)
                .ToList();
        }
    }

    public sealed class NanoTestCollectionOrderer : ITestCollectionOrderer
    {
        public const string TypeName = "Checker.Nano.Tests.Host.Bridge.NanoTestCollectionOrderer";
        public const string AssemblyName = "Checker.Nano.Tests";

        public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections)
        {
            return testCollections.OrderBy(c => c.DisplayName, StringComparer.Ordinal).ToList();
        }
    }
}
