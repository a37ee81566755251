namespace Framework.Tensors;

/// <summary>The element type of a tensor.</summary>
/// <remarks>
/// The numeric values equal TensorFlow's <c>DataType</c> enum (<c>DT_FLOAT = 1</c>, ...), so a dtype read from a
/// checkpoint converts with a range check rather than a lookup table.
/// </remarks>
public enum DType
{
    /// <summary>32-bit IEEE floating point: the default for weights and activations.</summary>
    Float32 = 1,

    /// <summary>64-bit IEEE floating point: used for gradient checks and exact reference math.</summary>
    Float64 = 2,

    /// <summary>32-bit signed integer: class labels and indices.</summary>
    Int32 = 3,

    /// <summary>8-bit unsigned integer: raw image pixels.</summary>
    UInt8 = 4,

    /// <summary>64-bit signed integer: step counters and indices.</summary>
    Int64 = 9,

    /// <summary>Boolean: masks and comparison results.</summary>
    Bool = 10,
}

/// <summary>Facts about <see cref="DType"/> values.</summary>
public static class DTypeExtensions
{
    /// <summary>The size in bytes of one element of <paramref name="dtype"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="DType"/>.</exception>
    public static int SizeInBytes(this DType dtype) => dtype switch
    {
        DType.Float32 or DType.Int32 => 4,
        DType.Float64 or DType.Int64 => 8,
        DType.UInt8 or DType.Bool => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, $"Unknown dtype {(int)dtype}."),
    };

    /// <summary>Whether <paramref name="dtype"/> is a floating-point type (and so can carry gradients).</summary>
    public static bool IsFloatingPoint(this DType dtype) => dtype is DType.Float32 or DType.Float64;

    /// <summary>The lower-case name used in messages and configs: <c>float32</c>, <c>int64</c>, ...</summary>
    public static string Name(this DType dtype) => dtype switch
    {
        DType.Float32 => "float32",
        DType.Float64 => "float64",
        DType.Int32 => "int32",
        DType.UInt8 => "uint8",
        DType.Int64 => "int64",
        DType.Bool => "bool",
        _ => $"dtype({(int)dtype})",
    };

    /// <summary>The <see cref="DType"/> that stores elements of the CLR type <typeparamref name="T"/>.</summary>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> has no tensor dtype.</exception>
    public static DType Of<T>() where T : unmanaged =>
        typeof(T) == typeof(float) ? DType.Float32
        : typeof(T) == typeof(double) ? DType.Float64
        : typeof(T) == typeof(int) ? DType.Int32
        : typeof(T) == typeof(long) ? DType.Int64
        : typeof(T) == typeof(byte) ? DType.UInt8
        : typeof(T) == typeof(bool) ? DType.Bool
        : throw new NotSupportedException($"Type {typeof(T).Name} has no tensor dtype; use float, double, int, long, byte or bool.");
}
