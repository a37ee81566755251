namespace Framework.Tensors.Storage;

/// <summary>A reference-counted block of elements on one device; several tensors (views) may share it.</summary>
/// <remarks>
/// Reference counting lets a <see cref="TensorScope"/> hand buffers back to the pool the moment the last tensor
/// using them is disposed, so a training step reuses the previous step's memory instead of allocating.
/// Storage that is never released is simply collected by the GC: disposal is an optimisation, never a requirement.
/// </remarks>
public abstract class TensorStorage
{
    private int _refCount = 1;

    /// <summary>Starts with one reference, held by the tensor that allocated it.</summary>
    protected TensorStorage(DType dtype, int length)
    {
        DType = dtype;
        Length = length;
    }

    /// <summary>The element type.</summary>
    public DType DType { get; }

    /// <summary>Number of elements (not bytes).</summary>
    public int Length { get; }

    /// <summary>The device whose memory holds the elements.</summary>
    public abstract Device Device { get; }

    /// <summary>Whether the last reference is gone (the memory was handed back).</summary>
    public bool IsReleased => Volatile.Read(ref _refCount) <= 0;

    /// <summary>Adds a reference (a view now shares this storage).</summary>
    public void AddRef() => Interlocked.Increment(ref _refCount);

    /// <summary>
    /// The bytes of all <see cref="Length"/> elements (little-endian, row-major) when they live in memory this process
    /// addresses directly, so that callers read or write them in place: checkpoints save and restore through it, and
    /// moves between devices copy straight into or out of it. False (the default) for memory the host cannot address,
    /// such as a GPU's; callers then go through the backend's <c>CopyToHost</c> and <c>CopyFromHost</c>.
    /// </summary>
    /// <remarks>The span is valid until the last reference is released; a backend must not move the memory meanwhile.</remarks>
    public virtual bool TryGetHostBytes(out Span<byte> bytes)
    {
        bytes = default;
        return false;
    }

    /// <summary>Drops a reference; the last one calls <see cref="Free"/>.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _refCount) == 0) Free();
    }

    /// <summary>Returns the memory to its pool; called once, when the last reference goes.</summary>
    protected abstract void Free();
}
