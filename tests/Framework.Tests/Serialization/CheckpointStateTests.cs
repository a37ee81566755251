using Framework.Serialization;

namespace Framework.Tests.Serialization;

public class CheckpointStateTests
{
    [TestCase("tf2_checkpoint_guide_adam_slots")]
    [TestCase("tf2_checkpoint_keras_sequential_new_optimizer")]
    [TestCase("tf2_checkpoint_object_graph_only")]
    public void ToText_ParsedFixture_ReproducesFileExactly(string fixture)
    {
        string text = File.ReadAllText(FixturePaths.Fixture(fixture, "checkpoint"));
        Assert.That(CheckpointState.Parse(text).ToText(), Is.EqualTo(text));
    }

    [Test]
    public void Parse_GuideFixture_ReadsAllFields()
    {
        var state = CheckpointState.Load(Path.Combine(FixturePaths.Fixtures, "tf2_checkpoint_guide_adam_slots"))!;
        Assert.That(state.ModelCheckpointPath, Is.EqualTo("ckpt-40"));
        Assert.That(state.AllModelCheckpointPaths, Is.EqualTo(new[] { "ckpt-38", "ckpt-39", "ckpt-40" }));
        Assert.That(state.AllModelCheckpointTimestamps, Is.EqualTo(new[] { 1631786674.830938, 1631786674.9779377, 1631786675.111937 }));
        Assert.That(state.LastPreservedTimestamp, Is.EqualTo(1631779547.777057));
    }

    [Test]
    public void Parse_KerasFixture_HasNoTimestamps()
    {
        var state = CheckpointState.Load(Path.Combine(FixturePaths.Fixtures, "tf2_checkpoint_object_graph_only"))!;
        Assert.That(state.ModelCheckpointPath, Is.EqualTo("easy_checkpoint"));
        Assert.That(state.AllModelCheckpointPaths, Is.EqualTo(new[] { "easy_checkpoint" }));
        Assert.That(state.AllModelCheckpointTimestamps, Is.Empty);
        Assert.That(state.LastPreservedTimestamp, Is.Zero);
    }

    [TestCase(1631786674.9779377, "1631786674.9779377")]
    [TestCase(1673735591.495455, "1673735591.495455")]
    [TestCase(0.1, "0.1")]
    [TestCase(123.0, "123.0")]
    [TestCase(-2.5, "-2.5")]
    [TestCase(0.0, "0.0")]
    [TestCase(1e-05, "1e-05")]
    [TestCase(0.0001, "0.0001")]
    [TestCase(1e16, "1e+16")]
    [TestCase(1e15, "1000000000000000.0")]
    [TestCase(1.5e300, "1.5e+300")]
    [TestCase(double.PositiveInfinity, "inf")]
    public void ToText_Timestamps_FormatLikePythonRepr(double value, string expected)
    {
        var state = new CheckpointState("p");
        state.AllModelCheckpointTimestamps.Add(value);
        Assert.That(state.ToText(), Is.EqualTo($"model_checkpoint_path: \"p\"\nall_model_checkpoint_timestamps: {expected}\n"));
        Assert.That(CheckpointState.Parse(state.ToText()).AllModelCheckpointTimestamps[0], Is.EqualTo(value));
    }

    [Test]
    public void ToText_PathsNeedingEscapes_RoundTrip()
    {
        var state = new CheckpointState("dir \"x\"\\y\n/ckpt-1");
        state.AllModelCheckpointPaths.Add("é'\t");
        state.LastPreservedTimestamp = 12.5;
        string text = state.ToText();
        Assert.That(text, Does.StartWith("model_checkpoint_path: \"dir \\\"x\\\"\\\\y\\n/ckpt-1\"\n"));
        Assert.That(text, Does.Contain("all_model_checkpoint_paths: \"\\303\\251\\'\\t\"\n"));
        var back = CheckpointState.Parse(text);
        Assert.That(back.ModelCheckpointPath, Is.EqualTo(state.ModelCheckpointPath));
        Assert.That(back.AllModelCheckpointPaths, Is.EqualTo(state.AllModelCheckpointPaths));
        Assert.That(back.LastPreservedTimestamp, Is.EqualTo(12.5));
    }

    [Test]
    public void Parse_AnyValidTextFormat_IsAccepted()
    {
        const string text = "# written by hand\n  all_model_checkpoint_paths : 'a' ;\nlast_preserved_timestamp: 3\n" +
                            "model_checkpoint_path: \"b\" \"c\"  all_model_checkpoint_paths: [\"d\", 'e']\n" +
                            "all_model_checkpoint_timestamps: [1.5, 2e3, inf]";
        var state = CheckpointState.Parse(text);
        Assert.That(state.ModelCheckpointPath, Is.EqualTo("bc"));
        Assert.That(state.AllModelCheckpointPaths, Is.EqualTo(new[] { "a", "d", "e" }));
        Assert.That(state.AllModelCheckpointTimestamps, Is.EqualTo(new[] { 1.5, 2000, double.PositiveInfinity }));
        Assert.That(state.LastPreservedTimestamp, Is.EqualTo(3));
        Assert.That(CheckpointState.Parse("model_checkpoint_path: \"\\x41\\101\"").ModelCheckpointPath, Is.EqualTo("AA"));
    }

    [TestCase("model_checkpoint_path \"a\"", "line 1", "expected ':'")]
    [TestCase("model_checkpoint_path: \"a\"\nbogus: 1", "line 2", "unknown field 'bogus'")]
    [TestCase("model_checkpoint_path: \"a", "line 1", "unterminated")]
    [TestCase("model_checkpoint_path: 3", "line 1", "quoted string")]
    [TestCase("last_preserved_timestamp: \"x\"", "line 1", "number")]
    [TestCase("last_preserved_timestamp: [1, 2]", "line 1", "not repeated")]
    [TestCase("model_checkpoint_path: \"\\q\"", "line 1", "invalid escape")]
    [TestCase("model_checkpoint_path: \"\\777\"", "line 1", "octal")]
    public void Parse_Malformed_ThrowsInvalidDataWithLine(string text, string line, string what)
    {
        var ex = Assert.Throws<InvalidDataException>(() => CheckpointState.Parse(text));
        Assert.That(ex!.Message, Does.Contain(line).And.Contain(what));
    }

    [Test]
    public void Load_MissingFileOrDirectory_ReturnsNull()
    {
        using var dir = new TempDirectory();
        Assert.That(CheckpointState.Load(dir.Path), Is.Null);
        Assert.That(CheckpointState.Load(dir.File("nope")), Is.Null);
    }

    [Test]
    public void Load_CorruptFile_ThrowsNamingFile()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("checkpoint"), "model_checkpoint_path: ");
        var ex = Assert.Throws<InvalidDataException>(() => CheckpointState.Load(dir.Path));
        Assert.That(ex!.Message, Does.Contain(dir.File("checkpoint")));
    }

    [Test]
    public void Load_HugeFile_ThrowsWithoutReadingIt()
    {
        using var dir = new TempDirectory();
        using (var stream = File.Create(dir.File("checkpoint")))
            stream.SetLength(17 << 20);
        var ex = Assert.Throws<InvalidDataException>(() => CheckpointState.Load(dir.Path));
        Assert.That(ex!.Message, Does.Contain(dir.File("checkpoint")).And.Contain("17825792 bytes"));
        Assert.That(CheckpointState.LatestCheckpoint(dir.Path), Is.Null);
    }

    [Test]
    public void LatestCheckpoint_FixtureDirectory_ResolvesRelativePath()
    {
        string dir = Path.Combine(FixturePaths.Fixtures, "tf2_checkpoint_guide_adam_slots");
        Assert.That(CheckpointState.LatestCheckpoint(dir), Is.EqualTo(Path.Combine(dir, "ckpt-40")));
    }

    [Test]
    public void LatestCheckpoint_NoStateFile_ReturnsNull()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("ckpt-1.index"), "x");
        Assert.That(CheckpointState.LatestCheckpoint(dir.Path), Is.Null);
    }

    [Test]
    public void LatestCheckpoint_NamedIndexMissing_ReturnsNull()
    {
        using var dir = new TempDirectory();
        new CheckpointState("ckpt-7").Save(dir.Path);
        Assert.That(CheckpointState.LatestCheckpoint(dir.Path), Is.Null);
        File.WriteAllText(dir.File("ckpt-7.index"), "x");
        Assert.That(CheckpointState.LatestCheckpoint(dir.Path), Is.EqualTo(dir.File("ckpt-7")));
    }

    [Test]
    public void LatestCheckpoint_AbsolutePathElsewhere_IsUsedAsIs()
    {
        using var dir = new TempDirectory();
        using var other = new TempDirectory();
        File.WriteAllText(other.File("model.index"), "x");
        new CheckpointState(other.File("model")).Save(dir.Path);
        Assert.That(File.ReadAllText(dir.File("checkpoint")), Does.Contain(other.File("model")));
        Assert.That(CheckpointState.LatestCheckpoint(dir.Path), Is.EqualTo(other.File("model")));
    }

    [Test]
    public void LatestCheckpoint_CorruptOrEmptyState_ReturnsNull()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("checkpoint"), "garbage {");
        Assert.That(CheckpointState.LatestCheckpoint(dir.Path), Is.Null);
        File.WriteAllText(dir.File("checkpoint"), "all_model_checkpoint_paths: \"a\"\n");
        Assert.That(CheckpointState.LatestCheckpoint(dir.Path), Is.Null);
    }

    [Test]
    public void Save_AbsolutePathsInsideDirectory_AreWrittenRelative()
    {
        using var dir = new TempDirectory();
        var state = new CheckpointState(dir.File("ckpt-2"));
        state.AllModelCheckpointPaths.Add(dir.File("ckpt-1"));
        state.AllModelCheckpointPaths.Add(dir.File("ckpt-2"));
        state.AllModelCheckpointTimestamps.Add(1.25);
        state.AllModelCheckpointTimestamps.Add(2.5);
        state.Save(dir.Path);
        Assert.That(File.ReadAllText(dir.File("checkpoint")), Is.EqualTo(
            "model_checkpoint_path: \"ckpt-2\"\nall_model_checkpoint_paths: \"ckpt-1\"\nall_model_checkpoint_paths: \"ckpt-2\"\n" +
            "all_model_checkpoint_timestamps: 1.25\nall_model_checkpoint_timestamps: 2.5\n"));
        Assert.That(dir.FileNames(), Is.EqualTo(new[] { "checkpoint" }));
    }
}
