namespace Framework.Tensors.Kernels;

/// <summary>Tile and cache-block sizes of one <see cref="Sgemm"/> micro-kernel.</summary>
/// <param name="Kind">The micro-kernel.</param>
/// <param name="Mr">Rows of the register tile.</param>
/// <param name="Nr">Columns of the register tile.</param>
/// <param name="Kc">Depth of one k-block: a <c>Kc×Nr</c> B panel stays in L1 while the tiles below it are computed.</param>
/// <param name="McPanels">A panels per L2 block: the <c>Mr·McPanels×Kc</c> slice of packed A that is swept for each B panel.</param>
/// <param name="Nc">Columns packed at once: bounds the packed-B buffer, which lives in L3.</param>
internal readonly record struct SgemmBlocking(SgemmKernelKind Kind, int Mr, int Nr, int Kc, int McPanels, int Nc)
{
    /// <summary>The largest register tile of any kernel, for edge-tile scratch space.</summary>
    public const int MaxTile = 8 * 32;

    // Zen 5: 48 KiB L1D, 1 MiB L2 per core. Kc = 256 keeps the 32 KiB B panel in L1 next to the streamed A panel;
    // McPanels = 64 makes the A block 512x256 floats = 512 KiB, half of L2. Measured on 1024^3, 2048^3 and
    // 256x4096x4096: Kc 192-320 and McPanels 24-128 are within 5% of each other, 48-64 was best.
    private static readonly SgemmBlocking s_avx512 = new(SgemmKernelKind.Avx512, 8, 32, 256, 64, 4096);
    private static readonly SgemmBlocking s_avx2 = new(SgemmKernelKind.Avx2, 6, 16, 256, 32, 4096);
    private static readonly SgemmBlocking s_scalar = new(SgemmKernelKind.Scalar, 4, 4, 256, 32, 4096);

    /// <summary>The blocking of a kernel kind.</summary>
    public static SgemmBlocking For(SgemmKernelKind kind) => kind switch
    {
        SgemmKernelKind.Avx512 => s_avx512,
        SgemmKernelKind.Avx2 => s_avx2,
        _ => s_scalar,
    };
}
