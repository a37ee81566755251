using Framework.Layers;
using Framework.Serialization;
using Framework.Tensors;

namespace Framework.Training.Saving;

/// <summary>While <see cref="Model.Load"/> builds the model config.json describes, checks every weight against the checkpoint's
/// index before it is allocated, and creates it without running its initializer (the checkpoint overwrites it).</summary>
/// <remarks>
/// <para>config.json is a few kilobytes that decide how much the build allocates (<c>units: 16384</c> asks for a gigabyte); the
/// checkpoint's index, already checked against its data file, says what the files can fill. A weight of a layer of the
/// <see cref="Sequential"/> being loaded is looked up by its exact key (<c>layer_with_weights-K/name</c>, K counting the earlier
/// layers that have weights, as <see cref="Sequential"/> numbers them); any other weight (a nested layer, a subclassed model)
/// must find an unused checkpoint tensor of its shape. So the weights never take more memory than the checkpoint holds, and a
/// config that does not fit its checkpoint fails at its first wrong weight, before that weight is allocated.</para>
/// </remarks>
internal sealed class CheckpointShapes : IWeightSource
{
    private readonly string _prefix;
    private readonly string _configPath;
    private readonly Dictionary<string, BundleEntry> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<Shape, int> _unused = [];
    private readonly Dictionary<Layer, int> _position = new(ReferenceEqualityComparer.Instance);
    private IReadOnlyList<Layer> _layers = [];
    private IReadOnlyList<int> _configIndex = [];
    private int _counted;
    private int _withWeights;

    private CheckpointShapes(string prefix, string configPath, IEnumerable<BundleEntry> entries)
    {
        _prefix = prefix;
        _configPath = configPath;
        foreach (var entry in entries)
        {
            if (entry.DType is null || entry.IsSliced) continue;
            _byKey[entry.Key] = entry;
            _unused[entry.Shape] = _unused.GetValueOrDefault(entry.Shape) + 1;
        }
    }

    /// <summary>Reads the index of the checkpoint at <paramref name="prefix"/> (its data file sizes checked, nothing else read).</summary>
    /// <exception cref="FileNotFoundException">A file of the checkpoint is missing.</exception>
    /// <exception cref="InvalidDataException">The index is corrupt.</exception>
    public static CheckpointShapes Read(string prefix, string configPath)
    {
        using var reader = new TensorBundleReader(prefix);
        return new CheckpointShapes(prefix, configPath, reader.Entries);
    }

    /// <summary>Installs the check on this thread for building <paramref name="model"/>; dispose the result when built.</summary>
    /// <param name="model">The model being built.</param>
    /// <param name="configIndex">For a Sequential, the index in <c>config.layers</c> of each of its layers (for messages).</param>
    public IDisposable Use(Model model, IReadOnlyList<int> configIndex)
    {
        if (model is Sequential sequential)
        {
            _layers = sequential.Layers;
            _configIndex = configIndex;
            for (int i = 0; i < _layers.Count; i++) _position.TryAdd(_layers[i], i);
        }
        return WeightSource.Use(this);
    }

    /// <inheritdoc/>
    public Tensor Create(Layer layer, string name, Shape shape, DType dtype)
    {
        string variable = $"{layer.Name}/{name}";
        if (_position.TryGetValue(layer, out int i))
        {
            string key = CheckpointKey.ForVariable(CheckpointKey.JoinPath([$"layer_with_weights-{WithWeightsBefore(i)}", name]));
            string where = $"config.layers[{_configIndex[i]}]";
            if (!_byKey.TryGetValue(key, out var entry))
                throw Mismatch(where, missing: [new CheckpointValue(key, variable, shape, DType(dtype))]);
            if (entry.Shape != shape || entry.DType != dtype)
                throw Mismatch(where, mismatch: [new CheckpointValueMismatch(key, variable, entry.Shape, DataTypes.Name(entry.DataType), shape, DType(dtype))]);
            Take(shape);
        }
        else if (!Take(shape))
        {
            throw Mismatch("config", missing: [new CheckpointValue($"(no unused tensor of shape {shape})", variable, shape, DType(dtype))]);
        }
        return Tensor.Zeros(shape, dtype);
    }

    // Layers build in order, so the count of earlier layers with weights only ever grows: counted once per layer, not per weight.
    private int WithWeightsBefore(int position)
    {
        for (; _counted < position; _counted++)
        {
            if (_layers[_counted].Weights.Count > 0) _withWeights++;
        }
        return _withWeights;
    }

    private bool Take(Shape shape)
    {
        if (_unused.GetValueOrDefault(shape) == 0) return false;
        _unused[shape]--;
        return true;
    }

    private CheckpointMismatchException Mismatch(string where, IReadOnlyList<CheckpointValue>? missing = null, IReadOnlyList<CheckpointValueMismatch>? mismatch = null)
    {
        var report = new CheckpointMatchReport(_prefix, [], missing ?? [], [], mismatch ?? [], [], 0);
        return LoadError.Tag(new CheckpointMismatchException(report, $"the model '{_configPath}' describes at {where} (checked before allocating it)"), _configPath, where);
    }

    private static string DType(DType dtype) => DataTypes.Name((int)dtype);
}
