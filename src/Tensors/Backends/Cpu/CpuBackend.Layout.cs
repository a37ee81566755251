namespace Framework.Tensors.Backends.Cpu;

internal sealed partial class CpuBackend
{
    public void Transpose(Tensor x, int[] permutation, Tensor y)
    {
        int size = x.DType.SizeInBytes();
        if (x.Rank == 2 && size == 4)
        {
            Transpose2D(Span<int>(x), x.Shape[0], x.Shape[1], Span<int>(y));
            return;
        }
        if (x.Rank == 2 && size == 8)
        {
            Transpose2D(Span<long>(x), x.Shape[0], x.Shape[1], Span<long>(y));
            return;
        }
        if (TryTransposeRows(x, permutation, y)) return;
        var inStrides = x.Shape.Strides();
        int rank = x.Rank;
        // Stride in x of each output dimension, so the output is written sequentially.
        var strides = new int[rank];
        for (int i = 0; i < rank; i++) strides[i] = inStrides[permutation[i]];
        var src = Bytes(x);
        var dst = Bytes(y);
        Span<int> index = stackalloc int[rank];
        int offset = 0;
        for (int n = 0; n < y.Size; n++)
        {
            src.Slice(offset * size, size).CopyTo(dst.Slice(n * size, size));
            for (int d = rank - 1; d >= 0; d--)
            {
                offset += strides[d];
                if (++index[d] < y.Shape[d]) break;
                offset -= strides[d] * y.Shape[d];
                index[d] = 0;
            }
        }
    }

    /// <summary>Cache-blocked 2-D transpose: tiles of 32×32 keep both the reads and the writes in L1.</summary>
    private static void Transpose2D<T>(ReadOnlySpan<T> x, int rows, int cols, Span<T> y) where T : unmanaged
    {
        const int Tile = 32;
        for (int r0 = 0; r0 < rows; r0 += Tile)
        {
            int r1 = Math.Min(rows, r0 + Tile);
            for (int c0 = 0; c0 < cols; c0 += Tile)
            {
                int c1 = Math.Min(cols, c0 + Tile);
                for (int r = r0; r < r1; r++)
                {
                    for (int c = c0; c < c1; c++) y[c * rows + r] = x[r * cols + c];
                }
            }
        }
    }
}
