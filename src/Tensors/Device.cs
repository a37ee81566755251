namespace Framework.Tensors;

/// <summary>The kind of processor a tensor's memory lives on.</summary>
public enum DeviceType
{
    /// <summary>Host memory, computed by the managed CPU backend.</summary>
    Cpu,

    /// <summary>An NVIDIA GPU's memory, computed through CUDA.</summary>
    Cuda,
}

/// <summary>Where a tensor lives and which backend computes it: <see cref="Cpu"/> or <c>Device.Cuda(0)</c>.</summary>
/// <param name="Type">The processor kind.</param>
/// <param name="Index">The device ordinal among devices of that kind (0 for the CPU).</param>
public readonly record struct Device(DeviceType Type, int Index)
{
    /// <summary>The host CPU: the default device.</summary>
    public static Device Cpu { get; } = new(DeviceType.Cpu, 0);

    /// <summary>The NVIDIA GPU with ordinal <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative.</exception>
    public static Device Cuda(int index = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return new(DeviceType.Cuda, index);
    }

    /// <summary>Formats as <c>cpu</c> or <c>cuda:0</c>, as PyTorch users expect.</summary>
    public override string ToString() => Type == DeviceType.Cpu ? "cpu" : $"cuda:{Index}";
}
