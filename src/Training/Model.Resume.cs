using System.Text.Json.Nodes;
using Framework.Layers;
using Framework.Tensors;

namespace Framework.Training;

public abstract partial class Model
{
    private TrainingSnapshot? _pendingResume;
    private IReadOnlyList<Callback> _fitCallbacks = [];
    private int _fitEpoch;
    private int _fitNextStep;
    private RandomState _epochShuffleState;

    /// <summary>Hands <see cref="Fit"/> a snapshot to continue from; set by <see cref="BackupAndRestore"/> during <c>OnTrainBegin</c>.</summary>
    internal void ResumeFrom(TrainingSnapshot snapshot) => _pendingResume = snapshot;

    /// <summary>The state of the running <see cref="Fit"/> as it stands between two batches (or after an epoch).</summary>
    internal TrainingSnapshot CaptureSnapshot(JsonObject configuration) => new()
    {
        Epoch = _fitEpoch,
        Step = _fitNextStep,
        Stopped = StopTraining,
        EpochShuffleState = _epochShuffleState,
        DropoutStates = [.. DropoutLayers().Select(d => d.RngState)],
        Metrics = MetricTrackers().ToDictionary(m => m.Name, m => m.GetState()),
        Callbacks = CallbackStates(),
        CallbackTensors = CallbackTensorStates(),
        Configuration = configuration,
    };

    /// <summary>Sets every Dropout layer's mask stream to the snapshot's.</summary>
    /// <exception cref="InvalidDataException">The snapshot has another number of Dropout layers.</exception>
    internal void RestoreDropoutStates(TrainingSnapshot snapshot)
    {
        var layers = DropoutLayers().ToArray();
        if (layers.Length != snapshot.DropoutStates.Count)
            throw new InvalidDataException($"Training state: it holds {snapshot.DropoutStates.Count} Dropout mask streams; model '{Name}' has {layers.Length} Dropout layers.");
        for (int i = 0; i < layers.Length; i++) layers[i].RngState = snapshot.DropoutStates[i];
    }

    /// <summary>Called by <see cref="Fit"/> after <c>OnTrainBegin</c>: takes the pending snapshot and gives the callbacks their saved states.</summary>
    private TrainingSnapshot? TakePendingResume()
    {
        var snapshot = _pendingResume;
        _pendingResume = null;
        if (snapshot is null) return null;
        var keys = CallbackKeys(_fitCallbacks);
        for (int i = 0; i < _fitCallbacks.Count; i++)
        {
            if (!snapshot.Callbacks.TryGetValue(keys[i], out var state)) continue;
            try
            {
                _fitCallbacks[i].SetState(state);
                if (snapshot.CallbackTensors.TryGetValue(keys[i], out var tensors)) _fitCallbacks[i].SetStateTensors(tensors);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or InvalidDataException or KeyNotFoundException)
            {
                throw new InvalidDataException($"Training state: the saved state of callback '{keys[i]}' cannot be restored ({e.Message}). Was the callback list or its settings changed?", e);
            }
        }
        // Stopped at an epoch end: nothing is left to run. Stopped mid-epoch: Fit still runs that epoch's end (validation,
        // callbacks), as the interrupted run was about to, and sets the flag when it resumes the epoch.
        if (snapshot.Step == 0) StopTraining = snapshot.Stopped;
        return snapshot;
    }

    /// <summary>Puts the epoch's running metrics back as they were when the snapshot was taken.</summary>
    private void RestoreMetricStates(TrainingSnapshot snapshot)
    {
        foreach (var metric in MetricTrackers())
        {
            if (snapshot.Metrics.TryGetValue(metric.Name, out var state)) metric.SetState(state);
        }
    }

    private IEnumerable<Metric> MetricTrackers() => [_lossTracker, .. _metrics];

    private Dictionary<string, JsonObject> CallbackStates()
    {
        var keys = CallbackKeys(_fitCallbacks);
        var states = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        for (int i = 0; i < _fitCallbacks.Count; i++)
        {
            if (_fitCallbacks[i].GetState() is { } state) states[keys[i]] = state;
        }
        return states;
    }

    private Dictionary<string, IReadOnlyDictionary<string, Tensor>> CallbackTensorStates()
    {
        var keys = CallbackKeys(_fitCallbacks);
        var states = new Dictionary<string, IReadOnlyDictionary<string, Tensor>>(StringComparer.Ordinal);
        for (int i = 0; i < _fitCallbacks.Count; i++)
        {
            if (_fitCallbacks[i].GetStateTensors() is { Count: > 0 } tensors) states[keys[i]] = tensors;
        }
        return states;
    }

    /// <summary>A stable key per callback: its <see cref="Callback.StateKey"/>, with <c>#2</c>, <c>#3</c>… for later callbacks with the same one.</summary>
    private static string[] CallbackKeys(IReadOnlyList<Callback> callbacks)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        return [.. callbacks.Select(c =>
        {
            string name = c.StateKey;
            int n = seen[name] = seen.GetValueOrDefault(name) + 1;
            return n == 1 ? name : $"{name}#{n}";
        })];
    }

    private IEnumerable<Dropout> DropoutLayers() => Saving.TrainingStreams.DropoutLayers(this);
}
