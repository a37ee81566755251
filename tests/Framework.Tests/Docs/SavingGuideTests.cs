using System.Text.RegularExpressions;
using Framework.Layers;
using Framework.Serialization;
using Framework.Tensors;
using Framework.Tests.Helpers;
using Framework.Tests.Serialization;
using Framework.Training;

namespace Framework.Tests.Docs;

/// <summary>The code of docs/saving.md runs: every <c>csharp</c> block of the guide is a snippet region of these files,
/// verbatim (indentation stripped), and each snippet is run here and its claims checked.</summary>
/// <remarks>A snippet region starts with a <c>// Snippet: name</c> line and ends with <c>// End of snippet.</c>. Each test
/// runs in a fresh temporary current directory, so the guide can use relative paths such as <c>runs/weights</c>.</remarks>
public partial class SavingGuideTests
{
    private const string GuidePath = "docs/saving.md";
    private static readonly string[] s_sources = ["tests/Framework.Tests/Docs/SavingGuideTests.cs", "tests/Framework.Tests/Docs/SavingGuideTests.Checkpoints.cs",
        "tests/Framework.Tests/Docs/SavingGuideTests.KerasFiles.cs", "tests/Framework.Tests/Docs/SavingGuideTests.Registries.cs"];

    private TempDirectory _dir = null!;
    private string _previousDirectory = "";

    [SetUp]
    public void EnterTemporaryDirectory()
    {
        _dir = new TempDirectory();
        _previousDirectory = Environment.CurrentDirectory;
        Environment.CurrentDirectory = _dir.Path;
        RandomGenerator.SetGlobalSeed(1);
    }

    [TearDown]
    public void LeaveTemporaryDirectory()
    {
        Environment.CurrentDirectory = _previousDirectory;
        _dir.Dispose();
    }

    // ---- The guide and the snippets are the same text ----

    private static string Normalize(string text) => text.Replace("\r", "");

    /// <summary>Every snippet region of the test sources, by name, with its common indentation removed.</summary>
    private static Dictionary<string, string> Snippets()
    {
        var snippets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string file in s_sources)
        {
            var lines = Normalize(File.ReadAllText(RepoPaths.InRepo(file))).Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                var start = Regex.Match(lines[i], @"^\s*// Snippet: (\S+)$");
                if (!start.Success) continue;
                int end = Array.FindIndex(lines, i + 1, l => l.Trim() == "// End of snippet.");
                Assert.That(end, Is.GreaterThan(i), $"{file}: snippet '{start.Groups[1].Value}' has no end marker");
                var body = lines[(i + 1)..end];
                int indent = body.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
                snippets.Add(start.Groups[1].Value, string.Join('\n', body.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart())).TrimEnd());
                i = end;
            }
        }
        return snippets;
    }

    /// <summary>The contents of every <c>```csharp</c> block of the guide.</summary>
    private static List<string> GuideBlocks()
    {
        var guide = Normalize(File.ReadAllText(RepoPaths.InRepo(GuidePath)));
        return [.. Regex.Matches(guide, @"^```csharp\n(.*?)^```$", RegexOptions.Multiline | RegexOptions.Singleline).Select(m => m.Groups[1].Value.TrimEnd())];
    }

    private static IEnumerable<string> SnippetNames() => Snippets().Keys;

    [TestCaseSource(nameof(SnippetNames))]
    public void Snippet_IsAGuideBlockVerbatim(string name)
    {
        Assert.That(GuideBlocks(), Does.Contain(Snippets()[name]), $"snippet '{name}' is not a ```csharp block of {GuidePath}");
    }

    [Test]
    public void GuideBlocks_EachIsATestedSnippet()
    {
        var blocks = GuideBlocks();
        var snippets = Snippets().Values.ToHashSet(StringComparer.Ordinal);
        Assert.That(blocks, Is.Not.Empty);
        foreach (string block in blocks)
            Assert.That(snippets, Does.Contain(block), $"this ```csharp block of {GuidePath} is not a snippet of SavingGuideTests:\n{block}");
    }

    // ---- Helpers ----

    private static (Tensor X, Tensor Y) Data() => ToyData.Blobs(64);

    private static Sequential TrainedModel(Tensor x, Tensor y)
    {
        var model = new Sequential([new Dense(16, activation: "relu"), new Dense(2, activation: "softmax")]);
        model.Compile("adam", "sparse_categorical_crossentropy", ["accuracy"]);
        model.Fit(x, y, epochs: 2, batchSize: 16, verbose: 0);
        return model;
    }

    private static string CaptureOut(Action action, bool error = false)
    {
        var output = new StringWriter();
        var original = error ? Console.Error : Console.Out;
        if (error) Console.SetError(output);
        else Console.SetOut(output);
        try
        {
            action();
        }
        finally
        {
            if (error) Console.SetError(original);
            else Console.SetOut(original);
        }
        return output.ToString();
    }

    // ---- save_weights / load_weights ----

    [Test]
    public void SaveWeights_FreshModel_PredictsIdentically()
    {
        var (x, y) = Data();
        var (model, fresh, same) = SaveWeightsSnippet(x, y);
        Assert.That(same.ToArray<float>(), Is.EqualTo(model.Predict(x).ToArray<float>()));
        Assert.That(fresh.GetWeightValues(), Is.EqualTo(model.GetWeightValues()));
        Assert.That(File.Exists("runs/weights.index") && File.Exists("runs/weights.data-00000-of-00001") && File.Exists("runs/checkpoint"));
    }

    private static (Model Model, Model Fresh, Tensor Same) SaveWeightsSnippet(Tensor x, Tensor y)
    {
        // Snippet: save-weights
        var model = new Sequential([new Dense(16, activation: "relu"), new Dense(2, activation: "softmax")]);
        model.Compile("adam", "sparse_categorical_crossentropy", ["accuracy"]);
        model.Fit(x, y, epochs: 3, verbose: 0);
        model.SaveWeights("runs/weights");   // runs/weights.index, runs/weights.data-00000-of-00001, runs/checkpoint

        var fresh = new Sequential([new Dense(16, activation: "relu"), new Dense(2, activation: "softmax")]);
        fresh.LoadWeights("runs/weights");   // not built yet: the values wait for the weights' creation
        var same = fresh.Predict(x);         // identical to model.Predict(x)
        // End of snippet.
        return (model, fresh, same);
    }

    [Test]
    public void LoadWeights_OtherHead_StrictThrowsNonStrictReports()
    {
        var (x, y) = Data();
        TrainedModel(x, y).SaveWeights("runs/weights");
        Model transfer = null!;
        CheckpointMatchReport report = null!;
        string output = CaptureOut(() => (transfer, report) = NonStrictSnippet());
        Assert.That(output, Does.Contain("layer_with_weights-1/kernel/.ATTRIBUTES/VARIABLE_VALUE"));
        Assert.That(report.Matched, Has.Count.EqualTo(2));
        Assert.That(report.Mismatches, Has.Count.EqualTo(2));
        Assert.That(report.Deferred.Select(v => v.Key), Is.Not.Empty.And.All.Contain("optimizer"));
        using var reader = new CheckpointReader("runs/weights");
        Assert.That(transfer.Weights[0].Value.ToArray<float>(),
            Is.EqualTo(reader.GetTensor("layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE").ToArray<float>()));
    }

    private static (Model, CheckpointMatchReport) NonStrictSnippet()
    {
        // Snippet: load-weights-non-strict
        // Same body, a new three-class head: the first layer matches, the last one has other shapes.
        var transfer = new Sequential([new Dense(16, activation: "relu"), new Dense(3, activation: "softmax")], inputShape: [4]);
        try
        {
            transfer.LoadWeights("runs/weights");
        }
        catch (CheckpointMismatchException e)
        {
            Console.WriteLine(e.Message);   // names each key, variable and shape; nothing was assigned
        }

        var report = transfer.LoadWeights("runs/weights", strict: false);
        // "2 matched, 0 keys missing, 0 unexpected, 2 with another shape or dtype (...), 13 deferred":
        // the optimizer state waits for Compile.
        Console.WriteLine(report);
        foreach (var mismatch in report.Mismatches) Console.WriteLine(mismatch);
        // End of snippet.
        return (transfer, report);
    }

    [Test]
    public void LoadWeights_TfKerasVariables_ReadsKerasWeights()
    {
        string target = Path.Combine("keras", "mnist_mlp", "variables");
        Directory.CreateDirectory(target);
        foreach (string file in new[] { "variables.index", "variables.data-00000-of-00001" })
            File.Copy(FixturePaths.Fixture("keras_savedmodel_vars_mnist_mlp", file), Path.Combine(target, file));
        Model mlp = null!;
        string output = CaptureOut(() => mlp = KerasWeightsSnippet());
        Assert.That(output, Does.Contain("layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE: DT_FLOAT (784, 100)"));
        Assert.That(output, Does.Contain("keras_api/metrics/0/count/.ATTRIBUTES/VARIABLE_VALUE"));
        Assert.That(mlp.Weights[0].Value.ToArray<float>()[..2], Is.EqualTo(new[] { -0.038003013f, 0.024796717f }));
    }

    private static Model KerasWeightsSnippet()
    {
        // Snippet: keras-weights
        // tf.keras wrote keras/mnist_mlp/variables/variables.{index,data-00000-of-00001} (save_weights or a SavedModel).
        using (var reader = new CheckpointReader("keras/mnist_mlp/variables/variables"))
        {
            foreach (var variable in reader.ListVariables()) Console.WriteLine(variable);   // key: DT_FLOAT (784, 100)
        }

        var mlp = new Sequential([new Flatten(), new Dense(100, activation: "relu"), new Dense(10, activation: "softmax")], inputShape: [28, 28]);
        var report = mlp.LoadWeights("keras/mnist_mlp/variables/variables", strict: false);
        Console.WriteLine(string.Join(", ", report.UnexpectedKeys));   // keras_api/metrics/...: Keras's metric counters
        // End of snippet.
        return mlp;
    }

    // ---- model.save / load_model ----

    [Test]
    public void Save_Load_PredictsAndTrainsIdentically()
    {
        var (x, y) = Data();
        var model = TrainedModel(x, y);
        string output = CaptureOut(() => SaveModelSnippet(model, x, y));
        Assert.That(output, Does.Contain("blobs"));
        foreach (string file in new[] { "config.json", "metadata.json", "variables/variables.index", "variables/variables.data-00000-of-00001" })
            Assert.That(File.Exists(Path.Combine("runs/classifier", file)), file);
        var loaded = Model.Load("runs/classifier");
        Assert.That(loaded.Predict(x).ToArray<float>(), Is.EqualTo(model.Predict(x).ToArray<float>()));
        model.Fit(x, y, epochs: 1, verbose: 0);
        loaded.Fit(x, y, epochs: 1, verbose: 0);
        Assert.That(loaded.GetWeightValues(), Is.EqualTo(model.GetWeightValues()), "the optimizer state and shuffle stream came back too");
    }

    private static void SaveModelSnippet(Model model, Tensor x, Tensor y)
    {
        // Snippet: save-model
        model.Save("runs/classifier", new Dictionary<string, string> { ["dataset"] = "blobs" });
        // runs/classifier/config.json, metadata.json, variables/variables.{index,data-00000-of-00001}

        var loaded = Model.Load("runs/classifier");   // compiled, with its optimizer state
        loaded.Fit(x, y, epochs: 1, verbose: 0);       // continues training exactly as model.Fit would

        var metadata = Model.ReadMetadata("runs/classifier");
        Console.WriteLine($"{metadata.FrameworkVersion} {metadata.DateSaved:u} {metadata.UserMetadata["dataset"]}");
        // End of snippet.
    }

    // ---- ModelCheckpoint ----

    [Test]
    public void ModelCheckpoint_BestOnlyTopTwo_KeepsTwoAndRestoresNewest()
    {
        var (x, y) = Data();
        var model = TrainedModel(x, y);
        var (checkpoint, fresh, restored) = ModelCheckpointSnippet(model, x, y);
        Assert.That(checkpoint.SavedPaths, Has.Count.InRange(1, 2));
        Assert.That(checkpoint.SavedPaths, Has.All.Match(@"runs[/\\]best[/\\]weights-\d\d-\d\.\d{4}$"));
        Assert.That(restored, Is.Not.Null);
        Assert.That(restored!.Path, Does.EndWith(Path.GetFileName(checkpoint.SavedPaths[^1])));
        Assert.That(fresh.Predict(x).ToArray<float>(), Is.Not.Empty);
    }

    private static (ModelCheckpoint, Model, ModelCheckpointRestoreResult?) ModelCheckpointSnippet(Model model, Tensor x, Tensor y)
    {
        // Snippet: model-checkpoint
        var checkpoint = new ModelCheckpoint("runs/best/weights-{epoch:02d}-{val_loss:.4f}",
            monitor: "val_loss", saveBestOnly: true, saveWeightsOnly: true, saveTopK: 2);
        model.Fit(x, y, epochs: 5, validationSplit: 0.25, verbose: 0, callbacks: [checkpoint]);
        Console.WriteLine(string.Join(", ", checkpoint.SavedPaths));   // the two best, e.g. …/runs/best/weights-05-0.0856

        // Later, in another process: the newest intact checkpoint of that template.
        var fresh = new Sequential([new Dense(16, activation: "relu"), new Dense(2, activation: "softmax")]);
        var restored = new ModelCheckpoint("runs/best/weights-{epoch:02d}-{val_loss:.4f}", saveWeightsOnly: true).RestoreLatest(fresh);
        // End of snippet.
        return (checkpoint, fresh, restored);
    }

    [Test]
    public void ModelCheckpoint_EveryFourBatches_SavesModelsAndLast()
    {
        var (x, y) = Data();
        var model = TrainedModel(x, y);
        string warnings = CaptureOut(() => ModelCheckpointBatchesSnippet(model, x, y), error: true);
        Assert.That(Directory.GetDirectories("runs/steps").Select(Path.GetFileName).Order(),
            Is.EqualTo(new[] { "last", "model-1-4", "model-1-8", "model-2-4", "model-2-8" }));
        Assert.That(Model.Load("runs/steps/last").GetWeightValues(), Is.EqualTo(model.GetWeightValues()));
        Assert.That(warnings, Does.Contain("val_accuracy"));
        Assert.That(Directory.Exists("runs/accurate"), Is.False, "nothing saved without the monitored value");
    }

    private static void ModelCheckpointBatchesSnippet(Model model, Tensor x, Tensor y)
    {
        // Snippet: model-checkpoint-batches
        // Whole models every 4 batches, plus runs/steps/last at each save point.
        var everyFour = new ModelCheckpoint("runs/steps/model-{epoch}-{batch}", saveFreq: SaveFrequency.EveryBatches(4), saveLast: true);
        // No validation data, so no val_accuracy: this one warns on standard error and saves nothing.
        var best = new ModelCheckpoint("runs/accurate", monitor: "val_accuracy", saveBestOnly: true);
        model.Fit(x, y, epochs: 2, batchSize: 8, verbose: 0, callbacks: [everyFour, best]);
        // End of snippet.
    }
}
