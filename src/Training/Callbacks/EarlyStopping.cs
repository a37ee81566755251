using System.Globalization;
using System.Text.Json.Nodes;
using Framework.Tensors;

namespace Framework.Training;

/// <summary>Stops training when a monitored quantity has stopped improving.</summary>
/// <param name="monitor">The log key to watch (<c>val_loss</c>).</param>
/// <param name="minDelta">The smallest change that counts as an improvement.</param>
/// <param name="patience">Epochs without improvement before stopping.</param>
/// <param name="mode">Whether the quantity should decrease or increase; Auto decides from its name.</param>
/// <param name="baseline">Training stops if the quantity does not beat this within <paramref name="patience"/> epochs.</param>
/// <param name="restoreBestWeights">Restore the weights of the best epoch at the end (also when training did not stop early).</param>
/// <param name="startFromEpoch">Epochs to wait before monitoring begins (a warm-up).</param>
public sealed class EarlyStopping(string monitor = "val_loss", double minDelta = 0, int patience = 0, MonitorMode mode = MonitorMode.Auto,
    double? baseline = null, bool restoreBestWeights = false, int startFromEpoch = 0) : Callback
{
    private readonly MonitorMode _mode = MonitorModes.Resolve(mode, monitor);
    private int _wait;
    private double _best;
    private List<float[]>? _bestWeights;

    /// <summary>The quantity watched.</summary>
    public string Monitor { get; } = monitor;

    /// <summary>The epoch at which training was stopped, or −1 if it ran to the end.</summary>
    public int StoppedEpoch { get; private set; } = -1;

    /// <summary>The epoch with the best monitored value so far, or −1.</summary>
    public int BestEpoch { get; private set; } = -1;

    /// <inheritdoc/>
    public override void OnTrainBegin(Logs logs)
    {
        _wait = 0;
        StoppedEpoch = -1;
        BestEpoch = -1;
        _best = baseline ?? MonitorModes.Worst(_mode);
        _bestWeights = null;
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, Logs logs)
    {
        if (!logs.TryGetValue(Monitor, out double current) || epoch < startFromEpoch)
        {
            if (epoch >= startFromEpoch) Console.Error.WriteLine($"EarlyStopping: '{Monitor}' is not in the logs (available: {string.Join(", ", logs.Keys)}); skipping.");
            return;
        }
        var model = RequireModel();
        if (restoreBestWeights && _bestWeights is null) _bestWeights = model.GetWeightValues();
        _wait++;
        if (MonitorModes.IsImprovement(_mode, current, _best, minDelta))
        {
            _best = current;
            BestEpoch = epoch;
            if (restoreBestWeights) _bestWeights = model.GetWeightValues();
            // Only reset the wait when the baseline is beaten, as Keras does.
            if (baseline is null || MonitorModes.IsImprovement(_mode, current, baseline.Value)) _wait = 0;
            return;
        }
        if (_wait >= patience && epoch > 0)
        {
            StoppedEpoch = epoch;
            model.StopTraining = true;
        }
    }

    /// <inheritdoc/>
    public override JsonObject GetState() => new()
    {
        ["wait"] = _wait,
        ["best"] = StateJson.FromDouble(_best),
        ["best_epoch"] = BestEpoch,
        ["stopped_epoch"] = StoppedEpoch,
    };

    /// <inheritdoc/>
    /// <remarks>The copy of the best weights (with <c>restoreBestWeights</c>), one float32 vector per weight, named by position.</remarks>
    public override IReadOnlyDictionary<string, Tensor>? GetStateTensors() => _bestWeights?
        .Select((w, i) => (Name: i.ToString(CultureInfo.InvariantCulture), Value: Tensor.FromSpan<float>(w, [w.Length])))
        .ToDictionary(p => p.Name, p => p.Value);

    /// <inheritdoc/>
    public override void SetStateTensors(IReadOnlyDictionary<string, Tensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        _bestWeights = [.. Enumerable.Range(0, tensors.Count).Select(i => tensors.TryGetValue(i.ToString(CultureInfo.InvariantCulture), out var t)
            ? t.ToArray<float>()
            : throw new InvalidDataException($"EarlyStopping: saved best weight {i} of {tensors.Count} is missing."))];
    }

    /// <inheritdoc/>
    public override void SetState(JsonObject state)
    {
        ArgumentNullException.ThrowIfNull(state);
        _wait = (int)StateJson.RequireLong(state, "wait");
        _best = StateJson.ToDouble(StateJson.Require(state, "best"));
        BestEpoch = (int)StateJson.RequireLong(state, "best_epoch");
        StoppedEpoch = (int)StateJson.RequireLong(state, "stopped_epoch");
        _bestWeights = null;   // the weights come back through SetStateTensors
    }

    /// <inheritdoc/>
    public override void OnTrainEnd(Logs logs)
    {
        if (restoreBestWeights && _bestWeights is not null) RequireModel().SetWeightValues(_bestWeights);
    }
}
