using Framework.Tensors;

namespace Framework.Layers;

/// <summary>What the max and average pooling layers share: a window, strides, padding and Keras's configuration.</summary>
/// <remarks>
/// Inputs are channels-last, <c>(batch, steps, channels)</c> in 1-D and <c>(batch, height, width, channels)</c> in
/// 2-D; the strides default to the pool size, as in Keras. With <c>same</c> padding a window that hangs over the
/// border pools only the elements inside it (the average divides by their count).
/// </remarks>
public abstract class BasePooling : Layer
{
    private readonly int _rank;

    /// <summary>Validates and stores Keras's arguments; <paramref name="rank"/> is the number of spatial axes.</summary>
    /// <exception cref="ArgumentException">An argument is out of range or unsupported; the message names it and the layer.</exception>
    private protected BasePooling(int rank, int[] poolSize, int[]? strides, string padding, string? dataFormat, string? name)
        : base(name)
    {
        string type = GetType().Name;
        strides ??= poolSize;
        foreach (var (values, what) in new[] { (poolSize, "pool_size"), (strides, "strides") })
        {
            if (values.Length != rank || values.Any(v => v <= 0))
                throw new ArgumentException($"{type} '{Name}': {what} must be {rank} positive integer(s); received [{string.Join(", ", values)}].", what);
        }
        (_rank, PoolSize, Strides) = (rank, poolSize, strides);
        Padding = WindowArguments.Parse(type, Name, padding, allowCausal: false);
        DataFormat = WindowArguments.ChannelsLastOnly(type, Name, dataFormat);
        InputSpec = new InputSpec(MinRank: rank + 2);
    }

    /// <summary>The window, one size per spatial axis.</summary>
    public IReadOnlyList<int> PoolSize { get; }

    /// <summary>The step between windows, one per spatial axis.</summary>
    public IReadOnlyList<int> Strides { get; }

    /// <summary><c>valid</c> or <c>same</c>.</summary>
    public string Padding { get; }

    /// <summary>Always <c>channels_last</c>.</summary>
    public string DataFormat { get; }

    /// <summary>Pools a channels-last batch.</summary>
    protected abstract Tensor Pool(Tensor input, Padding padding);

    /// <inheritdoc/>
    protected override Tensor Call(Tensor input, bool training)
    {
        if (input.Rank != _rank + 2)
            throw new ArgumentException($"{GetType().Name} '{Name}' expects inputs of rank {_rank + 2} (batch, {(_rank == 2 ? "height, width" : "steps")}, channels), but received shape {input.Shape}.", nameof(input));
        return Pool(input, WindowArguments.ToPadding(Padding));
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["pool_size"] = PoolSize.ToArray();
        config["padding"] = Padding;
        config["strides"] = Strides.ToArray();
        config["data_format"] = DataFormat;
        return config;
    }

    /// <summary>Reads <c>pool_size</c>, <c>strides</c> (null: the pool size), <c>padding</c>, <c>data_format</c> and <c>name</c>.</summary>
    private protected static (int[] PoolSize, int[]? Strides, string Padding, string? DataFormat, string? Name) Read(IReadOnlyDictionary<string, object?> config, int rank) =>
        (WindowArguments.Sizes(config, "pool_size", rank, 2)!, WindowArguments.Sizes(config, "strides", rank, null), ConfigReader.GetString(config, "padding", "valid")!,
            ConfigReader.GetString(config, "data_format"), ConfigReader.GetString(config, "name"));
}
