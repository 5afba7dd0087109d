// Hang detection: a campaign runs on a worker thread and ticks after each trial; if no tick
// comes for the stall time, the campaign is declared hung at the trial it last named. A managed
// thread cannot be stopped from outside, so a hung worker is left behind (a background thread:
// the process still ends) and the campaign reports the hang instead of waiting forever.
using System;
using System.Threading;

namespace Checker.Nano.Reliability
{
    /// <summary>Runs a body on a worker thread and notices when it stops making progress.</summary>
    public sealed class Watchdog
    {
        private long _ticks;
        private volatile string _where = "start";

        /// <summary>Names the trial under way (shown if it hangs).</summary>
        public void At(string where)
        {
            _where = where;
            Interlocked.Increment(ref _ticks);
        }

        /// <summary>
        /// Runs <paramref name="body"/> on a worker thread (with a 16 MiB stack); returns null when
        /// it finished, or the trial it was in when it stalled for <paramref name="stall"/>.
        /// An exception in the body is rethrown here.
        /// </summary>
        public string Run(Action<Watchdog> body, TimeSpan stall)
        {
            Exception failure = null;
            var worker = new Thread(() =>
            {
                try
                {
                    body(this);
                }
                catch (Exception e)
                {
                    failure = e;
                }
            }, 16 << 20)
            {
                IsBackground = true,
                Name = "reliability worker",
            };
            worker.Start();
            long seen = -1;
            while (!worker.Join(stall))
            {
                long now = Interlocked.Read(ref _ticks);
                if (now == seen)
                {
                    return _where;
                }

                seen = now;
            }

            if (failure != null)
            {
                throw new AggregateException("the campaign failed", failure);
            }

            return null;
        }
    }
}
