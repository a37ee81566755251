using System.Runtime.CompilerServices;
using Framework.Tensors.Backends;

namespace Framework.Tensors.Kernels;

/// <summary>Copies the windows of NHWC images into the rows of a matrix (im2col), and adds such rows back (col2im).</summary>
/// <remarks>
/// Row <c>(n, i, j)</c> of the matrix holds the window of output position <c>(i, j)</c> of image n in the kernel's
/// <c>(kh, kw, in)</c> order, zeros where the window hangs over the border, so that a convolution becomes one matrix
/// product with the <c>(kh·kw·in, out)</c> kernel. With a dilation of 1 along the width, each window row is one
/// contiguous run of the image row, copied in one go.
/// </remarks>
internal static unsafe class Im2Col
{
    /// <summary>Writes rows <c>[first, first + count)</c> of the whole batch's matrix (row <c>(n·outH + i)·outW + j</c>) into <paramref name="cols"/>.</summary>
    public static void Pack<T>(T* x, in WindowGeometry g, long first, int count, T* cols) where T : unmanaged
    {
        int c = g.Channels, patch = g.PatchSize;
        for (int r = 0; r < count; r++)
        {
            long flat = first + r;
            int n = (int)(flat / g.OutPixels), pixel = (int)(flat % g.OutPixels), i = pixel / g.OutW, j = pixel % g.OutW;
            T* image = x + (nint)n * g.InImage;
            T* row = cols + (nint)r * patch;
            var (q0, q1) = ValidTaps(j * g.StrideW - g.PadLeft, g.DilationW, g.WindowW, g.InW);
            for (int p = 0; p < g.WindowH; p++)
            {
                T* dst = row + (nint)p * g.WindowW * c;
                int ih = i * g.StrideH + p * g.DilationH - g.PadTop;
                if ((uint)ih >= (uint)g.InH || q0 >= q1)
                {
                    new Span<T>(dst, g.WindowW * c).Clear();
                    continue;
                }
                if (q0 > 0) new Span<T>(dst, q0 * c).Clear();
                if (q1 < g.WindowW) new Span<T>(dst + q1 * c, (g.WindowW - q1) * c).Clear();
                T* src = image + ((nint)ih * g.InW + j * g.StrideW - g.PadLeft) * c;
                if (g.DilationW == 1)
                {
                    Copy(src + q0 * c, dst + q0 * c, (q1 - q0) * c);
                    continue;
                }
                for (int q = q0; q < q1; q++) Copy(src + (nint)q * g.DilationW * c, dst + q * c, c);
            }
        }
    }

    /// <summary>Adds rows <c>[first, first + count)</c> of the batch's matrix, held in <paramref name="cols"/>, back into <paramref name="x"/> (the transpose of <see cref="Pack{T}"/>).</summary>
    /// <remarks>Windows are added in row order, so overlapping windows always sum in the same order.</remarks>
    public static void UnpackAdd<T>(T* cols, in WindowGeometry g, long first, int count, T* x) where T : unmanaged, System.Numerics.INumberBase<T>
    {
        int c = g.Channels, patch = g.PatchSize;
        for (int r = 0; r < count; r++)
        {
            long flat = first + r;
            int n = (int)(flat / g.OutPixels), pixel = (int)(flat % g.OutPixels), i = pixel / g.OutW, j = pixel % g.OutW;
            T* image = x + (nint)n * g.InImage;
            T* row = cols + (nint)r * patch;
            var (q0, q1) = ValidTaps(j * g.StrideW - g.PadLeft, g.DilationW, g.WindowW, g.InW);
            for (int p = 0; p < g.WindowH; p++)
            {
                int ih = i * g.StrideH + p * g.DilationH - g.PadTop;
                if ((uint)ih >= (uint)g.InH) continue;
                T* src = row + (nint)p * g.WindowW * c;
                T* dst = image + ((nint)ih * g.InW + j * g.StrideW - g.PadLeft) * c;
                if (g.DilationW == 1)
                {
                    Add(src + q0 * c, dst + q0 * c, (q1 - q0) * c);
                    continue;
                }
                for (int q = q0; q < q1; q++) Add(src + q * c, dst + (nint)q * g.DilationW * c, c);
            }
        }
    }

    /// <summary>The window taps <c>[q0, q1)</c> whose column <c>start + q·dilation</c> lies in <c>[0, width)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (int Q0, int Q1) ValidTaps(int start, int dilation, int window, int width)
    {
        int q0 = start >= 0 ? 0 : (-start + dilation - 1) / dilation;
        int q1 = start >= width ? 0 : Math.Min(window, (width - 1 - start) / dilation + 1);
        return (Math.Min(q0, window), Math.Max(q1, Math.Min(q0, window)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy<T>(T* src, T* dst, int length) where T : unmanaged
    {
        if (length == 1) *dst = *src;
        else new ReadOnlySpan<T>(src, length).CopyTo(new Span<T>(dst, length));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add<T>(T* src, T* dst, int length) where T : unmanaged, System.Numerics.INumberBase<T>
    {
        if (length == 1)
        {
            *dst += *src;
            return;
        }
        var d = new Span<T>(dst, length);
        System.Numerics.Tensors.TensorPrimitives.Add(d, new ReadOnlySpan<T>(src, length), d);
    }
}
