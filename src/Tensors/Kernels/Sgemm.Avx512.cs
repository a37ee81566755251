using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Framework.Tensors.Kernels;

internal static unsafe partial class Sgemm
{
    // 8x32 tile: 16 zmm accumulators, 2 zmm of B and 1 broadcast of A per step, 19 of the 32 registers.
    // Two FMA pipes with 4-cycle latency need 8 independent chains; 16 hide the latency with room to spare, and each
    // k-step issues 16 FMAs against 2 vector loads and 8 broadcasts, well inside Zen 5's load bandwidth.
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void KernelAvx512(int kc, float* a, nint rsa, float* b, nint rsb, float* c, nint ldc, float beta)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector512<float> c20 = default, c21 = default, c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default, c70 = default, c71 = default;
        // The tile of C is read and written only after the whole k-block; fetching it now hides an L3 round trip.
        for (int r = 0; r < 8; r++)
        {
            Sse.Prefetch0(c + r * ldc);
            Sse.Prefetch0(c + r * ldc + 16);
        }
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var x = Vector512.Create(a[0]);
            c00 = Avx512F.FusedMultiplyAdd(x, b0, c00);
            c01 = Avx512F.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(a[1]);
            c10 = Avx512F.FusedMultiplyAdd(x, b0, c10);
            c11 = Avx512F.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(a[2]);
            c20 = Avx512F.FusedMultiplyAdd(x, b0, c20);
            c21 = Avx512F.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(a[3]);
            c30 = Avx512F.FusedMultiplyAdd(x, b0, c30);
            c31 = Avx512F.FusedMultiplyAdd(x, b1, c31);
            x = Vector512.Create(a[4]);
            c40 = Avx512F.FusedMultiplyAdd(x, b0, c40);
            c41 = Avx512F.FusedMultiplyAdd(x, b1, c41);
            x = Vector512.Create(a[5]);
            c50 = Avx512F.FusedMultiplyAdd(x, b0, c50);
            c51 = Avx512F.FusedMultiplyAdd(x, b1, c51);
            x = Vector512.Create(a[6]);
            c60 = Avx512F.FusedMultiplyAdd(x, b0, c60);
            c61 = Avx512F.FusedMultiplyAdd(x, b1, c61);
            x = Vector512.Create(a[7]);
            c70 = Avx512F.FusedMultiplyAdd(x, b0, c70);
            c71 = Avx512F.FusedMultiplyAdd(x, b1, c71);
            a += rsa;
            b += rsb;
        }
        StoreRow512(c, beta, c00, c01);
        StoreRow512(c + ldc, beta, c10, c11);
        StoreRow512(c + 2 * ldc, beta, c20, c21);
        StoreRow512(c + 3 * ldc, beta, c30, c31);
        StoreRow512(c + 4 * ldc, beta, c40, c41);
        StoreRow512(c + 5 * ldc, beta, c50, c51);
        StoreRow512(c + 6 * ldc, beta, c60, c61);
        StoreRow512(c + 7 * ldc, beta, c70, c71);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow512(float* c, float beta, Vector512<float> v0, Vector512<float> v1)
    {
        // beta == 0 must not read C: it may hold NaN, and 0 * NaN would leak into the result.
        if (beta == 0f)
        {
            v0.Store(c);
            v1.Store(c + 16);
        }
        else if (beta == 1f)
        {
            (Vector512.Load(c) + v0).Store(c);
            (Vector512.Load(c + 16) + v1).Store(c + 16);
        }
        else
        {
            var vb = Vector512.Create(beta);
            Avx512F.FusedMultiplyAdd(vb, Vector512.Load(c), v0).Store(c);
            Avx512F.FusedMultiplyAdd(vb, Vector512.Load(c + 16), v1).Store(c + 16);
        }
    }
}
