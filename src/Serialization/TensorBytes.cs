using System.Runtime.InteropServices;
using Framework.Tensors;

namespace Framework.Serialization;

/// <summary>Converts between tensors and the little-endian, row-major bytes a bundle stores.</summary>
internal static class TensorBytes
{
    /// <summary>Adds the tensor to <paramref name="writer"/> under <paramref name="key"/> (one host copy of the elements).</summary>
    public static void Add(TensorBundleWriter writer, string key, Tensor tensor)
    {
        switch (tensor.DType)
        {
            case DType.Float32: writer.Add<float>(key, tensor.Shape, tensor.ToArray<float>()); break;
            case DType.Float64: writer.Add<double>(key, tensor.Shape, tensor.ToArray<double>()); break;
            case DType.Int32: writer.Add<int>(key, tensor.Shape, tensor.ToArray<int>()); break;
            case DType.Int64: writer.Add<long>(key, tensor.Shape, tensor.ToArray<long>()); break;
            case DType.UInt8: writer.Add<byte>(key, tensor.Shape, tensor.ToArray<byte>()); break;
            case DType.Bool: writer.Add<bool>(key, tensor.Shape, tensor.ToArray<bool>()); break;
            default: throw new NotSupportedException($"Tensor '{key}' has dtype {tensor.DType}, which cannot be saved.");
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
