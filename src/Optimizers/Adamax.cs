using Framework.Tensors;

namespace Framework.Optimizers;

/// <summary>Adamax: Adam with the second moment replaced by an exponentially weighted infinity norm.</summary>
/// <remarks>
/// <para>Keras 3's formulation (Kingma &amp; Ba, section 7.1, <see href="https://arxiv.org/abs/1412.6980"/>), at step t = iterations + 1:</para>
/// <code>
/// m ← m + (g − m) · (1 − β1)
/// u ← max(β2 · u, |g|)
/// w ← w − (lr · m) / ((1 − β1^t) · (u + ε))
/// </code>
/// <para>
/// ε is added to u after the maximum, unlike PyTorch's Adamax, which takes max(β2 · u, |g| + ε). Every scalar is
/// rounded once to the variable's dtype, so float32 results match Keras's bit for bit. Slots as tf.keras writes them
/// into checkpoints: <c>m</c> for every variable, then <c>v</c> (u; Keras 3 calls them <c>momentum</c> and
/// <c>norm</c>); hyperparameters <c>beta_1</c> and <c>beta_2</c>.
/// </para>
/// </remarks>
public sealed class Adamax : Optimizer
{
    /// <summary>Creates Adamax with a constant learning rate.</summary>
    /// <param name="learningRate">The step size; positive.</param>
    /// <param name="beta1">Decay rate of the first-moment average, in [0, 1).</param>
    /// <param name="beta2">Decay rate of the infinity norm, in [0, 1).</param>
    /// <param name="epsilon">Added to u for numerical stability; non-negative.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public Adamax(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7)
        : base(nameof(Adamax), learningRate) => Initialize(beta1, beta2, epsilon);

    /// <summary>Creates Adamax whose learning rate follows <paramref name="schedule"/>; other arguments as above.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public Adamax(LearningRateSchedule schedule, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7)
        : base(nameof(Adamax), schedule) => Initialize(beta1, beta2, epsilon);

    /// <summary>Decay rate of the first-moment average.</summary>
    public double Beta1 { get; private set; }

    /// <summary>Decay rate of the infinity norm.</summary>
    public double Beta2 { get; private set; }

    /// <summary>The constant added to u.</summary>
    public double Epsilon { get; private set; }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["beta_1"] = Beta1;
        config["beta_2"] = Beta2;
        config["epsilon"] = Epsilon;
        return config;
    }

    /// <inheritdoc/>
    protected override void Build(IReadOnlyList<Variable> variables)
    {
        foreach (var variable in variables) AddSlot(variable, OptimizerNames.FirstMoment);
        foreach (var variable in variables) AddSlot(variable, OptimizerNames.SecondMoment);
    }

    /// <inheritdoc/>
    protected override void UpdateStep(Variable variable, Tensor gradient, float learningRate)
    {
        // 1 − β1^t in the variable's dtype, from a correctly rounded power, as Keras forms it.
        double correction = variable.DType == DType.Float64
            ? 1 - Math.Pow(Beta1, LocalStep)
            : 1f - MathF.Pow((float)Beta1, LocalStep);
        var m = Slot(variable, OptimizerNames.FirstMoment);
        var u = Slot(variable, OptimizerNames.SecondMoment);
        m.AssignAdd((gradient - m.Value) * (1 - Beta1));
        u.Assign(Tensor.Maximum(u.Value * Beta2, gradient.Abs()));
        variable.AssignSub(m.Value * learningRate / ((u.Value + Epsilon) * correction));
    }

    private void Initialize(double beta1, double beta2, double epsilon)
    {
        Beta1 = Validate.Fraction(Name, beta1, includeOne: false);
        Beta2 = Validate.Fraction(Name, beta2, includeOne: false);
        Epsilon = Validate.NonNegative(Name, epsilon);
        AddHyperparameter(OptimizerNames.Beta1, beta1);
        AddHyperparameter(OptimizerNames.Beta2, beta2);
    }
}
