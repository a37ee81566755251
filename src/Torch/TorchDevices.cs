using System.Runtime.CompilerServices;
using Framework.Tensors;
using Framework.Tensors.Backends;
using TorchSharp;

namespace Framework.Torch;

/// <summary>Registers the libtorch backend for <see cref="Device.TorchCpu"/> and <c>Device.Cuda(n)</c> when this assembly loads.</summary>
/// <remarks>
/// The core's <see cref="BackendRegistry"/> loads this assembly on the first request for such a device, so users only
/// reference the package (and a TorchSharp native package) and write <c>model.To(Device.TorchCpu)</c>.
/// </remarks>
public static class TorchDevices
{
    /// <summary>Registers the factories (idempotent; also runs automatically when the assembly loads).</summary>
    public static void Register()
    {
        BackendRegistry.Register(Framework.Tensors.DeviceType.TorchCpu, _ => new TorchBackend(Device.TorchCpu, torch.CPU));
        BackendRegistry.Register(Framework.Tensors.DeviceType.Cuda, CreateCuda);
    }

    /// <summary>Whether libtorch can use CUDA here: a CUDA TorchSharp package and an NVIDIA GPU with a driver.</summary>
    public static bool CudaAvailable
    {
        get
        {
            try
            {
                return torch.cuda.is_available();
            }
            catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or NotSupportedException)
            {
                return false;
            }
        }
    }

    // A library module initializer on purpose: BackendRegistry loads this assembly by name when a libtorch device is
    // first asked for, and this is how the assembly then announces its backend without any call from user code.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void RegisterOnLoad() => Register();

    private static TorchBackend? CreateCuda(Device device)
    {
        if (!CudaAvailable || device.Index >= torch.cuda.device_count()) return null;
        return new TorchBackend(device, new torch.Device(TorchSharp.DeviceType.CUDA, device.Index));
    }
}
