using System.Runtime.InteropServices;

namespace Framework.Tensors.Kernels;

/// <summary>A native, 64-byte aligned buffer of one thread that only grows: the im2col matrices and partial sums of the
/// convolution kernels, reused from call to call so that a training step allocates none.</summary>
/// <remarks>Each thread has one buffer per <see cref="Slot"/>; the finalizer frees them once the thread has died.</remarks>
internal sealed unsafe class ScratchBuffer
{
    /// <summary>What a buffer is used for: a kernel may need one of each at the same time.</summary>
    public enum Slot
    {
        /// <summary>The matrix one parallel task works on (im2col rows).</summary>
        Task,

        /// <summary>Results the calling thread gathers from all tasks (partial sums).</summary>
        Gather,
    }

    [ThreadStatic]
    private static ScratchBuffer?[]? t_buffers;

    private void* _memory;
    private nint _capacity;

    /// <summary>A buffer of at least <paramref name="count"/> elements of T for the calling thread; its contents are undefined.</summary>
    public static T* Get<T>(Slot slot, nint count) where T : unmanaged
    {
        var buffers = t_buffers ??= new ScratchBuffer?[2];
        var buffer = buffers[(int)slot] ??= new ScratchBuffer();
        nint bytes = count * sizeof(T);
        if (bytes > buffer._capacity)
        {
            NativeMemory.AlignedFree(buffer._memory);
            buffer._memory = null;
            buffer._capacity = 0;
            // Round up to 64 KiB so that slowly growing shapes do not reallocate on every call.
            nint rounded = (bytes + 65535) & ~(nint)65535;
            buffer._memory = NativeMemory.AlignedAlloc((nuint)rounded, 64);
            buffer._capacity = rounded;
        }
        return (T*)buffer._memory;
    }

    ~ScratchBuffer() => NativeMemory.AlignedFree(_memory);
}
