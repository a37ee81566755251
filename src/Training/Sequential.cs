using Framework.Layers;
using Framework.Tensors;

namespace Framework.Training;

/// <summary>A linear stack of layers, each feeding the next.</summary>
/// <remarks>
/// The object graph numbers the layers as tf.keras does: every layer is <c>layer-N</c> (N counts all layers), and a
/// layer that has weights is also <c>layer_with_weights-K</c> (K counts only those), so the checkpoint keys of a
/// model here match those of the same model in Keras. Weightless layers such as Dropout are not counted in K,
/// which keeps the keys of the Dense layers stable when a Dropout is inserted.
/// </remarks>
/// <example>
/// <code>
/// var model = new Sequential([new Dense(128, activation: "relu"), new Dropout(0.2), new Dense(10)], inputShape: [784]);
/// model.Summary();
/// </code>
/// </example>
public class Sequential : Model
{
    private readonly List<Layer> _layers = [];
    private readonly HashSet<Layer> _members = new(ReferenceEqualityComparer.Instance);
    private InputLayer? _declaredInput;
    private Shape[] _outputShapes = [];

    /// <summary>Creates a model from <paramref name="layers"/>; with <paramref name="inputShape"/> (no batch dimension) it is built at once.</summary>
    public Sequential(IEnumerable<Layer>? layers = null, Shape? inputShape = null, string? name = null)
        : base(name)
    {
        foreach (var layer in layers ?? []) Add(layer);
        if ((inputShape ?? _declaredInput?.InputShape) is { } shape) EnsureBuilt(new Shape([1, .. shape.Dims]));
    }

    /// <summary>The layers in order.</summary>
    public IReadOnlyList<Layer> Layers => _layers;

    /// <inheritdoc/>
    public override IReadOnlyList<TrackedChild> Children
    {
        get
        {
            var edges = new List<TrackedChild>();
            int withWeights = 0;
            for (int i = 0; i < _layers.Count; i++)
            {
                if (_layers[i].Weights.Count > 0) edges.Add(new TrackedChild($"layer_with_weights-{withWeights++}", _layers[i]));
                edges.Add(new TrackedChild($"layer-{i}", _layers[i]));
            }
            return [.. edges, .. base.Children];
        }
    }

    /// <summary>The input shape declared by a leading <see cref="InputLayer"/> (without the batch dimension), or null.</summary>
    public Shape? DeclaredInputShape => _declaredInput?.InputShape;

    /// <summary>Appends a layer; a leading <see cref="InputLayer"/> only declares the input shape, as in Keras.</summary>
    /// <exception cref="InvalidOperationException">The model is already built (its shapes are fixed).</exception>
    public void Add(Layer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (IsBuilt) throw new InvalidOperationException($"Sequential '{Name}' is already built; add layers before the first call.");
        if (layer is InputLayer input)
        {
            // Keras's Sequential does not count its InputLayer as layer-0, so neither do we: keys stay tf.keras's.
            if (_layers.Count > 0 || _declaredInput is not null)
                throw new ArgumentException($"InputLayer '{input.Name}' must be the first layer of Sequential '{Name}'.", nameof(layer));
            _declaredInput = input;
            return;
        }
        // A set, not _layers.Contains: adding n layers (a loaded config) must stay linear.
        if (ReferenceEquals(layer, this) || !_members.Add(layer))
            throw new ArgumentException($"{layer} is already part of Sequential '{Name}'.", nameof(layer));
        _layers.Add(layer);
        InvalidateWeightLists();
    }

    /// <summary>Prints Keras's summary table: each layer's name, type, output shape and parameter count, then totals.</summary>
    public void Summary(TextWriter? output = null)
    {
        var o = output ?? Console.Out;
        const string Rule = "_________________________________________________________________";
        o.WriteLine($"Model: \"{Name}\"");
        o.WriteLine(Rule);
        o.WriteLine(Row("Layer (type)", "Output Shape", "Param #"));
        o.WriteLine(Rule.Replace('_', '='));
        for (int i = 0; i < _layers.Count; i++)
        {
            string shape = IsBuilt ? WithNoneBatch(_outputShapes[i]) : "(unbuilt)";
            o.WriteLine(Row($"{_layers[i].Name} ({_layers[i].GetType().Name})", shape, _layers[i].CountParams().ToString("N0", System.Globalization.CultureInfo.InvariantCulture)));
        }
        o.WriteLine(Rule.Replace('_', '='));
        int trainable = TrainableWeights.Sum(w => w.Shape.Size), total = CountParams();
        o.WriteLine($"Total params: {Count(total)}");
        o.WriteLine($"Trainable params: {Count(trainable)}");
        o.WriteLine($"Non-trainable params: {Count(total - trainable)}");
        o.WriteLine(Rule);
    }

    /// <inheritdoc/>
    protected override void Build(Shape inputShape)
    {
        if (_layers.Count == 0) throw new InvalidOperationException($"Sequential '{Name}' has no layers; add some before building.");
        _outputShapes = new Shape[_layers.Count];
        var shape = inputShape;
        for (int i = 0; i < _layers.Count; i++) _outputShapes[i] = shape = _layers[i].ComputeOutputShape(shape);
        // The layer_with_weights-K edges exist only now that the layers have weights: announce them so that a
        // checkpoint restored into the unbuilt model (deferred restoration) reaches them.
        foreach (var edge in Children) OnChildTracked(edge);
        OnBuiltForCheckpoint();
    }

    /// <inheritdoc/>
    private protected override bool AnnouncesBuild => true;

    /// <inheritdoc/>
    protected override Tensor Call(Tensor input, bool training)
    {
        var x = input;
        foreach (var layer in _layers) x = layer.Apply(x, training);
        return x;
    }

    private static string Row(string a, string b, string c) => $" {a,-27} {b,-25} {c,-10}".TrimEnd();

    private static string WithNoneBatch(Shape shape) =>
        shape.Rank == 0 ? "()" : "(None" + string.Concat(shape.Dims[1..].ToArray().Select(d => $", {d}")) + ")";

    private static string Count(int n)
    {
        double bytes = n * 4.0;
        string size = bytes >= 1 << 20 ? $"{bytes / (1 << 20):0.00} MB" : bytes >= 1 << 10 ? $"{bytes / (1 << 10):0.00} KB" : $"{bytes:0.00} B";
        return $"{n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} ({size})";
    }
}
