// Host (.NET) stand-in for nanoFramework.TestFramework 3.0: see Host/README.md.
// The device API still carries these xunit-style names, marked obsolete; each forwards to the
// current assert. New tests should use the AreEqual/IsTrue/... names.
using System;
using System.Collections;

namespace nanoFramework.TestFramework
{
    public sealed partial class Assert
    {
        [Obsolete("Use CollectionAssert.Empty.")]
        public static void Empty(ICollection collection, string message = "") => CollectionAssert.Empty(collection, message);

        [Obsolete("Use CollectionAssert.NotEmpty.")]
        public static void NotEmpty(ICollection collection, string message = "") => CollectionAssert.NotEmpty(collection, message);

        [Obsolete("Use CollectionAssert.AreEqual.")]
        public static void Equal(Array expected, Array actual, string message = "") => CollectionAssert.AreEqual(expected, actual, message);

        [Obsolete("Use CollectionAssert.AreNotEqual.")]
        public static void NotEqual(Array notExpected, Array actual, string message = "") => CollectionAssert.AreNotEqual(notExpected, actual, message);

        [Obsolete("Use AreEqual.")]
        public static void Equal(System.DateTime expected, System.DateTime actual, string message = "") => AreEqual(expected, actual, message);

        [Obsolete("Use AreEqual.")]
        public static void Equal(bool expected, bool actual, string message = "") => AreEqual(expected, actual, message);

        [Obsolete("Use AreEqual.")]
        public static void Equal(byte expected, byte actual, string message = "") => AreEqual(expected, actual, message);

        [Obsolete("Use AreEqual.")]
        public static void Equal(char expected, char actual, string message = "") => AreEqual(expected, actual, message);

        [Obsolete("Use AreEqual.")]
        public static void Equal(double expected, double actual, string message = "") => AreEqual(expected, actual, message);

        [Obsolete("Use AreEqual.")]
        public static void Equal(float expected, float actual, string message = "") => AreEqual(expected, actual, message);

        [Obsolete("Use AreEqual.")]
        public static void Equal(int expected, int actual, string message = "") => AreEqual(expected, actual, message);

        [Obsolete("Use AreEqual.")]
        public static void Equal(long expected, long actual, string message = "") => AreEqual(expected, actual, message);

        [Obsolete("Use AreEqual.")]
        public static void Equal(sbyte expected, sbyte actual, string message = "") => AreEqual(expected, actual, message);

        [Obsolete("Use AreEqual.")]
        public static void Equal(short expected, short actual, string message = "") => AreEqual(expected, actual, message);

        [Obsolete("Use AreEqual.")]
        public static void Equal(string expected, string actual, string message = "") => AreEqual(expected, actual, message);

        [Obsolete("Use AreEqual.")]
        public static void Equal(uint expected, uint actual, string message = "") => AreEqual(expected, actual, message);

        [Obsolete("Use AreEqual.")]
        public static void Equal(ulong expected, ulong actual, string message = "") => AreEqual(expected, actual, message);

        [Obsolete("Use AreEqual.")]
        public static void Equal(ushort expected, ushort actual, string message = "") => AreEqual(expected, actual, message);

        [Obsolete("Use AreNotEqual.")]
        public static void NotEqual(System.DateTime notExpected, System.DateTime actual, string message = "") => AreNotEqual(notExpected, actual, message);

        [Obsolete("Use AreNotEqual.")]
        public static void NotEqual(bool notExpected, bool actual, string message = "") => AreNotEqual(notExpected, actual, message);

        [Obsolete("Use AreNotEqual.")]
        public static void NotEqual(byte notExpected, byte actual, string message = "") => AreNotEqual(notExpected, actual, message);

        [Obsolete("Use AreNotEqual.")]
        public static void NotEqual(char notExpected, char actual, string message = "") => AreNotEqual(notExpected, actual, message);

        [Obsolete("Use AreNotEqual.")]
        public static void NotEqual(double notExpected, double actual, string message = "") => AreNotEqual(notExpected, actual, message);

        [Obsolete("Use AreNotEqual.")]
        public static void NotEqual(float notExpected, float actual, string message = "") => AreNotEqual(notExpected, actual, message);

        [Obsolete("Use AreNotEqual.")]
        public static void NotEqual(int notExpected, int actual, string message = "") => AreNotEqual(notExpected, actual, message);

        [Obsolete("Use AreNotEqual.")]
        public static void NotEqual(long notExpected, long actual, string message = "") => AreNotEqual(notExpected, actual, message);

        [Obsolete("Use AreNotEqual.")]
        public static void NotEqual(sbyte notExpected, sbyte actual, string message = "") => AreNotEqual(notExpected, actual, message);

        [Obsolete("Use AreNotEqual.")]
        public static void NotEqual(short notExpected, short actual, string message = "") => AreNotEqual(notExpected, actual, message);

        [Obsolete("Use AreNotEqual.")]
        public static void NotEqual(string notExpected, string actual, string message = "") => AreNotEqual(notExpected, actual, message);

        [Obsolete("Use AreNotEqual.")]
        public static void NotEqual(uint notExpected, uint actual, string message = "") => AreNotEqual(notExpected, actual, message);

        [Obsolete("Use AreNotEqual.")]
        public static void NotEqual(ulong notExpected, ulong actual, string message = "") => AreNotEqual(notExpected, actual, message);

        [Obsolete("Use AreNotEqual.")]
        public static void NotEqual(ushort notExpected, ushort actual, string message = "") => AreNotEqual(notExpected, actual, message);

        [Obsolete("Use IsTrue.")]
        public static void True(bool condition, string message = "") => IsTrue(condition, message);

        [Obsolete("Use IsFalse.")]
        public static void False(bool condition, string message = "") => IsFalse(condition, message);

        [Obsolete("Use IsNull.")]
        public static void Null(object value, string message = "") => IsNull(value, message);

        [Obsolete("Use IsNotNull.")]
        public static void NotNull(object value, string message = "") => IsNotNull(value, message);

        [Obsolete("Use AreSame.")]
        public static void Same(object expected, object actual, string message = "") => AreSame(expected, actual, message);

        [Obsolete("Use AreNotSame.")]
        public static void NotSame(object notExpected, object actual, string message = "") => AreNotSame(notExpected, actual, message);

        [Obsolete("Use IsInstanceOfType.")]
        public static void IsType(Type expectedType, object value, string message = "") => IsInstanceOfType(value, expectedType, message);

        [Obsolete("Use IsNotInstanceOfType.")]
        public static void IsNotType(Type wrongType, object value, string message = "") => IsNotInstanceOfType(value, wrongType, message);

        [Obsolete("Use ThrowsException.")]
        public static void Throws(Type exceptionType, Action action, string message = "") => ThrowsException(exceptionType, action, message);
    }
}
