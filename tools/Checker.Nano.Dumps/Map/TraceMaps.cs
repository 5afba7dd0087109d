// Heap layers by name for trace replays (base, debug, checker), each over either base-heap policy
// (seed or compact), and the heap map of a trace replayed up to a given event on the real allocator.
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
        /// <summary>An adapter of <paramref name="layer"/> over an arena of <paramref name="heapBytes"/>, its base heap of <paramref name="policy"/>.</summary>
        public static IAllocatorAdapter Create(HeapLayer layer, int heapBytes, int blockSize, HeapPolicy policy = HeapPolicy.Seed) => layer switch
        {
            HeapLayer.Debug => new DebugHeapAdapter(heapBytes, blockSize, threadSafe: false, policy) { Touch = false },
            HeapLayer.Checker => new CheckerAdapter(heapBytes, blockSize, threadSafe: false, policy),
            _ => new HeapAdapter(heapBytes, blockSize, policy, threadSafe: false) { Touch = false },
        };

        /// <summary>The base heap under an adapter made by <see cref="Create"/>.</summary>
        public static BaseHeap HeapOf(IAllocatorAdapter adapter) => adapter switch
        {
            HeapAdapter h => h.Heap,
            DebugHeapAdapter d => d.Heap,
            CheckerAdapter c => c.Heap,
            _ => null,
        };

        /// <summary>
        /// Reports the layer behind <paramref name="adapter"/> made other than out of memory: a
        /// replay's calls are all legal, so any is a false report (0 for the base heap, which throws).
        /// </summary>
        public static int FalseReportsOf(IAllocatorAdapter adapter) => adapter switch
        {
            DebugHeapAdapter d => d.Faults,
            CheckerAdapter c => c.FalseReports,
            _ => 0,
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
        /// 0 or more than there are) on <paramref name="layer"/> over <paramref name="policy"/> and
        /// maps the heap as they leave it.
        /// </summary>
        public static HeapMap MapAt(Trace trace, HeapLayer layer, int heapBytes, int blockSize, int events, HeapPolicy policy = HeapPolicy.Seed)
        {
            ArgumentNullException.ThrowIfNull(trace);
            int count = events <= 0 || events > trace.Events.Length ? trace.Events.Length : events;
            using IAllocatorAdapter adapter = Create(layer, heapBytes, blockSize, policy);
            ReplayResult r = Replayer.Run(trace, adapter, new ReplayOptions { StopAfterEvents = count });
            return MapOf(trace, adapter, layer, count, r.Failures);
        }

        /// <summary>The map of the heap behind <paramref name="adapter"/> after the first <paramref name="count"/> events.</summary>
        public static HeapMap MapOf(Trace trace, IAllocatorAdapter adapter, HeapLayer layer, int count, int failures)
        {
            var sizes = new int[trace.MaxId + 1];
            var live = new bool[trace.MaxId + 1];
            var sites = new int[trace.MaxId + 1];
            for (int i = 0; i < count; i++)
            {
                TraceEvent e = trace.Events[i];
                live[e.Id] = e.Op != TraceOp.Free;
                sizes[e.Id] = e.Size;
                if (e.Op != TraceOp.Free && trace.EventSites != null)
                {
                    sites[e.Id] = trace.EventSites[i];
                }
            }

            int header = layer == HeapLayer.Base ? 0 : DebugHeap.HEADER_BYTES;
            int type = layer == HeapLayer.Base ? -1 : BlockTypes.Normal;
            var chunks = new List<MapChunk>();
            for (int id = 1; id <= trace.MaxId; id++)
            {
                int offset = live[id] ? OffsetOf(adapter, id) : 0;
                if (offset != 0)
                {
                    // A device trace's site (its block type and file:line) when the event had one.
                    TraceSite site = sites[id] > 0 ? trace.Sites[sites[id] - 1] : null;
                    (int siteType, int? sub) = site == null ? (type, null) : TypeOf(site.Type, type);
                    chunks.Add(new MapChunk
                    {
                        Offset = offset - header, Size = sizes[id] + (header == 0 ? 0 : DebugHeap.OVERHEAD_BYTES), Type = siteType, Sub = sub,
                        Label = site == null ? "id " + id : $"{site.Location} id {id}",
                    });
                }
            }

            string at = count == trace.Events.Length ? "after all events" : $"after event {count} (line {trace.Events[count - 1].Line})";
            BaseHeap heap = HeapOf(adapter);
            HeapMap map = HeapMapBuilder.FromHeap(heap, $"{trace.Name}: {LayerName(layer, heap is CompactHeap ? HeapPolicy.Compact : HeapPolicy.Seed)} {at}", chunks);
            if (failures > 0)
            {
                map.Notes.Add($"{failures} allocation(s) failed for lack of memory before this point");
            }

            return map;
        }

        /// <summary>A site's block type ("Normal", "Client/1", "-") as a number and subtype; <paramref name="otherwise"/> for "-" or a name not known.</summary>
        private static (int Type, int? Sub) TypeOf(string name, int otherwise)
        {
            int slash = name.IndexOf('/');
            string type = slash < 0 ? name : name[..slash];
            int? sub = slash >= 0 && int.TryParse(name.AsSpan(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int s) ? s : null;
            for (int t = 0; t < 5; t++)
            {
                if (BlockTypes.Name(t) == type)
                {
                    return (t, sub);
                }
            }

            return (otherwise, null);
        }

        /// <summary>"base heap", "debug heap", "Checker"; over Compact with ", Compact policy" after it.</summary>
        public static string LayerName(HeapLayer layer, HeapPolicy policy = HeapPolicy.Seed) => (layer switch
        {
            HeapLayer.Debug => "debug heap",
            HeapLayer.Checker => "Checker",
            _ => "base heap",
        }) + (policy == HeapPolicy.Compact ? ", Compact policy" : "");

        /// <summary>The largest arena of <paramref name="layer"/> over <paramref name="policy"/> at <paramref name="blockSize"/> (ArenaLimits).</summary>
        public static int LargestArena(HeapLayer layer, int blockSize, HeapPolicy policy = HeapPolicy.Seed) => ArenaLimits.Largest(policy, blockSize, layer == HeapLayer.Checker);

        /// <summary>The smallest arena of <paramref name="layer"/> over <paramref name="policy"/> at <paramref name="blockSize"/> (ArenaLimits).</summary>
        public static int SmallestArena(HeapLayer layer, int blockSize, HeapPolicy policy = HeapPolicy.Seed) => ArenaLimits.Smallest(policy, blockSize, layer == HeapLayer.Checker);

        /// <summary>
        /// The smallest HEAP in which <paramref name="trace"/> completes on <paramref name="layer"/>
        /// over <paramref name="policy"/> (16-byte steps), up to the layer's largest arena (when none
        /// does, <see cref="MinHeapResult.Found"/> is false); its metadata is the base heap's table and lists.
        /// </summary>
        public static MinHeapResult Search(Trace trace, HeapLayer layer, int blockSize, HeapPolicy policy = HeapPolicy.Seed)
        {
            return MinHeapSearch.Find(trace, size => Create(layer, size, blockSize, policy), size => HeapPolicies.Make(policy, new Arena(new byte[size]), blockSize).MetadataBytes,
                MinHeapSearch.DefaultStep, LargestArena(layer, blockSize, policy));
        }
    }
}
