using Framework.Tensors;
using Framework.Tensors.Kernels;

namespace Framework.Tests.Tensors.Kernels;

public unsafe class CpuParallelTests
{
    private int _savedMaxThreads;

    [SetUp]
    public void SetUp() => _savedMaxThreads = Threading.MaxThreads;

    [TearDown]
    public void TearDown() => Threading.MaxThreads = _savedMaxThreads;

    [TestCase(1, 1)]
    [TestCase(2, 2)]
    [TestCase(2, 1000)]
    [TestCase(4, 37)]
    [TestCase(4, 3)]
    [TestCase(3, 2)]
    [TestCase(8, 1001)]
    public void For_AnyThreadCount_RunsEveryIndexExactlyOnce(int threads, int count)
    {
        Threading.MaxThreads = threads;
        for (int round = 0; round < 20; round++)
        {
            var hits = new int[count];
            fixed (int* p = hits)
            {
                var body = new CountingBody { Hits = p, Spin = round % 5 };
                CpuParallel.For(count, ref body);
            }
            Assert.That(hits, Has.All.EqualTo(1), $"round {round}");
        }
    }

    /// <summary>Workers of an earlier, wider job may still be on their way when a narrower one opens; each index must
    /// still run exactly once.</summary>
    [Test]
    public void For_AlternatingThreadCounts_RunsEveryIndexExactlyOnce()
    {
        int[] threadCounts = [6, 2, 3];
        var random = new Random(5);
        for (int round = 0; round < 3000; round++)
        {
            Threading.MaxThreads = threadCounts[round % threadCounts.Length];
            var hits = new int[2 + round % 9];
            fixed (int* p = hits)
            {
                var body = new CountingBody { Hits = p, Spin = random.Next(3) };
                CpuParallel.For(hits.Length, ref body);
            }
            Assert.That(hits, Has.All.EqualTo(1), $"round {round}, {Threading.MaxThreads} threads, {hits.Length} indices");
        }
    }

    [Test]
    public void For_CountBeyondTheLimit_Throws()
    {
        var body = new ThrowingBody { ThrowAt = -1 };
        Assert.Throws<ArgumentOutOfRangeException>(() => CpuParallel.For(CpuParallel.MaxCount + 1, ref body));
    }

    [Test]
    public void BlockOf_TilesTheIndicesInOrder_WithSizesWithinOne()
    {
        foreach (int count in new[] { 1, 2, 3, 7, 16, 37, 1000, int.MaxValue })
            foreach (int participants in new[] { 1, 2, 3, 4, 8 })
            {
                if (participants > count) continue;
                int expectedStart = 0;
                var sizes = new List<long>();
                for (int p = 0; p < participants; p++)
                {
                    var (start, end) = CpuParallel.BlockOf(count, participants, p);
                    Assert.That(start, Is.EqualTo(expectedStart), $"count {count}, {participants} participants, block {p}");
                    sizes.Add((long)end - start);
                    expectedStart = end;
                }
                Assert.That(expectedStart, Is.EqualTo(count), $"count {count}, {participants} participants: the last block ends at count");
                Assert.That(sizes.Max() - sizes.Min(), Is.LessThanOrEqualTo(1), $"count {count}, {participants} participants");
            }
    }

    [Test]
    public void For_MaxThreadsOne_RunsOnCallingThread()
    {
        Threading.MaxThreads = 1;
        var threadIds = new int[64];
        fixed (int* p = threadIds)
        {
            var body = new ThreadRecordingBody { ThreadIds = p };
            CpuParallel.For(threadIds.Length, ref body);
        }
        Assert.That(threadIds, Has.All.EqualTo(Environment.CurrentManagedThreadId));
    }

    // Index 7 lies in the caller's block, index 12 in the worker's (which the caller takes over if the worker is late).
    [TestCase(7)]
    [TestCase(12)]
    public void For_BodyThrows_RethrowsOnCaller(int throwAt)
    {
        Threading.MaxThreads = 2;
        var body = new ThrowingBody { ThrowAt = throwAt };
        var ex = Assert.Throws<InvalidOperationException>(() => CpuParallel.For(16, ref body));
        Assert.That(ex!.Message, Does.Contain($"index {throwAt}"));

        // The pool must still work after a failure.
        var hits = new int[16];
        fixed (int* p = hits)
        {
            var counting = new CountingBody { Hits = p };
            CpuParallel.For(hits.Length, ref counting);
        }
        Assert.That(hits, Has.All.EqualTo(1));
    }

    [Test]
    public void For_NestedCall_CompletesWithoutDeadlock()
    {
        Threading.MaxThreads = 2;
        var hits = new int[8 * 8];
        fixed (int* p = hits)
        {
            var body = new NestedBody { Hits = p };
            CpuParallel.For(8, ref body);
        }
        Assert.That(hits, Has.All.EqualTo(1));
    }

    private struct CountingBody : IParallelBody
    {
        public int* Hits;
        public int Spin;

        public readonly void Invoke(int index)
        {
            Thread.SpinWait(Spin * 100);
            Interlocked.Increment(ref Hits[index]);
        }
    }

    private struct ThreadRecordingBody : IParallelBody
    {
        public int* ThreadIds;

        public readonly void Invoke(int index) => ThreadIds[index] = Environment.CurrentManagedThreadId;
    }

    private struct ThrowingBody : IParallelBody
    {
        public int ThrowAt;

        public readonly void Invoke(int index)
        {
            if (index == ThrowAt)
                throw new InvalidOperationException($"failed at index {index}");
        }
    }

    private struct NestedBody : IParallelBody
    {
        public int* Hits;

        public readonly void Invoke(int index)
        {
            var inner = new CountingBody { Hits = Hits + index * 8 };
            CpuParallel.For(8, ref inner);
        }
    }
}
