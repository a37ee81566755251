using System.Text.Json;
using Framework.Layers;
using Framework.Tensors;

namespace Framework.Tests.Helpers;

/// <summary>A conformance check for layers, after Keras's <c>run_layer_test</c>.</summary>
/// <remarks>
/// The layers compute in float32 (weights are created as float32), so the gradient check is done in float32 with a
/// large step (1e-2) and relaxed tolerances; the objective Σ r ⊙ f(x) with random r is accumulated in float64 so
/// that summation rounding does not swamp the differences. This catches wrong or missing gradients (errors of
/// order 1), not last-bit errors, which the float64 op-level checks in <see cref="GradientChecker"/> cover.
/// </remarks>
public static class LayerTester
{
    private const double Eps = 1e-2, Atol = 2e-3, Rtol = 2e-2;
    private const int MaxProbes = 12;

    /// <summary>Builds a layer from <paramref name="factory"/> and checks it against <paramref name="expect"/>; returns the layer.</summary>
    public static Layer Run(Func<Layer> factory, LayerExpectations expect, int seed = 11)
    {
        var layer = factory();
        var x = Random(seed, expect.InputShape);
        var y = layer.Apply(x, expect.Training);
        Assert.That(y.Shape, Is.EqualTo(expect.OutputShape), $"output shape of {layer}");
        Assert.That(layer.ComputeOutputShape(expect.InputShape), Is.EqualTo(expect.OutputShape), $"ComputeOutputShape of {layer}");
        Assert.That(layer.TrainableWeights, Has.Count.EqualTo(expect.Trainable), $"trainable weights of {layer}");
        Assert.That(layer.NonTrainableWeights, Has.Count.EqualTo(expect.NonTrainable), $"non-trainable weights of {layer}");
        Assert.That(layer.Children.Select(c => c.Name), Is.EqualTo(expect.Children), $"tracked children of {layer}");
        if (expect.CheckGradients) CheckGradients(layer, x, expect.Training, seed);
        CheckConfigRoundTrip(layer, x);
        return layer;
    }

    /// <summary>Compares the gradients of Σ r ⊙ layer(x) for x and each trainable weight with central differences.</summary>
    public static void CheckGradients(Layer layer, Tensor x, bool training, int seed = 11)
    {
        var input = x.Clone().Detach().RequireGrad();
        foreach (var w in layer.TrainableWeights) w.ZeroGrad();
        var output = layer.Apply(input, training);
        var r = Random(seed + 1, output.Shape, DType.Float64);
        (output.Cast(DType.Float64) * r).Sum().Backward();
        double Objective(Tensor z)
        {
            using var _ = Autograd.NoGrad();
            return (layer.Apply(z, training).Cast(DType.Float64) * r).Sum().Item<double>();
        }

        var xs = x.ToArray<float>();
        Compare("the input", input.Grad, xs, values => Objective(Tensor.FromSpan<float>(values, x.Shape)));
        foreach (var w in layer.TrainableWeights)
        {
            var original = w.Value.ToArray<float>();
            Compare($"weight '{w.Name}'", w.Grad, original, values =>
            {
                w.Assign(Tensor.FromSpan<float>(values, w.Shape));
                return Objective(x);
            });
            w.Assign(Tensor.FromSpan<float>(original, w.Shape));
        }
    }

    /// <summary>Re-creates the layer through <see cref="LayerRegistry"/> from its JSON-serialized config, copies the weights, and expects the same config and inference output.</summary>
    public static void CheckConfigRoundTrip(Layer layer, Tensor x)
    {
        string className = LayerRegistry.GetClassName(layer);
        var json = JsonSerializer.Serialize(layer.GetConfig());
        var config = JsonSerializer.Deserialize<Dictionary<string, object?>>(json)!;
        var copy = LayerRegistry.Create(className, config);
        Assert.That(JsonSerializer.Serialize(copy.GetConfig()), Is.EqualTo(json), $"config round trip of {layer}");
        // Apply, not EnsureBuilt: a composite layer's children build on their first call.
        copy.Apply(x, training: false);
        Assert.That(copy.Weights, Has.Count.EqualTo(layer.Weights.Count));
        for (int i = 0; i < layer.Weights.Count; i++) copy.Weights[i].Assign(layer.Weights[i].Value);
        TensorAssert.AllClose(layer.Apply(x, training: false), copy.Apply(x, training: false), 1e-6, 1e-6);
    }

    /// <summary>A float tensor of uniform values in [-1, 1), seeded.</summary>
    public static Tensor Random(int seed, Shape shape, DType dtype = DType.Float32)
    {
        var rng = new Random(seed);
        var values = new double[shape.Size];
        for (int i = 0; i < values.Length; i++) values[i] = rng.NextDouble() * 2 - 1;
        var t = Tensor.FromSpan<double>(values, shape);
        return dtype == DType.Float64 ? t : t.Cast(dtype);
    }

    private static void Compare(string what, Tensor? analyticGrad, float[] values, Func<float[], double> objective)
    {
        Assert.That(analyticGrad, Is.Not.Null, $"no gradient reached {what}");
        var analytic = analyticGrad!.Cast(DType.Float64).ToArray<double>();
        int step = Math.Max(1, values.Length / MaxProbes);
        for (int i = 0; i < values.Length; i += step)
        {
            var shifted = (float[])values.Clone();
            shifted[i] = values[i] + (float)Eps;
            double plus = objective(shifted);
            shifted[i] = values[i] - (float)Eps;
            double minus = objective(shifted);
            double numeric = (plus - minus) / (2 * Eps);
            Assert.That(analytic[i], Is.EqualTo(numeric).Within(Atol + Rtol * Math.Abs(numeric)), $"gradient of {what} at flat index {i}");
        }
    }
}
