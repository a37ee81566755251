namespace Framework.Optimizers;

/// <summary>A learning rate that depends on the optimizer's iteration count.</summary>
/// <remarks>
/// Rates are computed in double; the optimizer rounds the result to float32 once per step (Keras computes the schedule
/// itself in float32, which can differ in the last bit of the rate).
/// </remarks>
public abstract class LearningRateSchedule
{
    /// <summary>The learning rate at (0-based) step <paramref name="step"/>.</summary>
    public abstract double At(long step);

    /// <summary>The schedule's configuration as JSON-ready values, as Keras serializes it: <c>class_name</c> and <c>config</c>.</summary>
    public abstract Dictionary<string, object?> GetConfig();

    /// <summary>Wraps a schedule's own settings in Keras's envelope, <c>{"class_name": …, "config": {…}}</c>.</summary>
    protected static Dictionary<string, object?> Wrap(string className, Dictionary<string, object?> config) => new()
    {
        ["class_name"] = className,
        ["config"] = config,
    };
}
