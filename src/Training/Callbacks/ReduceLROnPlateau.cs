using System.Text.Json.Nodes;

namespace Framework.Training;

/// <summary>Multiplies the learning rate by <c>factor</c> when a monitored quantity stops improving.</summary>
/// <param name="monitor">The log key to watch.</param>
/// <param name="factor">The multiplier, in (0, 1).</param>
/// <param name="patience">Epochs without improvement before reducing.</param>
/// <param name="mode">Direction of improvement; Auto decides from the name.</param>
/// <param name="minDelta">The smallest change that counts as an improvement.</param>
/// <param name="cooldown">Epochs to wait after a reduction before counting again.</param>
/// <param name="minLearningRate">The rate never goes below this.</param>
public sealed class ReduceLROnPlateau(string monitor = "val_loss", double factor = 0.1, int patience = 10, MonitorMode mode = MonitorMode.Auto,
    double minDelta = 1e-4, int cooldown = 0, double minLearningRate = 0) : Callback
{
    private readonly MonitorMode _mode = MonitorModes.Resolve(mode, monitor);
    private readonly double _factor = factor is > 0 and < 1
        ? factor
        : throw new ArgumentOutOfRangeException(nameof(factor), factor, $"ReduceLROnPlateau: factor must be in (0, 1); received factor={factor}.");
    private double _best;
    private int _wait;
    private int _cooldownLeft;

    /// <inheritdoc/>
    public override void OnTrainBegin(Logs logs)
    {
        _best = MonitorModes.Worst(_mode);
        _wait = 0;
        _cooldownLeft = 0;
    }

    /// <inheritdoc/>
    public override JsonObject GetState() => new() { ["best"] = StateJson.FromDouble(_best), ["wait"] = _wait, ["cooldown_left"] = _cooldownLeft };

    /// <inheritdoc/>
    public override void SetState(JsonObject state)
    {
        ArgumentNullException.ThrowIfNull(state);
        _best = StateJson.ToDouble(StateJson.Require(state, "best"));
        _wait = (int)StateJson.RequireLong(state, "wait");
        _cooldownLeft = (int)StateJson.RequireLong(state, "cooldown_left");
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, Logs logs)
    {
        var optimizer = RequireModel().Optimizer!;
        logs["learning_rate"] = optimizer.LearningRate;
        if (!logs.TryGetValue(monitor, out double current))
        {
            Console.Error.WriteLine($"ReduceLROnPlateau: '{monitor}' is not in the logs (available: {string.Join(", ", logs.Keys)}); skipping.");
            return;
        }
        if (_cooldownLeft > 0)
        {
            _cooldownLeft--;
            _wait = 0;
        }
        if (MonitorModes.IsImprovement(_mode, current, _best, minDelta))
        {
            _best = current;
            _wait = 0;
            return;
        }
        if (_cooldownLeft > 0 || ++_wait < patience) return;
        double old = optimizer.LearningRate;
        double reduced = Math.Max(old * _factor, minLearningRate);
        if (reduced < old && reduced > 0)
        {
            optimizer.LearningRate = reduced;
            _cooldownLeft = cooldown;
            _wait = 0;
        }
    }
}
