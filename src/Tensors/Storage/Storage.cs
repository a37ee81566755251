namespace Framework.Tensors.Storage;

/// <summary>A reference-counted block of elements on one device; several tensors (views) may share it.</summary>
/// <remarks>
/// Reference counting lets a <see cref="TensorScope"/> hand buffers back to the pool the moment the last tensor
/// using them is disposed, so a training step reuses the previous step's memory instead of allocating.
/// Storage that is never released is simply collected by the GC: disposal is an optimisation, never a requirement.
/// </remarks>
internal abstract class TensorStorage
{
    private int _refCount = 1;

    protected TensorStorage(DType dtype, int length)
    {
        DType = dtype;
        Length = length;
    }

    public DType DType { get; }

    /// <summary>Number of elements (not bytes).</summary>
    public int Length { get; }

    public abstract Device Device { get; }

    public bool IsReleased => Volatile.Read(ref _refCount) <= 0;

    public void AddRef() => Interlocked.Increment(ref _refCount);

    public void Release()
    {
        if (Interlocked.Decrement(ref _refCount) == 0) Free();
    }

    /// <summary>Returns the memory to its pool; called once, when the last reference goes.</summary>
    protected abstract void Free();
}
