namespace Framework.Training;

/// <summary>Saves the model or its weights during training: every epoch or every N batches, optionally only the best, keeping the k best.</summary>
/// <remarks>
/// <para>The path is a <see cref="FilePathTemplate"/> filled at each save with <c>epoch</c> (1-based), <c>batch</c> (1-based,
/// within the epoch, only when saving every N batches) and every log key, like Keras's <c>filepath.format(epoch=epoch + 1, **logs)</c>.
/// A placeholder whose key is missing at save time throws <see cref="KeyNotFoundException"/> listing the available keys.
/// Parent directories are created.</para>
/// <para>Weights-only saves write a TensorFlow checkpoint under the path as prefix (<c>path.index</c>, <c>path.data-00000-of-00001</c>)
/// and keep the directory's <c>checkpoint</c> state file naming the newest one; otherwise <see cref="Model.Save"/> writes
/// the path as a directory. Replacing an existing checkpoint is atomic: a crash at any instant leaves the old checkpoint
/// or the new one restorable by <see cref="RestoreLatest"/>, never a mixture and never nothing.</para>
/// <para><b>Missing monitored value: warn and skip.</b> When <see cref="SaveBestOnly"/> or <see cref="SaveTopK"/> needs the
/// monitored value and the logs do not have it, a warning naming the key and the available keys goes to standard error
/// and nothing is saved (Keras does the same). Validation values exist only at epoch ends: when saving every N batches,
/// the last epoch's <c>val_</c> values are offered to the first save after they were computed and never again, so a
/// later save is never judged by a stale value (it warns and skips instead).</para>
/// <para>Its state (best value, batch counter, saved files and their values) is returned by <see cref="GetState"/>, so a
/// resumed run never replaces a better checkpoint with a worse one; <see cref="RestoreLatest"/> loads the newest valid one.</para>
/// </remarks>
/// <example>
/// <code>
/// var checkpoint = new ModelCheckpoint("runs/best", monitor: "val_loss", saveBestOnly: true, saveWeightsOnly: true);
/// model.Fit(x, y, epochs: 10, validationSplit: 0.2, callbacks: [checkpoint]);
/// fresh.LoadWeights("runs/best");
/// </code>
/// </example>
public sealed partial class ModelCheckpoint : Callback
{
    private readonly FilePathTemplate _template;
    private readonly FilePathTemplate _lastTemplate;
    private readonly double _initialBest;
    private readonly List<ModelCheckpointEntry> _saved = [];
    private ModelCheckpointEntry? _last;
    private int _currentEpoch;
    private int _batchesSinceSave;
    private long _saveCount;
    private Logs? _pendingValidation;

    /// <summary>Creates the callback and validates its configuration.</summary>
    /// <param name="filepath">The path template (a weights prefix, or a model directory), e.g. <c>runs/ckpt-{epoch:02d}-{val_loss:.4f}</c>.</param>
    /// <param name="monitor">The log key judged by <paramref name="saveBestOnly"/> and <paramref name="saveTopK"/>.</param>
    /// <param name="verbose">0 silent, 1 a line per save decision.</param>
    /// <param name="saveBestOnly">Save only when the monitored value improves on the best so far.</param>
    /// <param name="saveWeightsOnly">Save only the weights (with the optimizer state) as a TensorFlow checkpoint, instead of the whole model.</param>
    /// <param name="mode">Whether the monitored value should decrease or increase; Auto decides from its name.</param>
    /// <param name="saveFreq">At every epoch end (default) or every N training batches.</param>
    /// <param name="initialValueThreshold">Save only values better than this (the initial "best").</param>
    /// <param name="saveTopK">Keep only the k best files this callback wrote (by the monitored value), deleting the others; null keeps all.</param>
    /// <param name="saveLast">Also write the model at every save point under the stable name <c>last</c> in the file's directory.</param>
    /// <exception cref="ArgumentException">The template is invalid, uses <c>{batch}</c> with per-epoch saving, names an existing
    /// directory as a weights prefix (or an existing file as a model directory), or another argument is out of range.</exception>
    public ModelCheckpoint(string filepath, string monitor = "val_loss", int verbose = 0, bool saveBestOnly = false, bool saveWeightsOnly = false,
        MonitorMode mode = MonitorMode.Auto, SaveFrequency saveFreq = default, double? initialValueThreshold = null, int? saveTopK = null, bool saveLast = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(filepath);
        ArgumentException.ThrowIfNullOrEmpty(monitor);
        if (!Enum.IsDefined(mode))
            throw new ArgumentOutOfRangeException(nameof(mode), mode, $"ModelCheckpoint: mode must be Auto, Min or Max; received mode={mode}.");
        if (saveTopK is <= 0)
            throw new ArgumentOutOfRangeException(nameof(saveTopK), saveTopK, $"ModelCheckpoint: saveTopK must be positive or null; received saveTopK={saveTopK}.");
        _template = FilePathTemplate.Parse(filepath);
        if (saveFreq.IsPerEpoch && _template.Keys.Contains("batch"))
            throw new ArgumentException($"ModelCheckpoint: the file path template '{filepath}' uses {{batch}}, which exists only with saveFreq: SaveFrequency.EveryBatches(n).", nameof(filepath));
        if (_template.Keys.Count == 0 && (saveWeightsOnly ? Directory.Exists(filepath) : File.Exists(filepath)))
            throw new ArgumentException($"ModelCheckpoint: '{filepath}' is an existing {(saveWeightsOnly ? "directory; a weights prefix must name files (e.g. dir/weights)" : "file; a model is saved as a directory")}.", nameof(filepath));
        // The directory part may hold placeholders too; "last" sits in the directory the current save would use.
        _lastTemplate = FilePathTemplate.Parse(Path.Combine(Path.GetDirectoryName(filepath) ?? "", LastName));
        Filepath = filepath;
        Monitor = monitor;
        Verbose = verbose;
        SaveBestOnly = saveBestOnly;
        SaveWeightsOnly = saveWeightsOnly;
        Mode = MonitorModes.Resolve(mode, monitor);
        SaveFrequency = saveFreq;
        SaveTopK = saveTopK;
        SaveLast = saveLast;
        _initialBest = initialValueThreshold ?? MonitorModes.Worst(Mode);
        Best = _initialBest;
    }

    /// <summary>The path template.</summary>
    public string Filepath { get; }

    /// <summary>The monitored log key.</summary>
    public string Monitor { get; }

    /// <summary>0 silent, 1 a line per save decision.</summary>
    public int Verbose { get; }

    /// <summary>Whether only improvements are saved.</summary>
    public bool SaveBestOnly { get; }

    /// <summary>Whether only weights (a TensorFlow checkpoint) are saved, rather than the whole model.</summary>
    public bool SaveWeightsOnly { get; }

    /// <summary>The resolved direction of improvement (Min or Max).</summary>
    public MonitorMode Mode { get; }

    /// <summary>When saves happen.</summary>
    public SaveFrequency SaveFrequency { get; }

    /// <summary>How many of the best files are kept, or null for all.</summary>
    public int? SaveTopK { get; }

    /// <summary>Whether every save point also writes <c>last</c>.</summary>
    public bool SaveLast { get; }

    /// <summary>The best monitored value saved so far (the threshold, or the worst value, before any).</summary>
    public double Best { get; private set; }

    /// <summary>The files this callback wrote and still keeps (not counting <c>last</c>), oldest first.</summary>
    public IReadOnlyList<string> SavedPaths => [.. _saved.Select(s => s.Path)];

    /// <inheritdoc/>
    public override void OnEpochBegin(int epoch) => _currentEpoch = epoch;

    /// <inheritdoc/>
    public override void OnBatchEnd(int batch, Logs logs)
    {
        if (SaveFrequency.IsPerEpoch || ++_batchesSinceSave < SaveFrequency.Batches) return;
        _batchesSinceSave = 0;
        if (_pendingValidation is { } validation)
        {
            // Offered to this save only: the next one must not be judged by a value computed before more training.
            logs = new Logs(logs);
            foreach (var (key, value) in validation) logs[key] = value;
            _pendingValidation = null;
        }
        SavePoint(_currentEpoch, batch, logs);
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, Logs logs)
    {
        if (SaveFrequency.IsPerEpoch)
        {
            SavePoint(epoch, null, logs);
            return;
        }
        var validation = new Logs();
        foreach (var (key, value) in logs)
        {
            if (key.StartsWith("val_", StringComparison.Ordinal)) validation[key] = value;
        }
        _pendingValidation = validation.Count > 0 ? validation : null;
    }
}
