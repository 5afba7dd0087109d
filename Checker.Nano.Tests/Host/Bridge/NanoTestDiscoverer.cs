// Host only: turns the [NanoTests] method into one xunit test case per NanoCase. Each nano test
// class gets its own xunit test collection ("nano HeapTests"), so results group by class and
// the classes could run in parallel (see NanoTests.cs for why they don't).
using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Checker.Nano.Tests.Host.Bridge
{
    public sealed class NanoTestDiscoverer : IXunitTestCaseDiscoverer
    {
        private readonly IMessageSink _diagnosticMessageSink;

        public NanoTestDiscoverer(IMessageSink diagnosticMessageSink)
        {
            _diagnosticMessageSink = diagnosticMessageSink;
        }

        public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
        {
            TestMethodDisplay display = discoveryOptions.MethodDisplayOrDefault();
            TestMethodDisplayOptions displayOptions = discoveryOptions.MethodDisplayOptionsOrDefault();

            IReadOnlyList<NanoCase> cases;
            try
            {
                cases = NanoCatalog.Current.Cases;
            }
            catch (Exception ex)
            {
                return new IXunitTestCase[]
                {
                    new ExecutionErrorTestCase(_diagnosticMessageSink, display, displayOptions, testMethod,
                        "Could not list the nanoFramework tests: " + ex),
                };
            }

            var result = new List<IXunitTestCase>(cases.Count);
            var methods = new Dictionary<Type, ITestMethod>();
            foreach (NanoCase nanoCase in cases)
            {
                if (!methods.TryGetValue(nanoCase.Class, out ITestMethod classMethod))
                {
                    var collection = new TestCollection(testMethod.TestClass.TestCollection.TestAssembly, null, "nano " + nanoCase.Class.FullName)
                    {
                        UniqueID = StableGuid(nanoCase.Class.FullName),
                    };
                    classMethod = new TestMethod(new TestClass(collection, testMethod.TestClass.Class), testMethod.Method);
                    methods.Add(nanoCase.Class, classMethod);
                }

                result.Add(new NanoTestCase(_diagnosticMessageSink, display, displayOptions, classMethod, nanoCase));
            }

            return result;
        }

        private static Guid StableGuid(string text)
        {
            byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes("nano test collection\n" + text));
            return new Guid(hash.AsSpan(0, 16));
        }
    }
}
