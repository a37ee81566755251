using Framework.Tensors.Kernels;

namespace Framework.Tensors.Backends.Cpu;

internal sealed partial class CpuBackend
{
    /// <remarks>
    /// Operands are at least 2-D here (the tensor op promotes vectors). Leading "batch" dimensions broadcast; each
    /// batch is one GEMM call on the matrices in place, transposes passed as flags so no transposed copy is made.
    /// </remarks>
    public unsafe void MatMul(Tensor a, bool transA, Tensor b, bool transB, Tensor y, bool accumulate)
    {
        int m = y.Shape[-2], n = y.Shape[-1];
        int k = transA ? a.Shape[-2] : a.Shape[-1];
        int lda = a.Shape[-1], ldb = b.Shape[-1];
        var batch = new Shape(y.Shape.Dims[..^2]);
        var plan = BroadcastPlan.Create(batch, new Shape(a.Shape.Dims[..^2]), new Shape(b.Shape.Dims[..^2]));
        int aMatrix = a.Shape[-2] * a.Shape[-1], bMatrix = b.Shape[-2] * b.Shape[-1], yMatrix = m * n;
        float beta = accumulate ? 1f : 0f;
        Span<int> off = stackalloc int[3];
        int batches = Math.Max(plan.Runs * plan.Inner, batch.Size);
        for (int i = 0; i < batches; i++)
        {
            BatchOffsets(plan, i, off);
            if (a.DType == DType.Float32)
            {
                fixed (float* pa = Span<float>(a), pb = Span<float>(b), py = Span<float>(y))
                {
                    Sgemm.Multiply(transA, transB, m, n, k, pa + off[1] * aMatrix, lda, pb + off[2] * bMatrix, ldb, py + off[0] * yMatrix, n, beta);
                }
            }
            else if (a.DType == DType.Float64)
            {
                fixed (double* pa = Span<double>(a), pb = Span<double>(b), py = Span<double>(y))
                {
                    Dgemm.Multiply(transA, transB, m, n, k, pa + off[1] * aMatrix, lda, pb + off[2] * bMatrix, ldb, py + off[0] * yMatrix, n, beta);
                }
            }
            else
            {
                Throw.DTypeNotSupported("MatMul", a.DType);
            }
        }
    }

    /// <summary>Matrix offsets (in matrices, not elements) of batch <paramref name="i"/> for y, a and b.</summary>
    private static void BatchOffsets(BroadcastPlan plan, int i, Span<int> offsets)
    {
        if (plan.Runs == 0 || plan.Inner == 0)
        {
            offsets.Clear();
            return;
        }
        plan.Offsets(i / plan.Inner, offsets);
        int within = i % plan.Inner;
        offsets[0] += within;
        if (!plan.InnerRepeated[1]) offsets[1] += within;
        if (!plan.InnerRepeated[2]) offsets[2] += within;
    }
}
