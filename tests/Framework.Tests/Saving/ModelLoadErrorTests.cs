using Framework.Layers;
using Framework.Serialization;
using Framework.Training;

namespace Framework.Tests.Saving;

/// <summary>Missing, malformed and corrupt saves fail with errors that name the file and what is wrong.</summary>
public class ModelLoadErrorTests
{
    private static SaveDirectory Saved()
    {
        var (x, y) = SavingModels.Data();
        var model = SavingModels.Mixed();
        model.Compile("adam", "sparse_categorical_crossentropy");
        model.Fit(x, y, epochs: 1, batchSize: 16, verbose: 0);
        var dir = new SaveDirectory();
        model.Save(dir.ModelPath);
        return dir;
    }

    [Test]
    public void Load_MissingDirectory_ThrowsNamingIt()
    {
        using var dir = new SaveDirectory();
        var ex = Assert.Throws<DirectoryNotFoundException>(() => Model.Load(dir.ModelPath));
        Assert.That(ex!.Message, Does.Contain(dir.ModelPath));
    }

    [TestCase("config.json")]
    [TestCase("variables/variables.index")]
    [TestCase("variables/variables.data-00000-of-00001")]
    public void Load_MissingFile_ThrowsFileNotFoundNamingIt(string file)
    {
        using var dir = Saved();
        File.Delete(dir.In(file));
        var ex = Assert.Throws<FileNotFoundException>(() => Model.Load(dir.ModelPath));
        Assert.That(ex!.Message, Does.Contain(Path.GetFileName(file)));
    }

    [TestCase("{ \"class_name\": \"Sequential\", ", "not valid JSON")]
    [TestCase("[1, 2]", "must hold a JSON object")]
    [TestCase("{ \"module\": \"framework\" }", "at class_name: missing")]
    [TestCase("{ \"class_name\": \"Sequential\", \"config\": { \"layers\": 3 } }", "at config.layers: \"layers\" must be Array")]
    [TestCase("{ \"class_name\": \"Sequential\", \"config\": { \"layers\": [ { \"class_name\": \"Dense\", \"config\": { \"units\": \"many\" } } ] } }", "at config.layers[0].config.units: 'Dense'")]
    public void Load_MalformedConfig_ThrowsInvalidDataNamingFileAndProblem(string json, string expected)
    {
        using var dir = Saved();
        File.WriteAllText(dir.In("config.json"), json);
        var ex = Assert.Throws<InvalidDataException>(() => Model.Load(dir.ModelPath));
        Assert.That(ex!.Message, Does.Contain("config.json").And.Contain(expected));
    }

    [Test]
    public void Load_UnknownLoss_ThrowsInvalidDataNamingEntry()
    {
        using var dir = Saved();
        string config = dir.In("config.json");
        File.WriteAllText(config, File.ReadAllText(config).Replace("\"SparseCategoricalCrossentropy\"", "\"FocalLoss\"", StringComparison.Ordinal));
        var ex = Assert.Throws<InvalidDataException>(() => Model.Load(dir.ModelPath));
        Assert.That(ex!.Message, Does.Contain("compile_config.loss").And.Contain("FocalLoss").And.Contain("known:"));
    }

    [Test]
    public void Load_CorruptVariables_ThrowsInvalidData()
    {
        using var dir = Saved();
        string data = dir.In("variables", "variables.data-00000-of-00001");
        var bytes = File.ReadAllBytes(data);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(data, bytes);
        var ex = Assert.Throws<InvalidDataException>(() => Model.Load(dir.ModelPath));
        Assert.That(ex!.Message, Does.Contain("variables"));
    }

    [Test]
    public void Load_ConfigDisagreesWithVariables_ThrowsMismatchNamingKeys()
    {
        using var dir = Saved();
        string config = dir.In("config.json");
        File.WriteAllText(config, File.ReadAllText(config).Replace("\"units\": 8", "\"units\": 9", StringComparison.Ordinal));
        var ex = Assert.Throws<CheckpointMismatchException>(() => Model.Load(dir.ModelPath));
        Assert.That(ex!.Message, Does.Contain("layer_with_weights-0/kernel"));
    }

    [Test]
    public void Save_CustomOptimizer_ThrowsNotSupportedAndWritesNothing()
    {
        var model = new Sequential([new Dense(2)], inputShape: [3]);
        model.Compile(new Helpers.PlainSgd(), new MeanSquaredError());
        using var dir = new SaveDirectory();
        var ex = Assert.Throws<NotSupportedException>(() => model.Save(dir.ModelPath));
        Assert.That(ex!.Message, Does.Contain("PlainSgd").And.Contain("SaveWeights"));
        Assert.That(dir.Entries(), Is.Empty);
    }
}
