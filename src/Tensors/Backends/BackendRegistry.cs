using System.Reflection;
using System.Runtime.CompilerServices;
using Framework.Tensors.Backends.Cpu;

namespace Framework.Tensors.Backends;

/// <summary>Finds the backend that computes tensors on a device. Backends outside this assembly register themselves.</summary>
/// <remarks>
/// The managed CPU backend is built in. For <see cref="DeviceType.TorchCpu"/> and <see cref="DeviceType.Cuda"/>, the
/// first request loads the Framework.Torch assembly if the application ships it (its module initializer calls
/// <see cref="Register"/>), so choosing a device is one line (<c>model.To(Device.TorchCpu)</c>) with no setup call.
/// A backend from outside this project registers for <see cref="DeviceType.External"/> (see docs/backends.md).
/// </remarks>
public static class BackendRegistry
{
    private const string TorchAssembly = "Framework.Torch";
    private static readonly CpuBackend s_cpu = new();
    private static readonly Dictionary<DeviceType, Func<Device, IBackend?>> s_factories = [];
    private static readonly Lock s_lock = new();
    // Copy-on-write, so the per-op lookup of a tensor's backend takes no lock.
    private static volatile Dictionary<Device, IBackend> s_loaded = [];
    private static bool s_probedTorch;

    /// <summary>The backend computing tensors on <paramref name="device"/>.</summary>
    /// <exception cref="NotSupportedException">No loaded backend serves that device; the message says what to reference.</exception>
    public static IBackend For(Device device)
    {
        if (device.Type == DeviceType.Cpu) return s_cpu;
        if (s_loaded.TryGetValue(device, out var backend)) return backend;
        lock (s_lock)
        {
            if (s_loaded.TryGetValue(device, out backend)) return backend;
            if (!s_factories.ContainsKey(device.Type) && device.Type != DeviceType.External) ProbeTorch();
            backend = (s_factories.TryGetValue(device.Type, out var factory) ? factory(device) : null)
                ?? throw new NotSupportedException(Unavailable(device));
            s_loaded = new Dictionary<Device, IBackend>(s_loaded) { [device] = backend };
            return backend;
        }
    }

    /// <summary>Installs the factory that creates backends for devices of <paramref name="type"/>.</summary>
    /// <param name="type">The device kind served (not <see cref="DeviceType.Cpu"/>, which is built in).</param>
    /// <param name="factory">Returns the backend for one device, or null when that device is not present.</param>
    /// <exception cref="ArgumentException"><paramref name="type"/> is <see cref="DeviceType.Cpu"/>.</exception>
    public static void Register(DeviceType type, Func<Device, IBackend?> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        if (type == DeviceType.Cpu) Throw.Argument("The managed CPU backend cannot be replaced; register libtorch's CPU as DeviceType.TorchCpu.", nameof(type));
        lock (s_lock) s_factories[type] = factory;
    }

    /// <summary>Loads Framework.Torch once, if it is deployed beside the application, so that it registers itself.</summary>
    private static void ProbeTorch()
    {
        if (s_probedTorch) return;
        s_probedTorch = true;
        Assembly torch;
        try
        {
            torch = Assembly.Load(TorchAssembly);
        }
        catch (FileNotFoundException)
        {
            return;
        }
        RuntimeHelpers.RunModuleConstructor(torch.ManifestModule.ModuleHandle);
    }

    private static string Unavailable(Device device) => device.Type switch
    {
        DeviceType.TorchCpu => $"Device {device} is not available: it needs the Framework.Torch package and a TorchSharp native package (TorchSharp-cpu, or a CUDA one). Tensors default to Device.Cpu.",
        DeviceType.External => $"Device {device} is not available: no backend has registered for external devices (BackendRegistry.Register(DeviceType.External, ...)), or the registered one does not serve index {device.Index}. Tensors default to Device.Cpu.",
        _ => $"Device {device} is not available: no CUDA backend is loaded in this build (Framework.Torch with a CUDA TorchSharp package on a machine with an NVIDIA GPU serves it). Tensors default to Device.Cpu.",
    };
}
