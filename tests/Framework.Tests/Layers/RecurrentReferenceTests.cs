using Framework.Layers;
using Framework.Tensors;
using Framework.Tests.Helpers;
using static Framework.Tests.Layers.RecurrentReferenceData;

namespace Framework.Tests.Layers;

/// <summary>LSTM and GRU outputs, final states and gradients against PyTorch (tests/tools/rnn_reference.py), Keras weight layouts,
/// on both backends (the tolerances below already cover libtorch's few-ulp differences in sigmoid and tanh).</summary>
[TestFixtureSource(typeof(TestDevices), nameof(TestDevices.Both))]
public class RecurrentReferenceTests(Device device) : OnDevice(device)
{
    private const double Atol = 2e-6, Rtol = 2e-5;

    /// <summary>The script's <c>values(n, phase, scale)</c>: <c>scale · sin(0.7·i + phase)</c>.</summary>
    private static Tensor Values(Shape shape, double phase, double scale) =>
        Tensor.FromSpan<float>([.. Enumerable.Range(0, shape.Size).Select(i => (float)(scale * Math.Sin(0.7 * i + phase)))], shape);

    private static void SetWeights(RecurrentCell cell, int gates)
    {
        cell.Kernel.Assign(Values(new Shape(Features, gates * Units), 0.2, 0.5));
        cell.RecurrentKernel.Assign(Values(new Shape(Units, gates * Units), 0.3, 0.4));
        cell.Bias!.Assign(Values(cell.Bias.Shape, 0.4, 0.3));
    }

    private static (RecurrentOutput Result, Tensor X) Run(RecurrentLayer layer, RecurrentCell cell, int gates, int stateCount)
    {
        var x = Values(new Shape(Batch, Steps, Features), 0.1, 1.0).RequireGrad();
        layer.EnsureBuilt(x.Shape);
        SetWeights(cell, gates);
        Tensor[] initial = [Values(new Shape(Batch, Units), 0.5, 0.6), Values(new Shape(Batch, Units), 0.6, 0.6)];
        var result = layer.ApplyWithStates(x, initial[..stateCount], training: true);
        var loss = (result.Output * Values(new Shape(Batch, Steps, Units), 0.7, 1.0)).Sum()
            + (result.States[0] * Values(new Shape(Batch, Units), 0.8, 1.0)).Sum();
        if (stateCount == 2) loss += (result.States[1] * Values(new Shape(Batch, Units), 0.9, 1.0)).Sum();
        loss.Backward();
        return (result, x);
    }

    private static void AssertMatches(Dictionary<string, double[]> expected, RecurrentOutput result, Tensor x, RecurrentCell cell)
    {
        TensorAssert.AllClose(expected["seq"], result.Output, Atol, Rtol);
        TensorAssert.AllClose(expected["h"], result.States[0], Atol, Rtol);
        if (expected.TryGetValue("c", out var c)) TensorAssert.AllClose(c, result.States[1], Atol, Rtol);
        TensorAssert.AllClose(expected["dx"], x.Grad!, Atol, Rtol);
        TensorAssert.AllClose(expected["dkernel"], cell.Kernel.Grad!, Atol, Rtol);
        TensorAssert.AllClose(expected["drecurrent"], cell.RecurrentKernel.Grad!, Atol, Rtol);
        TensorAssert.AllClose(expected["dbias"], cell.Bias!.Grad!, Atol, Rtol);
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Lstm_SequencesStatesAndGradients_MatchPyTorch(bool fused)
    {
        var layer = new Lstm(Units, returnSequences: true);
        layer.Cell.UseFusedKernels = fused;
        var (result, x) = Run(layer, layer.Cell, 4, 2);
        AssertMatches(RecurrentReferenceData.Lstm, result, x, layer.Cell);
    }

    [Test]
    public void Gru_ResetAfter_SequencesStatesAndGradients_MatchPyTorch()
    {
        var layer = new Gru(Units, returnSequences: true);
        var (result, x) = Run(layer, layer.Cell, 3, 1);
        Assert.That(layer.Cell.Bias!.Shape, Is.EqualTo(new Shape(2, 3 * Units)));
        AssertMatches(GruResetAfter, result, x, layer.Cell);
    }

    [Test]
    public void Gru_ResetBefore_SequencesStatesAndGradients_MatchTorchFormula()
    {
        var layer = new Gru(Units, returnSequences: true, resetAfter: false);
        var (result, x) = Run(layer, layer.Cell, 3, 1);
        Assert.That(layer.Cell.Bias!.Shape, Is.EqualTo(new Shape(3 * Units)));
        AssertMatches(GruResetBefore, result, x, layer.Cell);
    }
}
