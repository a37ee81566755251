using Framework.Optimizers;
using Framework.Tensors;
using Framework.Tests.Helpers;
using Framework.Training;

namespace Framework.Tests.Serialization.Checkpoints;

/// <summary>A slot optimizer shaped like Keras's OptimizerV2 Adam in the object graph (m then v slots), with a simple update.</summary>
public sealed class TwoSlotOptimizer(double learningRate = 0.05) : Optimizer("TwoSlot", learningRate)
{
    protected override void Build(IReadOnlyList<Variable> variables)
    {
        foreach (var v in variables) AddSlot(v, "m");
        foreach (var v in variables) AddSlot(v, "v");
    }

    protected override void UpdateStep(Variable variable, Tensor gradient, float learningRate)
    {
        var m = Slot(variable, "m");
        var v = Slot(variable, "v");
        m.Assign(m.Value * 0.9f + gradient * 0.1f);
        v.Assign(v.Value * 0.99f + gradient * gradient * 0.01f);
        variable.AssignSub(m.Value * learningRate);
    }
}

internal static class CheckpointModels
{
    /// <summary>Linear → ReLU → Linear: the object graph of Dense → Dropout → Dense.</summary>
    public static Sequential NewModel() => new([new TestLinear(5, seed: 21), new TestRelu(), new TestLinear(3, seed: 22)]);

    public static Sequential Trained(int epochs = 2)
    {
        var model = NewModel();
        model.Compile(new TwoSlotOptimizer(), new MeanSquaredError());
        var (x, y) = Data();
        model.Fit(x, y, epochs: epochs, batchSize: 8, verbose: 0);
        return model;
    }

    public static (Tensor X, Tensor Y) Data()
    {
        var (x, _) = ToyData.Blobs(32, seed: 9);
        var y = new float[32 * 3];
        var xs = x.ToArray<float>();
        for (int i = 0; i < 32; i++)
            for (int j = 0; j < 3; j++) y[i * 3 + j] = xs[i * 4 + j] - xs[i * 4 + 3];
        return (x, Tensor.FromSpan<float>(y, new Shape(32, 3)));
    }

    public static float[][] Values(Sequential model) => [.. model.GetWeightValues()];
}

/// <summary>y = x·W (+ b) with a fixed display name and deterministic weights, for exact message checks.</summary>
public sealed class NamedLinear(string name, int units, bool useBias = true, float start = 0.01f) : Framework.Layers.Layer(name)
{
    private Variable _w = null!;
    private Variable? _b;

    protected override void Build(Shape input)
    {
        _w = AddWeight("kernel", [input[-1], units], new Ramp(start));
        if (useBias) _b = AddWeight("bias", [units], new Ramp(-start));
    }

    protected override Tensor Call(Tensor x, bool training) => _b is null ? x.MatMul(_w) : x.MatMul(_w) + _b;
}

/// <summary>Fills start, 2·start, 3·start...</summary>
public sealed class Ramp(float start) : Framework.Layers.Initializer
{
    public override Tensor Create(Shape shape, DType dtype)
    {
        var values = new float[shape.Size];
        for (int i = 0; i < values.Length; i++) values[i] = start * (i + 1);
        return Tensor.FromSpan<float>(values, shape);
    }

    public override Dictionary<string, object?> GetConfig() => new() { ["start"] = start };
}

/// <summary>A subclassed-model-like container: one child layer tracked as <c>l1</c> (the TF checkpoint guide's Net).</summary>
public sealed class GuideNet : Framework.Layers.Layer
{
    public GuideNet() => L1 = Track("l1", new TestLinear(5));

    public TestLinear L1 { get; }

    protected override Tensor Call(Tensor x, bool training) => L1.Apply(x, training);
}
