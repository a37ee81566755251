using Framework.Tensors;

namespace Framework.Serialization;

/// <summary>Numbers, records and prunes the checkpoints of a directory, like <c>tf.train.CheckpointManager</c>.</summary>
/// <remarks>
/// <para>Each <see cref="Save"/> writes <c>directory/ckpt-N</c>, records it in the <c>checkpoint</c> state file (the commit
/// point), and only then deletes the oldest checkpoints beyond <c>maxToKeep</c>, and rewrites the state file without them.
/// A crash at any moment leaves a state file that names complete checkpoints.</para>
/// <para>On construction the manager reads the directory's existing state file, so a restarted program continues the
/// numbering and the retention of the previous run.</para>
/// <para>One process writes a directory at a time: the first <see cref="Save"/> takes an advisory lock on it (the file
/// <c>checkpoint.lock</c>), held until <see cref="Dispose"/> or the end of the process (a killed process releases it too).
/// A manager of another process saving into the same directory throws an <see cref="IOException"/> that says so, before
/// it writes anything: its checkpoints would be numbered like this one's and overwrite them. Managers of one process
/// share the lock. Restoring takes no lock, so a directory can be read while another process writes it.</para>
/// </remarks>
/// <example>
/// <code>
/// var manager = new CheckpointManager(new Checkpoint(("model", model)), "runs", maxToKeep: 3);
/// manager.RestoreOrInitialize();
/// for (int epoch = 0; epoch &lt; 10; epoch++) { /* train */ manager.Save(); }
/// </code>
/// </example>
public sealed class CheckpointManager : IDisposable
{
    private readonly Checkpoint _checkpoint;
    private readonly string _prefix;
    private readonly TimeProvider _time;
    private readonly Variable? _stepCounter;
    private readonly List<(string Path, double Timestamp)> _maybeDelete = [];
    private double _lastPreserved;
    private long? _lastSavedStep;
    private DirectoryLock? _lock;
    private bool _disposed;

    /// <summary>Creates a manager for <paramref name="checkpoint"/> in <paramref name="directory"/>.</summary>
    /// <param name="checkpoint">The checkpoint to save and restore.</param>
    /// <param name="directory">The directory of checkpoints and the state file; created on the first save.</param>
    /// <param name="maxToKeep">How many recent checkpoints to keep; null keeps all. Must be positive.</param>
    /// <param name="keepCheckpointEveryNHours">Additionally keep one checkpoint per this many hours forever; null for none.</param>
    /// <param name="checkpointName">The file name before <c>-N</c>.</param>
    /// <param name="stepCounter">An integer step variable; with <paramref name="checkpointInterval"/>, saves are skipped until it advanced that far.</param>
    /// <param name="checkpointInterval">Minimum step difference between saves; requires <paramref name="stepCounter"/>.</param>
    /// <param name="timeProvider">The clock for timestamps (tests inject one); <see cref="TimeProvider.System"/> by default.</param>
    /// <exception cref="ArgumentException">An argument is invalid (see each parameter).</exception>
    /// <exception cref="InvalidDataException">The directory's state file exists but is corrupt.</exception>
    public CheckpointManager(
        Checkpoint checkpoint,
        string directory,
        int? maxToKeep = 5,
        double? keepCheckpointEveryNHours = null,
        string checkpointName = "ckpt",
        Variable? stepCounter = null,
        long? checkpointInterval = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrEmpty(checkpointName);
        if (maxToKeep is <= 0)
            throw new ArgumentOutOfRangeException(nameof(maxToKeep), maxToKeep, $"CheckpointManager: maxToKeep must be positive or null; received {maxToKeep}.");
        if (keepCheckpointEveryNHours is { } hours && !(hours > 0))
            throw new ArgumentOutOfRangeException(nameof(keepCheckpointEveryNHours), hours, $"CheckpointManager: keepCheckpointEveryNHours must be positive; received {hours}.");
        if (checkpointInterval is not null && stepCounter is null)
            throw new ArgumentException("CheckpointManager: checkpointInterval needs a stepCounter to measure the interval.", nameof(checkpointInterval));
        if (stepCounter is not null && stepCounter.DType is not (DType.Int64 or DType.Int32))
            throw new ArgumentException($"CheckpointManager: stepCounter must be an integer variable; received {stepCounter}.", nameof(stepCounter));
        _checkpoint = checkpoint;
        Directory = System.IO.Path.GetFullPath(directory);
        _prefix = System.IO.Path.Combine(Directory, checkpointName);
        MaxToKeep = maxToKeep;
        KeepCheckpointEveryNHours = keepCheckpointEveryNHours;
        _stepCounter = stepCounter;
        CheckpointInterval = checkpointInterval;
        _time = timeProvider ?? TimeProvider.System;
        _lastPreserved = Now();
        if (CheckpointState.Load(Directory) is { } state)
        {
            // An entry that is no valid path names no checkpoint: it is damaged, skipped here and so dropped from the
            // state file the next save writes (issue 12, defect 5).
            if (CheckpointState.IsValidPath(state.ModelCheckpointPath))
                LatestCheckpoint = CheckpointState.Resolve(Directory, state.ModelCheckpointPath);
            if (state.LastPreservedTimestamp != 0) _lastPreserved = state.LastPreservedTimestamp;
            for (int i = 0; i < state.AllModelCheckpointPaths.Count; i++)
            {
                // Checkpoints older than the last preserved one were kept on purpose and are never deleted.
                double timestamp = i < state.AllModelCheckpointTimestamps.Count ? state.AllModelCheckpointTimestamps[i] : _lastPreserved;
                if (timestamp >= _lastPreserved && CheckpointState.IsValidPath(state.AllModelCheckpointPaths[i]))
                    _maybeDelete.Add((CheckpointState.Resolve(Directory, state.AllModelCheckpointPaths[i]), timestamp));
            }
        }
    }

    /// <summary>The full path of the managed directory.</summary>
    public string Directory { get; }

    /// <summary>How many recent checkpoints are kept, or null for all.</summary>
    public int? MaxToKeep { get; }

    /// <summary>The interval, in hours, at which a checkpoint is kept forever, or null.</summary>
    public double? KeepCheckpointEveryNHours { get; }

    /// <summary>The minimum number of steps between saves, or null.</summary>
    public long? CheckpointInterval { get; }

    /// <summary>The prefix of the newest checkpoint, or null when there is none.</summary>
    public string? LatestCheckpoint { get; private set; }

    /// <summary>The prefixes of the checkpoints this manager may still delete, oldest first (the newest last).</summary>
    public IReadOnlyList<string> Checkpoints => [.. _maybeDelete.Select(c => c.Path)];

    /// <summary>Writes a new checkpoint, records it, then deletes those beyond <see cref="MaxToKeep"/>.</summary>
    /// <param name="checkpointNumber">The number after the dash; by default the incremented save counter.</param>
    /// <param name="checkInterval">Whether to skip the save when the step counter has not advanced <see cref="CheckpointInterval"/> steps.</param>
    /// <returns>The written prefix, or null when the save was skipped.</returns>
    /// <exception cref="IOException">Writing failed, or another process is saving into the directory (see the remarks);
    /// the previous checkpoints and state file are intact.</exception>
    /// <exception cref="ObjectDisposedException">The manager was disposed.</exception>
    public string? Save(long? checkpointNumber = null, bool checkInterval = true)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _lock ??= DirectoryLock.Acquire(Directory, nameof(CheckpointManager));
        long? step = _stepCounter is null ? null : Convert.ToInt64(_stepCounter.DType == DType.Int64 ? _stepCounter.Value.Item<long>() : _stepCounter.Value.Item<int>());
        bool intervalChecked = checkInterval && CheckpointInterval is not null;
        if (intervalChecked && _lastSavedStep is { } last && step - last < CheckpointInterval)
            return null;
        long counter = _checkpoint.IncrementSaveCounter();
        string path = $"{_prefix}-{checkpointNumber ?? counter}";
        // The checkpoints this save will push out are deleted only after it is recorded; dropping their cached pages now
        // lets the new files reuse that memory (see PageCache).
        if (MaxToKeep is { } keep)
        {
            foreach (var (old, _) in _maybeDelete.Where(c => c.Path != path).SkipLast(Math.Max(keep - 1, 0)))
                PageCache.EvictBundle(old);
        }
        _checkpoint.Write(path);
        double timestamp = Now();
        _maybeDelete.RemoveAll(c => c.Path == path);
        _maybeDelete.Add((path, timestamp));
        LatestCheckpoint = path;
        if (intervalChecked) _lastSavedStep = step;
        // The new checkpoint is recorded before anything is deleted, and recorded again without the deleted ones.
        RecordState();
        if (Sweep()) RecordState();
        return path;
    }

    /// <summary>Restores the newest intact checkpoint if there is one.</summary>
    /// <remarks>If the newest checkpoint is damaged (a missing shard, a CRC mismatch, a truncated file), the next newest is
    /// tried, and so on; each skipped one is reported through <paramref name="warn"/> (standard error by default) and
    /// listed in <see cref="SkippedOnRestore"/>. The next <see cref="Save"/> then continues from the restored one.</remarks>
    /// <param name="warn">Receives a line per damaged checkpoint skipped.</param>
    /// <returns>The restored prefix, or null when the directory has no checkpoint (the caller keeps its fresh initialization).</returns>
    /// <exception cref="InvalidDataException">Every checkpoint is damaged; nothing was assigned.</exception>
    public string? RestoreOrInitialize(Action<string>? warn = null)
    {
        var skipped = new List<string>();
        var restored = CheckpointFallback.RestoreNewestValid(NewestFirst(), path => _checkpoint.Restore(path), line =>
        {
            skipped.Add(line);
            (warn ?? Console.Error.WriteLine)(line);
        });
        SkippedOnRestore = skipped;
        if (restored is not { } result) return null;
        LatestCheckpoint = result.Path;
        return result.Path;
    }

    /// <summary>The warnings of the last <see cref="RestoreOrInitialize"/>: one per damaged checkpoint it skipped.</summary>
    public IReadOnlyList<string> SkippedOnRestore { get; private set; } = [];

    /// <summary>The recorded checkpoints, newest first, the state file's latest one leading.</summary>
    public IReadOnlyList<string> NewestFirst()
    {
        var paths = new List<string>();
        if (LatestCheckpoint is not null) paths.Add(LatestCheckpoint);
        for (int i = _maybeDelete.Count - 1; i >= 0; i--)
        {
            if (!paths.Contains(_maybeDelete[i].Path)) paths.Add(_maybeDelete[i].Path);
        }
        return paths;
    }

    /// <summary>Releases the directory's lock (when this manager saved); the manager cannot save afterwards.</summary>
    public void Dispose()
    {
        _disposed = true;
        _lock?.Dispose();
        _lock = null;
    }

    private bool Sweep()
    {
        if (MaxToKeep is not { } keep) return false;
        bool changed = false;
        while (_maybeDelete.Count > keep)
        {
            var (path, timestamp) = _maybeDelete[0];
            _maybeDelete.RemoveAt(0);
            changed = true;
            if (KeepCheckpointEveryNHours is { } hours && timestamp - hours * 3600 >= _lastPreserved)
            {
                _lastPreserved = timestamp;
                continue;
            }
            DeleteBundle(path);
        }
        return changed;
    }

    private void RecordState()
    {
        var state = new CheckpointState(LatestCheckpoint ?? "") { LastPreservedTimestamp = _lastPreserved };
        foreach (var (path, timestamp) in _maybeDelete)
        {
            state.AllModelCheckpointPaths.Add(path);
            state.AllModelCheckpointTimestamps.Add(timestamp);
        }
        state.Save(Directory);
    }

    private static void DeleteBundle(string prefix)
    {
        // The index goes first: a bundle without its index is simply absent, never a half-deleted readable one.
        TryDelete(BundleNaming.IndexPath(prefix));
        foreach (string file in BundleNaming.ExistingDataFiles(prefix).ToList())
            TryDelete(file);
        // A recovery pair left by a crash while this prefix was being replaced (BundleRecovery).
        string recovery = BundleRecovery.RecoveryPrefix(prefix);
        if (File.Exists(BundleNaming.IndexPath(recovery)) || BundleNaming.ExistingDataFiles(recovery).Any()) DeleteBundle(recovery);
    }

    private static void TryDelete(string path)
    {
        try
        {
            AtomicFile.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The checkpoint is no longer recorded; a file that cannot be deleted now stays behind without harm.
        }
    }

    private double Now() => (_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond;
}
