using System.Diagnostics;
using Framework.Tests.Helpers;
using Framework.Tests.Serialization;
using Mnist;

namespace Framework.Tests.Examples;

/// <summary>With no MNIST files and no network the example says what is missing and where to put it, and exits non-zero.</summary>
public class MnistOfflineTests
{
    /// <summary>Fails every request as a machine without network does, so the test never depends on the real network.</summary>
    private sealed class OfflineHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new HttpRequestException($"Name or service not known ({request.RequestUri!.Host}:443)");
    }

    [Test]
    public async Task Ensure_Offline_ExplainsWhatIsMissingAndWhereToPutIt()
    {
        using var dir = new TempDirectory();
        var error = new StringWriter();
        bool available = await MnistDownload.EnsureAsync(dir.Path, MnistDownload.DefaultMirror, error, new OfflineHandler());
        Assert.That(available, Is.False);
        Assert.That(error.ToString(), Does.Contain(dir.Path).And.Contain("t10k-images-idx3-ubyte.gz").And.Contain("train-labels-idx1-ubyte.gz")
            .And.Contain("Name or service not known").And.Contain("--data"));
        Assert.That(Directory.GetFiles(dir.Path), Is.Empty, "nothing half-downloaded is left behind");
    }

    [Test]
    public async Task Ensure_FilesPresent_DoesNotDownload()
    {
        var error = new StringWriter();
        bool available = await MnistDownload.EnsureAsync(RepoPaths.InRepo("../shared/data/mnist"), MnistDownload.DefaultMirror, error, new OfflineHandler());
        Assert.That((available, error.ToString()), Is.EqualTo((true, "")));
    }

    [Test]
    public void Example_UnreachableMirror_ExitsNonZeroWithoutAStackTrace()
    {
        using var dir = new TempDirectory();
        // Port 9 (discard) on the loopback: refused at once on a machine without network as on one with it.
        var start = new ProcessStartInfo("dotnet", [typeof(MnistDownload).Assembly.Location, "--data", dir.Path, "--mirror", "http://127.0.0.1:9/"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEnd();
        Assert.That(process.WaitForExit(60_000), Is.True);
        Assert.That(process.ExitCode, Is.EqualTo(2), stderr.Result);
        Assert.That(stderr.Result, Does.Contain("could not be downloaded from http://127.0.0.1:9/").And.Contain("Missing:").And.Not.Contain("   at "));
    }
}
