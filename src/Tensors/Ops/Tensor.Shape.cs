using System.Numerics.Tensors;
using Framework.Tensors.Storage;
using static Framework.Tensors.Autograd;

namespace Framework.Tensors;

public sealed partial class Tensor
{
    /// <summary>The same elements with another shape; one dimension may be −1 to be inferred. Shares storage.</summary>
    /// <exception cref="ArgumentException">The sizes differ, or more than one dimension is −1.</exception>
    public Tensor Reshape(params int[] shape)
    {
        var dims = (int[])shape.Clone();
        int infer = Array.IndexOf(dims, -1);
        if (infer >= 0)
        {
            if (Array.LastIndexOf(dims, -1) != infer)
                Throw.Argument($"Reshape: only one dimension can be -1; received {Shape.Format(shape)}.", nameof(shape));
            int known = 1;
            for (int i = 0; i < dims.Length; i++) if (i != infer) known *= dims[i];
            if (known == 0 || Size % known != 0)
                Throw.Argument($"Reshape: cannot reshape {Shape} ({Size} elements) into {Shape.Format(shape)}.", nameof(shape));
            dims[infer] = Size / known;
        }
        var target = new Shape(dims);
        if (target.Size != Size)
            Throw.Argument($"Reshape: cannot reshape {Shape} ({Size} elements) into {target} ({target.Size} elements).", nameof(shape));
        var y = View(target);
        return Needs(this) ? Record(y, nameof(Reshape), [this], g => [g.Reshape(Shape.ToArray())]) : y;
    }

    /// <summary>Permutes the dimensions; with no argument, reverses them (a matrix transpose for rank 2).</summary>
    /// <exception cref="ArgumentException">The permutation is not one of <c>0 … Rank−1</c>.</exception>
    public Tensor Transpose(params int[] permutation)
    {
        var perm = permutation.Length == 0 ? [.. Enumerable.Range(0, Rank).Reverse()] : permutation.Select(Shape.NormalizeAxis).ToArray();
        if (perm.Length != Rank || perm.Distinct().Count() != Rank)
            Throw.Argument($"Transpose: [{string.Join(", ", permutation)}] is not a permutation of the {Rank} axes of {Shape}.", nameof(permutation));
        var dims = new int[Rank];
        for (int i = 0; i < Rank; i++) dims[i] = Shape[perm[i]];
        var y = Empty(new Shape(dims), DType, Device);
        Backend.Transpose(this, perm, y);
        if (!Needs(this)) return y;
        var inverse = new int[Rank];
        for (int i = 0; i < Rank; i++) inverse[perm[i]] = i;
        return Record(y, nameof(Transpose), [this], g => [g.Transpose(inverse)]);
    }

    /// <summary>Rows <c>[start, start + length)</c> along the first axis (a mini-batch). Shares storage.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is not within the first dimension.</exception>
    public Tensor Slice(int start, int length)
    {
        if (Rank == 0) Throw.InvalidOperation("Slice needs a tensor of rank 1 or more; this one is a scalar.");
        if (start < 0 || length < 0 || start > Shape[0] - length)
            throw new ArgumentOutOfRangeException(nameof(start), $"Slice [{start}, {start + length}) is outside the first dimension of {Shape}.");
        var dims = Shape.ToArray();
        dims[0] = length;
        int rowSize = Shape[0] == 0 ? 0 : Size / Shape[0];
        var y = View(new Shape(dims), start * rowSize);
        return Needs(this) ? Record(y, nameof(Slice), [this], g => [g.PadTo(Shape, 0, start)]) : y;
    }

    /// <summary>Elements <c>[start, start + length)</c> along <paramref name="axis"/>, copied.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is not within that dimension.</exception>
    public Tensor Slice(int axis, int start, int length)
    {
        int a = Shape.NormalizeAxis(axis);
        if (a == 0) return Slice(start, length);
        if (start < 0 || length < 0 || start > Shape[a] - length)
            throw new ArgumentOutOfRangeException(nameof(start), $"Slice [{start}, {start + length}) is outside axis {axis} of {Shape}.");
        var dims = Shape.ToArray();
        dims[a] = length;
        var y = Empty(new Shape(dims), DType, Device);
        Backend.Slice(this, a, start, y);
        return Needs(this) ? Record(y, nameof(Slice), [this], g => [g.PadTo(Shape, a, start)]) : y;
    }

    /// <summary>Rows picked by <paramref name="indices"/> (int32 or int64) along the first axis: <c>x[indices]</c>.</summary>
    /// <exception cref="ArgumentException">The indices are not integers.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside the first dimension (the message names it).</exception>
    public Tensor Gather(Tensor indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        if (indices.DType is not (DType.Int32 or DType.Int64))
            Throw.Argument($"Gather: indices must be int32 or int64; received {indices.DType.Name()}.", nameof(indices));
        if (Rank == 0) Throw.InvalidOperation("Gather needs a tensor of rank 1 or more; this one is a scalar.");
        // One vectorized minimum and maximum, read in place where the indices are in host memory; the offender is
        // searched for only when they are out of range.
        var values = HostElements.Of<long>(indices.Cast(DType.Int64));
        if (values.Length > 0 && (TensorPrimitives.Min(values) < 0 || TensorPrimitives.Max(values) >= Shape[0]))
        {
            for (int i = 0; i < values.Length; i++)
            {
                if (values[i] < 0 || values[i] >= Shape[0])
                    throw new ArgumentOutOfRangeException(nameof(indices), $"Gather: index {values[i]} at position {i} is outside the first dimension of {Shape}.");
            }
        }
        return GatherInRange(indices);
    }

    /// <summary><see cref="Gather"/> without its bounds check, for indices in range by construction (a batcher's permutation).</summary>
    /// <remarks>The check copies the indices to the host: on libtorch that is a cast, a device read and a host loop every step.</remarks>
    internal Tensor GatherInRange(Tensor indices)
    {
        var y = Empty(new Shape([.. indices.Shape.Dims, .. Shape.Dims[1..]]), DType, Device);
        Backend.Gather(this, indices, y);
        if (!Needs(this)) return y;
        return Record(y, nameof(Gather), [this], g =>
        {
            var result = Empty(Shape, DType, Device);
            Backend.ScatterAdd(g, indices, result);
            return [result];
        });
    }

    /// <summary>Repeats the elements along broadcast dimensions to reach <paramref name="shape"/>.</summary>
    /// <exception cref="ArgumentException">This shape does not broadcast to <paramref name="shape"/>.</exception>
    public Tensor BroadcastTo(Shape shape)
    {
        if (shape == Shape) return this;
        if (BroadcastShape(nameof(BroadcastTo), Shape, shape) != shape)
            Throw.Argument($"BroadcastTo: shape {Shape} cannot be broadcast to {shape}.", nameof(shape));
        var y = Empty(shape, DType, Device);
        Backend.Expand(this, y);
        return Needs(this) ? Record(y, nameof(BroadcastTo), [this], g => [g.SumTo(Shape)]) : y;
    }

    /// <summary>Inserts a dimension of size 1 at <paramref name="axis"/>.</summary>
    public Tensor ExpandDims(int axis)
    {
        int a = axis < 0 ? axis + Rank + 1 : axis;
        if (a < 0 || a > Rank) throw new ArgumentOutOfRangeException(nameof(axis), $"ExpandDims: axis {axis} is out of range for shape {Shape}.");
        var dims = Shape.Dims.ToArray().ToList();
        dims.Insert(a, 1);
        return Reshape([.. dims]);
    }

    /// <summary>Removes dimensions of size 1 (all of them, or only <paramref name="axis"/>).</summary>
    /// <exception cref="ArgumentException">The named axis does not have size 1.</exception>
    public Tensor Squeeze(int? axis = null)
    {
        if (axis is { } ax)
        {
            int a = Shape.NormalizeAxis(ax);
            if (Shape[a] != 1) Throw.Argument($"Squeeze: axis {ax} of shape {Shape} has size {Shape[a]}, not 1.", nameof(axis));
            return Reshape(Drop(Shape.ToArray(), [a]));
        }
        return Reshape(Shape.Dims.ToArray().Where(d => d != 1).ToArray());
    }

    /// <summary>Joins tensors of equal shape except along <paramref name="axis"/>.</summary>
    /// <exception cref="ArgumentException">No tensors, or their shapes, dtypes or devices do not fit together.</exception>
    public static Tensor Concat(IReadOnlyList<Tensor> tensors, int axis = 0)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0) Throw.Argument("Concat needs at least one tensor.", nameof(tensors));
        var first = tensors[0];
        int a = first.Shape.NormalizeAxis(axis);
        var dims = first.Shape.ToArray();
        int total = 0;
        foreach (var t in tensors)
        {
            Throw.IfDifferentDTypes(nameof(Concat), first, t);
            Throw.IfDifferentDevices(nameof(Concat), first, t);
            var other = t.Shape.ToArray();
            other[a] = dims[a];
            if (t.Rank != first.Rank || !other.SequenceEqual(dims))
                Throw.Argument($"Concat along axis {axis}: shape {t.Shape} does not match {first.Shape} outside that axis.", nameof(tensors));
            total += t.Shape[a];
        }
        dims[a] = total;
        var y = Empty(new Shape(dims), first.DType, first.Device);
        int start = 0;
        foreach (var t in tensors)
        {
            first.Backend.SliceAssign(t, a, start, y);
            start += t.Shape[a];
        }
        if (!tensors.Any(t => t.RequiresGrad) || !IsEnabled) return y;
        var inputs = tensors.ToArray();
        return Record(y, nameof(Concat), inputs, g =>
        {
            var grads = new Tensor?[inputs.Length];
            int offset = 0;
            for (int i = 0; i < inputs.Length; i++)
            {
                int len = inputs[i].Shape[a];
                grads[i] = inputs[i].RequiresGrad ? g.Slice(a, offset, len) : null;
                offset += len;
            }
            return grads;
        });
    }

    /// <summary>Zeros of <paramref name="shape"/> with this tensor written at <paramref name="start"/> along axis.</summary>
    private Tensor PadTo(Shape shape, int axis, int start)
    {
        var result = Zeros(shape, DType, Device);
        Backend.SliceAssign(this, axis, start, result);
        return result;
    }
}
