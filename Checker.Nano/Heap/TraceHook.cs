// The seam for heap tracing (ESP-IDF's heap_trace, for nanoFramework firmware). A layer that can
// be traced (the base heap of either policy, the debug heap, Checker) keeps one TraceHook field,
// null while nobody traces; each of its PUBLIC operations tests that field once and, when it is
// set, takes a separate traced method that does the same work and then reports the event. So:
//  - tracing off costs one field test per public operation and nothing else;
//  - every layer reports its own callers' operations only: the layers above call the base heap's
//    *Locked methods (and Checker the debug heap's), which are never traced, so an event is
//    recorded once, by the layer the firmware called, with what that layer knows (the base heap:
//    offset and size; the debug heap and Checker also the block use, the file and the line);
//  - the hook is called after the operation, under the heap's lock (when ThreadSafe), so events
//    come in the order the heap did them, and only for what happened: a free or realloc of a bad
//    offset (an exception or a report) records nothing; an allocation that finds no room records
//    the attempt with offset 0.
// The hook must not allocate from the heap it traces, nor throw: a tracer catches its own
// faults (Checker.Nano/Reporter/HeapTracer.cs is the tracer; this assembly references nothing,
// so the hook is abstract here).
namespace Checker.Nano
{
    /// <summary>What a traced layer calls after each public malloc, calloc, realloc, memalign and free.</summary>
    public abstract class TraceHook
    {
        /// <summary>Operation: malloc (realloc of 0 is reported as one).</summary>
        public const int OpMalloc = 1;

        /// <summary>Operation: calloc.</summary>
        public const int OpCalloc = 2;

        /// <summary>Operation: realloc of a live block to a size above 0.</summary>
        public const int OpRealloc = 3;

        /// <summary>Operation: free (realloc to 0 bytes is reported as one).</summary>
        public const int OpFree = 4;

        /// <summary>Operation: memalign.</summary>
        public const int OpMemalign = 5;

        /// <summary>
        /// One operation done. <paramref name="ptr"/> is the offset handed out (0: an allocation that
        /// found no room) or freed; <paramref name="aux"/> realloc's old offset, calloc's count, memalign's
        /// alignment, else 0; <paramref name="size"/> the bytes asked (calloc: per element; realloc: the
        /// new size; free: -1); <paramref name="blockUse"/> the debug heap's block use, -1 when the layer
        /// has none; <paramref name="file"/> (null: unknown) and <paramref name="line"/> the caller's.
        /// </summary>
        public abstract void Record(int op, int ptr, int aux, int size, int blockUse, string file, int line);
    }

    /// <summary>A layer that can be traced: the firmware attaches a tracer to the layer it calls.</summary>
    public interface ITraceable
    {
        /// <summary>The hook its public operations report to; null (the default) traces nothing.</summary>
        TraceHook TraceHook { get; set; }

        /// <summary>The layer's name in traces: "base", "debug" or "checker".</summary>
        string TraceLayer { get; }

        /// <summary>The base heap under the layer (its lock, HEAP, BLOCKSIZE and policy).</summary>
        BaseHeap TraceHeap { get; }
    }
}
