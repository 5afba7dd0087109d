// Tracing Checker (Checker.Nano/Heap/TraceHook.cs): Malloc, Calloc, Realloc and Free test
// _tracer once and, when a tracer is attached, come here: the same *Locked call under the same
// lock, then the event, with the block use (realloc: the block's own) and the caller's file and
// line. The debug heap and the base heap under Checker are called through their *Locked methods,
// which are never traced, so each call is one event, what the program asked: a free is recorded
// when Checker takes the block (it is then aged, and given to the debug heap later: that is not
// an event). What is an event: an allocation that succeeded, or failed for lack of room ("oom",
// offset 0); a free that took a live block (a bad or double free is reported and recorded as
// nothing); a realloc that resized, or failed for lack of room (realloc(0, n) is a malloc,
// realloc(p, 0) a free).
namespace Checker.Nano
{
    public sealed partial class CheckerHeap : ITraceable
    {
        private TraceHook _tracer;

        /// <summary>The hook the public operations report to; null (the default) traces nothing. A tracer sets it on Start and clears it on Stop.</summary>
        public TraceHook TraceHook
        {
            get { return _tracer; }
            set { _tracer = value; }
        }

        /// <summary>"checker": events carry the block use and the caller's file and line.</summary>
        public string TraceLayer
        {
            get { return "checker"; }
        }

        /// <summary>The base heap under Checker.</summary>
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
            int failures = OutOfMemoryCount;
            int p = AllocLocked(count, size, blockUse, zero, file, line);
            TraceHook hook = _tracer;
            if (hook != null && (p != 0 || RanOutOfMemory(failures)))
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

        private int ReallocTraced(int ptr, int size, string file, int line)
        {
            if (!_heap.ThreadSafe)
            {
                return ReallocRecorded(ptr, size, file, line);
            }

            lock (_sync)
            {
                return ReallocRecorded(ptr, size, file, line);
            }
        }

        private int ReallocRecorded(int ptr, int size, string file, int line)
        {
            int failures = OutOfMemoryCount;
            int live = _liveBlocks;
            int q = ReallocLocked(ptr, size, file, line);
            TraceHook hook = _tracer;
            if (hook == null)
            {
                return q;
            }

            if (ptr == 0)
            {
                if (q != 0 || RanOutOfMemory(failures))
                {
                    hook.Record(TraceHook.OpMalloc, q, 0, size, BlockType.Normal, file, line);
                }
            }
            else if (size == 0)
            {
                if (_liveBlocks < live)
                {
                    hook.Record(TraceHook.OpFree, ptr, 0, -1, -1, file, line);
                }
            }
            else if (q != 0)
            {
                int use = _debug.GetBlockInfoLocked(q, _info) == DebugHeapError.None ? _info.BlockUse : -1;
                hook.Record(TraceHook.OpRealloc, q, ptr, size, use, file, line);
            }
            else if (RanOutOfMemory(failures))
            {
                hook.Record(TraceHook.OpRealloc, 0, ptr, size, -1, file, line);
            }

            return q;
        }

        private void FreeTraced(int ptr, string file, int line)
        {
            if (!_heap.ThreadSafe)
            {
                FreeRecorded(ptr, file, line);
                return;
            }

            lock (_sync)
            {
                FreeRecorded(ptr, file, line);
            }
        }

        private void FreeRecorded(int ptr, string file, int line)
        {
            int live = _liveBlocks;
            FreeLocked(ptr, file, line);
            TraceHook hook = _tracer;
            if (hook != null && _liveBlocks < live)
            {
                hook.Record(TraceHook.OpFree, ptr, 0, -1, -1, file, line);
            }
        }

        /// <summary>"oom" errors found so far, reported or suppressed (with the other suppressed ones).</summary>
        private int OutOfMemoryCount
        {
            get { return _errorCounts[(int)CheckerError.OutOfMemory] + _suppressed; }
        }

        /// <summary>Whether the call that began when OutOfMemoryCount was <paramref name="before"/> ran out of memory.</summary>
        private bool RanOutOfMemory(int before)
        {
            return _lastError == CheckerError.OutOfMemory && OutOfMemoryCount > before;
        }
    }
}
