using System.Runtime.InteropServices;
using Framework.Serialization;
using Framework.Tensors;
using PureHDF;

namespace Framework.Training.Persistence;

/// <summary>Builds the HDF5 objects of a Keras file from tensors and writes the file atomically.</summary>
/// <remarks>
/// Datasets are contiguous and unfiltered, little-endian, in the tensor's own dtype, as h5py writes Keras's arrays; a rank-0
/// tensor becomes a SCALAR dataspace (Keras's iteration counter). Strings are variable-length: PureHDF writes fixed-length
/// strings only for every string of a file at once, which would truncate <c>model_config</c>; Keras 2.11 and Keras 3 write
/// <c>layer_names</c>/<c>weight_names</c> as variable-length strings too, and every Keras loader reads both.
/// </remarks>
internal static class H5Output
{
    /// <summary>A dataset of <paramref name="value"/>'s elements: a copy when <paramref name="snapshot"/>, else the tensor's own memory.</summary>
    /// <param name="value">The tensor.</param>
    /// <param name="snapshot">Whether to copy the values now, for a write that may run later (a prepared, possibly background,
    /// save) while training changes the variables. Without it the dataset reads the tensor's storage while the file is written
    /// (no copy of the model in memory), so the write must run before the tensor changes.</param>
    /// <exception cref="NotSupportedException">The dtype is not one Keras files hold.</exception>
    public static object Dataset(Tensor value, bool snapshot)
    {
        ulong[] dims = [.. value.Shape.ToArray().Select(d => (ulong)d)];
        if (value.Shape.Rank == 0)
        {
            return value.DType switch
            {
                // Boxed one by one: a switch over float, double, int and long would widen all of them to double.
                DType.Float32 => (object)value.ToArray<float>()[0],
                DType.Float64 => (object)value.ToArray<double>()[0],
                DType.Int32 => (object)value.ToArray<int>()[0],
                DType.Int64 => (object)value.ToArray<long>()[0],
                _ => throw Unsupported(value.DType),
            };
        }
        if (!snapshot && value.Device == Device.Cpu)
        {
            return value.DType switch
            {
                // PureHDF writes a Memory<T> dataset straight from that memory into the file (no copy of its own).
                DType.Float32 => new H5Dataset(MemoryMarshal.AsMemory(value.HostMemory<float>()), fileDims: dims),
                DType.Float64 => new H5Dataset(MemoryMarshal.AsMemory(value.HostMemory<double>()), fileDims: dims),
                DType.Int32 => new H5Dataset(MemoryMarshal.AsMemory(value.HostMemory<int>()), fileDims: dims),
                DType.Int64 => new H5Dataset(MemoryMarshal.AsMemory(value.HostMemory<long>()), fileDims: dims),
                _ => throw Unsupported(value.DType),
            };
        }
        return value.DType switch
        {
            DType.Float32 => new H5Dataset(value.ToArray<float>(), fileDims: dims),
            DType.Float64 => new H5Dataset(value.ToArray<double>(), fileDims: dims),
            DType.Int32 => new H5Dataset(value.ToArray<int>(), fileDims: dims),
            DType.Int64 => new H5Dataset(value.ToArray<long>(), fileDims: dims),
            _ => throw Unsupported(value.DType),
        };
    }

    /// <summary>A string-list attribute; an empty list as Keras writes it (an empty float64 array).</summary>
    public static H5Attribute StringList(IReadOnlyList<string> values) =>
        values.Count == 0 ? new H5Attribute(Array.Empty<double>(), dimensions: [0]) : new H5Attribute(values.ToArray(), dimensions: [(ulong)values.Count]);

    /// <summary>The group at <paramref name="path"/> under <paramref name="root"/>, creating the missing groups on the way.</summary>
    public static H5Group GroupAt(H5Group root, string path)
    {
        var current = root;
        foreach (string part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!current.TryGetValue(part, out var child))
            {
                child = new H5Group();
                current[part] = child;
            }
            current = child as H5Group ?? throw new InvalidOperationException($"'{path}': '{part}' is already a dataset.");
        }
        return current;
    }

    /// <summary>Stores <paramref name="dataset"/> at <paramref name="path"/> (its <c>/</c> separators make groups, as h5py does).</summary>
    public static void Put(H5Group root, string path, object dataset)
    {
        int slash = path.LastIndexOf('/');
        var group = slash < 0 ? root : GroupAt(root, path[..slash]);
        group[path[(slash + 1)..]] = dataset;
    }

    /// <summary>Serializes <paramref name="file"/> to bytes (for a member of a <c>.keras</c> archive).</summary>
    public static byte[] ToBytes(H5File file)
    {
        using var memory = new MemoryStream();
        file.Write(memory);
        return memory.ToArray();
    }

    /// <summary>Writes <paramref name="file"/> to <paramref name="path"/> atomically: a temporary file beside it, flushed to disk,
    /// renamed over the target, and the directory synced; a failure or crash leaves any previous file intact.</summary>
    public static void WriteAtomically(H5File file, string path) => WriteAtomically(path, stream => file.Write(stream));

    /// <summary>Writes what <paramref name="write"/> produces to <paramref name="path"/> atomically.</summary>
    public static void WriteAtomically(string path, Action<Stream> write)
    {
        string full = System.IO.Path.GetFullPath(path);
        if (System.IO.Path.GetDirectoryName(full) is { } parent)
        {
            Directory.CreateDirectory(parent);
            // The temporaries killed saves left beside the target (issue 12, defect 9), as the bundle writer removes them.
            AtomicFile.RemoveLeftovers(parent);
        }
        string temp = AtomicFile.TempPathFor(full);
        try
        {
            // PureHDF needs a readable, writable and seekable stream. Every file-system step goes through AtomicFile, so
            // the crash tests (SavePathCrashTests) can kill the save right before each of them.
            using (var stream = AtomicFile.CreateTemp(temp, access: FileAccess.ReadWrite))
            {
                write(stream);
                AtomicFile.Fsync(stream);
            }
            AtomicFile.Commit(temp, full);
        }
        catch
        {
            AtomicFile.TryDelete(temp);
            throw;
        }
        AtomicFile.SyncDirectory(System.IO.Path.GetDirectoryName(full));
    }

    private static NotSupportedException Unsupported(DType dtype) =>
        new($"Keras HDF5 files hold float32, float64, int32 and int64 arrays; a {dtype.Name()} variable cannot be written.");
}
