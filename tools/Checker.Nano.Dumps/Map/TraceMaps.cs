// Heap layers by name for trace replays (base, debug, checker), and the heap map of a trace
// replayed up to a given event on the real allocator.
using System;
using System.Collections.Generic;
using Checker.Nano.Traces;

namespace Checker.Nano.Dumps
{
    /// <summary>Which Checker.Nano layer a replay drives.</summary>
    public enum HeapLayer
    {
        /// <summary>The base heap (GNU malloc's design).</summary>
        Base,

        /// <summary>The debug heap over the base heap (CRT-style headers and guards).</summary>
        Debug,

        /// <summary>Checker over the debug heap (bitmaps and aging in the arena).</summary>
        Checker,
    }

    /// <summary>Replays for the CLI: adapters by layer, and maps of a trace at an event.</summary>
    public static class TraceMaps
    {
        /// <summary>An adapter of <paramref name="layer"/> over an arena of <paramref name="heapBytes"/>.</summary>
        public static IAllocatorAdapter Create(HeapLayer layer, int heapBytes, int blockSize) => layer switch
        {
            HeapLayer.Debug => new DebugHeapAdapter(heapBytes, blockSize, threadSafe: false) { Touch = false },
            HeapLayer.Checker => new CheckerAdapter(heapBytes, blockSize, threadSafe: false),
            _ => new HeapAdapter(heapBytes, blockSize, threadSafe: false) { Touch = false },
        };

        /// <summary>The base heap under an adapter made by <see cref="Create"/>.</summary>
        public static BaseHeap HeapOf(IAllocatorAdapter adapter) => adapter switch
        {
            HeapAdapter h => h.Heap,
            DebugHeapAdapter d => d.Heap,
            CheckerAdapter c => c.Heap,
            _ => null,
        };

        private static int OffsetOf(IAllocatorAdapter adapter, int id) => adapter switch
        {
            HeapAdapter h => h.OffsetOf(id),
            DebugHeapAdapter d => d.OffsetOf(id),
            CheckerAdapter c => c.OffsetOf(id),
            _ => 0,
        };

        /// <summary>
        /// Replays the first <paramref name="events"/> events of <paramref name="trace"/> (all when
        /// 0 or more than there are) on <paramref name="layer"/> and maps the heap as they leave it.
        /// </summary>
        public static HeapMap MapAt(Trace trace, HeapLayer layer, int heapBytes, int blockSize, int events)
        {
            ArgumentNullException.ThrowIfNull(trace);
            int count = events <= 0 || events > trace.Events.Length ? trace.Events.Length : events;
            using IAllocatorAdapter adapter = Create(layer, heapBytes, blockSize);
            ReplayResult r = Replayer.Run(trace, adapter, new ReplayOptions { StopAfterEvents = count });
            return MapOf(trace, adapter, layer, count, r.Failures);
        }

        /// <summary>The map of the heap behind <paramref name="adapter"/> after the first <paramref name="count"/> events.</summary>
        public static HeapMap MapOf(Trace trace, IAllocatorAdapter adapter, HeapLayer layer, int count, int failures)
        {
            var sizes = new int[trace.MaxId + 1];
            var live = new bool[trace.MaxId + 1];
            for (int i = 0; i < count; i++)
            {
                TraceEvent e = trace.Events[i];
                live[e.Id] = e.Op != TraceOp.Free;
                sizes[e.Id] = e.Size;
            }

            int header = layer == HeapLayer.Base ? 0 : DebugHeap.HEADER_BYTES;
            int type = layer == HeapLayer.Base ? -1 : BlockTypes.Normal;
            var chunks = new List<MapChunk>();
            for (int id = 1; id <= trace.MaxId; id++)
            {
                int offset = live[id] ? OffsetOf(adapter, id) : 0;
                if (offset != 0)
                {
                    chunks.Add(new MapChunk { Offset = offset - header, Size = sizes[id] + (header == 0 ? 0 : DebugHeap.OVERHEAD_BYTES), Type = type, Label = "id " + id });
                }
            }

            string at = count == trace.Events.Length ? "after all events" : $"after event {count} (line {trace.Events[count - 1].Line})";
            HeapMap map = HeapMapBuilder.FromHeap(HeapOf(adapter), $"{trace.Name}: {LayerName(layer)} {at}", chunks);
            if (failures > 0)
            {
                map.Notes.Add($"{failures} allocation(s) failed for lack of memory before this point");
            }

            return map;
        }

        /// <summary>"base heap", "debug heap", "Checker".</summary>
        public static string LayerName(HeapLayer layer) => layer switch
        {
            HeapLayer.Debug => "debug heap",
            HeapLayer.Checker => "Checker",
            _ => "base heap",
        };
    }
}
