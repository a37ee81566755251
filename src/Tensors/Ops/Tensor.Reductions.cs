using Framework.Tensors.Backends;
using static Framework.Tensors.Autograd;

namespace Framework.Tensors;

public sealed partial class Tensor
{
    /// <summary>Sum over all elements, or over <paramref name="axis"/>.</summary>
    public Tensor Sum(int? axis = null, bool keepDims = false) => Sum(AxesOf(axis), keepDims);

    /// <summary>Sum over <paramref name="axes"/> (negative values count from the end).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An axis is out of range for the shape.</exception>
    public Tensor Sum(int[] axes, bool keepDims = false)
    {
        var (y, kept) = ReduceAxes(ReduceOp.Sum, axes, keepDims, nameof(Sum));
        return Needs(this) ? Record(y, nameof(Sum), [this], g => [g.Reshape(kept.ToArray()).BroadcastTo(Shape)]) : y;
    }

    /// <summary>Mean over all elements, or over <paramref name="axis"/>.</summary>
    public Tensor Mean(int? axis = null, bool keepDims = false) => Mean(AxesOf(axis), keepDims);

    /// <summary>Mean over <paramref name="axes"/>.</summary>
    public Tensor Mean(int[] axes, bool keepDims = false)
    {
        var sum = Sum(axes, keepDims);
        int count = sum.Size == 0 ? 0 : Size / sum.Size;
        return sum / count;
    }

    /// <summary>Largest element overall, or along <paramref name="axis"/>; the gradient is shared equally among ties.</summary>
    /// <exception cref="InvalidOperationException">The reduced axis is empty.</exception>
    public Tensor Max(int? axis = null, bool keepDims = false) => MaxMin(ReduceOp.Max, AxesOf(axis), keepDims);

    /// <summary>Largest element along <paramref name="axes"/>.</summary>
    public Tensor Max(int[] axes, bool keepDims = false) => MaxMin(ReduceOp.Max, axes, keepDims);

    /// <summary>Smallest element overall, or along <paramref name="axis"/>; the gradient is shared equally among ties.</summary>
    public Tensor Min(int? axis = null, bool keepDims = false) => MaxMin(ReduceOp.Min, AxesOf(axis), keepDims);

    /// <summary>Smallest element along <paramref name="axes"/>.</summary>
    public Tensor Min(int[] axes, bool keepDims = false) => MaxMin(ReduceOp.Min, axes, keepDims);

    /// <summary>Index (int64) of the largest element along <paramref name="axis"/>; the first one on ties.</summary>
    public Tensor ArgMax(int axis = -1, bool keepDims = false) => ArgReduce(max: true, axis, keepDims);

    /// <summary>Index (int64) of the smallest element along <paramref name="axis"/>; the first one on ties.</summary>
    public Tensor ArgMin(int axis = -1, bool keepDims = false) => ArgReduce(max: false, axis, keepDims);

    private Tensor MaxMin(ReduceOp op, int[] axes, bool keepDims)
    {
        var (y, kept) = ReduceAxes(op, axes, keepDims, op.ToString());
        if (!Needs(this)) return y;
        return Record(y, op.ToString(), [this], g =>
        {
            var mask = Equal(y.Reshape(kept.ToArray())).Cast(DType);
            var share = mask / mask.Sum(NormalizedAxes(axes), keepDims: true);
            return [share * g.Reshape(kept.ToArray())];
        });
    }

    private Tensor ArgReduce(bool max, int axis, bool keepDims)
    {
        int a = Shape.NormalizeAxis(axis);
        if (Shape[a] == 0) Throw.InvalidOperation($"{(max ? "ArgMax" : "ArgMin")}: axis {axis} of shape {Shape} is empty.");
        var kept = Shape.Dims.ToArray();
        kept[a] = 1;
        var y = Empty(new Shape(kept), DType.Int64, Device);
        Backend.ArgReduce(max, this, a, y);
        return keepDims ? y : y.Reshape(Drop(kept, [a]));
    }

    /// <summary>Reduces one axis at a time (innermost first) without recording; returns the result and its keep-dims shape.</summary>
    private (Tensor Result, Shape Kept) ReduceAxes(ReduceOp op, int[] axes, bool keepDims, string name)
    {
        var sorted = NormalizedAxes(axes);
        var kept = Shape.Dims.ToArray();
        foreach (int a in sorted)
        {
            if (op != ReduceOp.Sum && kept[a] == 0)
                Throw.InvalidOperation($"{name}: cannot reduce axis {a} of shape {Shape}: it has no elements.");
        }
        Tensor current = this;
        var dims = Shape.Dims.ToArray();
        for (int i = sorted.Length - 1; i >= 0; i--)
        {
            int a = sorted[i];
            dims[a] = 1;
            var next = Empty(new Shape(dims), DType, Device);
            Backend.Reduce(op, current, a, next);
            if (!ReferenceEquals(current, this)) current.Dispose();
            current = next;
        }
        if (ReferenceEquals(current, this)) current = View(Shape);
        foreach (int a in sorted) kept[a] = 1;
        var keptShape = new Shape(kept);
        return (keepDims ? current : current.Reshape(Drop(kept, sorted)), keptShape);
    }

    private int[] NormalizedAxes(int[] axes)
    {
        if (axes.Length == 0) return [.. Enumerable.Range(0, Rank)];
        var result = new SortedSet<int>();
        foreach (int axis in axes)
        {
            if (!result.Add(Shape.NormalizeAxis(axis)))
                Throw.Argument($"Axis {axis} is repeated in [{string.Join(", ", axes)}].", nameof(axes));
        }
        return [.. result];
    }

    private static int[] AxesOf(int? axis) => axis is { } a ? [a] : [];

    private static int[] Drop(int[] dims, int[] sortedAxes)
    {
        var result = new List<int>(dims.Length);
        for (int i = 0; i < dims.Length; i++)
        {
            if (Array.BinarySearch(sortedAxes, i) < 0) result.Add(dims[i]);
        }
        return [.. result];
    }
}
