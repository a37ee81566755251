using Framework.Serialization;

namespace Framework.Training;

/// <summary>Saves a <see cref="CheckpointManager"/>'s checkpoint on a clock, like TensorFlow Estimator's
/// <c>CheckpointSaverHook</c>: when training starts, every <c>every</c> of wall time (or every N batches), and when it ends.</summary>
/// <remarks>
/// The manager decides what is saved (its <see cref="Checkpoint"/>: the model, the optimizer, a step counter…) and how
/// many checkpoints are kept (<c>maxToKeep</c>). The time is checked after each batch, so a save happens at the first
/// batch end at least <c>every</c> after the previous save. Estimator's defaults are a save every 600 s, five kept.
/// </remarks>
/// <example>
/// <code>
/// var manager = new CheckpointManager(new Checkpoint(("model", model)), "runs/ckpts", maxToKeep: 5);
/// model.Fit(x, y, epochs: 100, callbacks: [new CheckpointSaver(manager, TimeSpan.FromSeconds(600))]);
/// </code>
/// </example>
public sealed class CheckpointSaver : Callback
{
    private readonly CheckpointManager _manager;
    private readonly TimeProvider _clock;
    private readonly TimeSpan? _every;
    private readonly int? _everyBatches;
    private long _lastSaveTicks;
    private int _batchesSinceSave;
    private int _batchesSinceStart;

    /// <summary>Saves every <paramref name="every"/> of wall time, and at the start and end of training.</summary>
    /// <param name="manager">Writes, numbers and prunes the checkpoints.</param>
    /// <param name="every">The interval between saves; positive.</param>
    /// <param name="clock">The clock (tests inject one); <see cref="TimeProvider.System"/> by default.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="every"/> is not positive.</exception>
    public CheckpointSaver(CheckpointManager manager, TimeSpan every, TimeProvider? clock = null)
        : this(manager, clock)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(every, TimeSpan.Zero);
        _every = every;
    }

    /// <summary>Saves every <paramref name="everyBatches"/> training batches, and at the start and end of training.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="everyBatches"/> is not positive.</exception>
    public CheckpointSaver(CheckpointManager manager, int everyBatches)
        : this(manager, (TimeProvider?)null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(everyBatches);
        _everyBatches = everyBatches;
    }

    private CheckpointSaver(CheckpointManager manager, TimeProvider? clock)
    {
        _manager = manager ?? throw new ArgumentNullException(nameof(manager));
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>The prefixes this callback saved, in order.</summary>
    public List<string> Saved { get; } = [];

    /// <inheritdoc/>
    public override void OnTrainBegin(Logs logs)
    {
        _batchesSinceStart = 0;
        Save();
    }

    /// <inheritdoc/>
    public override bool WantsBatchLogs(int batch) => false;   // counts batches; saves weights, not logs

    /// <inheritdoc/>
    public override void OnBatchEnd(int batch, Logs logs)
    {
        _batchesSinceStart++;
        _batchesSinceSave++;
        bool due = _every is { } every
            ? _clock.GetElapsedTime(_lastSaveTicks) >= every
            : _batchesSinceSave >= _everyBatches;
        if (due) Save();
    }

    /// <inheritdoc/>
    /// <remarks>Skipped when nothing was trained since the last save.</remarks>
    public override void OnTrainEnd(Logs logs)
    {
        if (_batchesSinceSave > 0 || _batchesSinceStart == 0 && Saved.Count == 0) Save();
    }

    private void Save()
    {
        // checkInterval: false, because this callback is the one deciding when to save.
        if (_manager.Save(checkInterval: false) is { } path) Saved.Add(path);
        _lastSaveTicks = _clock.GetTimestamp();
        _batchesSinceSave = 0;
    }
}
