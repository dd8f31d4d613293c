namespace Course.Torch.Tests.Kernels;

public class WorkerPoolTests
{
    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 2)]
    [InlineData(7, 2)]
    [InlineData(64, 8)]
    [InlineData(5, 1)]
    public void EveryPartRunsExactlyOnce(int count, int threads)
    {
        for (int round = 0; round < 200; round++)
        {
            var hits = new int[count];
            WorkerPool.For(count, threads, i => Interlocked.Increment(ref hits[i]));
            Assert.All(hits, h => Assert.Equal(1, h));
        }
    }

    [Fact]
    public void ReturnsOnlyAfterEveryPartHasFinished()
    {
        for (int round = 0; round < 50; round++)
        {
            int done = 0;
            WorkerPool.For(4, 2, i => { Thread.SpinWait(2000 * (i + 1)); Interlocked.Increment(ref done); });
            Assert.Equal(4, Volatile.Read(ref done));
        }
    }

    [Fact]
    public void NoPartRunsAfterTheCallReturns()
    {
        for (int round = 0; round < 300; round++)
        {
            int returned = 0, late = 0;
            WorkerPool.For(6, 2, i =>
            {
                Thread.SpinWait(100 * (round % 7) * (i + 1));
                if (Volatile.Read(ref returned) != 0) Interlocked.Increment(ref late);
            });
            Volatile.Write(ref returned, 1);
            Thread.SpinWait(500);
            Assert.Equal(0, Volatile.Read(ref late));
        }
    }

    [Fact]
    public void AFailedPartNearTheLargestCountNeverRunsANegativePart()
    {
        // The failing part comes late enough that the worker has joined in; after the failure each thread takes
        // one more ticket past the end of the parts.
        int negative = 0;
        for (int round = 0; round < 20; round++)
            Assert.Throws<InvalidOperationException>(() => WorkerPool.For(int.MaxValue, 2, i =>
            {
                if (i < 0) { Interlocked.Increment(ref negative); throw new InvalidOperationException("negative part"); }
                if (i == 200_000) throw new InvalidOperationException("stop");
            }));
        Assert.Equal(0, negative);
    }

    [Fact]
    public void AWorkerAsleepForLongerThanItsSpinStillTakesTheNextJob()
    {
        Thread.Sleep(50); // the worker has given up spinning and blocked
        var hits = new int[16];
        WorkerPool.For(16, 2, i => { Thread.SpinWait(20_000); Interlocked.Increment(ref hits[i]); });
        Assert.All(hits, h => Assert.Equal(1, h));
    }

    [Fact]
    public void ANestedCallRunsInlineInsteadOfDeadlocking()
    {
        var inner = new int[4 * 3];
        WorkerPool.For(4, 2, i => WorkerPool.For(3, 2, j => Interlocked.Increment(ref inner[i * 3 + j])));
        Assert.All(inner, h => Assert.Equal(1, h));
    }

    [Fact]
    public void CallersOnManyThreadsAtOnceEachGetTheirWholeJob()
    {
        const int callers = 6, rounds = 300, count = 9;
        var totals = new long[callers];
        Parallel.For(0, callers, new ParallelOptions { MaxDegreeOfParallelism = callers }, c =>
        {
            for (int r = 0; r < rounds; r++)
            {
                long sum = 0;
                WorkerPool.For(count, 2, i => Interlocked.Add(ref sum, i + 1));
                totals[c] += sum;
            }
        });
        Assert.All(totals, t => Assert.Equal(rounds * count * (count + 1) / 2, t));
    }

    [Fact]
    public void TheFirstExceptionFromAPartIsRethrownToTheCaller()
    {
        var e = Assert.Throws<InvalidOperationException>(() =>
            WorkerPool.For(8, 2, i => { if (i == 5) throw new InvalidOperationException("part 5 failed"); }));
        Assert.Equal("part 5 failed", e.Message);
        // The pool is usable again afterwards.
        var hits = new int[8];
        WorkerPool.For(8, 2, i => Interlocked.Increment(ref hits[i]));
        Assert.All(hits, h => Assert.Equal(1, h));
    }
}
