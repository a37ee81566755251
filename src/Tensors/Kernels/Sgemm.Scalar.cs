using System.Runtime.CompilerServices;

namespace Framework.Tensors.Kernels;

internal static unsafe partial class Sgemm
{
    // 4x4 tile of scalars: portable to any machine; the packed layout still keeps the loads sequential.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void KernelScalar(int kc, float* a, nint rsa, float* b, nint rsb, float* c, nint ldc, float beta)
    {
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (int p = 0; p < kc; p++)
        {
            float b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
            float x = a[0];
            c00 += x * b0; c01 += x * b1; c02 += x * b2; c03 += x * b3;
            x = a[1];
            c10 += x * b0; c11 += x * b1; c12 += x * b2; c13 += x * b3;
            x = a[2];
            c20 += x * b0; c21 += x * b1; c22 += x * b2; c23 += x * b3;
            x = a[3];
            c30 += x * b0; c31 += x * b1; c32 += x * b2; c33 += x * b3;
            a += rsa;
            b += rsb;
        }
        StoreRowScalar(c, beta, c00, c01, c02, c03);
        StoreRowScalar(c + ldc, beta, c10, c11, c12, c13);
        StoreRowScalar(c + 2 * ldc, beta, c20, c21, c22, c23);
        StoreRowScalar(c + 3 * ldc, beta, c30, c31, c32, c33);
    }

    private static void StoreRowScalar(float* c, float beta, float v0, float v1, float v2, float v3)
    {
        // beta == 0 must not read C: it may hold NaN.
        if (beta == 0f)
        {
            c[0] = v0; c[1] = v1; c[2] = v2; c[3] = v3;
        }
        else
        {
            c[0] = beta * c[0] + v0; c[1] = beta * c[1] + v1; c[2] = beta * c[2] + v2; c[3] = beta * c[3] + v3;
        }
    }
}
