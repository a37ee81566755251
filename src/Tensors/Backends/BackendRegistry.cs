using Framework.Tensors.Backends.Cpu;

namespace Framework.Tensors.Backends;

/// <summary>Finds the backend that computes tensors on a device; GPU backends register themselves when loaded.</summary>
internal static class BackendRegistry
{
    private static readonly CpuBackend s_cpu = new();
    private static volatile Func<Device, IBackend?>? s_cudaFactory;
    private static readonly Dictionary<Device, IBackend> s_loaded = [];

    public static IBackend For(Device device)
    {
        if (device.Type == DeviceType.Cpu) return s_cpu;
        lock (s_loaded)
        {
            if (s_loaded.TryGetValue(device, out var backend)) return backend;
            backend = s_cudaFactory?.Invoke(device)
                ?? throw new NotSupportedException(
                    $"Device {device} is not available: no CUDA backend is loaded in this build. Tensors default to Device.Cpu.");
            s_loaded[device] = backend;
            return backend;
        }
    }

    /// <summary>Installs the factory that creates CUDA backends (called by the CUDA backend's assembly).</summary>
    public static void RegisterCuda(Func<Device, IBackend?> factory) => s_cudaFactory = factory;
}
