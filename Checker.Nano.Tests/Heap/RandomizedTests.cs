// Randomized malloc/calloc/realloc/free against a model of the live blocks. Every block carries
// a pattern derived from its id; the pattern is verified before the block is freed or resized
// (and all live blocks every 1,000 operations), Validate() runs after every operation. Seeds are
// fixed and printed; the generator gives the same sequence on the device and the PC.
using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class RandomizedTests
    {
        [TestMethod]
        [DataRow(1, 4096, 65536, 30000, 50)]
        [DataRow(2, 4096, 65536, 30000, 100)]
        [DataRow(3, 256, 16384, 20000, 50)]
        [DataRow(4, 256, 16384, 20000, 100)]
        public void RandomOperations_MatchTheModel(int seed, int blockSize, int heapBytes, int operations, int fillPercent)
        {
            OutputHelper.WriteLine("seed " + seed.ToString() + ", BLOCKSIZE " + blockSize.ToString() + ", HEAP " + heapBytes.ToString()
                + ", " + operations.ToString() + " operations, target fill " + fillPercent.ToString() + "%");
            Heap heap = new Heap(new byte[heapBytes], blockSize);
            HeapModel.RunAgainstTheModel(heap, seed, heapBytes, operations, fillPercent, blockSize / 2, blockSize * 3, false);
        }
    }
}
