using System.Runtime.InteropServices;
using Framework.Tensors;

namespace Framework.Serialization;

/// <summary>Converts between tensors and the little-endian, row-major bytes a bundle stores.</summary>
internal static class TensorBytes
{
    /// <summary>The tensor's elements as bytes.</summary>
    public static byte[] Get(Tensor tensor) => tensor.DType switch
    {
        DType.Float32 => MemoryMarshal.AsBytes<float>(tensor.ToArray<float>()).ToArray(),
        DType.Float64 => MemoryMarshal.AsBytes<double>(tensor.ToArray<double>()).ToArray(),
        DType.Int32 => MemoryMarshal.AsBytes<int>(tensor.ToArray<int>()).ToArray(),
        DType.Int64 => MemoryMarshal.AsBytes<long>(tensor.ToArray<long>()).ToArray(),
        DType.UInt8 => tensor.ToArray<byte>(),
        DType.Bool => MemoryMarshal.AsBytes<bool>(tensor.ToArray<bool>()).ToArray(),
        _ => throw new NotSupportedException($"Tensors of dtype {tensor.DType} cannot be saved."),
    };

    /// <summary>A new tensor of <paramref name="dtype"/> and <paramref name="shape"/> holding a copy of <paramref name="bytes"/>.</summary>
    public static Tensor Create(DType dtype, Shape shape, ReadOnlySpan<byte> bytes) => dtype switch
    {
        DType.Float32 => Tensor.FromSpan(MemoryMarshal.Cast<byte, float>(bytes), shape),
        DType.Float64 => Tensor.FromSpan(MemoryMarshal.Cast<byte, double>(bytes), shape),
        DType.Int32 => Tensor.FromSpan(MemoryMarshal.Cast<byte, int>(bytes), shape),
        DType.Int64 => Tensor.FromSpan(MemoryMarshal.Cast<byte, long>(bytes), shape),
        DType.UInt8 => Tensor.FromSpan(bytes, shape),
        DType.Bool => Tensor.FromSpan(MemoryMarshal.Cast<byte, bool>(bytes), shape),
        _ => throw new NotSupportedException($"Tensors of dtype {dtype} cannot be restored."),
    };
}
