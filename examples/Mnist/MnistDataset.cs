using System.IO.Compression;
using System.Security.Cryptography;
using Framework.Tensors;

namespace Mnist;

/// <summary>Reads MNIST's IDX files (gzip-compressed or raw) and downloads missing ones with a SHA-256 check.</summary>
public static class MnistDataset
{
    /// <summary>The published SHA-256 of each original <c>.gz</c> file.</summary>
    private static readonly Dictionary<string, string> s_sha256 = new()
    {
        ["train-images-idx3-ubyte.gz"] = "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
        ["train-labels-idx1-ubyte.gz"] = "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
        ["t10k-images-idx3-ubyte.gz"] = "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
        ["t10k-labels-idx1-ubyte.gz"] = "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
    };

    /// <summary>Images (n, 784) scaled to [0, 1] as Keras's <c>x / 255</c>, and int64 labels, from <c>{prefix}-images/labels</c>.</summary>
    /// <exception cref="FileNotFoundException">Neither the raw nor the .gz file exists in <paramref name="directory"/>.</exception>
    /// <exception cref="InvalidDataException">A file is not a valid IDX file; the message names it.</exception>
    public static (Tensor Images, Tensor Labels) Load(string directory, string prefix)
    {
        var images = ReadIdx(Find(directory, $"{prefix}-images-idx3-ubyte"), 2051, out int count, out int pixels);
        var labels = ReadIdx(Find(directory, $"{prefix}-labels-idx1-ubyte"), 2049, out int labelCount, out _);
        if (count != labelCount)
            throw new InvalidDataException($"{directory}: {count} images but {labelCount} labels for '{prefix}'.");
        var x = Tensor.FromArray(images, count, pixels).Cast(DType.Float32) / 255.0;
        return (x, Tensor.FromArray(labels).Cast(DType.Int64));
    }

    /// <summary>Whether the files of <paramref name="prefix"/> (raw or .gz) are present.</summary>
    public static bool Has(string directory, string prefix) =>
        Exists(directory, $"{prefix}-images-idx3-ubyte") && Exists(directory, $"{prefix}-labels-idx1-ubyte");

    /// <summary>The four <c>.gz</c> files of MNIST, as the mirrors name them.</summary>
    public static IEnumerable<string> FileNames => s_sha256.Keys;

    /// <summary>The files of <see cref="FileNames"/> that are in <paramref name="directory"/> neither compressed nor raw.</summary>
    public static IReadOnlyList<string> MissingFiles(string directory) =>
        [.. FileNames.Where(f => !Exists(directory, f[..^".gz".Length]))];

    /// <summary>Downloads the four MNIST files from <paramref name="mirror"/> into <paramref name="directory"/> unless present, verifying each SHA-256.</summary>
    /// <param name="directory">Where the files go.</param>
    /// <param name="mirror">The base URL of the files (<see cref="MnistDownload.DefaultMirror"/>).</param>
    /// <param name="handler">The HTTP handler; null for the default.</param>
    /// <param name="cancellationToken">Cancels the downloads.</param>
    /// <exception cref="InvalidDataException">A download's checksum differs; the partial file is deleted.</exception>
    /// <exception cref="HttpRequestException">The mirror cannot be reached or refuses a file.</exception>
    public static async Task DownloadAsync(string directory, string mirror = MnistDownload.DefaultMirror, HttpMessageHandler? handler = null, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(directory);
        using var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        foreach (var (file, sha256) in s_sha256)
        {
            var path = Path.Combine(directory, file);
            if (File.Exists(path)) continue;
            Console.WriteLine($"Downloading {mirror}{file}");
            var bytes = await http.GetByteArrayAsync(mirror + file, cancellationToken);
            string actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
            if (actual != sha256)
                throw new InvalidDataException($"{file}: SHA-256 {actual} differs from the published {sha256}; not saved.");
            var temporary = path + ".tmp";
            await File.WriteAllBytesAsync(temporary, bytes, cancellationToken);
            File.Move(temporary, path, overwrite: true);
        }
    }

    private static bool Exists(string directory, string name) =>
        File.Exists(Path.Combine(directory, name)) || File.Exists(Path.Combine(directory, name + ".gz"));

    private static string Find(string directory, string name)
    {
        var raw = Path.Combine(directory, name);
        if (File.Exists(raw)) return raw;
        if (File.Exists(raw + ".gz")) return raw + ".gz";
        throw new FileNotFoundException($"MNIST file '{name}' (or '{name}.gz') is not in '{directory}'.", raw);
    }

    private static byte[] ReadIdx(string path, int magic, out int count, out int itemSize)
    {
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new BinaryReader(stream);
        int ReadInt() => System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(reader.ReadInt32());
        int actualMagic = ReadInt();
        if (actualMagic != magic) throw new InvalidDataException($"{path}: IDX magic {actualMagic}, expected {magic}.");
        count = ReadInt();
        itemSize = 1;
        for (int d = 0; d < (magic & 0xff) - 1; d++) itemSize *= ReadInt();
        if (count < 0 || itemSize <= 0 || (long)count * itemSize > 1L << 30)
            throw new InvalidDataException($"{path}: implausible IDX header ({count} items of {itemSize} bytes).");
        var data = reader.ReadBytes(count * itemSize);
        if (data.Length != count * itemSize) throw new InvalidDataException($"{path}: truncated; expected {count * itemSize} data bytes, read {data.Length}.");
        return data;
    }
}
