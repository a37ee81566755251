namespace Framework.Optimizers;

/// <summary>AdamW: Adam with decoupled weight decay.</summary>
/// <remarks>
/// <para>
/// Loshchilov &amp; Hutter, <see href="https://arxiv.org/abs/1711.05101"/>. As in Keras, each step first shrinks the
/// weights, <c>w ← w − (w · weightDecay) · lr</c>, then applies the <see cref="Adam"/> update to the shrunk weights;
/// the decay never enters the moments. The decay and the Adam step run in one fused pass.
/// Saved hyperparameters are Adam's plus <c>weight_decay</c>.
/// </para>
/// </remarks>
public sealed class AdamW : Adam
{
    /// <summary>Creates AdamW with a constant learning rate.</summary>
    /// <param name="learningRate">The step size; positive.</param>
    /// <param name="weightDecay">The fraction of the weights removed per unit of learning rate; non-negative.</param>
    /// <param name="beta1">Decay rate of the first-moment average, in [0, 1).</param>
    /// <param name="beta2">Decay rate of the second-moment average, in [0, 1).</param>
    /// <param name="epsilon">Added to sqrt(v) for numerical stability; non-negative.</param>
    /// <param name="amsgrad">Whether to divide by the running maximum of v (AMSGrad).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public AdamW(double learningRate = 0.001, double weightDecay = 0.004, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-7, bool amsgrad = false)
        : base(nameof(AdamW), learningRate, beta1, beta2, epsilon, amsgrad) => Initialize(weightDecay);

    /// <summary>Creates AdamW whose learning rate follows <paramref name="schedule"/>; other arguments as above.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public AdamW(LearningRateSchedule schedule, double weightDecay = 0.004, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-7, bool amsgrad = false)
        : base(nameof(AdamW), schedule, beta1, beta2, epsilon, amsgrad) => Initialize(weightDecay);

    /// <summary>The decoupled weight decay rate.</summary>
    public double WeightDecay => _weightDecay;

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["weight_decay"] = WeightDecay;
        return config;
    }

    private void Initialize(double weightDecay)
    {
        _weightDecay = Validate.NonNegative(Name, weightDecay);
        AddHyperparameter(OptimizerNames.WeightDecay, weightDecay);
    }
}
