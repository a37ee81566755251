namespace Framework.Layers;

/// <summary>Installs an <see cref="IWeightSource"/> for the layers built on the current thread: the extension point through
/// which a loader decides the values (and checks the shapes) of the weights layers create.</summary>
/// <remarks>The source is per thread and scoped: it applies to every <c>AddWeight</c> on this thread until the scope
/// returned by <see cref="Use"/> is disposed, which reinstalls the previous one (scopes nest).</remarks>
/// <example>
/// <code>
/// using (WeightSource.Use(checkedShapes))
///     model.Build(inputShape);   // each AddWeight asks checkedShapes instead of running its initializer
/// </code>
/// </example>
public static class WeightSource
{
    [ThreadStatic]
    private static IWeightSource? t_current;

    /// <summary>The source installed on this thread, or null (weights are initialized as usual).</summary>
    public static IWeightSource? Current => t_current;

    /// <summary>Installs <paramref name="source"/> on this thread until the returned scope is disposed.</summary>
    /// <param name="source">The source every <c>AddWeight</c> on this thread asks for its value.</param>
    /// <returns>The scope; disposing it reinstalls the source that was current before.</returns>
    public static IDisposable Use(IWeightSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var previous = t_current;
        t_current = source;
        return new Scope(previous);
    }

    private sealed class Scope(IWeightSource? previous) : IDisposable
    {
        public void Dispose() => t_current = previous;
    }
}
