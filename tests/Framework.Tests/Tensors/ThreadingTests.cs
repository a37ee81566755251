using Framework.Tensors;

namespace Framework.Tests.Tensors;

public class ThreadingTests
{
    private int _savedMaxThreads;

    [SetUp]
    public void SetUp() => _savedMaxThreads = Threading.MaxThreads;

    [TearDown]
    public void TearDown() => Threading.MaxThreads = _savedMaxThreads;

    [Test]
    public void MaxThreads_SetTwo_ReadsBackTwo()
    {
        Threading.MaxThreads = 2;
        Assert.That(Threading.MaxThreads, Is.EqualTo(2));
    }

    [Test]
    public void MaxThreads_Zero_ThrowsNamingValue()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Threading.MaxThreads = 0);
        Assert.That(ex!.ParamName, Is.EqualTo("value"));
        Assert.That(ex.Message, Does.Contain("received 0"));
    }

    [TestCase("3", 3)]
    [TestCase(" 1", 1)]
    public void DefaultFrom_PositiveInteger_UsesIt(string text, int expected) =>
        Assert.That(Threading.DefaultFrom(text), Is.EqualTo(expected));

    [TestCase(null)]
    [TestCase("")]
    [TestCase("0")]
    [TestCase("-2")]
    [TestCase("four")]
    public void DefaultFrom_MissingOrInvalid_FallsBackToProcessorCount(string? text) =>
        Assert.That(Threading.DefaultFrom(text), Is.EqualTo(Environment.ProcessorCount));
}
