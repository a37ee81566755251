using Framework.Serialization;
using Framework.Tensors;

namespace Framework.Tests.Serialization;

/// <summary>Saves drop the cached pages of the files they replace or will delete, so the new files can reuse that memory.</summary>
public class PageCacheTests
{
    private const int Floats = 1 << 20;

    [SetUp]
    public void RequireLinux()
    {
        if (!CachedPages.Supported) Assert.Ignore("Page-cache residency is read with Linux's mincore.");
    }

    [Test]
    public void Evict_SyncedFile_DropsItsCachedPagesAndKeepsItsBytes()
    {
        using var dir = new TempDirectory();
        string path = dir.File("blob");
        byte[] bytes = new byte[1 << 20];
        new Random(1).NextBytes(bytes);
        using (var stream = new FileStream(path, FileMode.CreateNew))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        using var pages = CachedPages.Watch(path);
        Assert.That(pages.Resident(), Is.GreaterThan(0), "a file just written is cached");

        PageCache.Evict(path);

        Assert.That(pages.Resident(), Is.Zero);
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(bytes));
    }

    [Test]
    public void Evict_MissingFile_DoesNothing() =>
        Assert.DoesNotThrow(() => PageCache.Evict(Path.Combine(Path.GetTempPath(), "fw-no-such-file-" + Guid.NewGuid())));

    [Test]
    public void BundleWriter_OverwritingAPrefix_DropsTheReplacedDataFilesPages()
    {
        using var dir = new TempDirectory();
        string prefix = dir.File("ckpt");
        WriteBundle(prefix, 1f);
        using var old = CachedPages.Watch(prefix + ".data-00000-of-00001");
        Assert.That(old.Resident(), Is.GreaterThan(0));

        WriteBundle(prefix, 2f);

        Assert.That(old.Resident(), Is.Zero, "the replaced file's pages were dropped before the new file was written");
        using var reader = new TensorBundleReader(prefix);
        Assert.That(reader.Read<float>("x")[Floats - 1], Is.EqualTo(2f));
    }

    [Test]
    public void CheckpointManager_SaveBeyondMaxToKeep_DropsThePagesOfTheCheckpointItWillDelete()
    {
        using var dir = new TempDirectory();
        var variable = new Variable(Tensor.Full(new Shape(Floats), 1.0), "x", trainable: false);
        var manager = new CheckpointManager(new Checkpoint(("x", variable)), dir.Path, maxToKeep: 2);
        string first = manager.Save()!;
        string second = manager.Save()!;
        using var oldest = CachedPages.Watch(first + ".data-00000-of-00001");
        using var kept = CachedPages.Watch(second + ".data-00000-of-00001");
        Assert.That(oldest.Resident(), Is.GreaterThan(0));

        manager.Save();

        Assert.That(oldest.Resident(), Is.Zero, "ckpt-1 goes after this save");
        Assert.That(kept.Resident(), Is.GreaterThan(0), "ckpt-2 stays, and so do its cached pages");
        Assert.That(manager.Checkpoints, Has.Count.EqualTo(2));
        Assert.That(File.Exists(first + ".index"), Is.False);
    }

    private static void WriteBundle(string prefix, float value)
    {
        using var writer = new TensorBundleWriter(prefix);
        writer.Add<float>("x", new Shape(Floats), Enumerable.Repeat(value, Floats).ToArray());
        writer.Finish();
    }
}
