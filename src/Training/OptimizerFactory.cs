using Framework.Optimizers;

namespace Framework.Training;

/// <summary>Creates optimizers from Keras names for <see cref="Model.Compile(string, string, IEnumerable{string})"/>.</summary>
internal static class OptimizerFactory
{
    public static Optimizer Get(string name) => throw new ArgumentException($"Unknown optimizer '{name}'.", nameof(name));
}
