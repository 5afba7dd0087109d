// Host (.NET) stand-in for nanoFramework.TestFramework 3.0: see Host/README.md.
// One overload per type, exactly as on the device, so overload resolution (e.g. an int literal
// against a uint) binds the same way in both builds. Equality is Equals (so NaN equals NaN);
// strings compare ordinally; object compares with object.Equals (a boxed int never equals a boxed long).
using System;
using System.Runtime.CompilerServices;

namespace nanoFramework.TestFramework
{
    public sealed partial class Assert
    {
        public static void AreEqual(System.DateTime expected, System.DateTime actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (!expected.Equals(actual))
            {
                FailAreEqual(expected, actual, message);
            }
        }

        public static void AreEqual(bool expected, bool actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (!expected.Equals(actual))
            {
                FailAreEqual(expected, actual, message);
            }
        }

        public static void AreEqual(byte expected, byte actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (!expected.Equals(actual))
            {
                FailAreEqual(expected, actual, message);
            }
        }

        public static void AreEqual(char expected, char actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (!expected.Equals(actual))
            {
                FailAreEqual(expected, actual, message);
            }
        }

        public static void AreEqual(double expected, double actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (!expected.Equals(actual))
            {
                FailAreEqual(expected, actual, message);
            }
        }

        public static void AreEqual(float expected, float actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (!expected.Equals(actual))
            {
                FailAreEqual(expected, actual, message);
            }
        }

        public static void AreEqual(int expected, int actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (!expected.Equals(actual))
            {
                FailAreEqual(expected, actual, message);
            }
        }

        public static void AreEqual(long expected, long actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (!expected.Equals(actual))
            {
                FailAreEqual(expected, actual, message);
            }
        }

        public static void AreEqual(object expected, object actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (!object.Equals(expected, actual))
            {
                FailAreEqual(expected, actual, message);
            }
        }

        public static void AreEqual(sbyte expected, sbyte actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (!expected.Equals(actual))
            {
                FailAreEqual(expected, actual, message);
            }
        }

        public static void AreEqual(short expected, short actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (!expected.Equals(actual))
            {
                FailAreEqual(expected, actual, message);
            }
        }

        public static void AreEqual(string expected, string actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (!string.Equals(expected, actual, StringComparison.Ordinal))
            {
                FailAreEqual(expected, actual, message);
            }
        }

        public static void AreEqual(uint expected, uint actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (!expected.Equals(actual))
            {
                FailAreEqual(expected, actual, message);
            }
        }

        public static void AreEqual(ulong expected, ulong actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (!expected.Equals(actual))
            {
                FailAreEqual(expected, actual, message);
            }
        }

        public static void AreEqual(ushort expected, ushort actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (!expected.Equals(actual))
            {
                FailAreEqual(expected, actual, message);
            }
        }

        public static void AreNotEqual(System.DateTime notExpected, System.DateTime actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (notExpected.Equals(actual))
            {
                FailAreNotEqual(notExpected, actual, message);
            }
        }

        public static void AreNotEqual(bool notExpected, bool actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (notExpected.Equals(actual))
            {
                FailAreNotEqual(notExpected, actual, message);
            }
        }

        public static void AreNotEqual(byte notExpected, byte actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (notExpected.Equals(actual))
            {
                FailAreNotEqual(notExpected, actual, message);
            }
        }

        public static void AreNotEqual(char notExpected, char actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (notExpected.Equals(actual))
            {
                FailAreNotEqual(notExpected, actual, message);
            }
        }

        public static void AreNotEqual(double notExpected, double actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (notExpected.Equals(actual))
            {
                FailAreNotEqual(notExpected, actual, message);
            }
        }

        public static void AreNotEqual(float notExpected, float actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (notExpected.Equals(actual))
            {
                FailAreNotEqual(notExpected, actual, message);
            }
        }

        public static void AreNotEqual(int notExpected, int actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (notExpected.Equals(actual))
            {
                FailAreNotEqual(notExpected, actual, message);
            }
        }

        public static void AreNotEqual(long notExpected, long actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (notExpected.Equals(actual))
            {
                FailAreNotEqual(notExpected, actual, message);
            }
        }

        public static void AreNotEqual(object notExpected, object actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (object.Equals(notExpected, actual))
            {
                FailAreNotEqual(notExpected, actual, message);
            }
        }

        public static void AreNotEqual(sbyte notExpected, sbyte actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (notExpected.Equals(actual))
            {
                FailAreNotEqual(notExpected, actual, message);
            }
        }

        public static void AreNotEqual(short notExpected, short actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (notExpected.Equals(actual))
            {
                FailAreNotEqual(notExpected, actual, message);
            }
        }

        public static void AreNotEqual(string notExpected, string actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (string.Equals(notExpected, actual, StringComparison.Ordinal))
            {
                FailAreNotEqual(notExpected, actual, message);
            }
        }

        public static void AreNotEqual(uint notExpected, uint actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (notExpected.Equals(actual))
            {
                FailAreNotEqual(notExpected, actual, message);
            }
        }

        public static void AreNotEqual(ulong notExpected, ulong actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (notExpected.Equals(actual))
            {
                FailAreNotEqual(notExpected, actual, message);
            }
        }

        public static void AreNotEqual(ushort notExpected, ushort actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (notExpected.Equals(actual))
            {
                FailAreNotEqual(notExpected, actual, message);
            }
        }
        private static void FailAreEqual(object expected, object actual, string message)
        {
            string shownExpected = Show(expected);
            string shownActual = Show(actual);
            string detail = "Expected:<" + shownExpected + ">. Actual:<" + shownActual + ">.";
            if (shownExpected == shownActual || (expected is not null && actual is not null && expected.GetType() != actual.GetType()))
            {
                detail = "Expected:<" + shownExpected + ">" + TypeSuffix(expected) + ". Actual:<" + shownActual + ">" + TypeSuffix(actual) + ".";
            }

            if (expected is string e && actual is string a)
            {
                int at = 0;
                while (at < e.Length && at < a.Length && e[at] == a[at])
                {
                    at++;
                }

                detail += " First difference at index " + at + " (lengths " + e.Length + " and " + a.Length + ").";
            }

            Fail("Assert.AreEqual", message, detail);
        }

        private static void FailAreNotEqual(object notExpected, object actual, string message)
        {
            Fail("Assert.AreNotEqual", message, "Expected any value except:<" + Show(notExpected) + ">. Actual:<" + Show(actual) + ">.");
        }
    }
}
