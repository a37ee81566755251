using System.Text.Json;
using Framework.Optimizers;

namespace Framework.Tests.Optimizers;

/// <summary>Creating optimizers from Keras names and from configs, including after a JSON round trip.</summary>
public class OptimizerFactoryTests
{
    [TestCase("adam", typeof(Adam))]
    [TestCase("Adam", typeof(Adam))]
    [TestCase("adamw", typeof(AdamW))]
    [TestCase("sgd", typeof(Sgd))]
    [TestCase("SGD", typeof(Sgd))]
    [TestCase("rmsprop", typeof(RmsProp))]
    [TestCase("adadelta", typeof(Adadelta))]
    [TestCase("Adagrad", typeof(Adagrad))]
    [TestCase("adamax", typeof(Adamax))]
    [TestCase("nadam", typeof(Nadam))]
    public void Create_KerasName_ReturnsOptimizerWithKerasDefaults(string name, Type expected)
    {
        var optimizer = OptimizerFactory.Create(name);
        Assert.That(optimizer, Is.TypeOf(expected));
        Assert.That(optimizer.LearningRate, Is.EqualTo(expected == typeof(Sgd) ? 0.01 : 0.001));
    }

    [Test]
    public void Create_UnknownName_ThrowsListingKnownNames()
    {
        var error = Assert.Throws<ArgumentException>(() => OptimizerFactory.Create("ftrl"));
        Assert.That(error!.Message, Does.Contain("'ftrl'").And.Contain("adadelta, adagrad, adam, adamax, adamw, nadam, rmsprop, sgd"));
    }

    private static IEnumerable<TestCaseData> Optimizers()
    {
        yield return new TestCaseData(new Adam(0.002, 0.8, 0.99, 1e-6, amsgrad: true) { ClipNorm = 2 }).SetArgDisplayNames("Adam");
        yield return new TestCaseData(new AdamW(new CosineDecay(0, 100, 0.1, 0.01, 10), weightDecay: 0.05)).SetArgDisplayNames("AdamW");
        yield return new TestCaseData(new Sgd(new PiecewiseConstantDecay([10, 20], [0.1, 0.01, 0.001]), 0.9, nesterov: true) { GlobalClipNorm = 1 }).SetArgDisplayNames("Sgd");
        yield return new TestCaseData(new RmsProp(new ExponentialDecay(0.01, 5, 0.9, true), 0.8, 0.3, 1e-5, centered: true) { ClipValue = 0.5 }).SetArgDisplayNames("RmsProp");
        yield return new TestCaseData(new Adadelta(1.0, rho: 0.9, epsilon: 1e-6) { ClipNorm = 1 }).SetArgDisplayNames("Adadelta");
        yield return new TestCaseData(new Adagrad(new ExponentialDecay(0.1, 10, 0.5), initialAccumulatorValue: 0.05, epsilon: 1e-6)).SetArgDisplayNames("Adagrad");
        yield return new TestCaseData(new Adamax(0.002, 0.8, 0.99, 1e-6) { ClipValue = 2 }).SetArgDisplayNames("Adamax");
        yield return new TestCaseData(new Nadam(new CosineDecay(0.01, 50), 0.85, 0.995, 1e-5)).SetArgDisplayNames("Nadam");
    }

    [TestCaseSource(nameof(Optimizers))]
    public void FromConfig_AfterJsonRoundTrip_RebuildsTheSameConfig(Optimizer optimizer)
    {
        string json = JsonSerializer.Serialize(optimizer.GetConfig());
        var parsed = JsonSerializer.Deserialize<Dictionary<string, object?>>(json)!;
        var copy = OptimizerFactory.FromConfig(parsed);
        Assert.That(copy.GetType(), Is.EqualTo(optimizer.GetType()));
        Assert.That(JsonSerializer.Serialize(copy.GetConfig()), Is.EqualTo(json));
    }

    [Test]
    public void FromConfig_KerasEnvelopeWithMissingKeys_UsesGivenValuesAndDefaults()
    {
        var config = new Dictionary<string, object?>
        {
            ["class_name"] = "Adam",
            ["config"] = new Dictionary<string, object?> { ["learning_rate"] = 0.002, ["beta_1"] = 0.8f, ["clipnorm"] = null },
        };
        var adam = (Adam)OptimizerFactory.FromConfig(config);
        Assert.That(adam.LearningRate, Is.EqualTo(0.002));
        Assert.That(adam.Beta1, Is.EqualTo(0.8).Within(1e-7));
        Assert.That(adam.Beta2, Is.EqualTo(0.999));
        Assert.That(adam.ClipNorm, Is.Null);
    }

    [Test]
    public void FromConfig_WeightDecayOnAdam_ThrowsNotSupportedNamingAdamW()
    {
        var config = new Dictionary<string, object?> { ["weight_decay"] = 0.01 };
        var error = Assert.Throws<NotSupportedException>(() => OptimizerFactory.FromConfig(config, "adam"));
        Assert.That(error!.Message, Does.Contain("AdamW"));
    }

    [Test]
    public void FromConfig_ValueOfWrongType_ThrowsNamingKeyAndValue()
    {
        var parsed = JsonSerializer.Deserialize<Dictionary<string, object?>>("""{"name": "Sgd", "momentum": "high"}""")!;
        var error = Assert.Throws<ArgumentException>(() => OptimizerFactory.FromConfig(parsed));
        Assert.That(error!.Message, Does.Contain("'momentum'").And.Contain("high"));
    }
}
