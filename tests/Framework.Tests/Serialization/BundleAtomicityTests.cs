using Framework.Serialization;
using Framework.Tensors;

namespace Framework.Tests.Serialization;

public class BundleAtomicityTests
{
    private static readonly float[] s_oldValues = Enumerable.Range(0, 1000).Select(i => (float)i).ToArray();
    private static readonly float[] s_newValues = Enumerable.Range(0, 50_000).Select(i => -i * 0.5f).ToArray();

    /// <summary>A committed checkpoint "ckpt-1" and its state file: what a failed save must never disturb.</summary>
    private static Dictionary<string, byte[]> SavePrevious(TempDirectory dir)
    {
        using (var writer = new TensorBundleWriter(dir.File("ckpt-1")))
        {
            writer.Add<float>("w", new Shape(s_oldValues.Length), s_oldValues);
            writer.Finish();
        }
        var state = new CheckpointState("ckpt-1");
        state.AllModelCheckpointPaths.Add("ckpt-1");
        state.Save(dir.Path);
        return dir.FileNames().ToDictionary(n => n, n => File.ReadAllBytes(dir.File(n)));
    }

    private static void AssertUntouched(TempDirectory dir, Dictionary<string, byte[]> before)
    {
        Assert.That(dir.FileNames(), Is.EqualTo(before.Keys.Order(StringComparer.Ordinal).ToArray()), "no temporaries or partial files may remain");
        foreach (var (name, bytes) in before)
            Assert.That(File.ReadAllBytes(dir.File(name)), Is.EqualTo(bytes), name);
        Assert.That(CheckpointState.LatestCheckpoint(dir.Path), Is.EqualTo(dir.File("ckpt-1")));
        using var reader = new TensorBundleReader(dir.File("ckpt-1"));
        Assert.That(reader.Read<float>("w"), Is.EqualTo(s_oldValues));
    }

    private static void SaveWithFailure(string prefix, string failingFileSuffix, long failAfterBytes, int shards = 1)
    {
        using var writer = new TensorBundleWriter(prefix, shards,
            (path, stream) => path.EndsWith(failingFileSuffix, StringComparison.Ordinal) ? new FailingStream(stream, failAfterBytes) : stream);
        for (int s = 0; s < shards; s++)
            writer.Add<float>($"w{s}", new Shape(s_newValues.Length), s_newValues, shard: s);
        writer.AddStrings(CheckpointKey.ObjectGraphKey, Shape.Scalar, [new byte[300]]);
        writer.Finish();
    }

    [TestCase(".data-00000-of-00001", 0L)]
    [TestCase(".data-00000-of-00001", 1L)]
    [TestCase(".data-00000-of-00001", 100_000L)]
    [TestCase(".data-00000-of-00001", 200_000L)]
    [TestCase(".index", 0L)]
    [TestCase(".index", 10L)]
    [TestCase(".index", 60L)]
    public void Finish_WriterFailsMidway_ThrowsAndLeavesPreviousCheckpointIntact(string failingFile, long failAfterBytes)
    {
        using var dir = new TempDirectory();
        var before = SavePrevious(dir);
        var ex = Assert.Throws<IOException>(() => SaveWithFailure(dir.File("ckpt-2"), failingFile, failAfterBytes));
        Assert.That(ex!.Message, Does.Contain("Injected failure"));
        AssertUntouched(dir, before);
    }

    [TestCase(".data-00001-of-00003", 5000L)]
    [TestCase(".data-00002-of-00003", 0L)]
    public void Finish_OneShardFails_ThrowsAndRemovesEveryTemporary(string failingFile, long failAfterBytes)
    {
        using var dir = new TempDirectory();
        var before = SavePrevious(dir);
        Assert.Throws<IOException>(() => SaveWithFailure(dir.File("ckpt-2"), failingFile, failAfterBytes, shards: 3));
        AssertUntouched(dir, before);
    }

    [Test]
    public void Finish_IndexRenameFails_RemovesRenamedDataFilesOfNewBundle()
    {
        using var dir = new TempDirectory();
        var before = SavePrevious(dir);
        // A directory in the way makes the final rename of the index fail after the data file was renamed.
        Directory.CreateDirectory(dir.File("ckpt-2.index"));
        Assert.Catch<IOException>(() => SaveWithFailure(dir.File("ckpt-2"), ".none", long.MaxValue));
        AssertUntouched(dir, before);
    }

    [Test]
    public void Finish_FailingRewriteOfSamePrefix_KeepsOldFiles()
    {
        using var dir = new TempDirectory();
        var before = SavePrevious(dir);
        Assert.Throws<IOException>(() => SaveWithFailure(dir.File("ckpt-1"), ".index", 30));
        AssertUntouched(dir, before);
    }

    [Test]
    public void Finish_SuccessfulRewriteOfSamePrefix_ReplacesFiles()
    {
        using var dir = new TempDirectory();
        SavePrevious(dir);
        SaveWithFailure(dir.File("ckpt-1"), ".none", long.MaxValue);
        using var reader = new TensorBundleReader(dir.File("ckpt-1"));
        Assert.That(reader.Read<float>("w0"), Is.EqualTo(s_newValues));
        Assert.That(reader.Contains("w"), Is.False);
        Assert.That(dir.FileNames(), Has.Length.EqualTo(3));
    }

    [Test]
    public void Save_StateFileTargetIsDirectory_ThrowsAndLeavesNoTemporary()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File(CheckpointState.FileName));
        var state = new CheckpointState("ckpt-9");
        Assert.Catch<Exception>(() => state.Save(dir.Path));
        Assert.That(dir.FileNames(), Is.Empty);
        Assert.That(Directory.Exists(dir.File(CheckpointState.FileName)), Is.True);
    }

    [Test]
    public void Save_ReplacesStateFileAtomically_NoTemporaryRemains()
    {
        using var dir = new TempDirectory();
        var before = SavePrevious(dir);
        var state = new CheckpointState("ckpt-1");
        state.AllModelCheckpointPaths.Add("ckpt-0");
        state.AllModelCheckpointPaths.Add("ckpt-1");
        state.Save(dir.Path);
        Assert.That(dir.FileNames(), Is.EqualTo(before.Keys.Order(StringComparer.Ordinal).ToArray()));
        Assert.That(File.ReadAllText(dir.File("checkpoint")), Is.EqualTo(
            "model_checkpoint_path: \"ckpt-1\"\nall_model_checkpoint_paths: \"ckpt-0\"\nall_model_checkpoint_paths: \"ckpt-1\"\n"));
    }
}
