// Tracing the debug heap (Checker.Nano/Heap/TraceHook.cs): Malloc, Calloc, Realloc and Free test
// _tracer once and, when a tracer is attached, come here: the same *Locked call under the same
// lock, then the event, with the block use asked for (realloc: the block's own) and the caller's
// file and line. The base heap under it is called through its *Locked methods, which are never
// traced, so each call is one event. What is an event: an allocation that succeeded, or failed
// for lack of room (offset 0); a free that freed (a guard report still frees the block; a bad
// pointer, a refused hook or a damaged heap frees nothing and records nothing); a realloc that
// resized, or failed for lack of room (realloc(0, n) is a malloc, realloc(p, 0) a free).
namespace Checker.Nano
{
    public sealed partial class DebugHeap : ITraceable
    {
        private TraceHook _tracer;

        /// <summary>The hook the public operations report to; null (the default) traces nothing. A tracer sets it on Start and clears it on Stop.</summary>
        public TraceHook TraceHook
        {
            get { return _tracer; }
            set { _tracer = value; }
        }

        /// <summary>"debug": events carry the block use and the caller's file and line.</summary>
        public string TraceLayer
        {
            get { return "debug"; }
        }

        /// <summary>The base heap under the debug heap.</summary>
        public BaseHeap TraceHeap
        {
            get { return _heap; }
        }

        private int AllocTraced(int count, int size, int blockUse, bool zero, string file, int line)
        {
            if (!_heap.ThreadSafe)
            {
                return AllocRecorded(count, size, blockUse, zero, file, line);
            }

            lock (_sync)
            {
                return AllocRecorded(count, size, blockUse, zero, file, line);
            }
        }

        private int AllocRecorded(int count, int size, int blockUse, bool zero, string file, int line)
        {
            int p = zero ? CallocLocked(count, size, blockUse, file, line) : AllocLocked(size, blockUse, file, line);
            TraceHook hook = _tracer;
            if (hook != null && (p != 0 || _lastError == DebugHeapError.OutOfMemory))
            {
                if (zero)
                {
                    hook.Record(TraceHook.OpCalloc, p, count, size, blockUse, file, line);
                }
                else
                {
                    hook.Record(TraceHook.OpMalloc, p, 0, size, blockUse, file, line);
                }
            }

            return p;
        }

        private int ReallocTraced(int ptr, int size, int blockUse, string file, int line)
        {
            if (!_heap.ThreadSafe)
            {
                return ReallocRecorded(ptr, size, blockUse, file, line);
            }

            lock (_sync)
            {
                return ReallocRecorded(ptr, size, blockUse, file, line);
            }
        }

        private int ReallocRecorded(int ptr, int size, int blockUse, string file, int line)
        {
            int q = ReallocLocked(ptr, size, blockUse, file, line);
            TraceHook hook = _tracer;
            if (hook == null)
            {
                return q;
            }

            if (ptr == 0)
            {
                if (q != 0 || _lastError == DebugHeapError.OutOfMemory)
                {
                    hook.Record(TraceHook.OpMalloc, q, 0, size, blockUse, file, line);
                }
            }
            else if (size == 0)
            {
                if (Freed(_lastError))
                {
                    hook.Record(TraceHook.OpFree, ptr, 0, -1, -1, file, line);
                }
            }
            else if (q != 0)
            {
                hook.Record(TraceHook.OpRealloc, q, ptr, size, Get(q - HEADER_BYTES + H_USE), file, line);
            }
            else if (_lastError == DebugHeapError.OutOfMemory)
            {
                hook.Record(TraceHook.OpRealloc, 0, ptr, size, blockUse, file, line);
            }

            return q;
        }

        private DebugHeapError FreeTraced(int ptr, int blockUse, string file, int line)
        {
            if (!_heap.ThreadSafe)
            {
                return FreeRecorded(ptr, blockUse, file, line);
            }

            lock (_sync)
            {
                return FreeRecorded(ptr, blockUse, file, line);
            }
        }

        private DebugHeapError FreeRecorded(int ptr, int blockUse, string file, int line)
        {
            DebugHeapError e = FreeLocked(ptr, blockUse, file, line);
            TraceHook hook = _tracer;
            if (hook != null && Freed(e))
            {
                hook.Record(TraceHook.OpFree, ptr, 0, -1, -1, file, line);
            }

            return e;
        }

        /// <summary>Whether a free that returned <paramref name="e"/> freed the block (guard damage is reported, and the block freed all the same).</summary>
        private static bool Freed(DebugHeapError e)
        {
            return e == DebugHeapError.None || e == DebugHeapError.GuardBefore || e == DebugHeapError.GuardAfter;
        }
    }
}
