using Framework.Tensors;
using Framework.Tensors.Kernels;

namespace Framework.Optimizers;

/// <summary>Stochastic gradient descent, optionally with (Nesterov) momentum.</summary>
/// <remarks>
/// <para>Keras's formulation; the velocity u is the <c>momentum</c> slot, created only when momentum &gt; 0:</para>
/// <code>
/// momentum = 0:   w ← w − g · lr
/// momentum &gt; 0:   u ← u · μ − g · lr;   w ← w + u
/// nesterov:       u ← u · μ − g · lr;   w ← w + (u · μ − g · lr)
/// </code>
/// <para>
/// u is −lr times PyTorch's momentum buffer, so for a constant rate both give the same weights; Nesterov momentum
/// follows Sutskever et al., <see href="https://proceedings.mlr.press/v28/sutskever13.html"/>.
/// Hyperparameters saved: <c>momentum</c>.
/// </para>
/// </remarks>
public sealed class Sgd : Optimizer
{
    /// <summary>Creates SGD with a constant learning rate.</summary>
    /// <param name="learningRate">The step size; positive.</param>
    /// <param name="momentum">The velocity's decay factor, in [0, 1]; 0 disables momentum.</param>
    /// <param name="nesterov">Whether to use Nesterov momentum.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public Sgd(double learningRate = 0.01, double momentum = 0, bool nesterov = false)
        : base(nameof(Sgd), learningRate) => Initialize(momentum, nesterov);

    /// <summary>Creates SGD whose learning rate follows <paramref name="schedule"/>; other arguments as above.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public Sgd(LearningRateSchedule schedule, double momentum = 0, bool nesterov = false)
        : base(nameof(Sgd), schedule) => Initialize(momentum, nesterov);

    /// <summary>The velocity's decay factor (0 for plain SGD).</summary>
    public double Momentum { get; private set; }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; private set; }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["momentum"] = Momentum;
        config["nesterov"] = Nesterov;
        return config;
    }

    /// <inheritdoc/>
    protected override void Build(IReadOnlyList<Variable> variables)
    {
        if (Momentum == 0) return;
        foreach (var variable in variables) AddSlot(variable, OptimizerNames.Momentum);
    }

    /// <inheritdoc/>
    protected override void UpdateStep(Variable variable, Tensor gradient, float learningRate) =>
        OptimizerKernels.Sgd(variable, gradient, Momentum == 0 ? null : Slot(variable, OptimizerNames.Momentum), learningRate, Momentum, Nesterov);

    private void Initialize(double momentum, bool nesterov)
    {
        Momentum = Validate.Fraction(Name, momentum, includeOne: true);
        Nesterov = nesterov;
        AddHyperparameter(OptimizerNames.Momentum, momentum);
    }
}
