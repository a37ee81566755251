using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Framework.Tensors.Kernels;

internal static unsafe partial class Sgemm
{
    // 6x16 tile: 12 ymm accumulators, 2 of B and 1 broadcast, 15 of the 16 registers AVX2 has.
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void KernelAvx2(int kc, float* a, nint rsa, float* b, nint rsb, float* c, nint ldc, float beta)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        // The tile of C is read and written only after the whole k-block; fetching it now hides an L3 round trip.
        for (int r = 0; r < 6; r++)
            Sse.Prefetch0(c + r * ldc);
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var x = Vector256.Create(a[0]);
            c00 = Fma.MultiplyAdd(x, b0, c00);
            c01 = Fma.MultiplyAdd(x, b1, c01);
            x = Vector256.Create(a[1]);
            c10 = Fma.MultiplyAdd(x, b0, c10);
            c11 = Fma.MultiplyAdd(x, b1, c11);
            x = Vector256.Create(a[2]);
            c20 = Fma.MultiplyAdd(x, b0, c20);
            c21 = Fma.MultiplyAdd(x, b1, c21);
            x = Vector256.Create(a[3]);
            c30 = Fma.MultiplyAdd(x, b0, c30);
            c31 = Fma.MultiplyAdd(x, b1, c31);
            x = Vector256.Create(a[4]);
            c40 = Fma.MultiplyAdd(x, b0, c40);
            c41 = Fma.MultiplyAdd(x, b1, c41);
            x = Vector256.Create(a[5]);
            c50 = Fma.MultiplyAdd(x, b0, c50);
            c51 = Fma.MultiplyAdd(x, b1, c51);
            a += rsa;
            b += rsb;
        }
        StoreRow256(c, beta, c00, c01);
        StoreRow256(c + ldc, beta, c10, c11);
        StoreRow256(c + 2 * ldc, beta, c20, c21);
        StoreRow256(c + 3 * ldc, beta, c30, c31);
        StoreRow256(c + 4 * ldc, beta, c40, c41);
        StoreRow256(c + 5 * ldc, beta, c50, c51);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow256(float* c, float beta, Vector256<float> v0, Vector256<float> v1)
    {
        // beta == 0 must not read C: it may hold NaN.
        if (beta == 0f)
        {
            v0.Store(c);
            v1.Store(c + 8);
        }
        else if (beta == 1f)
        {
            (Vector256.Load(c) + v0).Store(c);
            (Vector256.Load(c + 8) + v1).Store(c + 8);
        }
        else
        {
            var vb = Vector256.Create(beta);
            Fma.MultiplyAdd(vb, Vector256.Load(c), v0).Store(c);
            Fma.MultiplyAdd(vb, Vector256.Load(c + 8), v1).Store(c + 8);
        }
    }
}
