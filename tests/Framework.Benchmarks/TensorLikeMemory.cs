using System.Runtime.InteropServices;
using Framework.Tensors.Storage;

namespace Framework.Benchmarks;

/// <summary>A baseline's buffer of the kind a large tensor gets: huge pages where the tensor pool uses them, else a plain
/// pinned array. Raw copies and reads set beside tensor ops must not be slowed by 4 KiB pages the tensors do not have.</summary>
internal readonly record struct TensorLikeMemory(byte[] Array, int Offset, int Length)
{
    /// <summary>The buffer's bytes.</summary>
    public Span<byte> Bytes => Array.AsSpan(Offset, Length);

    /// <summary>The buffer as floats.</summary>
    public Span<float> Floats => MemoryMarshal.Cast<byte, float>(Bytes);

    /// <summary>A buffer of <paramref name="bytes"/> bytes whose contents are unspecified.</summary>
    public static TensorLikeMemory Rent(int bytes) => HugePageBuffers.Rent(bytes) is { } huge
        ? new TensorLikeMemory(huge.Array, huge.Offset, bytes)
        : new TensorLikeMemory(GC.AllocateUninitializedArray<byte>(bytes, pinned: true), 0, bytes);
}
