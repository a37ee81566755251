using Framework.Tensors;
using Framework.Tensors.Backends;
using TorchTensor = TorchSharp.torch.Tensor;

namespace Framework.Torch;

public sealed partial class TorchBackend
{
    /// <inheritdoc/>
    public void Unary(UnaryOp op, Tensor x, Tensor y)
    {
        bool integerOp = op is UnaryOp.Neg or UnaryOp.Abs or UnaryOp.Square or UnaryOp.Sign;
        if (!x.DType.IsFloatingPoint() && !(integerOp && x.DType is DType.Int32 or DType.Int64))
            throw new NotSupportedException($"{op} is not defined for {x.DType.Name()} tensors; cast to float32 first.");
        using var v = View(x);
        var t = v.T;
        Write(y, op switch
        {
            UnaryOp.Neg => t.neg(),
            UnaryOp.Abs => t.abs(),
            UnaryOp.Exp => t.exp(),
            UnaryOp.Log => t.log(),
            UnaryOp.Sqrt => t.sqrt(),
            UnaryOp.Square => t.square(),
            UnaryOp.Relu => t.relu(),
            UnaryOp.Sigmoid => t.sigmoid(),
            UnaryOp.Tanh => t.tanh(),
            UnaryOp.Sign => t.sign(),
            UnaryOp.Reciprocal => t.reciprocal(),
            _ => throw new NotSupportedException($"Unary op {op} is not implemented by the libtorch backend."),
        });
    }

    /// <inheritdoc/>
    public void Binary(BinaryOp op, Tensor a, Tensor b, Tensor y)
    {
        using var va = View(a);
        using var vb = View(b);
        if (SameElements(a, y) && a.Shape == y.Shape && op is BinaryOp.Add or BinaryOp.Sub or BinaryOp.Mul)
        {
            // In place (AssignAdd, AssignSub, the generic optimizer path): no temporary.
            _ = op switch { BinaryOp.Add => va.T.add_(vb.T), BinaryOp.Sub => va.T.sub_(vb.T), _ => va.T.mul_(vb.T) };
            return;
        }
        Write(y, Compute(op, va.T, vb.T, a.DType.IsFloatingPoint()));
    }

    private static TorchTensor Compute(BinaryOp op, TorchTensor a, TorchTensor b, bool floating) => op switch
    {
        BinaryOp.Add => a.add(b),
        BinaryOp.Sub => a.sub(b),
        BinaryOp.Mul => a.mul(b),
        BinaryOp.Div => floating ? a.div(b) : a.div(b, TorchSharp.torch.RoundingMode.trunc),
        BinaryOp.Pow => a.pow(b),
        BinaryOp.Maximum => a.maximum(b),
        BinaryOp.Minimum => a.minimum(b),
        BinaryOp.Equal => a.eq(b),
        BinaryOp.NotEqual => a.ne(b),
        BinaryOp.Less => a.lt(b),
        BinaryOp.LessEqual => a.le(b),
        BinaryOp.Greater => a.gt(b),
        BinaryOp.GreaterEqual => a.ge(b),
        BinaryOp.ReluGrad => ReluGrad(a, b),
        BinaryOp.SigmoidGrad => SigmoidGrad(a, b),
        BinaryOp.TanhGrad => TanhGrad(a, b),
        _ => throw new NotSupportedException($"Binary op {op} is not implemented by the libtorch backend."),
    };

    /// <summary><c>b &gt; 0 ? a : 0</c>.</summary>
    private static TorchTensor ReluGrad(TorchTensor a, TorchTensor b)
    {
        using var positive = b.gt(0);
        using var zero = TorchSharp.torch.zeros(1, a.dtype, a.device);
        return a.where(positive, zero);
    }

    /// <summary><c>(a · b) · (1 − b)</c>, in the managed backend's order.</summary>
    private static TorchTensor SigmoidGrad(TorchTensor a, TorchTensor b)
    {
        var ab = a.mul(b);
        using var oneMinus = b.neg().add_(1);
        return ab.mul_(oneMinus);   // mul_ returns ab itself, which becomes the result
    }

    /// <summary><c>a · (1 − b²)</c>.</summary>
    private static TorchTensor TanhGrad(TorchTensor a, TorchTensor b)
    {
        using var oneMinus = b.square().neg_().add_(1);
        return a.mul(oneMinus);
    }
}
