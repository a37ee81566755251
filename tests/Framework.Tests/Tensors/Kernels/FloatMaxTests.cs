using System.Runtime.Intrinsics;
using Framework.Tensors.Kernels;

namespace Framework.Tests.Tensors.Kernels;

/// <summary>The softmax row maximum against a plain loop, across the vector and tail lengths.</summary>
public class FloatMaxTests
{
    [Test]
    public void RandomRows_MatchPlainMaximum()
    {
        var rng = new Random(9);
        foreach (int n in new[] { 1, 3, 16, 31, 32, 33, 63, 64, 65, 100, 1000, 1024, 4099 })
        {
            var x = new float[n];
            for (int i = 0; i < n; i++) x[i] = (float)(rng.NextDouble() * 200 - 150);
            // The maximum in every position class: first, last, in a tail, in each of the four chains.
            foreach (int at in new[] { 0, n - 1, n / 2, n / 3 })
            {
                var y = (float[])x.Clone();
                y[at] = 1000f;
                Assert.That(FloatMax.Max(y), Is.EqualTo(1000f), $"n = {n}, at {at}");
            }
            Assert.That(FloatMax.Max(x), Is.EqualTo(x.Max()), $"n = {n}");
        }
    }

    [Test]
    public void EmptyAndInfinities()
    {
        Assert.That(FloatMax.Max([]), Is.EqualTo(float.NegativeInfinity));
        Assert.That(FloatMax.Max(Enumerable.Repeat(float.NegativeInfinity, 70).ToArray()), Is.EqualTo(float.NegativeInfinity));
        var x = Enumerable.Range(0, 70).Select(i => (float)i).ToArray();
        x[5] = float.PositiveInfinity;
        Assert.That(FloatMax.Max(x), Is.EqualTo(float.PositiveInfinity));
    }

    [Test]
    public void Across_FindsTheLargestLaneInEveryPosition()
    {
        for (int lane = 0; lane < 16; lane++)
        {
            var lanes = Enumerable.Range(0, 16).Select(i => -3f - i).ToArray();
            lanes[lane] = 2.5f;
            Assert.That(FloatMax.Across(Vector512.Create(lanes)), Is.EqualTo(2.5f), $"16 lanes, largest in lane {lane}");
            if (lane < 8)
                Assert.That(FloatMax.Across(Vector256.Create(lanes.AsSpan(0, 8))), Is.EqualTo(2.5f), $"8 lanes, largest in lane {lane}");
        }
        Assert.That(FloatMax.Across(Vector512.Create(float.NegativeInfinity)), Is.EqualTo(float.NegativeInfinity));
    }
}
