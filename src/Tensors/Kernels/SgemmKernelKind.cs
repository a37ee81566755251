namespace Framework.Tensors.Kernels;

/// <summary>The instruction set a <see cref="Sgemm"/> micro-kernel uses, from the most portable up.</summary>
internal enum SgemmKernelKind
{
    /// <summary>Plain scalar code, a 4×4 tile: runs anywhere.</summary>
    Scalar,

    /// <summary>AVX2 with FMA, a 6×16 tile in 256-bit registers.</summary>
    Avx2,

    /// <summary>AVX-512F, an 8×32 tile in 512-bit registers.</summary>
    Avx512,
}
