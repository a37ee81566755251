using System.Runtime.InteropServices;
using Framework.Tensors.Backends;

namespace Framework.Tensors;

public sealed partial class Tensor
{
    /// <summary>A tensor holding a copy of <paramref name="data"/> with the given shape (a vector when none is given).</summary>
    /// <typeparam name="T">float, double, int, long, byte or bool.</typeparam>
    /// <exception cref="ArgumentException">The shape's size differs from the data's length.</exception>
    public static Tensor FromArray<T>(T[] data, params int[] shape) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        var s = shape.Length == 0 ? new Shape(data.Length) : new Shape(shape);
        return FromSpan<T>(data, s);
    }

    /// <summary>A tensor holding a copy of <paramref name="data"/> with shape <paramref name="shape"/>.</summary>
    /// <exception cref="ArgumentException">The shape's size differs from the data's length.</exception>
    public static Tensor FromSpan<T>(ReadOnlySpan<T> data, Shape shape, Device? device = null) where T : unmanaged
    {
        if (shape.Size != data.Length)
            Throw.Argument($"Cannot make a tensor of shape {shape} ({shape.Size} elements) from {data.Length} values.", nameof(shape));
        var result = Empty(shape, DTypeExtensions.Of<T>(), device ?? Device.Default);
        result.Backend.CopyFromHost(MemoryMarshal.AsBytes(data), result);
        return result;
    }

    /// <summary>A tensor from a multi-dimensional array such as <c>new float[,] { { 1, 2 }, { 3, 4 } }</c>.</summary>
    /// <exception cref="NotSupportedException">The element type has no tensor dtype.</exception>
    public static Tensor FromArray(Array data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var dims = new int[data.Rank];
        for (int i = 0; i < dims.Length; i++) dims[i] = data.GetLength(i);
        var shape = new Shape(dims);
        return data switch
        {
            float[] a => FromSpan<float>(a, shape),
            double[] a => FromSpan<double>(a, shape),
            int[] a => FromSpan<int>(a, shape),
            long[] a => FromSpan<long>(a, shape),
            byte[] a => FromSpan<byte>(a, shape),
            bool[] a => FromSpan<bool>(a, shape),
            _ => FromMultiDimensional(data, shape),
        };
    }

    private static Tensor FromMultiDimensional(Array data, Shape shape)
    {
        var elementType = data.GetType().GetElementType()!;
        var dtype = elementType == typeof(float) ? DType.Float32
            : elementType == typeof(double) ? DType.Float64
            : elementType == typeof(int) ? DType.Int32
            : elementType == typeof(long) ? DType.Int64
            : elementType == typeof(byte) ? DType.UInt8
            : elementType == typeof(bool) ? DType.Bool
            : throw new NotSupportedException($"Arrays of {elementType.Name} cannot become tensors; use float, double, int, long, byte or bool.");
        var result = Empty(shape, dtype, Device.Default);
        var bytes = MemoryMarshal.CreateReadOnlySpan(ref MemoryMarshal.GetArrayDataReference(data), Buffer.ByteLength(data));
        result.Backend.CopyFromHost(bytes, result);
        return result;
    }

    /// <summary>A rank-0 tensor holding <paramref name="value"/>.</summary>
    public static Tensor Scalar(float value) => Full(Shape.Scalar, value);

    /// <summary>A rank-0 tensor of <paramref name="dtype"/> holding <paramref name="value"/>.</summary>
    public static Tensor Scalar(double value, DType dtype, Device? device = null) => Full(Shape.Scalar, value, dtype, device);

    /// <summary>A tensor of zeros.</summary>
    public static Tensor Zeros(Shape shape, DType dtype = DType.Float32, Device? device = null) => Full(shape, 0, dtype, device);

    /// <summary>A tensor of ones.</summary>
    public static Tensor Ones(Shape shape, DType dtype = DType.Float32, Device? device = null) => Full(shape, 1, dtype, device);

    /// <summary>A tensor with every element equal to <paramref name="value"/>.</summary>
    public static Tensor Full(Shape shape, double value, DType dtype = DType.Float32, Device? device = null)
    {
        var result = Empty(shape, dtype, device ?? Device.Default);
        result.Backend.Fill(result, value);
        return result;
    }

    /// <summary>Zeros with this tensor's shape, dtype and device.</summary>
    public Tensor ZerosLike() => Zeros(Shape, DType, Device);

    /// <summary>Ones with this tensor's shape, dtype and device.</summary>
    public Tensor OnesLike() => Ones(Shape, DType, Device);

    /// <summary>The values <c>start, start + step, …</c> below <paramref name="stop"/> (NumPy's <c>arange</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is zero.</exception>
    public static Tensor Arange(double start, double stop, double step = 1, DType dtype = DType.Float32, Device? device = null)
    {
        if (step == 0) throw new ArgumentOutOfRangeException(nameof(step), step, "Arange: step must not be zero; received step=0.");
        int count = Math.Max(0, (int)Math.Ceiling((stop - start) / step));
        var values = new double[count];
        for (int i = 0; i < count; i++) values[i] = start + i * step;
        var f64 = FromSpan<double>(values, new Shape(count), device);
        var result = f64.Cast(dtype);
        if (!ReferenceEquals(result, f64)) f64.Dispose();
        return result;
    }

    /// <summary>The integers <c>0 … stop − 1</c> as an int64 vector.</summary>
    public static Tensor Arange(int stop) => Arange(0, stop, 1, DType.Int64);
}
