// Tracing the base heap (TraceHook.cs): each public operation tests _tracer once and, when a
// tracer is attached, comes here instead. A traced method does exactly what the untraced one
// does (the same *Locked calls, the same checks and exceptions; Malloc's and Free's written-out
// fast paths compute what MallocLocked and CheckLocked + FreeLocked compute), then reports the
// event to the hook, under the lock. So the offsets handed out are the same with tracing on and
// off (Checker.Nano.Tests/Reporter/TracerTests.cs replays a whole trace both ways).
// What is reported: malloc and calloc with their offset (0 when there was no room for a request
// above 0 bytes; malloc(0), which gives 0, is not an event), realloc (realloc(0, n) as a malloc,
// realloc(p, 0) as a free; a realloc to a negative size changes nothing and is not an event),
// memalign and free. A bad offset throws before anything is reported.
namespace Checker.Nano
{
    public abstract partial class BaseHeap : ITraceable
    {
        /// <summary>The tracer the public operations report to; null (tracing off) is tested once per operation.</summary>
        protected TraceHook _tracer;

        /// <summary>The hook the public operations report to; null (the default) traces nothing. A tracer sets it on Start and clears it on Stop.</summary>
        public TraceHook TraceHook
        {
            get { return _tracer; }
            set
            {
                _tracer = value;
                _plain = !_threadSafe && value == null;
            }
        }

        /// <summary>"base": events are the base heap's own callers' (no block use, file or line).</summary>
        public string TraceLayer
        {
            get { return "base"; }
        }

        /// <summary>This heap.</summary>
        public BaseHeap TraceHeap
        {
            get { return this; }
        }

        /// <summary>Malloc with a tracer attached (each policy's Malloc comes here when _tracer is set).</summary>
        protected int MallocTraced(int size)
        {
            try
            {
                if (!_threadSafe)
                {
                    return MallocRecorded(size);
                }

                lock (_sync)
                {
                    return MallocRecorded(size);
                }
            }
            catch (System.IndexOutOfRangeException)
            {
                throw Damaged("malloc", 0);
            }
        }

        private int MallocRecorded(int size)
        {
            int p = MallocLocked(size);
            TraceHook hook = _tracer;
            if (hook != null && (p != 0 || size > 0))
            {
                hook.Record(TraceHook.OpMalloc, p, 0, size, -1, null, 0);
            }

            return p;
        }

        /// <summary>Free of a non-zero offset with a tracer attached (each policy's Free comes here when _tracer is set).</summary>
        protected void FreeTraced(int ptr)
        {
            try
            {
                if (!_threadSafe)
                {
                    FreeRecorded(ptr);
                    return;
                }

                lock (_sync)
                {
                    FreeRecorded(ptr);
                }
            }
            catch (System.IndexOutOfRangeException)
            {
                throw Damaged("free", ptr);
            }
        }

        private void FreeRecorded(int ptr)
        {
            HeapError error = CheckLocked(ptr);
            if (error != HeapError.None)
            {
                throw new HeapException("free", error, ptr);
            }

            FreeLocked(ptr);
            TraceHook hook = _tracer;
            if (hook != null)
            {
                hook.Record(TraceHook.OpFree, ptr, 0, -1, -1, null, 0);
            }
        }

        /// <summary>Realloc's checked call and its event (Realloc comes here, under its lock, when _tracer is set).</summary>
        private int ReallocRecorded(int ptr, int size)
        {
            int q = ReallocChecked(ptr, size);
            TraceHook hook = _tracer;
            if (hook != null)
            {
                if (ptr == 0)
                {
                    if (q != 0 || size > 0)
                    {
                        hook.Record(TraceHook.OpMalloc, q, 0, size, -1, null, 0);
                    }
                }
                else if (size == 0)
                {
                    hook.Record(TraceHook.OpFree, ptr, 0, -1, -1, null, 0);
                }
                else if (size > 0)
                {
                    hook.Record(TraceHook.OpRealloc, q, ptr, size, -1, null, 0);
                }
            }

            return q;
        }

        /// <summary>Calloc's call and its event (Calloc comes here, under its lock, when _tracer is set).</summary>
        private int CallocRecorded(int count, int size)
        {
            int p = CallocLocked(count, size);
            TraceHook hook = _tracer;
            long total = (long)count * size;
            if (hook != null && (p != 0 || (count > 0 && size > 0 && total <= int.MaxValue)))
            {
                hook.Record(TraceHook.OpCalloc, p, count, size, -1, null, 0);
            }

            return p;
        }

        /// <summary>Memalign's call and its event (Memalign comes here, under its lock, when _tracer is set).</summary>
        private int MemalignRecorded(int alignment, int size)
        {
            int p = MemalignLocked(alignment, size);
            TraceHook hook = _tracer;
            if (hook != null && (p != 0 || size > 0))
            {
                hook.Record(TraceHook.OpMemalign, p, alignment, size, -1, null, 0);
            }

            return p;
        }
    }
}
