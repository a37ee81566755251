namespace Mnist;

/// <summary>Makes sure the MNIST files are in <c>--data</c>: downloads the missing ones, or explains what to do when it cannot.</summary>
public static class MnistDownload
{
    /// <summary>The mirror the files come from unless <c>--mirror</c> names another.</summary>
    public const string DefaultMirror = "https://storage.googleapis.com/cvdf-datasets/mnist/";

    /// <summary>True when the test digits are in <paramref name="directory"/> or were downloaded into it; otherwise writes what is
    /// missing, why the download failed and where to put the files to <paramref name="error"/>, and returns false.</summary>
    /// <param name="directory">The <c>--data</c> directory.</param>
    /// <param name="mirror">The base URL of the four <c>.gz</c> files.</param>
    /// <param name="error">Where the explanation goes (the console's error stream in the example).</param>
    /// <param name="handler">The HTTP handler to download with; null for the default (tests pass one that fails as offline).</param>
    public static async Task<bool> EnsureAsync(string directory, string mirror, TextWriter error, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (MnistDataset.Has(directory, "t10k")) return true;
        try
        {
            await MnistDataset.DownloadAsync(directory, mirror, handler);
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or UnauthorizedAccessException or UriFormatException or InvalidOperationException)
        {
            // InvalidDataException (a checksum mismatch) is an IOException: the file was not saved, which the message covers too.
            error.WriteLine($"MNIST is not in '{Path.GetFullPath(directory)}' and could not be downloaded from {mirror}: {e.Message}");
            error.WriteLine($"Missing: {string.Join(", ", MnistDataset.MissingFiles(directory))}.");
            error.WriteLine($"Copy the four MNIST files ({string.Join(", ", MnistDataset.FileNames)}; .gz or uncompressed) into that directory, " +
                "pass --data with a directory that has them (the repository's test digits are in ../shared/data/mnist), or --mirror with a reachable copy.");
            return false;
        }
    }
}
