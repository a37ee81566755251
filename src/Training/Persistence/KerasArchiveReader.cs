using System.IO.Compression;
using System.IO.Hashing;

namespace Framework.Training.Persistence;

/// <summary>Reads the members of a <c>.keras</c> zip archive as untrusted input.</summary>
/// <remarks>Member names with <c>..</c>, a leading slash, a backslash or a drive are refused (nothing is ever extracted to disk,
/// but such an archive is hostile or broken); each member is read through a counter that refuses to expand past
/// <see cref="MaxExpansion"/> times the archive's size plus 1 MiB, whatever the zip headers claim.</remarks>
internal sealed class KerasArchiveReader : IDisposable
{
    /// <summary>How much larger than the archive its members may expand in total (Keras stores members uncompressed).</summary>
    public const int MaxExpansion = 64;

    /// <summary>How many leading bytes of a stored member are compared between the zip reader and the window onto the file.</summary>
    private const int ProbeBytes = 64 * 1024;

    private readonly ZipArchive _zip;
    private readonly FileStream _file;
    private readonly long _budget;
    private long _read;
    private readonly List<Task> _checks = [];

    private KerasArchiveReader(string path, ZipArchive zip, FileStream file)
    {
        Path = path;
        _zip = zip;
        _file = file;
        _budget = file.Length * MaxExpansion + (1 << 20);
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
        return new KerasArchiveReader(path, zip, stream);
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

    /// <summary>Member <paramref name="name"/> as a read-only seekable stream (owned by the caller, to dispose before this
    /// reader): a <see cref="ArchiveMemberWindow"/> onto the archive file when the member is stored uncompressed, as Keras
    /// writes it, after its zip CRC-32 was checked over the window; otherwise a copy (<see cref="Read"/>).</summary>
    /// <remarks>The window saves copying a model's weights (a gigabyte for 100M parameters with Adam) out of the zip: the zip
    /// reader's stream cannot seek (dotnet/runtime#109064), and the HDF5 reader must. Where the member's data starts is taken
    /// from the zip reader itself (its file position after reading the member's first bytes), never parsed by hand, and
    /// is used only once the file holds the same first bytes there.</remarks>
    /// <exception cref="InvalidDataException">The member is missing, truncated, fails its CRC-32, or (copied) is corrupt.</exception>
    public Stream OpenSeekable(string name)
    {
        var entry = _zip.GetEntry(name) ?? throw new InvalidDataException($"'{Path}' has no member '{name}': it is not a complete .keras archive.");
        if (entry.Length > _budget - _read) throw TooLarge(name);
        var window = StoredWindow(entry, name);
        if (window is null) return new MemoryStream(Read(name), writable: false);
        _read += window.Length;
        // The CRC-32 pass reads the member once more (0.4 s for 1.2 GB here): it runs on its own window beside the HDF5
        // decode, and VerifyMembers waits for it before the loaded model is handed out.
        var checkWindow = new ArchiveMemberWindow(_file.SafeFileHandle, window.Start, window.Length);
        uint expected = entry.Crc32;
        _checks.Add(Task.Run(() => CheckCrc(checkWindow, expected, name)));
        window.Position = 0;
        return window;
    }

    /// <summary>Waits for the CRC-32 checks of the members opened with <see cref="OpenSeekable"/>.</summary>
    /// <exception cref="InvalidDataException">A member is corrupt or truncated; the message names the archive and the member.</exception>
    public void VerifyMembers()
    {
        foreach (var check in _checks) check.GetAwaiter().GetResult();
    }

    /// <summary>A window onto the stored data of <paramref name="entry"/>, or null where it is not stored or its start cannot be
    /// confirmed (then the member is copied through the zip reader, which decompresses and checks it).</summary>
    private ArchiveMemberWindow? StoredWindow(ZipArchiveEntry entry, string name)
    {
        if (entry.Length <= 0 || entry.CompressedLength != entry.Length) return null;
        var probe = new byte[(int)Math.Min(ProbeBytes, entry.Length)];
        long start;
        try
        {
            using var source = entry.Open();
            if (source.ReadAtLeast(probe, probe.Length, throwOnEndOfStream: false) != probe.Length) return null;
            start = _file.Position - probe.Length;
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"'{Path}': member '{name}' is corrupt: {e.Message}", e);
        }
        if (start < 0) return null;
        var window = new ArchiveMemberWindow(_file.SafeFileHandle, start, entry.Length);
        var there = new byte[probe.Length];
        if (window.ReadAtLeast(there, there.Length, throwOnEndOfStream: false) != there.Length || !there.AsSpan().SequenceEqual(probe))
            return null;
        if (start + entry.Length > _file.Length)
            throw new InvalidDataException($"'{Path}': member '{name}' is truncated: its {entry.Length} bytes from offset {start} run past the archive's end ({_file.Length} bytes).");
        return window;
    }

    private void CheckCrc(ArchiveMemberWindow window, uint expected, string name)
    {
        var crc = new Crc32();
        var buffer = GC.AllocateUninitializedArray<byte>(1 << 20);
        window.Position = 0;
        int n;
        while ((n = window.Read(buffer)) > 0) crc.Append(buffer.AsSpan(0, n));
        if (window.Position != window.Length)
            throw new InvalidDataException($"'{Path}': member '{name}' is truncated: {window.Position} of its {window.Length} bytes could be read.");
        uint actual = crc.GetCurrentHashAsUInt32();
        if (actual != expected)
            throw new InvalidDataException($"'{Path}': member '{name}' is corrupt: its CRC-32 is 0x{actual:x8}, the archive records 0x{expected:x8}.");
    }

    private InvalidDataException TooLarge(string name) =>
        new($"'{Path}': member '{name}' expands past {_budget} bytes ({MaxExpansion} times the archive); refusing a zip bomb.");

    private static void CheckName(string path, string name)
    {
        if (name.Length == 0 || name.StartsWith('/') || name.Contains('\\') || name.Contains(':') || name.Split('/').Contains(".."))
            throw new InvalidDataException($"'{path}': member name '{name}' is unsafe (absolute, with '..', a drive or a backslash); refusing the archive.");
    }

    /// <summary>Closes the archive.</summary>
    public void Dispose()
    {
        // A check still reading must finish before the handle it reads through is closed; its verdict no longer matters.
        foreach (var check in _checks)
        {
            try
            {
                check.Wait();
            }
            catch (AggregateException)
            {
            }
        }
        _zip.Dispose();
    }
}
