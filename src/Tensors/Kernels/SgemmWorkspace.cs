using System.Runtime.InteropServices;

namespace Framework.Tensors.Kernels;

/// <summary>The packed-panel buffers of one calling thread, reused by every <see cref="Sgemm"/> call it makes.</summary>
/// <remarks>
/// Buffers are native, 64-byte aligned (one cache line, one 512-bit vector) and only grow, so steady-state calls
/// allocate nothing and never fault in fresh pages, which cost about 10 µs per 4 KiB page on the target VMs.
/// One workspace per thread makes concurrent calls from different threads safe. The finalizer returns the memory
/// once the owning thread has died and dropped its reference.
/// </remarks>
internal sealed unsafe class SgemmWorkspace
{
    [ThreadStatic]
    private static SgemmWorkspace? t_current;

    private float* _packA;
    private nint _capacityA;
    private float* _packB;
    private nint _capacityB;

    /// <summary>The workspace of the calling thread.</summary>
    public static SgemmWorkspace Current => t_current ??= new SgemmWorkspace();

    /// <summary>Returns a buffer for packed A panels of at least <paramref name="floats"/> elements.</summary>
    public float* PackA(nint floats) => Ensure(ref _packA, ref _capacityA, floats);

    /// <summary>Returns a buffer for packed B panels of at least <paramref name="floats"/> elements.</summary>
    public float* PackB(nint floats) => Ensure(ref _packB, ref _capacityB, floats);

    private static float* Ensure(ref float* buffer, ref nint capacity, nint floats)
    {
        if (floats <= capacity)
            return buffer;
        NativeMemory.AlignedFree(buffer);
        buffer = null;
        capacity = 0;
        // Round up to 16 KiB so that slowly growing shapes do not reallocate on every call.
        nint rounded = (floats + 4095) & ~(nint)4095;
        buffer = (float*)NativeMemory.AlignedAlloc((nuint)rounded * sizeof(float), 64);
        capacity = rounded;
        return buffer;
    }

    ~SgemmWorkspace()
    {
        NativeMemory.AlignedFree(_packA);
        NativeMemory.AlignedFree(_packB);
    }
}
