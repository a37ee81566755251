using Framework.Tensors;

namespace Framework.Serialization;

/// <summary>Facts about TensorFlow <c>DataType</c> numbers (spec 1.5.1, 6.7), including those <see cref="DType"/> lacks.</summary>
public static class DataTypes
{
    /// <summary><c>DT_STRING</c>.</summary>
    public const int String = 7;

    /// <summary><c>DT_RESOURCE</c>: a handle, never stored in a bundle.</summary>
    public const int Resource = 20;

    /// <summary><c>DT_VARIANT</c>.</summary>
    public const int Variant = 21;

    /// <summary>Bytes per element of a fixed-size dtype; 0 for strings, variants and codes this reader does not know.</summary>
    public static int ElementSize(int code) => code switch
    {
        4 or 6 or 10 or 11 or 12 => 1,
        5 or 14 or 15 or 16 or 17 or 19 => 2,
        1 or 3 or 13 or 22 => 4,
        2 or 8 or 9 or 23 => 8,
        18 => 16,
        _ => 0,
    };

    /// <summary>Whether a stored entry may carry this code: not DT_INVALID, not a resource handle, not a reference type.</summary>
    public static bool IsStorable(int code) => code > 0 && code != Resource && code < 100;

    /// <summary>The <see cref="DType"/> for a code, or null when the framework has no such element type.</summary>
    public static DType? ToDType(int code) => code switch
    {
        1 => DType.Float32,
        2 => DType.Float64,
        3 => DType.Int32,
        4 => DType.UInt8,
        9 => DType.Int64,
        10 => DType.Bool,
        _ => null,
    };

    /// <summary>A readable name for messages: TensorFlow's <c>DT_*</c> spelling.</summary>
    public static string Name(int code) => code switch
    {
        1 => "DT_FLOAT",
        2 => "DT_DOUBLE",
        3 => "DT_INT32",
        4 => "DT_UINT8",
        5 => "DT_INT16",
        6 => "DT_INT8",
        7 => "DT_STRING",
        8 => "DT_COMPLEX64",
        9 => "DT_INT64",
        10 => "DT_BOOL",
        14 => "DT_BFLOAT16",
        17 => "DT_UINT16",
        18 => "DT_COMPLEX128",
        19 => "DT_HALF",
        21 => "DT_VARIANT",
        22 => "DT_UINT32",
        23 => "DT_UINT64",
        _ => $"DataType({code})",
    };
}
