using Framework.Tensors;
using Framework.Tensors.Kernels;

namespace Framework.Optimizers;

/// <summary>Adadelta: per-element step sizes from running averages of squared gradients and of squared updates.</summary>
/// <remarks>
/// <para>Keras 3's formulation (Zeiler, <see href="https://arxiv.org/abs/1212.5701"/>), with rms(x) = sqrt(x + ε):</para>
/// <code>
/// a ← ρ · a + (1 − ρ) · g²
/// Δ = −(rms(d) · g) / rms(a)
/// d ← ρ · d + (1 − ρ) · Δ²
/// w ← w + lr · Δ
/// </code>
/// <para>
/// The backend's fused kernel (one pass instead of about thirteen) rounds every scalar once to the variable's dtype and
/// each operation in Keras's order, so float32 results match Keras's bit for bit. PyTorch's Adadelta has the same formula (ε inside both square roots) but other defaults
/// (lr 1.0, ρ 0.9, ε 1e-6). Use <c>learningRate: 1.0</c> for the paper's form. Slots as tf.keras writes them into
/// checkpoints: <c>accum_grad</c> (a; Keras 3 calls it <c>accumulated_grad</c>) for every variable, then <c>accum_var</c>
/// (d; <c>accumulated_delta_var</c>); hyperparameter <c>rho</c>.
/// </para>
/// </remarks>
public sealed class Adadelta : Optimizer
{
    /// <summary>Creates Adadelta with a constant learning rate.</summary>
    /// <param name="learningRate">The step size; positive.</param>
    /// <param name="rho">Decay rate of both running averages, in [0, 1).</param>
    /// <param name="epsilon">Added under both square roots for numerical stability; non-negative.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public Adadelta(double learningRate = 0.001, double rho = 0.95, double epsilon = 1e-7)
        : base(nameof(Adadelta), learningRate) => Initialize(rho, epsilon);

    /// <summary>Creates Adadelta whose learning rate follows <paramref name="schedule"/>; other arguments as above.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public Adadelta(LearningRateSchedule schedule, double rho = 0.95, double epsilon = 1e-7)
        : base(nameof(Adadelta), schedule) => Initialize(rho, epsilon);

    /// <summary>Decay rate of the running averages.</summary>
    public double Rho { get; private set; }

    /// <summary>The constant added under the square roots.</summary>
    public double Epsilon { get; private set; }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["rho"] = Rho;
        config["epsilon"] = Epsilon;
        return config;
    }

    /// <inheritdoc/>
    protected override void Build(IReadOnlyList<Variable> variables)
    {
        // tf.keras creates all accum_grad slots, then all accum_var slots: the checkpoint's slot order follows.
        foreach (var variable in variables) AddSlot(variable, OptimizerNames.AccumulatedGrad);
        foreach (var variable in variables) AddSlot(variable, OptimizerNames.AccumulatedDelta);
    }

    /// <inheritdoc/>
    protected override void UpdateStep(Variable variable, Tensor gradient, float learningRate) =>
        OptimizerKernels.Adadelta(variable, gradient, Slot(variable, OptimizerNames.AccumulatedGrad),
            Slot(variable, OptimizerNames.AccumulatedDelta), learningRate, Rho, 1 - Rho, Epsilon);

    private void Initialize(double rho, double epsilon)
    {
        Rho = Validate.Fraction(Name, rho, includeOne: false);
        Epsilon = Validate.NonNegative(Name, epsilon);
        AddHyperparameter(OptimizerNames.Rho, rho);
    }
}
