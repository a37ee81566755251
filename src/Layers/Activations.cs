using Framework.Tensors;

namespace Framework.Layers;

/// <summary>The activation functions layers accept by Keras name; the one place that maps names to functions.</summary>
public static class Activations
{
    /// <summary>The name of the identity activation, which is also what null means.</summary>
    public const string Linear = "linear";

    private static readonly Dictionary<string, Func<Tensor, Tensor>> s_functions = new(StringComparer.Ordinal)
    {
        [Linear] = x => x,
        ["relu"] = x => x.Relu(),
        ["sigmoid"] = x => x.Sigmoid(),
        ["tanh"] = x => x.Tanh(),
        // Keras's softmax activation normalizes over the last axis.
        ["softmax"] = x => x.Softmax(-1),
    };

    /// <summary>The accepted names.</summary>
    public static IReadOnlyCollection<string> Names => s_functions.Keys;

    /// <summary>The function named <paramref name="name"/>; null or <c>linear</c> is the identity.</summary>
    /// <param name="name"><c>relu</c>, <c>sigmoid</c>, <c>tanh</c>, <c>softmax</c>, <c>linear</c> or null.</param>
    /// <exception cref="ArgumentException">The name is unknown; the message lists the known names.</exception>
    public static Func<Tensor, Tensor> Get(string? name) =>
        s_functions.TryGetValue(Canonical(name), out var function) ? function
            : throw new ArgumentException($"Unknown activation '{name}'. Known activations: {string.Join(", ", Names)}.", nameof(name));

    /// <summary>The name stored in configurations: <paramref name="name"/>, or <c>linear</c> for null.</summary>
    public static string Canonical(string? name) => name ?? Linear;
}
