using Framework.Serialization;
using Framework.Tensors;
using Framework.Tests.Helpers;
using Framework.Tests.Serialization;
using Framework.Training;

namespace Framework.Tests.Saving;

/// <summary>Thousands of seeded mutations of a whole saved model (config.json, metadata.json, the variables bundle) and of
/// BackupAndRestore's backups: every load succeeds or throws a documented exception naming the file (and, for the JSON files,
/// the JSON path), and allocates at most a small multiple of the files' size.</summary>
public class ModelDirectoryMutationTests
{
    private const int Seed = 20261206;

    // The allocation bound: a small multiple of the directory's bytes, plus a fixed allowance for the parsers and the
    // framework's own structures (about 0.6 MiB for this 9.5 KB model). A file that made the loader build what it asks for without
    // checking (defect: 1.5 GiB from a 2 KiB edit) breaks it by orders of magnitude.
    private const long Multiple = 64;
    private const long Allowance = 2L << 20;

    [Test]
    public void Mutation_WholeModelDirectory_OnlyDocumentedErrorsNamingFileAndPath_AllocationBounded()
    {
        using var dir = new SaveDirectory();
        var (x, y) = SavingModels.Data();
        var model = SavingModels.Mixed();
        model.Compile("adam", "sparse_categorical_crossentropy", ["accuracy"]);
        model.Fit(x, y, epochs: 1, batchSize: 16, verbose: 0);
        model.Save(dir.ModelPath, new Dictionary<string, string> { ["run"] = "mutation" });
        string[] files = ["config.json", "config.json", "config.json", "metadata.json", "variables/variables.index", "variables/variables.data-00000-of-00001"];
        var originals = files.Distinct().ToDictionary(f => f, f => File.ReadAllBytes(dir.In(f)));
        long directoryBytes = originals.Values.Sum(b => (long)b.Length);
        var random = new Random(Seed);
        int loaded = 0, refused = 0;
        long peak = 0;
        for (int iteration = 0; iteration < 2400; iteration++)
        {
            string file = files[random.Next(files.Length)];
            byte[] bytes = file.EndsWith(".json", StringComparison.Ordinal) && random.Next(2) == 0
                ? System.Text.Encoding.UTF8.GetBytes(JsonMutator.Mutate(System.Text.Encoding.UTF8.GetString(originals[file]), random))
                : Mutator.Mutate(originals[file], random);
            File.WriteAllBytes(dir.In(file), bytes);
            long before = GC.GetTotalAllocatedBytes(precise: true);
            try
            {
                Model.Load(dir.ModelPath);
                Model.ReadMetadata(dir.ModelPath);
                loaded++;
            }
            catch (Exception e) when (e is InvalidDataException or FileNotFoundException or InvalidOperationException or CheckpointMismatchException)
            {
                refused++;
                string context = $"iteration {iteration}, {file}: {e.GetType().Name}: {e.Message}";
                Assert.That(e.Message, Does.Contain(Path.GetFileName(file.EndsWith(".json", StringComparison.Ordinal) ? file : "variables")), context);
                // A JSON file's errors name the JSON path; InvalidOperationException only ever says a class is not registered.
                if ((file.EndsWith(".json", StringComparison.Ordinal) && e is InvalidDataException) || e is InvalidOperationException)
                    Assert.That(e.Data["JsonPath"], Is.Not.Null.And.Not.Empty, context);
            }
            long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            peak = Math.Max(peak, allocated);
            Assert.That(allocated, Is.LessThanOrEqualTo(Multiple * (directoryBytes + bytes.Length) + Allowance), $"iteration {iteration}, {file}: {allocated:N0} bytes allocated");
            File.WriteAllBytes(dir.In(file), originals[file]);
        }
        TestContext.Out.WriteLine($"{loaded} loaded, {refused} refused; peak allocation {peak:N0} bytes for a {directoryBytes:N0}-byte directory");
        Assert.That(refused, Is.GreaterThan(1200), $"{loaded} mutated directories loaded");
    }

    [Test]
    public void Mutation_BackupAndRestoreBackups_ResumeOrFallBackOrDocumentedError()
    {
        using var dir = new SaveDirectory();
        string backups = Path.Combine(dir.Root, "backup");
        var (x, y) = ToyData.Blobs(32);
        var crash = new LambdaCallback { EpochBegin = epoch => { if (epoch == 2) throw new OperationCanceledException("killed"); } };
        Assert.Throws<OperationCanceledException>(() => NewModel().Fit(x, y, epochs: 3, batchSize: 8, verbose: 0,
            callbacks: [crash, new BackupAndRestore(backups, SaveFrequency.EveryBatches(3))]));
        // The bundles only: the state file's own damage (and the fallback rules) are the backup path's tests.
        var bundleFiles = Directory.GetFiles(backups).Where(f => f.Contains(".index", StringComparison.Ordinal) || f.Contains(".data-", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();
        Assert.That(bundleFiles, Has.Length.GreaterThanOrEqualTo(2));
        var originals = bundleFiles.ToDictionary(f => f, File.ReadAllBytes);
        long directoryBytes = originals.Values.Sum(b => (long)b.Length);
        var random = new Random(Seed);
        string copy = Path.Combine(dir.Root, "mutated");
        int resumed = 0, refused = 0;
        var error = Console.Error;
        for (int iteration = 0; iteration < 100; iteration++)
        {
            if (Directory.Exists(copy)) Directory.Delete(copy, recursive: true);
            Directory.CreateDirectory(copy);
            foreach (var f in Directory.GetFiles(backups)) File.Copy(f, Path.Combine(copy, Path.GetFileName(f)));
            string file = bundleFiles[random.Next(bundleFiles.Length)];
            byte[] bytes = Mutator.Mutate(originals[file], random);
            File.WriteAllBytes(Path.Combine(copy, Path.GetFileName(file)), bytes);
            var backup = new BackupAndRestore(copy, SaveFrequency.EveryBatches(3));
            long before = GC.GetTotalAllocatedBytes(precise: true);
            try
            {
                Console.SetError(TextWriter.Null);
                NewModel().Fit(x, y, epochs: 3, batchSize: 8, verbose: 0, callbacks: [backup]);
                resumed++;
            }
            catch (Exception e) when (e is InvalidDataException or FileNotFoundException or CheckpointMismatchException)
            {
                refused++;
                Assert.That(e.Message, Does.Contain(copy), $"iteration {iteration}, {Path.GetFileName(file)}: {e.Message}");
            }
            finally
            {
                Console.SetError(error);
            }
            long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            // Training itself allocates per step; the bound only has to catch a restore that believes a hostile size.
            Assert.That(allocated, Is.LessThanOrEqualTo(Multiple * directoryBytes + 4 * Allowance), $"iteration {iteration}: {allocated:N0} bytes allocated");
        }
        TestContext.Out.WriteLine($"{resumed} resumed (from a backup or afresh), {refused} refused");
        Assert.That(resumed + refused, Is.EqualTo(100));
    }

    private static Sequential NewModel()
    {
        RandomGenerator.SetGlobalSeed(5);
        var model = new Sequential([new Framework.Layers.Dense(8, activation: "relu"), new Framework.Layers.Dropout(0.2), new Framework.Layers.Dense(2)], inputShape: [4]);
        model.Compile("adam", "sparse_categorical_crossentropy", ["accuracy"]);
        return model;
    }
}
