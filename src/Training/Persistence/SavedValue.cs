using Framework.Tensors;

namespace Framework.Training.Persistence;

/// <summary>A value of a Keras file known by its metadata (key, shape, dtype) and read only when <see cref="Read"/> is called.</summary>
/// <remarks>Loading pairs every value with its variable and checks the whole file from metadata first, so a file that does not
/// match is refused before a single array is read, and what is read goes straight into the tensor that is then assigned.</remarks>
internal sealed class SavedValue
{
    private readonly Func<Tensor> _read;
    private readonly Action<Variable>? _readInto;

    /// <summary>A value at <paramref name="key"/> of <paramref name="shape"/> and <paramref name="dtype"/>, read by <paramref name="read"/>
    /// into a new tensor, or by <paramref name="readInto"/> straight into a variable's storage (by default: read, then assign).</summary>
    public SavedValue(string key, Shape shape, DType dtype, Func<Tensor> read, Action<Variable>? readInto = null)
    {
        Key = key;
        Shape = shape;
        DType = dtype;
        _read = read;
        _readInto = readInto;
    }

    /// <summary>A value already in memory (the caller hands over <paramref name="value"/>).</summary>
    public SavedValue(string key, Tensor value)
        : this(key, value.Shape, value.DType, () => value)
    {
    }

    /// <summary>Where the value is in the file (<c>layers/dense/vars/0</c>), for messages and reports.</summary>
    public string Key { get; }

    /// <summary>The saved shape.</summary>
    public Shape Shape { get; }

    /// <summary>The saved dtype.</summary>
    public DType DType { get; }

    /// <summary>Reads the value into a new tensor of <see cref="Shape"/> and <see cref="DType"/> (the caller owns it).</summary>
    /// <exception cref="InvalidDataException">The file is corrupt; the message names the file and <see cref="Key"/>.</exception>
    public Tensor Read() => _read();

    /// <summary>Reads the value into <paramref name="target"/>'s own storage (same shape and dtype); a failure leaves it partly written.</summary>
    /// <exception cref="InvalidDataException">The file is corrupt; the message names the file and <see cref="Key"/>.</exception>
    public void ReadInto(Variable target)
    {
        if (_readInto is not null)
        {
            _readInto(target);
            return;
        }
        using var value = Read();
        using (Autograd.NoGrad()) AssignAcrossDevices(target, value);
    }

    /// <summary>Assigns a value read on the host to <paramref name="variable"/>, copying it to the variable's device first
    /// when that is another one (a model on libtorch loading a Keras file).</summary>
    internal static void AssignAcrossDevices(Variable variable, Tensor value)
    {
        if (value.Device == variable.Device)
        {
            variable.Assign(value);
            return;
        }
        using var moved = value.To(variable.Device);
        variable.Assign(moved);
    }
}
