using System.IO.Compression;

namespace Framework.Training.Persistence;

/// <summary>Reads the members of a <c>.keras</c> zip archive as untrusted input.</summary>
/// <remarks>Member names with <c>..</c>, a leading slash, a backslash or a drive are refused (nothing is ever extracted to disk,
/// but such an archive is hostile or broken); each member is read through a counter that refuses to expand past
/// <see cref="MaxExpansion"/> times the archive's size plus 1 MiB, whatever the zip headers claim.</remarks>
internal sealed class KerasArchiveReader : IDisposable
{
    /// <summary>How much larger than the archive its members may expand in total (Keras stores members uncompressed).</summary>
    public const int MaxExpansion = 64;

    private readonly ZipArchive _zip;
    private readonly long _budget;
    private long _read;

    private KerasArchiveReader(string path, ZipArchive zip, long length)
    {
        Path = path;
        _zip = zip;
        _budget = length * MaxExpansion + (1 << 20);
    }

    /// <summary>The archive's path.</summary>
    public string Path { get; }

    /// <summary>Opens the archive at <paramref name="path"/> and checks its member names.</summary>
    /// <exception cref="InvalidDataException">It is not a zip archive, or a member name is unsafe.</exception>
    public static KerasArchiveReader Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: false);
            foreach (var entry in zip.Entries) CheckName(path, entry.FullName);
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith($"'{path}'", StringComparison.Ordinal))
        {
            stream.Dispose();
            throw new InvalidDataException($"'{path}' is not a readable .keras (zip) archive: {e.Message}", e);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
        return new KerasArchiveReader(path, zip, stream.Length);
    }

    /// <summary>Whether the archive has a member named <paramref name="name"/>.</summary>
    public bool Has(string name) => _zip.GetEntry(name) is not null;

    /// <summary>The bytes of member <paramref name="name"/>.</summary>
    /// <exception cref="InvalidDataException">The member is missing, corrupt, or expands past the bound.</exception>
    public byte[] Read(string name)
    {
        var entry = _zip.GetEntry(name) ?? throw new InvalidDataException($"'{Path}' has no member '{name}': it is not a complete .keras archive.");
        if (entry.Length > _budget - _read) throw TooLarge(name);
        try
        {
            using var source = entry.Open();
            // Read straight into an array of the size the header claims (bounded above): a model's weights are copied once.
            // A member that holds more than it claims is corrupt; one that holds less is returned as it is (the HDF5 or JSON
            // reader then reports what is missing).
            if (entry.Length is < 0 or > int.MaxValue)
                throw new InvalidDataException($"'{Path}': member '{name}' claims {entry.Length} bytes; a member must fit one array (2 GiB).");
            var bytes = GC.AllocateUninitializedArray<byte>((int)entry.Length);
            int filled = source.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
            _read += filled;
            if (filled == bytes.Length && source.ReadByte() >= 0)
                throw new InvalidDataException($"'{Path}': member '{name}' holds more than the {entry.Length} bytes its header claims.");
            return filled == bytes.Length ? bytes : bytes[..filled];
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith($"'{Path}'", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"'{Path}': member '{name}' is corrupt: {e.Message}", e);
        }
        catch (IOException e) when (e is not FileNotFoundException)
        {
            throw new InvalidDataException($"'{Path}': member '{name}' cannot be read: {e.Message}", e);
        }
    }

    private InvalidDataException TooLarge(string name) =>
        new($"'{Path}': member '{name}' expands past {_budget} bytes ({MaxExpansion} times the archive); refusing a zip bomb.");

    private static void CheckName(string path, string name)
    {
        if (name.Length == 0 || name.StartsWith('/') || name.Contains('\\') || name.Contains(':') || name.Split('/').Contains(".."))
            throw new InvalidDataException($"'{path}': member name '{name}' is unsafe (absolute, with '..', a drive or a backslash); refusing the archive.");
    }

    /// <summary>Closes the archive.</summary>
    public void Dispose() => _zip.Dispose();
}
