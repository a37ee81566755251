using Framework.Tensors;

namespace Framework.Tests.Helpers;

/// <summary>Tensor comparisons whose failures print shapes and the first mismatching index.</summary>
public static class TensorAssert
{
    public static void AllClose(double[] expected, Tensor actual, double atol = 1e-6, double rtol = 1e-5)
    {
        var values = actual.DType == DType.Float64 ? actual.ToArray<double>() : actual.Cast(DType.Float64).ToArray<double>();
        AllClose(expected, values, atol, rtol, $" (tensor of shape {actual.Shape})");
    }

    public static void AllClose(Tensor expected, Tensor actual, double atol = 1e-6, double rtol = 1e-5)
    {
        Assert.That(actual.Shape, Is.EqualTo(expected.Shape), "shapes differ");
        AllClose(expected.Cast(DType.Float64).ToArray<double>(), actual, atol, rtol);
    }

    public static void AllClose(double[] expected, double[] actual, double atol, double rtol, string what = "")
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length), $"lengths differ{what}");
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            bool ok = (double.IsNaN(e) && double.IsNaN(a)) || e == a || Math.Abs(a - e) <= atol + rtol * Math.Abs(e);
            if (!ok) Assert.Fail($"Mismatch at flat index {i}{what}: expected {e:R}, actual {a:R}, |diff| {Math.Abs(a - e):E3} > atol {atol:E1} + rtol {rtol:E1}·|e|.");
        }
    }
}
