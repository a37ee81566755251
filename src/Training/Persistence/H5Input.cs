using Framework.Tensors;
using PureHDF;
using PureHDF.VOL.Native;

namespace Framework.Training.Persistence;

/// <summary>Reads a Keras HDF5 file through PureHDF as untrusted input: every failure is an <see cref="InvalidDataException"/>
/// naming the file and the object, and no array is allocated larger than the file could hold.</summary>
/// <remarks>
/// PureHDF parses the HDF5 structure; this class adds what a loader of untrusted files needs on top: sizes checked against
/// the file length before any read, only the datatypes Keras writes accepted (float32, float64, int32, int64), string
/// attributes in both of Keras's encodings (variable-length, and fixed-length NULL-padded as Keras 2.1–2.8 wrote), and one
/// exception type for everything a corrupt file can make the parser throw.
/// </remarks>
internal sealed class H5Input : IDisposable
{
    private readonly NativeFile _file;

    private H5Input(string path, NativeFile file, long length)
    {
        Path = path;
        _file = file;
        Length = length;
    }

    /// <summary>The file's name, as given (used in messages).</summary>
    public string Path { get; }

    /// <summary>The file's length in bytes: the bound of every allocation.</summary>
    public long Length { get; }

    /// <summary>The root group.</summary>
    public IH5Group Root => _file;

    /// <summary>Opens the HDF5 file at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not HDF5 or its superblock is corrupt.</exception>
    public static H5Input Open(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"'{path}' does not exist.", path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Open(stream, path);
    }

    /// <summary>Opens HDF5 content from <paramref name="stream"/> (seekable; owned by the result), named <paramref name="name"/> in messages.</summary>
    /// <exception cref="InvalidDataException">The content is not HDF5 or its superblock is corrupt.</exception>
    public static H5Input Open(Stream stream, string name)
    {
        try
        {
            if (!FileSignature.IsHdf5(stream)) throw new InvalidDataException($"'{name}' is not an HDF5 file (no HDF5 signature at offset 0).");
            return new H5Input(name, H5File.Open(stream, leaveOpen: false), stream.Length);
        }
        catch (Exception e) when (IsParserFailure(e))
        {
            stream.Dispose();
            throw new InvalidDataException($"'{name}' is not a readable HDF5 file: {e.Message}", e);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>The group at <paramref name="path"/> (slash-separated, relative to <paramref name="parent"/>), or null when absent.</summary>
    /// <exception cref="InvalidDataException">The object exists but is not a group, or the file is corrupt.</exception>
    public IH5Group? Group(IH5Group parent, string path) => Guard(path, () =>
    {
        if (!LinkExists(parent, path)) return null;
        return parent.Get(path) as IH5Group ?? throw new InvalidDataException($"'{Path}': '{path}' is not a group.");
    });

    /// <summary>The dataset at <paramref name="path"/> under <paramref name="parent"/>, or null when absent.</summary>
    /// <exception cref="InvalidDataException">The object exists but is not a dataset, or the file is corrupt.</exception>
    public IH5Dataset? Dataset(IH5Group parent, string path) => Guard(path, () =>
    {
        if (!LinkExists(parent, path)) return null;
        return parent.Get(path) as IH5Dataset ?? throw new InvalidDataException($"'{Path}': '{path}' is not a dataset.");
    });

    /// <summary>The names of the members of <paramref name="group"/>.</summary>
    public IReadOnlyList<string> Members(IH5Group group, string where) => Guard(where, () => group.Children().Select(c => c.Name).ToList());

    /// <summary>Reads <paramref name="dataset"/> as a tensor of its own dtype and shape.</summary>
    /// <exception cref="InvalidDataException">The datatype is not one Keras writes, or the size exceeds what the file holds.</exception>
    public Tensor ReadTensor(IH5Dataset dataset, string where) => Value(dataset, where).Read();

    /// <summary><paramref name="dataset"/> described from its metadata, checked (datatype, and a size the file can hold), and
    /// read only when asked.</summary>
    /// <exception cref="InvalidDataException">The datatype is not one Keras writes, or the size exceeds what the file holds.</exception>
    public SavedValue Value(IH5Dataset dataset, string where)
    {
        var (shape, dtype) = Describe(dataset, where);
        var native = (NativeDataset)dataset;
        return new SavedValue(where, shape, dtype, () => Guard(where, () => dtype switch
        {
            DType.Float32 => Tensor.Create<float, NativeDataset>(shape, native, Decode),
            DType.Float64 => Tensor.Create<double, NativeDataset>(shape, native, Decode),
            DType.Int32 => Tensor.Create<int, NativeDataset>(shape, native, Decode),
            _ => Tensor.Create<long, NativeDataset>(shape, native, Decode),
        }), variable => Guard(where, () =>
        {
            switch (dtype)
            {
                case DType.Float32: variable.Overwrite<float, NativeDataset>(native, Decode); break;
                case DType.Float64: variable.Overwrite<double, NativeDataset>(native, Decode); break;
                case DType.Int32: variable.Overwrite<int, NativeDataset>(native, Decode); break;
                default: variable.Overwrite<long, NativeDataset>(native, Decode); break;
            }
            return true;
        }));
    }

    /// <summary>Decodes the whole dataset straight into <paramref name="destination"/> (a tensor's or variable's storage): no intermediate array.</summary>
    private static void Decode<T>(Span<T> destination, NativeDataset dataset) => dataset.Read(destination);

    /// <summary>The shape and dtype of <paramref name="dataset"/>, without reading its values.</summary>
    public (Shape Shape, DType DType) Describe(IH5Dataset dataset, string where) => Guard(where, () =>
    {
        var dtype = DTypeOf(dataset.Type, where);
        return (ShapeOf(dataset.Space, where, dtype.SizeInBytes()), dtype);
    });

    /// <summary>A scalar string attribute, or null when absent.</summary>
    public string? StringAttribute(IH5Object owner, string name, string where) => Guard($"{where}@{name}", () =>
    {
        if (!owner.AttributeExists(name)) return null;
        var attribute = owner.Attribute(name);
        CheckStringAttribute(attribute, $"{where}@{name}");
        return attribute.Read<string>();
    });

    /// <summary>A string-list attribute (<c>layer_names</c>, <c>weight_names</c>) in any of Keras's encodings, or null when absent.</summary>
    /// <remarks>Variable- or fixed-length strings; an empty list stored as an empty float64 array; and a list too large for
    /// one object header split by Keras into <c>name0</c>, <c>name1</c>… (concatenated here).</remarks>
    public IReadOnlyList<string>? StringListAttribute(IH5Object owner, string name, string where)
    {
        if (Guard(where, () => owner.AttributeExists(name))) return ReadStringList(owner, name, where);
        var chunks = new List<string>();
        for (int i = 0; Guard(where, () => owner.AttributeExists($"{name}{i}")); i++) chunks.AddRange(ReadStringList(owner, $"{name}{i}", where));
        return chunks.Count > 0 ? chunks : null;
    }

    private IReadOnlyList<string> ReadStringList(IH5Object owner, string name, string where) => Guard($"{where}@{name}", () =>
    {
        var attribute = owner.Attribute(name);
        // Keras writes an empty list as a float64 array of length 0.
        if (attribute.Type.Class == H5DataTypeClass.FloatingPoint && attribute.Space.Dimensions is [0]) return [];
        CheckStringAttribute(attribute, $"{where}@{name}");
        return attribute.Space.Rank == 0 ? [attribute.Read<string>()] : attribute.Read<string[]>();
    });

    private void CheckStringAttribute(IH5Attribute attribute, string where)
    {
        if (attribute.Type.Class is not (H5DataTypeClass.String or H5DataTypeClass.VariableLength))
            throw new InvalidDataException($"'{Path}': attribute '{where}' must hold strings; found {attribute.Type.Class}.");
        long count = 1;
        foreach (ulong d in attribute.Space.Dimensions) count = checked(count * (long)Math.Min(d, (ulong)long.MaxValue));
        if (count > Length) throw new InvalidDataException($"'{Path}': attribute '{where}' claims {count} strings, more than the {Length}-byte file can hold.");
    }

    private DType DTypeOf(IH5DataType type, string where) => (type.Class, type.Size) switch
    {
        (H5DataTypeClass.FloatingPoint, 4) => DType.Float32,
        (H5DataTypeClass.FloatingPoint, 8) => DType.Float64,
        (H5DataTypeClass.FixedPoint, 4) when type.FixedPoint.IsSigned => DType.Int32,
        (H5DataTypeClass.FixedPoint, 8) when type.FixedPoint.IsSigned => DType.Int64,
        _ => throw new InvalidDataException($"'{Path}': dataset '{where}' has datatype {type.Class} of {type.Size} bytes; Keras files hold float32, float64, int32 or int64."),
    };

    private Shape ShapeOf(IH5Dataspace space, string where, int elementSize)
    {
        if (space.Type == H5DataspaceType.Scalar) return Shape.Scalar;
        if (space.Type != H5DataspaceType.Simple || space.Rank > 32)
            throw new InvalidDataException($"'{Path}': dataset '{where}' has an unsupported dataspace ({space.Type}, rank {space.Rank}).");
        var dims = space.Dimensions;
        long bytes = elementSize;
        var shape = new int[dims.Length];
        for (int i = 0; i < dims.Length; i++)
        {
            if (dims[i] > int.MaxValue) throw TooLarge(where, dims);
            shape[i] = (int)dims[i];
            bytes = shape[i] == 0 ? 0 : bytes > Length / shape[i] ? Length + 1 : bytes * shape[i];
        }
        // Keras's datasets are contiguous and unfiltered, so their bytes are in the file: a larger claim is corrupt.
        return bytes <= Length ? new Shape(shape) : throw TooLarge(where, dims);
    }

    private InvalidDataException TooLarge(string where, ulong[] dims) =>
        new($"'{Path}': dataset '{where}' claims shape ({string.Join(", ", dims)}), more than the {Length}-byte file can hold.");

    private static bool LinkExists(IH5Group parent, string path)
    {
        IH5Group current = parent;
        string[] parts = path.Split('/');
        for (int i = 0; i < parts.Length; i++)
        {
            if (!current.LinkExists(parts[i])) return false;
            if (i < parts.Length - 1)
            {
                if (current.Get(parts[i]) is not IH5Group next) return false;
                current = next;
            }
        }
        return true;
    }

    /// <summary>Runs a PureHDF call, turning whatever a corrupt file makes it throw into one <see cref="InvalidDataException"/>.</summary>
    private T Guard<T>(string where, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (InvalidDataException)
        {
            throw;
        }
        catch (Exception e) when (IsParserFailure(e))
        {
            throw new InvalidDataException($"'{Path}': '{where}' cannot be read; the file is corrupt ({e.GetType().Name}: {e.Message}).", e);
        }
    }

    /// <summary>Whether <paramref name="e"/> is what a parser throws on bad bytes (not an environment error to rethrow).</summary>
    /// <remarks>PureHDF allocates a variable-length string's buffer from the size its global heap claims before reading it, so a
    /// corrupt size over 2 GiB surfaces as an <see cref="OutOfMemoryException"/> ("array dimensions exceeded"): that is corrupt
    /// input too. (A claimed size under 2 GiB is allocated and then fails to read: a transient allocation we cannot bound
    /// without parsing the heap ourselves.)</remarks>
    private static bool IsParserFailure(Exception e) => e is not (ThreadAbortException or OperationCanceledException or UnauthorizedAccessException or FileNotFoundException or DirectoryNotFoundException);

    /// <summary>Closes the file.</summary>
    public void Dispose() => _file.Dispose();
}
