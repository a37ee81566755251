using Framework.Tensors;

namespace Framework.Layers;

/// <summary>The weights and one step of a long short-term memory cell (Keras <c>LSTMCell</c>), run over sequences by <see cref="Lstm"/>.</summary>
/// <remarks>
/// Weights, in Keras's layout and gate order i (input), f (forget), c (candidate), o (output): <c>kernel</c>
/// (features, 4·units), <c>recurrent_kernel</c> (units, 4·units) and <c>bias</c> (4·units). A step computes
/// <c>z = x·kernel + bias + h·recurrent_kernel</c>, <c>c' = σ(z_f)·c + σ(z_i)·tanh(z_c)</c>, <c>h' = σ(z_o)·tanh(c')</c>
/// (σ is the recurrent activation, tanh the activation). With the default activations a sequence runs on the fused
/// <see cref="Tensor.LstmSequence"/> (one kernel per step for bias, activations and states); other activations run the same step composed of tensor ops.
/// <see cref="Layer.Apply"/> on a cell is one step from zero states; <see cref="Step"/> takes the states.
/// </remarks>
public sealed class LstmCell : RecurrentCell
{
    /// <summary>Creates the cell; the arguments and defaults are Keras's (see <see cref="Lstm"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="units"/> is not positive.</exception>
    /// <exception cref="ArgumentException">An activation name is unknown.</exception>
    public LstmCell(int units, string activation = "tanh", string recurrentActivation = "sigmoid", bool useBias = true,
        Initializer? kernelInitializer = null, Initializer? recurrentInitializer = null, Initializer? biasInitializer = null,
        bool unitForgetBias = true, Regularizer? kernelRegularizer = null, Regularizer? recurrentRegularizer = null,
        Regularizer? biasRegularizer = null, string? name = null)
        : base(units, activation, recurrentActivation, useBias, kernelInitializer, recurrentInitializer, biasInitializer,
            kernelRegularizer, recurrentRegularizer, biasRegularizer, name) => UnitForgetBias = unitForgetBias;

    /// <summary>Whether the forget gate's bias starts at 1 (the other blocks from <see cref="RecurrentCell.BiasInitializer"/>).</summary>
    public bool UnitForgetBias { get; }

    /// <summary>Whether sequences run on the fused kernels (the default activations); tests switch it off to compare.</summary>
    internal bool UseFusedKernels { get; set; } = true;

    /// <inheritdoc/>
    protected override int GateCount => 4;

    /// <inheritdoc/>
    protected override Initializer BiasFill => UnitForgetBias ? new UnitForgetBias(BiasInitializer, Units) : BiasInitializer;

    /// <summary>One step: the new hidden and cell states from an input (batch, features) and the states (batch, units).</summary>
    public (Tensor Hidden, Tensor Cell) Step(Tensor input, Tensor hidden, Tensor cell)
    {
        ArgumentNullException.ThrowIfNull(input);
        EnsureBuilt(input.Shape);
        return StepProjected(Project(input), hidden, cell);
    }

    /// <inheritdoc/>
    protected override Tensor Call(Tensor input, bool training) => StepProjected(Project(input), ZeroState(input), ZeroState(input)).Hidden;

    /// <inheritdoc/>
    internal override (Tensor Sequence, Tensor[] States) RunSequence(Tensor input, Tensor[] states)
    {
        int steps = input.Shape[0], batch = input.Shape[1];
        var (hidden, cell) = (states[0], states[1]);
        if (UseFusedKernels && Activation == "tanh" && RecurrentActivation == "sigmoid")
        {
            var all = Tensor.LstmSequence(input, Kernel, RecurrentKernel, Bias?.Value, hidden, cell);
            var hs = all.Slice(0, 1).Reshape(steps, batch, Units);
            var cs = all.Slice(1, 1).Reshape(steps, batch, Units);
            return (hs, [hs.Slice(steps - 1, 1).Reshape(batch, Units), cs.Slice(steps - 1, 1).Reshape(batch, Units)]);
        }
        // One product over all steps × batch rows; the recurrence then multiplies only by the recurrent kernel.
        var projected = Project(input.Reshape(steps * batch, input.Shape[2])).Reshape(steps, batch, 4 * Units);
        var outputs = new Tensor[steps];
        for (int t = 0; t < steps; t++)
        {
            (hidden, cell) = StepProjected(projected.Slice(t, 1).Reshape(batch, 4 * Units), hidden, cell);
            outputs[t] = hidden.ExpandDims(0);
        }
        return (Tensor.Concat(outputs), [hidden, cell]);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["unit_forget_bias"] = UnitForgetBias;
        return config;
    }

    private Tensor Project(Tensor input) => Bias is { } bias ? input.MatMul(Kernel) + bias : input.MatMul(Kernel);

    private (Tensor Hidden, Tensor Cell) StepProjected(Tensor projected, Tensor hidden, Tensor cell)
    {
        var z = projected + hidden.MatMul(RecurrentKernel);
        var i = RecurrentActivationFunction(z.Slice(1, 0, Units));
        var f = RecurrentActivationFunction(z.Slice(1, Units, Units));
        var candidate = ActivationFunction(z.Slice(1, 2 * Units, Units));
        var o = RecurrentActivationFunction(z.Slice(1, 3 * Units, Units));
        var newCell = f * cell + i * candidate;
        return (o * ActivationFunction(newCell), newCell);
    }
}
