using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Framework.Tensors.Backends;
using Framework.Tensors.Storage;

namespace Framework.Tensors;

public sealed partial class Tensor
{
    /// <summary>Copies the elements, row-major, into a new array.</summary>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> does not match <see cref="DType"/>.</exception>
    public T[] ToArray<T>() where T : unmanaged
    {
        var result = new T[Size];
        CopyTo<T>(result);
        return result;
    }

    /// <summary>Copies the elements, row-major, into <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException">The element type or the destination length does not match.</exception>
    public void CopyTo<T>(Span<T> destination) where T : unmanaged
    {
        var dtype = DTypeExtensions.Of<T>();
        if (dtype != DType)
            Throw.Argument($"Cannot copy a {DType.Name()} tensor of shape {Shape} into a span of {typeof(T).Name}; use Cast({dtype}) first or ToArray<{ClrName(DType)}>().", nameof(destination));
        if (destination.Length < Size)
            Throw.Argument($"The destination holds {destination.Length} elements but the tensor of shape {Shape} has {Size}.", nameof(destination));
        Backend.CopyToHost(this, MemoryMarshal.AsBytes(destination[..Size]));
    }

    /// <summary>The single element of a one-element tensor.</summary>
    /// <exception cref="InvalidOperationException">The tensor does not have exactly one element.</exception>
    public T Item<T>() where T : unmanaged
    {
        if (Size != 1) Throw.InvalidOperation($"Item() needs a tensor with one element; this one has shape {Shape}.");
        Span<T> one = stackalloc T[1];
        CopyTo(one);
        return one[0];
    }

    /// <summary>A copy of this tensor on <paramref name="device"/> (this tensor itself if it is already there).</summary>
    public Tensor To(Device device)
    {
        if (device == Device) return this;
        var result = Empty(Shape, DType, device);
        CopyAcross(this, result);
        if (Autograd.Needs(this))
        {
            var source = Device;
            Autograd.Record(result, "To", [this], g => [g.To(source)]);
        }
        return result;
    }

    /// <summary>Copies the elements of <paramref name="from"/> into <paramref name="to"/> (same shape and dtype) on another device.</summary>
    /// <remarks>Host memory on either side (<see cref="TensorStorage.TryGetHostBytes"/>) is read or written in place, so
    /// a move to or from the CPU is one copy; only moves between two devices without host memory (GPUs) stage through a
    /// pooled host buffer.</remarks>
    internal static void CopyAcross(Tensor from, Tensor to)
    {
        if (to.TryGetHostBytes(out var target)) from.Backend.CopyToHost(from, target);
        else if (from.TryGetHostBytes(out var source)) to.Backend.CopyFromHost(source, to);
        else
        {
            int length = from.Size * from.DType.SizeInBytes();
            var staging = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                from.Backend.CopyToHost(from, staging.AsSpan(0, length));
                to.Backend.CopyFromHost(staging.AsSpan(0, length), to);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(staging);
            }
        }
    }

    /// <summary>This tensor's own elements as bytes, when its storage is host memory (see <see cref="TensorStorage.TryGetHostBytes"/>).</summary>
    internal bool TryGetHostBytes(out Span<byte> bytes)
    {
        if (!Storage.TryGetHostBytes(out var all))
        {
            bytes = default;
            return false;
        }
        int size = DType.SizeInBytes();
        bytes = all.Slice(Offset * size, Size * size);
        return true;
    }

    /// <summary>A copy with new storage (gradients flow through it).</summary>
    public Tensor Clone()
    {
        var result = Empty(Shape, DType, Device);
        Backend.Expand(this, result);
        return Autograd.Needs(this) ? Autograd.Record(result, "Clone", [this], g => [g]) : result;
    }

    /// <summary>Converts the elements to <paramref name="dtype"/> (floats truncate toward zero into integers).</summary>
    public Tensor Cast(DType dtype)
    {
        if (dtype == DType) return this;
        var result = Empty(Shape, dtype, Device);
        Backend.Cast(this, result);
        if (Autograd.Needs(this) && dtype.IsFloatingPoint())
        {
            var from = DType;
            Autograd.Record(result, "Cast", [this], g => [g.Cast(from)]);
        }
        return result;
    }

    /// <summary>Computes gradients of this scalar with respect to every leaf that requires them.</summary>
    /// <param name="gradient">d loss / d this tensor; defaults to 1 and may be omitted only for a one-element tensor.</param>
    /// <exception cref="InvalidOperationException">The tensor does not require gradients, or is not a scalar and no gradient was given.</exception>
    public void Backward(Tensor? gradient = null)
    {
        if (!RequiresGrad) Throw.InvalidOperation($"Backward: this {Shape} tensor does not require gradients; no input of the computation was a trainable variable or a tensor marked with RequireGrad().");
        if (gradient is null && Size != 1) Throw.InvalidOperation($"Backward without an explicit gradient needs a one-element tensor; this one has shape {Shape}. Reduce it (e.g. Mean()) first.");
        if (gradient is not null && gradient.Shape != Shape)
            Throw.Argument($"Backward: the gradient's shape {gradient.Shape} differs from the tensor's shape {Shape}.", nameof(gradient));
        Autograd.Backward(this, gradient ?? OnesLike());
    }

    /// <summary>Formats like NumPy: <c>tensor([[1., 2.], [3., 4.]], shape=(2, 2), dtype=float32)</c>, eliding large tensors.</summary>
    public override string ToString()
    {
        if (IsDisposed) return "tensor(<disposed>)";
        var text = new StringBuilder("tensor(");
        var values = FormatValues(out int width);
        AppendNested(text, values, 0, 0, width);
        text.Append($", shape={Shape}, dtype={DType.Name()}");
        if (Device != Device.Cpu) text.Append($", device={Device}");
        return text.Append(')').ToString();
    }

    private string[] FormatValues(out int width)
    {
        var host = DType == DType.Bool ? Cast(DType.UInt8) : DType.IsFloatingPoint() ? Cast(DType.Float64) : Cast(DType.Int64);
        string[] values;
        if (DType == DType.Bool) values = Array.ConvertAll(host.ToArray<byte>(), b => b != 0 ? "True" : "False");
        else if (DType.IsFloatingPoint()) values = Array.ConvertAll(host.ToArray<double>(), FormatFloat);
        else values = Array.ConvertAll(host.ToArray<long>(), v => v.ToString(CultureInfo.InvariantCulture));
        if (!ReferenceEquals(host, this)) host.Dispose();
        width = values.Length == 0 ? 0 : values.Max(v => v.Length);
        return values;
    }

    private static string FormatFloat(double v)
    {
        if (double.IsNaN(v)) return "nan";
        if (double.IsInfinity(v)) return v > 0 ? "inf" : "-inf";
        string s = v.ToString("0.####", CultureInfo.InvariantCulture);
        return s.Contains('.') ? s : s + ".";
    }

    private void AppendNested(StringBuilder text, string[] values, int axis, int offset, int width)
    {
        const int EdgeItems = 3;
        if (Rank == 0)
        {
            text.Append(values[0]);
            return;
        }
        int dim = Shape[axis], stride = 1;
        for (int i = axis + 1; i < Rank; i++) stride *= Shape[i];
        text.Append('[');
        bool elide = Size > 1000 && dim > 2 * EdgeItems;
        for (int i = 0; i < dim; i++)
        {
            if (elide && i == EdgeItems)
            {
                text.Append("..., ");
                i = dim - EdgeItems - 1;
                continue;
            }
            if (axis == Rank - 1) text.Append(values[offset + i].PadLeft(width));
            else AppendNested(text, values, axis + 1, offset + i * stride, width);
            if (i < dim - 1) text.Append(axis == Rank - 1 ? ", " : ",\n" + new string(' ', axis + 8));
        }
        text.Append(']');
    }

    private static string ClrName(DType dtype) => dtype switch
    {
        DType.Float32 => "float",
        DType.Float64 => "double",
        DType.Int32 => "int",
        DType.Int64 => "long",
        DType.UInt8 => "byte",
        _ => "bool",
    };
}
