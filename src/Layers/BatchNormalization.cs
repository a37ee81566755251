using Framework.Tensors;

namespace Framework.Layers;

/// <summary>Normalizes each feature to zero mean and unit variance, then scales by <c>gamma</c> and shifts by <c>beta</c>.</summary>
/// <remarks>
/// <para>
/// In training (<c>training: true</c> and <see cref="Layer.Trainable"/>) the statistics are the batch's, over every
/// axis but <see cref="Axis"/>: <c>y = (x − mean) / √(var + ε) · γ + β</c> with the biased variance, and each call
/// updates the non-trainable <c>moving_mean</c> and <c>moving_variance</c> in place, as Keras 3 does:
/// <c>moving = moving · momentum + batch · (1 − momentum)</c> (batch variance biased, as in Keras 3). The update
/// happens inside <see cref="Layer.Apply"/>, without gradients, so a training loop needs no extra step.
/// At inference, and in a frozen layer (Keras's fine-tuning behaviour), the moving statistics are used instead.
/// </para>
/// <para>Weights are tracked as <c>gamma</c>, <c>beta</c>, <c>moving_mean</c>, <c>moving_variance</c> (Keras's names and order).</para>
/// </remarks>
public sealed class BatchNormalization : Layer
{
    private Variable? _gamma;
    private Variable? _beta;
    private Variable? _movingMean;
    private Variable? _movingVariance;
    private int _axis;

    /// <summary>Creates the layer; the arguments and defaults are Keras's.</summary>
    /// <param name="axis">The feature axis (negative counts from the end); -1 for channels-last data.</param>
    /// <param name="momentum">The moving statistics' decay, in [0, 1].</param>
    /// <param name="epsilon">Added to the variance before the square root; must be positive.</param>
    /// <param name="center">Whether to add the learned offset <c>beta</c>.</param>
    /// <param name="scale">Whether to multiply by the learned factor <c>gamma</c>.</param>
    /// <param name="name">The layer name; generated (<c>batch_normalization</c>…) when null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="momentum"/> or <paramref name="epsilon"/> is out of range.</exception>
    public BatchNormalization(int axis = -1, double momentum = 0.99, double epsilon = 1e-3, bool center = true, bool scale = true, string? name = null)
        : base(name)
    {
        if (!(momentum is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, $"BatchNormalization '{Name}': momentum must be in [0, 1]; received momentum={momentum}.");
        if (!(epsilon > 0))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, $"BatchNormalization '{Name}': epsilon must be positive; received epsilon={epsilon}.");
        (Axis, Momentum, Epsilon, Center, Scale) = (axis, momentum, epsilon, center, scale);
    }

    /// <summary>The feature axis as given (possibly negative).</summary>
    public int Axis { get; }

    /// <summary>The moving statistics' decay.</summary>
    public double Momentum { get; }

    /// <summary>The variance offset ε.</summary>
    public double Epsilon { get; }

    /// <summary>Whether <c>beta</c> is added.</summary>
    public bool Center { get; }

    /// <summary>Whether <c>gamma</c> multiplies.</summary>
    public bool Scale { get; }

    /// <summary>The moving mean (non-trainable), once built.</summary>
    /// <exception cref="InvalidOperationException">The layer is not built yet.</exception>
    public Variable MovingMean => _movingMean ?? throw NotBuilt(nameof(MovingMean));

    /// <summary>The moving variance (non-trainable), once built.</summary>
    /// <exception cref="InvalidOperationException">The layer is not built yet.</exception>
    public Variable MovingVariance => _movingVariance ?? throw NotBuilt(nameof(MovingVariance));

    /// <inheritdoc/>
    protected override void Build(Shape inputShape)
    {
        if (Axis < -inputShape.Rank || Axis >= inputShape.Rank || inputShape.Rank < 2)
            throw new ArgumentException($"BatchNormalization '{Name}': axis {Axis} is not a feature axis of inputs of shape {inputShape}.", nameof(inputShape));
        _axis = inputShape.NormalizeAxis(Axis);
        Shape parameters = [inputShape[_axis]];
        if (Scale) _gamma = AddWeight(WeightNames.Gamma, parameters, new Ones());
        if (Center) _beta = AddWeight(WeightNames.Beta, parameters, new Zeros());
        _movingMean = AddWeight(WeightNames.MovingMean, parameters, new Zeros(), trainable: false);
        _movingVariance = AddWeight(WeightNames.MovingVariance, parameters, new Ones(), trainable: false);
    }

    /// <inheritdoc/>
    protected override Tensor Call(Tensor input, bool training)
    {
        var broadcast = Enumerable.Repeat(1, input.Rank).ToArray();
        broadcast[_axis] = input.Shape[_axis];
        Tensor mean, variance;
        if (training && Trainable)
        {
            int[] reduced = [.. Enumerable.Range(0, input.Rank).Where(a => a != _axis)];
            mean = input.Mean(reduced, keepDims: true);
            variance = (input - mean).Square().Mean(reduced, keepDims: true);
            UpdateMovingStatistics(mean, variance);
        }
        else
        {
            mean = MovingMean.Value.Reshape(broadcast);
            variance = MovingVariance.Value.Reshape(broadcast);
        }
        var output = (input - mean) / (variance + Epsilon).Sqrt();
        if (_gamma is not null) output *= _gamma.Value.Reshape(broadcast);
        if (_beta is not null) output += _beta.Value.Reshape(broadcast);
        return output;
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        (config["axis"], config["momentum"], config["epsilon"], config["center"], config["scale"]) = (Axis, Momentum, Epsilon, Center, Scale);
        return config;
    }

    /// <summary>Re-creates the layer from <see cref="GetConfig"/>'s dictionary (plain values or JSON elements).</summary>
    public static BatchNormalization FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        // Keras writes axis as an int, or as a one-element list when it was given one.
        int axis = ConfigReader.Get(config, "axis") is List<object?> ? ConfigReader.GetIntList(config, "axis").Single()!.Value
            : ConfigReader.GetInt(config, "axis", -1);
        return new BatchNormalization(axis, ConfigReader.GetDouble(config, "momentum", 0.99), ConfigReader.GetDouble(config, "epsilon", 1e-3),
            ConfigReader.GetBool(config, "center", true), ConfigReader.GetBool(config, "scale", true), ConfigReader.GetString(config, "name"))
        { Trainable = ConfigReader.GetBool(config, "trainable", true) };
    }

    private void UpdateMovingStatistics(Tensor mean, Tensor variance)
    {
        // The moving statistics are state, not part of the computation being differentiated.
        using var _ = Autograd.NoGrad();
        int features = mean.Size;
        MovingMean.Assign(MovingMean.Value * Momentum + mean.Detach().Reshape(features) * (1 - Momentum));
        MovingVariance.Assign(MovingVariance.Value * Momentum + variance.Detach().Reshape(features) * (1 - Momentum));
    }

    private InvalidOperationException NotBuilt(string member) =>
        new($"BatchNormalization '{Name}': {member} is created when the layer is built; call Apply or EnsureBuilt first.");
}
