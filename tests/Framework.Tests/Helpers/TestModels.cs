using Framework.Layers;
using Framework.Optimizers;
using Framework.Tensors;

namespace Framework.Tests.Helpers;

/// <summary>A user-style layer: y = x·W + b with seeded uniform weights (stands in for Dense in engine-level tests).</summary>
public sealed class TestLinear(int units, long seed = 1) : Layer
{
    private Variable _w = null!;
    private Variable _b = null!;

    protected override void Build(Shape input)
    {
        _w = AddWeight("kernel", [input[-1], units], new SeededUniform(seed, 0.5));
        _b = AddWeight("bias", [units], new SeededUniform(seed + 1, 0.0));
    }

    protected override Tensor Call(Tensor x, bool training) => x.MatMul(_w) + _b;
}

/// <summary>A weightless user layer.</summary>
public sealed class TestRelu : Layer
{
    protected override Tensor Call(Tensor x, bool training) => x.Relu();
}

public sealed class SeededUniform(long seed, double limit) : Initializer
{
    public override Tensor Create(Shape shape, DType dtype)
    {
        var values = new float[shape.Size];
        new RandomGenerator(seed).FillUniform(values, (float)-limit - 1e-9f, (float)limit + 1e-9f);
        return Tensor.FromSpan<float>(values, shape);
    }

    public override Dictionary<string, object?> GetConfig() => new() { ["seed"] = seed, ["limit"] = limit };
}

/// <summary>A user-style optimizer: plain gradient descent.</summary>
public sealed class PlainSgd(double learningRate = 0.1) : Optimizer("PlainSgd", learningRate)
{
    protected override void UpdateStep(Variable variable, Tensor gradient, float learningRate) => variable.AssignSub(gradient * learningRate);
}

public static class ToyData
{
    /// <summary>Two Gaussian-ish blobs in 4-D labelled 0/1, seeded.</summary>
    public static (Tensor X, Tensor Y) Blobs(int n, long seed = 3)
    {
        var rng = new RandomGenerator(seed);
        var x = new float[n * 4];
        var y = new long[n];
        rng.FillNormal(x, 0, 1);
        for (int i = 0; i < n; i++)
        {
            y[i] = i % 2;
            for (int j = 0; j < 4; j++) x[i * 4 + j] += y[i] == 1 ? 1.5f : -1.5f;
        }
        return (Tensor.FromArray(x, n, 4), Tensor.FromArray(y));
    }
}
