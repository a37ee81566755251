namespace Framework.Optimizers;

/// <summary>Creates optimizers and schedules from Keras names (<c>"adam"</c>) and from <c>GetConfig()</c> dictionaries.</summary>
/// <remarks>
/// Configs may hold CLR values or the <see cref="System.Text.Json.JsonElement"/>s of a JSON round trip, flat (as
/// <see cref="Optimizer.GetConfig"/> writes them) or in Keras's envelope <c>{"class_name": "Adam", "config": {…}}</c>.
/// Missing keys take Keras's defaults. Only known classes are created: a config never names code to run.
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
        var schedule = c.Object("learning_rate") is { } s ? ScheduleFromConfig(s.Raw) : null;
        double lr(double fallback) => c.Double("learning_rate", fallback);
        var key = className?.ToLowerInvariant();
        if (key != "adamw" && c.OptionalDouble("weight_decay") is { } wd && wd != 0)
            throw new NotSupportedException($"{className}: weight_decay={wd} is only supported by AdamW; use AdamW instead.");
        Optimizer optimizer = key switch
        {
            "adam" => schedule is null
                ? new Adam(lr(0.001), c.Double("beta_1", 0.9), c.Double("beta_2", 0.999), c.Double("epsilon", 1e-7), c.Bool("amsgrad", false))
                : new Adam(schedule, c.Double("beta_1", 0.9), c.Double("beta_2", 0.999), c.Double("epsilon", 1e-7), c.Bool("amsgrad", false)),
            "adamw" => schedule is null
                ? new AdamW(lr(0.001), c.Double("weight_decay", 0.004), c.Double("beta_1", 0.9), c.Double("beta_2", 0.999), c.Double("epsilon", 1e-7), c.Bool("amsgrad", false))
                : new AdamW(schedule, c.Double("weight_decay", 0.004), c.Double("beta_1", 0.9), c.Double("beta_2", 0.999), c.Double("epsilon", 1e-7), c.Bool("amsgrad", false)),
            "sgd" => schedule is null
                ? new Sgd(lr(0.01), c.Double("momentum", 0), c.Bool("nesterov", false))
                : new Sgd(schedule, c.Double("momentum", 0), c.Bool("nesterov", false)),
            "rmsprop" => schedule is null
                ? new RmsProp(lr(0.001), c.Double("rho", 0.9), c.Double("momentum", 0), c.Double("epsilon", 1e-7), c.Bool("centered", false))
                : new RmsProp(schedule, c.Double("rho", 0.9), c.Double("momentum", 0), c.Double("epsilon", 1e-7), c.Bool("centered", false)),
            "adadelta" => schedule is null
                ? new Adadelta(lr(0.001), c.Double("rho", 0.95), c.Double("epsilon", 1e-7))
                : new Adadelta(schedule, c.Double("rho", 0.95), c.Double("epsilon", 1e-7)),
            "adagrad" => schedule is null
                ? new Adagrad(lr(0.001), c.Double("initial_accumulator_value", 0.1), c.Double("epsilon", 1e-7))
                : new Adagrad(schedule, c.Double("initial_accumulator_value", 0.1), c.Double("epsilon", 1e-7)),
            "adamax" => schedule is null
                ? new Adamax(lr(0.001), c.Double("beta_1", 0.9), c.Double("beta_2", 0.999), c.Double("epsilon", 1e-7))
                : new Adamax(schedule, c.Double("beta_1", 0.9), c.Double("beta_2", 0.999), c.Double("epsilon", 1e-7)),
            "nadam" => schedule is null
                ? new Nadam(lr(0.001), c.Double("beta_1", 0.9), c.Double("beta_2", 0.999), c.Double("epsilon", 1e-7))
                : new Nadam(schedule, c.Double("beta_1", 0.9), c.Double("beta_2", 0.999), c.Double("epsilon", 1e-7)),
            _ => throw new ArgumentException($"Unknown optimizer '{className}'; known: {string.Join(", ", Names)}.", nameof(className)),
        };
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
