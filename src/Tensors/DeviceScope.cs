namespace Framework.Tensors;

/// <summary>One <see cref="Device.Use"/> scope: sets this thread's default device and restores the previous one on dispose.</summary>
internal sealed class DeviceScope : IDisposable
{
    [ThreadStatic]
    private static Device? t_current;

    private readonly Device? _previous;
    private bool _disposed;

    public DeviceScope(Device device)
    {
        _previous = t_current;
        t_current = device;
    }

    public static Device? Current => t_current;

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        t_current = _previous;
    }
}
