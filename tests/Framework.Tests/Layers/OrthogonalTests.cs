using Framework.Layers;
using Framework.Tensors;

namespace Framework.Tests.Layers;

public class OrthogonalTests
{
    private static double MaxDeviationFromIdentity(float[] w, int rows, int cols)
    {
        // The Gram matrix of the shorter side: rows·rowsᵀ when rows ≤ cols, else colsᵀ·cols.
        int n = Math.Min(rows, cols);
        double worst = 0;
        for (int a = 0; a < n; a++)
        {
            for (int b = 0; b < n; b++)
            {
                double dot = 0;
                for (int k = 0; k < Math.Max(rows, cols); k++)
                    dot += rows <= cols ? (double)w[a * cols + k] * w[b * cols + k] : (double)w[k * cols + a] * w[k * cols + b];
                worst = Math.Max(worst, Math.Abs(dot - (a == b ? 1 : 0)));
            }
        }
        return worst;
    }

    [TestCase(32, 128)]
    [TestCase(128, 32)]
    [TestCase(20, 20)]
    public void Create_Seeded_ShorterSideIsOrthonormal(int rows, int cols)
    {
        var w = new Orthogonal(seed: 3).Create([rows, cols], DType.Float32).ToArray<float>();
        Assert.That(MaxDeviationFromIdentity(w, rows, cols), Is.LessThan(1e-5));
    }

    [Test]
    public void Create_GainAndSeed_ScaleAndReproduce()
    {
        var a = new Orthogonal(gain: 2, seed: 9).Create([6, 6], DType.Float32).ToArray<float>();
        var b = new Orthogonal(gain: 2, seed: 9).Create([6, 6], DType.Float32).ToArray<float>();
        var unit = new Orthogonal(seed: 9).Create([6, 6], DType.Float32).ToArray<float>();
        Assert.That(a, Is.EqualTo(b));
        Assert.That(a, Is.EqualTo(unit.Select(v => 2 * v)).Within(1e-6));
        Assert.That(new Orthogonal(seed: 10).Create([6, 6], DType.Float32).ToArray<float>(), Is.Not.EqualTo(unit));
    }

    [Test]
    public void Create_Rank3_OrthogonalOverFlattenedLeadingDimensions()
    {
        var w = new Orthogonal(seed: 4).Create([2, 3, 5], DType.Float32).ToArray<float>();
        Assert.That(MaxDeviationFromIdentity(w, 6, 5), Is.LessThan(1e-5));
    }

    [Test]
    public void Create_VectorOrBadGain_ClearErrors()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Orthogonal(gain: 0));
        var e = Assert.Throws<ArgumentException>(() => new Orthogonal().Create([5], DType.Float32));
        Assert.That(e!.Message, Does.Contain("rank 2").And.Contain("(5,)"));
    }

    [Test]
    public void Config_RoundTripsByKerasName()
    {
        var config = new Orthogonal(gain: 1.5, seed: 7).GetConfig();
        Assert.That(config["class_name"], Is.EqualTo("Orthogonal"));
        var again = (Orthogonal)Initializers.FromConfig(config);
        Assert.That((again.Gain, again.Seed), Is.EqualTo((1.5, (long?)7)));
        Assert.That(Initializers.Get("orthogonal"), Is.InstanceOf<Orthogonal>());
    }
}
