using System.Runtime.ExceptionServices;
using Framework.Tensors;

namespace Framework.Serialization;

/// <summary>Runs one action per checkpoint entry on up to <see cref="Threading.MaxThreads"/> threads.</summary>
/// <remarks>
/// Reading a checkpoint from the page cache is bound by one core's copy and checksum speed, not by the memory bus, so a
/// second core nearly doubles it. Entries go largest first so one big tensor does not finish alone at the end. Every entry
/// runs even after a failure, and the failure of the first entry in the caller's order is rethrown, so the error a
/// corrupt checkpoint reports does not depend on thread timing.
/// </remarks>
internal static class ParallelEntries
{
    /// <summary>Calls <paramref name="body"/> for every index in <c>[0, count)</c>; rethrows the lowest index's exception.</summary>
    /// <param name="count">How many entries.</param>
    /// <param name="size">The size in bytes of entry <c>i</c>, to schedule large entries first.</param>
    /// <param name="body">The work for entry <c>i</c>; must be safe to run concurrently with other indices.</param>
    public static void Run(int count, Func<int, long> size, Action<int> body)
    {
        if (count == 0) return;
        var failures = new ExceptionDispatchInfo?[count];
        int threads = Math.Min(Threading.MaxThreads, count);
        if (threads <= 1)
        {
            for (int i = 0; i < count; i++) Guard(body, i, failures);
        }
        else
        {
            int[] order = [.. Enumerable.Range(0, count).OrderByDescending(size)];
            int next = -1;
            void Worker()
            {
                for (int k; (k = Interlocked.Increment(ref next)) < count;) Guard(body, order[k], failures);
            }
            var helpers = new Task[threads - 1];
            for (int t = 0; t < helpers.Length; t++) helpers[t] = Task.Factory.StartNew(Worker, TaskCreationOptions.LongRunning);
            Worker();
            Task.WaitAll(helpers);
        }
        foreach (var failure in failures) failure?.Throw();
    }

    private static void Guard(Action<int> body, int i, ExceptionDispatchInfo?[] failures)
    {
        try
        {
            body(i);
        }
        catch (Exception e)
        {
            failures[i] = ExceptionDispatchInfo.Capture(e);
        }
    }
}
