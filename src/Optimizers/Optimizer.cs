using Framework.Tensors;

namespace Framework.Optimizers;

/// <summary>The base of every optimizer: iteration counter, learning rate or schedule, clipping and slot variables.</summary>
/// <remarks>
/// <para>
/// A concrete optimizer overrides <see cref="Build"/> to declare per-variable slots with <see cref="AddSlot"/> and
/// <see cref="UpdateStep"/> to update one variable from its gradient. <see cref="Apply"/> builds lazily on first use,
/// clips the gradients, computes the learning rate for the current step, runs the updates without recording
/// gradients, then increments <see cref="Iterations"/>.
/// </para>
/// <para>
/// Slots are keyed by variable identity, not by position or name, so the order of the variable list can never mix up
/// two variables' moments. The iteration counter and the hyperparameters are variables, so a checkpoint holds them.
/// </para>
/// </remarks>
public abstract class Optimizer : Trackable
{
    private readonly Dictionary<string, Dictionary<Variable, Variable>> _slots = [];
    private readonly List<(Variable Original, string Name, Variable Slot)> _slotOrder = [];
    private HashSet<Variable>? _built;
    private double _learningRate;
    private readonly HostMirror _iterations = new();
    private readonly HostMirror _storedRate = new();
    private double? _clipNorm, _clipValue, _globalClipNorm;

    /// <summary>Creates an optimizer with a constant learning rate.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The learning rate is not positive and finite.</exception>
    protected Optimizer(string name, double learningRate)
        : this(name, learningRate, null)
    {
    }

    /// <summary>Creates an optimizer whose learning rate follows <paramref name="schedule"/>.</summary>
    protected Optimizer(string name, LearningRateSchedule schedule)
        : this(name, (schedule ?? throw new ArgumentNullException(nameof(schedule))).At(0), schedule)
    {
    }

    private Optimizer(string name, double learningRate, LearningRateSchedule? schedule)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        // A schedule may start at zero (a warmup from 0), so only a constant rate must be positive.
        if (schedule is null) Validate.Positive(name, learningRate);
        Name = name;
        Schedule = schedule;
        _learningRate = learningRate;
        Iterations = Track(OptimizerNames.Iterations, new Variable(Tensor.Zeros(Shape.Scalar, DType.Int64), $"{name}/iter", trainable: false));
        LearningRateVariable = AddHyperparameter(OptimizerNames.LearningRate, learningRate);
        // tf.keras's OptimizerV2 always saves its legacy time-based decay; ours is always 0.
        AddHyperparameter(OptimizerNames.Decay, 0);
    }

    /// <summary>The display name (<c>Adam</c>).</summary>
    public string Name { get; }

    /// <summary>The number of updates applied so far (int64 scalar, saved in checkpoints as <c>iter</c>).</summary>
    public Variable Iterations { get; }

    /// <summary>The schedule the learning rate follows, or null for a constant rate.</summary>
    public LearningRateSchedule? Schedule { get; private set; }

    /// <summary>The learning rate; setting it replaces any schedule with this constant.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive and finite.</exception>
    public double LearningRate
    {
        get => Schedule?.At(IterationCount) ?? ConstantRate();
        set
        {
            Validate.Positive(Name, value, nameof(LearningRate));
            Schedule = null;
            // Kept as the float the updates use and the checkpoint stores: a run restored from a checkpoint then carries the
            // very value the uninterrupted run carries, so later changes (ReduceLROnPlateau's cuts) stay bit-identical.
            _learningRate = (float)value;
            AssignRate((float)value);
        }
    }

    /// <summary>The value of <see cref="Iterations"/>, read from its device only after someone other than <see cref="Apply"/> wrote it.</summary>
    private long IterationCount => (long)_iterations.Read(Iterations, v => v.Value.Item<long>());

    /// <summary>Clip each gradient to this L2 norm, or null for none.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive and finite.</exception>
    public double? ClipNorm { get => _clipNorm; init => _clipNorm = value is { } v ? Validate.Positive(Name, v, nameof(ClipNorm)) : null; }

    /// <summary>Clip each gradient element to <c>[−ClipValue, ClipValue]</c>, or null for none.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive and finite.</exception>
    public double? ClipValue { get => _clipValue; init => _clipValue = value is { } v ? Validate.Positive(Name, v, nameof(ClipValue)) : null; }

    /// <summary>Scale all gradients together so their joint L2 norm is at most this, or null for none.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive and finite.</exception>
    public double? GlobalClipNorm { get => _globalClipNorm; init => _globalClipNorm = value is { } v ? Validate.Positive(Name, v, nameof(GlobalClipNorm)) : null; }

    /// <summary>Sets the three clipping options at once, as the init accessors would (for configs read back).</summary>
    internal void SetClipping(double? clipNorm, double? clipValue, double? globalClipNorm)
    {
        _clipNorm = clipNorm is { } n ? Validate.Positive(Name, n, nameof(ClipNorm)) : null;
        _clipValue = clipValue is { } v ? Validate.Positive(Name, v, nameof(ClipValue)) : null;
        _globalClipNorm = globalClipNorm is { } g ? Validate.Positive(Name, g, nameof(GlobalClipNorm)) : null;
    }

    /// <summary>Whether slots exist for the variables the optimizer was first applied to.</summary>
    public bool IsBuilt => _built is not null;

    /// <inheritdoc/>
    /// <remarks>
    /// In tf.keras's OptimizerV2 order: <c>iter</c> first, then the hyperparameters sorted by name
    /// (<c>beta_1</c>, <c>beta_2</c>, <c>decay</c>, <c>learning_rate</c>). While a schedule drives the rate there is
    /// no <c>learning_rate</c> variable in the graph, as in TensorFlow, which keeps the schedule in the config.
    /// </remarks>
    public override IReadOnlyList<TrackedChild> Children =>
    [
        .. base.Children
            .Where(c => Schedule is null || !ReferenceEquals(c.Target, LearningRateVariable))
            .OrderBy(c => ReferenceEquals(c.Target, Iterations) ? 0 : 1)
            .ThenBy(c => c.Name, StringComparer.Ordinal),
    ];

    /// <inheritdoc/>
    public override IEnumerable<SlotVariable> SlotVariables => _slotOrder.Select(s => new SlotVariable(s.Original, s.Name, s.Slot));

    /// <summary>The learning rate stored as a variable (saved as <c>learning_rate</c>).</summary>
    protected Variable LearningRateVariable { get; }

    /// <summary>Keras's <c>local_step</c>: the 1-based number of the update being applied (valid in <see cref="UpdateStep"/>).</summary>
    protected long LocalStep { get; private set; }

    /// <summary>Creates slots for <paramref name="variables"/> (no-op when already built for them).</summary>
    public void BuildFor(IReadOnlyList<Variable> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        if (_built is not null) return;
        _built = new HashSet<Variable>(variables, ReferenceEqualityComparer.Instance);
        using (Autograd.NoGrad()) Build(variables);
    }

    /// <summary>Applies one update: <c>variables[i]</c> moves along <c>gradients[i]</c>.</summary>
    /// <exception cref="ArgumentException">The lists differ in length, or a gradient differs from its variable in shape, dtype or device.</exception>
    /// <exception cref="InvalidOperationException">A variable is not one the optimizer was built for.</exception>
    public void Apply(IReadOnlyList<Tensor> gradients, IReadOnlyList<Variable> variables)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        ArgumentNullException.ThrowIfNull(variables);
        if (gradients.Count != variables.Count)
            throw new ArgumentException($"{Name}.Apply: received {gradients.Count} gradients for {variables.Count} variables.", nameof(gradients));
        BuildFor(variables);
        for (int i = 0; i < variables.Count; i++)
        {
            var (variable, gradient) = (variables[i], gradients[i]);
            if (!_built!.Contains(variable))
                throw new InvalidOperationException($"{Name} was built for other variables and has no slots for {variable}; create a new optimizer for a new set of variables.");
            if (gradient.Shape != variable.Shape || gradient.DType != variable.DType || gradient.Device != variable.Device)
                throw new ArgumentException($"{Name}.Apply: the gradient for {variable} is {gradient.Shape} {gradient.DType.Name()} on {gradient.Device}; expected {variable.Shape} {variable.DType.Name()} on {variable.Device}.", nameof(gradients));
        }
        // The clipped gradients and scalars of one step are temporaries: the scope returns them to the pool.
        using var scope = TensorScope.Begin();
        using var noGrad = Autograd.NoGrad();
        var clipped = GradientClipping.Clip(gradients, ClipNorm, ClipValue, GlobalClipNorm);
        long iterations = IterationCount;
        float learningRate = (float)LearningRate;
        if (Schedule is not null && learningRate != (float)_storedRate.Read(LearningRateVariable, ReadRate)) AssignRate(learningRate);
        LocalStep = iterations + 1;
        BeginStep();
        for (int i = 0; i < variables.Count; i++) UpdateStep(variables[i], clipped[i], learningRate);
        Iterations.AssignAdd(Tensor.Scalar(1, DType.Int64));
        _iterations.Wrote(Iterations, iterations + 1);
    }

    /// <summary>The optimizer's configuration as JSON-ready values (Keras names: <c>learning_rate</c>, <c>clipnorm</c>…).</summary>
    public virtual Dictionary<string, object?> GetConfig() => new()
    {
        ["name"] = Name,
        ["learning_rate"] = Schedule is null ? ConstantRate() : Schedule.GetConfig(),
        ["clipnorm"] = ClipNorm,
        ["clipvalue"] = ClipValue,
        ["global_clipnorm"] = GlobalClipNorm,
    };

    /// <summary>Declares the slots each variable needs; called once, before the first update.</summary>
    protected virtual void Build(IReadOnlyList<Variable> variables)
    {
    }

    /// <summary>Runs once per <see cref="Apply"/>, after <see cref="LocalStep"/> is set and before the variables are updated.</summary>
    /// <remarks>For state shared by all variables of a step, such as Nadam's momentum-schedule product.</remarks>
    protected virtual void BeginStep()
    {
    }

    /// <summary>Updates <paramref name="variable"/> in place from its (clipped) gradient.</summary>
    /// <param name="variable">The variable to update.</param>
    /// <param name="gradient">Its gradient, with the variable's shape.</param>
    /// <param name="learningRate">The learning rate for this step.</param>
    protected abstract void UpdateStep(Variable variable, Tensor gradient, float learningRate);

    /// <summary>Creates a slot named <paramref name="slotName"/> for <paramref name="variable"/>, filled with <paramref name="initialValue"/>.</summary>
    /// <remarks>The value is set before the slot is announced, so a value restored from a checkpoint on creation wins over it.</remarks>
    protected Variable AddSlot(Variable variable, string slotName, double initialValue = 0)
    {
        ArgumentNullException.ThrowIfNull(variable);
        if (!_slots.TryGetValue(slotName, out var slots)) _slots[slotName] = slots = new(ReferenceEqualityComparer.Instance);
        if (slots.TryGetValue(variable, out var existing)) return existing;
        var slot = new Variable(Tensor.Full(variable.Shape, initialValue, variable.DType, variable.Device), $"{Name}/{variable.Name}/{slotName}", trainable: false);
        slots[variable] = slot;
        _slotOrder.Add((variable, slotName, slot));
        OnSlotTracked(new SlotVariable(variable, slotName, slot));
        return slot;
    }

    /// <summary>The slot named <paramref name="slotName"/> of <paramref name="variable"/>.</summary>
    /// <exception cref="InvalidOperationException">No such slot exists.</exception>
    protected Variable Slot(Variable variable, string slotName) =>
        _slots.TryGetValue(slotName, out var slots) && slots.TryGetValue(variable, out var slot)
            ? slot
            : throw new InvalidOperationException($"{Name} has no slot '{slotName}' for {variable}.");

    /// <summary>The constant rate, taking over the <c>learning_rate</c> variable's value when something else wrote it.</summary>
    /// <remarks>
    /// Restoring a checkpoint assigns the variable directly; the rate saved there (say, one that ReduceLROnPlateau had
    /// lowered) must win over the constructor's, as it does in TensorFlow, so a resumed run continues exactly.
    /// </remarks>
    private double ConstantRate()
    {
        float stored = (float)_storedRate.Read(LearningRateVariable, ReadRate);
        if (stored != (float)_learningRate) _learningRate = stored;
        return _learningRate;
    }

    private static double ReadRate(Variable rate) => rate.Value.Item<float>();

    private void AssignRate(float rate)
    {
        LearningRateVariable.Assign(Tensor.Scalar(rate));
        _storedRate.Wrote(LearningRateVariable, rate);
    }

    /// <summary>Creates a float32 scalar hyperparameter variable tracked under <paramref name="name"/> (saved in checkpoints).</summary>
    protected Variable AddHyperparameter(string name, double value) =>
        Track(name, new Variable(Tensor.Scalar((float)value), $"{Name}/{name}", trainable: false));
}
