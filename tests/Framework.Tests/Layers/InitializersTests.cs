using System.Text.Json;
using Framework.Layers;
using Framework.Tensors;

namespace Framework.Tests.Layers;

public class InitializersTests
{
    private static double[] Values(Initializer initializer, Shape shape) =>
        initializer.Create(shape, DType.Float32).Cast(DType.Float64).ToArray<double>();

    private static double Std(double[] v)
    {
        double mean = v.Average();
        return Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / v.Length);
    }

    [Test]
    public void GlorotUniform_Seeded_WithinLimitWithUniformVariance()
    {
        var v = Values(new GlorotUniform(seed: 3), [200, 300]);
        double limit = Math.Sqrt(6.0 / (200 + 300));
        Assert.That(v.Max(Math.Abs), Is.LessThanOrEqualTo(limit).And.GreaterThan(0.99 * limit));
        Assert.That(Std(v), Is.EqualTo(limit / Math.Sqrt(3)).Within(2).Percent);
        Assert.That(v.Average(), Is.EqualTo(0).Within(0.01 * limit));
    }

    [Test]
    public void HeNormal_Seeded_StdIsSqrtTwoOverFanInAndTruncatedAtTwoSigma()
    {
        var v = Values(new HeNormal(seed: 5), [400, 250]);
        double std = Math.Sqrt(2.0 / 400);
        Assert.That(Std(v), Is.EqualTo(std).Within(2).Percent);
        Assert.That(v.Max(Math.Abs), Is.LessThanOrEqualTo(2 * std / 0.87962566103423978 * (1 + 1e-6)));
    }

    [Test]
    public void HeUniform_Seeded_LimitIsSqrtSixOverFanIn()
    {
        var v = Values(new HeUniform(seed: 6), [150, 400]);
        double limit = Math.Sqrt(6.0 / 150);
        Assert.That(v.Max(Math.Abs), Is.LessThanOrEqualTo(limit).And.GreaterThan(0.99 * limit));
    }

    [Test]
    public void GlorotNormal_Seeded_StdIsSqrtTwoOverFanSum()
    {
        var v = Values(new GlorotNormal(seed: 8), [300, 500]);
        Assert.That(Std(v), Is.EqualTo(Math.Sqrt(2.0 / 800)).Within(2).Percent);
    }

    [Test]
    public void ComputeFans_ConvolutionKernel_MultipliesByReceptiveField()
    {
        Assert.That(VarianceScaling.ComputeFans([3, 3, 16, 32]), Is.EqualTo((144.0, 288.0)));
        Assert.That(VarianceScaling.ComputeFans([7, 9]), Is.EqualTo((7.0, 9.0)));
        Assert.That(VarianceScaling.ComputeFans([5]), Is.EqualTo((5.0, 5.0)));
        Assert.That(VarianceScaling.ComputeFans(Shape.Scalar), Is.EqualTo((1.0, 1.0)));
    }

    [TestCaseSource(nameof(SeededInitializers))]
    public void Create_SameSeedTwice_SameValues_OtherSeed_Different(Func<long, Initializer> make)
    {
        var first = Values(make(1), [6, 7]);
        Assert.That(Values(make(1), [6, 7]), Is.EqualTo(first));
        var instance = make(1);
        var once = Values(instance, [6, 7]);
        Assert.That(Values(instance, [6, 7]), Is.EqualTo(once), "a seeded instance keeps no hidden state");
        Assert.That(once, Is.EqualTo(first));
        Assert.That(Values(make(2), [6, 7]), Is.Not.EqualTo(first));
    }

    public static IEnumerable<Func<long, Initializer>> SeededInitializers() =>
    [
        s => new GlorotUniform(s), s => new GlorotNormal(s), s => new HeNormal(s), s => new HeUniform(s),
        s => new RandomNormal(0, 1, s), s => new RandomUniform(-1, 1, s), s => new TruncatedNormal(0, 1, s),
    ];

    [Test]
    public void Create_Unseeded_FollowsGlobalSeed()
    {
        RandomGenerator.SetGlobalSeed(9);
        var first = Values(Initializers.GlorotUniform, [4, 4]);
        var next = Values(Initializers.GlorotUniform, [4, 4]);
        RandomGenerator.SetGlobalSeed(9);
        Assert.That(Values(new GlorotUniform(), [4, 4]), Is.EqualTo(first));
        Assert.That(next, Is.Not.EqualTo(first), "successive unseeded draws continue the global stream");
    }

    [Test]
    public void RandomNormalAndUniform_Seeded_MatchRequestedMoments()
    {
        var n = Values(new RandomNormal(2, 0.5, seed: 1), [100, 100]);
        Assert.That(n.Average(), Is.EqualTo(2).Within(0.02));
        Assert.That(Std(n), Is.EqualTo(0.5).Within(2).Percent);
        var u = Values(new RandomUniform(1, 3, seed: 1), [100, 100]);
        Assert.That(u.Min(), Is.GreaterThanOrEqualTo(1));
        Assert.That(u.Max(), Is.LessThan(3));
        Assert.That(u.Average(), Is.EqualTo(2).Within(0.02));
    }

    [Test]
    public void Create_Float64_SameValuesAsFloat32()
    {
        var single = new HeUniform(3).Create([5, 4], DType.Float32).Cast(DType.Float64).ToArray<double>();
        var wide = new HeUniform(3).Create([5, 4], DType.Float64);
        Assert.That(wide.DType, Is.EqualTo(DType.Float64));
        Assert.That(wide.ToArray<double>(), Is.EqualTo(single));
    }

    [Test]
    public void ZerosOnesConstant_FillWithTheirValue()
    {
        Assert.That(Values(Initializers.Zeros, [2, 3]), Is.All.EqualTo(0.0));
        Assert.That(Values(Initializers.Ones, [4]), Is.All.EqualTo(1.0));
        Assert.That(Values(new Constant(2.5), [3, 1]), Is.All.EqualTo(2.5));
        Assert.That(new Constant(1).Create([2], DType.Float64).DType, Is.EqualTo(DType.Float64));
    }

    [TestCase("glorot_uniform", typeof(GlorotUniform))]
    [TestCase("GlorotUniform", typeof(GlorotUniform))]
    [TestCase("he_normal", typeof(HeNormal))]
    [TestCase("he_uniform", typeof(HeUniform))]
    [TestCase("glorot_normal", typeof(GlorotNormal))]
    [TestCase("zeros", typeof(Zeros))]
    [TestCase("ones", typeof(Ones))]
    [TestCase("constant", typeof(Constant))]
    [TestCase("random_normal", typeof(RandomNormal))]
    [TestCase("random_uniform", typeof(RandomUniform))]
    [TestCase("truncated_normal", typeof(TruncatedNormal))]
    [TestCase("variance_scaling", typeof(VarianceScaling))]
    public void Get_KerasName_ReturnsThatInitializer(string name, Type expected) =>
        Assert.That(Initializers.Get(name), Is.TypeOf(expected));

    [Test]
    public void Get_UnknownName_ThrowsListingKnownNames()
    {
        var ex = Assert.Throws<ArgumentException>(() => Initializers.Get("lecun_magic"));
        Assert.That(ex!.Message, Does.Contain("'lecun_magic'").And.Contain("glorot_uniform").And.Contain("he_normal"));
    }

    [TestCaseSource(nameof(Configured))]
    public void FromConfig_JsonRoundTrip_SameConfigAndValues(Initializer initializer)
    {
        var json = JsonSerializer.Serialize(initializer.GetConfig());
        var copy = Initializers.FromConfig(JsonSerializer.Deserialize<JsonElement>(json));
        Assert.That(copy.GetType(), Is.EqualTo(initializer.GetType()));
        Assert.That(JsonSerializer.Serialize(copy.GetConfig()), Is.EqualTo(json));
        Assert.That(Values(copy, [3, 5]), Is.EqualTo(Values(initializer, [3, 5])));
    }

    public static IEnumerable<Initializer> Configured() =>
    [
        new GlorotUniform(7), new GlorotNormal(7), new HeNormal(7), new HeUniform(7), new Zeros(), new Ones(), new Constant(0.3),
        new RandomNormal(1, 2, 7), new RandomUniform(-2, 2, 7), new TruncatedNormal(0.5, 0.1, 7), new VarianceScaling(3, "fan_out", "uniform", 7),
    ];

    [Test]
    public void GetConfig_GlorotUniform_IsKerasClassNameAndSeed()
    {
        var json = JsonSerializer.Serialize(new GlorotUniform(12).GetConfig());
        Assert.That(json, Is.EqualTo("{\"class_name\":\"GlorotUniform\",\"config\":{\"seed\":12}}"));
    }

    [Test]
    public void Constructor_InvalidArguments_ThrowWithReceivedValue()
    {
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => _ = new RandomNormal(0, -1))!.Message, Does.Contain("stddev=-1"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => _ = new RandomUniform(1, 0))!.Message, Does.Contain("maxval=0"));
        Assert.That(Assert.Throws<ArgumentException>(() => _ = new VarianceScaling(1, "fan_sideways"))!.Message, Does.Contain("'fan_sideways'"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => _ = new VarianceScaling(0))!.Message, Does.Contain("scale=0"));
    }
}
