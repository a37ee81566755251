using Framework.Tensors;
using Framework.Tensors.Backends;
using Framework.Tensors.Storage;
using TorchSharp;
using TorchTensor = TorchSharp.torch.Tensor;

namespace Framework.Torch;

/// <summary>The libtorch backend: the same ops as the managed CPU backend, run by libtorch's kernels on its CPU or a CUDA GPU.</summary>
/// <remarks>
/// Elements live in libtorch tensors (<see cref="TorchStorage"/>); an op makes views of its inputs, calls one libtorch
/// function and adopts the result as the output's storage, so nothing goes through managed arrays. Our autograd drives
/// the backward pass; libtorch never records a graph (no libtorch tensor requires grad).
/// </remarks>
public sealed partial class TorchBackend : IBackend, IFusedOptimizerKernels
{
    internal TorchBackend(Device device, torch.Device native)
    {
        Device = device;
        Native = native;
    }

    /// <inheritdoc/>
    public Device Device { get; }

    /// <summary>The libtorch device this backend computes on.</summary>
    internal torch.Device Native { get; }

    /// <inheritdoc/>
    public TensorStorage Allocate(DType dtype, int length) => new TorchStorage(dtype, length, Device, Native);

    /// <summary>x's elements as a libtorch tensor of x's shape (the storage's own tensor when shapes agree).</summary>
    internal static NativeView View(Tensor x)
    {
        var storage = (TorchStorage)x.Storage;
        var data = storage.Data;
        if (x.Offset == 0 && x.Shape == storage.DataShape) return new NativeView(data, owned: false);
        if (x.Offset == 0 && x.Size == storage.Length) return new NativeView(data.view(TorchTypes.Dims(x.Shape)), owned: true);
        var strides = x.Shape.Strides();
        var longStrides = new long[strides.Length];
        for (int i = 0; i < strides.Length; i++) longStrides[i] = strides[i];
        return new NativeView(data.as_strided(TorchTypes.Dims(x.Shape), longStrides, x.Offset), owned: true);
    }

    /// <summary>
    /// Makes <paramref name="result"/> (a fresh libtorch tensor that shares memory with no input) y's elements: adopted
    /// when y owns all of its not-yet-allocated storage, else copied into y's view (and released).
    /// </summary>
    internal static void Write(Tensor y, TorchTensor result)
    {
        var storage = (TorchStorage)y.Storage;
        var dtype = TorchTypes.Of(y.DType);
        if (result.dtype != dtype)
        {
            var cast = result.to_type(dtype);
            result.Dispose();
            result = cast;
        }
        if (!storage.IsMaterialized && y.Offset == 0 && y.Size == storage.Length && result.is_contiguous())
        {
            storage.Adopt(result, y.Shape);
            return;
        }
        using (var view = View(y)) view.T.copy_(result);
        result.Dispose();
    }

    /// <summary>Whether y's elements are exactly x's (an in-place update such as <c>AssignAdd</c>).</summary>
    internal static bool SameElements(Tensor x, Tensor y) =>
        ReferenceEquals(x.Storage, y.Storage) && x.Offset == y.Offset && x.Size == y.Size;

    /// <inheritdoc/>
    public void Fill(Tensor y, double value)
    {
        var storage = (TorchStorage)y.Storage;
        if (!storage.IsMaterialized && y.Offset == 0 && y.Size == storage.Length)
        {
            storage.Adopt(torch.full(TorchTypes.Dims(y.Shape), Scalar(value, y.DType), TorchTypes.Of(y.DType), Native), y.Shape);
            return;
        }
        using var view = View(y);
        view.T.fill_(Scalar(value, y.DType));
    }

    /// <inheritdoc/>
    public void Expand(Tensor x, Tensor y)
    {
        using var source = View(x);
        if (((TorchStorage)y.Storage).IsMaterialized || y.Offset != 0)
        {
            using var target = View(y);
            target.T.copy_(source.T);   // copy_ broadcasts
            return;
        }
        using var expanded = source.T.expand(TorchTypes.Dims(y.Shape));
        Write(y, Fresh(expanded));
    }

    /// <inheritdoc/>
    public void Cast(Tensor x, Tensor y)
    {
        using var source = View(x);
        Write(y, source.T.to_type(TorchTypes.Of(y.DType), copy: true));
    }

    /// <inheritdoc/>
    public void Where(Tensor condition, Tensor a, Tensor b, Tensor y)
    {
        using var c = View(condition);
        using var va = View(a);
        using var vb = View(b);
        Write(y, va.T.where(c.T, vb.T));
    }

    /// <inheritdoc/>
    public void CopyFromHost(ReadOnlySpan<byte> source, Tensor y)
    {
        if (Native.type == TorchSharp.DeviceType.CPU)
        {
            using var view = View(y);
            source.CopyTo(view.T.bytes);
            return;
        }
        using var host = torch.empty(TorchTypes.Dims(y.Shape), TorchTypes.Of(y.DType), torch.CPU);
        source.CopyTo(host.bytes);
        Write(y, host.to(Native));
    }

    /// <inheritdoc/>
    public void CopyToHost(Tensor x, Span<byte> destination)
    {
        using var view = View(x);
        if (Native.type == TorchSharp.DeviceType.CPU)
        {
            view.T.bytes.CopyTo(destination);
            return;
        }
        using var host = view.T.cpu();
        host.bytes.CopyTo(destination);
    }

    /// <summary>A contiguous copy that shares no memory with <paramref name="t"/> (contiguous() alone may return t itself).</summary>
    internal static TorchTensor Fresh(TorchTensor t) => t.is_contiguous() ? t.clone() : t.contiguous();


    private static Scalar Scalar(double value, DType dtype) => dtype switch
    {
        DType.Float32 => (float)value,
        DType.Float64 => value,
        DType.Int32 => checked((int)value),
        DType.Int64 => checked((long)value),
        DType.UInt8 => checked((byte)value),
        _ => value != 0,
    };
}
