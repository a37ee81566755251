using Framework.Tensors;
using Framework.Tests.Helpers;
using static Framework.Tests.Helpers.GradientChecker;

namespace Framework.Tests.Tensors;

/// <summary>Convolution and pooling ops against direct loops written from the definitions, shapes, chunking and errors.</summary>
/// <remarks>
/// On both backends with the same tolerances: the float64 comparisons (1e-12) hold for libtorch's convolutions, which
/// sum in another order but in float64; the float32 ones (1e-4 to 1e-5) cover either summation order. The max-pool tie
/// test checks that libtorch, like our kernel, routes the gradient to the first maximum of a window.
/// </remarks>
[TestFixtureSource(typeof(TestDevices), nameof(TestDevices.Both))]
public class ConvolutionOpsTests(Device device) : OnDevice(device)
{
    /// <summary>The definition: y[n,i,j,o] = Σ x[n, i·sh + p·dh − top, j·sw + q·dw − left, c] · w[p,q,c,o], zero outside.</summary>
    private static double[] NaiveConv(Tensor x, Tensor w, int sh, int sw, int dh, int dw, int top, int left, int outH, int outW)
    {
        var (xs, ws) = (x.ToArray<double>(), w.ToArray<double>());
        int n = x.Shape[0], h = x.Shape[1], wd = x.Shape[2], c = x.Shape[3], kh = w.Shape[0], kw = w.Shape[1], o = w.Shape[3];
        var y = new double[n * outH * outW * o];
        for (int b = 0; b < n; b++)
        for (int i = 0; i < outH; i++)
        for (int j = 0; j < outW; j++)
        for (int f = 0; f < o; f++)
        {
            double sum = 0;
            for (int p = 0; p < kh; p++)
            for (int q = 0; q < kw; q++)
            {
                int r = i * sh + p * dh - top, s = j * sw + q * dw - left;
                if (r < 0 || r >= h || s < 0 || s >= wd) continue;
                for (int ch = 0; ch < c; ch++) sum += xs[((b * h + r) * wd + s) * c + ch] * ws[((p * kw + q) * c + ch) * o + f];
            }
            y[((b * outH + i) * outW + j) * o + f] = sum;
        }
        return y;
    }

    [Test]
    public void Conv2D_Valid_MatchesDefinition()
    {
        var (x, w) = (Random(1, -1, 1, 2, 6, 5, 3), Random(2, -1, 1, 3, 2, 3, 4));
        var y = x.Conv2D(w);
        Assert.That(y.Shape, Is.EqualTo(new Shape(2, 4, 4, 4)));
        TensorAssert.AllClose(NaiveConv(x, w, 1, 1, 1, 1, 0, 0, 4, 4), y, 1e-12, 1e-12);
    }

    [Test]
    public void Conv2D_SameStrided_PadsAsTensorFlow_ExtraPaddingAfter()
    {
        // Height 5, kernel 4, stride 2: out 3, total padding (3−1)·2 + 4 − 5 = 3 → 1 above, 2 below.
        // Width 6, kernel 3, stride 2: out 3, total (3−1)·2 + 3 − 6 = 1 → 0 left, 1 right.
        var (x, w) = (Random(3, -1, 1, 2, 5, 6, 2), Random(4, -1, 1, 4, 3, 2, 3));
        var y = x.Conv2D(w, strides: 2, padding: Padding.Same);
        Assert.That(y.Shape, Is.EqualTo(new Shape(2, 3, 3, 3)));
        TensorAssert.AllClose(NaiveConv(x, w, 2, 2, 1, 1, 1, 0, 3, 3), y, 1e-12, 1e-12);
    }

    [Test]
    public void Conv2D_DilatedSame_MatchesDefinition()
    {
        var (x, w) = (Random(5, -1, 1, 1, 7, 8, 2), Random(6, -1, 1, 3, 2, 2, 2));
        var y = x.Conv2D(w, strides: (1, 2), padding: Padding.Same, dilation: (2, 3));
        // Height: span 5, out 7, total 4 → top 2. Width: span 4, stride 2, out 4, total 3·2 + 4 − 8 = 2 → left 1.
        TensorAssert.AllClose(NaiveConv(x, w, 1, 2, 2, 3, 2, 1, 7, 4), y, 1e-12, 1e-12);
    }

    [Test]
    public void Conv1D_Causal_SeesOnlyEarlierSteps()
    {
        var (x, w) = (Random(7, -1, 1, 1, 6, 2), Random(8, -1, 1, 3, 2, 1));
        var y = x.Conv1D(w, padding: Padding.Causal);
        var changed = x.ToArray<double>();
        changed[5 * 2] += 1;   // the last step
        var y2 = Tensor.FromSpan<double>(changed, x.Shape).Conv1D(w, padding: Padding.Causal);
        Assert.That(y2.ToArray<double>()[..5], Is.EqualTo(y.ToArray<double>()[..5]));
        TensorAssert.AllClose(NaiveConv(x.Reshape(1, 1, 6, 2), w.Reshape(1, 3, 2, 1), 1, 1, 1, 1, 0, 2, 1, 6), y.Reshape(1, 1, 6, 1), 1e-12, 1e-12);
    }

    // 50×50 with a 3×3 kernel: 2,304 output pixels per image, one image per chunk, five chunks. 64 channels in: im2col
    // blocks of 224 rows that cross image boundaries, two chunks. A 1×1 kernel over 64 channels: blocks of 2,048 rows.
    [TestCase(5, 50, 3, 8, 3)]
    [TestCase(7, 20, 64, 4, 3)]
    [TestCase(3, 50, 64, 5, 1)]
    public void Conv2D_ManyChunksAndBlocks_GradientsEqualPerImageGradients_BitIdenticalOnOneAndTwoThreads(int batch, int size, int cin, int cout, int k)
    {
        var x = LayerTester.Random(9, [batch, size, size, cin]);
        var w = LayerTester.Random(10, [k, k, cin, cout]);
        int inner = size - 2;
        var gy = LayerTester.Random(11, [batch, inner, inner, cout]);
        Tensor Loss(Tensor input, Tensor kernel, Tensor weights) => (input.Conv2D(kernel, padding: Padding.Same).Slice(1, inner, 1).Slice(2, inner, 1) * weights).Sum();
        (float[] Y, float[] Dx, float[] Dw) Run(int threads)
        {
            int saved = Threading.MaxThreads;
            Threading.MaxThreads = threads;
            try
            {
                var (xl, wl) = (x.Clone().RequireGrad(), w.Clone().RequireGrad());
                Loss(xl, wl, gy).Backward();
                return (xl.Conv2D(wl, padding: Padding.Same).ToArray<float>(), xl.Grad!.ToArray<float>(), wl.Grad!.ToArray<float>());
            }
            finally
            {
                Threading.MaxThreads = saved;
            }
        }
        var one = Run(1);
        var two = Run(2);
        Assert.That(two.Y, Is.EqualTo(one.Y));
        Assert.That(two.Dx, Is.EqualTo(one.Dx));
        Assert.That(two.Dw, Is.EqualTo(one.Dw));

        int pad = k / 2;
        TensorAssert.AllClose(NaiveConv(x.Cast(DType.Float64), w.Cast(DType.Float64), 1, 1, 1, 1, pad, pad, size, size), Tensor.FromSpan<float>(one.Y, [batch, size, size, cout]), 1e-4, 1e-5);
        var dwSum = new double[w.Size];
        for (int b = 0; b < batch; b++)
        {
            var (xb, wl) = (x.Slice(b, 1).Clone().RequireGrad(), w.Clone().RequireGrad());
            Loss(xb, wl, gy.Slice(b, 1)).Backward();
            TensorAssert.AllClose(xb.Grad!.Cast(DType.Float64).ToArray<double>(), Tensor.FromSpan<float>(one.Dx, x.Shape).Slice(b, 1), 1e-5, 1e-5);
            var g = wl.Grad!.Cast(DType.Float64).ToArray<double>();
            for (int i = 0; i < g.Length; i++) dwSum[i] += g[i];
        }
        TensorAssert.AllClose(dwSum, Tensor.FromSpan<float>(one.Dw, w.Shape), 1e-3, 1e-4);
    }

    // The float32 forward's implicit GEMM (Conv2DDirect, on AVX-512 machines): 8-pixel tiles that cross rows and images,
    // a ragged last tile, windows over every border, strides, dilation (copied segments), and out channels that fill one
    // panel, part of one, or two and a part. The im2col + SGEMM path is the second, independent answer.
    [TestCase(3, 9, 7, 5, 40, 3, 3, 1, 1, 1, 1, Padding.Same)]
    [TestCase(2, 11, 10, 3, 32, 3, 2, 2, 3, 1, 1, Padding.Same)]
    [TestCase(2, 12, 9, 4, 70, 2, 3, 1, 1, 2, 3, Padding.Same)]
    [TestCase(5, 8, 8, 1, 7, 3, 3, 1, 1, 1, 1, Padding.Valid)]
    [TestCase(2, 1, 17, 6, 33, 1, 5, 1, 2, 1, 1, Padding.Valid)]
    public void Conv2D_Float32Forward_MatchesDefinitionAndIm2ColPath(int batch, int h, int w, int cin, int cout, int kh, int kw, int sh, int sw, int dh, int dw, Padding padding)
    {
        var x = LayerTester.Random(13, [batch, h, w, cin]);
        var kernel = LayerTester.Random(14, [kh, kw, cin, cout]);
        var g = Framework.Tensors.Backends.WindowGeometry.Create("test", x.Shape, (kh, kw), (sh, sw), (dh, dw), padding);
        var y = x.Conv2D(kernel, strides: (sh, sw), padding: padding, dilation: (dh, dw));
        Assert.That(y.Shape, Is.EqualTo(new Shape(batch, g.OutH, g.OutW, cout)));
        var expected = NaiveConv(x.Cast(DType.Float64), kernel.Cast(DType.Float64), sh, sw, dh, dw, g.PadTop, g.PadLeft, g.OutH, g.OutW);
        TensorAssert.AllClose(expected, y, 1e-5, 1e-5);
        Framework.Tensors.Kernels.Conv2DDirect.Enabled = false;
        try
        {
            TensorAssert.AllClose(y.ToArray<float>().Select(v => (double)v).ToArray(), x.Conv2D(kernel, strides: (sh, sw), padding: padding, dilation: (dh, dw)), 1e-5, 1e-5);
        }
        finally
        {
            Framework.Tensors.Kernels.Conv2DDirect.Enabled = true;
        }
    }

    [Test]
    public void MaxPool2D_HandExample_SameAndValid()
    {
        var x = Tensor.FromArray(new double[] { 1, 5, 2, 7, 3, 4, 9, 0, 6 }, 1, 3, 3, 1);
        TensorAssert.AllClose([7], x.MaxPool2D(2));
        // Same, stride 2 over 3: out 2, total padding 1 → 0 before, 1 after; windows are clipped at the border.
        TensorAssert.AllClose([7, 4, 9, 6], x.MaxPool2D(2, padding: Padding.Same));
    }

    [Test]
    public void AvgPool2D_Same_DividesByTheElementsInsideTheWindow()
    {
        var x = Tensor.FromArray(new double[] { 1, 5, 2, 7, 3, 4, 9, 0, 6 }, 1, 3, 3, 1);
        TensorAssert.AllClose([(1 + 5 + 7 + 3) / 4.0, (2 + 4) / 2.0, (9 + 0) / 2.0, 6], x.AvgPool2D(2, padding: Padding.Same), 1e-12);
        TensorAssert.AllClose([(1 + 5 + 2 + 7 + 3 + 4 + 9 + 0 + 6) / 9.0], x.AvgPool2D(3), 1e-12);
    }

    [Test]
    public void MaxPool2D_Ties_GradientGoesToTheFirstMaximumOnly()
    {
        var x = Tensor.FromArray(new double[] { 3, 3, 1, 3 }, 1, 2, 2, 1).RequireGrad();
        x.MaxPool2D(2).Sum().Backward();
        Assert.That(x.Grad!.ToArray<double>(), Is.EqualTo(new double[] { 1, 0, 0, 0 }));
    }

    [Test]
    public void Pool1D_MatchesPool2DOfHeightOne()
    {
        var x = Random(12, -1, 1, 2, 7, 3);
        TensorAssert.AllClose(x.Reshape(2, 1, 7, 3).MaxPool2D((1, 3), (1, 2), Padding.Same).Reshape(2, 4, 3), x.MaxPool1D(3, 2, Padding.Same), 0, 0);
        TensorAssert.AllClose(x.Reshape(2, 1, 7, 3).AvgPool2D((1, 2)).Reshape(2, 3, 3), x.AvgPool1D(2), 0, 0);
    }

    [Test]
    public void Conv2D_ChannelMismatch_ThrowsNamingShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros([1, 5, 5, 3]).Conv2D(Tensor.Zeros([3, 3, 2, 4])));
        Assert.That(ex!.Message, Does.Contain("(3, 3, 2, 4)").And.Contain("(1, 5, 5, 3)").And.Contain("input channels"));
        var conv1d = Assert.Throws<ArgumentException>(() => Tensor.Zeros([1, 5, 3]).Conv1D(Tensor.Zeros([3, 2, 4])));
        Assert.That(conv1d!.Message, Does.StartWith("Conv1D:").And.Contain("expects 2 input channels but the input has 3"));
    }

    [Test]
    public void Conv2D_ValidKernelLargerThanInput_ThrowsNamingSizes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros([1, 2, 5, 1]).Conv2D(Tensor.Zeros([3, 3, 1, 1])));
        Assert.That(ex!.Message, Does.Contain("'valid'").And.Contain("(1, 2, 5, 1)"));
    }

    [Test]
    public void Conv2D_WrongRankOrCausal_Throws()
    {
        Assert.That(Assert.Throws<ArgumentException>(() => Tensor.Zeros([5, 5, 3]).Conv2D(Tensor.Zeros([3, 3, 3, 4])))!.Message, Does.Contain("(5, 5, 3)"));
        Assert.That(Assert.Throws<ArgumentException>(() => Tensor.Zeros([1, 5, 5, 3]).Conv2D(Tensor.Zeros([3, 3, 3, 4]), padding: Padding.Causal))!.Message,
            Does.Contain("causal"));
        Assert.Throws<ArgumentException>(() => Tensor.Zeros([1, 5, 5, 3]).MaxPool2D(0));
    }
}
