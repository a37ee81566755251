using Framework.Tensors.Backends;
using Framework.Tensors.Storage;

namespace Framework.Tensors;

/// <summary>An n-dimensional array of one <see cref="DType"/> on one <see cref="Device"/>, with reverse-mode gradients.</summary>
/// <remarks>
/// <para>
/// Tensors are values: no public operation changes a tensor's elements. Ops build new tensors and, when an input
/// requires gradients and <see cref="Autograd.NoGrad"/> is not active, record how to differentiate them;
/// <see cref="Backward"/> then fills <see cref="Grad"/> of every leaf that requires gradients.
/// Mutable, named training state is a <see cref="Variable"/>.
/// </para>
/// <para>
/// Storage is contiguous and row-major. <see cref="Reshape(int[])"/> and <see cref="Slice(int, int)"/> along the
/// first axis share storage with their source; everything else produces new storage. Binary ops broadcast like NumPy.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var x = Tensor.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
/// var w = Tensor.Ones([3, 1]).RequireGrad();
/// var loss = x.MatMul(w).Square().Mean();
/// loss.Backward();            // w.Grad now holds d loss / d w
/// Console.WriteLine(w.Grad);  // tensor([[ 41.], [ 58.], [ 75.]], shape=(3, 1), dtype=float32)
/// </code>
/// </example>
public sealed partial class Tensor : IDisposable
{
    private TensorStorage? _storage;

    internal Tensor(TensorStorage storage, int offset, Shape shape, bool scoped = true)
    {
        _storage = storage;
        Offset = offset;
        Shape = shape;
        DType = storage.DType;
        if (scoped) TensorScope.Current?.Register(this);
    }

    /// <summary>The dimensions.</summary>
    public Shape Shape { get; }

    /// <summary>The element type.</summary>
    public DType DType { get; }

    /// <summary>Where the elements live.</summary>
    public Device Device => Storage.Device;

    /// <summary>The number of dimensions.</summary>
    public int Rank => Shape.Rank;

    /// <summary>The number of elements.</summary>
    public int Size => Shape.Size;

    /// <summary>Whether gradients flow to (or through) this tensor.</summary>
    public bool RequiresGrad { get; internal set; }

    /// <summary>The gradient accumulated by <see cref="Backward"/> for a leaf that requires gradients; otherwise null.</summary>
    public Tensor? Grad { get; internal set; }

    /// <summary>Whether this tensor was made by an op that recorded a gradient function (false for leaves).</summary>
    public bool IsLeaf => Node is null;

    /// <summary>Whether <see cref="Dispose"/> has returned this tensor's storage.</summary>
    public bool IsDisposed => _storage is null;

    internal GradNode? Node { get; set; }

    internal TensorScope? Scope { get; set; }

    /// <summary>Offset of the first element within <see cref="Storage"/>, in elements (for backends).</summary>
    public int Offset { get; }

    /// <summary>The elements: a backend's own <see cref="TensorStorage"/>, possibly shared with views (for backends).</summary>
    /// <exception cref="ObjectDisposedException">The tensor was disposed.</exception>
    public TensorStorage Storage => _storage ?? ThrowDisposed();

    internal IBackend Backend => BackendRegistry.For(Storage.Device);

    /// <summary>Marks this leaf tensor as requiring gradients and returns it.</summary>
    /// <exception cref="InvalidOperationException">The tensor is not a leaf or its dtype is not floating point.</exception>
    public Tensor RequireGrad(bool requiresGrad = true)
    {
        if (!IsLeaf) Throw.InvalidOperation($"RequireGrad applies to leaf tensors only; this {Shape} tensor was computed by an op. Use Detach() first.");
        if (requiresGrad && !DType.IsFloatingPoint())
            Throw.InvalidOperation($"Only floating-point tensors can require gradients; this tensor is {DType.Name()}.");
        RequiresGrad = requiresGrad;
        return this;
    }

    /// <summary>A tensor sharing this one's elements but cut off from the gradient graph.</summary>
    public Tensor Detach() => View(Shape);

    /// <summary>Returns this tensor's storage to the pool. Using the tensor afterwards throws.</summary>
    /// <remarks>Optional: undisposed tensors are collected by the GC. Views keep shared storage alive.</remarks>
    public void Dispose()
    {
        if (Scope is { } scope) scope.Keep(this);
        Scope = null;
        DisposeCore();
    }

    internal void DisposeCore()
    {
        var storage = Interlocked.Exchange(ref _storage, null);
        storage?.Release();
        Node = null;
    }

    /// <summary>A new tensor over the same storage with another shape of the same size.</summary>
    internal Tensor View(Shape shape, int extraOffset = 0)
    {
        var storage = Storage;
        storage.AddRef();
        return new Tensor(storage, Offset + extraOffset, shape);
    }

    /// <summary>Allocates an uninitialised contiguous tensor.</summary>
    internal static Tensor Empty(Shape shape, DType dtype, Device device)
    {
        var storage = BackendRegistry.For(device).Allocate(dtype, shape.Size);
        return new Tensor(storage, 0, shape);
    }

    /// <summary>Allocates an uninitialised tensor outside any <see cref="TensorScope"/> (for long-lived state).</summary>
    internal static Tensor EmptyUnscoped(Shape shape, DType dtype, Device device)
    {
        var storage = BackendRegistry.For(device).Allocate(dtype, shape.Size);
        return new Tensor(storage, 0, shape, scoped: false);
    }

    private static TensorStorage ThrowDisposed()
    {
        Throw.Disposed("This tensor");
        return null;
    }
}
