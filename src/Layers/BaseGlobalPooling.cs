using Framework.Tensors;

namespace Framework.Layers;

/// <summary>What the global pooling layers share: one value per channel from all positions of a channels-last input.</summary>
/// <remarks>
/// <c>(batch, height, width, channels)</c> (2-D) or <c>(batch, steps, channels)</c> (1-D) becomes <c>(batch, channels)</c>,
/// or keeps the pooled axes with size 1 when <see cref="KeepDims"/> is set. The pooling is a plain reduction
/// (<see cref="Tensor.Mean(int[], bool)"/> or <see cref="Tensor.Max(int[], bool)"/>), so gradients come from theirs.
/// </remarks>
public abstract class BaseGlobalPooling : Layer
{
    private readonly int _rank;

    /// <summary>Validates and stores Keras's arguments; <paramref name="rank"/> is the number of spatial axes.</summary>
    /// <exception cref="ArgumentException"><paramref name="dataFormat"/> is not channels-last.</exception>
    private protected BaseGlobalPooling(int rank, string? dataFormat, bool keepDims, string? name)
        : base(name)
    {
        _rank = rank;
        DataFormat = WindowArguments.ChannelsLastOnly(GetType().Name, Name, dataFormat);
        KeepDims = keepDims;
        InputSpec = new InputSpec(MinRank: rank + 2);
    }

    /// <summary>Always <c>channels_last</c>.</summary>
    public string DataFormat { get; }

    /// <summary>Whether the pooled axes stay, with size 1.</summary>
    public bool KeepDims { get; }

    /// <summary>Reduces <paramref name="input"/> over <paramref name="axes"/>.</summary>
    protected abstract Tensor Reduce(Tensor input, int[] axes);

    /// <inheritdoc/>
    protected override Tensor Call(Tensor input, bool training)
    {
        if (input.Rank != _rank + 2)
            throw new ArgumentException($"{GetType().Name} '{Name}' expects inputs of rank {_rank + 2} (batch, {(_rank == 2 ? "height, width" : "steps")}, channels), but received shape {input.Shape}.", nameof(input));
        return Reduce(input, [.. Enumerable.Range(1, _rank)]);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["data_format"] = DataFormat;
        config["keepdims"] = KeepDims;
        return config;
    }

    /// <summary>Reads <c>data_format</c>, <c>keepdims</c> and <c>name</c>.</summary>
    private protected static (string? DataFormat, bool KeepDims, string? Name) Read(IReadOnlyDictionary<string, object?> config) =>
        (ConfigReader.GetString(config, "data_format"), ConfigReader.GetBool(config, "keepdims", false), ConfigReader.GetString(config, "name"));
}
