using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Framework.Tensors.Kernels;

internal static unsafe partial class Sgemm
{
    /// <summary>Packs rows [row0, row0+rows) of op(A), k-range [p0, p0+kc), into one panel: dst[p·mr + r] = op(A)[row0+r, p0+p].</summary>
    /// <remarks>Rows past <paramref name="rows"/> are zero, so the micro-kernel can always compute a full tile.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackA(bool transA, float* a, nint lda, int row0, int rows, int p0, int kc, int mr, float* dst)
    {
        if (transA)
        {
            // op(A)[i, p] = A[p, i]: each k-step of the panel is a contiguous run of one stored row.
            float* src = a + (nint)p0 * lda + row0;
            if (rows == 8 && mr == 8 && Vector256.IsHardwareAccelerated)
            {
                for (int p = 0; p < kc; p++, src += lda, dst += 8)
                    Vector256.Store(Vector256.Load(src), dst);
                return;
            }
            CopyRunsPadded(src, lda, kc, rows, mr, dst);
            return;
        }

        // op(A)[i, p] = A[i, p]: the panel is the transpose of a rows x kc block.
        float* block = a + (nint)row0 * lda + p0;
        int done = 0;
        if (rows == 8 && mr == 8 && Avx.IsSupported)
        {
            for (; done + 8 <= kc; done += 8)
                Transpose8x8(block + done, lda, dst + done * 8, 8);
        }
        GatherRunsPadded(block + done, lda, kc - done, rows, mr, dst + done * mr);
    }

    /// <summary>Packs B panels [first, end) of the column block starting at <paramref name="jc"/>, each at dst + panel·nr·kc.</summary>
    private static void PackBPanels(bool transB, float* b, nint ldb, int jc, int nc, int first, int end, int pc, int kc, int nr, float* dst)
    {
        for (int jp = first; jp < end; jp++)
        {
            int col = jp * nr;
            PackB(transB, b, ldb, jc + col, Math.Min(nr, nc - col), pc, kc, nr, dst + (nint)jp * nr * kc);
        }
    }

    /// <summary>Packs columns [col0, col0+cols) of op(B), k-range [p0, p0+kc), into one panel: dst[p·nr + j] = op(B)[p0+p, col0+j].</summary>
    /// <remarks>Columns past <paramref name="cols"/> are zero.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackB(bool transB, float* b, nint ldb, int col0, int cols, int p0, int kc, int nr, float* dst)
    {
        if (!transB)
        {
            // op(B)[p, j] = B[p, j]: each k-step is a contiguous run of one stored row.
            float* src = b + (nint)p0 * ldb + col0;
            if (cols == nr && nr == 32 && Vector512.IsHardwareAccelerated)
            {
                for (int p = 0; p < kc; p++, src += ldb, dst += 32)
                {
                    Vector512.Store(Vector512.Load(src), dst);
                    Vector512.Store(Vector512.Load(src + 16), dst + 16);
                }
                return;
            }
            if (cols == nr && nr == 16 && Vector256.IsHardwareAccelerated)
            {
                for (int p = 0; p < kc; p++, src += ldb, dst += 16)
                {
                    Vector256.Store(Vector256.Load(src), dst);
                    Vector256.Store(Vector256.Load(src + 8), dst + 8);
                }
                return;
            }
            CopyRunsPadded(src, ldb, kc, cols, nr, dst);
            return;
        }

        // op(B)[p, j] = B[j, p]: the panel is the transpose of a cols x kc block, done 8x8 at a time.
        float* block = b + (nint)col0 * ldb + p0;
        int done = 0;
        if (cols == nr && (nr & 7) == 0 && Avx.IsSupported)
        {
            for (; done + 8 <= kc; done += 8)
            {
                for (int g = 0; g < nr; g += 8)
                    Transpose8x8(block + g * ldb + done, ldb, dst + done * nr + g, nr);
            }
        }
        GatherRunsPadded(block + done, ldb, kc - done, cols, nr, dst + done * nr);
    }

    /// <summary>dst[p·width + i] = src[p·stride + i] for i &lt; valid, zero up to width, for each of <paramref name="runs"/> runs.</summary>
    private static void CopyRunsPadded(float* src, nint stride, int runs, int valid, int width, float* dst)
    {
        for (int p = 0; p < runs; p++, src += stride, dst += width)
        {
            int i = 0;
            for (; i < valid; i++)
                dst[i] = src[i];
            for (; i < width; i++)
                dst[i] = 0f;
        }
    }

    /// <summary>dst[p·width + i] = src[i·stride + p] for i &lt; valid, zero up to width: the scalar transpose.</summary>
    private static void GatherRunsPadded(float* src, nint stride, int runs, int valid, int width, float* dst)
    {
        for (int p = 0; p < runs; p++, dst += width)
        {
            int i = 0;
            for (; i < valid; i++)
                dst[i] = src[i * stride + p];
            for (; i < width; i++)
                dst[i] = 0f;
        }
    }

    /// <summary>Writes the transpose of the 8×8 block at <paramref name="src"/> to <paramref name="dst"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* src, nint srcStride, float* dst, nint dstStride)
    {
        var r0 = Avx.LoadVector256(src);
        var r1 = Avx.LoadVector256(src + srcStride);
        var r2 = Avx.LoadVector256(src + 2 * srcStride);
        var r3 = Avx.LoadVector256(src + 3 * srcStride);
        var r4 = Avx.LoadVector256(src + 4 * srcStride);
        var r5 = Avx.LoadVector256(src + 5 * srcStride);
        var r6 = Avx.LoadVector256(src + 6 * srcStride);
        var r7 = Avx.LoadVector256(src + 7 * srcStride);

        // Interleave pairs of rows, then pairs of pairs, within each 128-bit lane ...
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0x44);
        var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44);
        var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44);
        var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44);
        var u7 = Avx.Shuffle(t5, t7, 0xEE);

        // ... then join the lanes: the low halves hold columns 0-3, the high halves columns 4-7.
        Avx.Store(dst, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(dst + dstStride, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(dst + 2 * dstStride, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(dst + 3 * dstStride, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(dst + 4 * dstStride, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(dst + 5 * dstStride, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(dst + 6 * dstStride, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(dst + 7 * dstStride, Avx.Permute2x128(u3, u7, 0x31));
    }
}
