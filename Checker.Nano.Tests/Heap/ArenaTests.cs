using Checker.Nano;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests
{
    [TestClass]
    public class ArenaTests
    {
        [TestMethod]
        public void Arena_BreakStartsAt8_NeverAtNull()
        {
            Arena arena = new Arena(new byte[256]);
            Assert.AreEqual(8, arena.Start);
            Assert.AreEqual(8, arena.Sbrk(0));
            Assert.AreEqual(8, arena.Sbrk(16));
            Assert.AreEqual(24, arena.Break);
        }

        [TestMethod]
        public void Arena_StartIsRoundedUpTo8()
        {
            Assert.AreEqual(104, new Arena(new byte[256], 100).Start);
            Assert.AreEqual(8, new Arena(new byte[256], 1).Start);
        }

        [TestMethod]
        public void Sbrk_PastTheLimit_FailsAndChangesNothing()
        {
            Arena arena = new Arena(new byte[256]);
            Assert.AreEqual(8, arena.Sbrk(248));
            Assert.AreEqual(256, arena.Break);
            Assert.AreEqual(Arena.SbrkFailed, arena.Sbrk(1));
            Assert.AreEqual(256, arena.Break);
        }

        [TestMethod]
        public void Sbrk_Negative_GivesBackButNotBelowStart()
        {
            Arena arena = new Arena(new byte[256]);
            arena.Sbrk(100);
            Assert.AreEqual(108, arena.Sbrk(-50));
            Assert.AreEqual(58, arena.Break);
            Assert.AreEqual(Arena.SbrkFailed, arena.Sbrk(-51));
            Assert.AreEqual(58, arena.Break);
            Assert.AreEqual(58, arena.Sbrk(-50));
            Assert.AreEqual(8, arena.Break);
        }

        [TestMethod]
        public void SetLimit_StopsTheBreak_AndCannotGoBelowIt()
        {
            Arena arena = new Arena(new byte[256]);
            arena.Sbrk(40);
            Assert.IsTrue(arena.SetLimit(128));
            Assert.AreEqual(Arena.SbrkFailed, arena.Sbrk(81));
            Assert.AreEqual(48, arena.Sbrk(80));
            Assert.IsFalse(arena.SetLimit(127));
            Assert.IsFalse(arena.SetLimit(257));
            arena.Reset();
            Assert.AreEqual(8, arena.Break);
            Assert.AreEqual(256, arena.Limit);
        }

        [TestMethod]
        public void Arena_BadArguments_Throw()
        {
            Assert.ThrowsException(typeof(System.ArgumentNullException), () => new Arena(null));
            Assert.ThrowsException(typeof(System.ArgumentOutOfRangeException), () => new Arena(new byte[16], 0));
            Assert.ThrowsException(typeof(System.ArgumentOutOfRangeException), () => new Arena(new byte[16], 17));
        }
    }
}
