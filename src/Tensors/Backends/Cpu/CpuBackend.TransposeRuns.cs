namespace Framework.Tensors.Backends.Cpu;

internal sealed partial class CpuBackend
{
    /// <summary>
    /// A permutation that keeps the last axis in place (such as (batch, steps, features) ↔ (steps, batch, features),
    /// which recurrent layers make on every call) moves whole rows: copy them as blocks instead of element by element.
    /// </summary>
    /// <returns>Whether the permutation was of that kind and has been done.</returns>
    private static bool TryTransposeRows(Tensor x, int[] permutation, Tensor y)
    {
        int rank = x.Rank;
        if (rank < 3 || permutation[rank - 1] != rank - 1 || x.Shape[rank - 1] < 4) return false;
        int rowBytes = x.Shape[rank - 1] * x.DType.SizeInBytes();
        var inStrides = x.Shape.Strides();
        // Stride in x, in rows, of each output dimension but the last; the output is written row after row.
        int outer = rank - 1;
        Span<int> strides = stackalloc int[outer];
        Span<int> index = stackalloc int[outer];
        for (int i = 0; i < outer; i++) strides[i] = inStrides[permutation[i]] / x.Shape[rank - 1];
        var src = Bytes(x);
        var dst = Bytes(y);
        int rows = y.Size / x.Shape[rank - 1], offset = 0;
        for (int n = 0; n < rows; n++)
        {
            src.Slice(offset * rowBytes, rowBytes).CopyTo(dst.Slice(n * rowBytes, rowBytes));
            for (int d = outer - 1; d >= 0; d--)
            {
                offset += strides[d];
                if (++index[d] < y.Shape[d]) break;
                offset -= strides[d] * y.Shape[d];
                index[d] = 0;
            }
        }
        return true;
    }
}
