using Framework.Layers;
using Framework.Optimizers;
using Framework.Tensors;

namespace Framework.Training;

/// <summary>A layer that can be trained: <see cref="Compile(Optimizer, Loss, IEnumerable{Metric})"/>, <see cref="Fit"/>, <see cref="Evaluate"/>, <see cref="Predict"/>.</summary>
/// <remarks>
/// Subclass it for a custom model: track child layers in the constructor with <c>Track</c> and override
/// <c>Call</c>. <see cref="Sequential"/> is the common case. Once compiled, the optimizer is tracked as the child
/// <c>optimizer</c>, so saving the model's weights also saves the optimizer's state, as tf.keras does.
/// </remarks>
/// <example>
/// <code>
/// var model = new Sequential([new Dense(128, activation: "relu"), new Dropout(0.2), new Dense(10)]);
/// model.Compile(new Adam(), new SparseCategoricalCrossentropy(fromLogits: true), [new Accuracy()]);
/// var history = model.Fit(xTrain, yTrain, epochs: 5, batchSize: 32, validationData: (xVal, yVal));
/// var results = model.Evaluate(xTest, yTest);   // results["loss"], results["accuracy"]
/// </code>
/// </example>
public abstract partial class Model : Layer
{
    private Metric[] _metrics = [];
    private RandomGenerator? _shuffleGenerator;

    /// <summary>Creates a model named <paramref name="name"/> (or a generated name).</summary>
    protected Model(string? name = null)
        : base(name)
    {
    }

    /// <summary>The optimizer given to <see cref="Compile(Optimizer, Loss, IEnumerable{Metric})"/>, or null before compiling.</summary>
    public Optimizer? Optimizer { get; private set; }

    /// <summary>The training loss, or null before compiling.</summary>
    public Loss? Loss { get; private set; }

    /// <summary>The compiled metrics (besides the loss).</summary>
    public IReadOnlyList<Metric> Metrics => _metrics;

    /// <summary>Whether <see cref="Compile(Optimizer, Loss, IEnumerable{Metric})"/> has been called.</summary>
    public bool IsCompiled => Optimizer is not null && Loss is not null;

    /// <summary>Set by a callback to end <see cref="Fit"/> after the current batch.</summary>
    public bool StopTraining { get; set; }

    /// <summary>The generator that shuffles the training data each epoch; its state is part of the training state.</summary>
    /// <remarks>Split from <see cref="RandomGenerator.Global"/> on first use, so <c>SetGlobalSeed</c> fixes the order.</remarks>
    public RandomGenerator ShuffleGenerator
    {
        get => _shuffleGenerator ??= RandomGenerator.Global.Split("fit/shuffle");
        set => _shuffleGenerator = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>The shuffle generator if the model has created one (reading <see cref="ShuffleGenerator"/> would create it).</summary>
    internal RandomGenerator? ExistingShuffleGenerator => _shuffleGenerator;

    /// <inheritdoc/>
    public override IReadOnlyList<TrackedChild> Children =>
        Optimizer is null ? base.Children : [.. base.Children, new TrackedChild("optimizer", Optimizer)];

    /// <summary>Configures training with an optimizer, a loss and metrics.</summary>
    /// <exception cref="ArgumentNullException">The optimizer or loss is null.</exception>
    public void Compile(Optimizer optimizer, Loss loss, IEnumerable<Metric>? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(loss);
        Optimizer = optimizer;
        Loss = loss;
        _metrics = metrics?.ToArray() ?? [];
        var duplicate = _metrics.GroupBy(m => m.Name).FirstOrDefault(g => g.Count() > 1 || g.Key == "loss");
        if (duplicate is not null)
            throw new ArgumentException($"Compile: the metric name '{duplicate.Key}' is used twice (or clashes with 'loss'); give each metric its own name.", nameof(metrics));
        OnChildTracked(new TrackedChild("optimizer", optimizer));
    }

    /// <summary>Configures training by Keras names: <c>Compile("adam", "sparse_categorical_crossentropy", ["accuracy"])</c>.</summary>
    /// <exception cref="ArgumentException">A name is unknown; the message lists the known names.</exception>
    public void Compile(string optimizer, string loss, IEnumerable<string>? metrics = null)
    {
        var lossObject = Losses.Get(loss);
        Compile(Framework.Optimizers.OptimizerFactory.Create(optimizer), lossObject, metrics?.Select(m => global::Framework.Training.Metrics.Get(m, lossObject)));
    }

    /// <summary>Moves the model to <paramref name="device"/>: its weights, gradients and optimizer slots, and every weight or
    /// slot created later. Fit, Evaluate and Predict move each batch there. Returns this model.</summary>
    /// <example><c>model.To(Device.TorchCpu);</c> runs the model on libtorch (docs/backends.md).</example>
    public new Model To(Device device)
    {
        base.To(device);
        foreach (var slot in Optimizer?.SlotVariables ?? []) slot.Slot.MoveTo(device);
        return this;
    }

    /// <summary>The values of all weights (trainable and not), in <see cref="Layer.Weights"/> order.</summary>
    public List<float[]> GetWeightValues() => [.. Weights.Select(w => w.Value.Cast(DType.Float32).ToArray<float>())];

    /// <summary>Sets all weights from values in <see cref="Layer.Weights"/> order.</summary>
    /// <exception cref="ArgumentException">The count or a length does not match; the message names the variable.</exception>
    public void SetWeightValues(IReadOnlyList<float[]> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var weights = Weights;
        if (values.Count != weights.Count)
            throw new ArgumentException($"Model '{Name}' has {weights.Count} weights; received {values.Count} values.", nameof(values));
        for (int i = 0; i < weights.Count; i++)
        {
            if (values[i].Length != weights[i].Shape.Size)
                throw new ArgumentException($"Model '{Name}': {weights[i]} needs {weights[i].Shape.Size} values; received {values[i].Length}.", nameof(values));
            weights[i].Assign(Tensor.FromSpan<float>(values[i], weights[i].Shape, weights[i].Device));
        }
    }

    /// <summary>Creates the weights of a subclassed model by calling it once on a batch of zeros, as Keras does on first call.</summary>
    /// <remarks>Its layers only learn their input shapes when called; training needs the weights (and the optimizer's
    /// slots) to exist before the first step. Inference mode, so no dropout stream or moving statistic moves.</remarks>
    protected override void Build(Shape inputShape)
    {
        var dims = inputShape.ToArray();
        if (dims.Length > 0) dims[0] = 1;
        using var scope = TensorScope.Begin();
        using var _ = Autograd.NoGrad();
        Call(Tensor.Zeros(new Shape(dims), device: Device), training: false);
    }

    private (Optimizer Optimizer, Loss Loss) RequireCompiled(string operation) =>
        IsCompiled ? (Optimizer!, Loss!) : throw new InvalidOperationException($"Model '{Name}' must be compiled before {operation}; call Compile(optimizer, loss, metrics) first.");
}
