using Framework.Tensors.Backends;
using static Framework.Tensors.Autograd;

namespace Framework.Tensors;

public sealed partial class Tensor
{
    /// <summary>Rectified linear unit, <c>max(x, 0)</c>; the gradient at 0 is 0, as in TensorFlow and PyTorch.</summary>
    public Tensor Relu()
    {
        var y = Empty(Shape, DType, Device);
        Backend.Unary(UnaryOp.Relu, this, y);
        return Needs(this) ? Record(y, nameof(Relu), [this], g => [Binary(BinaryOp.ReluGrad, g, this, nameof(Relu))]) : y;
    }

    /// <summary>Logistic sigmoid, <c>1 / (1 + e⁻ˣ)</c>.</summary>
    public Tensor Sigmoid()
    {
        var y = Empty(Shape, DType, Device);
        Backend.Unary(UnaryOp.Sigmoid, this, y);
        return Needs(this) ? Record(y, nameof(Sigmoid), [this], g => [Binary(BinaryOp.SigmoidGrad, g, y, nameof(Sigmoid))]) : y;
    }

    /// <summary>Hyperbolic tangent.</summary>
    public Tensor Tanh()
    {
        var y = Empty(Shape, DType, Device);
        Backend.Unary(UnaryOp.Tanh, this, y);
        return Needs(this) ? Record(y, nameof(Tanh), [this], g => [Binary(BinaryOp.TanhGrad, g, y, nameof(Tanh))]) : y;
    }

    /// <summary>Softmax along <paramref name="axis"/>: <c>exp(x − max) / Σ exp(x − max)</c>, stable for large inputs.</summary>
    public Tensor Softmax(int axis = -1)
    {
        int a = Shape.NormalizeAxis(axis);
        var y = Empty(Shape, DType, Device);
        Backend.Softmax(this, a, log: false, y);
        // d softmax: y ⊙ (g − Σ g ⊙ y).
        return Needs(this) ? Record(y, nameof(Softmax), [this], g => [y * (g - (g * y).Sum([a], keepDims: true))]) : y;
    }

    /// <summary>Log-softmax along <paramref name="axis"/>: <c>x − max − log Σ exp(x − max)</c>, never −∞ from underflow.</summary>
    public Tensor LogSoftmax(int axis = -1)
    {
        int a = Shape.NormalizeAxis(axis);
        var y = Empty(Shape, DType, Device);
        Backend.Softmax(this, a, log: true, y);
        // d log-softmax: g − softmax ⊙ Σ g.
        return Needs(this) ? Record(y, nameof(LogSoftmax), [this], g => [g - y.Exp() * g.Sum([a], keepDims: true)]) : y;
    }
}
