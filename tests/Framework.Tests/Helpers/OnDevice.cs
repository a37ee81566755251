using Framework.Tensors;

namespace Framework.Tests.Helpers;

/// <summary>
/// Base of fixtures that run on every backend: NUnit builds the fixture once per device of <see cref="TestDevices.Both"/>
/// and each test runs with that device as <see cref="Device.Default"/>, so tensors, weights and slots live there.
/// </summary>
/// <remarks>Use with <c>[TestFixtureSource(typeof(TestDevices), nameof(TestDevices.Both))]</c>.</remarks>
public abstract class OnDevice(Device device)
{
    private IDisposable? _scope;

    /// <summary>The device this instance of the fixture runs on.</summary>
    protected Device Device { get; } = device;

    /// <summary>Whether the fixture runs on libtorch (whose kernels round differently from ours; see <see cref="Tolerance"/>).</summary>
    protected bool OnTorch => Device.Type != DeviceType.Cpu;

    /// <summary>
    /// The extra tolerance for float32 results computed by libtorch: its kernels sum in another order and use other
    /// exp/log/tanh approximations (vectorised Sleef), so results may differ from ours by a few ulp (relative 1e-6
    /// each); 1e-5 relative covers accumulations over the small sizes these tests use. Zero on the managed backend.
    /// </summary>
    protected double Tolerance => OnTorch ? 1e-5 : 0;

    /// <summary>Makes this fixture's device the default for the test.</summary>
    [SetUp]
    public void UseFixtureDevice() => _scope = Device.Use(Device);

    /// <summary>Restores the previous default device.</summary>
    [TearDown]
    public void RestoreDefaultDevice() => _scope?.Dispose();
}

/// <summary>The devices the backend-parametrized fixtures run on.</summary>
public static class TestDevices
{
    /// <summary>The managed CPU backend and the libtorch backend on libtorch's CPU.</summary>
    public static readonly TestFixtureData[] Both =
    [
        new TestFixtureData(Device.Cpu).SetArgDisplayNames("cpu"),
        new TestFixtureData(Device.TorchCpu).SetArgDisplayNames("torch-cpu"),
    ];
}
