using Framework.Tensors;

namespace Framework.Tests.Helpers;

/// <summary>Compares autograd's gradients with central finite differences, in float64.</summary>
public static class GradientChecker
{
    /// <summary>
    /// Checks d(Σ w ⊙ f(inputs)) / d inputs for a fixed random weighting w, which exercises every output element
    /// with a different weight (a plain sum would hide errors that cancel).
    /// </summary>
    public static void Check(Func<Tensor[], Tensor> f, Tensor[] inputs, double eps = 1e-6, double atol = 1e-7, double rtol = 1e-5, int seed = 7)
    {
        foreach (var x in inputs) Assert.That(x.DType, Is.EqualTo(DType.Float64), "gradient checks run in float64");
        var leaves = inputs.Select(x => x.Clone().Detach().RequireGrad()).ToArray();
        var output = f(leaves);
        var rng = new Random(seed);
        var weights = Tensor.FromSpan<double>(Enumerable.Range(0, output.Size).Select(_ => rng.NextDouble() * 2 - 1).ToArray(), output.Shape);
        (output * weights).Sum().Backward();

        for (int k = 0; k < inputs.Length; k++)
        {
            var baseValues = inputs[k].ToArray<double>();
            var numeric = new double[baseValues.Length];
            for (int i = 0; i < baseValues.Length; i++)
            {
                numeric[i] = (Objective(f, inputs, k, baseValues, i, +eps, weights) - Objective(f, inputs, k, baseValues, i, -eps, weights)) / (2 * eps);
            }
            var analytic = leaves[k].Grad?.ToArray<double>() ?? new double[baseValues.Length];
            TensorAssert.AllClose(numeric, analytic, atol, rtol, $" in the gradient of input {k} (shape {inputs[k].Shape})");
        }
    }

    private static double Objective(Func<Tensor[], Tensor> f, Tensor[] inputs, int k, double[] values, int i, double delta, Tensor weights)
    {
        var shifted = (double[])values.Clone();
        shifted[i] += delta;
        var args = inputs.ToArray();
        args[k] = Tensor.FromSpan<double>(shifted, inputs[k].Shape);
        using var _ = Autograd.NoGrad();
        return (f(args) * weights).Sum().Item<double>();
    }

    /// <summary>A float64 tensor of uniform values in [low, high), seeded.</summary>
    public static Tensor Random(int seed, double low, double high, params int[] shape)
    {
        var rng = new Random(seed);
        var s = new Shape(shape);
        var values = new double[s.Size];
        for (int i = 0; i < values.Length; i++) values[i] = low + (high - low) * rng.NextDouble();
        return Tensor.FromSpan<double>(values, s);
    }
}
