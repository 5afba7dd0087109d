// Host only: runs one NanoCase. [Setup] runs once per class, on first use, whichever thread gets
// there first (Lazy, thread-safe); its outcome is kept: a SkipTestException skips every test of
// the class (as on the device), any other exception fails every test of the class with that
// exception as the cause (the device would run them anyway; failing loudly is more useful here).
// Methods are called as the device calls them: static ones without a target, instance ones on a
// fresh instance each time (the device passes no instance at all, so tests keep no state).
using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.ExceptionServices;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests.Host.Bridge
{
    [StackTraceHidden]
    internal static class NanoRunner
    {
        private static readonly ConcurrentDictionary<Type, Lazy<SetupOutcome>> Setups = new ConcurrentDictionary<Type, Lazy<SetupOutcome>>();

        public static void Run(string className, string methodName, int row)
        {
            NanoCase testCase = NanoCatalog.Current.Find(className, methodName, row);
            if (testCase == null)
            {
                throw new NanoTestDefinitionException(
                    "No test " + className + "." + methodName + (row >= 0 ? " row " + row : string.Empty) + " in this build (stale test list? rebuild and rediscover).");
            }

            if (testCase.Problem != null)
            {
                throw new NanoTestDefinitionException(testCase.Problem);
            }

            SetupOutcome setup = Setups.GetOrAdd(testCase.Class, type => new Lazy<SetupOutcome>(() => RunSetup(type))).Value;
            if (setup.Skip != null)
            {
                throw new SkipTestException("[Setup] " + setup.MethodName + " skipped the class: " + setup.Skip.Message, setup.Skip);
            }

            if (setup.Failure != null && testCase.Kind == NanoCaseKind.Test)
            {
                throw new NanoSetupFailedException(
                    "[Setup] " + setup.MethodName + " failed, so the tests of " + testCase.Class.Name + " were not run: "
                    + setup.Failure.GetType().FullName + ": " + setup.Failure.Message,
                    setup.Failure);
            }

            Invoke(testCase.Class, testCase.Method, testCase.Arguments);
        }

        private static SetupOutcome RunSetup(Type type)
        {
            foreach (MethodInfo method in NanoCatalog.Current.Setups[type])
            {
                try
                {
                    Invoke(type, method, null);
                }
                catch (SkipTestException skip)
                {
                    return new SetupOutcome { MethodName = method.Name, Skip = skip };
                }
                catch (Exception ex)
                {
                    return new SetupOutcome { MethodName = method.Name, Failure = ex };
                }
            }

            return new SetupOutcome();
        }

        /// <summary>Calls the method; its own exceptions propagate unchanged, with their original stack.</summary>
        private static void Invoke(Type type, MethodInfo method, object[] arguments)
        {
            object target = null;
            if (!method.IsStatic)
            {
                try
                {
                    target = Activator.CreateInstance(type, nonPublic: true);
                }
                catch (TargetInvocationException ex)
                {
                    ExceptionDispatchInfo.Capture(ex.InnerException ?? ex).Throw();
                }
            }

            object[] args = arguments == null ? null : (object[])arguments.Clone();
            try
            {
                method.Invoke(target, BindingFlags.DoNotWrapExceptions, binder: null, args, culture: null);
            }
            catch (Exception ex) when (IsBindingFailure(ex, method))
            {
                throw new NanoTestDefinitionException(
                    "Cannot call " + type.FullName + "." + method.Name + Signature(method) + " with (" + NanoCatalog.FormatArguments(arguments)
                    + "): " + ex.Message + " Each [DataRow] value must convert to its parameter's type (an int literal does not become a byte, uint or"
                    + " float: write (byte)5, 5u, 5f...).",
                    ex);
            }
        }

        /// <summary>True for reflection's own complaints about the arguments (thrown before the method body runs).</summary>
        private static bool IsBindingFailure(Exception ex, MethodInfo method)
        {
            if (!(ex is ArgumentException || ex is TargetParameterCountException))
            {
                return false;
            }

            // An ArgumentException thrown by the test itself has the test method on its stack.
            return ex.StackTrace == null || !ex.StackTrace.Contains(method.Name + "(", StringComparison.Ordinal);
        }

        private static string Signature(MethodInfo method)
        {
            var parameters = method.GetParameters();
            var names = new string[parameters.Length];
            for (int i = 0; i < parameters.Length; i++)
            {
                names[i] = parameters[i].ParameterType.Name + " " + parameters[i].Name;
            }

            return "(" + string.Join(", ", names) + ")";
        }

        private sealed class SetupOutcome
        {
            public string MethodName { get; init; }

            public SkipTestException Skip { get; init; }

            public Exception Failure { get; init; }
        }
    }

    /// <summary>A test that cannot run as written (not public, parameters without rows, rows of the wrong shape...).</summary>
    public sealed class NanoTestDefinitionException : Exception
    {
        public NanoTestDefinitionException(string message, Exception inner = null)
            : base(message, inner)
        {
        }
    }

    /// <summary>The class's [Setup] threw; the inner exception is what it threw.</summary>
    public sealed class NanoSetupFailedException : Exception
    {
        public NanoSetupFailedException(string message, Exception inner)
            : base(message, inner)
        {
        }
    }
}
