using Framework.Tensors;
using Framework.Tensors.Storage;
using TorchSharp;
using TorchTensor = TorchSharp.torch.Tensor;

namespace Framework.Torch;

/// <summary>Elements held by one libtorch tensor (contiguous, <see cref="TensorStorage.Length"/> elements) on a libtorch device.</summary>
/// <remarks>
/// The libtorch tensor is created lazily: an op's output storage starts empty and adopts the tensor libtorch's kernel
/// returned, so an op allocates once and copies nothing. Storage written in place (a variable's value, a slice target)
/// is allocated on first use. The tensor keeps the shape it was made with; views of other shapes are made per op.
/// </remarks>
public sealed class TorchStorage : TensorStorage
{
    private TorchTensor? _data;

    internal TorchStorage(DType dtype, int length, Device device, torch.Device native)
        : base(dtype, length)
    {
        Device = device;
        Native = native;
    }

    /// <inheritdoc/>
    public override Device Device { get; }

    /// <summary>The libtorch device.</summary>
    internal torch.Device Native { get; }

    /// <summary>Whether the libtorch tensor exists yet.</summary>
    internal bool IsMaterialized => _data is not null;

    /// <summary>The libtorch tensor, allocated (uninitialised) on first use.</summary>
    internal TorchTensor Data
    {
        get
        {
            if (_data is null)
            {
                _data = torch.empty([Length], TorchTypes.Of(DType), Native);
                DataShape = new Shape(Length);
            }
            return _data;
        }
    }

    /// <summary>The shape <see cref="Data"/> has in libtorch (kept here: asking libtorch costs a native call).</summary>
    internal Shape DataShape { get; private set; }

    /// <summary>Takes ownership of <paramref name="result"/> as the elements (it must be fresh, contiguous and of this size).</summary>
    internal void Adopt(TorchTensor result, Shape shape)
    {
        _data = result;
        DataShape = shape;
    }

    /// <summary>On libtorch's CPU, the libtorch tensor's own memory (allocated now if it was not yet); false on a GPU.</summary>
    /// <remarks>Once allocated, the tensor is never replaced (<see cref="Adopt"/> only fills empty storage) and the
    /// backend updates it in place, so the span stays valid until the storage is released.</remarks>
    public override bool TryGetHostBytes(out Span<byte> bytes)
    {
        bytes = Native.type == TorchSharp.DeviceType.CPU ? Data.bytes : default;
        return Native.type == TorchSharp.DeviceType.CPU;
    }

    /// <inheritdoc/>
    protected override void Free()
    {
        var data = Interlocked.Exchange(ref _data, null);
        data?.Dispose();
    }
}
