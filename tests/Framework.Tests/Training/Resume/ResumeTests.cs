using Framework.Tests.Helpers;
using System.Text.Json;
using Framework.Layers;
using Framework.Optimizers;
using Framework.Serialization;
using Framework.Tensors;
using Framework.Tests.Serialization;
using Framework.Training;

namespace Framework.Tests.Training.Resume;

/// <summary>BackupAndRestore in one process: a run that dies mid-way (an exception thrown from a callback) and is started
/// again with a freshly built model must end bit-identical to a run that never stopped.</summary>
[TestFixtureSource(typeof(TestDevices), nameof(TestDevices.Both))]
public class ResumeTests(Device device) : OnDevice(device)
{
    private const int Epochs = 4;
    private const int BatchSize = 16;

    private sealed class CrashException : Exception;

    private sealed record Outcome(float[][] Weights, string History, string Csv, string Best);

    private static (Tensor X, Tensor Y) Data()
    {
        var generator = new RandomGenerator(5);
        var x = Tensor.RandomNormal([200, 6], generator: generator);
        var y = Tensor.FromArray(Enumerable.Range(0, 200).Select(_ => (long)generator.NextInt(3)).ToArray());
        return (x, y);
    }

    private static Sequential NewModel(Optimizer? optimizer = null)
    {
        RandomGenerator.SetGlobalSeed(17);
        var model = new Sequential([new Dense(16, activation: "relu"), new Dropout(0.25), new Dense(3)]);
        model.Compile(optimizer ?? new Adam(0.01), new SparseCategoricalCrossentropy(fromLogits: true), [new Accuracy()]);
        return model;
    }

    /// <summary>Trains with the given extra callbacks; throws <see cref="CrashException"/> after global batch <paramref name="crashAfter"/> when given.</summary>
    private static Outcome Train(TempDirectory dir, IEnumerable<Callback> extra, int? crashAfter = null, int batchSize = BatchSize, Optimizer? optimizer = null)
    {
        var (x, y) = Data();
        var model = NewModel(optimizer);
        int seen = 0;
        var crash = new LambdaCallback { BatchEnd = (_, _) => { if (++seen == crashAfter) throw new CrashException(); } };
        string csv = dir.File("log.csv");
        var best = new ModelCheckpoint(dir.File("best-{epoch}"), saveBestOnly: true, saveWeightsOnly: true, saveTopK: 1);
        var history = model.Fit(x, y, epochs: Epochs, batchSize: batchSize, verbose: 0, validationSplit: 0.2, callbacks:
            [.. extra, new EarlyStopping(patience: 50, restoreBestWeights: true), new ReduceLROnPlateau(patience: 1, factor: 0.5), new CsvLogger(csv), best, crash]);
        // The best checkpoint's name and tensors: a resumed ModelCheckpoint that forgot its best would keep another one.
        // (Not the file's bytes: the object graph records variable names, which count up with every model built.)
        string bestFiles = string.Join(";", Directory.GetFiles(dir.Path, "best-*.index").Order(StringComparer.Ordinal).Select(index =>
        {
            using var reader = new CheckpointReader(index[..^".index".Length]);
            var tensors = reader.ListVariables().Where(v => v.Key != "_CHECKPOINTABLE_OBJECT_GRAPH")
                .Select(v => $"{v.Key}={Convert.ToHexString(reader.GetRawBytes(v.Key))}");
            return $"{Path.GetFileName(index)}:{string.Join(",", tensors)}";
        }));
        return new Outcome([.. model.GetWeightValues()], JsonSerializer.Serialize(new { history.Epochs, history.Values }), File.ReadAllText(csv), bestFiles);
    }

    private static Outcome Uninterrupted()
    {
        using var dir = new TempDirectory();
        return Train(dir, []);
    }

    private static void AssertSame(Outcome actual, Outcome expected)
    {
        Assert.That(actual.Weights, Has.Length.EqualTo(expected.Weights.Length));
        for (int i = 0; i < expected.Weights.Length; i++)
            Assert.That(actual.Weights[i], Is.EqualTo(expected.Weights[i]), $"weight {i} differs from the uninterrupted run");
        Assert.That(actual.History, Is.EqualTo(expected.History), "history");
        Assert.That(actual.Csv, Is.EqualTo(expected.Csv), "CSV log");
        Assert.That(actual.Best, Is.EqualTo(expected.Best).And.Not.Empty, "ModelCheckpoint's best file");
    }

    [TestCase(0, 5, BackupFormat.TensorFlowCheckpoint, TestName = "Resume_EveryThreeBatches_CrashInFirstEpoch_BitIdentical")]
    [TestCase(0, 23, BackupFormat.TensorFlowCheckpoint, TestName = "Resume_EveryThreeBatches_CrashInThirdEpoch_BitIdentical")]
    [TestCase(0, 10, BackupFormat.TensorFlowCheckpoint, TestName = "Resume_EveryThreeBatches_CrashAtEpochEnd_BitIdentical")]
    [TestCase(1, 27, BackupFormat.TensorFlowCheckpoint, TestName = "Resume_PerEpoch_CrashMidEpoch_BitIdentical")]
    [TestCase(0, 5, BackupFormat.Keras, TestName = "Resume_Keras_EveryThreeBatches_CrashInFirstEpoch_BitIdentical")]
    [TestCase(0, 23, BackupFormat.Keras, TestName = "Resume_Keras_EveryThreeBatches_CrashInThirdEpoch_BitIdentical")]
    [TestCase(0, 10, BackupFormat.Keras, TestName = "Resume_Keras_EveryThreeBatches_CrashAtEpochEnd_BitIdentical")]
    [TestCase(1, 27, BackupFormat.Keras, TestName = "Resume_Keras_PerEpoch_CrashMidEpoch_BitIdentical")]
    public void Resume_AfterCrash_EqualsUninterruptedRun(int perEpoch, int crashAfter, BackupFormat format)
    {
        var expected = Uninterrupted();
        using var dir = new TempDirectory();
        var frequency = perEpoch == 1 ? SaveFrequency.Epoch : SaveFrequency.EveryBatches(3);
        string backup = dir.File("backup");
        Assert.Throws<CrashException>(() => Train(dir, [new BackupAndRestore(backup, frequency, format: format)], crashAfter));
        Assert.That(Directory.Exists(backup), Is.True, "the crashed run left its backup");
        var restore = new BackupAndRestore(backup, frequency, format: format);
        AssertSame(Train(dir, [restore]), expected);
        Assert.That(restore.RestoredFrom, Is.Not.Null, "the second run resumed");
        Assert.That(Directory.Exists(backup), Is.False, "a completed run deletes its backup");
    }

    [Test]
    public void Resume_TwoCrashes_EqualsUninterruptedRun([Values] BackupFormat format)
    {
        var expected = Uninterrupted();
        using var dir = new TempDirectory();
        string backup = dir.File("backup");
        Assert.Throws<CrashException>(() => Train(dir, [new BackupAndRestore(backup, SaveFrequency.EveryBatches(4), format: format)], crashAfter: 6));
        Assert.Throws<CrashException>(() => Train(dir, [new BackupAndRestore(backup, SaveFrequency.EveryBatches(4), format: format)], crashAfter: 13));
        AssertSame(Train(dir, [new BackupAndRestore(backup, SaveFrequency.EveryBatches(4), format: format)]), expected);
    }

    [Test]
    public void Resume_Keras_NewestBackupTruncated_FallsBackToBkpAndWarns()
    {
        var expected = Uninterrupted();
        using var dir = new TempDirectory();
        string backup = dir.File("backup");
        Assert.Throws<CrashException>(() => Train(dir, [new BackupAndRestore(backup, SaveFrequency.EveryBatches(3), format: BackupFormat.Keras)], crashAfter: 20));
        string latest = Path.Combine(backup, "latest.weights.h5");
        var bytes = File.ReadAllBytes(latest);
        File.WriteAllBytes(latest, bytes[..(bytes.Length / 2)]);

        var restore = new BackupAndRestore(backup, SaveFrequency.EveryBatches(3), format: BackupFormat.Keras);
        AssertSame(Train(dir, [restore]), expected);
        Assert.That(restore.RestoredFrom, Is.EqualTo(latest + ".bkp"), "the damaged backup was not used");
        Assert.That(restore.Warnings, Has.Count.EqualTo(1));
        Assert.That(restore.Warnings[0], Does.Contain("latest.weights.h5").And.Contain("falling back"));
    }

    [Test]
    public void Resume_Keras_NewestBackupHasAFlippedBit_FallsBackToBkpAndWarns()
    {
        // HDF5 has no checksum of its arrays: the SHA-256 recorded in training_metadata.json is what catches this.
        var expected = Uninterrupted();
        using var dir = new TempDirectory();
        string backup = dir.File("backup");
        Assert.Throws<CrashException>(() => Train(dir, [new BackupAndRestore(backup, SaveFrequency.EveryBatches(3), format: BackupFormat.Keras)], crashAfter: 20));
        string latest = Path.Combine(backup, "latest.weights.h5");
        var bytes = File.ReadAllBytes(latest);
        bytes[bytes.Length - 40] ^= 0x01;
        File.WriteAllBytes(latest, bytes);

        var restore = new BackupAndRestore(backup, SaveFrequency.EveryBatches(3), format: BackupFormat.Keras);
        AssertSame(Train(dir, [restore]), expected);
        Assert.That(restore.RestoredFrom, Is.EqualTo(latest + ".bkp"), "the damaged backup was not used");
        Assert.That(restore.Warnings.Single(), Does.Contain("SHA-256"));
    }

    [Test]
    public void Resume_Keras_NewestIsAPlainWeightsFile_FallsBackToBkp()
    {
        // A Keras weights file without our training state (say, saved over the backup by hand) cannot resume exactly.
        var expected = Uninterrupted();
        using var dir = new TempDirectory();
        string backup = dir.File("backup");
        Assert.Throws<CrashException>(() => Train(dir, [new BackupAndRestore(backup, SaveFrequency.EveryBatches(3), format: BackupFormat.Keras)], crashAfter: 20));
        var (x, y) = Data();
        var other = NewModel();
        other.Fit(x, y, epochs: 1, batchSize: BatchSize, verbose: 0);
        other.SaveWeights(Path.Combine(backup, "latest.weights.h5"));

        var restore = new BackupAndRestore(backup, SaveFrequency.EveryBatches(3), format: BackupFormat.Keras);
        AssertSame(Train(dir, [restore]), expected);
        Assert.That(restore.Warnings, Has.Count.EqualTo(1));
        Assert.That(restore.Warnings[0], Does.Contain("SHA-256"), "a file saved over the backup by hand is not the one recorded");
    }

    [Test]
    public void Resume_Keras_ChangedBatchSize_ThrowsNamingTheDifference()
    {
        using var dir = new TempDirectory();
        string backup = dir.File("backup");
        Assert.Throws<CrashException>(() => Train(dir, [new BackupAndRestore(backup, format: BackupFormat.Keras)], crashAfter: 12));
        var e = Assert.Throws<InvalidOperationException>(() => Train(dir, [new BackupAndRestore(backup, format: BackupFormat.Keras)], batchSize: 20));
        Assert.That(e!.Message, Does.Contain("batch_size").And.Contain("16").And.Contain("20").And.Contain(backup));
    }

    [Test]
    public void Fit_KerasFormat_WritesKeras3BackupFiles()
    {
        using var dir = new TempDirectory();
        string backup = dir.File("backup");
        var (x, y) = Data();
        NewModel().Fit(x, y, epochs: 2, batchSize: BatchSize, verbose: 0, callbacks:
            [new BackupAndRestore(backup, deleteCheckpoint: false, format: BackupFormat.Keras), new EarlyStopping(monitor: "loss", restoreBestWeights: true)]);
        Assert.That(Directory.GetFiles(backup).Select(Path.GetFileName).Order(StringComparer.Ordinal), Is.EqualTo(new[]
            { "latest.weights.h5", "latest.weights.h5.bkp", "training_metadata.json", "training_metadata.json.bkp" }));
        // What Keras 3's BackupAndRestore writes at an epoch's end (on_epoch_end: epoch + 1, batch 0), and reads back.
        Assert.That(File.ReadAllText(Path.Combine(backup, "training_metadata.json")), Does.StartWith("{\"epoch\":2,\"batch\":0,\"framework_sha256\":\""));
        Assert.That(File.ReadAllText(Path.Combine(backup, "training_metadata.json.bkp")), Does.StartWith("{\"epoch\":1,\"batch\":0,"));
        // h5py (not our reader) sees Keras 3's weights layout, optimizer included.
        var lines = Persistence.KerasRecurrentFileTests.Lines("keras_h5_check.py", "weights3", Path.Combine(backup, "latest.weights.h5"), FixturePaths.Fixtures);
        Assert.That(lines.Single(l => l.StartsWith("VALUES ", StringComparison.Ordinal)), Does.Contain("\"layers/dense/vars/0\"").And.Contain("\"optimizer/vars/2\""));
    }

    [Test]
    public void Resume_NewestBackupCorrupt_FallsBackToPreviousAndWarns()
    {
        var expected = Uninterrupted();
        using var dir = new TempDirectory();
        string backup = dir.File("backup");
        Assert.Throws<CrashException>(() => Train(dir, [new BackupAndRestore(backup, SaveFrequency.EveryBatches(3))], crashAfter: 20));
        string newest = CheckpointState.LatestCheckpoint(backup)!;
        string data = BundleNaming.DataPath(newest, 0, 1);
        var bytes = File.ReadAllBytes(data);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(data, bytes);

        var restore = new BackupAndRestore(backup, SaveFrequency.EveryBatches(3));
        AssertSame(Train(dir, [restore]), expected);
        Assert.That(restore.RestoredFrom, Is.Not.EqualTo(newest), "the damaged backup was not used");
        Assert.That(restore.Warnings, Has.Count.EqualTo(1));
        Assert.That(restore.Warnings[0], Does.Contain(Path.GetFileName(newest)).And.Contain("falling back"));
    }

    [Test]
    public void Resume_NewestBackupIsAWeightsBundleWithoutTrainingState_FallsBackToPrevious()
    {
        // Issue 12, defect 4: a valid bundle that lacks the training state is as unusable as a corrupt one.
        var expected = Uninterrupted();
        using var dir = new TempDirectory();
        string backup = dir.File("backup");
        Assert.Throws<CrashException>(() => Train(dir, [new BackupAndRestore(backup, SaveFrequency.EveryBatches(3))], crashAfter: 20));
        string newest = CheckpointState.LatestCheckpoint(backup)!;
        NewModel().SaveWeights(dir.File("weights"));
        File.Copy(dir.File("weights.index"), newest + ".index", overwrite: true);
        File.Copy(BundleNaming.DataPath(dir.File("weights"), 0, 1), BundleNaming.DataPath(newest, 0, 1), overwrite: true);

        var restore = new BackupAndRestore(backup, SaveFrequency.EveryBatches(3));
        AssertSame(Train(dir, [restore]), expected);
        Assert.That(restore.RestoredFrom, Is.Not.EqualTo(newest), "the unusable backup was not used");
        Assert.That(restore.Warnings, Has.Count.EqualTo(1));
        Assert.That(restore.Warnings[0], Does.Contain(Path.GetFileName(newest)).And.Contain("training_state"));
    }

    [Test]
    public void Resume_StateFileNamesAPathWithNul_FallsBackAndTheNextBackupSucceeds()
    {
        // Issue 12, defect 5: the entry is damaged; the restore skips it and the state file is rewritten without it.
        var expected = Uninterrupted();
        using var dir = new TempDirectory();
        string backup = dir.File("backup");
        Assert.Throws<CrashException>(() => Train(dir, [new BackupAndRestore(backup, SaveFrequency.EveryBatches(3))], crashAfter: 20));
        var state = CheckpointState.Load(backup)!;
        string newest = Path.GetFileName(CheckpointState.LatestCheckpoint(backup)!);
        var damaged = new CheckpointState(newest + "\0");
        foreach (string path in state.AllModelCheckpointPaths) damaged.AllModelCheckpointPaths.Add(Path.GetFileName(path) == newest ? newest + "\0" : path);
        File.WriteAllText(Path.Combine(backup, CheckpointState.FileName), damaged.ToText());

        var restore = new BackupAndRestore(backup, SaveFrequency.EveryBatches(3), deleteCheckpoint: false);
        AssertSame(Train(dir, [restore]), expected);
        Assert.That(restore.RestoredFrom, Is.Not.Null.And.Not.EqualTo(Path.Combine(backup, newest)), "the older backup was resumed");
        string rewritten = File.ReadAllText(Path.Combine(backup, CheckpointState.FileName));
        Assert.That(rewritten, Does.Not.Contain("\\000"), "the damaged entry was dropped when the state file was rewritten");
        Assert.That(CheckpointState.LatestCheckpoint(backup), Is.Not.Null);
    }

    [Test]
    public void Resume_ChangedBatchSize_ThrowsNamingTheDifference()
    {
        using var dir = new TempDirectory();
        string backup = dir.File("backup");
        Assert.Throws<CrashException>(() => Train(dir, [new BackupAndRestore(backup)], crashAfter: 12));
        var e = Assert.Throws<InvalidOperationException>(() => Train(dir, [new BackupAndRestore(backup)], batchSize: 20));
        Assert.That(e!.Message, Does.Contain("batch_size").And.Contain("16").And.Contain("20").And.Contain(backup));
    }

    [Test]
    public void Resume_ChangedOptimizer_ThrowsNamingTheDifference()
    {
        using var dir = new TempDirectory();
        string backup = dir.File("backup");
        Assert.Throws<CrashException>(() => Train(dir, [new BackupAndRestore(backup)], crashAfter: 12));
        var e = Assert.Throws<InvalidOperationException>(() => Train(dir, [new BackupAndRestore(backup)], optimizer: new Adam(0.01, beta1: 0.8)));
        Assert.That(e!.Message, Does.Contain("optimizer").And.Contain("\"beta_1\":0.8"));
    }

    [Test]
    public void Resume_AfterEarlyStoppingHadStopped_TrainsNoFurther()
    {
        using var dir = new TempDirectory();
        string backup = dir.File("backup");
        var (x, y) = Data();
        var model = NewModel();
        var stopper = new LambdaCallback { EpochEnd = (epoch, _) => { if (epoch == 1) model.StopTraining = true; } };
        // Keeping the backup stands for a crash after the last backup and before Fit could finish and delete it.
        var history = model.Fit(x, y, epochs: Epochs, batchSize: BatchSize, verbose: 0, callbacks: [new BackupAndRestore(backup, deleteCheckpoint: false), stopper]);
        Assert.That(history.Epochs, Is.EqualTo(new[] { 0, 1 }));
        var weights = model.GetWeightValues();

        var resumed = NewModel();
        var again = resumed.Fit(x, y, epochs: Epochs, batchSize: BatchSize, verbose: 0, callbacks: [new BackupAndRestore(backup)]);
        Assert.That(again.Epochs, Is.EqualTo(new[] { 0, 1 }), "the resumed run knew training had stopped");
        Assert.That(resumed.GetWeightValues(), Is.EqualTo(weights));
    }

    [Test]
    public void Fit_WithoutBackup_StartsFreshAndLeavesNoDirectory()
    {
        using var dir = new TempDirectory();
        string backup = dir.File("backup");
        var restore = new BackupAndRestore(backup);
        var (x, y) = Data();
        NewModel().Fit(x, y, epochs: 1, batchSize: BatchSize, verbose: 0, callbacks: [restore]);
        Assert.That(restore.RestoredFrom, Is.Null);
        Assert.That(Directory.Exists(backup), Is.False);
    }

    [Test]
    public void Fit_DeleteCheckpointFalse_KeepsBackupInTensorFlowFormat()
    {
        using var dir = new TempDirectory();
        string backup = dir.File("backup");
        var (x, y) = Data();
        NewModel().Fit(x, y, epochs: 2, batchSize: BatchSize, verbose: 0, callbacks:
            [new BackupAndRestore(backup, deleteCheckpoint: false), new EarlyStopping(monitor: "loss", restoreBestWeights: true)]);
        string latest = CheckpointState.LatestCheckpoint(backup)!;
        Assert.That(Path.GetFileName(latest), Is.EqualTo("backup-2"));
        using var reader = new CheckpointReader(latest);
        Assert.That(reader.HasTensor("model/layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE"), Is.True);
        Assert.That(reader.HasTensor("model/optimizer/iter/.ATTRIBUTES/VARIABLE_VALUE"), Is.True);
        using var state = JsonDocument.Parse(reader.GetRawBytes("training_state/json/.ATTRIBUTES/VARIABLE_VALUE"));
        Assert.That(state.RootElement.GetProperty("epoch").GetInt32(), Is.EqualTo(2));
        Assert.That(state.RootElement.GetProperty("step").GetInt32(), Is.Zero);
        // EarlyStopping's copy of the best weights is saved as tensors (4 weights of the model), not as text in the JSON.
        Assert.That(reader.HasTensor("training_state/callbacks/EarlyStopping/3/.ATTRIBUTES/VARIABLE_VALUE"), Is.True);
        Assert.That(reader.GetVariableToShapeMap()["training_state/callbacks/EarlyStopping/0/.ATTRIBUTES/VARIABLE_VALUE"], Is.EqualTo(new Shape(6 * 16)));
        Assert.That(state.RootElement.GetProperty("callbacks").GetProperty("EarlyStopping").TryGetProperty("best_weights", out _), Is.False);
        BundleCheck.AssertValid(latest);
    }
}
