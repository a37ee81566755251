using Framework.Tensors;

namespace Framework.Optimizers;

/// <summary>A host copy of a scalar variable that its owner updates itself, read from the device only when someone else wrote it.</summary>
/// <remarks>
/// An optimizer reads its step counter and learning rate every step. On libtorch each read of a value is a call into
/// the native library and a copy, and on a GPU a synchronisation that stalls the queue of kernels, so the owner keeps
/// what it wrote (<see cref="Wrote"/>) and the copy stays valid while the variable's <see cref="Variable.Version"/> is
/// the one seen then. Any other write (an <c>Assign</c>, a checkpoint restore) changes the version, and the next
/// <see cref="Read"/> fetches the value again, so a restored run continues from exactly the restored count.
/// </remarks>
internal sealed class HostMirror
{
    private double _value;
    private long _version = -1;
    private Variable? _variable;

    /// <summary>The variable's value: the copy when still current, else read with <paramref name="read"/>.</summary>
    public double Read(Variable variable, Func<Variable, double> read)
    {
        if (!ReferenceEquals(variable, _variable) || variable.Version != _version)
        {
            _value = read(variable);
            (_variable, _version) = (variable, variable.Version);
        }
        return _value;
    }

    /// <summary>Records that the owner has just written <paramref name="value"/> into <paramref name="variable"/>.</summary>
    public void Wrote(Variable variable, double value) => (_variable, _version, _value) = (variable, variable.Version, value);
}
