namespace Framework.Tensors.Backends;

/// <summary>The kernels of one device. Tensor ops validate arguments and shapes, then call exactly one of these.</summary>
/// <remarks>
/// Every method writes a freshly allocated, contiguous output tensor <c>y</c> whose shape and dtype the caller has
/// already computed. Inputs are contiguous row-major tensors (a tensor is a storage, an element offset and a shape).
/// Layer and optimizer code never sees this interface, so adding a device means implementing it and nothing else.
/// A backend reaches a tensor's elements through <see cref="Tensor.Storage"/> (its own <see cref="Storage.TensorStorage"/>
/// subclass), <see cref="Tensor.Offset"/> and <see cref="Tensor.Shape"/>; <c>y</c> may share storage with an input
/// (in-place updates such as <see cref="Variable.AssignAdd"/>), so a backend reads its inputs before it writes y.
/// Backends are found through <see cref="BackendRegistry"/>. Fused optimizer updates are an optional capability
/// (<see cref="IFusedOptimizerKernels"/>): without it, optimizers compose their updates from the ops below.
/// </remarks>
public interface IBackend
{
    /// <summary>The device whose tensors this backend computes.</summary>
    Device Device { get; }

    /// <summary>New storage for <paramref name="length"/> elements of <paramref name="dtype"/>; contents unspecified.</summary>
    Storage.TensorStorage Allocate(DType dtype, int length);

    /// <summary>Sets every element of <paramref name="y"/> to <paramref name="value"/> (converted to y's dtype).</summary>
    void Fill(Tensor y, double value);

    /// <summary>Copies <paramref name="x"/> into <paramref name="y"/>, broadcasting x's shape to y's.</summary>
    void Expand(Tensor x, Tensor y);

    /// <summary>Converts <paramref name="x"/> to y's dtype (floats truncate toward zero into integers; non-zero is true).</summary>
    void Cast(Tensor x, Tensor y);

    /// <summary>y = op(x), element-wise; x and y have the same shape and dtype.</summary>
    void Unary(UnaryOp op, Tensor x, Tensor y);

    /// <summary>y = op(a, b), element-wise with broadcasting; y has the broadcast shape (bool for comparisons).</summary>
    void Binary(BinaryOp op, Tensor a, Tensor b, Tensor y);

    /// <summary>y = condition ? a : b, element-wise with broadcasting; condition is bool.</summary>
    void Where(Tensor condition, Tensor a, Tensor b, Tensor y);

    /// <summary>Reduces <paramref name="x"/> along <paramref name="axis"/>; y has x's shape with that axis of length 1.</summary>
    void Reduce(ReduceOp op, Tensor x, int axis, Tensor y);

    /// <summary>Index (int64) of the largest (or smallest) element along <paramref name="axis"/>; the first on ties.</summary>
    void ArgReduce(bool max, Tensor x, int axis, Tensor y);

    /// <summary>y = beta·y + op(a) · op(b), batched over leading dimensions that broadcast.</summary>
    void MatMul(Tensor a, bool transA, Tensor b, bool transB, Tensor y, bool accumulate);

    /// <summary>y = x with its axes permuted: y's axis i is x's axis <c>permutation[i]</c>.</summary>
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

    /// <summary>Copies little-endian, row-major host bytes (exactly y's byte size) into y.</summary>
    void CopyFromHost(ReadOnlySpan<byte> source, Tensor y);

    /// <summary>Copies x's elements as little-endian, row-major bytes into <paramref name="destination"/> (exactly x's byte size).</summary>
    void CopyToHost(Tensor x, Span<byte> destination);

    /// <summary>
    /// The pointwise part of one LSTM step over a batch, in Keras's gate order i, f, c, o (written here i, f, g, o):
    /// <c>z = gates + recurrentGates + bias</c> (bias broadcast over rows; none when null), then, in place,
    /// <c>gates = [σ(z_i), σ(z_f), tanh(z_g), σ(z_o)]</c>, <c>cell = f·previousCell + i·g</c> and <c>hidden = o·tanh(cell)</c>.
    /// </summary>
    /// <remarks>
    /// gates (the step's input projection on entry, its activated gates on return) and recurrentGates are
    /// (batch, 4·units), bias (4·units); previousCell, cell and hidden are (batch, units). All contiguous, float32 or
    /// float64; the outputs are preallocated by the caller and may be views into larger sequence buffers. Everything
    /// is a plain tensor expression, so a backend may compose it from its own element-wise ops.
    /// </remarks>
    void LstmCellForward(Tensor gates, Tensor recurrentGates, Tensor? bias, Tensor previousCell, Tensor cell, Tensor hidden);

    /// <summary>
    /// The gradient of <see cref="LstmCellForward"/>: from its activated <paramref name="gates"/>, previousCell and cell,
    /// and the gradients of hidden and cell (the latter including what flows back from the next step), writes
    /// <paramref name="gatesGrad"/> (the gradient of the pre-activation z, (batch, 4·units)) and
    /// <paramref name="previousCellGrad"/> = <c>dcell_total · f</c>, where <c>dcell_total = cellGrad + hiddenGrad·o·(1 − tanh²(cell))</c>.
    /// </summary>
    void LstmCellBackward(Tensor gates, Tensor previousCell, Tensor cell, Tensor hiddenGrad, Tensor cellGrad,
        Tensor gatesGrad, Tensor previousCellGrad);

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
