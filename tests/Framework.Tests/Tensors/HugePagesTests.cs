using System.Runtime.InteropServices;
using Framework.Tensors;
using Framework.Tensors.Backends.Cpu;
using Framework.Tensors.Storage;

namespace Framework.Tests.Tensors;

public class HugePagesTests
{
    private const long Huge = 2L << 20;

    [TestCase(1L, Huge)]
    [TestCase(Huge, Huge)]
    [TestCase(Huge + 1, 2 * Huge)]
    [TestCase(4_000_000L, 2 * Huge)]
    [TestCase(5 * Huge - 7, 5 * Huge)]
    public void RoundUp_Bytes_IsWholeHugePages(long bytes, long expected) =>
        Assert.That(HugePageBuffers.RoundUp(bytes), Is.EqualTo(expected));

    [Test]
    public void Rent_BelowOneHugePage_IsNotServed() =>
        Assert.That(HugePageBuffers.Rent(Huge - 1), Is.Null);

    [Test]
    public unsafe void Rent_LargeBuffer_StartsOnAHugePageBoundaryInsideItsArray()
    {
        RequireEnabled();
        var buffer = HugePageBuffers.Rent(4_000_000)!.Value;
        Assert.That(buffer.Capacity, Is.EqualTo(2 * Huge));
        Assert.That(buffer.Offset + buffer.Capacity, Is.LessThanOrEqualTo(buffer.Array.Length));
        fixed (byte* data = buffer.Array)
            Assert.That((long)(data + buffer.Offset) % Huge, Is.Zero);
        HugePageBuffers.Return(buffer);
    }

    [Test]
    public void Rent_AfterReturn_ReusesTheBuffer()
    {
        RequireEnabled();
        // An unusual size, so no other test's buffer is in this size's stack.
        var first = HugePageBuffers.Rent(37 * Huge)!.Value;
        HugePageBuffers.Return(first);
        var second = HugePageBuffers.Rent(37 * Huge - 5)!.Value;
        Assert.That(second.Array, Is.SameAs(first.Array));
        HugePageBuffers.Return(second);
    }

    [Test]
    public unsafe void Tensor_LargeStorage_IsHugePageAlignedAndHoldsItsValues()
    {
        using var t = Tensor.Full(new Shape(1000, 1000), 1.5);
        if (HugePages.Enabled)
        {
            fixed (byte* data = CpuBackend.Bytes(t))
                Assert.That((long)data % Huge, Is.Zero);
        }
        float[] values = t.ToArray<float>();
        Assert.That(values, Has.Length.EqualTo(1000 * 1000));
        Assert.That(values[0] + values[^1] + values[values.Length / 2], Is.EqualTo(4.5f));
        Assert.That(MemoryMarshal.AsBytes(values.AsSpan()).Length, Is.EqualTo(4_000_000));
    }

    [Test]
    public void Tensor_DisposedAndRecreated_ReusesPooledMemoryWithItsNewValues()
    {
        var first = Tensor.Full(new Shape(700, 1000), 2.0);
        first.Dispose();
        using var second = Tensor.Full(new Shape(700, 1000), 3.0);
        float[] values = second.ToArray<float>();
        Assert.That(values.Distinct(), Is.EqualTo(new[] { 3f }));
    }

    private static void RequireEnabled()
    {
        if (!HugePages.Enabled) Assert.Ignore("Huge-page buffers are only used on Linux x64 without FRAMEWORK_HUGE_PAGES=0.");
    }
}
