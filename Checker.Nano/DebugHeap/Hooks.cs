// Hooks (_CrtSetAllocHook, _CrtSetReportHook, _CrtSetDumpClient, _CrtSetBreakAlloc) and
// _CrtDoForAllClientObjects.
//
// Every setter returns the previous hook, as the CRT's do. Hooks run under the heap's lock:
// an allocation hook must not allocate from this heap; a dump-client hook may read the block
// and report through ReportLine. A hook that throws is counted (DebugStats.HookFailures) and
// treated as "carry on": an allocation hook that throws allows the operation, a report hook
// that throws lets the line be printed.
// The break: nanoFramework 1.x has no Debugger.Break, so when the request number set with
// SetBreakAlloc comes up the break hook is called if one is set (a firmware can blink, halt or
// break there); without one the heap reports "Break at allocation request {n}." at the call site.
namespace Checker.Nano
{
    public sealed partial class DebugHeap
    {
        /// <summary>_CrtSetAllocHook: installs <paramref name="hook"/> (null: none) and returns the previous one.</summary>
        public AllocHook SetAllocHook(AllocHook hook)
        {
            lock (_heap.SyncRoot)
            {
                AllocHook old = _allocHook;
                _allocHook = hook;
                UpdateGeneral();
                return old;
            }
        }

        /// <summary>_CrtSetReportHook: installs <paramref name="hook"/> (null: none) and returns the previous one.</summary>
        public ReportHook SetReportHook(ReportHook hook)
        {
            lock (_heap.SyncRoot)
            {
                ReportHook old = _reportHook;
                _reportHook = hook;
                return old;
            }
        }

        /// <summary>_CrtSetDumpClient: installs the client-block dumper and returns the previous one.</summary>
        public DumpClient SetDumpClient(DumpClient dump)
        {
            lock (_heap.SyncRoot)
            {
                DumpClient old = _dumpClient;
                _dumpClient = dump;
                return old;
            }
        }

        /// <summary>Installs what happens at the break request (see SetBreakAlloc) and returns the previous one.</summary>
        public BreakHook SetBreakHook(BreakHook hook)
        {
            lock (_heap.SyncRoot)
            {
                BreakHook old = _breakHook;
                _breakHook = hook;
                return old;
            }
        }

        /// <summary>
        /// _CrtSetBreakAlloc: break when allocation request <paramref name="requestNumber"/>
        /// happens (-1: never); returns the previous setting.
        /// </summary>
        public int SetBreakAlloc(int requestNumber)
        {
            lock (_heap.SyncRoot)
            {
                int old = _breakAlloc;
                _breakAlloc = requestNumber;
                UpdateGeneral();
                return old;
            }
        }

        /// <summary>
        /// _CrtDoForAllClientObjects: calls <paramref name="callback"/> for every live client
        /// block, newest first (nothing while ALLOC_MEM_DF is off, as in the CRT).
        /// </summary>
        public void DoForAllClientObjects(ClientObjectCallback callback, object context)
        {
            if (callback == null)
            {
                throw new System.ArgumentNullException("callback");
            }

            if (!_heap.ThreadSafe)
            {
                DoForAllClientObjectsLocked(callback, context);
                return;
            }

            lock (_heap.SyncRoot)
            {
                DoForAllClientObjectsLocked(callback, context);
            }
        }

        private void DoForAllClientObjectsLocked(ClientObjectCallback callback, object context)
        {
            if ((_flag & DbgFlag.ALLOC_MEM_DF) == 0)
            {
                return;
            }

            // Bounded by the count at the start (blocks the callback allocates go to the head,
            // behind the walk; blocks it frees shrink the count), and each link checked before it
            // is followed; the next link is read before the callback, which may free the block.
            int node = _first;
            int prev = 0;
            int steps = 0;
            int limit = _linkedBlocks;
            while (node != 0 && ++steps <= limit && InHeapRange(node)
                && _heap.CheckLocked(node) == HeapError.None && Get(node + H_PREV) == prev)
            {
                int next = Get(node + H_NEXT);
                bool client = (Get(node + H_USE) & 0xFFFF) == BlockType.Client && CheckHeaderFields(node) == DebugHeapError.None;
                if (client)
                {
                    callback(node + HEADER_BYTES, context);
                }

                // A callback that freed this block unlinked it: its old prev is the prev of next.
                prev = client && (next == 0 ? _last != node : Get(next + H_PREV) != node) ? prev : node;
                node = next;
            }
        }

        /// <summary>Calls the allocation hook; a hook that throws allows the operation (and is counted).</summary>
        private bool CallAllocHook(AllocHook hook, int allocType, int userData, int size, int blockUse, int request, string file, int line)
        {
            try
            {
                return hook(allocType, userData, size, blockUse, request, file, line);
            }
            catch (System.Exception)
            {
                _hookFailures++;
                return true;
            }
        }

        /// <summary>_CrtDbgBreak at request <paramref name="request"/>.</summary>
        private void Break(int request, string file, int line)
        {
            _breaks++;
            BreakHook hook = _breakHook;
            if (hook != null)
            {
                try
                {
                    hook(request, file, line);
                }
                catch (System.Exception)
                {
                    _hookFailures++;
                }

                return;
            }

            ReportBreak(request, file, line);
        }
    }
}
