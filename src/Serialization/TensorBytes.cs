using System.Runtime.InteropServices;
using Framework.Tensors;

namespace Framework.Serialization;

/// <summary>Converts between tensors and the little-endian, row-major bytes a bundle stores.</summary>
internal static class TensorBytes
{
    /// <summary>Copies the tensor's elements into <paramref name="destination"/> (exactly <c>Size × element size</c> bytes).</summary>
    public static void CopyTo(Tensor tensor, Span<byte> destination)
    {
        switch (tensor.DType)
        {
            case DType.Float32: tensor.CopyTo(MemoryMarshal.Cast<byte, float>(destination)); break;
            case DType.Float64: tensor.CopyTo(MemoryMarshal.Cast<byte, double>(destination)); break;
            case DType.Int32: tensor.CopyTo(MemoryMarshal.Cast<byte, int>(destination)); break;
            case DType.Int64: tensor.CopyTo(MemoryMarshal.Cast<byte, long>(destination)); break;
            case DType.UInt8: tensor.CopyTo(destination); break;
            case DType.Bool: tensor.CopyTo(MemoryMarshal.Cast<byte, bool>(destination)); break;
            default: throw new NotSupportedException($"Tensors of dtype {tensor.DType} cannot be saved.");
        }
    }

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
