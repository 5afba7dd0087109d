// The harness must be able to fail: a subject that breaks a property on purpose (hands out a
// pointer inside a live block, loses a byte on realloc, leaks a block) is caught, and CsCheck
// shrinks the failing program to a few operations. Without these, a clean row could mean a blind
// harness.
using System;
using CsCheck;
using Xunit;

namespace Checker.Nano.Reliability.Tests
{
    public class HarnessTests
    {
        /// <summary>The base heap with one deliberate bug, switched on after <c>after</c> mallocs.</summary>
        private sealed class Broken : Subject
        {
            private readonly BaseSubject _s;
            private readonly string _bug;
            private int _mallocs;

            public Broken(string bug)
            {
                _s = new BaseSubject(new HeapShape(16384, 256));
                _bug = bug;
            }

            public override Layer Layer => Layer.Base;

            public override BaseHeap Heap => _s.Heap;

            public override int HeaderBytes => 0;

            public override int TrailerBytes => 0;

            public override int Malloc(int size)
            {
                int p = _s.Malloc(size);
                if (_bug == "overlap" && ++_mallocs == 5 && p != 0 && size >= 16)
                {
                    _s.Free(p);
                    return Heap.HeapBase + 8;   // inside the first block
                }

                if (_bug == "leak" && p != 0 && ++_mallocs == 3)
                {
                    _s.Malloc(8);   // a block nobody will free
                }

                return p;
            }

            public override int Calloc(int count, int size) => _s.Calloc(count, size);

            public override int Realloc(int ptr, int size)
            {
                int q = _s.Realloc(ptr, size);
                if (_bug == "realloc" && q != 0 && size > 1)
                {
                    Memory[q] ^= 1;   // loses a bit of the kept bytes
                }

                return q;
            }

            public override void Free(int ptr) => _s.Free(ptr);

            public override void Write(int ptr, int index, byte[] source, int count) => _s.Write(ptr, index, source, count);

            public override void Read(int ptr, int index, byte[] destination, int count) => _s.Read(ptr, index, destination, count);

            public override void Fill(int ptr, int index, int count, byte value) => _s.Fill(ptr, index, count, value);

            public override string Validate() => _s.Validate();

            public override string Check() => _s.Check();

            public override int ReportedFaults => 0;

            public override int LiveBlocks => _s.LiveBlocks;
        }

        [Theory]
        [InlineData("overlap")]
        [InlineData("realloc")]
        [InlineData("leak")]
        public void ABrokenAllocator_IsCaught_AndShrunk(string bug)
        {
            Gen<(int Shape, int Variant, Op[] Ops)> gen = OperationGen.Sequence(200, false);
            var e = Assert.ThrowsAny<Exception>(() => gen.Sample(
                t => new ModelRunner(new Broken(bug), 1).Run(t.Ops),
                iter: 500,
                threads: 1,
                print: t => $"{t.Ops.Length} operations: " + string.Join(", ", t.Ops)));
            Assert.Contains("PropertyViolation", e.ToString());
            Assert.Contains("CsCheck_Seed", e.Message);
        }
    }
}
