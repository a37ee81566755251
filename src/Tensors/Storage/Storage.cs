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

    /// <summary>Drops a reference; the last one calls <see cref="Free"/>.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _refCount) == 0) Free();
    }

    /// <summary>Returns the memory to its pool; called once, when the last reference goes.</summary>
    protected abstract void Free();
}
