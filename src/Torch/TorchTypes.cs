using Framework.Tensors;
using TorchSharp;

namespace Framework.Torch;

/// <summary>Maps our dtypes and shapes to libtorch's.</summary>
internal static class TorchTypes
{
    public static torch.ScalarType Of(DType dtype) => dtype switch
    {
        DType.Float32 => torch.ScalarType.Float32,
        DType.Float64 => torch.ScalarType.Float64,
        DType.Int32 => torch.ScalarType.Int32,
        DType.Int64 => torch.ScalarType.Int64,
        DType.UInt8 => torch.ScalarType.Byte,
        DType.Bool => torch.ScalarType.Bool,
        _ => throw new NotSupportedException($"dtype {dtype} has no libtorch counterpart."),
    };

    public static long[] Dims(Shape shape)
    {
        var dims = new long[shape.Rank];
        for (int i = 0; i < dims.Length; i++) dims[i] = shape[i];
        return dims;
    }
}
