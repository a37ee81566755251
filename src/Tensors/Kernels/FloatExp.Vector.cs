using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Framework.Tensors.Kernels;

internal static partial class FloatExp
{
    /// <summary>exp over whole vectors; returns how many elements it did.</summary>
    private static int Exp512(ref float xs, ref float ys, int length)
    {
        nuint i = 0, end = (nuint)(length & ~15);
        for (; i < end; i += 16) Exp(Vector512.LoadUnsafe(ref xs, i)).StoreUnsafe(ref ys, i);
        return (int)end;
    }

    /// <inheritdoc cref="Exp512"/>
    private static int Exp256(ref float xs, ref float ys, int length)
    {
        nuint i = 0, end = (nuint)(length & ~7);
        for (; i < end; i += 8) Exp(Vector256.LoadUnsafe(ref xs, i)).StoreUnsafe(ref ys, i);
        return (int)end;
    }

    private static float ShiftedBlocks512(ref float xs, ref float ys, int blocks, float shift)
    {
        var s = Vector512.Create(shift);
        var acc = Vector512<float>.Zero;
        for (nuint i = 0, end = (nuint)blocks * 16; i < end; i += 16)
        {
            var e = Exp(Vector512.LoadUnsafe(ref xs, i) - s);
            e.StoreUnsafe(ref ys, i);
            acc += e;
        }
        return Sum8(acc.GetLower() + acc.GetUpper());
    }

    /// <remarks>Two registers stand for the 16 lanes of the AVX-512 path, so the running sums match lane for lane.</remarks>
    private static float ShiftedBlocks256(ref float xs, ref float ys, int blocks, float shift)
    {
        var s = Vector256.Create(shift);
        Vector256<float> low = Vector256<float>.Zero, high = Vector256<float>.Zero;
        for (nuint i = 0, end = (nuint)blocks * 16; i < end; i += 16)
        {
            var e0 = Exp(Vector256.LoadUnsafe(ref xs, i) - s);
            var e1 = Exp(Vector256.LoadUnsafe(ref xs, i + 8) - s);
            e0.StoreUnsafe(ref ys, i);
            e1.StoreUnsafe(ref ys, i + 8);
            low += e0;
            high += e1;
        }
        return Sum8(low + high);
    }

    /// <summary>The last three levels of <c>SumLanes</c>' tree, lane i of 16 having been added to lane i + 8 already.</summary>
    internal static float Sum8(Vector256<float> v)
    {
        var v4 = v.GetLower() + v.GetUpper();
        return (v4.GetElement(0) + v4.GetElement(2)) + (v4.GetElement(1) + v4.GetElement(3));
    }

    /// <summary>exp of 16 lanes, the same bits as <see cref="Exp(float)"/> per lane; needs AVX-512F.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> Exp(Vector512<float> x)
    {
        // x second: vmaxps/vminps return their second operand when either is NaN, so NaN flows through to the end.
        var clamped = Avx512F.Min(Vector512.Create(MaxInput), Avx512F.Max(Vector512.Create(MinInput), x));
        var n = Vector512.Round(clamped * Vector512.Create(Log2E));
        var r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Hi), clamped);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Lo), r);
        var p = Vector512.FusedMultiplyAdd(Vector512.Create(C6), r, Vector512.Create(C5));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(C4));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(C3));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(0.5f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<float>.One);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<float>.One);
        return Avx512F.Scale(p, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Exp(Vector256<float> x)
    {
        // x second, as in the AVX-512 path: NaN survives the clamp; it then gives NaN whatever n converts to.
        var clamped = Vector256.MinNative(Vector256.Create(MaxInput), Vector256.MaxNative(Vector256.Create(MinInput), x));
        var n = Vector256.Round(clamped * Vector256.Create(Log2E));
        var r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Hi), clamped);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Lo), r);
        var p = Vector256.FusedMultiplyAdd(Vector256.Create(C6), r, Vector256.Create(C5));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(C4));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(C3));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(0.5f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256<float>.One);
        p = Vector256.FusedMultiplyAdd(p, r, Vector256<float>.One);
        // 2ⁿ in two halves as in the scalar path; n is within ±217 here, so the conversion is exact.
        var ni = Vector256.ConvertToInt32Native(n);
        var half = Vector256.ShiftRightArithmetic(ni, 1);
        var bias = Vector256.Create(127);
        return p * Vector256.ShiftLeft(half + bias, 23).AsSingle() * Vector256.ShiftLeft(ni - half + bias, 23).AsSingle();
    }
}
