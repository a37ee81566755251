namespace Framework.Optimizers;

/// <summary>Creates optimizers and schedules from Keras names (<c>"adam"</c>) and from <c>GetConfig()</c> dictionaries.</summary>
/// <remarks>
/// Configs may hold CLR values or the <see cref="System.Text.Json.JsonElement"/>s of a JSON round trip, flat (as
/// <see cref="Optimizer.GetConfig"/> writes them) or in Keras's envelope <c>{"class_name": "Adam", "config": {…}}</c>.
/// Missing keys take Keras's defaults. Only classes registered with <see cref="OptimizerRegistry"/> are created (the
/// built-ins and custom ones): a config never names code to run.
/// </remarks>
/// <example>
/// <code>
/// var adam = OptimizerFactory.Create("adam");
/// var copy = OptimizerFactory.FromConfig(JsonSerializer.Deserialize&lt;Dictionary&lt;string, object?&gt;&gt;(json)!);
/// </code>
/// </example>
public static class OptimizerFactory
{
    /// <summary>The Keras identifiers understood by <see cref="Create"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["adadelta", "adagrad", "adam", "adamax", "adamw", "nadam", "rmsprop", "sgd"];

    /// <summary>Creates the optimizer named <paramref name="name"/> (case-insensitive) with Keras's defaults.</summary>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Names"/>.</exception>
    public static Optimizer Create(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return FromConfig(new Dictionary<string, object?>(), name);
    }

    /// <summary>Recreates an optimizer from its config.</summary>
    /// <param name="config">A flat config or a Keras envelope with <c>class_name</c> and <c>config</c>.</param>
    /// <param name="className">The optimizer's class or Keras name; when null it is read from the config
    /// (<c>class_name</c>, else <c>name</c>).</param>
    /// <exception cref="ArgumentException">The class is unknown or a value has the wrong type.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside its range.</exception>
    public static Optimizer FromConfig(IReadOnlyDictionary<string, object?> config, string? className = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var outer = new ConfigValues("Optimizer", config);
        className ??= outer.String("class_name") ?? outer.String("name");
        var c = new ConfigValues(className ?? "Optimizer", outer.Object("config")?.Raw ?? config);
        // Every class, built-in or custom, is made by its registered factory; clipping is common to all of them.
        var optimizer = OptimizerRegistry.Create(className!, c.Raw);
        return WithClipping(optimizer, c);
    }

    /// <summary>Recreates a schedule from the envelope its <see cref="LearningRateSchedule.GetConfig"/> returns.</summary>
    /// <exception cref="ArgumentException">The class is unknown or a value has the wrong type.</exception>
    public static LearningRateSchedule ScheduleFromConfig(IReadOnlyDictionary<string, object?> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var outer = new ConfigValues("LearningRateSchedule", config);
        string? className = outer.String("class_name");
        var c = new ConfigValues(className ?? "LearningRateSchedule", outer.Object("config")?.Raw ?? config);
        return className switch
        {
            nameof(ExponentialDecay) => new ExponentialDecay(c.Double("initial_learning_rate", double.NaN), c.Long("decay_steps", 0),
                c.Double("decay_rate", double.NaN), c.Bool("staircase", false)),
            nameof(PiecewiseConstantDecay) => new PiecewiseConstantDecay([.. c.Doubles("boundaries").Select(b => (long)b)], c.Doubles("values")),
            nameof(CosineDecay) => new CosineDecay(c.Double("initial_learning_rate", double.NaN), c.Long("decay_steps", 0),
                c.Double("alpha", 0), c.OptionalDouble("warmup_target"), c.Long("warmup_steps", 0)),
            _ => throw new ArgumentException($"Unknown learning-rate schedule '{className}'; known: ExponentialDecay, PiecewiseConstantDecay, CosineDecay.", nameof(config)),
        };
    }

    private static Optimizer WithClipping(Optimizer optimizer, ConfigValues c)
    {
        optimizer.SetClipping(c.OptionalDouble("clipnorm"), c.OptionalDouble("clipvalue"), c.OptionalDouble("global_clipnorm"));
        return optimizer;
    }
}
