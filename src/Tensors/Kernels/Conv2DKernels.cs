using System.Runtime.CompilerServices;
using Framework.Tensors.Backends;

namespace Framework.Tensors.Kernels;

/// <summary>2-D convolution over NHWC images and its two gradients, as im2col feeding the packed GEMMs.</summary>
/// <remarks>
/// <para>
/// With the kernel as a <c>(kh·kw·in, out)</c> matrix W (its <c>(kh, kw, in, out)</c> layout already is one) and the
/// windows of a group of images as the rows of a matrix X (<see cref="Im2Col"/>): <c>y = X·W</c>,
/// <c>dX = dy·Wᵀ</c> (added back into the image gradient by col2im) and <c>dW = Σ Xᵀ·dy</c>. A 1×1 kernel with stride
/// 1 reads the images in place, with no copy.
/// </para>
/// <para>
/// The batch is cut into chunks of whole images, a number that depends only on the shapes, one parallel task each.
/// A task walks its chunk in blocks of rows of about 512 KiB of im2col matrix (never the whole batch's matrix): it
/// packs a block into its thread's buffer and multiplies it while the block is still in L2; the input gradient
/// multiplies first and adds the block back into its own images, in row order. The kernel gradient sums each fixed
/// group of chunks into its own partial, then the partials in group order, so every result is bit-identical on any
/// number of threads.
/// </para>
/// </remarks>
internal static unsafe class Conv2DKernels
{
    // About 2k im2col rows per task: the CNN's 32→64 layer gets 3 images per task, so a batch of 128 gives 43 tasks to
    // balance across the threads, each worth a hand-off.
    private const int TargetRows = 2048;

    // Kernel-gradient partial sums: enough groups for the cores, few enough that summing them costs nothing.
    private const int KernelGradGroups = 8;

    // Rows of one im2col block: about 512 KiB, so that the block is still in L2 when the GEMM packs it. A multiple of 8
    // (the AVX-512 micro-kernel's rows); at least 64 rows so that the kernel's packing is shared by enough of them.
    private const int BlockBytes = 512 * 1024;

    /// <summary>Rows per im2col block; depends only on the shapes.</summary>
    public static int BlockRows(in WindowGeometry g) => Math.Max(64, BlockBytes / 4 / Math.Max(1, g.PatchSize)) & ~7;

    /// <summary>Images per chunk for a geometry; depends only on the shapes.</summary>
    public static int ImagesPerChunk(in WindowGeometry g) => Math.Max(1, TargetRows / Math.Max(1, g.OutPixels));

    /// <summary><c>y = conv(x, w)</c>: x is (N, H, W, in), w is (kh, kw, in, out), y is (N, outH, outW, out).</summary>
    public static void Forward<T>(T* x, T* w, T* y, in WindowGeometry g, int outChannels) where T : unmanaged
    {
        if (typeof(T) == typeof(float) && !g.IsPointwise && Conv2DDirect.IsAvailable)
        {
            float* packed = ScratchBuffer.Get<float>(ScratchBuffer.Slot.Gather, Conv2DDirect.PackedKernelSize(g, outChannels));
            Conv2DDirect.PackKernel((float*)w, g.PatchSize, outChannels, packed);
            var direct = new DirectBody { X = (float*)x, W = packed, Y = (float*)y, G = g, OutC = outChannels, PerChunk = ImagesPerChunk(g) };
            CpuParallel.For(Chunks(g, direct.PerChunk), ref direct);
            return;
        }
        var body = new Body<T> { Kind = Pass.Forward, X = x, W = w, Y = y, G = g, OutC = outChannels, PerChunk = ImagesPerChunk(g) };
        CpuParallel.For(Chunks(g, body.PerChunk), ref body);
    }

    /// <summary>The gradient of the input, <paramref name="dx"/> (overwritten), from the output's, <paramref name="dy"/>.</summary>
    public static void BackwardInput<T>(T* dy, T* w, T* dx, in WindowGeometry g, int outChannels) where T : unmanaged, System.Numerics.INumberBase<T>
    {
        var body = new Body<T> { Kind = Pass.Input, X = dx, W = w, Y = dy, G = g, OutC = outChannels, PerChunk = ImagesPerChunk(g) };
        CpuParallel.For(Chunks(g, body.PerChunk), ref body);
    }

    /// <summary>The gradient of the kernel, <paramref name="dw"/> (overwritten), from the input and the output's gradient.</summary>
    public static void BackwardKernel<T>(T* x, T* dy, T* dw, in WindowGeometry g, int outChannels) where T : unmanaged, System.Numerics.INumberBase<T>
    {
        int perChunk = ImagesPerChunk(g), chunks = Chunks(g, perChunk);
        int groups = Math.Min(KernelGradGroups, chunks);
        nint size = (nint)g.PatchSize * outChannels;
        T* partials = groups == 1 ? dw : ScratchBuffer.Get<T>(ScratchBuffer.Slot.Gather, size * groups);
        var body = new Body<T> { Kind = Pass.Kernel, X = x, W = partials, Y = dy, G = g, OutC = outChannels, PerChunk = perChunk, Groups = groups, Chunks = chunks };
        CpuParallel.For(groups, ref body);
        if (groups == 1) return;
        var total = new Span<T>(dw, (int)size);
        new ReadOnlySpan<T>(partials, (int)size).CopyTo(total);
        for (int i = 1; i < groups; i++)
            System.Numerics.Tensors.TensorPrimitives.Add(total, new ReadOnlySpan<T>(partials + i * size, (int)size), total);
    }

    private static int Chunks(in WindowGeometry g, int perChunk) => (g.Batch + perChunk - 1) / perChunk;

    private enum Pass { Forward, Input, Kernel }

    /// <summary>One chunk of images through <see cref="Conv2DDirect"/>, W being the packed kernel.</summary>
    private struct DirectBody : IParallelBody
    {
        public float* X, W, Y;
        public WindowGeometry G;
        public int OutC, PerChunk;

        public readonly void Invoke(int index)
        {
            int n0 = index * PerChunk, count = Math.Min(PerChunk, G.Batch - n0);
            float* buffer = ScratchBuffer.Get<float>(ScratchBuffer.Slot.Task, Conv2DDirect.TaskBufferSize(G));
            Conv2DDirect.Rows(X, W, Y, G, OutC, (long)n0 * G.OutPixels, (long)count * G.OutPixels, buffer);
        }
    }

    /// <summary>One chunk of images (a group of chunks for the kernel gradient).</summary>
    private struct Body<T> : IParallelBody where T : unmanaged
    {
        public Pass Kind;
        public T* X, W, Y;
        public WindowGeometry G;
        public int OutC, PerChunk, Groups, Chunks;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Invoke(int index)
        {
            if (Kind == Pass.Kernel)
            {
                // Group `index` owns chunks [first, last) and sums them in order into its own partial.
                int first = (int)((long)Chunks * index / Groups), last = (int)((long)Chunks * (index + 1) / Groups);
                T* partial = W + (nint)index * G.PatchSize * OutC;
                for (int chunk = first; chunk < last; chunk++) Chunk(chunk, partial, accumulate: chunk > first);
                return;
            }
            if (Kind == Pass.Input) new Span<T>(X + (nint)index * PerChunk * G.InImage, (Math.Min(G.Batch, (index + 1) * PerChunk) - index * PerChunk) * G.InImage).Clear();
            Chunk(index, null, false);
        }

        /// <summary>One chunk of images, in blocks of rows whose im2col matrix stays in the core's cache between its packing and its product.</summary>
        private readonly void Chunk(int chunk, T* partial, bool accumulate)
        {
            int n0 = chunk * PerChunk, count = Math.Min(PerChunk, G.Batch - n0);
            long rowStart = (long)n0 * G.OutPixels, rowEnd = rowStart + (long)count * G.OutPixels;
            int k = G.PatchSize, block = BlockRows(G);
            for (long r0 = rowStart; r0 < rowEnd; r0 += block)
            {
                int rows = (int)Math.Min(block, rowEnd - r0);
                T* dy = Y + (nint)r0 * OutC;
                if (G.IsPointwise)
                {
                    T* matrix = X + (nint)r0 * k;
                    if (Kind == Pass.Forward) Gemm.Multiply(false, false, rows, OutC, k, matrix, k, W, OutC, dy, OutC, accumulate: false);
                    else if (Kind == Pass.Input) Gemm.Multiply(false, true, rows, k, OutC, dy, OutC, W, OutC, matrix, k, accumulate: false);
                    else Gemm.Multiply(true, false, k, OutC, rows, matrix, k, dy, OutC, partial, OutC, accumulate || r0 > rowStart);
                    continue;
                }
                T* cols = ScratchBuffer.Get<T>(ScratchBuffer.Slot.Task, (nint)block * k);
                if (Kind == Pass.Input)
                {
                    Gemm.Multiply(false, true, rows, k, OutC, dy, OutC, W, OutC, cols, k, accumulate: false);
                    if (typeof(T) == typeof(float)) Im2Col.UnpackAdd((float*)cols, G, r0, rows, (float*)X);
                    else Im2Col.UnpackAdd((double*)cols, G, r0, rows, (double*)X);
                    continue;
                }
                Im2Col.Pack(X, G, r0, rows, cols);
                if (Kind == Pass.Forward) Gemm.Multiply(false, false, rows, OutC, k, cols, k, W, OutC, dy, OutC, accumulate: false);
                else Gemm.Multiply(true, false, k, OutC, rows, cols, k, dy, OutC, partial, OutC, accumulate || r0 > rowStart);
            }
        }
    }
}
