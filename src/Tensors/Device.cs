namespace Framework.Tensors;

/// <summary>The kind of processor a tensor's memory lives on, and which engine computes it.</summary>
public enum DeviceType
{
    /// <summary>Host memory, computed by the managed CPU backend (the default; no native dependency).</summary>
    Cpu,

    /// <summary>An NVIDIA GPU's memory, computed through CUDA (the libtorch backend of Framework.Torch).</summary>
    Cuda,

    /// <summary>Host memory, computed by libtorch's CPU kernels (the Framework.Torch package and a TorchSharp native package).</summary>
    TorchCpu,

    /// <summary>A device served by a backend from outside this project, which installs itself with
    /// <see cref="Backends.BackendRegistry.Register"/> (see docs/backends.md, "Writing a backend").</summary>
    External,
}

/// <summary>Where a tensor lives and which backend computes it: <see cref="Cpu"/>, <see cref="TorchCpu"/> or <c>Device.Cuda(0)</c>.</summary>
/// <param name="Type">The processor kind.</param>
/// <param name="Index">The device ordinal among devices of that kind (0 for the CPU).</param>
public readonly record struct Device(DeviceType Type, int Index)
{
    /// <summary>The host CPU, computed by the managed backend: the default device.</summary>
    public static Device Cpu { get; } = new(DeviceType.Cpu, 0);

    /// <summary>The host CPU, computed by libtorch (needs the Framework.Torch package; see docs/backends.md).</summary>
    public static Device TorchCpu { get; } = new(DeviceType.TorchCpu, 0);

    /// <summary>Where tensors are created when no device is named: <see cref="Cpu"/> unless a <see cref="Use"/> scope says otherwise.</summary>
    public static Device Default => DeviceScope.Current ?? Cpu;

    /// <summary>Makes <paramref name="device"/> the <see cref="Default"/> on this thread until the returned scope is disposed
    /// (TensorFlow's <c>with tf.device(...)</c>, PyTorch's <c>set_default_device</c>): <c>using (Device.Use(Device.TorchCpu)) { ... }</c>.</summary>
    /// <returns>The scope; disposing it restores the previous default.</returns>
    public static IDisposable Use(Device device) => new DeviceScope(device);

    /// <summary>The NVIDIA GPU with ordinal <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative.</exception>
    public static Device Cuda(int index = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return new(DeviceType.Cuda, index);
    }

    /// <summary>Device <paramref name="index"/> of the backend registered for <see cref="DeviceType.External"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative.</exception>
    public static Device External(int index = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return new(DeviceType.External, index);
    }

    /// <summary>Formats as <c>cpu</c>, <c>torch-cpu</c>, <c>cuda:0</c> or <c>external:0</c>, as PyTorch users expect.</summary>
    public override string ToString() => Type switch
    {
        DeviceType.Cpu => "cpu",
        DeviceType.TorchCpu => "torch-cpu",
        DeviceType.External => $"external:{Index}",
        _ => $"cuda:{Index}",
    };
}
