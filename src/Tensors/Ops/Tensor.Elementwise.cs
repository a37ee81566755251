using Framework.Tensors.Backends;
using static Framework.Tensors.Autograd;

namespace Framework.Tensors;

public sealed partial class Tensor
{
    /// <summary>Element-wise <c>a + b</c> with NumPy broadcasting.</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast (the message names both), or dtypes or devices differ.</exception>
    public static Tensor Add(Tensor a, Tensor b)
    {
        var y = Binary(BinaryOp.Add, a, b, nameof(Add));
        return Needs(a, b) ? Record(y, nameof(Add), [a, b], g => [g.SumTo(a.Shape), g.SumTo(b.Shape)]) : y;
    }

    /// <summary>Element-wise <c>a − b</c> with broadcasting.</summary>
    public static Tensor Subtract(Tensor a, Tensor b)
    {
        var y = Binary(BinaryOp.Sub, a, b, nameof(Subtract));
        return Needs(a, b) ? Record(y, nameof(Subtract), [a, b], g => [g.SumTo(a.Shape), b.RequiresGrad ? (-g).SumTo(b.Shape) : null]) : y;
    }

    /// <summary>Element-wise <c>a · b</c> with broadcasting.</summary>
    public static Tensor Multiply(Tensor a, Tensor b)
    {
        var y = Binary(BinaryOp.Mul, a, b, nameof(Multiply));
        return Needs(a, b)
            ? Record(y, nameof(Multiply), [a, b], g => [a.RequiresGrad ? (g * b).SumTo(a.Shape) : null, b.RequiresGrad ? (g * a).SumTo(b.Shape) : null])
            : y;
    }

    /// <summary>Element-wise <c>a / b</c> with broadcasting.</summary>
    public static Tensor Divide(Tensor a, Tensor b)
    {
        var y = Binary(BinaryOp.Div, a, b, nameof(Divide));
        return Needs(a, b)
            ? Record(y, nameof(Divide), [a, b], g => [a.RequiresGrad ? (g / b).SumTo(a.Shape) : null, b.RequiresGrad ? (-(g * y) / b).SumTo(b.Shape) : null])
            : y;
    }

    /// <summary>Element-wise <c>a ^ b</c> with broadcasting.</summary>
    /// <remarks>The gradient with respect to b is taken as 0 where a = 0 (where log a is −∞), as PyTorch does.</remarks>
    public static Tensor Pow(Tensor a, Tensor b)
    {
        var y = Binary(BinaryOp.Pow, a, b, nameof(Pow));
        if (!Needs(a, b)) return y;
        return Record(y, nameof(Pow), [a, b], g =>
        [
            a.RequiresGrad ? (g * b * Pow(a, b - 1)).SumTo(a.Shape) : null,
            b.RequiresGrad ? Where(a.Equal(0), 0, g * y * a.Log()).SumTo(b.Shape) : null,
        ]);
    }

    /// <summary>Element-wise maximum; where a = b the gradient goes to a, as in TensorFlow.</summary>
    public static Tensor Maximum(Tensor a, Tensor b)
    {
        var y = Binary(BinaryOp.Maximum, a, b, nameof(Maximum));
        if (!Needs(a, b)) return y;
        return Record(y, nameof(Maximum), [a, b], g =>
        {
            var toA = a.GreaterEqual(b);
            return [Where(toA, g, 0).SumTo(a.Shape), Where(toA, 0, g).SumTo(b.Shape)];
        });
    }

    /// <summary>Element-wise minimum; where a = b the gradient goes to a, as in TensorFlow.</summary>
    public static Tensor Minimum(Tensor a, Tensor b)
    {
        var y = Binary(BinaryOp.Minimum, a, b, nameof(Minimum));
        if (!Needs(a, b)) return y;
        return Record(y, nameof(Minimum), [a, b], g =>
        {
            var toA = a.LessEqual(b);
            return [Where(toA, g, 0).SumTo(a.Shape), Where(toA, 0, g).SumTo(b.Shape)];
        });
    }

    /// <summary>Picks <paramref name="a"/> where <paramref name="condition"/> is true, else <paramref name="b"/>; all three broadcast.</summary>
    /// <exception cref="ArgumentException">The condition is not bool, or shapes/dtypes/devices do not match.</exception>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(condition);
        if (condition.DType != DType.Bool)
            Throw.Argument($"Where: the condition must be a bool tensor; received {condition.DType.Name()} {condition.Shape}.", nameof(condition));
        Throw.IfDifferentDTypes(nameof(Where), a, b);
        Throw.IfDifferentDevices(nameof(Where), a, b);
        Throw.IfDifferentDevices(nameof(Where), condition, a);
        var shape = BroadcastShape(nameof(Where), BroadcastShape(nameof(Where), condition.Shape, a.Shape), b.Shape);
        var y = Empty(shape, a.DType, a.Device);
        a.Backend.Where(condition, a, b, y);
        if (!Needs(a, b)) return y;
        return Record(y, nameof(Where), [a, b], g =>
        [
            a.RequiresGrad ? Where(condition, g, 0).SumTo(a.Shape) : null,
            b.RequiresGrad ? Where(condition, 0, g).SumTo(b.Shape) : null,
        ]);
    }

    /// <summary><see cref="Where(Tensor, Tensor, Tensor)"/> with a scalar for the false branch.</summary>
    public static Tensor Where(Tensor condition, Tensor a, double b) => Where(condition, a, ScalarLike(a, b));

    /// <summary><see cref="Where(Tensor, Tensor, Tensor)"/> with a scalar for the true branch.</summary>
    public static Tensor Where(Tensor condition, double a, Tensor b) => Where(condition, ScalarLike(b, a), b);

    /// <summary>Limits every element to <c>[min, max]</c>; the gradient passes where the input lies within (inclusive).</summary>
    /// <exception cref="ArgumentException"><paramref name="min"/> is greater than <paramref name="max"/>.</exception>
    public Tensor Clip(double min, double max)
    {
        if (min > max) Throw.Argument($"Clip: min must not exceed max; received min={min}, max={max}.", nameof(min));
        return Minimum(Maximum(this, ScalarLike(this, min)), ScalarLike(this, max));
    }

    /// <summary>Element-wise <c>−x</c>.</summary>
    public Tensor Neg() => Unary(UnaryOp.Neg, g => -g);

    /// <summary>Element-wise <c>|x|</c>; the gradient at 0 is 0.</summary>
    public Tensor Abs() => Unary(UnaryOp.Abs, g => g * Sign());

    /// <summary>Element-wise <c>eˣ</c>.</summary>
    public Tensor Exp()
    {
        Tensor? y = null;
        return y = Unary(UnaryOp.Exp, g => g * y!);
    }

    /// <summary>Element-wise natural logarithm.</summary>
    public Tensor Log() => Unary(UnaryOp.Log, g => g / this);

    /// <summary>Element-wise square root.</summary>
    public Tensor Sqrt()
    {
        Tensor? y = null;
        return y = Unary(UnaryOp.Sqrt, g => g * 0.5 / y!);
    }

    /// <summary>Element-wise <c>x²</c>.</summary>
    public Tensor Square() => Unary(UnaryOp.Square, g => g * this * 2);

    /// <summary>Element-wise <c>1 / x</c>.</summary>
    public Tensor Reciprocal()
    {
        Tensor? y = null;
        return y = Unary(UnaryOp.Reciprocal, g => -(g * y! * y!));
    }

    /// <summary>Element-wise sign: −1, 0 or 1 (NaN stays NaN); its gradient is zero.</summary>
    public Tensor Sign() => Unary(UnaryOp.Sign, g => g.ZerosLike());

    /// <summary>Element-wise <c>x ^ exponent</c>.</summary>
    public Tensor Pow(double exponent) => Pow(this, ScalarLike(this, exponent));

    /// <summary>Element-wise <c>x == other</c> as a bool tensor.</summary>
    public Tensor Equal(Tensor other) => Binary(BinaryOp.Equal, this, other, nameof(Equal));

    /// <summary>Element-wise <c>x != other</c>.</summary>
    public Tensor NotEqual(Tensor other) => Binary(BinaryOp.NotEqual, this, other, nameof(NotEqual));

    /// <summary>Element-wise <c>x &lt; other</c>.</summary>
    public Tensor Less(Tensor other) => Binary(BinaryOp.Less, this, other, nameof(Less));

    /// <summary>Element-wise <c>x &lt;= other</c>.</summary>
    public Tensor LessEqual(Tensor other) => Binary(BinaryOp.LessEqual, this, other, nameof(LessEqual));

    /// <summary>Element-wise <c>x &gt; other</c>.</summary>
    public Tensor Greater(Tensor other) => Binary(BinaryOp.Greater, this, other, nameof(Greater));

    /// <summary>Element-wise <c>x &gt;= other</c>.</summary>
    public Tensor GreaterEqual(Tensor other) => Binary(BinaryOp.GreaterEqual, this, other, nameof(GreaterEqual));

    /// <summary>Element-wise comparison with a scalar.</summary>
    public Tensor Equal(double other) => Equal(ScalarLike(this, other));

    /// <summary>Element-wise comparison with a scalar.</summary>
    public Tensor Greater(double other) => Greater(ScalarLike(this, other));

    /// <summary>Element-wise comparison with a scalar.</summary>
    public Tensor Less(double other) => Less(ScalarLike(this, other));

    internal Tensor Unary(UnaryOp op, Func<Tensor, Tensor> gradient)
    {
        var y = Empty(Shape, DType, Device);
        Backend.Unary(op, this, y);
        return Needs(this) ? Record(y, op.ToString(), [this], g => [gradient(g)]) : y;
    }

    internal static Tensor Binary(BinaryOp op, Tensor a, Tensor b, string name)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        Throw.IfDifferentDevices(name, a, b);
        Throw.IfDifferentDTypes(name, a, b);
        var shape = BroadcastShape(name, a.Shape, b.Shape);
        var y = Empty(shape, op.IsComparison() ? DType.Bool : a.DType, a.Device);
        a.Backend.Binary(op, a, b, y);
        return y;
    }

    private static Shape BroadcastShape(string op, Shape a, Shape b)
    {
        try
        {
            return Shape.Broadcast(a, b);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{op}: {e.Message}", e);
        }
    }

    /// <summary>A scalar with <paramref name="like"/>'s dtype and device.</summary>
    internal static Tensor ScalarLike(Tensor like, double value) => Full(Shape.Scalar, value, like.DType, like.Device);

    /// <summary>Sums a broadcast gradient back to <paramref name="shape"/>: the adjoint of broadcasting.</summary>
    internal Tensor SumTo(Shape shape)
    {
        if (Shape == shape) return this;
        int extra = Rank - shape.Rank;
        var axes = new List<int>();
        for (int i = 0; i < Rank; i++)
        {
            if (i < extra || (shape[i - extra] == 1 && Shape[i] != 1)) axes.Add(i);
        }
        return Sum([.. axes], keepDims: true).Reshape(shape.ToArray());
    }
}
