// A parsed allocation trace ("checker-nano trace v1", see the traces README): its header and its
// events in file order, plus what the reader computed while checking it (peak live bytes and
// blocks, operation counts). A Trace is immutable once read; replays never change it.
//
// Invariants (established by TraceReader):
//  - ids run 1..MaxId, allocated ('a' or 'c') in increasing order, never reused;
//  - 'r' and 'f' name a live id; no id is freed twice;
//  - every size fits in an int, and so does count * size of a 'c'.
using System;
using System.Collections.Generic;

namespace Checker.Nano.Traces
{
    /// <summary>What an event does; the values are the record letters of the format.</summary>
    public enum TraceOp : byte
    {
        /// <summary><c>a &lt;id&gt; &lt;size&gt;</c>: malloc(size).</summary>
        Malloc = (byte)'a',

        /// <summary><c>c &lt;id&gt; &lt;count&gt; &lt;size&gt;</c>: calloc(count, size).</summary>
        Calloc = (byte)'c',

        /// <summary><c>r &lt;id&gt; &lt;newsize&gt;</c>: realloc(block id, newsize).</summary>
        Realloc = (byte)'r',

        /// <summary><c>f &lt;id&gt;</c>: free(block id).</summary>
        Free = (byte)'f',
    }

    /// <summary>One event. <see cref="Size"/> is the byte count the program asked for (count * size for calloc).</summary>
    public readonly struct TraceEvent
    {
        /// <summary>The operation.</summary>
        public readonly TraceOp Op;

        /// <summary>The block's trace id (1..MaxId).</summary>
        public readonly int Id;

        /// <summary>Bytes requested: malloc's size, realloc's new size, calloc's count * size; 0 for free.</summary>
        public readonly int Size;

        /// <summary>calloc's count (1 for the other operations, 0 for free).</summary>
        public readonly int Count;

        /// <summary>calloc's element size (equal to <see cref="Size"/> for malloc and realloc).</summary>
        public readonly int ElementSize;

        /// <summary>The 1-based line of the event in its file.</summary>
        public readonly int Line;

        /// <summary>An event as read from line <paramref name="line"/>.</summary>
        public TraceEvent(TraceOp op, int id, int count, int elementSize, int line)
        {
            Op = op;
            Id = id;
            Count = count;
            ElementSize = elementSize;
            Size = count * elementSize;
            Line = line;
        }

        /// <summary>The event as its trace line.</summary>
        public override string ToString()
        {
            switch (Op)
            {
                case TraceOp.Calloc: return $"c {Id} {Count} {ElementSize}";
                case TraceOp.Free: return $"f {Id}";
                default: return $"{(char)Op} {Id} {Size}";
            }
        }
    }

    /// <summary>
    /// An allocation site of a device trace ("# site: 3 Normal SensorLogger.cs:329"): where the
    /// firmware asked for the blocks (file:line, as the debug heap or Checker knew it) and their
    /// block type ("Normal", "Client/1"; "-" when the layer had none).
    /// </summary>
    public sealed record TraceSite(int Index, string Type, string Location)
    {
        /// <summary>"SensorLogger.cs:329 (Normal)".</summary>
        public override string ToString() => Type == "-" ? Location : $"{Location} ({Type})";
    }

    /// <summary>A whole trace: header, events, and the figures the reader computed.</summary>
    public sealed class Trace
    {
        internal Trace(string name, string path, string source, IReadOnlyList<string> notes, TraceEvent[] events,
            int maxId, long peakLiveBytes, int peakLiveBlocks, int mallocs, int callocs, int reallocs, int frees,
            int largestRequest, int liveAtEnd, long liveBytesAtEnd)
        {
            Name = name;
            Path = path;
            Source = source;
            Notes = notes;
            Events = events;
            MaxId = maxId;
            PeakLiveBytes = peakLiveBytes;
            PeakLiveBlocks = peakLiveBlocks;
            Mallocs = mallocs;
            Callocs = callocs;
            Reallocs = reallocs;
            Frees = frees;
            LargestRequest = largestRequest;
            LiveBlocksAtEnd = liveAtEnd;
            LiveBytesAtEnd = liveBytesAtEnd;
        }

        /// <summary>The file name without ".txt" / ".txt.gz" (e.g. "lua51-json"), as the traces README names it.</summary>
        public string Name { get; }

        /// <summary>Where the trace was read from (as given to the reader).</summary>
        public string Path { get; }

        /// <summary>Line 2 after "# source: ".</summary>
        public string Source { get; }

        /// <summary>The text of every "# note: " line, in order.</summary>
        public IReadOnlyList<string> Notes { get; }

        /// <summary>The events in file order. Do not modify.</summary>
        public TraceEvent[] Events { get; }

        /// <summary>The largest id (ids run 1..MaxId).</summary>
        public int MaxId { get; }

        /// <summary>The largest total of requested bytes live at once (calloc counts count * size).</summary>
        public long PeakLiveBytes { get; }

        /// <summary>Blocks live at the first moment <see cref="PeakLiveBytes"/> was reached.</summary>
        public int PeakLiveBlocks { get; }

        /// <summary>'a' events.</summary>
        public int Mallocs { get; }

        /// <summary>'c' events.</summary>
        public int Callocs { get; }

        /// <summary>'r' events.</summary>
        public int Reallocs { get; }

        /// <summary>'f' events.</summary>
        public int Frees { get; }

        /// <summary>The largest single request (malloc, calloc total or realloc new size).</summary>
        public int LargestRequest { get; }

        /// <summary>Blocks never freed by the trace.</summary>
        public int LiveBlocksAtEnd { get; }

        /// <summary>Requested bytes never freed by the trace.</summary>
        public long LiveBytesAtEnd { get; }

        /// <summary>The allocation sites of a device trace ("# site:" lines), in their order; empty for other traces.</summary>
        public IReadOnlyList<TraceSite> Sites { get; init; } = Array.Empty<TraceSite>();

        /// <summary>Per event, the site (1-based index into <see cref="Sites"/>) of an allocation, 0 when unknown or a free; null when the trace has no sites.</summary>
        public int[] EventSites { get; init; }

        /// <summary>
        /// The largest total of <paramref name="round"/>(size) live at once: with the allocator's
        /// rounding of a request (fragment size, whole blocks) this is the peak an allocator with no
        /// external fragmentation and no metadata would need.
        /// </summary>
        public long PeakRoundedLiveBytes(Func<int, long> round)
        {
            ArgumentNullException.ThrowIfNull(round);
            var sizes = new long[MaxId + 1];
            long live = 0, peak = 0;
            foreach (TraceEvent e in Events)
            {
                switch (e.Op)
                {
                    case TraceOp.Malloc:
                    case TraceOp.Calloc:
                        sizes[e.Id] = e.Size == 0 ? 0 : round(e.Size);
                        live += sizes[e.Id];
                        break;
                    case TraceOp.Realloc:
                        live -= sizes[e.Id];
                        sizes[e.Id] = round(e.Size);
                        live += sizes[e.Id];
                        break;
                    case TraceOp.Free:
                        live -= sizes[e.Id];
                        sizes[e.Id] = 0;
                        break;
                }

                if (live > peak)
                {
                    peak = live;
                }
            }

            return peak;
        }

        /// <summary>"name: N events, peak live B bytes in K blocks".</summary>
        public override string ToString()
        {
            return $"{Name}: {Events.Length} events, peak live {PeakLiveBytes} bytes in {PeakLiveBlocks} blocks";
        }
    }
}
