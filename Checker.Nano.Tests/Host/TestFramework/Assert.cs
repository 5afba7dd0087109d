// Host (.NET) stand-in for nanoFramework.TestFramework 3.0: see Host/README.md.
// Written from the device assembly's public API listing; the checks follow the device's
// behaviour where it is stricter than desktop test frameworks (IsInstanceOfType and
// ThrowsException want the exact type), so a test that passes here also passes there.
// The last parameter of most asserts is [CallerArgumentExpression]: when the test passes no
// message, the compiler passes the source text of the checked argument, and failures quote it.
using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using TestFrameworkShared;

namespace nanoFramework.TestFramework
{
    [StackTraceHidden]
    public sealed partial class Assert
    {
        public static void IsTrue(bool condition, [CallerArgumentExpression(nameof(condition))] string message = "")
        {
            if (!condition)
            {
                Fail("Assert.IsTrue", message, "Expected true, was false.");
            }
        }

        public static void IsFalse(bool condition, [CallerArgumentExpression(nameof(condition))] string message = "")
        {
            if (condition)
            {
                Fail("Assert.IsFalse", message, "Expected false, was true.");
            }
        }

        public static void IsNull(object value, [CallerArgumentExpression(nameof(value))] string message = "")
        {
            if (value is not null)
            {
                Fail("Assert.IsNull", message, "Expected null. Actual:<" + Show(value) + ">" + TypeSuffix(value) + ".");
            }
        }

        public static void IsNotNull(object value, [CallerArgumentExpression(nameof(value))] string message = "")
        {
            if (value is null)
            {
                Fail("Assert.IsNotNull", message, "Expected a non-null value, was null.");
            }
        }

        public static void AreSame(object expected, object actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (ReferenceEquals(expected, actual))
            {
                return;
            }

            string detail = "Expected the same object as <" + Show(expected) + ">" + TypeSuffix(expected)
                + ". Actual:<" + Show(actual) + ">" + TypeSuffix(actual) + ".";
            if (expected is ValueType || actual is ValueType)
            {
                detail += " Value types are boxed anew on each call and are never the same object; use AreEqual.";
            }

            Fail("Assert.AreSame", message, detail);
        }

        public static void AreNotSame(object notExpected, object actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (ReferenceEquals(notExpected, actual))
            {
                Fail("Assert.AreNotSame", message, "Both refer to the same object <" + Show(actual) + ">" + TypeSuffix(actual) + ".");
            }
        }

        public static void Contains(string expected, string value, [CallerArgumentExpression(nameof(value))] string message = "")
        {
            RequireNotNull("Assert.Contains", expected, nameof(expected));
            RequireNotNull("Assert.Contains", value, nameof(value));
            if (!value.Contains(expected, StringComparison.Ordinal))
            {
                Fail("Assert.Contains", message, "<" + Show(value) + "> does not contain <" + Show(expected) + ">.");
            }
        }

        public static void DoesNotContains(string notExpected, string value, [CallerArgumentExpression(nameof(value))] string message = "")
        {
            RequireNotNull("Assert.DoesNotContains", notExpected, nameof(notExpected));
            RequireNotNull("Assert.DoesNotContains", value, nameof(value));
            int at = value.IndexOf(notExpected, StringComparison.Ordinal);
            if (at >= 0)
            {
                Fail("Assert.DoesNotContains", message, "<" + Show(value) + "> contains <" + Show(notExpected) + "> at index " + at + ".");
            }
        }

        public static void StartsWith(string expected, string value, [CallerArgumentExpression(nameof(value))] string message = "")
        {
            RequireNotNull("Assert.StartsWith", expected, nameof(expected));
            RequireNotNull("Assert.StartsWith", value, nameof(value));
            if (!value.StartsWith(expected, StringComparison.Ordinal))
            {
                Fail("Assert.StartsWith", message, "<" + Show(value) + "> does not start with <" + Show(expected) + ">.");
            }
        }

        public static void EndsWith(string expected, string value, [CallerArgumentExpression(nameof(value))] string message = "")
        {
            RequireNotNull("Assert.EndsWith", expected, nameof(expected));
            RequireNotNull("Assert.EndsWith", value, nameof(value));
            if (!value.EndsWith(expected, StringComparison.Ordinal))
            {
                Fail("Assert.EndsWith", message, "<" + Show(value) + "> does not end with <" + Show(expected) + ">.");
            }
        }

        /// <summary>Passes if value's type is exactly <paramref name="expected"/> (as on the device: a derived type fails).</summary>
        public static void IsInstanceOfType(object value, Type expected, [CallerArgumentExpression(nameof(value))] string message = "")
        {
            RequireNotNull("Assert.IsInstanceOfType", expected, nameof(expected));
            if (value is null || value.GetType() != expected)
            {
                string actual = value is null ? "(null)" : value.GetType().FullName;
                Fail("Assert.IsInstanceOfType", message, "Expected type:<" + expected.FullName + ">. Actual type:<" + actual + ">."
                    + (value is not null && expected.IsInstanceOfType(value) ? " (The device requires the exact type; a derived type fails.)" : string.Empty));
            }
        }

        /// <summary>Fails only if value's type is exactly <paramref name="notExpected"/> (as on the device).</summary>
        public static void IsNotInstanceOfType(object value, Type notExpected, [CallerArgumentExpression(nameof(value))] string message = "")
        {
            RequireNotNull("Assert.IsNotInstanceOfType", notExpected, nameof(notExpected));
            if (value is not null && value.GetType() == notExpected)
            {
                Fail("Assert.IsNotInstanceOfType", message, "Wrong type:<" + notExpected.FullName + ">. Actual type:<" + value.GetType().FullName + ">.");
            }
        }

        /// <summary>
        /// Passes if <paramref name="action"/> throws an exception of exactly the type <paramref name="exception"/>
        /// (as on the device: a derived type fails).
        /// </summary>
        public static void ThrowsException(Type exception, Action action, [CallerArgumentExpression(nameof(action))] string message = "")
        {
            RequireNotNull("Assert.ThrowsException", exception, nameof(exception));
            RequireNotNull("Assert.ThrowsException", action, nameof(action));
            try
            {
                action();
            }
            catch (Exception ex)
            {
                if (ex.GetType() == exception)
                {
                    return;
                }

                throw new AssertFailedException(
                    Compose("Assert.ThrowsException", message,
                        "Expected exception:<" + exception.FullName + ">. Actual exception:<" + ex.GetType().FullName + ">: " + ex.Message
                        + (exception.IsInstanceOfType(ex) ? " (The device requires the exact type; a derived type fails.)" : string.Empty)),
                    ex);
            }

            Fail("Assert.ThrowsException", message, "Expected exception:<" + exception.FullName + ">, but no exception was thrown.");
        }

        /// <summary>Ends the test as skipped (throws <see cref="SkipTestException"/>).</summary>
        public static void SkipTest(string message = null)
        {
            throw new SkipTestException(message);
        }
    }
}
