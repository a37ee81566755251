using Framework.Tensors;

namespace Framework.Optimizers;

/// <summary>Adagrad: divides each step by the root of the sum of all past squared gradients of that element.</summary>
/// <remarks>
/// <para>Keras 3's formulation (Duchi et al., <see href="https://www.jmlr.org/papers/volume12/duchi11a/duchi11a.pdf"/>):</para>
/// <code>
/// a ← a + g²                       (a starts at initialAccumulatorValue)
/// w ← w − (lr · g) / sqrt(a + ε)
/// </code>
/// <para>
/// ε sits inside the square root, unlike PyTorch's Adagrad, which adds it to sqrt(a) and starts the accumulator at 0.
/// Every scalar is rounded once to the variable's dtype, so float32 results match Keras's bit for bit.
/// Slot: <c>accumulator</c>, tf.keras's checkpoint name (Keras 3's variable name too).
/// </para>
/// </remarks>
public sealed class Adagrad : Optimizer
{
    /// <summary>Creates Adagrad with a constant learning rate.</summary>
    /// <param name="learningRate">The step size; positive.</param>
    /// <param name="initialAccumulatorValue">The starting value of every accumulator element; non-negative.</param>
    /// <param name="epsilon">Added under the square root for numerical stability; non-negative.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public Adagrad(double learningRate = 0.001, double initialAccumulatorValue = 0.1, double epsilon = 1e-7)
        : base(nameof(Adagrad), learningRate) => Initialize(initialAccumulatorValue, epsilon);

    /// <summary>Creates Adagrad whose learning rate follows <paramref name="schedule"/>; other arguments as above.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public Adagrad(LearningRateSchedule schedule, double initialAccumulatorValue = 0.1, double epsilon = 1e-7)
        : base(nameof(Adagrad), schedule) => Initialize(initialAccumulatorValue, epsilon);

    /// <summary>The starting value of the accumulators.</summary>
    public double InitialAccumulatorValue { get; private set; }

    /// <summary>The constant added under the square root.</summary>
    public double Epsilon { get; private set; }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["initial_accumulator_value"] = InitialAccumulatorValue;
        config["epsilon"] = Epsilon;
        return config;
    }

    /// <inheritdoc/>
    protected override void Build(IReadOnlyList<Variable> variables)
    {
        foreach (var variable in variables) AddSlot(variable, OptimizerNames.Accumulator, InitialAccumulatorValue);
    }

    /// <inheritdoc/>
    protected override void UpdateStep(Variable variable, Tensor gradient, float learningRate)
    {
        var accumulator = Slot(variable, OptimizerNames.Accumulator);
        accumulator.AssignAdd(gradient.Square());
        variable.AssignSub(gradient * learningRate / (accumulator.Value + Epsilon).Sqrt());
    }

    private void Initialize(double initialAccumulatorValue, double epsilon)
    {
        InitialAccumulatorValue = Validate.NonNegative(Name, initialAccumulatorValue);
        Epsilon = Validate.NonNegative(Name, epsilon);
    }
}
