using Framework.Tensors;
using Framework.Tensors.Backends;
using TorchSharp;
using TorchTensor = TorchSharp.torch.Tensor;

namespace Framework.Torch;

public sealed partial class TorchBackend
{
    /// <inheritdoc/>
    public void Reduce(ReduceOp op, Tensor x, int axis, Tensor y)
    {
        using var v = View(x);
        Write(y, op switch
        {
            ReduceOp.Sum => v.T.sum(axis, keepdim: true),
            ReduceOp.Max => v.T.amax([axis], keepdim: true),
            ReduceOp.Min => v.T.amin([axis], keepdim: true),
            _ => throw new NotSupportedException($"Reduction {op} is not implemented by the libtorch backend."),
        });
    }

    /// <inheritdoc/>
    public void ArgReduce(bool max, Tensor x, int axis, Tensor y)
    {
        using var v = View(x);
        Write(y, max ? v.T.argmax(axis, keepdim: true) : v.T.argmin(axis, keepdim: true));
    }

    /// <inheritdoc/>
    public void MatMul(Tensor a, bool transA, Tensor b, bool transB, Tensor y, bool accumulate)
    {
        using var va = View(a);
        using var vb = View(b);
        using var ta = transA ? va.T.transpose(-1, -2) : null;
        using var tb = transB ? vb.T.transpose(-1, -2) : null;
        var product = (ta ?? va.T).matmul(tb ?? vb.T);
        if (!accumulate)
        {
            Write(y, product);
            return;
        }
        using var target = View(y);
        target.T.add_(product);
        product.Dispose();
    }

    /// <inheritdoc/>
    public void Transpose(Tensor x, int[] permutation, Tensor y)
    {
        using var v = View(x);
        var dims = new long[permutation.Length];
        for (int i = 0; i < dims.Length; i++) dims[i] = permutation[i];
        using var permuted = v.T.permute(dims);
        Write(y, Fresh(permuted));
    }

    /// <inheritdoc/>
    public void Softmax(Tensor x, int axis, bool log, Tensor y)
    {
        using var v = View(x);
        Write(y, log ? v.T.log_softmax(axis) : v.T.softmax(axis));
    }

    /// <inheritdoc/>
    public void Gather(Tensor x, Tensor indices, Tensor y)
    {
        using var v = View(x);
        using var i = View(indices);
        using var flat = i.T.reshape(-1);
        using var rows = v.T.index_select(0, flat);
        Write(y, rows.reshape(TorchTypes.Dims(y.Shape)));   // index_select's result is fresh; reshape keeps it
    }

    /// <inheritdoc/>
    public void ScatterAdd(Tensor g, Tensor indices, Tensor y)
    {
        using var vg = View(g);
        using var i = View(indices);
        using var flat = i.T.reshape(-1);
        var rowShape = new long[y.Rank];
        rowShape[0] = flat.shape[0];
        for (int d = 1; d < y.Rank; d++) rowShape[d] = y.Shape[d];
        using var source = vg.T.reshape(rowShape);
        var sum = torch.zeros(TorchTypes.Dims(y.Shape), TorchTypes.Of(y.DType), Native);
        sum.index_add_(0, flat, source, 1);
        Write(y, sum);
    }

    /// <inheritdoc/>
    public void Slice(Tensor x, int axis, int start, Tensor y)
    {
        using var v = View(x);
        using var block = v.T.narrow(axis, start, y.Shape[axis]);
        Write(y, Fresh(block));
    }

    /// <inheritdoc/>
    public void SliceAssign(Tensor x, int axis, int start, Tensor y)
    {
        using var source = View(x);
        using var target = View(y);
        using var block = target.T.narrow(axis, start, x.Shape[axis]);
        block.copy_(source.T);
    }
}
