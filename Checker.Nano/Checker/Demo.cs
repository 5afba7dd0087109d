// Deliberate bugs in a few lines (the boards' firmware makes its own: boards/common): builds a
// Checker over its own arena and makes, in order, a read of uninitialized bytes ("ruh"), a write
// past the end of a block ("bvh"), a read after free ("rfb"), and a leaked linked list (its head
// pointer, kept in the data zone, is overwritten), then runs the garbage detector. Every report
// goes to the reporter given; the sites shown are this file's lines (CheckerDemoTests pins them).
namespace Checker.Nano
{
    /// <summary>The Checker demo: deliberate bugs and the reports they give.</summary>
    public static class CheckerDemo
    {
        /// <summary>
        /// Runs the demo on a new <paramref name="arenaBytes"/>-byte arena (a multiple of 8, at least
        /// 16 KiB) with 1024-byte blocks, a 256-byte data zone and a 1 KiB stack zone, reporting to
        /// <paramref name="reporter"/>. Returns the Checker (its counts say what was found).
        /// </summary>
        public static CheckerHeap Run(Reporter reporter, int arenaBytes)
        {
            CheckerHeap c = new CheckerHeap(new byte[arenaBytes], 1024, 256, 1024, reporter);

            // A sensor record of 16 ints: the first is set, the fourth is read before it is written.
            int record = c.Malloc(64);
            c.WriteInt32(record, 42);
            c.ReadInt32(record + 12);                 // ruh: 12 bytes into the block

            // An off-by-one loop writes one int too many.
            for (int i = 0; i <= 16; i++)
            {
                c.WriteInt32(record + (i * 4), i);    // bvh at i = 16: 0 bytes after the block
            }

            // The record is freed, then read through the stale pointer.
            c.Free(record);
            c.ReadInt32(record + 4);                  // rfb: 4 bytes into a free block

            // A list of 4 nodes { next, value } whose head lives in the data zone's first word.
            int head = 0;
            for (int i = 0; i < 4; i++)
            {
                int node = c.Malloc(8);
                c.WriteInt32(node, head);
                c.WriteInt32(node + 4, i);
                head = node;
            }

            int globalHead = c.DataSlot(0);
            c.WriteInt32(globalHead, head);
            c.WriteInt32(globalHead, 0);              // the head is overwritten: the 4 nodes leak
            c.DetectGarbage();
            return c;
        }
    }
}
