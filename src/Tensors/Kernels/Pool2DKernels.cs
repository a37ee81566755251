using System.Numerics;
using System.Runtime.CompilerServices;
using Framework.Tensors.Backends;

namespace Framework.Tensors.Kernels;

/// <summary>Max and average pooling over NHWC images, and their gradients.</summary>
/// <remarks>
/// Each output position combines the window's channel vectors, skipping positions outside the input: max takes the
/// largest, average divides the sum by the number of positions inside (Keras's <c>same</c> average pooling counts only
/// those). The max gradient goes to the first position of the window, in row-major order, that holds the maximum,
/// found by comparing each input with the saved output, so a tie never doubles it. Work is split into chunks of whole
/// images, fixed by the shape, and every image's gradient is summed in window order: results do not depend on the
/// thread count.
/// </remarks>
internal static unsafe class Pool2DKernels
{
    // About 64k input elements per task: enough work to be worth a hand-off.
    private const int TargetElements = 1 << 16;

    /// <summary>Pools <paramref name="x"/> into <paramref name="y"/> (max or average).</summary>
    public static void Forward<T>(bool max, T* x, T* y, in WindowGeometry g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var body = new Body<T> { Max = max, X = x, Y = y, G = g, PerChunk = PerChunk(g) };
        CpuParallel.For((g.Batch + body.PerChunk - 1) / body.PerChunk, ref body);
    }

    /// <summary>The input gradient <paramref name="dx"/> (overwritten) from the output gradient; max needs the forward's x and y.</summary>
    public static void Backward<T>(bool max, T* x, T* y, T* dy, T* dx, in WindowGeometry g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var body = new Body<T> { Max = max, Backward = true, X = x, Y = y, DY = dy, DX = dx, G = g, PerChunk = PerChunk(g) };
        CpuParallel.For((g.Batch + body.PerChunk - 1) / body.PerChunk, ref body);
    }

    private static int PerChunk(in WindowGeometry g) => Math.Max(1, TargetElements / Math.Max(1, g.InImage));

    private struct Body<T> : IParallelBody where T : unmanaged, IFloatingPointIeee754<T>
    {
        public bool Max, Backward;
        public T* X, Y, DY, DX;
        public WindowGeometry G;
        public int PerChunk;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Invoke(int index)
        {
            int n0 = index * PerChunk, end = Math.Min(G.Batch, n0 + PerChunk);
            int c = G.Channels;
            if (Backward) new Span<T>(DX + (nint)n0 * G.InImage, (end - n0) * G.InImage).Clear();
            // One flag per channel (bits all set or all clear): whether that channel's gradient is already routed.
            T* taken = stackalloc T[Backward && Max ? c : 0];
            for (int n = n0; n < end; n++)
            {
                for (int i = 0; i < G.OutH; i++)
                {
                    int top = i * G.StrideH - G.PadTop;
                    int p0 = Math.Max(0, -top), p1 = Math.Min(G.WindowH, G.InH - top);
                    for (int j = 0; j < G.OutW; j++)
                    {
                        int left = j * G.StrideW - G.PadLeft;
                        int q0 = Math.Max(0, -left), q1 = Math.Min(G.WindowW, G.InW - left);
                        nint outOffset = (((nint)n * G.OutH + i) * G.OutW + j) * c;
                        nint windowOrigin = (((nint)n * G.InH + top) * G.InW + left) * c;
                        if (!Backward) Pool(windowOrigin, p0, p1, q0, q1, Y + outOffset);
                        else if (Max) RouteMax(windowOrigin, p0, p1, q0, q1, outOffset, taken);
                        else Spread(windowOrigin, p0, p1, q0, q1, DY + outOffset);
                    }
                }
            }
        }

        private readonly void Pool(nint origin, int p0, int p1, int q0, int q1, T* output)
        {
            int c = G.Channels;
            var o = new Span<T>(output, c);
            bool first = true;
            for (int p = p0; p < p1; p++)
            {
                for (int q = q0; q < q1; q++)
                {
                    var v = new ReadOnlySpan<T>(X + origin + ((nint)p * G.InW + q) * c, c);
                    if (first) v.CopyTo(o);
                    else if (Max) System.Numerics.Tensors.TensorPrimitives.Max(o, v, o);
                    else System.Numerics.Tensors.TensorPrimitives.Add(o, v, o);
                    first = false;
                }
            }
            if (first) o.Clear();
            else if (!Max) System.Numerics.Tensors.TensorPrimitives.Multiply(o, T.One / T.CreateTruncating((p1 - p0) * (q1 - q0)), o);
        }

        private readonly void Spread(nint origin, int p0, int p1, int q0, int q1, T* dy)
        {
            int c = G.Channels;
            T share = T.One / T.CreateTruncating(Math.Max(1, (p1 - p0) * (q1 - q0)));
            for (int p = p0; p < p1; p++)
            {
                for (int q = q0; q < q1; q++)
                {
                    var d = new Span<T>(DX + origin + ((nint)p * G.InW + q) * c, c);
                    System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(new ReadOnlySpan<T>(dy, c), share, d, d);
                }
            }
        }

        private readonly void RouteMax(nint origin, int p0, int p1, int q0, int q1, nint outOffset, T* taken)
        {
            int c = G.Channels;
            T* y = Y + outOffset, dy = DY + outOffset;
            new Span<T>(taken, c).Clear();
            for (int p = p0; p < p1; p++)
            {
                for (int q = q0; q < q1; q++)
                {
                    nint at = origin + ((nint)p * G.InW + q) * c;
                    T* xv = X + at, dx = DX + at;
                    int ch = 0;
                    // Vector<T> lanes: flags are all-ones masks; an input equal to the max takes dy unless its lane is taken.
                    for (; ch <= c - Vector<T>.Count; ch += Vector<T>.Count)
                    {
                        var free = ~Vector.Load(taken + ch);
                        var hit = Vector.Equals(Vector.Load(xv + ch), Vector.Load(y + ch)) & free;
                        Vector.Store(Vector.Load(dx + ch) + (Vector.Load(dy + ch) & hit), dx + ch);
                        Vector.Store(~free | hit, taken + ch);
                    }
                    for (; ch < c; ch++)
                    {
                        if (!IsSet(taken[ch]) && xv[ch] == y[ch])
                        {
                            dx[ch] += dy[ch];
                            taken[ch] = AllOnes;
                        }
                    }
                }
            }
        }

        private static T AllOnes => Vector<T>.AllBitsSet[0];

        private static bool IsSet(T flag) => sizeof(T) == 4 ? Unsafe.As<T, int>(ref flag) != 0 : Unsafe.As<T, long>(ref flag) != 0;
    }
}
