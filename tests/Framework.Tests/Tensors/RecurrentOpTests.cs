using Framework.Tensors;
using static Framework.Tests.Helpers.GradientChecker;

namespace Framework.Tests.Tensors;

/// <summary>The fused LSTM sequence op: float64 finite-difference gradients of all four inputs, and its argument checks.</summary>
public class RecurrentOpTests
{
    // units = 5 runs the pointwise kernels' vector loop (4 doubles on AVX2) and their scalar tail; 9 covers 8-wide vectors.
    [TestCase(4, 2, 5)]
    [TestCase(1, 3, 9)]
    [TestCase(3, 1, 2)]
    public void LstmSequence_Gradients_MatchFiniteDifferences(int steps, int batch, int units)
    {
        const int Features = 3;
        Check(x => Tensor.LstmSequence(x[0], x[1], x[2], x[3], x[4], x[5]),
            [Random(1, -2, 2, steps, batch, Features), Random(2, -0.8, 0.8, Features, 4 * units), Random(3, -0.8, 0.8, units, 4 * units),
             Random(4, -1, 1, 4 * units), Random(5, -1, 1, batch, units), Random(6, -1, 1, batch, units)]);
    }

    // Float32 rows whose width is a multiple of 16 take the AVX-512 pointwise kernels (σ and tanh built on FloatExp) where
    // the machine has AVX-512; they must agree with the float64 run (the general kernels) to float precision, forward and
    // backward, with and without a bias, and saturate without NaN when the pre-activations are large (scale 40).
    [TestCase(16, true, 1.0)]
    [TestCase(32, false, 1.0)]
    [TestCase(16, true, 40.0)]
    public void LstmSequence_Float32WideRows_MatchFloat64(int units, bool withBias, double scale)
    {
        var (states64, grads64) = Run(DType.Float64);
        var (states32, grads32) = Run(DType.Float32);
        Assert.That(states32, Has.None.NaN);
        Assert.That(states32, Is.EqualTo(states64).Within(2e-6));
        for (int i = 0; i < grads64.Length; i++)
        {
            for (int j = 0; j < grads64[i].Length; j++)
                Assert.That(grads32[i][j], Is.EqualTo(grads64[i][j]).Within(2e-5 + 1e-5 * Math.Abs(grads64[i][j])), $"gradient of argument {i}, element {j}");
        }

        (double[] States, double[][] Grads) Run(DType dtype)
        {
            const int Steps = 4, Batch = 3, Features = 5;
            Tensor Arg(int seed, double limit, params int[] shape) => Random(seed, -limit, limit, shape).Cast(dtype).RequireGrad();
            Tensor[] args = [Arg(1, scale, Steps, Batch, Features), Arg(2, 0.5, Features, 4 * units), Arg(3, 0.5, units, 4 * units),
                Arg(4, 1, 4 * units), Arg(5, 1, Batch, units), Arg(6, 1, Batch, units)];
            var states = Tensor.LstmSequence(args[0], args[1], args[2], withBias ? args[3] : null, args[4], args[5]);
            // A different weight per state, so that every state's gradient differs.
            (states * Random(7, -1, 1, 2, Steps, Batch, units).Cast(dtype)).Sum().Backward();
            var grads = args.Where((_, i) => withBias || i != 3).Select(a => a.Grad!.Cast(DType.Float64).ToArray<double>()).ToArray();
            return (states.Cast(DType.Float64).ToArray<double>(), grads);
        }
    }

    [Test]
    public void LstmSequence_OnlyLastHiddenUsed_GradientsStillFlowThroughAllSteps()
    {
        // The usual use (return_sequences=False): the loss sees only h of the last step, so every earlier gradient comes
        // from the recurrence alone.
        Check(x => Tensor.LstmSequence(x[0], x[1], x[2], null, x[3], x[4]).Slice(0, 1).Slice(1, 4, 1),
            [Random(5, -2, 2, 5, 2, 2), Random(6, -0.8, 0.8, 2, 12), Random(7, -0.8, 0.8, 3, 12), Random(8, -1, 1, 2, 3), Random(9, -1, 1, 2, 3)]);
    }

    [Test]
    public void LstmSequence_MismatchedShapes_NameThem()
    {
        var x = Tensor.Zeros([4, 2, 5]);
        var k = Tensor.Zeros([5, 12]);
        var (h, c) = (Tensor.Zeros([2, 3]), Tensor.Zeros([2, 3]));
        var e = Assert.Throws<ArgumentException>(() => Tensor.LstmSequence(x, k, Tensor.Zeros([3, 8]), null, h, c));
        Assert.That(e!.Message, Does.Contain("(units, 4·units)").And.Contain("(3, 8)"));
        e = Assert.Throws<ArgumentException>(() => Tensor.LstmSequence(x, k, Tensor.Zeros([3, 12]), null, h, Tensor.Zeros([3, 3])));
        Assert.That(e!.Message, Does.Contain("initial states").And.Contain("(3, 3)"));
        e = Assert.Throws<ArgumentException>(() => Tensor.LstmSequence(x, Tensor.Zeros([4, 12]), Tensor.Zeros([3, 12]), null, h, c));
        Assert.That(e!.Message, Does.Contain("kernel must be (features, 4·units) = (5, 12)").And.Contain("(4, 12)"));
        e = Assert.Throws<ArgumentException>(() => Tensor.LstmSequence(x, k, Tensor.Zeros([3, 12]), Tensor.Zeros([3]), h, c));
        Assert.That(e!.Message, Does.Contain("bias"));
    }

    [TestCase(new[] { 2, 3, 5 }, new[] { 1, 0, 2 })]
    [TestCase(new[] { 2, 3, 4, 6 }, new[] { 2, 0, 1, 3 })]
    public void Transpose_KeepingLastAxis_MovesWholeRows(int[] shape, int[] permutation)
    {
        // The row-copy fast path (recurrent layers' batch-major ↔ time-major) against index arithmetic.
        var x = Tensor.Arange(0, new Shape(shape).Size, 1, DType.Float64).Reshape(shape);
        var y = x.Transpose(permutation);
        var strides = x.Shape.Strides();
        var expected = new double[y.Size];
        for (int n = 0; n < y.Size; n++)
        {
            int rest = n, source = 0;
            for (int d = y.Rank - 1; d >= 0; d--)
            {
                source += rest % y.Shape[d] * strides[permutation[d]];
                rest /= y.Shape[d];
            }
            expected[n] = source;
        }
        Assert.That(y.ToArray<double>(), Is.EqualTo(expected));
        Check(t => t[0].Transpose(permutation), [Random(3, -1, 1, shape)]);
    }
}
