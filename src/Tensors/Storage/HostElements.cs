using System.Runtime.InteropServices;

namespace Framework.Tensors.Storage;

/// <summary>Reads a tensor's elements on the host: in place when its storage is host memory, else from a CPU copy.</summary>
/// <remarks>For the checks that must look at values (label and index ranges) on any backend without a managed copy
/// where none is needed.</remarks>
internal static class HostElements
{
    /// <summary>The elements of <paramref name="x"/> (whose dtype is <typeparamref name="T"/>), row-major.</summary>
    public static ReadOnlySpan<T> Of<T>(Tensor x) where T : unmanaged
    {
        if (!x.TryGetHostBytes(out var bytes)) x.To(Device.Cpu).TryGetHostBytes(out bytes);
        return MemoryMarshal.Cast<byte, T>(bytes);
    }
}
