using System.Text.Json.Nodes;
using Framework.Serialization;
using Framework.Tensors;

namespace Framework.Training;

/// <summary>The backups of one <see cref="BackupAndRestore"/> run: model, optimizer and <see cref="TrainingSnapshot"/> in
/// TensorFlow checkpoints under <c>model/…</c> and <c>training_state/json</c>, the two newest kept.</summary>
internal sealed class TrainingBackup : Persistence.ITrainingBackup
{
    /// <summary>The key of the snapshot's UTF-8 JSON (a uint8 vector) in each backup.</summary>
    public const string SnapshotKey = "training_state/json/.ATTRIBUTES/VARIABLE_VALUE";

    private readonly Model _model;
    private readonly JsonObject _configuration;
    private readonly SnapshotNode _snapshotNode = new();
    private readonly Checkpoint _checkpoint;
    private readonly CheckpointManager _manager;

    public TrainingBackup(Model model, string directory, JsonObject configuration)
    {
        _model = model;
        _configuration = configuration;
        _checkpoint = new Checkpoint(("model", model), ("training_state", _snapshotNode));
        // Two, so that a backup damaged on disk still leaves one to fall back to.
        _manager = new CheckpointManager(_checkpoint, directory, maxToKeep: 2, checkpointName: "backup");
    }

    /// <summary>Restores the newest usable backup into the model and hands its snapshot to <see cref="Model.Fit"/>.</summary>
    /// <remarks>A backup that cannot be used for any reason is damaged for the fallback (issue 12, defect 4): a CRC
    /// mismatch, but also a valid bundle without the training state, an unreadable snapshot, or one made by another
    /// configuration. Only when no backup is usable does the newest backup's reason surface: a configuration or model
    /// mismatch as <see cref="InvalidOperationException"/> (resuming another run is refused), damage as
    /// <see cref="InvalidDataException"/>.</remarks>
    /// <returns>The restored prefix, or null when there is no backup.</returns>
    /// <param name="warn">Receives a line per unusable backup skipped.</param>
    public string? RestoreNewest(Action<string> warn) => Persistence.BackupFallback.RestoreNewest(_manager.NewestFirst(), Restore, warn);

    public void Save()
    {
        var snapshot = _model.CaptureSnapshot(_configuration);
        _snapshotNode.Set(snapshot.ToUtf8(), snapshot.CallbackTensors);
        _manager.Save();
    }

    /// <summary>Removes the backup directory (the run is complete).</summary>
    public void Delete()
    {
        _manager.Dispose();
        if (Directory.Exists(_manager.Directory)) Directory.Delete(_manager.Directory, recursive: true);
    }

    /// <summary>Releases the backup directory's lock (see <see cref="CheckpointManager"/>).</summary>
    public void Dispose() => _manager.Dispose();

    private bool Restore(string prefix)
    {
        TrainingSnapshot snapshot;
        using (var reader = new CheckpointReader(prefix))
        {
            snapshot = TrainingSnapshot.FromUtf8(reader.GetRawBytes(SnapshotKey));
            snapshot.CallbackTensors = snapshot.CallbackTensorNames.ToDictionary(c => c.Key, c => (IReadOnlyDictionary<string, Tensor>)c.Value.ToDictionary(
                name => name, name => reader.GetTensor(CheckpointKey.ForVariable(CheckpointKey.JoinPath(["training_state", CallbacksEdge, c.Key, name])))));
        }
        var differences = TrainingConfiguration.Differences(snapshot.Configuration, _configuration);
        if (differences.Count > 0)
            throw new InvalidOperationException($"BackupAndRestore: the backup '{prefix}' was made by a run with another training configuration, so it is not resumed:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", differences)}{Environment.NewLine}Run with the original configuration, or delete '{_manager.Directory}' to start over.");
        _snapshotNode.Clear();
        _ = _checkpoint.SaveCounter;
        var status = Checkpoint.MatchObject(_checkpoint, prefix);
        var report = status.Report;
        if (report.Missing.Count > 0 || report.Mismatches.Count > 0)
            throw new InvalidOperationException($"BackupAndRestore: the backup '{prefix}' does not match model '{_model.Name}', so it is not resumed:{Environment.NewLine}{report}{Environment.NewLine}Delete '{_manager.Directory}' to start over.");
        _model.RestoreDropoutStates(snapshot);
        status.AssignMatched();
        _model.ResumeFrom(snapshot);
        return true;
    }

    /// <summary>The edge, under <c>training_state</c>, of the callbacks' state tensors (<c>callbacks/KEY/NAME</c>).</summary>
    private const string CallbacksEdge = "callbacks";

    /// <summary>A node with fixed children.</summary>
    private sealed class Group(TrackedChild[] children) : Trackable
    {
        public override IReadOnlyList<TrackedChild> Children => children;
    }

    /// <summary>The <c>training_state</c> node, replaced at each save: a uint8 variable <c>json</c> holding the snapshot, and
    /// under <c>callbacks/KEY/NAME</c> the callbacks' state tensors.</summary>
    private sealed class SnapshotNode : Trackable
    {
        private TrackedChild[] _children = [];

        public override IReadOnlyList<TrackedChild> Children => _children;

        public void Set(byte[] utf8, IReadOnlyDictionary<string, IReadOnlyDictionary<string, Tensor>> callbackTensors)
        {
            using var _ = Autograd.NoGrad();
            var json = new TrackedChild("json", new Variable(Tensor.FromSpan<byte>(utf8, [utf8.Length]), "training_state/json", trainable: false));
            if (callbackTensors.Count == 0)
            {
                _children = [json];
                return;
            }
            var callbacks = new Group([.. callbackTensors.Select(c => new TrackedChild(c.Key, new Group([.. c.Value.Select(t =>
                new TrackedChild(t.Key, new Variable(t.Value, $"training_state/{c.Key}/{t.Key}", trainable: false)))])))]);
            _children = [json, new TrackedChild(CallbacksEdge, callbacks)];
        }

        public void Clear() => _children = [];
    }
}
