using Framework.Tensors;
using Framework.Tensors.Kernels;

namespace Framework.Optimizers;

/// <summary>Adam: per-element step sizes from running averages of the gradient and of its square.</summary>
/// <remarks>
/// <para>Keras's formulation (Kingma &amp; Ba, <see href="https://arxiv.org/abs/1412.6980"/>), at step t = iterations + 1:</para>
/// <code>
/// alpha = lr · sqrt(1 − β2^t) / (1 − β1^t)
/// m ← m + (g − m) · (1 − β1)
/// v ← v + (g² − v) · (1 − β2)
/// vhat ← max(vhat, v)                          (AMSGrad only; v below is then vhat)
/// w ← w − (m · alpha) / (sqrt(v) + ε)
/// </code>
/// <para>
/// ε is added to sqrt(v) without bias correction ("epsilon hat" of the paper), unlike PyTorch's Adam. Every scalar is
/// formed in the variable's dtype and <c>1 − β</c> is formed in double and then rounded, as Keras 3 does, so float32
/// results match Keras's. AMSGrad is Reddi et al., <see href="https://openreview.net/forum?id=ryQu7f-RZ"/>.
/// Slots: <c>m</c>, <c>v</c> and, with AMSGrad, <c>vhat</c>; hyperparameters <c>beta_1</c> and <c>beta_2</c>.
/// </para>
/// </remarks>
public class Adam : Optimizer
{
    private protected double _weightDecay;

    /// <summary>Creates Adam with a constant learning rate.</summary>
    /// <param name="learningRate">The step size; positive.</param>
    /// <param name="beta1">Decay rate of the first-moment average, in [0, 1).</param>
    /// <param name="beta2">Decay rate of the second-moment average, in [0, 1).</param>
    /// <param name="epsilon">Added to sqrt(v) for numerical stability; non-negative.</param>
    /// <param name="amsgrad">Whether to divide by the running maximum of v (AMSGrad).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public Adam(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7, bool amsgrad = false)
        : this(nameof(Adam), learningRate, beta1, beta2, epsilon, amsgrad)
    {
    }

    /// <summary>Creates Adam whose learning rate follows <paramref name="schedule"/>; other arguments as above.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public Adam(LearningRateSchedule schedule, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7, bool amsgrad = false)
        : this(nameof(Adam), schedule, beta1, beta2, epsilon, amsgrad)
    {
    }

    private protected Adam(string name, double learningRate, double beta1, double beta2, double epsilon, bool amsgrad)
        : base(name, learningRate) => Initialize(beta1, beta2, epsilon, amsgrad);

    private protected Adam(string name, LearningRateSchedule schedule, double beta1, double beta2, double epsilon, bool amsgrad)
        : base(name, schedule) => Initialize(beta1, beta2, epsilon, amsgrad);

    /// <summary>Decay rate of the first-moment average.</summary>
    public double Beta1 { get; private set; }

    /// <summary>Decay rate of the second-moment average.</summary>
    public double Beta2 { get; private set; }

    /// <summary>The constant added to sqrt(v).</summary>
    public double Epsilon { get; private set; }

    /// <summary>Whether the AMSGrad variant is used.</summary>
    public bool Amsgrad { get; private set; }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["beta_1"] = Beta1;
        config["beta_2"] = Beta2;
        config["epsilon"] = Epsilon;
        config["amsgrad"] = Amsgrad;
        return config;
    }

    /// <inheritdoc/>
    protected override void Build(IReadOnlyList<Variable> variables)
    {
        // TensorFlow creates all m slots, then all v slots: the checkpoint's slot order follows.
        foreach (var variable in variables) AddSlot(variable, OptimizerNames.FirstMoment);
        foreach (var variable in variables) AddSlot(variable, OptimizerNames.SecondMoment);
        if (Amsgrad) foreach (var variable in variables) AddSlot(variable, OptimizerNames.MaxSecondMoment);
    }

    /// <inheritdoc/>
    protected override void UpdateStep(Variable variable, Tensor gradient, float learningRate)
    {
        double alpha;
        if (variable.DType == DType.Float64)
        {
            alpha = learningRate * Math.Sqrt(1 - Math.Pow(Beta2, LocalStep)) / (1 - Math.Pow(Beta1, LocalStep));
        }
        else
        {
            float t = LocalStep, beta1Power = MathF.Pow((float)Beta1, t), beta2Power = MathF.Pow((float)Beta2, t);
            alpha = learningRate * MathF.Sqrt(1f - beta2Power) / (1f - beta1Power);
        }
        OptimizerKernels.Adam(variable, gradient, Slot(variable, OptimizerNames.FirstMoment), Slot(variable, OptimizerNames.SecondMoment),
            Amsgrad ? Slot(variable, OptimizerNames.MaxSecondMoment) : null, alpha, 1 - Beta1, 1 - Beta2, Epsilon, _weightDecay, learningRate);
    }

    private void Initialize(double beta1, double beta2, double epsilon, bool amsgrad)
    {
        Beta1 = Validate.Fraction(Name, beta1, includeOne: false);
        Beta2 = Validate.Fraction(Name, beta2, includeOne: false);
        Epsilon = Validate.NonNegative(Name, epsilon);
        Amsgrad = amsgrad;
        AddHyperparameter(OptimizerNames.Beta1, beta1);
        AddHyperparameter(OptimizerNames.Beta2, beta2);
    }
}
