using Framework.Tensors;

namespace Framework.Layers;

/// <summary>What <see cref="Conv1D"/> and <see cref="Conv2D"/> share: <c>activation(conv(input, kernel) + bias)</c> over channels-last data.</summary>
/// <remarks>
/// The kernel has shape <c>kernel_size + (inChannels, filters)</c> and the bias <c>(filters)</c>, tracked as
/// <c>kernel</c> and <c>bias</c> like Keras's, so checkpoints and <c>.h5</c> weights carry over unchanged. Only
/// <c>channels_last</c> data and <c>groups = 1</c> are supported; other values are rejected when the layer is made.
/// </remarks>
public abstract class BaseConv : Layer
{
    private readonly Func<Tensor, Tensor> _activation;
    private readonly int _rank;
    private Variable? _kernel;
    private Variable? _bias;

    /// <summary>Validates and stores Keras's arguments; <paramref name="rank"/> is the number of spatial axes.</summary>
    /// <exception cref="ArgumentException">An argument is out of range or unsupported; the message names it and the layer.</exception>
    private protected BaseConv(int rank, int filters, int[] kernelSize, int[] strides, string padding, string? dataFormat, int[] dilationRate,
        int groups, string? activation, bool useBias, Initializer? kernelInitializer, Initializer? biasInitializer,
        Regularizer? kernelRegularizer, Regularizer? biasRegularizer, string? name)
        : base(name)
    {
        string type = GetType().Name;
        if (filters <= 0)
            throw new ArgumentOutOfRangeException(nameof(filters), filters, $"{type} '{Name}': filters must be positive; received filters={filters}.");
        foreach (var (values, what) in new[] { (kernelSize, "kernel_size"), (strides, "strides"), (dilationRate, "dilation_rate") })
        {
            if (values.Length != rank || values.Any(v => v <= 0))
                throw new ArgumentException($"{type} '{Name}': {what} must be {rank} positive integer(s); received [{string.Join(", ", values)}].", what);
        }
        Padding = WindowArguments.Parse(type, Name, padding, allowCausal: rank == 1);
        DataFormat = WindowArguments.ChannelsLastOnly(type, Name, dataFormat);
        if (groups != 1)
            throw new ArgumentException($"{type} '{Name}': only groups=1 is supported; received groups={groups}.", nameof(groups));
        (_rank, Filters, KernelSize, Strides, DilationRate, Groups) = (rank, filters, kernelSize, strides, dilationRate, groups);
        _activation = Activations.Get(activation);
        Activation = Activations.Canonical(activation);
        UseBias = useBias;
        KernelInitializer = kernelInitializer ?? new GlorotUniform();
        BiasInitializer = biasInitializer ?? new Zeros();
        KernelRegularizer = kernelRegularizer;
        BiasRegularizer = biasRegularizer;
        InputSpec = new InputSpec(MinRank: rank + 2);
    }

    /// <summary>The number of output channels.</summary>
    public int Filters { get; }

    /// <summary>The window, one size per spatial axis.</summary>
    public IReadOnlyList<int> KernelSize { get; }

    /// <summary>The step between windows, one per spatial axis.</summary>
    public IReadOnlyList<int> Strides { get; }

    /// <summary><c>valid</c>, <c>same</c> or (1-D only) <c>causal</c>.</summary>
    public string Padding { get; }

    /// <summary>Always <c>channels_last</c>.</summary>
    public string DataFormat { get; }

    /// <summary>The spacing between kernel taps, one per spatial axis.</summary>
    public IReadOnlyList<int> DilationRate { get; }

    /// <summary>Always 1.</summary>
    public int Groups { get; }

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

    /// <summary>The kernel, of shape <c>kernel_size + (inChannels, filters)</c>.</summary>
    /// <exception cref="InvalidOperationException">The layer is not built yet.</exception>
    public Variable Kernel => _kernel ?? throw NotBuilt(nameof(Kernel));

    /// <summary>The bias, of shape <c>(filters)</c>, or null when <see cref="UseBias"/> is false.</summary>
    /// <exception cref="InvalidOperationException">The layer is not built yet.</exception>
    public Variable? Bias => IsBuilt ? _bias : throw NotBuilt(nameof(Bias));

    /// <summary>The convolution of a channels-last batch with the kernel, without bias or activation.</summary>
    protected abstract Tensor Convolve(Tensor input, Tensor kernel);

    /// <inheritdoc/>
    protected override void Build(Shape inputShape)
    {
        CheckRank(inputShape);
        int channels = inputShape[-1];
        _kernel = AddWeight(WeightNames.Kernel, [.. KernelSize, channels, Filters], KernelInitializer, regularizer: KernelRegularizer);
        if (UseBias) _bias = AddWeight(WeightNames.Bias, [Filters], BiasInitializer, regularizer: BiasRegularizer);
        InputSpec = new InputSpec(MinRank: _rank + 2, LastDim: channels);
    }

    /// <inheritdoc/>
    protected override Tensor Call(Tensor input, bool training)
    {
        CheckRank(input.Shape);
        var output = Convolve(input, Kernel);
        if (_bias is not null) output += _bias;
        return _activation(output);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        (config["filters"], config["kernel_size"], config["strides"]) = (Filters, KernelSize.ToArray(), Strides.ToArray());
        (config["padding"], config["data_format"], config["dilation_rate"], config["groups"]) = (Padding, DataFormat, DilationRate.ToArray(), Groups);
        config["activation"] = Activation;
        config["use_bias"] = UseBias;
        config["kernel_initializer"] = KernelInitializer.GetConfig();
        config["bias_initializer"] = BiasInitializer.GetConfig();
        config["kernel_regularizer"] = KernelRegularizer?.GetConfig();
        config["bias_regularizer"] = BiasRegularizer?.GetConfig();
        return config;
    }

    /// <summary>Reads a size argument (an int or a list) that must be present, or has <paramref name="defaultValue"/>.</summary>
    private protected static int[] Sizes(IReadOnlyDictionary<string, object?> config, string key, int rank, int? defaultValue = null) =>
        WindowArguments.Sizes(config, key, rank, defaultValue) ?? [.. Enumerable.Repeat(ConfigReader.GetInt(config, key), rank)];

    private void CheckRank(Shape shape)
    {
        if (shape.Rank != _rank + 2)
            throw new ArgumentException($"{GetType().Name} '{Name}' expects inputs of rank {_rank + 2} (batch, {(_rank == 2 ? "height, width" : "steps")}, channels), but received shape {shape}.", "input");
    }

    private InvalidOperationException NotBuilt(string member) =>
        new($"{GetType().Name} '{Name}': {member} is created when the layer is built; call Apply or EnsureBuilt first.");
}
