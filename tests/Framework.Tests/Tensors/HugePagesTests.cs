using System.Runtime.InteropServices;
using Framework.Tensors;
using Framework.Tensors.Storage;

namespace Framework.Tests.Tensors;

public class HugePagesTests
{
    private const ulong Huge = 2UL << 20;

    [TestCase(0UL, 4 * Huge, 0UL, 4 * Huge)]
    [TestCase(16UL, 4 * Huge, 0UL, 5 * Huge)]
    [TestCase(Huge - 1, 2UL, 0UL, 2 * Huge)]
    [TestCase(Huge, 1UL, Huge, Huge)]
    [TestCase(5 * Huge + 100, 3 * Huge - 200, 5 * Huge, 3 * Huge)]
    public void Covering_Range_IsEveryHugePageItOverlaps(ulong start, ulong length, ulong first, ulong coveringLength) =>
        Assert.That(HugePages.Covering(start, length), Is.EqualTo((first, coveringLength)));

    [Test]
    public void Advise_SmallBuffer_GivesNoAdvice() =>
        Assert.That(HugePages.Advise(new float[500_000], 2_000_000), Is.False);

    [Test]
    public void Advise_LargeBufferOnLinux_IsAcceptedByTheKernel()
    {
        if (!HugePages.Enabled) Assert.Ignore("Huge-page advice is only given on Linux x64 without FRAMEWORK_HUGE_PAGES=0.");
        var array = GC.AllocateUninitializedArray<float>(3 << 20);
        Assert.That(HugePages.Advise(array, (long)array.Length * sizeof(float)), Is.True);
    }

    [Test]
    public void Tensor_LargeAdvisedStorage_HoldsItsValues()
    {
        using var t = Tensor.Full(new Shape(1024, 2048), 1.5);
        float[] values = t.ToArray<float>();
        Assert.That(values, Has.Length.EqualTo(1024 * 2048));
        Assert.That(values[0] + values[^1] + values[values.Length / 2], Is.EqualTo(4.5f));
        Assert.That(MemoryMarshal.AsBytes(values.AsSpan()).Length, Is.EqualTo(8 << 20));
    }
}
