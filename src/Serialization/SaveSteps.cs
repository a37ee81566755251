using System.Globalization;

namespace Framework.Serialization;

/// <summary>The kinds of file-system step a save takes; a crash right before any of them must leave a loadable checkpoint.</summary>
public enum SaveStep
{
    /// <summary>Flushing a written file to disk (<c>fsync</c>).</summary>
    Fsync,

    /// <summary>Flushing a directory's entries to disk (<c>fsync</c> of the directory).</summary>
    FsyncDirectory,

    /// <summary>Renaming a file or directory onto its final name.</summary>
    Rename,

    /// <summary>Creating a second name for a file (a hard link).</summary>
    Link,

    /// <summary>Deleting a file.</summary>
    Unlink,

    /// <summary>Deleting a directory and everything in it.</summary>
    DeleteDirectory,
}

/// <summary>Announces every file-system step of every save before it is taken, so a crash test can kill the process
/// exactly there (issue 12: a kill right before each rename, unlink and fsync of each save path).</summary>
/// <remarks>
/// <para>Every save path calls <see cref="Before"/> right before each <c>fsync</c>, rename, link and delete: the bundle
/// writer, <see cref="AtomicFile"/>, the <c>checkpoint</c> state file, <see cref="CheckpointManager"/>'s retention, and in
/// Framework.Training the model directory swap and <c>ModelCheckpoint</c>'s pruning. A new format (Keras <c>.h5</c>,
/// <c>.keras</c>) joins the crash tests by doing the same and adding a mode to <c>tests/Framework.CrashWorker</c>.</para>
/// <para>Off unless the process starts with <c>FRAMEWORK_CRASH_PAUSE_AT=N</c> in its environment; then only a static
/// flag is read per step. The worker calls <see cref="Arm"/> once its set-up is done; from then on steps are counted
/// from 1, and step <c>N</c> writes <c>crash-point N KIND PATH</c> on standard output and blocks its thread forever,
/// so the test can SIGKILL the process right before that step. <c>N = 0</c> counts without pausing, and
/// <see cref="Count"/> tells how many steps were taken.</para>
/// </remarks>
public static class SaveSteps
{
    /// <summary>The environment variable that enables the hook.</summary>
    public const string PauseAtVariable = "FRAMEWORK_CRASH_PAUSE_AT";

    private static readonly long s_pauseAt = ReadPauseAt();
    private static readonly bool s_enabled = s_pauseAt >= 0;
    private static bool s_armed;
    private static long s_count;

    /// <summary>The number of steps taken since <see cref="Arm"/>.</summary>
    public static long Count => Interlocked.Read(ref s_count);

    /// <summary>Starts counting steps (when the hook is enabled).</summary>
    public static void Arm() => Volatile.Write(ref s_armed, s_enabled);

    /// <summary>Called right before a file-system step of a save; pauses there forever when it is the chosen step.</summary>
    /// <param name="step">What is about to happen.</param>
    /// <param name="path">The file or directory it happens to (for a rename or link, the new name).</param>
    public static void Before(SaveStep step, string path)
    {
        if (!s_enabled || !Volatile.Read(ref s_armed)) return;
        long n = Interlocked.Increment(ref s_count);
        if (n != s_pauseAt) return;
        Console.Out.WriteLine($"crash-point {n} {step} {path}");
        Console.Out.Flush();
        Thread.Sleep(Timeout.Infinite);
    }

    private static long ReadPauseAt() =>
        long.TryParse(Environment.GetEnvironmentVariable(PauseAtVariable), NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n : -1;
}
