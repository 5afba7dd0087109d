// The seam between the replay engine and an allocator. An adapter keeps its own handle per trace
// id (an arena offset, a byte[], a native pointer), so the engine never boxes a handle and one
// replay loop serves every allocator. Adding an allocator to the benchmarks (the debug heap,
// Checker) means writing one class like HeapAdapter and one benchmark method.
//
// Contract, for every adapter:
//  - Begin(maxId) forgets whatever the previous replay left (freeing it) and makes room for ids
//    1..maxId; it is the only call that may allocate managed memory for the adapter's own tables;
//  - Malloc/Calloc/Realloc return false only when the allocator is out of memory (a request of
//    0 bytes succeeds whatever the allocator returns for it);
//  - when Touch is on, every byte the program receives is written once: all of a malloc'ed or
//    calloc'ed block, the grown tail after a realloc (the bytes realloc copied were written before);
//  - the engine passes the sizes it knows (the id's live size), so adapters need not remember them.
namespace Checker.Nano.Traces
{
    /// <summary>An allocator as the replay engine drives it: operations by trace id.</summary>
    public interface IAllocatorAdapter : System.IDisposable
    {
        /// <summary>Short name for tables ("base heap", "ArrayPool.Shared", ...).</summary>
        string Name { get; }

        /// <summary>Whether every byte handed out is written once (see the contract above).</summary>
        bool Touch { get; set; }

        /// <summary>Frees whatever the last replay left live and prepares for ids 1..<paramref name="maxId"/>.</summary>
        void Begin(int maxId);

        /// <summary>malloc(size) for <paramref name="id"/>; false when out of memory.</summary>
        bool Malloc(int id, int size);

        /// <summary>calloc(count, size) for <paramref name="id"/>; false when out of memory.</summary>
        bool Calloc(int id, int count, int size);

        /// <summary>
        /// realloc(block id, newSize); the block held <paramref name="oldSize"/> requested bytes.
        /// False when out of memory, the old block then being untouched.
        /// </summary>
        bool Realloc(int id, int oldSize, int newSize);

        /// <summary>free(block id), which held <paramref name="size"/> requested bytes.</summary>
        void Free(int id, int size);

        /// <summary>Bytes the allocator has taken from its arena now (its break), or -1 when it has no arena.</summary>
        long ArenaBytesInUse { get; }

        /// <summary>The allocator's own full check: null when it holds, else what is wrong (null for peers with none).</summary>
        string Validate();
    }
}
