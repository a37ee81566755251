using System.Buffers;
using System.Runtime.InteropServices;

namespace Framework.Tensors;

public sealed partial class Tensor
{
    /// <summary>Uniform values in <c>[low, high)</c>, drawn from <paramref name="generator"/> (default: <see cref="RandomGenerator.Global"/>).</summary>
    /// <exception cref="ArgumentException"><paramref name="low"/> is not below <paramref name="high"/>, or the dtype is not floating point.</exception>
    public static Tensor RandomUniform(Shape shape, double low = 0, double high = 1, RandomGenerator? generator = null, DType dtype = DType.Float32, Device? device = null) =>
        Random(shape, dtype, device, generator, nameof(RandomUniform),
            (g, s) => g.FillUniform(s, (float)low, (float)high), (g, s) => g.FillUniform(s, low, high));

    /// <summary>Normal values with the given mean and standard deviation.</summary>
    /// <exception cref="ArgumentException"><paramref name="std"/> is not positive, or the dtype is not floating point.</exception>
    public static Tensor RandomNormal(Shape shape, double mean = 0, double std = 1, RandomGenerator? generator = null, DType dtype = DType.Float32, Device? device = null) =>
        Random(shape, dtype, device, generator, nameof(RandomNormal),
            (g, s) => g.FillNormal(s, (float)mean, (float)std), (g, s) => g.FillNormal(s, mean, std));

    /// <summary>Normal values re-drawn until within two standard deviations of the mean (TensorFlow's <c>truncated_normal</c>).</summary>
    public static Tensor TruncatedNormal(Shape shape, double mean = 0, double std = 1, RandomGenerator? generator = null, DType dtype = DType.Float32, Device? device = null) =>
        Random(shape, dtype, device, generator, nameof(TruncatedNormal),
            (g, s) => g.FillTruncatedNormal(s, (float)mean, (float)std), (g, s) => g.FillTruncatedNormal(s, mean, std));

    /// <summary>1 with probability <paramref name="probability"/>, else 0 (a dropout keep-mask).</summary>
    public static Tensor Bernoulli(Shape shape, double probability, RandomGenerator? generator = null, DType dtype = DType.Float32, Device? device = null) =>
        Random(shape, dtype, device, generator, nameof(Bernoulli),
            (g, s) => g.FillBernoulli(s, probability), (g, s) =>
            {
                var mask = new float[s.Length];
                g.FillBernoulli(mask, probability);
                for (int i = 0; i < mask.Length; i++) s[i] = mask[i];
            });

    private delegate void FillSingle(RandomGenerator generator, Span<float> values);

    private delegate void FillDouble(RandomGenerator generator, Span<double> values);

    /// <summary>
    /// Draws on the host (the Philox streams are ours, so every backend gets the same numbers from the same seed) and
    /// hands the values to the device's backend; where the storage is host memory the draw goes straight into it.
    /// </summary>
    private static Tensor Random(Shape shape, DType dtype, Device? device, RandomGenerator? generator, string op, FillSingle single, FillDouble @double)
    {
        if (!dtype.IsFloatingPoint()) Throw.Argument($"{op} makes floating-point tensors; received dtype {dtype.Name()}.", nameof(dtype));
        var g = generator ?? RandomGenerator.Global;
        var target = device ?? Device.Default;
        var result = Empty(shape, dtype, target);
        if (result.TryGetHostBytes(out var bytes))
        {
            if (dtype == DType.Float32) single(g, MemoryMarshal.Cast<byte, float>(bytes));
            else @double(g, MemoryMarshal.Cast<byte, double>(bytes));
            return result;
        }
        if (dtype == DType.Float32) FillOnHost<float>(result, values => single(g, values));
        else FillOnHost<double>(result, values => @double(g, values));
        return result;
    }

    private static void FillOnHost<T>(Tensor result, SpanAction<T> fill) where T : unmanaged
    {
        var values = ArrayPool<T>.Shared.Rent(result.Size);
        try
        {
            var span = values.AsSpan(0, result.Size);
            fill(span);
            result.Backend.CopyFromHost(MemoryMarshal.AsBytes(span), result);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(values);
        }
    }

    private delegate void SpanAction<T>(Span<T> values);
}
