using System.Text;
using Framework.Tensors;

namespace Framework.Layers;

/// <summary>The base of every layer: built lazily from its first input, owning weights and child layers.</summary>
/// <remarks>
/// A subclass writes at most three members: a constructor that validates its configuration, <see cref="Build"/>
/// to create weights with <see cref="AddWeight"/>, and <see cref="Call"/> to compute. Users call the public
/// <see cref="Apply"/>, which builds the layer on first use and checks the input before calling <see cref="Call"/>
/// (Keras's <c>__call__</c> / <c>call</c> split). Gradients come from autograd; checkpoint keys come from the
/// names given to <see cref="AddWeight"/> and <see cref="Trackable.Track{TChild}"/>.
/// </remarks>
/// <example>
/// <code>
/// public sealed class Scale : Layer
/// {
///     private Variable _gamma = null!;
///     protected override void Build(Shape input) => _gamma = AddWeight("gamma", [input[^1]], Initializers.Ones);
///     protected override Tensor Call(Tensor x, bool training) => x * _gamma;
/// }
/// </code>
/// </example>
public abstract class Layer : Trackable
{
    private static readonly Dictionary<string, int> s_nameCounts = [];
    private readonly List<Variable> _weights = [];
    private readonly List<(Variable Variable, Regularizer Regularizer)> _regularized = [];
    private bool _trainable = true;

    // Fit reads the weight lists and walks the child layers on every step. Any change that could alter them (a weight
    // added, a child tracked or added, a Trainable flag set anywhere) bumps one global version, which discards every
    // layer's cached lists: a parent cannot see its children's flags change, and such changes are rare.
    private static int s_structureVersion;
    private WeightLists? _lists;

    /// <summary>Creates a layer named <paramref name="name"/>, or <c>dense</c>, <c>dense_1</c>… from its type.</summary>
    protected Layer(string? name = null)
    {
        if (name is not null) ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name ?? UniqueName(ToSnakeCase(GetType().Name));
        ChildTracked += (_, _) => InvalidateWeightLists();
    }

    /// <summary>The display name, unique per process for generated names (<c>dense_2</c>).</summary>
    public string Name { get; }

    /// <summary>Where the layer's weights live and are computed: <see cref="Device.Default"/> when the layer was made,
    /// then whatever <see cref="To"/> set.</summary>
    public Device Device { get; private set; } = Device.Default;

    /// <summary>Moves the weights of this layer and its child layers to <paramref name="device"/>; weights created later
    /// (when the layer builds) are created there. Values are copied bit for bit. Returns this layer.</summary>
    /// <remarks>One line chooses the backend: <c>model.To(Device.TorchCpu)</c> runs the same model on libtorch.</remarks>
    public Layer To(Device device)
    {
        Device = device;
        // ChildLayers, not Children: a container lists only its built layers with weights as checkpoint edges.
        foreach (var layer in ChildLayers) layer.To(device);
        foreach (var child in Children)
        {
            if (child.Target is Variable variable) variable.MoveTo(device);
        }
        foreach (var weight in _weights) weight.MoveTo(device);
        return this;
    }

    /// <summary>Whether <see cref="Build"/> has run.</summary>
    public bool IsBuilt { get; private set; }

    /// <summary>The input shape the layer was built for (the batch dimension included), once built.</summary>
    public Shape? BuildShape { get; private set; }

    /// <summary>Whether the layer's weights are trained; setting it sets every child layer too, as Keras does.</summary>
    /// <remarks>
    /// Propagating matters beyond the weight lists: a frozen <c>BatchNormalization</c> inside a frozen block must also
    /// stop using and updating batch statistics, which it decides from its own flag.
    /// </remarks>
    public bool Trainable
    {
        get => _trainable;
        set
        {
            _trainable = value;
            InvalidateWeightLists();
            foreach (var child in ChildLayers) child.Trainable = value;
        }
    }

    /// <summary>What inputs the layer accepts; checked by <see cref="Apply"/> when set.</summary>
    public InputSpec? InputSpec { get; protected set; }

    /// <summary>All weights: this layer's, then its children's, in creation order.</summary>
    public IReadOnlyList<Variable> Weights => CurrentLists().All;

    /// <summary>The weights an optimizer updates: empty when the layer is frozen.</summary>
    public IReadOnlyList<Variable> TrainableWeights => CurrentLists().Trainable;

    /// <summary>The weights that are saved but not trained (moving statistics, and everything of a frozen layer).</summary>
    public IReadOnlyList<Variable> NonTrainableWeights =>
        [.. Weights.Where(w => !TrainableWeights.Contains(w))];

    /// <summary>The layers tracked as children of this one, each once (a child may be reachable by several edge names).</summary>
    public IEnumerable<Layer> ChildLayers => CurrentLists().Children;

    /// <summary>Builds the layer if needed, checks <paramref name="input"/>, and computes the output.</summary>
    /// <param name="input">The input batch; its first dimension is the batch size.</param>
    /// <param name="training">Whether to behave as in training (dropout active, batch statistics used).</param>
    /// <exception cref="ArgumentException">The input does not satisfy <see cref="InputSpec"/> or the built shape.</exception>
    public Tensor Apply(Tensor input, bool training = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        InputSpec?.Check(this, input.Shape);
        EnsureBuilt(input.Shape);
        return Call(input, training);
    }

    /// <summary>Builds the layer for inputs of <paramref name="inputShape"/> unless it is built already.</summary>
    public void EnsureBuilt(Shape inputShape)
    {
        if (IsBuilt) return;
        Build(inputShape);
        BuildShape = inputShape;
        IsBuilt = true;
    }

    /// <summary>The output shape for an input shape, computed by running the layer on zeros without gradients.</summary>
    public virtual Shape ComputeOutputShape(Shape inputShape)
    {
        var dims = inputShape.ToArray();
        if (dims.Length > 0) dims[0] = 1;
        // Checked and built first (as Apply would), so that a refused weight shape fails before the probe input is allocated.
        InputSpec?.Check(this, new Shape(dims));
        EnsureBuilt(new Shape(dims));
        using var scope = TensorScope.Begin();
        using var _ = Autograd.NoGrad();
        var output = Apply(Tensor.Zeros(new Shape(dims), device: Device), training: false).Shape.ToArray();
        if (output.Length > 0 && inputShape.Rank > 0) output[0] = inputShape[0];
        return new Shape(output);
    }

    /// <summary>The sum of the weight penalties of this layer and its children, or null when there are none.</summary>
    public Tensor? RegularizationLoss()
    {
        Tensor? total = null;
        foreach (var (variable, regularizer) in _regularized)
        {
            var penalty = regularizer.Penalty(variable.Value);
            total = total is null ? penalty : total + penalty;
        }
        foreach (var child in CurrentLists().Children)
        {
            if (child.RegularizationLoss() is { } penalty) total = total is null ? penalty : total + penalty;
        }
        return total;
    }

    /// <summary>Discards the cached weight and child lists of every layer; call it when <see cref="Trackable.Children"/> changes without <see cref="Trackable.Track{TChild}"/>.</summary>
    protected static void InvalidateWeightLists() => Interlocked.Increment(ref s_structureVersion);

    /// <summary>The number of scalar weights, trainable or not.</summary>
    public int CountParams() => Weights.Sum(w => w.Shape.Size);

    /// <summary>The layer's configuration as JSON-ready values (numbers, strings, booleans, arrays, dictionaries).</summary>
    /// <remarks>Subclasses add their arguments to the base dictionary; <c>LayerRegistry</c> re-creates layers from it.</remarks>
    public virtual Dictionary<string, object?> GetConfig() => new() { ["name"] = Name, ["trainable"] = Trainable };

    /// <summary>Formats as <c>Dense 'dense_1'</c>.</summary>
    public override string ToString() => $"{GetType().Name} '{Name}'";

    /// <summary>Creates the layer's weights for inputs of <paramref name="inputShape"/>; the default creates none.</summary>
    protected virtual void Build(Shape inputShape)
    {
    }

    /// <summary>Computes the layer's output; called by <see cref="Apply"/> after building.</summary>
    protected abstract Tensor Call(Tensor input, bool training);

    /// <summary>Creates a weight, tracks it under <paramref name="name"/> and returns it.</summary>
    /// <param name="name">The local name, which becomes part of checkpoint keys (<c>kernel</c>, <c>bias</c>).</param>
    /// <param name="shape">The weight's shape.</param>
    /// <param name="initializer">How to fill it.</param>
    /// <param name="trainable">Whether optimizers update it.</param>
    /// <param name="regularizer">An optional penalty added to the loss during training.</param>
    protected Variable AddWeight(string name, Shape shape, Initializer initializer, bool trainable = true, Regularizer? regularizer = null)
    {
        ArgumentNullException.ThrowIfNull(initializer);
        Variable variable;
        using (Autograd.NoGrad())
        {
            using var onLayerDevice = Device.Use(Device);
            // While a saved model loads, the shape is checked against the checkpoint before any allocation and no initializer runs.
            var value = WeightSource.Current?.Create(this, name, shape, DType.Float32) ?? initializer.Create(shape, DType.Float32);
            variable = new Variable(value, $"{Name}/{name}", trainable);
            value.Dispose();
        }
        _weights.Add(variable);
        if (regularizer is not null) _regularized.Add((variable, regularizer));
        InvalidateWeightLists();
        return Track(name, variable);
    }

    private WeightLists CurrentLists()
    {
        int version = Volatile.Read(ref s_structureVersion);
        if (_lists is { } lists && lists.Version == version) return lists;
        var children = new List<Layer>();
        // A set, not a search of the list: a model with n layers has 2n edges, and a search made this quadratic.
        var seen = new HashSet<Layer>(ReferenceEqualityComparer.Instance);
        foreach (var edge in Children)
        {
            if (edge.Target is Layer layer && seen.Add(layer)) children.Add(layer);
        }
        var all = new List<Variable>(_weights);
        var trainable = new List<Variable>();
        foreach (var w in _weights)
        {
            if (w.Trainable) trainable.Add(w);
        }
        foreach (var child in children)
        {
            all.AddRange(child.Weights);
            trainable.AddRange(child.TrainableWeights);
        }
        // One immutable snapshot, published by a single reference write, so another thread never sees a mix.
        return _lists = new WeightLists(version, [.. children], [.. all], Trainable ? [.. trainable] : []);
    }

    private sealed record WeightLists(int Version, Layer[] Children, Variable[] All, Variable[] Trainable);

    private static string UniqueName(string baseName)
    {
        lock (s_nameCounts)
        {
            int count = s_nameCounts.GetValueOrDefault(baseName);
            s_nameCounts[baseName] = count + 1;
            return count == 0 ? baseName : $"{baseName}_{count}";
        }
    }

    /// <summary><c>BatchNormalization</c> → <c>batch_normalization</c>, as Keras names layers.</summary>
    internal static string ToSnakeCase(string name)
    {
        var text = new StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
                text.Append('_');
            text.Append(char.ToLowerInvariant(name[i]));
        }
        return text.ToString();
    }
}
