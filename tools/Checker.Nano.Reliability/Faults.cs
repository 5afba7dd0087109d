// Telling a documented error from a crash. The library's documented answers to a bad call or a
// damaged heap are: HeapException (base heap), DebugHeapException (the debug heap's data
// accessors), and the argument exceptions its own code throws (an accessor's index outside the
// block, a null buffer). Everything else escaping a public call is a crash: a fault of the
// runtime (IndexOutOfRange, NullReference, Overflow, DivideByZero, InvalidCast...) or an argument
// exception thrown by the BCL underneath (Array.Copy given a bad range), or any other type.
// Only what came out of a library call counts (a Subject wraps it in LibraryFault), and an
// argument exception only when the library threw it: its namespace is Checker.Nano itself, not
// the harness's Checker.Nano.Reliability (nor the tools' Checker.Nano.Traces ...), whose own
// exceptions are the campaign's bugs, never a detection.
using System;
using System.Diagnostics;

namespace Checker.Nano.Reliability
{
    /// <summary>Classifies exceptions that came out of the library.</summary>
    public static class Faults
    {
        /// <summary>Whether <paramref name="e"/> is one of the library's documented errors.</summary>
        public static bool IsDocumented(Exception e)
        {
            if (e is not LibraryFault lf)
            {
                return false;   // not out of a library call: the harness's own
            }

            e = lf.InnerException;
            if (e is HeapException || e is DebugHeapException)
            {
                return true;
            }

            if (e is ArgumentException)
            {
                // Only when Checker.Nano's own code threw it, not the BCL under it.
                var trace = new StackTrace(e, false);
                if (trace.FrameCount == 0)
                {
                    return false;
                }

                // Frame 0 is the thrower: the library, the harness, or the BCL. (Were a library
                // method inlined into a harness frame, its exception would count as a crash: never
                // as a detection it was not.)
                return trace.GetFrame(0)?.GetMethod()?.DeclaringType?.Namespace == LibraryNamespace;
            }

            return false;
        }

        /// <summary>The namespace of every library type (Checker.Nano/**); the tools' are below it.</summary>
        public const string LibraryNamespace = "Checker.Nano";

        /// <summary>Whether the exception came out of a library call (a Subject wraps them all in LibraryFault).</summary>
        public static bool FromLibrary(Exception e) => e is LibraryFault;

        /// <summary>"IndexOutOfRangeException at Heap.FreeBlocks" (the type and the library method it came from).</summary>
        public static string Describe(Exception e)
        {
            if (e is LibraryFault lf)
            {
                e = lf.InnerException;
            }

            // The first library frames (two of them: Bytes.GetInt32 alone says little).
            var trace = new StackTrace(e, false);
            string where = null;
            for (int i = 0; i < trace.FrameCount; i++)
            {
                System.Reflection.MethodBase m = trace.GetFrame(i)?.GetMethod();
                string ns = m?.DeclaringType?.Namespace;
                if (ns != null && ns.StartsWith("Checker.Nano", StringComparison.Ordinal) && !ns.StartsWith("Checker.Nano.Reliability", StringComparison.Ordinal))
                {
                    string frame = $"{m.DeclaringType.Name}.{m.Name}";
                    if (where != null)
                    {
                        return $"{e.GetType().Name} at {where} < {frame}";
                    }

                    where = frame;
                }
            }

            return where != null ? $"{e.GetType().Name} at {where}" : $"{e.GetType().Name}: {e.Message}";
        }
    }

    /// <summary>An exception that came out of a call into the library (wrapped by the Subject that made the call).</summary>
    public sealed class LibraryFault : Exception
    {
        /// <summary>Wraps <paramref name="inner"/>.</summary>
        public LibraryFault(Exception inner)
            : base(inner.GetType().Name + ": " + inner.Message, inner)
        {
        }
    }
}
