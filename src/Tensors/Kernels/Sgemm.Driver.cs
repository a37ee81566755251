using System.Runtime.CompilerServices;

namespace Framework.Tensors.Kernels;

internal static unsafe partial class Sgemm
{
    // Below this many rows each B panel is reused by few A panels, so copying B costs more than reading it in place.
    private const int DirectBMaxRows = 64;

    // A transposed A already holds each k-step of a panel contiguously; with few B panels to sweep, reading it in
    // place beats copying it. (With many, its large row stride would keep evicting it from L1.)
    private const int DirectAMaxCols = 256;

    // About 100 µs of work on one Zen 5 core: smaller calls stay on the calling thread. A hand-off costs more than its
    // share of the work below that on a shared VM: a worker that has gone to sleep takes tens of µs to wake, and one
    // preempted in the middle of a task stalls the caller until it runs again. At the old 2e6 the reference MLP's
    // training step (whose GEMMs are 6.4 MFLOP at most) took 271 µs on 2 threads against 155 µs on 1.
    private const double MinParallelFlops = 16e6;

    // Each parallel task (per k-block) should be worth a thread hand-off: about 2.5 µs of work.
    private const double MinFlopsPerTask = 0.5e6;

    // Packing is memory-bound and short; below this many floats a single thread packs faster than two can meet.
    private const long MinParallelPackFloats = 64 * 1024;

    private static void Run(SgemmBlocking blocking, bool transA, bool transB, int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc, float beta)
    {
        int mr = blocking.Mr, nr = blocking.Nr;
        int mPanels = (m + mr - 1) / mr;
        // Even k-blocks (rounded to the 8-wide transposes of packing) avoid a thin last block that would pay the
        // C-tile load/store for only a few steps; they depend only on k, so results stay thread-count independent.
        int kBlocks = (k + blocking.Kc - 1) / blocking.Kc;
        int kcFull = Math.Min(k, ((k + kBlocks - 1) / kBlocks + 7) & ~7);
        int ncMax = Math.Min(n, blocking.Nc);
        int ncPanelsMax = (ncMax + nr - 1) / nr;
        bool directB = !transB && m <= DirectBMaxRows;
        bool directA = transA && n <= DirectAMaxCols;
        int aFirst = directA ? mPanels - (m % mr != 0 ? 1 : 0) : 0;

        var workspace = SgemmWorkspace.Current;
        float* packA = workspace.PackA((nint)mPanels * mr * kcFull);
        float* packB = workspace.PackB((nint)ncPanelsMax * nr * kcFull);

        int threads = Threading.MaxThreads;
        double flops = 2.0 * m * n * k;
        int tasks = threads > 1 && flops >= MinParallelFlops
            ? (int)Math.Clamp(flops / kBlocks / MinFlopsPerTask, 1, 2 * threads)
            : 1;
        // A whole number of tasks per thread: 3 tasks on 2 threads would leave one thread idle a third of the time.
        if (tasks > threads)
            tasks -= tasks % threads;

        for (int pc = 0; pc < k; pc += kcFull)
        {
            int kc = Math.Min(kcFull, k - pc);
            float blockBeta = pc == 0 ? beta : 1f;
            for (int jc = 0; jc < n; jc += blocking.Nc)
            {
                int nc = Math.Min(blocking.Nc, n - jc);
                int ncPanels = (nc + nr - 1) / nr;
                // In direct mode only a ragged last panel is packed (zero-padded), the others are read in place.
                int bFirst = directB ? ncPanels - (nc % nr != 0 ? 1 : 0) : 0;
                var pack = new PackBody
                {
                    TransA = transA, TransB = transB, A = a, Lda = lda, B = b, Ldb = ldb,
                    M = m, Nc = nc, Jc = jc, Pc = pc, Kc = kc, Mr = mr, Nr = nr, PackA = packA, PackB = packB,
                    AFirst = aFirst, APanels = jc == 0 ? mPanels - aFirst : 0, BFirst = bFirst, BPanels = ncPanels - bFirst,
                };
                long packFloats = (long)pack.APanels * mr * kc + (long)pack.BPanels * nr * kc;
                if (tasks > 1 && packFloats >= MinParallelPackFloats)
                {
                    // Share the tasks between A and B by volume: a B panel holds Nr/Mr times the floats of an A panel,
                    // so splitting by panel count would leave one task with most of the copying.
                    int packTasks = 2 * threads;
                    long aFloats = (long)pack.APanels * mr * kc;
                    pack.ATasks = Math.Min(pack.APanels, Math.Max(pack.APanels > 0 ? 1 : 0, (int)(packTasks * aFloats / packFloats)));
                    pack.BTasks = Math.Min(pack.BPanels, Math.Max(pack.BPanels > 0 ? 1 : 0, packTasks - pack.ATasks));
                }
                else
                {
                    pack.ATasks = pack.APanels > 0 ? 1 : 0;
                    pack.BTasks = pack.BPanels > 0 ? 1 : 0;
                }
                CpuParallel.For(pack.ATasks + pack.BTasks, ref pack);

                var compute = new ComputeBody
                {
                    Kind = blocking.Kind, A = a, Lda = lda, PackA = packA, B = b, Ldb = ldb, PackB = packB, C = c, Ldc = ldc, Beta = blockBeta,
                    M = m, Nc = nc, Jc = jc, Pc = pc, Kc = kc, Mr = mr, Nr = nr, McPanels = blocking.McPanels,
                    MPanels = mPanels, NcPanels = ncPanels, DirectA = directA, DirectB = directB,
                };
                // Split the larger dimension first so each task streams its own slice of the bigger operand.
                if (m >= nc)
                {
                    compute.RowTasks = Math.Min(tasks, mPanels);
                    compute.ColTasks = Math.Min((tasks + compute.RowTasks - 1) / compute.RowTasks, ncPanels);
                }
                else
                {
                    compute.ColTasks = Math.Min(tasks, ncPanels);
                    compute.RowTasks = Math.Min((tasks + compute.ColTasks - 1) / compute.ColTasks, mPanels);
                }
                CpuParallel.For(compute.RowTasks * compute.ColTasks, ref compute);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Kernel(SgemmKernelKind kind, int kc, float* a, nint rsa, float* b, nint rsb, float* c, nint ldc, float beta)
    {
        switch (kind)
        {
            case SgemmKernelKind.Avx512:
                KernelAvx512(kc, a, rsa, b, rsb, c, ldc, beta);
                break;
            case SgemmKernelKind.Avx2:
                KernelAvx2(kc, a, rsa, b, rsb, c, ldc, beta);
                break;
            default:
                KernelScalar(kc, a, rsa, b, rsb, c, ldc, beta);
                break;
        }
    }

    /// <summary>Adds the valid <paramref name="rows"/>×<paramref name="cols"/> corner of an edge tile into C.</summary>
    private static void AddTile(float* tile, int tileStride, float* c, nint ldc, int rows, int cols, float beta)
    {
        for (int r = 0; r < rows; r++, tile += tileStride, c += ldc)
        {
            for (int j = 0; j < cols; j++)
                c[j] = beta == 0f ? tile[j] : beta == 1f ? c[j] + tile[j] : MathF.FusedMultiplyAdd(beta, c[j], tile[j]);
        }
    }

    private static int Split(int total, int parts, int index) => (int)((long)total * index / parts);

    /// <summary>Packs the A panels (first column block only) and the B panels of one (k-block, column block).</summary>
    private struct PackBody : IParallelBody
    {
        public bool TransA, TransB;
        public float* A, B, PackA, PackB;
        public int Lda, Ldb, M, Nc, Jc, Pc, Kc, Mr, Nr, AFirst, APanels, BFirst, BPanels, ATasks, BTasks;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Invoke(int index)
        {
            if (index < ATasks)
            {
                int end = AFirst + Split(APanels, ATasks, index + 1);
                for (int ip = AFirst + Split(APanels, ATasks, index); ip < end; ip++)
                {
                    int row = ip * Mr;
                    Sgemm.PackA(TransA, A, Lda, row, Math.Min(Mr, M - row), Pc, Kc, Mr, PackA + (nint)ip * Mr * Kc);
                }
                return;
            }
            int task = index - ATasks;
            Sgemm.PackBPanels(TransB, B, Ldb, Jc, Nc, BFirst + Split(BPanels, BTasks, task), BFirst + Split(BPanels, BTasks, task + 1),
                Pc, Kc, Nr, PackB);
        }
    }

    /// <summary>Runs the micro-kernel over one rectangle of tiles of one (k-block, column-block).</summary>
    private struct ComputeBody : IParallelBody
    {
        public SgemmKernelKind Kind;
        public float* A, PackA, B, PackB, C;
        public float Beta;
        public bool DirectA, DirectB;
        public int Lda, Ldb, Ldc, M, Nc, Jc, Pc, Kc, Mr, Nr, McPanels, MPanels, NcPanels, RowTasks, ColTasks;

        [SkipLocalsInit]
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Invoke(int index)
        {
            int rowTask = index / ColTasks, colTask = index % ColTasks;
            int ipEnd = Split(MPanels, RowTasks, rowTask + 1);
            int jpStart = Split(NcPanels, ColTasks, colTask), jpEnd = Split(NcPanels, ColTasks, colTask + 1);
            float* tile = stackalloc float[SgemmBlocking.MaxTile];
            // Loop order: an L2-sized block of A panels, then each B panel once (it stays in L1 while the A panels of
            // the block stream past it).
            int ipStart = Split(MPanels, RowTasks, rowTask);
            // Equal L2 blocks: a short last block would reuse each B panel for only a few A panels.
            int blocks = (ipEnd - ipStart + McPanels - 1) / McPanels;
            for (int block = 0; block < blocks; block++)
            {
                int ib = ipStart + Split(ipEnd - ipStart, blocks, block);
                int ibEnd = ipStart + Split(ipEnd - ipStart, blocks, block + 1);
                for (int jp = jpStart; jp < jpEnd; jp++)
                {
                    int col = jp * Nr;
                    int cols = Math.Min(Nr, Nc - col);
                    float* bPanel;
                    nint rsb;
                    if (DirectB && cols == Nr)
                    {
                        bPanel = B + (nint)Pc * Ldb + Jc + col;
                        rsb = Ldb;
                    }
                    else
                    {
                        bPanel = PackB + (nint)jp * Nr * Kc;
                        rsb = Nr;
                    }
                    for (int ip = ib; ip < ibEnd; ip++)
                    {
                        int row = ip * Mr;
                        int rows = Math.Min(Mr, M - row);
                        float* aPanel;
                        nint rsa;
                        if (DirectA && rows == Mr)
                        {
                            aPanel = A + (nint)Pc * Lda + row;
                            rsa = Lda;
                        }
                        else
                        {
                            aPanel = PackA + (nint)ip * Mr * Kc;
                            rsa = Mr;
                        }
                        float* cTile = C + (nint)row * Ldc + Jc + col;
                        if (rows == Mr && cols == Nr)
                        {
                            Kernel(Kind, Kc, aPanel, rsa, bPanel, rsb, cTile, Ldc, Beta);
                        }
                        else
                        {
                            Kernel(Kind, Kc, aPanel, rsa, bPanel, rsb, tile, Nr, 0f);
                            AddTile(tile, Nr, cTile, Ldc, rows, cols, Beta);
                        }
                    }
                }
            }
        }
    }
}
