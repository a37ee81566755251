using System.IO.Compression;
using System.Text.Json;
using Framework.Layers;
using Framework.Tensors;
using Framework.Tests.Helpers;

namespace Framework.Tests.Layers;

/// <summary>Re-creates layers from the <c>config.json</c> of real Keras 3 <c>.keras</c> archives in the shared fixtures.</summary>
public class KerasConfigCompatibilityTests
{
    private static List<(string ClassName, Dictionary<string, object?> Config)> Layers(string archive)
    {
        using var zip = ZipFile.OpenRead(RepoPaths.Fixture(archive));
        using var stream = zip.GetEntry("config.json")!.Open();
        var root = JsonSerializer.Deserialize<JsonElement>(stream);
        return [.. root.GetProperty("config").GetProperty("layers").EnumerateArray().Select(l =>
            (l.GetProperty("class_name").GetString()!, JsonSerializer.Deserialize<Dictionary<string, object?>>(l.GetProperty("config"))!))];
    }

    [Test]
    public void Create_Keras3SmallArchive_EveryLayerWithItsArguments()
    {
        var layers = Layers("keras3_keras_archive_small/model.keras").Select(l => LayerRegistry.Create(l.ClassName, l.Config)).ToList();
        Assert.That(layers.Select(l => l.GetType()), Is.EqualTo(new[] { typeof(InputLayer), typeof(Dense), typeof(Dense) }));
        Assert.That(((InputLayer)layers[0]).InputShape, Is.EqualTo(new Shape(2)));
        var (hidden, output) = ((Dense)layers[1], (Dense)layers[2]);
        Assert.That((hidden.Name, hidden.Units, hidden.Activation, hidden.UseBias), Is.EqualTo(("dense", 8, "relu", true)));
        Assert.That((output.Name, output.Units, output.Activation), Is.EqualTo(("dense_1", 1, "sigmoid")));
        Assert.That(hidden.KernelInitializer, Is.TypeOf<GlorotUniform>());
        Assert.That(hidden.BiasInitializer, Is.TypeOf<Zeros>());
    }

    [Test]
    public void Create_Keras3DropoutArchive_ReadsDropoutHeNormalAndLeakyRelu()
    {
        var entries = Layers("keras3_keras_archive_dropout/final_model.keras");
        var first = (Dense)LayerRegistry.Create(entries[1].ClassName, entries[1].Config);
        Assert.That((first.Units, first.Activation), Is.EqualTo((128, "relu")));
        Assert.That(((HeNormal)first.KernelInitializer).Seed, Is.Null);
        var dropout = (Dropout)LayerRegistry.Create(entries[2].ClassName, entries[2].Config);
        Assert.That((dropout.Name, dropout.Rate, dropout.Seed), Is.EqualTo(("dropout", 0.2, (long?)null)));
        var leaky = entries.First(e => e.ClassName == "LeakyReLU");
        var created = (LeakyReLU)LayerRegistry.Create(leaky.ClassName, leaky.Config);
        Assert.That((created.Name, created.NegativeSlope), Is.EqualTo(("leaky_re_lu", 0.2)));
    }
}
