namespace Framework.Optimizers;

/// <summary>A learning rate that depends on the optimizer's iteration count.</summary>
public abstract class LearningRateSchedule
{
    /// <summary>The learning rate at (0-based) step <paramref name="step"/>.</summary>
    public abstract double At(long step);

    /// <summary>The schedule's configuration as JSON-ready values, including its Keras class name.</summary>
    public abstract Dictionary<string, object?> GetConfig();
}
