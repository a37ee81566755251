using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Framework.Tensors.Kernels;

/// <summary>The largest of a span of floats, for softmax: the hardware max instruction, four independent chains.</summary>
/// <remarks>
/// <c>TensorPrimitives.Max</c> implements IEEE <c>maximum</c> (NaN wins, +0 &gt; −0), which costs a compare and
/// blends per vector on x86 and made softmax's max pass as slow as its exp pass. Softmax does not need either rule:
/// a NaN anywhere in a row makes the sum, and so every output, NaN whichever maximum is subtracted; and subtracting
/// +0 or −0 gives the same exponentials. Results may therefore differ from <c>TensorPrimitives.Max</c> only in the
/// sign of a zero or when the row holds a NaN.
/// </remarks>
internal static class FloatMax
{
    /// <summary>The maximum of <paramref name="x"/>; −∞ when it is empty. With a NaN in <paramref name="x"/> the
    /// result is unspecified (see the remarks).</summary>
    public static float Max(ReadOnlySpan<float> x)
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        int i = 0, n = x.Length;
        float max = float.NegativeInfinity;
        if (Vector512.IsHardwareAccelerated && n >= 64)
        {
            var m0 = Vector512.LoadUnsafe(ref xs);
            Vector512<float> m1 = m0, m2 = m0, m3 = m0;
            for (; i + 64 <= n; i += 64)
            {
                m0 = Vector512.MaxNative(m0, Vector512.LoadUnsafe(ref xs, (nuint)i));
                m1 = Vector512.MaxNative(m1, Vector512.LoadUnsafe(ref xs, (nuint)(i + 16)));
                m2 = Vector512.MaxNative(m2, Vector512.LoadUnsafe(ref xs, (nuint)(i + 32)));
                m3 = Vector512.MaxNative(m3, Vector512.LoadUnsafe(ref xs, (nuint)(i + 48)));
            }
            for (; i + 16 <= n; i += 16) m0 = Vector512.MaxNative(m0, Vector512.LoadUnsafe(ref xs, (nuint)i));
            max = Across(Vector512.MaxNative(Vector512.MaxNative(m0, m1), Vector512.MaxNative(m2, m3)));
        }
        else if (Vector256.IsHardwareAccelerated && n >= 32)
        {
            var m0 = Vector256.LoadUnsafe(ref xs);
            var m1 = m0;
            for (; i + 16 <= n; i += 16)
            {
                m0 = Vector256.MaxNative(m0, Vector256.LoadUnsafe(ref xs, (nuint)i));
                m1 = Vector256.MaxNative(m1, Vector256.LoadUnsafe(ref xs, (nuint)(i + 8)));
            }
            max = Across(Vector256.MaxNative(m0, m1));
        }
        for (; i < n; i++) max = MathF.Max(max, Unsafe.Add(ref xs, i));
        return max;
    }

    /// <summary>The largest lane of <paramref name="v"/>, by vector maxima of halves (the result is unspecified with a
    /// NaN lane, as for <see cref="Max"/>).</summary>
    /// <remarks>Lane by lane with <c>MathF.Max</c> this took about 60 cycles, and through an <c>out</c> parameter, which
    /// the JIT kept in memory, about 140: as much as the exponentials of a 256-float row.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Across(Vector512<float> v) => Across(Vector256.MaxNative(v.GetLower(), v.GetUpper()));

    /// <inheritdoc cref="Across(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Across(Vector256<float> v)
    {
        var m = Vector128.MaxNative(v.GetLower(), v.GetUpper());
        m = Vector128.MaxNative(m, Vector128.Shuffle(m, Vector128.Create(2, 3, 0, 1)));
        m = Vector128.MaxNative(m, Vector128.Shuffle(m, Vector128.Create(1, 0, 3, 2)));
        return m.ToScalar();
    }
}
