using System.Runtime.ExceptionServices;

namespace Course.Torch;

/// <summary>
/// The engine's own fork/join for kernels: one persistent worker per extra core, which spins briefly after each
/// job before it sleeps. A training step forks a few dozen times, microseconds apart; the thread pool's
/// Parallel.For pays a wake-up and a handful of allocations each time, which on small steps (an MLP on a batch of
/// 1024) cost as much as the arithmetic they split.
/// </summary>
/// <remarks>
/// Parts are claimed dynamically, so a core busy with something else slows a job instead of stalling it. One job
/// runs at a time: a call made while the pool is busy (from inside a part, or from another thread) runs its
/// parts inline on the calling thread. Every kernel's results are independent of which thread runs which part,
/// so this changes timing only, never values.
/// </remarks>
internal static class WorkerPool
{
    /// <summary>How long an idle worker keeps polling for the next job before it blocks: longer than the gap
    /// between the kernels of one training step, far shorter than anything a person would notice as load.</summary>
    private static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency / 5000; // 200 us

    private static readonly Worker[] Workers = StartWorkers(Math.Max(0, Environment.ProcessorCount - 1));
    private static int busy;

    /// <summary>Runs body(0) .. body(count - 1) on up to <paramref name="threads"/> threads (the caller is one of
    /// them) and returns when all have finished; the first exception thrown by a part is rethrown here.</summary>
    public static void For(int count, int threads, Action<int> body)
    {
        int helpers = Math.Min(Math.Min(threads, count) - 1, Workers.Length);
        if (helpers <= 0 || Interlocked.CompareExchange(ref busy, 1, 0) != 0)
        {
            for (int i = 0; i < count; i++) body(i);
            return;
        }
        var job = new Job(body, count, helpers);
        try
        {
            for (int w = 0; w < helpers; w++) Workers[w].Post(job);
            job.RunParts();
        }
        finally
        {
            // Whatever happened above, no part may still run once this returns (nor the next job start under it).
            // A worker that has not picked the job up yet is not waited for: take the job back from it.
            for (int w = 0; w < helpers; w++)
                if (Workers[w].Withdraw(job)) Interlocked.Decrement(ref job.Pending);
            var spin = new SpinWait();
            while (Volatile.Read(ref job.Pending) > 0) spin.SpinOnce(sleep1Threshold: -1);
            Volatile.Write(ref busy, 0);
        }
        job.Error?.Throw();
    }

    private static Worker[] StartWorkers(int n)
    {
        var workers = new Worker[n];
        for (int i = 0; i < n; i++) workers[i] = new Worker(i);
        return workers;
    }

    private sealed class Job(Action<int> body, int count, int helpers)
    {
        public int Pending = helpers;
        public ExceptionDispatchInfo? Error;
        private int next;

        public void RunParts()
        {
            int i;
            // Unsigned: each thread overshoots the counter once, which must not wrap to a negative part near int.MaxValue.
            while ((uint)(i = Interlocked.Increment(ref next) - 1) < (uint)count)
            {
                try { body(i); }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref Error, ExceptionDispatchInfo.Capture(e), null);
                    Volatile.Write(ref next, count); // no new parts once one has failed
                }
            }
        }
    }

    private sealed class Worker
    {
        private Job? posted;
        private int sleeping;
        private readonly SemaphoreSlim wake = new(0);

        public Worker(int index)
        {
            new Thread(Loop) { IsBackground = true, Name = $"Course.Torch worker {index + 1}" }.Start();
        }

        public void Post(Job job)
        {
            var previous = Interlocked.Exchange(ref posted, job);
            System.Diagnostics.Debug.Assert(previous is null, "a worker was posted a job while it still had one");
            // Pairs with the sleeping handshake in Loop: whichever side clears the flag decides who wakes whom.
            if (Interlocked.Exchange(ref sleeping, 0) == 1) wake.Release();
        }

        /// <summary>True when the worker never took the job (it is then no longer posted).</summary>
        public bool Withdraw(Job job) => Interlocked.CompareExchange(ref posted, null, job) == job;

        private void Loop()
        {
            while (true)
            {
                var job = Interlocked.Exchange(ref posted, null);
                if (job != null)
                {
                    try { job.RunParts(); } // parts' exceptions are caught and recorded in there
                    finally { Interlocked.Decrement(ref job.Pending); }
                    continue;
                }
                if (SpinForJob()) continue;
                Interlocked.Exchange(ref sleeping, 1);
                if (Volatile.Read(ref posted) != null && Interlocked.Exchange(ref sleeping, 0) == 1) continue;
                wake.Wait(); // a poster cleared the flag and released once
            }
        }

        private bool SpinForJob()
        {
            long until = System.Diagnostics.Stopwatch.GetTimestamp() + SpinTicks;
            int spins = 0;
            while (Volatile.Read(ref posted) == null)
            {
                if ((++spins & 63) == 0 && System.Diagnostics.Stopwatch.GetTimestamp() > until) return false;
                Thread.SpinWait(8);
            }
            return true;
        }
    }
}
