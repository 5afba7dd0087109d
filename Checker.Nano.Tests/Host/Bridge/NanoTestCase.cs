// Host only: the xunit (v2) test case for one NanoCase. Its test method is NanoTests.Run and its
// arguments (class full name, method name, row) are all it serializes, so it survives xunit's
// discovery/execution round trip. It shows the nano name ("HeapTests.Malloc_Sizes(100)") and maps
// a SkipTestException to a skipped result: xunit 2.x has no dynamic skip, so the message bus is
// wrapped and a failure caused by SkipTestException is reported as a skip instead.
using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Threading;
using System.Threading.Tasks;
using nanoFramework.TestFramework;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Checker.Nano.Tests.Host.Bridge
{
    public sealed class NanoTestCase : XunitTestCase
    {
        [EditorBrowsable(EditorBrowsableState.Never)]
        [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
        public NanoTestCase()
        {
        }

        internal NanoTestCase(IMessageSink diagnosticMessageSink, TestMethodDisplay defaultMethodDisplay, TestMethodDisplayOptions defaultMethodDisplayOptions, ITestMethod testMethod, NanoCase nanoCase)
            : base(diagnosticMessageSink, defaultMethodDisplay, defaultMethodDisplayOptions, testMethod, new object[] { nanoCase.ClassKey, nanoCase.Method.Name, nanoCase.Row })
        {
        }

        /// <summary>The catalog entry this case runs, or null if the build no longer has it.</summary>
        internal NanoCase NanoCase
        {
            get
            {
                object[] args = TestMethodArguments;
                return args == null || args.Length != 3 ? null : NanoCatalog.Current.Find((string)args[0], (string)args[1], Convert.ToInt32(args[2]));
            }
        }

        protected override string GetDisplayName(IAttributeInfo factAttribute, string displayName)
        {
            NanoCase nanoCase = NanoCase;
            if (nanoCase != null)
            {
                return nanoCase.DisplayName;
            }

            object[] args = TestMethodArguments ?? Array.Empty<object>();
            return string.Join(".", Array.ConvertAll(args, a => Convert.ToString(a, System.Globalization.CultureInfo.InvariantCulture)));
        }

        protected override void Initialize()
        {
            base.Initialize();

            // Filterable with: dotnet test --filter "NanoClass=HeapTests" (or NanoMethod=...).
            NanoCase nanoCase = NanoCase;
            if (nanoCase != null)
            {
                Traits["NanoClass"] = new List<string> { nanoCase.Class.Name };
                Traits["NanoMethod"] = new List<string> { nanoCase.Method.Name };
            }
        }

        public override async Task<RunSummary> RunAsync(
            IMessageSink diagnosticMessageSink,
            IMessageBus messageBus,
            object[] constructorArguments,
            ExceptionAggregator aggregator,
            CancellationTokenSource cancellationTokenSource)
        {
            var bus = new SkipMappingMessageBus(messageBus);
            RunSummary summary = await base.RunAsync(diagnosticMessageSink, bus, constructorArguments, aggregator, cancellationTokenSource);
            if (bus.Skipped > 0)
            {
                summary.Failed -= bus.Skipped;
                summary.Skipped += bus.Skipped;
            }

            return summary;
        }

        /// <summary>Passes every message on, except that a test failed by SkipTestException becomes a skipped test.</summary>
        private sealed class SkipMappingMessageBus : IMessageBus
        {
            private static readonly string SkipTypeName = typeof(SkipTestException).FullName;
            private readonly IMessageBus _inner;
            private int _skipped;

            public SkipMappingMessageBus(IMessageBus inner)
            {
                _inner = inner;
            }

            public int Skipped => Volatile.Read(ref _skipped);

            public bool QueueMessage(IMessageSinkMessage message)
            {
                if (message is ITestFailed failed && failed.ExceptionTypes.Length > 0 && failed.ExceptionTypes[0] == SkipTypeName)
                {
                    Interlocked.Increment(ref _skipped);
                    string reason = failed.Messages.Length > 0 ? failed.Messages[0] : null;
                    if (string.IsNullOrEmpty(reason) || reason.StartsWith("Exception of type ", StringComparison.Ordinal))
                    {
                        reason = "Assert.SkipTest() (no reason given)";
                    }

                    return _inner.QueueMessage(new TestSkipped(failed.Test, reason));
                }

                if (message is ITestCaseFinished finished && Skipped > 0)
                {
                    return _inner.QueueMessage(new TestCaseFinished(
                        finished.TestCase, finished.ExecutionTime, finished.TestsRun, finished.TestsFailed - Skipped, finished.TestsSkipped + Skipped));
                }

                return _inner.QueueMessage(message);
            }

            public void Dispose()
            {
                // The inner bus belongs to the caller.
            }
        }
    }
}
