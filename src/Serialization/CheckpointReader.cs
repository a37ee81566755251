using Framework.Tensors;

namespace Framework.Serialization;

/// <summary>Lists and reads the tensors of any checkpoint, like <c>tf.train.load_checkpoint</c> and <c>tf.train.list_variables</c>.</summary>
/// <remarks>Works for object-based (TF2) checkpoints, TF1 name-based ones and SavedModel <c>variables/</c> bundles. Every read
/// verifies the tensor's CRC32C; corruption is an <see cref="InvalidDataException"/> naming the file and key.</remarks>
/// <example>
/// <code>
/// using var reader = new CheckpointReader("runs");       // the latest checkpoint of the directory
/// foreach (var v in reader.ListVariables()) Console.WriteLine(v);
/// Tensor kernel = reader.GetTensor("model/layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE");
/// </code>
/// </example>
public sealed class CheckpointReader : IDisposable
{
    private readonly TensorBundleReader _bundle;

    /// <summary>Opens a checkpoint.</summary>
    /// <param name="path">A checkpoint prefix, or a directory whose <c>checkpoint</c> state file names the latest one.</param>
    /// <exception cref="FileNotFoundException">The checkpoint or one of its files does not exist.</exception>
    /// <exception cref="InvalidDataException">The index is corrupt.</exception>
    public CheckpointReader(string path)
    {
        Prefix = Checkpoint.ResolvePrefix(path);
        _bundle = new TensorBundleReader(Prefix);
    }

    /// <summary>The checkpoint prefix being read.</summary>
    public string Prefix { get; }

    /// <summary>Every tensor (the object graph included), in bytewise key order.</summary>
    public IReadOnlyList<CheckpointVariable> ListVariables() =>
        [.. _bundle.Entries.Select(e => new CheckpointVariable(e.Key, DataTypes.Name(e.DataType), e.DType, e.Shape))];

    /// <summary>Whether the checkpoint has a tensor under <paramref name="key"/>.</summary>
    public bool HasTensor(string key) => _bundle.Contains(key);

    /// <summary>The shape of every tensor by key (TensorFlow's <c>get_variable_to_shape_map</c>).</summary>
    public IReadOnlyDictionary<string, Shape> GetVariableToShapeMap() =>
        _bundle.Entries.ToDictionary(e => e.Key, e => e.Shape, StringComparer.Ordinal);

    /// <summary>Reads a numeric or bool tensor.</summary>
    /// <exception cref="KeyNotFoundException">No such key; the message names it and the checkpoint.</exception>
    /// <exception cref="NotSupportedException">The dtype has no framework equivalent; use <see cref="GetRawBytes"/> or <see cref="GetStrings"/>.</exception>
    /// <exception cref="InvalidDataException">The tensor's bytes fail their CRC.</exception>
    public Tensor GetTensor(string key)
    {
        var entry = _bundle.GetEntry(key);
        if (entry.DType is not { } dtype)
            throw new NotSupportedException($"Checkpoint '{Prefix}': tensor '{key}' has dtype {DataTypes.Name(entry.DataType)}, which has no tensor type here; read it with GetRawBytes or GetStrings.");
        return TensorBytes.Create(dtype, entry.Shape, _bundle.ReadBytes(key));
    }

    /// <summary>Reads a <c>DT_STRING</c> tensor as UTF-8 strings, row-major.</summary>
    /// <exception cref="KeyNotFoundException">No such key.</exception>
    /// <exception cref="InvalidDataException">The tensor is corrupt or is not a string tensor.</exception>
    public string[] GetStrings(string key) => _bundle.ReadStrings(key);

    /// <summary>Reads the stored bytes of any tensor (little-endian elements; for strings and variants, the encoded payload).</summary>
    /// <exception cref="KeyNotFoundException">No such key.</exception>
    /// <exception cref="InvalidDataException">The bytes fail their CRC.</exception>
    public byte[] GetRawBytes(string key) => _bundle.ReadBytes(key);

    /// <summary>Closes the checkpoint's files.</summary>
    public void Dispose() => _bundle.Dispose();
}
