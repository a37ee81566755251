using Framework.Tensors;

namespace Framework.Layers;

/// <summary>Where <see cref="Layer"/>'s <c>AddWeight</c> takes a new weight's value from while a saved model is re-created.</summary>
/// <remarks>
/// Normally a weight is allocated and filled by its initializer. While a saved model is loaded, every weight is about to be
/// overwritten by the checkpoint, and <c>config.json</c> (a small file anyone can edit) decides the shapes: the loader
/// installs a source for the current thread that checks each shape against what the checkpoint holds before anything is
/// allocated, and returns a zero-filled value instead of running the initializer. Every layer, built-in or
/// not, creates its weights through <c>AddWeight</c>, so this one hook covers them all.
/// </remarks>
internal abstract class WeightSource
{
    [ThreadStatic]
    private static WeightSource? t_current;

    /// <summary>The source installed on this thread, or null (weights are initialized as usual).</summary>
    internal static WeightSource? Current => t_current;

    /// <summary>Installs <paramref name="source"/> on this thread until the returned scope is disposed.</summary>
    internal static IDisposable Use(WeightSource source)
    {
        var previous = t_current;
        t_current = source;
        return new Scope(previous);
    }

    /// <summary>The value of the weight <paramref name="name"/> of <paramref name="layer"/>, or an exception that refuses it.</summary>
    /// <param name="layer">The layer creating the weight.</param>
    /// <param name="name">The weight's local name (<c>kernel</c>).</param>
    /// <param name="shape">The shape the layer asks for.</param>
    /// <param name="dtype">The weight's dtype.</param>
    internal abstract Tensor Create(Layer layer, string name, Shape shape, DType dtype);

    private sealed class Scope(WeightSource? previous) : IDisposable
    {
        public void Dispose() => t_current = previous;
    }
}
