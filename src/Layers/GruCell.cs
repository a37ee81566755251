using Framework.Tensors;

namespace Framework.Layers;

/// <summary>The weights and one step of a gated recurrent unit (Keras <c>GRUCell</c>), run over sequences by <see cref="Gru"/>.</summary>
/// <remarks>
/// <para>Weights, in Keras's layout and gate order z (update), r (reset), h (candidate): <c>kernel</c> (features, 3·units),
/// <c>recurrent_kernel</c> (units, 3·units) and <c>bias</c>: (2, 3·units) with <see cref="ResetAfter"/> (row 0 for the
/// input, row 1 for the recurrent product), else (3·units).</para>
/// <para>With <c>x = input·kernel + b_input</c>: z = σ(x_z + (h·R)_z), r = σ(x_r + (h·R)_r), and the candidate is
/// <c>tanh(x_h + r·(h·R_h + b_recurrent,h))</c> when the reset gate is applied after the product (Keras's default, and
/// PyTorch's GRU), or <c>tanh(x_h + (r·h)·R_h)</c> before it. The new state is <c>z·h + (1 − z)·candidate</c>.
/// <see cref="Layer.Apply"/> on a cell is one step from a zero state; <see cref="Step"/> takes the state.</para>
/// </remarks>
public sealed class GruCell : RecurrentCell
{
    /// <summary>Creates the cell; the arguments and defaults are Keras's (see <see cref="Gru"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="units"/> is not positive.</exception>
    /// <exception cref="ArgumentException">An activation name is unknown.</exception>
    public GruCell(int units, string activation = "tanh", string recurrentActivation = "sigmoid", bool useBias = true,
        Initializer? kernelInitializer = null, Initializer? recurrentInitializer = null, Initializer? biasInitializer = null,
        Regularizer? kernelRegularizer = null, Regularizer? recurrentRegularizer = null, Regularizer? biasRegularizer = null,
        bool resetAfter = true, string? name = null)
        : base(units, activation, recurrentActivation, useBias, kernelInitializer, recurrentInitializer, biasInitializer,
            kernelRegularizer, recurrentRegularizer, biasRegularizer, name) => ResetAfter = resetAfter;

    /// <summary>Whether the reset gate multiplies the recurrent product (true, Keras's default) or the state before it.</summary>
    public bool ResetAfter { get; }

    /// <inheritdoc/>
    protected override int GateCount => 3;

    /// <inheritdoc/>
    protected override Shape BiasShape => ResetAfter ? new Shape(2, 3 * Units) : new Shape(3 * Units);

    /// <summary>One step: the new hidden state from an input (batch, features) and the state (batch, units).</summary>
    public Tensor Step(Tensor input, Tensor hidden)
    {
        ArgumentNullException.ThrowIfNull(input);
        EnsureBuilt(input.Shape);
        return StepProjected(Project(input), hidden, RecurrentParts());
    }

    /// <inheritdoc/>
    protected override Tensor Call(Tensor input, bool training) => StepProjected(Project(input), ZeroState(input), RecurrentParts());

    /// <inheritdoc/>
    internal override (Tensor Sequence, Tensor[] States) RunSequence(Tensor input, Tensor[] states)
    {
        int steps = input.Shape[0], batch = input.Shape[1];
        var projected = Project(input.Reshape(steps * batch, input.Shape[2])).Reshape(steps, batch, 3 * Units);
        var parts = RecurrentParts();
        var hidden = states[0];
        var outputs = new Tensor[steps];
        for (int t = 0; t < steps; t++)
        {
            hidden = StepProjected(projected.Slice(t, 1).Reshape(batch, 3 * Units), hidden, parts);
            outputs[t] = hidden.ExpandDims(0);
        }
        return (Tensor.Concat(outputs), [hidden]);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["reset_after"] = ResetAfter;
        return config;
    }

    private Tensor Project(Tensor input)
    {
        var x = input.MatMul(Kernel);
        if (Bias is not { } bias) return x;
        return x + (ResetAfter ? bias.Value.Slice(0, 1).Reshape(3 * Units) : bias.Value);
    }

    /// <summary>What multiplies h each step: the whole recurrent kernel (and its bias) after the reset, or its z/r and h blocks before.</summary>
    private (Tensor Gates, Tensor? Candidate, Tensor? Bias) RecurrentParts()
    {
        if (ResetAfter) return (RecurrentKernel.Value, null, Bias is { } bias ? bias.Value.Slice(1, 1).Reshape(3 * Units) : null);
        return (RecurrentKernel.Value.Slice(1, 0, 2 * Units), RecurrentKernel.Value.Slice(1, 2 * Units, Units), null);
    }

    private Tensor StepProjected(Tensor x, Tensor hidden, (Tensor Gates, Tensor? Candidate, Tensor? Bias) recurrent)
    {
        var inner = hidden.MatMul(recurrent.Gates);
        if (recurrent.Bias is { } b) inner += b;
        var z = RecurrentActivationFunction(x.Slice(1, 0, Units) + inner.Slice(1, 0, Units));
        var r = RecurrentActivationFunction(x.Slice(1, Units, Units) + inner.Slice(1, Units, Units));
        var candidate = recurrent.Candidate is { } rh
            ? ActivationFunction(x.Slice(1, 2 * Units, Units) + (r * hidden).MatMul(rh))
            : ActivationFunction(x.Slice(1, 2 * Units, Units) + r * inner.Slice(1, 2 * Units, Units));
        return z * hidden + (1.0 - z) * candidate;
    }
}
