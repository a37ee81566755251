using Framework.Tensors;

namespace Framework.Layers;

/// <summary>A densely connected layer: <c>activation(input @ kernel + bias)</c>.</summary>
/// <remarks>
/// The kernel has shape <c>(inputDim, units)</c> and multiplies the last axis of the input, so inputs of rank above
/// 2, such as <c>(batch, steps, inputDim)</c>, give <c>(batch, steps, units)</c>. The weights are tracked as
/// <c>kernel</c> and <c>bias</c>, Keras's names, which appear in checkpoint keys.
/// </remarks>
/// <example>
/// <code>
/// var dense = new Dense(128, activation: "relu");
/// var y = dense.Apply(x);   // x: (32, 784) → y: (32, 128)
/// </code>
/// </example>
public sealed class Dense : Layer
{
    private readonly Func<Tensor, Tensor> _activation;
    private Variable? _kernel;
    private Variable? _bias;

    /// <summary>Creates a dense layer; the arguments and defaults are Keras's.</summary>
    /// <param name="units">The output size; must be positive.</param>
    /// <param name="activation">An activation name from <see cref="Activations"/>; null or <c>linear</c> for none.</param>
    /// <param name="useBias">Whether to add a bias vector.</param>
    /// <param name="kernelInitializer">How to fill the kernel; <see cref="Layers.GlorotUniform"/> by default.</param>
    /// <param name="biasInitializer">How to fill the bias; <see cref="Layers.Zeros"/> by default.</param>
    /// <param name="kernelRegularizer">An optional penalty on the kernel.</param>
    /// <param name="biasRegularizer">An optional penalty on the bias.</param>
    /// <param name="name">The layer name; generated (<c>dense</c>, <c>dense_1</c>…) when null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="units"/> is zero or negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="activation"/> is not a known name.</exception>
    public Dense(int units, string? activation = null, bool useBias = true, Initializer? kernelInitializer = null,
        Initializer? biasInitializer = null, Regularizer? kernelRegularizer = null, Regularizer? biasRegularizer = null,
        string? name = null)
        : base(name)
    {
        if (units <= 0)
            throw new ArgumentOutOfRangeException(nameof(units), units, $"Dense '{Name}': units must be positive; received units={units}.");
        Units = units;
        _activation = Activations.Get(activation);
        Activation = Activations.Canonical(activation);
        UseBias = useBias;
        KernelInitializer = kernelInitializer ?? new GlorotUniform();
        BiasInitializer = biasInitializer ?? new Zeros();
        KernelRegularizer = kernelRegularizer;
        BiasRegularizer = biasRegularizer;
        InputSpec = new InputSpec(MinRank: 2);
    }

    /// <summary>The output size.</summary>
    public int Units { get; }

    /// <summary>The activation's name (<c>linear</c> for none).</summary>
    public string Activation { get; }

    /// <summary>Whether a bias vector is added.</summary>
    public bool UseBias { get; }

    /// <summary>How the kernel is filled.</summary>
    public Initializer KernelInitializer { get; }

    /// <summary>How the bias is filled.</summary>
    public Initializer BiasInitializer { get; }

    /// <summary>The kernel's penalty, if any.</summary>
    public Regularizer? KernelRegularizer { get; }

    /// <summary>The bias's penalty, if any.</summary>
    public Regularizer? BiasRegularizer { get; }

    /// <summary>The kernel, of shape <c>(inputDim, units)</c>.</summary>
    /// <exception cref="InvalidOperationException">The layer is not built yet.</exception>
    public Variable Kernel => _kernel ?? throw NotBuilt(nameof(Kernel));

    /// <summary>The bias, of shape <c>(units)</c>, or null when <see cref="UseBias"/> is false.</summary>
    /// <exception cref="InvalidOperationException">The layer is not built yet.</exception>
    public Variable? Bias => IsBuilt ? _bias : throw NotBuilt(nameof(Bias));

    /// <inheritdoc/>
    protected override void Build(Shape inputShape)
    {
        int inputDim = inputShape[-1];
        if (inputDim <= 0)
            throw new ArgumentException($"Dense '{Name}' needs a positive last input dimension; received shape {inputShape}.", nameof(inputShape));
        _kernel = AddWeight(WeightNames.Kernel, [inputDim, Units], KernelInitializer, regularizer: KernelRegularizer);
        if (UseBias) _bias = AddWeight(WeightNames.Bias, [Units], BiasInitializer, regularizer: BiasRegularizer);
        InputSpec = new InputSpec(MinRank: 2, LastDim: inputDim);
    }

    /// <inheritdoc/>
    protected override Tensor Call(Tensor input, bool training)
    {
        var output = input.MatMul(Kernel);
        if (_bias is not null) output += _bias;
        return _activation(output);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["units"] = Units;
        config["activation"] = Activation;
        config["use_bias"] = UseBias;
        config["kernel_initializer"] = KernelInitializer.GetConfig();
        config["bias_initializer"] = BiasInitializer.GetConfig();
        config["kernel_regularizer"] = KernelRegularizer?.GetConfig();
        config["bias_regularizer"] = BiasRegularizer?.GetConfig();
        return config;
    }

    /// <summary>Re-creates a dense layer from <see cref="GetConfig"/>'s dictionary (plain values or JSON elements).</summary>
    public static Dense FromConfig(IReadOnlyDictionary<string, object?> config) => new(
        ConfigReader.GetInt(config, "units"),
        ConfigReader.GetString(config, "activation"),
        ConfigReader.GetBool(config, "use_bias", true),
        ConfigReader.Has(config, "kernel_initializer") ? Initializers.FromConfig(config["kernel_initializer"]) : null,
        ConfigReader.Has(config, "bias_initializer") ? Initializers.FromConfig(config["bias_initializer"]) : null,
        Regularizers.FromConfig(ConfigReader.Get(config, "kernel_regularizer")),
        Regularizers.FromConfig(ConfigReader.Get(config, "bias_regularizer")),
        ConfigReader.GetString(config, "name"))
    { Trainable = ConfigReader.GetBool(config, "trainable", true) };

    private InvalidOperationException NotBuilt(string member) =>
        new($"Dense '{Name}': {member} is created when the layer is built; call Apply or EnsureBuilt first.");
}
