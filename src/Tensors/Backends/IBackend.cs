namespace Framework.Tensors.Backends;

/// <summary>The kernels of one device. Tensor ops validate arguments and shapes, then call exactly one of these.</summary>
/// <remarks>
/// Every method writes a freshly allocated, contiguous output tensor <c>y</c> whose shape and dtype the caller has
/// already computed. Inputs are contiguous row-major tensors (a tensor is a storage, an element offset and a shape).
/// Layer and optimizer code never sees this interface, so adding a device means implementing it and nothing else.
/// </remarks>
internal interface IBackend
{
    Device Device { get; }

    Storage.TensorStorage Allocate(DType dtype, int length);

    void Fill(Tensor y, double value);

    /// <summary>Copies <paramref name="x"/> into <paramref name="y"/>, broadcasting x's shape to y's.</summary>
    void Expand(Tensor x, Tensor y);

    void Cast(Tensor x, Tensor y);

    void Unary(UnaryOp op, Tensor x, Tensor y);

    void Binary(BinaryOp op, Tensor a, Tensor b, Tensor y);

    void Where(Tensor condition, Tensor a, Tensor b, Tensor y);

    /// <summary>Reduces <paramref name="x"/> along <paramref name="axis"/>; y has x's shape with that axis removed.</summary>
    void Reduce(ReduceOp op, Tensor x, int axis, Tensor y);

    /// <summary>Index (int64) of the largest (or smallest) element along <paramref name="axis"/>; the first on ties.</summary>
    void ArgReduce(bool max, Tensor x, int axis, Tensor y);

    /// <summary>y = beta·y + op(a) · op(b), batched over leading dimensions that broadcast.</summary>
    void MatMul(Tensor a, bool transA, Tensor b, bool transB, Tensor y, bool accumulate);

    void Transpose(Tensor x, int[] permutation, Tensor y);

    /// <summary>Softmax or log-softmax of <paramref name="x"/> along <paramref name="axis"/>.</summary>
    void Softmax(Tensor x, int axis, bool log, Tensor y);

    /// <summary>y[i, ...] = x[indices[i], ...] along axis 0; indices are int32 or int64 and already range-checked.</summary>
    void Gather(Tensor x, Tensor indices, Tensor y);

    /// <summary>y = 0, then y[indices[i], ...] += g[i, ...]: the gradient of <see cref="Gather"/>.</summary>
    void ScatterAdd(Tensor g, Tensor indices, Tensor y);

    /// <summary>Copies the block <c>[start, start + y.Shape[axis])</c> of <paramref name="x"/> along axis into y.</summary>
    void Slice(Tensor x, int axis, int start, Tensor y);

    /// <summary>Writes <paramref name="x"/> into y at offset <paramref name="start"/> along axis (the inverse of Slice).</summary>
    void SliceAssign(Tensor x, int axis, int start, Tensor y);

    /// <summary>Per-row <c>−log softmax(logits)[label]</c> into loss (rows), keeping the softmax for the backward pass.</summary>
    void SparseSoftmaxCrossEntropy(Tensor logits, Tensor labels, Tensor loss, Tensor probabilities);

    /// <summary><c>gradLogits = gradLoss[:, None] · (probabilities − onehot(labels))</c>.</summary>
    void SparseSoftmaxCrossEntropyGrad(Tensor probabilities, Tensor labels, Tensor gradLoss, Tensor gradLogits);

    void CopyFromHost(ReadOnlySpan<byte> source, Tensor y);

    void CopyToHost(Tensor x, Span<byte> destination);

    /// <summary>
    /// One fused Adam/AdamW step in place, in Keras's order of float operations: when
    /// <paramref name="weightDecay"/> ≠ 0, w ← w − (w·wd)·lr; then m ← m + (g − m)·(1−β1),
    /// v ← v + (g² − v)·(1−β2), vhat ← max(vhat, v) when <paramref name="vhat"/> is given, and
    /// w ← w − (m·alpha) / (sqrt(vhat or v) + ε).
    /// </summary>
    /// <remarks>
    /// All tensors are contiguous with the variable's shape, dtype and device. Scalars are rounded to that dtype
    /// once; every operation is rounded separately (no fused multiply-add), so float32 results equal Keras's.
    /// </remarks>
    void AdamUpdate(Tensor variable, Tensor gradient, Tensor m, Tensor v, Tensor? vhat, double alpha,
        double oneMinusBeta1, double oneMinusBeta2, double epsilon, double weightDecay, double learningRate);

    /// <summary>
    /// One fused SGD step in place (Keras): without <paramref name="velocity"/>, w ← w − g·lr; with it,
    /// u ← u·μ − g·lr and then w ← w + u, or w ← w + (u·μ − g·lr) when <paramref name="nesterov"/>.
    /// </summary>
    void SgdUpdate(Tensor variable, Tensor gradient, Tensor? velocity, double learningRate, double momentum, bool nesterov);

    /// <summary>
    /// One fused RMSprop step in place (Keras): r ← ρ·r + (1−ρ)·g²; when centered, a ← ρ·a + (1−ρ)·g and
    /// d = (r − a²) + ε, else d = r + ε; i = (lr·g) / sqrt(d); with <paramref name="momentumSlot"/>
    /// p ← μ·p + i and w ← w − p, else w ← w − i.
    /// </summary>
    void RmsPropUpdate(Tensor variable, Tensor gradient, Tensor rms, Tensor? averageGradient, Tensor? momentumSlot,
        double learningRate, double rho, double oneMinusRho, double momentum, double epsilon);

    /// <summary>
    /// 2-D convolution over NHWC data: <c>y[n, i, j, o] = Σ x[n, i·sh + p·dh − top, j·sw + q·dw − left, c] · kernel[p, q, c, o]</c>,
    /// x taken as 0 outside the image (<see cref="WindowGeometry"/> gives the indices); x is (N, H, W, in), kernel
    /// (kh, kw, in, out), y (N, outH, outW, out). Float32 and float64.
    /// </summary>
    void Conv2D(Tensor x, Tensor kernel, WindowGeometry geometry, Tensor y);

    /// <summary>The gradient of <see cref="Conv2D"/> with respect to x: gradX (overwritten, x's shape) from gradY.</summary>
    void Conv2DInputGrad(Tensor gradY, Tensor kernel, WindowGeometry geometry, Tensor gradX);

    /// <summary>The gradient of <see cref="Conv2D"/> with respect to the kernel: gradKernel (overwritten) from x and gradY.</summary>
    void Conv2DKernelGrad(Tensor x, Tensor gradY, WindowGeometry geometry, Tensor gradKernel);

    /// <summary>
    /// Max (<paramref name="max"/>) or average pooling over NHWC data into y (N, outH, outW, C); positions outside the
    /// image are skipped, so an average divides by the number of positions inside the window.
    /// </summary>
    void Pool2D(bool max, Tensor x, WindowGeometry geometry, Tensor y);

    /// <summary>
    /// The gradient of <see cref="Pool2D"/>: gradX (overwritten) from gradY; y is the forward output. Max pooling routes
    /// each gradient to the first window position (row-major) that equals the maximum.
    /// </summary>
    void Pool2DGrad(bool max, Tensor x, Tensor y, Tensor gradY, WindowGeometry geometry, Tensor gradX);
}
