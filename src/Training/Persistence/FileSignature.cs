namespace Framework.Training.Persistence;

/// <summary>Recognises a saved file by its first bytes, so a renamed file still loads with the right format.</summary>
internal static class FileSignature
{
    private static readonly byte[] s_hdf5 = [0x89, (byte)'H', (byte)'D', (byte)'F', 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] s_zip = [(byte)'P', (byte)'K', 3, 4];

    /// <summary>The first bytes of <paramref name="path"/> (fewer when the file is shorter), or empty when it is not a readable file.</summary>
    public static byte[] Header(string path)
    {
        if (!File.Exists(path)) return [];
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            var header = new byte[Math.Min(8, stream.Length)];
            stream.ReadExactly(header);
            return header;
        }
        catch (IOException)
        {
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>Whether <paramref name="header"/> starts with HDF5's signature (Keras files have no user block).</summary>
    public static bool IsHdf5(ReadOnlySpan<byte> header) => header.StartsWith(s_hdf5);

    /// <summary>Whether <paramref name="header"/> starts with a zip local file header (a <c>.keras</c> archive).</summary>
    public static bool IsZip(ReadOnlySpan<byte> header) => header.StartsWith(s_zip);

    /// <summary>Whether <paramref name="stream"/> starts with HDF5's signature; the position is restored to 0.</summary>
    public static bool IsHdf5(Stream stream)
    {
        Span<byte> header = stackalloc byte[8];
        stream.Position = 0;
        int read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        stream.Position = 0;
        return IsHdf5(header[..read]);
    }
}
