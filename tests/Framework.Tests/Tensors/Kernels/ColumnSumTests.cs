using Framework.Tensors.Kernels;

namespace Framework.Tests.Tensors.Kernels;

/// <summary>The column-sum kernel: every path gives the bits of a plain top-to-bottom running sum per column.</summary>
public class ColumnSumTests
{
    private static IEnumerable<string> Paths() =>
        Enum.GetValues<ColumnSum.Path>().Where(p => p <= ColumnSum.Best).Select(p => p.ToString());

    [TestCaseSource(nameof(Paths))]
    public void Float_MatchesRunningSumBitForBit(string path)
    {
        var rng = new Random(3);
        // Widths that exercise the four-vector, one-vector and scalar loops; a stride wider than the block.
        foreach (int columns in new[] { 1, 7, 16, 63, 64, 65, 200, 1024 })
        {
            int rows = 37, stride = columns + 5;
            var x = new float[rows * stride];
            for (int i = 0; i < x.Length; i++) x[i] = (float)(rng.NextDouble() * 2e3 - 1e3);
            var y = new float[columns];
            ColumnSum.Sum<float>(x, rows, stride, y, Enum.Parse<ColumnSum.Path>(path));
            for (int c = 0; c < columns; c++)
            {
                float expected = x[c];
                for (int j = 1; j < rows; j++) expected += x[j * stride + c];
                Assert.That(BitConverter.SingleToInt32Bits(y[c]), Is.EqualTo(BitConverter.SingleToInt32Bits(expected)), $"column {c} of {columns}");
            }
        }
    }

    [TestCaseSource(nameof(Paths))]
    public void DoubleAndInt_MatchRunningSum(string path)
    {
        int rows = 5, columns = 41;
        var xd = Enumerable.Range(0, rows * columns).Select(i => i * 0.1).ToArray();
        var xi = Enumerable.Range(0, rows * columns).ToArray();
        var yd = new double[columns];
        var yi = new int[columns];
        ColumnSum.Sum<double>(xd, rows, columns, yd, Enum.Parse<ColumnSum.Path>(path));
        ColumnSum.Sum<int>(xi, rows, columns, yi, Enum.Parse<ColumnSum.Path>(path));
        for (int c = 0; c < columns; c++)
        {
            double d = xd[c];
            int n = xi[c];
            for (int j = 1; j < rows; j++)
            {
                d += xd[j * columns + c];
                n += xi[j * columns + c];
            }
            Assert.That(yd[c], Is.EqualTo(d));
            Assert.That(yi[c], Is.EqualTo(n));
        }
    }

    [Test]
    public void BlockPastTheSource_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ColumnSum.Sum<float>(new float[10], 3, 4, new float[3]));
}
