using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Framework.Tensors.Kernels;

/// <summary>Sums the rows of a row-major block column by column (a reduction along a non-innermost axis).</summary>
/// <remarks>
/// Each column is summed top to bottom in one running total, <c>((x₀ + x₁) + x₂) + …</c>, on every path, so the
/// result has the same bits as adding whole rows into an accumulator row, whatever the vector width or the way the
/// columns are split across threads. The totals stay in registers across eight rows at a time: a row-by-row
/// <c>TensorPrimitives.Add(total, row, total)</c> costs a call, a load and a store of the totals per row. Walking one
/// narrow strip of columns down all the rows instead would touch a new page per row, where prefetchers stop.
/// </remarks>
internal static class ColumnSum
{
    /// <summary>Selects a path; tests force the narrower ones to check that they give the same bits.</summary>
    internal enum Path
    {
        /// <summary>One column at a time.</summary>
        Scalar,

        /// <summary>256-bit vectors.</summary>
        Vector256,

        /// <summary>512-bit vectors.</summary>
        Vector512,
    }

    /// <summary>The widest path this machine accelerates.</summary>
    internal static Path Best { get; } =
        Vector512.IsHardwareAccelerated ? Path.Vector512 : Vector256.IsHardwareAccelerated ? Path.Vector256 : Path.Scalar;

    /// <summary>y[c] = Σⱼ x[j·stride + c] for c in [0, y.Length) and j in [0, rows).</summary>
    /// <param name="x">The first element of the block's first row, column 0 of the range.</param>
    /// <param name="rows">Rows to sum, at least 1.</param>
    /// <param name="stride">Elements from one row to the next.</param>
    /// <param name="y">One total per column.</param>
    public static void Sum<T>(ReadOnlySpan<T> x, int rows, int stride, Span<T> y) where T : unmanaged, INumber<T> =>
        Sum(x, rows, stride, y, Best);

    /// <summary>As <see cref="Sum{T}(ReadOnlySpan{T}, int, int, Span{T})"/> on a chosen path, no wider than <see cref="Best"/>.</summary>
    /// <param name="x">The first element of the block's first row, column 0 of the range.</param>
    /// <param name="rows">Rows to sum, at least 1.</param>
    /// <param name="stride">Elements from one row to the next.</param>
    /// <param name="y">One total per column.</param>
    /// <param name="path">The path to use.</param>
    internal static void Sum<T>(ReadOnlySpan<T> x, int rows, int stride, Span<T> y, Path path) where T : unmanaged, INumber<T>
    {
        int columns = y.Length;
        if (rows < 1 || (long)(rows - 1) * stride + columns > x.Length)
            throw new ArgumentOutOfRangeException(nameof(rows), "The block does not fit in the source.");
        x[..columns].CopyTo(y);
        for (int first = 1; first < rows; first += RowsPerPass)
        {
            int count = Math.Min(RowsPerPass, rows - first);
            AddRows(ref Unsafe.Add(ref MemoryMarshal.GetReference(x), (nint)first * stride), count, stride,
                ref MemoryMarshal.GetReference(y), columns, path);
        }
    }

    /// <summary>Rows added per pass over the totals: the totals are loaded and stored once per pass, and a pass reads
    /// this many rows side by side, each sequentially, which the hardware prefetchers follow.</summary>
    private const int RowsPerPass = 8;

    /// <summary>y[c] += x[0·stride + c] + … in row order, for <paramref name="count"/> rows.</summary>
    private static void AddRows<T>(ref T xs, int count, int stride, ref T ys, int columns, Path path) where T : unmanaged, INumber<T>
    {
        int c = 0;
        if (path == Path.Vector512 && Vector512<T>.IsSupported)
        {
            int w = Vector512<T>.Count;
            for (; c + 2 * w <= columns; c += 2 * w)
            {
                nuint p = (nuint)c;
                Vector512<T> a0 = Vector512.LoadUnsafe(ref ys, p), a1 = Vector512.LoadUnsafe(ref ys, p + (nuint)w);
                for (int j = 0; j < count; j++, p += (nuint)stride)
                {
                    a0 += Vector512.LoadUnsafe(ref xs, p);
                    a1 += Vector512.LoadUnsafe(ref xs, p + (nuint)w);
                }
                a0.StoreUnsafe(ref ys, (nuint)c);
                a1.StoreUnsafe(ref ys, (nuint)(c + w));
            }
            for (; c + w <= columns; c += w)
            {
                nuint p = (nuint)c;
                var a = Vector512.LoadUnsafe(ref ys, p);
                for (int j = 0; j < count; j++, p += (nuint)stride) a += Vector512.LoadUnsafe(ref xs, p);
                a.StoreUnsafe(ref ys, (nuint)c);
            }
        }
        if (path >= Path.Vector256 && Vector256<T>.IsSupported)
        {
            int w = Vector256<T>.Count;
            for (; c + w <= columns; c += w)
            {
                nuint p = (nuint)c;
                var a = Vector256.LoadUnsafe(ref ys, p);
                for (int j = 0; j < count; j++, p += (nuint)stride) a += Vector256.LoadUnsafe(ref xs, p);
                a.StoreUnsafe(ref ys, (nuint)c);
            }
        }
        for (; c < columns; c++)
        {
            T a = Unsafe.Add(ref ys, c);
            for (int j = 0; j < count; j++) a += Unsafe.Add(ref xs, (nint)j * stride + c);
            Unsafe.Add(ref ys, c) = a;
        }
    }
}
