using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Framework.Tensors.Backends;

namespace Framework.Tensors.Kernels;

/// <summary>The float32 convolution forward as an implicit GEMM: an AVX-512 micro-kernel that reads the windows
/// straight from the NHWC images, with no im2col matrix and no packing of it.</summary>
/// <remarks>
/// <para>
/// The im2col path writes every window into a matrix and the GEMM then copies that matrix again into its panels, so
/// each input value is written and read twice per kernel tap before a multiply; with 32 or 64 output channels (two
/// column panels at most) the copies cost about as much as the products. Here a tile of 8 output pixels × 32 output
/// channels is kept in 16 zmm registers, as in <see cref="Sgemm"/>'s kernel, and each step broadcasts one input value
/// of each of the 8 windows. A window is a list of <c>WindowH</c> segments, one per kernel row, each
/// <c>WindowW·Channels</c> contiguous values of one image row (dilation 1 along the width), so the kernel gets 8 row
/// pointers per segment, computed once per tile and shared by all column panels. Only segments that hang over the
/// border (or are dilated along the width) are copied, into a small per-task buffer, with zeros for the padding; a
/// segment entirely in the padding points at zeros.
/// </para>
/// <para>
/// The kernel <c>(kh·kw·in, out)</c> matrix is copied once per call into panels of 32 columns (the last one padded
/// with zeros). Each output value is one sum over the segments and their values in a fixed order, so results are
/// bit-identical on any number of threads; they differ in rounding from the im2col path (which adds k-blocks
/// separately), within float32 accuracy.
/// </para>
/// </remarks>
internal static unsafe class Conv2DDirect
{
    private const int Mr = 8, Nr = 32;

    /// <summary>False sends the float32 forward through im2col + SGEMM instead: tests compare the two paths, the
    /// <c>conv --ab</c> benchmark times them side by side.</summary>
    internal static bool Enabled { get; set; } = true;

    /// <summary>Whether the direct kernel runs on this machine for float32 (the GEMM kernel may be forced lower in tests).</summary>
    public static bool IsAvailable => Enabled && Avx512F.IsSupported && Vector512.IsHardwareAccelerated && (Sgemm.ForcedKernel ?? Sgemm.BestKernel) == SgemmKernelKind.Avx512;

    /// <summary>Floats of the packed kernel: every column panel over the whole patch.</summary>
    public static nint PackedKernelSize(in WindowGeometry g, int outChannels) => (nint)g.PatchSize * PanelCount(outChannels) * Nr;

    /// <summary>Copies the <c>(patch, out)</c> kernel into column panels of 32, each <c>patch × 32</c> and contiguous, zero-padded.</summary>
    public static void PackKernel(float* w, int patch, int outChannels, float* packed)
    {
        for (int panel = 0; panel < PanelCount(outChannels); panel++)
        {
            int j0 = panel * Nr, width = Math.Min(Nr, outChannels - j0);
            float* dst = packed + (nint)panel * patch * Nr;
            for (int k = 0; k < patch; k++, dst += Nr)
            {
                new ReadOnlySpan<float>(w + (nint)k * outChannels + j0, width).CopyTo(new Span<float>(dst, width));
                if (width < Nr) new Span<float>(dst + width, Nr - width).Clear();
            }
        }
    }

    /// <summary>Floats of one task's buffer: a tile's segment pointers, a spare tile, one segment of zeros and the copied segments.</summary>
    public static nint TaskBufferSize(in WindowGeometry g) => (nint)g.WindowH * Mr * (sizeof(nint) / sizeof(float)) + Mr * Nr + (nint)(g.WindowH * Mr + 1) * SegmentLength(g);

    /// <summary>Output rows <c>[first, first + count)</c> of the batch (row <c>(n·outH + i)·outW + j</c>) into <paramref name="y"/>.</summary>
    public static void Rows(float* x, float* packedKernel, float* y, in WindowGeometry g, int outChannels, long first, long count, float* buffer)
    {
        int segments = g.WindowH, segment = SegmentLength(g), panels = PanelCount(outChannels), patch = g.PatchSize;
        // The buffer is 64-byte aligned: the pointers first, then the 8×32 tile for partial stores (a whole number of
        // cache lines after them), then the segment of zeros and the copied segments.
        float** pointers = (float**)buffer;
        float* tile = (float*)(pointers + segments * Mr);
        float* zeros = tile + Mr * Nr;
        new Span<float>(zeros, segment).Clear();
        float* copies = zeros + segment;
        for (long r0 = first; r0 < first + count; r0 += Mr)
        {
            int rows = (int)Math.Min(Mr, first + count - r0);
            Windows(x, g, r0, rows, zeros, copies, pointers);
            for (int panel = 0; panel < panels; panel++)
            {
                int j0 = panel * Nr, width = Math.Min(Nr, outChannels - j0);
                float* b = packedKernel + (nint)panel * patch * Nr;
                float* c = y + (nint)r0 * outChannels + j0;
                if (rows == Mr && width == Nr)
                {
                    Tile(pointers, segments, segment, b, c, outChannels);
                    continue;
                }
                Tile(pointers, segments, segment, b, tile, Nr);
                for (int r = 0; r < rows; r++)
                    new ReadOnlySpan<float>(tile + r * Nr, width).CopyTo(new Span<float>(c + (nint)r * outChannels, width));
            }
        }
    }

    private static int PanelCount(int outChannels) => (outChannels + Nr - 1) / Nr;

    private static int SegmentLength(in WindowGeometry g) => g.WindowW * g.Channels;

    /// <summary>Points <c>pointers[s·8 + r]</c> at segment s of the window of row <c>r0 + r</c>: in the image where it lies
    /// whole and contiguous in it, else at a copy with zeros for the padding, or at <paramref name="zeros"/>.</summary>
    private static void Windows(float* x, in WindowGeometry g, long r0, int rows, float* zeros, float* copies, float** pointers)
    {
        int c = g.Channels, segment = SegmentLength(g);
        for (int r = 0; r < Mr; r++)
        {
            if (r >= rows)
            {
                for (int s = 0; s < g.WindowH; s++) pointers[s * Mr + r] = zeros;
                continue;
            }
            long flat = r0 + r;
            int n = (int)(flat / g.OutPixels), pixel = (int)(flat % g.OutPixels), i = pixel / g.OutW, j = pixel % g.OutW;
            float* image = x + (nint)n * g.InImage;
            int left = j * g.StrideW - g.PadLeft;
            var (q0, q1) = Im2Col.ValidTaps(left, g.DilationW, g.WindowW, g.InW);
            bool whole = q0 == 0 && q1 == g.WindowW && (g.DilationW == 1 || g.WindowW == 1);
            for (int s = 0; s < g.WindowH; s++)
            {
                int ih = i * g.StrideH + s * g.DilationH - g.PadTop;
                float* row = image + ((nint)ih * g.InW + left) * c;
                if ((uint)ih >= (uint)g.InH || q0 >= q1) pointers[s * Mr + r] = zeros;
                else if (whole) pointers[s * Mr + r] = row;
                else
                {
                    float* copy = copies + (nint)(s * Mr + r) * segment;
                    new Span<float>(copy, segment).Clear();
                    for (int q = q0; q < q1; q++)
                        new ReadOnlySpan<float>(row + (nint)q * g.DilationW * c, c).CopyTo(new Span<float>(copy + q * c, c));
                    pointers[s * Mr + r] = copy;
                }
            }
        }
    }

    // 8×32 tile in 16 zmm accumulators; per step 2 loads of the kernel panel and 8 broadcasts, one from each window.
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile(float** pointers, int segments, int segment, float* b, float* c, nint ldc)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector512<float> c20 = default, c21 = default, c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default, c70 = default, c71 = default;
        for (int s = 0; s < segments; s++)
        {
            float** p = pointers + s * Mr;
            float* a0 = p[0], a1 = p[1], a2 = p[2], a3 = p[3], a4 = p[4], a5 = p[5], a6 = p[6], a7 = p[7];
            for (int k = 0; k < segment; k++)
            {
                var b0 = Vector512.Load(b);
                var b1 = Vector512.Load(b + 16);
                var v = Vector512.Create(a0[k]);
                c00 = Avx512F.FusedMultiplyAdd(v, b0, c00);
                c01 = Avx512F.FusedMultiplyAdd(v, b1, c01);
                v = Vector512.Create(a1[k]);
                c10 = Avx512F.FusedMultiplyAdd(v, b0, c10);
                c11 = Avx512F.FusedMultiplyAdd(v, b1, c11);
                v = Vector512.Create(a2[k]);
                c20 = Avx512F.FusedMultiplyAdd(v, b0, c20);
                c21 = Avx512F.FusedMultiplyAdd(v, b1, c21);
                v = Vector512.Create(a3[k]);
                c30 = Avx512F.FusedMultiplyAdd(v, b0, c30);
                c31 = Avx512F.FusedMultiplyAdd(v, b1, c31);
                v = Vector512.Create(a4[k]);
                c40 = Avx512F.FusedMultiplyAdd(v, b0, c40);
                c41 = Avx512F.FusedMultiplyAdd(v, b1, c41);
                v = Vector512.Create(a5[k]);
                c50 = Avx512F.FusedMultiplyAdd(v, b0, c50);
                c51 = Avx512F.FusedMultiplyAdd(v, b1, c51);
                v = Vector512.Create(a6[k]);
                c60 = Avx512F.FusedMultiplyAdd(v, b0, c60);
                c61 = Avx512F.FusedMultiplyAdd(v, b1, c61);
                v = Vector512.Create(a7[k]);
                c70 = Avx512F.FusedMultiplyAdd(v, b0, c70);
                c71 = Avx512F.FusedMultiplyAdd(v, b1, c71);
                b += Nr;
            }
        }
        c00.Store(c); c01.Store(c + 16);
        c10.Store(c + ldc); c11.Store(c + ldc + 16);
        c20.Store(c + 2 * ldc); c21.Store(c + 2 * ldc + 16);
        c30.Store(c + 3 * ldc); c31.Store(c + 3 * ldc + 16);
        c40.Store(c + 4 * ldc); c41.Store(c + 4 * ldc + 16);
        c50.Store(c + 5 * ldc); c51.Store(c + 5 * ldc + 16);
        c60.Store(c + 6 * ldc); c61.Store(c + 6 * ldc + 16);
        c70.Store(c + 7 * ldc); c71.Store(c + 7 * ldc + 16);
    }
}
