using System.Collections;
using System.Runtime.CompilerServices;

namespace Framework.Tensors;

/// <summary>The dimensions of a tensor, outermost first; formats as <c>(32, 28, 28)</c>.</summary>
/// <remarks>
/// A shape is an immutable value. A scalar has rank 0 and size 1. Dimensions are non-negative; a zero dimension
/// makes an empty tensor. Negative indices count from the end, as in NumPy: <c>shape[-1]</c> is the last dimension.
/// </remarks>
[CollectionBuilder(typeof(Shape), nameof(Create))]
public readonly struct Shape : IEquatable<Shape>, IReadOnlyList<int>
{
    private static readonly int[] s_empty = [];
    private readonly int[]? _dims;

    /// <summary>Creates a shape from its dimensions.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative, or the element count exceeds <see cref="int.MaxValue"/>.</exception>
    public Shape(params ReadOnlySpan<int> dims)
    {
        long size = 1;
        for (int i = 0; i < dims.Length; i++)
        {
            if (dims[i] < 0)
                throw new ArgumentOutOfRangeException(nameof(dims), $"Shape dimensions must be non-negative; received {Format(dims)}.");
            size *= dims[i];
            if (size > int.MaxValue)
                throw new ArgumentOutOfRangeException(nameof(dims), $"Shape {Format(dims)} has more than {int.MaxValue} elements.");
        }
        _dims = dims.ToArray();
    }

    /// <summary>Creates a shape from a span of dimensions (collection-expression support: <c>Shape s = [2, 3];</c>).</summary>
    public static Shape Create(ReadOnlySpan<int> dims) => new(dims);

    /// <summary>The scalar shape <c>()</c>.</summary>
    public static Shape Scalar => new([]);

    /// <summary>The number of dimensions.</summary>
    public int Rank => Dims.Length;

    /// <summary>The number of elements: the product of the dimensions (1 for a scalar).</summary>
    public int Size
    {
        get
        {
            int size = 1;
            foreach (int d in Dims) size *= d;
            return size;
        }
    }

    /// <summary>The dimensions as a read-only span.</summary>
    public ReadOnlySpan<int> Dims => _dims ?? s_empty;

    /// <summary>The dimension at <paramref name="axis"/>; negative values count from the end.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The axis is outside <c>[-Rank, Rank)</c>.</exception>
    public int this[int axis] => Dims[NormalizeAxis(axis)];

    /// <summary>The dimension at an index from the start or the end (<c>shape[^1]</c>).</summary>
    public int this[Index axis] => Dims[axis];

    /// <inheritdoc/>
    int IReadOnlyCollection<int>.Count => Rank;

    /// <summary>Converts a possibly negative axis into <c>[0, Rank)</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The axis is outside <c>[-Rank, Rank)</c>.</exception>
    public int NormalizeAxis(int axis)
    {
        int rank = Rank;
        if (axis < -rank || axis >= rank)
            throw new ArgumentOutOfRangeException(nameof(axis), $"Axis {axis} is out of range for shape {this} of rank {rank}.");
        return axis < 0 ? axis + rank : axis;
    }

    /// <summary>The dimensions as a new array.</summary>
    public int[] ToArray() => Dims.ToArray();

    /// <summary>Row-major (C-order) strides in elements.</summary>
    public int[] Strides()
    {
        var dims = Dims;
        var strides = new int[dims.Length];
        int stride = 1;
        for (int i = dims.Length - 1; i >= 0; i--)
        {
            strides[i] = stride;
            stride *= dims[i];
        }
        return strides;
    }

    /// <summary>The NumPy broadcast of two shapes.</summary>
    /// <exception cref="ArgumentException">The shapes are not broadcast-compatible; the message names both.</exception>
    public static Shape Broadcast(Shape a, Shape b)
    {
        if (TryBroadcast(a, b, out var result)) return result;
        throw new ArgumentException($"Shapes {a} and {b} cannot be broadcast together: aligned from the last dimension, each pair of dimensions must match or one of them must be 1.");
    }

    /// <summary>The NumPy broadcast of two shapes, or false when they are incompatible.</summary>
    public static bool TryBroadcast(Shape a, Shape b, out Shape result)
    {
        result = a;
        if (a.Equals(b)) return true;
        int rank = Math.Max(a.Rank, b.Rank);
        var dims = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Rank ? 1 : a.Dims[i - (rank - a.Rank)];
            int db = i < rank - b.Rank ? 1 : b.Dims[i - (rank - b.Rank)];
            if (da != db && da != 1 && db != 1) return false;
            dims[i] = da == 1 ? db : da;
        }
        result = new Shape(dims);
        return true;
    }

    /// <inheritdoc/>
    public bool Equals(Shape other) => Dims.SequenceEqual(other.Dims);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Shape other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (int d in Dims) hash.Add(d);
        return hash.ToHashCode();
    }

    /// <summary>Whether two shapes have the same dimensions.</summary>
    public static bool operator ==(Shape left, Shape right) => left.Equals(right);

    /// <summary>Whether two shapes differ.</summary>
    public static bool operator !=(Shape left, Shape right) => !left.Equals(right);

    /// <summary>Formats as <c>(32, 28, 28)</c>; a vector as <c>(10,)</c>, a scalar as <c>()</c>, like Python tuples.</summary>
    public override string ToString() => Format(Dims);

    /// <summary>Formats dimensions as the Python tuple Keras users read in messages.</summary>
    public static string Format(ReadOnlySpan<int> dims) =>
        dims.Length == 1 ? $"({dims[0]},)" : "(" + string.Join(", ", dims.ToArray()) + ")";

    /// <inheritdoc/>
    public IEnumerator<int> GetEnumerator() => ((IEnumerable<int>)(_dims ?? s_empty)).GetEnumerator();

    /// <inheritdoc/>
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
