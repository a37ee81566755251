using Framework.Tensors;

namespace Framework.Optimizers;

/// <summary>Nadam: Adam with Nesterov momentum and a momentum schedule.</summary>
/// <remarks>
/// <para>Keras 3's formulation (Dozat, <see href="https://cs229.stanford.edu/proj2015/054_report.pdf"/>), at step t = iterations + 1,
/// with the schedule μ(t) = β1 · (1 − 0.5 · 0.96^t) and Π = μ(1) ··· μ(t) kept in <c>u_product</c>:</para>
/// <code>
/// Π ← Π · β1 · (1 − 0.5 · 0.96^t)                    (once per step, before the variables)
/// m ← m + (g − m) · (1 − β1)
/// v ← v + (g² − v) · (1 − β2)
/// m̂ = (μ(t+1) · m) / (1 − Π · μ(t+1)) + ((1 − μ(t)) · g) / (1 − Π)
/// w ← w − (m̂ · lr) / (sqrt(v / (1 − β2^t)) + ε)
/// </code>
/// <para>
/// tf.keras's OptimizerV2 Nadam and PyTorch's NAdam use 0.96^(0.004·t) instead (PyTorch's <c>momentum_decay=1</c>
/// gives Keras 3's schedule); PyTorch also adds ε to the bias-corrected root the same way. Scalars are formed in
/// float32 for float32 variables, as Keras does, so float32 results match Keras's bit for bit; Π is a float32 scalar.
/// Slots <c>m</c>, then <c>v</c> (Keras 3: <c>momentum</c>, <c>velocity</c>); hyperparameters <c>beta_1</c>, <c>beta_2</c>;
/// the product is saved as <c>u_product</c>, so a resumed run continues the schedule exactly.
/// </para>
/// </remarks>
public sealed class Nadam : Optimizer
{
    private const float ScheduleBase = 0.96f;

    /// <summary>Creates Nadam with a constant learning rate.</summary>
    /// <param name="learningRate">The step size; positive.</param>
    /// <param name="beta1">Decay rate of the first-moment average, in [0, 1).</param>
    /// <param name="beta2">Decay rate of the second-moment average, in [0, 1).</param>
    /// <param name="epsilon">Added to the bias-corrected sqrt(v); non-negative.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public Nadam(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7)
        : base(nameof(Nadam), learningRate) => UProduct = Initialize(beta1, beta2, epsilon);

    /// <summary>Creates Nadam whose learning rate follows <paramref name="schedule"/>; other arguments as above.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public Nadam(LearningRateSchedule schedule, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7)
        : base(nameof(Nadam), schedule) => UProduct = Initialize(beta1, beta2, epsilon);

    /// <summary>Decay rate of the first-moment average.</summary>
    public double Beta1 { get; private set; }

    /// <summary>Decay rate of the second-moment average.</summary>
    public double Beta2 { get; private set; }

    /// <summary>The constant added to the bias-corrected sqrt(v).</summary>
    public double Epsilon { get; private set; }

    /// <summary>The product of the momentum schedule up to the last step (float32 scalar, saved as <c>u_product</c>).</summary>
    public Variable UProduct { get; }

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
    protected override void BeginStep()
    {
        float product = UProduct.Value.Item<float>();
        UProduct.Assign(Tensor.Scalar(product * (float)Beta1 * (1f - 0.5f * MathF.Pow(ScheduleBase, LocalStep))));
    }

    /// <inheritdoc/>
    protected override void UpdateStep(Variable variable, Tensor gradient, float learningRate)
    {
        var (u, uNext, product, productNext, beta2Power) = variable.DType == DType.Float64 ? Scalars64() : Scalars32();
        var m = Slot(variable, OptimizerNames.FirstMoment);
        var v = Slot(variable, OptimizerNames.SecondMoment);
        m.AssignAdd((gradient - m.Value) * (1 - Beta1));
        v.AssignAdd((gradient.Square() - v.Value) * (1 - Beta2));
        var mHat = m.Value * uNext / (1 - productNext) + gradient * (1 - u) / (1 - product);
        var vHat = v.Value / (1 - beta2Power);
        variable.AssignSub(mHat * learningRate / (vHat.Sqrt() + Epsilon));
    }

    // μ(t), μ(t+1), Π(t), Π(t)·μ(t+1) and β2^t, each rounded as Keras rounds them for float32 variables.
    private (double, double, double, double, double) Scalars32()
    {
        float beta1 = (float)Beta1, t = LocalStep;
        float u = beta1 * (1f - 0.5f * MathF.Pow(ScheduleBase, t)), uNext = beta1 * (1f - 0.5f * MathF.Pow(ScheduleBase, t + 1));
        float product = UProduct.Value.Item<float>(), productNext = product * uNext;
        return (u, uNext, product, productNext, MathF.Pow((float)Beta2, t));
    }

    private (double, double, double, double, double) Scalars64()
    {
        double t = LocalStep, u = Beta1 * (1 - 0.5 * Math.Pow(ScheduleBase, t)), uNext = Beta1 * (1 - 0.5 * Math.Pow(ScheduleBase, t + 1));
        double product = UProduct.Value.Item<float>();
        return (u, uNext, product, product * uNext, Math.Pow(Beta2, t));
    }

    private Variable Initialize(double beta1, double beta2, double epsilon)
    {
        Beta1 = Validate.Fraction(Name, beta1, includeOne: false);
        Beta2 = Validate.Fraction(Name, beta2, includeOne: false);
        Epsilon = Validate.NonNegative(Name, epsilon);
        AddHyperparameter(OptimizerNames.Beta1, beta1);
        AddHyperparameter(OptimizerNames.Beta2, beta2);
        return Track(OptimizerNames.UProduct, new Variable(Tensor.Scalar(1f), $"{Name}/{OptimizerNames.UProduct}", trainable: false));
    }
}
