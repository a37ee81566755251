namespace Framework.Tensors;

/// <summary>Collects the tensors created on this thread while it is active and disposes them when it ends.</summary>
/// <remarks>
/// A training step creates dozens of temporaries (activations, gradients, optimizer intermediates). Ending a scope
/// returns their buffers to the pool, so the next step reuses the same memory instead of allocating, and large
/// buffers never reach the GC's large-object heap. Tensors that must outlive the scope are passed to
/// <see cref="Keep"/>, which moves them to the enclosing scope (or to no scope). Scopes nest; they are per thread.
/// </remarks>
/// <example>
/// <code>
/// float loss;
/// using (var scope = TensorScope.Begin())
/// {
///     var y = model.Apply(x, training: true);
///     loss = lossFn(y, labels).Item&lt;float&gt;();
/// }   // every tensor created above is disposed here
/// </code>
/// </example>
public sealed class TensorScope : IDisposable
{
    [ThreadStatic] private static TensorScope? t_current;

    private readonly List<Tensor> _tensors = [];
    private readonly TensorScope? _outer;
    private bool _disposed;

    private TensorScope(TensorScope? outer) => _outer = outer;

    /// <summary>Starts a scope on the current thread; tensors created until it is disposed belong to it.</summary>
    public static TensorScope Begin() => t_current = new TensorScope(t_current);

    /// <summary>The innermost active scope of this thread, or null.</summary>
    internal static TensorScope? Current => t_current;

    /// <summary>How many tensors this scope currently owns.</summary>
    public int Count => _tensors.Count(t => t.Scope == this);

    /// <summary>Moves <paramref name="tensor"/> out of this scope into the enclosing one (or none) and returns it.</summary>
    /// <exception cref="InvalidOperationException">The scope has already ended.</exception>
    public Tensor Keep(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (_disposed) Throw.InvalidOperation("This TensorScope has already ended; Keep must be called before Dispose.");
        if (tensor.Scope == this)
        {
            tensor.Scope = null;
            _outer?.Register(tensor);
        }
        return tensor;
    }

    /// <summary>Disposes every tensor the scope still owns and makes the enclosing scope current again.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var tensor in _tensors)
        {
            if (tensor.Scope == this) tensor.DisposeCore();
        }
        _tensors.Clear();
        // Scopes end in reverse order of their start; if a user disposes out of order, unwind to the nearest live one.
        var scope = _outer;
        while (scope is { _disposed: true }) scope = scope._outer;
        if (t_current == this || t_current is { _disposed: true }) t_current = scope;
    }

    internal void Register(Tensor tensor)
    {
        tensor.Scope = this;
        _tensors.Add(tensor);
    }
}
