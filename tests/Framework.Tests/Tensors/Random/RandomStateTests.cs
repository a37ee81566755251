using Framework.Tensors;

namespace Framework.Tests.Tensors;

public class RandomStateTests
{
    [Test]
    public void ToArray_FromArray_RoundTripsAllBits()
    {
        var state = new RandomState(ulong.MaxValue, 0x8000_0000_0000_0001, 42);

        long[] array = state.ToArray();

        Assert.That(array, Has.Length.EqualTo(RandomState.ArrayLength));
        Assert.That(RandomState.FromArray(array), Is.EqualTo(state));
    }

    [TestCase(0)]
    [TestCase(2)]
    [TestCase(4)]
    public void FromArray_WrongLength_ThrowsNamingReceivedLength(int length)
    {
        var ex = Assert.Throws<ArgumentException>(() => RandomState.FromArray(new long[length]));

        Assert.That(ex!.ParamName, Is.EqualTo("values"));
        Assert.That(ex.Message, Does.Contain($"received {length}").And.Contain("3 values"));
    }
}
