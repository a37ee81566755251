using static Framework.Tensors.Autograd;

namespace Framework.Tensors;

public sealed partial class Tensor
{
    /// <summary>Matrix product with NumPy's <c>matmul</c> rules.</summary>
    /// <remarks>
    /// Two matrices give <c>(m, k) @ (k, n) → (m, n)</c>. Leading dimensions are batch dimensions and broadcast:
    /// <c>(b, m, k) @ (k, n) → (b, m, n)</c>. A vector on the left acts as a row, on the right as a column, and that
    /// dimension is removed from the result.
    /// </remarks>
    /// <exception cref="ArgumentException">The inner dimensions differ or the batch dimensions do not broadcast.</exception>
    public Tensor MatMul(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Rank == 0 || other.Rank == 0)
            Throw.Argument($"MatMul needs tensors of rank 1 or more; received {Shape} and {other.Shape}.", nameof(other));
        var a = Rank == 1 ? Reshape(1, Shape[0]) : this;
        var b = other.Rank == 1 ? other.Reshape(other.Shape[0], 1) : other;
        var y = MatMul(a, false, b, false);
        if (Rank == 1 && other.Rank == 1) return y.Reshape();
        if (Rank == 1) return y.Reshape(Drop(y.Shape.ToArray(), [y.Rank - 2]));
        if (other.Rank == 1) return y.Reshape(Drop(y.Shape.ToArray(), [y.Rank - 1]));
        return y;
    }

    /// <summary><c>op(a) @ op(b)</c> where op transposes the last two dimensions when its flag is set.</summary>
    /// <remarks>Backpropagation uses the flags so that no transposed copy is ever made.</remarks>
    internal static Tensor MatMul(Tensor a, bool transA, Tensor b, bool transB)
    {
        Throw.IfDifferentDevices(nameof(MatMul), a, b);
        Throw.IfDifferentDTypes(nameof(MatMul), a, b);
        if (!a.DType.IsFloatingPoint()) Throw.DTypeNotSupported(nameof(MatMul), a.DType);
        int m = transA ? a.Shape[-1] : a.Shape[-2], ka = transA ? a.Shape[-2] : a.Shape[-1];
        int kb = transB ? b.Shape[-1] : b.Shape[-2], n = transB ? b.Shape[-2] : b.Shape[-1];
        if (ka != kb)
            Throw.Argument($"MatMul: the inner dimensions differ: {a.Shape}{(transA ? "ᵀ" : "")} @ {b.Shape}{(transB ? "ᵀ" : "")} needs {ka} == {kb}.", nameof(b));
        var batch = BroadcastShape(nameof(MatMul), new Shape(a.Shape.Dims[..^2]), new Shape(b.Shape.Dims[..^2]));
        var y = Empty(new Shape([.. batch.Dims, m, n]), a.DType, a.Device);
        a.Backend.MatMul(a, transA, b, transB, y, accumulate: false);
        if (!Needs(a, b)) return y;
        return Record(y, nameof(MatMul), [a, b], g =>
        [
            // d op(a) = g · op(b)ᵀ; d op(b) = op(a)ᵀ · g — then undo the op and any batch broadcasting.
            a.RequiresGrad ? (transA ? MatMul(b, transB, g, true) : MatMul(g, false, b, !transB)).SumTo(a.Shape) : null,
            b.RequiresGrad ? (transB ? MatMul(g, true, a, transA) : MatMul(a, !transA, g, false)).SumTo(b.Shape) : null,
        ]);
    }
}
