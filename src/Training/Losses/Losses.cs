namespace Framework.Training;

/// <summary>Finds losses by their Keras names, as <c>Compile(loss: "mse")</c> does.</summary>
public static class Losses
{
    private static readonly Dictionary<string, object?> s_defaults = [];

    /// <summary>The loss named <paramref name="name"/> (Keras names and aliases: <c>mse</c>, <c>mae</c>, <c>huber</c>…), with its
    /// defaults; any name registered with <see cref="LossRegistry"/> works, custom ones included.</summary>
    /// <exception cref="ArgumentException">The name is unknown; the message lists the known names.</exception>
    public static Loss Get(string name) => LossRegistry.Create(name, s_defaults);
}
