using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Framework.Tensors.Storage;

/// <summary><see cref="Memory{T}"/> over elements that a <see cref="CpuStorage"/> keeps in an array of another element type
/// (the huge-page buffers are byte arrays), so the elements can be handed to stream writers without a copy.</summary>
internal sealed class HostMemoryManager<T> : MemoryManager<T> where T : unmanaged
{
    private readonly Array _array;
    private readonly int _byteOffset;
    private readonly int _length;

    /// <summary>The <paramref name="length"/> elements starting <paramref name="byteOffset"/> bytes into <paramref name="array"/>.</summary>
    public HostMemoryManager(Array array, int byteOffset, int length)
    {
        _array = array;
        _byteOffset = byteOffset;
        _length = length;
    }

    /// <inheritdoc/>
    public override Span<T> GetSpan() =>
        MemoryMarshal.CreateSpan(ref Unsafe.As<byte, T>(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_array), _byteOffset)), _length);

    /// <inheritdoc/>
    public override unsafe MemoryHandle Pin(int elementIndex = 0)
    {
        // The GC handle keeps the array in place until the handle is disposed (huge-page buffers never move anyway).
        var handle = GCHandle.Alloc(_array, GCHandleType.Pinned);
        byte* first = (byte*)handle.AddrOfPinnedObject() + _byteOffset + (long)elementIndex * sizeof(T);
        return new MemoryHandle(first, handle);
    }

    /// <inheritdoc/>
    public override void Unpin()
    {
        // Pin's MemoryHandle frees its own GC handle.
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        // The storage owns the array.
    }
}
