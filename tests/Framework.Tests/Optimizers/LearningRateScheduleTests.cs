using Framework.Optimizers;
using static Framework.Tests.Optimizers.OptimizerReferenceData;

namespace Framework.Tests.Optimizers;

/// <summary>ExponentialDecay, PiecewiseConstantDecay and CosineDecay against the Keras formulas of the reference script.</summary>
public class LearningRateScheduleTests
{
    private static readonly Dictionary<string, Func<LearningRateSchedule>> s_schedules = new()
    {
        ["exponential"] = () => new ExponentialDecay(0.1, 3, 0.5),
        ["exponential_staircase"] = () => new ExponentialDecay(0.1, 3, 0.5, staircase: true),
        ["piecewise"] = () => new PiecewiseConstantDecay([2, 5], [0.1, 0.05, 0.01]),
        ["cosine"] = () => new CosineDecay(0.05, 6, alpha: 0.2),
        ["cosine_warmup"] = () => new CosineDecay(0.0, 6, alpha: 0.1, warmupTarget: 0.1, warmupSteps: 3),
    };

    private static IEnumerable<string> Names => s_schedules.Keys;

    [TestCaseSource(nameof(Names))]
    public void At_Steps0To11_MatchesKerasFormula(string name)
    {
        var schedule = s_schedules[name]();
        double[] actual = [.. Enumerable.Range(0, 12).Select(step => schedule.At(step))];
        Assert.That(actual, Is.EqualTo(ScheduleValues[name]).Within(1e-15));
    }

    [TestCaseSource(nameof(Names))]
    public void GetConfig_ThroughFactory_RebuildsTheSameSchedule(string name)
    {
        var schedule = s_schedules[name]();
        var copy = OptimizerFactory.ScheduleFromConfig(schedule.GetConfig());
        Assert.That(copy.GetType(), Is.EqualTo(schedule.GetType()));
        Assert.That(Enumerable.Range(0, 12).Select(s => copy.At(s)), Is.EqualTo(Enumerable.Range(0, 12).Select(s => schedule.At(s))));
    }

    [Test]
    public void GetConfig_ExponentialDecay_UsesKerasEnvelopeAndKeys()
    {
        var config = new ExponentialDecay(0.1, 3, 0.5, staircase: true).GetConfig();
        Assert.That(config["class_name"], Is.EqualTo("ExponentialDecay"));
        var inner = (Dictionary<string, object?>)config["config"]!;
        Assert.That(inner.Keys, Is.SupersetOf(new[] { "initial_learning_rate", "decay_steps", "decay_rate", "staircase" }));
    }

    [Test]
    public void Constructor_PiecewiseWrongValueCount_ThrowsNamingBothCounts()
    {
        var error = Assert.Throws<ArgumentException>(() => new PiecewiseConstantDecay([1, 2], [0.1, 0.2]));
        Assert.That(error!.Message, Does.Contain("2 boundaries and 2 values"));
    }

    [Test]
    public void Constructor_PiecewiseBoundariesNotIncreasing_ThrowsWithIndex()
    {
        var error = Assert.Throws<ArgumentException>(() => new PiecewiseConstantDecay([5, 5], [0.1, 0.2, 0.3]));
        Assert.That(error!.Message, Does.Contain("received 5 then 5 at index 1"));
    }

    [Test]
    public void Constructor_ExponentialDecayZeroSteps_ThrowsWithReceivedValue()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialDecay(0.1, 0, 0.5));
        Assert.That(error!.Message, Does.StartWith("ExponentialDecay: decaySteps must be positive; received decaySteps=0."));
    }

    [Test]
    public void Constructor_CosineDecayAlphaAboveOne_ThrowsWithReceivedValue()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new CosineDecay(0.1, 10, alpha: 1.5));
        Assert.That(error!.Message, Does.StartWith("CosineDecay: alpha must be in [0, 1]; received alpha=1.5."));
    }
}
