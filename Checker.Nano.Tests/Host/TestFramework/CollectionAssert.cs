// Host (.NET) stand-in for nanoFramework.TestFramework 3.0: see Host/README.md.
// Two collections are equal when both are null or the same object, or when they have the same
// count and pairwise object.Equals elements in enumeration order (as on the device).
using System.Collections;
using System.Diagnostics;

namespace nanoFramework.TestFramework
{
    [StackTraceHidden]
    public sealed class CollectionAssert
    {
        public static void AreEqual(ICollection expected, ICollection actual, string message = "")
        {
            string difference = FindDifference(expected, actual);
            if (difference != null)
            {
                Assert.Fail("CollectionAssert.AreEqual", message, difference);
            }
        }

        public static void AreNotEqual(ICollection notExpected, ICollection actual, string message = "")
        {
            if (FindDifference(notExpected, actual) == null)
            {
                Assert.Fail("CollectionAssert.AreNotEqual", message,
                    ReferenceEquals(notExpected, actual)
                        ? "Both arguments are the same collection object."
                        : "Both collections have the same " + actual.Count + " elements: " + Preview(actual) + ".");
            }
        }

        public static void Empty(ICollection collection, string message = "")
        {
            Assert.RequireNotNull("CollectionAssert.Empty", collection, nameof(collection));
            if (collection.Count != 0)
            {
                Assert.Fail("CollectionAssert.Empty", message, "Expected no elements. Actual: " + collection.Count + " elements: " + Preview(collection) + ".");
            }
        }

        public static void NotEmpty(ICollection collection, string message = "")
        {
            Assert.RequireNotNull("CollectionAssert.NotEmpty", collection, nameof(collection));
            if (collection.Count == 0)
            {
                Assert.Fail("CollectionAssert.NotEmpty", message, "Expected at least one element, the collection is empty.");
            }
        }

        /// <summary>Null when equal, else what differs.</summary>
        private static string FindDifference(ICollection expected, ICollection actual)
        {
            if (ReferenceEquals(expected, actual))
            {
                return null;
            }

            if (expected == null || actual == null)
            {
                return "Expected:<" + (expected == null ? "(null)" : Preview(expected)) + ">. Actual:<" + (actual == null ? "(null)" : Preview(actual)) + ">.";
            }

            if (expected.Count != actual.Count)
            {
                return "Different number of elements. Expected " + expected.Count + ": " + Preview(expected)
                    + ". Actual " + actual.Count + ": " + Preview(actual) + ".";
            }

            IEnumerator e = expected.GetEnumerator();
            IEnumerator a = actual.GetEnumerator();
            int index = 0;
            while (e.MoveNext() && a.MoveNext())
            {
                if (!Equals(e.Current, a.Current))
                {
                    return "Element at index " + index + " differs. Expected:<" + Assert.Show(e.Current) + ">" + Assert.TypeSuffix(e.Current)
                        + ". Actual:<" + Assert.Show(a.Current) + ">" + Assert.TypeSuffix(a.Current) + ".";
                }

                index++;
            }

            return null;
        }

        /// <summary>The first elements as "[1, 2, 3, ...]".</summary>
        internal static string Preview(IEnumerable items)
        {
            const int MaxShown = 16;
            var text = new System.Text.StringBuilder("[");
            int count = 0;
            foreach (object item in items)
            {
                if (count == MaxShown)
                {
                    text.Append(", ...");
                    break;
                }

                text.Append(count == 0 ? string.Empty : ", ").Append(Assert.Show(item));
                count++;
            }

            return text.Append(']').ToString();
        }
    }
}
