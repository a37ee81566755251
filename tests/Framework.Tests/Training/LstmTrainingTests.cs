using Framework.Layers;
using Framework.Optimizers;
using Framework.Tensors;
using Framework.Training;

namespace Framework.Tests.Training;

/// <summary>An LSTM learns a small sequence task along the same loss curve as PyTorch from the same initial weights.</summary>
public class LstmTrainingTests
{
    private const int N = 32, T = 6, F = 2, U = 8;

    /// <summary>Epochs 0, 10, …, 50 and 59 of tests/tools/lstm_train_reference.py (PyTorch nn.LSTM + nn.Linear, SGD 0.5, float32).</summary>
    private static readonly double[] s_torchLosses =
        [2.3311471939086914, 0.19914016127586365, 0.07613229006528854, 0.05004597082734108, 0.040370069444179535, 0.03194945305585861, 0.025689689442515373];

    private static Tensor Values(Shape shape, double phase, double scale) =>
        Tensor.FromSpan<float>([.. Enumerable.Range(0, shape.Size).Select(i => (float)(scale * Math.Sin(0.7 * i + phase)))], shape);

    [Test]
    public void Fit_SumAndProductTask_FollowsPyTorchLossCurve()
    {
        var xs = Enumerable.Range(0, N * T * F).Select(i => (float)Math.Sin(0.37 * i + 0.2)).ToArray();
        var ys = Enumerable.Range(0, N).Select(n => (float)Enumerable.Range(0, T).Sum(t =>
        {
            float a = xs[(n * T + t) * F], b = xs[(n * T + t) * F + 1];
            return 0.3 * a + 0.5 * a * b;
        })).ToArray();
        var x = Tensor.FromArray(xs, N, T, F);
        var y = Tensor.FromArray(ys, N, 1);
        var lstm = new Lstm(U);
        var dense = new Dense(1);
        var model = new Sequential([lstm, dense], inputShape: [T, F]);
        lstm.Cell.Kernel.Assign(Values(new Shape(F, 4 * U), 0.2, 0.5));
        lstm.Cell.RecurrentKernel.Assign(Values(new Shape(U, 4 * U), 0.3, 0.3));
        dense.Kernel.Assign(Values(new Shape(U, 1), 0.4, 0.4));
        // The bias keeps its initial value: zeros with the forget block at 1 (unit_forget_bias), as the script sets.
        model.Compile(new Sgd(0.5), new MeanSquaredError());

        var losses = model.Fit(x, y, epochs: 60, batchSize: N, verbose: 0, shuffle: false)["loss"];

        double[] ours = [.. Enumerable.Range(0, 6).Select(i => losses[10 * i]), losses[59]];
        // float32 in both, different summation orders: the curves agree to a fraction of a percent over 60 steps.
        Assert.That(ours, Is.EqualTo(s_torchLosses).Within(0.5).Percent, string.Join(", ", ours));
        Assert.That(losses[59], Is.LessThan(0.02 * losses[0]), "the task is learned, not just matched");
    }
}
