using Framework.Tensors;

namespace Framework.Layers;

/// <summary>The weights and options shared by <see cref="LstmCell"/> and <see cref="GruCell"/>: a kernel, a recurrent kernel and a bias per gate.</summary>
/// <remarks>
/// Weights, in Keras's layout: <c>kernel</c> (features, gates·units), <c>recurrent_kernel</c> (units, gates·units) and
/// <c>bias</c> (gates·units, or another shape the cell chooses), tracked under those names. Initializers default to
/// Keras's: glorot_uniform, orthogonal and zeros.
/// </remarks>
public abstract class RecurrentCell : Layer
{
    private Variable? _kernel, _recurrentKernel, _bias;

    /// <summary>Validates and stores the shared options; see <see cref="Lstm"/> for their meaning.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="units"/> is not positive.</exception>
    /// <exception cref="ArgumentException">An activation name is unknown.</exception>
    protected RecurrentCell(int units, string activation, string recurrentActivation, bool useBias, Initializer? kernelInitializer,
        Initializer? recurrentInitializer, Initializer? biasInitializer, Regularizer? kernelRegularizer,
        Regularizer? recurrentRegularizer, Regularizer? biasRegularizer, string? name)
        : base(name)
    {
        if (units <= 0)
            throw new ArgumentOutOfRangeException(nameof(units), units, $"{GetType().Name} '{Name}': units must be positive; received units={units}.");
        Units = units;
        (ActivationFunction, Activation) = (Activations.Get(activation), Activations.Canonical(activation));
        (RecurrentActivationFunction, RecurrentActivation) = (Activations.Get(recurrentActivation), Activations.Canonical(recurrentActivation));
        UseBias = useBias;
        KernelInitializer = kernelInitializer ?? new GlorotUniform();
        RecurrentInitializer = recurrentInitializer ?? new Orthogonal();
        BiasInitializer = biasInitializer ?? new Zeros();
        (KernelRegularizer, RecurrentRegularizer, BiasRegularizer) = (kernelRegularizer, recurrentRegularizer, biasRegularizer);
    }

    /// <summary>The size of the hidden state.</summary>
    public int Units { get; }

    /// <summary>The activation of the candidate state (<c>tanh</c>).</summary>
    public string Activation { get; }

    /// <summary>The activation of the gates (<c>sigmoid</c>).</summary>
    public string RecurrentActivation { get; }

    /// <summary>Whether the cell has a bias.</summary>
    public bool UseBias { get; }

    /// <summary>How <see cref="Kernel"/> is filled (glorot_uniform).</summary>
    public Initializer KernelInitializer { get; }

    /// <summary>How <see cref="RecurrentKernel"/> is filled (orthogonal).</summary>
    public Initializer RecurrentInitializer { get; }

    /// <summary>How <see cref="Bias"/> is filled (zeros).</summary>
    public Initializer BiasInitializer { get; }

    /// <summary>Optional penalties on the kernel, recurrent kernel and bias.</summary>
    public Regularizer? KernelRegularizer { get; }

    /// <inheritdoc cref="KernelRegularizer"/>
    public Regularizer? RecurrentRegularizer { get; }

    /// <inheritdoc cref="KernelRegularizer"/>
    public Regularizer? BiasRegularizer { get; }

    /// <summary>The input kernel (features, gates·units); created when the cell is built.</summary>
    /// <exception cref="InvalidOperationException">The cell is not built yet.</exception>
    public Variable Kernel => _kernel ?? throw NotBuilt();

    /// <summary>The recurrent kernel (units, gates·units).</summary>
    /// <exception cref="InvalidOperationException">The cell is not built yet.</exception>
    public Variable RecurrentKernel => _recurrentKernel ?? throw NotBuilt();

    /// <summary>The bias, or null without <see cref="UseBias"/>.</summary>
    /// <exception cref="InvalidOperationException">The cell is not built yet.</exception>
    public Variable? Bias => IsBuilt ? _bias : throw NotBuilt();

    /// <summary>The number of gate blocks in the kernels (4 for LSTM, 3 for GRU).</summary>
    protected abstract int GateCount { get; }

    /// <summary>The bias shape; one block per gate by default.</summary>
    protected virtual Shape BiasShape => new(GateCount * Units);

    /// <summary>How the bias is actually filled (LSTM's unit forget bias wraps <see cref="BiasInitializer"/>).</summary>
    protected virtual Initializer BiasFill => BiasInitializer;

    /// <summary>The activation as a function.</summary>
    protected Func<Tensor, Tensor> ActivationFunction { get; }

    /// <summary>The recurrent activation as a function.</summary>
    protected Func<Tensor, Tensor> RecurrentActivationFunction { get; }

    /// <summary>Runs the cell over a time-major input (steps, batch, features) from the initial states.</summary>
    /// <returns>Every step's hidden state (steps, batch, units) and the final states, h first.</returns>
    internal abstract (Tensor Sequence, Tensor[] States) RunSequence(Tensor input, Tensor[] states);

    /// <inheritdoc/>
    protected override void Build(Shape inputShape)
    {
        _kernel = AddWeight(WeightNames.Kernel, [inputShape[-1], GateCount * Units], KernelInitializer, regularizer: KernelRegularizer);
        _recurrentKernel = AddWeight(WeightNames.RecurrentKernel, [Units, GateCount * Units], RecurrentInitializer, regularizer: RecurrentRegularizer);
        if (UseBias) _bias = AddWeight(WeightNames.Bias, BiasShape, BiasFill, regularizer: BiasRegularizer);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["units"] = Units;
        config["activation"] = Activation;
        config["recurrent_activation"] = RecurrentActivation;
        config["use_bias"] = UseBias;
        config["kernel_initializer"] = KernelInitializer.GetConfig();
        config["recurrent_initializer"] = RecurrentInitializer.GetConfig();
        config["bias_initializer"] = BiasInitializer.GetConfig();
        config["kernel_regularizer"] = KernelRegularizer?.GetConfig();
        config["recurrent_regularizer"] = RecurrentRegularizer?.GetConfig();
        config["bias_regularizer"] = BiasRegularizer?.GetConfig();
        return config;
    }

    /// <summary>A zero state (batch, units) matching <paramref name="input"/>'s dtype and device.</summary>
    protected Tensor ZeroState(Tensor input) => Tensor.Zeros(new Shape(input.Shape[0], Units), input.DType, input.Device);

    private InvalidOperationException NotBuilt() =>
        new($"{GetType().Name} '{Name}': the weights are created when the layer is built; call Apply or EnsureBuilt first.");
}
