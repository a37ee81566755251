using System.Text;
using System.Text.Json.Nodes;
using Framework.Layers;
using Framework.Serialization;
using Framework.Tensors;
using Framework.Training;
using Framework.Training.Saving;

namespace Framework.Tests.Saving;

/// <summary>Hostile edits of config.json and metadata.json: one documented exception type naming the file and the JSON path,
/// refused before the build allocates what the checkpoint cannot fill, and no initializer run for weights that are restored.</summary>
public class ModelLoadHardeningTests
{
    // SavingModels.Mixed: config.layers = [Flatten, Dense(8), BatchNormalization, Activation, Dropout, Dense(2)], input (2, 2).
    private static SaveDirectory Saved()
    {
        var dir = new SaveDirectory();
        var model = SavingModels.Mixed();
        model.Compile("adam", "sparse_categorical_crossentropy");
        model.Save(dir.ModelPath);
        return dir;
    }

    private static void EditConfig(SaveDirectory dir, Action<JsonNode> edit)
    {
        var root = JsonNode.Parse(File.ReadAllText(dir.In("config.json")))!;
        edit(root);
        File.WriteAllText(dir.In("config.json"), root.ToJsonString());
    }

    private static InvalidDataException LoadFails(SaveDirectory dir, string jsonPath)
    {
        var ex = Assert.Throws<InvalidDataException>(() => Model.Load(dir.ModelPath))!;
        Assert.That(ex.Message, Does.Contain(dir.In("config.json")).And.Contain($"at {jsonPath}"));
        Assert.That((ex.Data["File"], ex.Data["JsonPath"]), Is.EqualTo((dir.In("config.json"), jsonPath)));
        return ex;
    }

    [Test]
    public void Load_InvalidUtf8InAString_NamesFileAndPath()
    {
        using var dir = Saved();
        var bytes = File.ReadAllBytes(dir.In("config.json"));
        int at = Encoding.UTF8.GetString(bytes).IndexOf("\"sequential", StringComparison.Ordinal) + 1;
        File.WriteAllBytes(dir.In("config.json"), [.. bytes[..at], 0xC3, 0x28, .. bytes[at..]]);
        Assert.That(LoadFails(dir, "config.name").Message, Does.Contain("not valid UTF-8"));
    }

    [Test]
    public void Load_LoneSurrogateEscape_NamesFileAndPath()
    {
        using var dir = Saved();
        EditConfig(dir, c => c["config"]!["layers"]![1]!["config"]!["name"] = "placeholder");
        File.WriteAllText(dir.In("config.json"), File.ReadAllText(dir.In("config.json")).Replace("placeholder", "\\ud800", StringComparison.Ordinal));
        LoadFails(dir, "config.layers[1].config.name");
    }

    [TestCase("[]")]
    [TestCase("true")]
    public void Load_NameNotAString_NamesFileAndPath(string value)
    {
        using var dir = Saved();
        EditConfig(dir, c => c["config"]!["name"] = JsonNode.Parse(value));
        LoadFails(dir, "config.name");
    }

    [TestCase(2147483647L, "config.layers[1]")]
    [TestCase(4294967296L, "config.layers[1].config.units")]
    [TestCase(-3L, "config.layers[1].config.units")]
    public void Load_UnitsOutOfRange_NamesTheLayer(long units, string jsonPath)
    {
        using var dir = Saved();
        EditConfig(dir, c => c["config"]!["layers"]![1]!["config"]!["units"] = units);
        LoadFails(dir, jsonPath);
    }

    [Test]
    public void Load_InputShapeOfOnlyTheBatch_RefusedAsAMismatchAtTheFirstWeight()
    {
        using var dir = Saved();
        EditConfig(dir, c => c["build_config"]!["input_shape"] = new JsonArray((JsonNode?)null));
        // Flatten makes (1, 1) of it, so Dense asks for a (1, 8) kernel: the checkpoint's is (4, 8).
        var ex = Assert.Throws<CheckpointMismatchException>(() => Model.Load(dir.ModelPath))!;
        Assert.That(ex.Message, Does.Contain("layer_with_weights-0/kernel").And.Contain("(1, 8)").And.Contain(dir.In("config.json")));
        Assert.That(ex.Data["JsonPath"], Is.EqualTo("config.layers[1]"));
    }

    [Test]
    public void Load_BatchNormalizationAxisOutOfRange_NamesTheLayer()
    {
        using var dir = Saved();
        EditConfig(dir, c => c["config"]!["layers"]![2]!["config"]!["axis"] = 1000);
        var ex = Assert.Throws<InvalidDataException>(() => Model.Load(dir.ModelPath))!;
        Assert.That(ex.Data["JsonPath"] as string, Does.StartWith("config.layers[2]"));
        Assert.That(ex.Message, Does.Contain(dir.In("config.json")).And.Contain("1000"));
    }

    [Test]
    public void Load_NoLayersButBuilt_NamesTheList()
    {
        using var dir = Saved();
        EditConfig(dir, c => c["config"]!["layers"] = new JsonArray());
        LoadFails(dir, "config.layers");
    }

    [Test]
    public void Load_TooManyLayers_RefusedBeforeCreatingThem()
    {
        using var dir = Saved();
        var text = new StringBuilder("{\"class_name\": \"Sequential\", \"config\": {\"layers\": [");
        for (int i = 0; i <= SavedModelLimits.MaxLayers; i++) text.Append(i == 0 ? "" : ",").Append("{\"class_name\":\"Flatten\",\"config\":{}}");
        File.WriteAllText(dir.In("config.json"), text.Append("]}}").ToString());
        Assert.That(LoadFails(dir, "config.layers").Message, Does.Contain("100,001 layers"));
    }

    [Test]
    public void Load_ConfigLargerThanTheLimit_RefusedBeforeReading()
    {
        using var dir = Saved();
        using (var file = File.OpenWrite(dir.In("config.json"))) file.SetLength(SavedModelLimits.MaxConfigBytes + 1);
        Assert.That(LoadFails(dir, "the whole file").Message, Does.Contain("67,108,865 bytes"));
    }

    [Test]
    public void Load_HugeInputSample_RefusedBeforeBuilding()
    {
        using var dir = Saved();
        EditConfig(dir, c => c["build_config"]!["input_shape"] = new JsonArray(null, 8192, 8192));
        LoadFails(dir, "build_config.input_shape");
    }

    [Test]
    public void Load_UnregisteredClass_InvalidOperationNamingFileAndPath()
    {
        using var dir = Saved();
        EditConfig(dir, c => c["config"]!["layers"]![1]!["class_name"] = "Dense3000");
        var ex = Assert.Throws<InvalidOperationException>(() => Model.Load(dir.ModelPath))!;
        Assert.That(ex.Message, Does.Contain(dir.In("config.json")).And.Contain("Dense3000").And.Contain("LayerRegistry.Register"));
        Assert.That(ex.Data["JsonPath"], Is.EqualTo("config.layers[1].class_name"));
    }

    [TestCase("{\"framework_version\": [], \"date_saved\": \"2025-01-01T00:00:00Z\"}", "framework_version")]
    [TestCase("{\"framework_version\": \"1\", \"date_saved\": \"2025-01-01T00:00:00Z\", \"user_metadata\": {\"k\": 3}}", "user_metadata.k")]
    [TestCase("{\"framework_version\": \"1\", \"date_saved\": \"2025-01-01T00:00:00Z\", \"user_metadata\": {\"k\": \"\\udc00\"}}", "user_metadata.k")]
    [TestCase("{\"framework_version\": \"1\", \"date_saved\": \"yesterday\"}", "date_saved")]
    public void ReadMetadata_Malformed_NamesFileAndPath(string json, string jsonPath)
    {
        using var dir = Saved();
        File.WriteAllText(dir.In("metadata.json"), json);
        var ex = Assert.Throws<InvalidDataException>(() => Model.ReadMetadata(dir.ModelPath))!;
        Assert.That(ex.Message, Does.Contain(dir.In("metadata.json")).And.Contain($"at {jsonPath}"));
    }

    [Test]
    public void Load_WideConfigEdit_RefusedBeforeAllocatingTheWeights()
    {
        using var dir = Saved();
        // A few bytes asking for a 8192 × 8192 kernel (256 MiB) that the 1 KiB checkpoint cannot fill.
        EditConfig(dir, c =>
        {
            c["build_config"]!["input_shape"] = new JsonArray(null, 64, 128);
            c["config"]!["layers"]![1]!["config"]!["units"] = 8192;
        });
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var ex = Assert.Throws<CheckpointMismatchException>(() => Model.Load(dir.ModelPath))!;
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.That(ex.Message, Does.Contain("layer_with_weights-0/kernel").And.Contain("(8192, 8192)"));
        Assert.That(ex.Data["JsonPath"], Is.EqualTo("config.layers[1]"));
        Assert.That(allocated, Is.LessThan(16L << 20), "the kernel was allocated before the checkpoint refused it");
    }

    [Test]
    public void Load_LeadingInputLayerWithoutBuildConfig_BoundedAndCheckedBeforeAllocating()
    {
        using var dir = Saved();
        EditConfig(dir, c =>
        {
            c.AsObject().Remove("build_config");
            c["config"]!["layers"]!.AsArray().Insert(0, new JsonObject
            {
                ["class_name"] = "InputLayer",
                ["config"] = new JsonObject { ["batch_shape"] = new JsonArray(null, 64, 128), ["name"] = "input" },
            });
            c["config"]!["layers"]![2]!["config"]!["units"] = 8192;
        });
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var ex = Assert.Throws<CheckpointMismatchException>(() => Model.Load(dir.ModelPath))!;
        Assert.That(GC.GetTotalAllocatedBytes(precise: true) - before, Is.LessThan(16L << 20), "the declared input built the model before the check");
        Assert.That(ex.Data["JsonPath"], Is.EqualTo("config.layers[2]"));

        EditConfig(dir, c => c["config"]!["layers"]![0]!["config"]!["batch_shape"] = new JsonArray(null, 8192, 8192));
        LoadFails(dir, "config.layers[0].config.batch_shape");
    }

    [Test]
    public void Load_RestoredWeights_RunNoInitializer()
    {
        LayerRegistry.Register<CountedWeightLayer>(nameof(CountedWeightLayer), c => new CountedWeightLayer(ConfigReader.GetString(c, "name")));
        using var dir = new SaveDirectory();
        var model = new Sequential([new CountedWeightLayer(), new Dense(2)], inputShape: [3]);
        model.Save(dir.ModelPath);
        int before = CountingInitializer.Calls;
        var loaded = Model.Load(dir.ModelPath);
        Assert.That(CountingInitializer.Calls, Is.EqualTo(before), "an initializer ran for a weight the checkpoint overwrites");
        Assert.That(SavingModels.Weights(loaded), Is.EqualTo(SavingModels.Weights(model)));
    }

    /// <summary>An initializer that counts its calls (fills with 7).</summary>
    private sealed class CountingInitializer : Initializer
    {
        private static int s_calls;

        public static int Calls => Volatile.Read(ref s_calls);

        public override Tensor Create(Shape shape, DType dtype)
        {
            Interlocked.Increment(ref s_calls);
            return Tensor.Full(shape, 7.0, dtype);
        }

        public override Dictionary<string, object?> GetConfig() => new() { ["class_name"] = "Counting" };
    }

    /// <summary>A layer whose one weight comes from <see cref="CountingInitializer"/>.</summary>
    private sealed class CountedWeightLayer(string? name = null) : Layer(name)
    {
        private Variable _scale = null!;

        protected override void Build(Shape inputShape) => _scale = AddWeight("scale", [inputShape[^1]], new CountingInitializer());

        protected override Tensor Call(Tensor input, bool training) => input * _scale;
    }
}
