using Framework.Tensors;
using Framework.Tensors.Kernels;

namespace Framework.Optimizers;

/// <summary>RMSprop: divides the gradient by a running root mean square of recent gradients.</summary>
/// <remarks>
/// <para>Keras's formulation (Hinton, <see href="https://www.cs.toronto.edu/~tijmen/csc321/slides/lecture_slides_lec6.pdf"/>;
/// centered variant: Graves, <see href="https://arxiv.org/abs/1308.0850"/>):</para>
/// <code>
/// r ← ρ · r + (1 − ρ) · g²
/// a ← ρ · a + (1 − ρ) · g                  (centered only)
/// d = r + ε,  or  d = (r − a²) + ε         (centered)
/// i = (lr · g) / sqrt(d)
/// p ← μ · p + i;  w ← w − p                (momentum &gt; 0; otherwise w ← w − i)
/// </code>
/// <para>
/// ε sits inside the square root, unlike PyTorch's RMSprop, which adds it to sqrt(r). Slots: <c>rms</c>, then
/// <c>momentum</c> (momentum &gt; 0) and <c>mg</c> (centered); hyperparameters <c>rho</c> and <c>momentum</c>.
/// </para>
/// </remarks>
public sealed class RmsProp : Optimizer
{
    /// <summary>Creates RMSprop with a constant learning rate.</summary>
    /// <param name="learningRate">The step size; positive.</param>
    /// <param name="rho">Decay rate of the running averages, in [0, 1).</param>
    /// <param name="momentum">Decay factor of the momentum slot, in [0, 1]; 0 disables momentum.</param>
    /// <param name="epsilon">Added under the square root for numerical stability; non-negative.</param>
    /// <param name="centered">Whether to divide by an estimate of the gradient's variance instead of its second moment.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public RmsProp(double learningRate = 0.001, double rho = 0.9, double momentum = 0, double epsilon = 1e-7, bool centered = false)
        : base(nameof(RmsProp), learningRate) => Initialize(rho, momentum, epsilon, centered);

    /// <summary>Creates RMSprop whose learning rate follows <paramref name="schedule"/>; other arguments as above.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public RmsProp(LearningRateSchedule schedule, double rho = 0.9, double momentum = 0, double epsilon = 1e-7, bool centered = false)
        : base(nameof(RmsProp), schedule) => Initialize(rho, momentum, epsilon, centered);

    /// <summary>Decay rate of the running averages.</summary>
    public double Rho { get; private set; }

    /// <summary>Decay factor of the momentum slot (0 for none).</summary>
    public double Momentum { get; private set; }

    /// <summary>The constant added under the square root.</summary>
    public double Epsilon { get; private set; }

    /// <summary>Whether the centered variant is used.</summary>
    public bool Centered { get; private set; }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["rho"] = Rho;
        config["momentum"] = Momentum;
        config["epsilon"] = Epsilon;
        config["centered"] = Centered;
        return config;
    }

    /// <inheritdoc/>
    protected override void Build(IReadOnlyList<Variable> variables)
    {
        foreach (var variable in variables) AddSlot(variable, OptimizerNames.Rms);
        if (Momentum > 0) foreach (var variable in variables) AddSlot(variable, OptimizerNames.Momentum);
        if (Centered) foreach (var variable in variables) AddSlot(variable, OptimizerNames.Mg);
    }

    /// <inheritdoc/>
    protected override void UpdateStep(Variable variable, Tensor gradient, float learningRate) =>
        OptimizerKernels.RmsProp(variable, gradient, Slot(variable, OptimizerNames.Rms),
            Centered ? Slot(variable, OptimizerNames.Mg) : null, Momentum > 0 ? Slot(variable, OptimizerNames.Momentum) : null,
            learningRate, Rho, 1 - Rho, Momentum, Epsilon);

    private void Initialize(double rho, double momentum, double epsilon, bool centered)
    {
        Rho = Validate.Fraction(Name, rho, includeOne: false);
        Momentum = Validate.Fraction(Name, momentum, includeOne: true);
        Epsilon = Validate.NonNegative(Name, epsilon);
        Centered = centered;
        AddHyperparameter(OptimizerNames.Momentum, momentum);
        AddHyperparameter(OptimizerNames.Rho, rho);
    }
}
