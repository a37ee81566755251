using Framework.Layers;
using Framework.Optimizers;
using Framework.Tensors;
using Framework.Training;

namespace Framework.Tests.Training.Persistence;

/// <summary>A user's optimizer: heavy-ball momentum with a slot Keras does not know (<c>velocity</c>) and a hyperparameter.</summary>
public sealed class HeavyBall : Optimizer
{
    public HeavyBall(double learningRate = 0.05, double beta = 0.8) : base(nameof(HeavyBall), learningRate)
    {
        Beta = beta;
        AddHyperparameter("beta", beta);
    }

    public double Beta { get; }

    public static HeavyBall FromConfig(IReadOnlyDictionary<string, object?> config) =>
        new(ConfigReader.GetDouble(config, "learning_rate", 0.05), ConfigReader.GetDouble(config, "beta", 0.8));

    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["beta"] = Beta;
        return config;
    }

    protected override void Build(IReadOnlyList<Variable> variables)
    {
        foreach (var variable in variables) AddSlot(variable, "velocity");
    }

    protected override void UpdateStep(Variable variable, Tensor gradient, float learningRate)
    {
        var velocity = Slot(variable, "velocity");
        using var decayed = velocity.Value * (float)Beta;
        using var next = decayed + gradient;
        velocity.Assign(next);
        using var step = velocity.Value * learningRate;
        variable.AssignSub(step);
    }
}

/// <summary>A user's loss: the mean squared error times a configured scale.</summary>
public sealed class ScaledMse(double scale = 1.0) : Loss("scaled_mse")
{
    public double Scale { get; } = scale;

    public static ScaledMse FromConfig(IReadOnlyDictionary<string, object?> config) => new(ConfigReader.GetDouble(config, "scale", 1.0));

    public override Tensor Compute(Tensor targets, Tensor predictions)
    {
        RequireSameShape(targets, predictions);
        // No disposal here: the intermediate tensors belong to the autograd graph the gradient flows back through.
        return (AsFloat(targets, predictions) - predictions).Square().Mean(-1).Mean() * (float)Scale;
    }

    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["scale"] = Scale;
        return config;
    }
}

/// <summary>A user's metric: the mean absolute prediction plus a configured offset, with resumable state.</summary>
public sealed class MeanAbsPrediction(double offset = 0, string name = "mean_abs_prediction") : Metric(name)
{
    private double _sum;
    private long _count;

    public double Offset { get; } = offset;

    public static MeanAbsPrediction FromConfig(IReadOnlyDictionary<string, object?> config) =>
        new(ConfigReader.GetDouble(config, "offset", 0), ConfigReader.GetString(config, "name", "mean_abs_prediction")!);

    public override void Update(Tensor targets, Tensor predictions)
    {
        foreach (float p in predictions.ToArray<float>()) _sum += Math.Abs(p);
        _count += predictions.Shape.Size;
    }

    public override double Result() => (_count == 0 ? 0 : _sum / _count) + Offset;

    public override void Reset() => (_sum, _count) = (0, 0);

    public override double[] GetState() => [_sum, _count];

    public override void SetState(IReadOnlyList<double> state)
    {
        CheckStateLength(state, 2);
        (_sum, _count) = (state[0], (long)state[1]);
    }

    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["offset"] = Offset;
        return config;
    }
}

/// <summary>Registers the classes above once, as an application would at start-up.</summary>
public static class CustomCompileClasses
{
    public static void Register()
    {
        OptimizerRegistry.Register("HeavyBall", HeavyBall.FromConfig);
        LossRegistry.Register("ScaledMse", ScaledMse.FromConfig, "scaled_mse");
        MetricRegistry.Register("MeanAbsPrediction", MeanAbsPrediction.FromConfig, "mean_abs_prediction");
    }
}
