namespace Framework.Optimizers;

/// <summary>The factories of the built-in optimizers, registered with <see cref="OptimizerRegistry"/> like any other.</summary>
/// <remarks>Missing keys take Keras's defaults; a <c>learning_rate</c> that is an object is a schedule's envelope.</remarks>
internal static class BuiltInOptimizers
{
    /// <summary>Registers every built-in optimizer under its Keras class name.</summary>
    public static void RegisterAll()
    {
        OptimizerRegistry.Register("Adam", config => Make("Adam", config, (c, lr, s) => s is null
            ? new Adam(lr(0.001), c.Double("beta_1", 0.9), c.Double("beta_2", 0.999), c.Double("epsilon", 1e-7), c.Bool("amsgrad", false))
            : new Adam(s, c.Double("beta_1", 0.9), c.Double("beta_2", 0.999), c.Double("epsilon", 1e-7), c.Bool("amsgrad", false))));
        OptimizerRegistry.Register("AdamW", config => Make("AdamW", config, (c, lr, s) => s is null
            ? new AdamW(lr(0.001), c.Double("weight_decay", 0.004), c.Double("beta_1", 0.9), c.Double("beta_2", 0.999), c.Double("epsilon", 1e-7), c.Bool("amsgrad", false))
            : new AdamW(s, c.Double("weight_decay", 0.004), c.Double("beta_1", 0.9), c.Double("beta_2", 0.999), c.Double("epsilon", 1e-7), c.Bool("amsgrad", false))));
        OptimizerRegistry.Register("SGD", config => Make("SGD", config, (c, lr, s) => s is null
            ? new Sgd(lr(0.01), c.Double("momentum", 0), c.Bool("nesterov", false))
            : new Sgd(s, c.Double("momentum", 0), c.Bool("nesterov", false))));
        OptimizerRegistry.Register("RMSprop", config => Make("RMSprop", config, (c, lr, s) => s is null
            ? new RmsProp(lr(0.001), c.Double("rho", 0.9), c.Double("momentum", 0), c.Double("epsilon", 1e-7), c.Bool("centered", false))
            : new RmsProp(s, c.Double("rho", 0.9), c.Double("momentum", 0), c.Double("epsilon", 1e-7), c.Bool("centered", false))));
        OptimizerRegistry.Register("Adadelta", config => Make("Adadelta", config, (c, lr, s) => s is null
            ? new Adadelta(lr(0.001), c.Double("rho", 0.95), c.Double("epsilon", 1e-7))
            : new Adadelta(s, c.Double("rho", 0.95), c.Double("epsilon", 1e-7))));
        OptimizerRegistry.Register("Adagrad", config => Make("Adagrad", config, (c, lr, s) => s is null
            ? new Adagrad(lr(0.001), c.Double("initial_accumulator_value", 0.1), c.Double("epsilon", 1e-7))
            : new Adagrad(s, c.Double("initial_accumulator_value", 0.1), c.Double("epsilon", 1e-7))));
        OptimizerRegistry.Register("Adamax", config => Make("Adamax", config, (c, lr, s) => s is null
            ? new Adamax(lr(0.001), c.Double("beta_1", 0.9), c.Double("beta_2", 0.999), c.Double("epsilon", 1e-7))
            : new Adamax(s, c.Double("beta_1", 0.9), c.Double("beta_2", 0.999), c.Double("epsilon", 1e-7))));
        OptimizerRegistry.Register("Nadam", config => Make("Nadam", config, (c, lr, s) => s is null
            ? new Nadam(lr(0.001), c.Double("beta_1", 0.9), c.Double("beta_2", 0.999), c.Double("epsilon", 1e-7))
            : new Nadam(s, c.Double("beta_1", 0.9), c.Double("beta_2", 0.999), c.Double("epsilon", 1e-7))));
    }

    /// <summary>Reads the learning rate (constant or schedule) and refuses a weight decay the class does not have.</summary>
    private static T Make<T>(string className, IReadOnlyDictionary<string, object?> config,
        Func<ConfigValues, Func<double, double>, LearningRateSchedule?, T> create) where T : Optimizer
    {
        var c = new ConfigValues(className, config);
        if (className != "AdamW" && c.OptionalDouble("weight_decay") is { } wd && wd != 0)
            throw new NotSupportedException($"{className}: weight_decay={wd} is only supported by AdamW; use AdamW instead.");
        var schedule = c.Object("learning_rate") is { } s ? OptimizerFactory.ScheduleFromConfig(s.Raw) : null;
        return create(c, fallback => c.Double("learning_rate", fallback), schedule);
    }
}
