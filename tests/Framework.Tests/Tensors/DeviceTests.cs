using Framework.Tensors;

namespace Framework.Tests.Tensors;

public class DeviceTests
{
    [Test]
    public void Cuda_WithoutABackend_ThrowsClearlyAndCpuKeepsWorking()
    {
        var ex = Assert.Throws<NotSupportedException>(() => Tensor.Zeros([2], device: Device.Cuda(0)));
        Assert.That(ex!.Message, Does.Contain("cuda:0").And.Contain("Device.Cpu"));
        Assert.That(Tensor.Ones([2]).Sum().Item<float>(), Is.EqualTo(2f));
    }

    [Test]
    public void ToString_ReadsLikePyTorch()
    {
        Assert.That(Device.Cpu.ToString(), Is.EqualTo("cpu"));
        Assert.That(Device.Cuda(1).ToString(), Is.EqualTo("cuda:1"));
        Assert.Throws<ArgumentOutOfRangeException>(() => Device.Cuda(-1));
    }
}
