using System.Text.RegularExpressions;
using Framework.Layers;
using Framework.Tensors;
using Framework.Tests.Helpers;
using Framework.Tests.Layers.DocExamples;

namespace Framework.Tests.Layers;

/// <summary>Keeps docs/custom-layers.md honest: its code is compiled here and the layers it shows work.</summary>
public class CustomLayerDocsTests
{
    private static string Normalize(string code) =>
        string.Join("\n", code.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));

    [Test]
    public void Docs_EveryCodeBlock_AppearsInCompiledExamples()
    {
        var page = File.ReadAllText(RepoPaths.InRepo("docs/custom-layers.md"));
        var folder = RepoPaths.InRepo("tests/Framework.Tests/Layers/DocExamples");
        var source = string.Join("\n", Directory.GetFiles(folder, "*.cs").Order(StringComparer.Ordinal).Select(f => Normalize(File.ReadAllText(f))));
        var blocks = Regex.Matches(page, "```csharp\n(.*?)```", RegexOptions.Singleline).Select(m => m.Groups[1].Value).ToList();
        Assert.That(blocks, Has.Count.EqualTo(3));
        foreach (var block in blocks) Assert.That(source, Does.Contain(Normalize(block)), $"docs block not compiled:\n{block}");
    }

    [Test]
    public void Scale_Conformance_OneTrainableWeightNamedGamma()
    {
        CustomLayerRegistration.RegisterAll();
        var layer = LayerTester.Run(() => new Scale(), new([3, 4], [3, 4], 1, 0, ["gamma"]));
        var x = LayerTester.Random(5, [3, 4]);
        TensorAssert.AllClose(x, layer.Apply(x), 0, 0);
    }

    [Test]
    public void Residual_Conformance_TracksInnerDenseAndAddsInput()
    {
        CustomLayerRegistration.RegisterAll();
        var layer = LayerTester.Run(() => new Residual(4), new([3, 4], [3, 4], 2, 0, ["inner"]));
        var inner = (Dense)layer.ChildLayers.Single();
        Assert.That(inner.Children.Select(c => c.Name), Is.EqualTo(new[] { "kernel", "bias" }));
        var x = LayerTester.Random(6, [3, 4]);
        TensorAssert.AllClose(x + inner.Apply(x), layer.Apply(x), 1e-6);
    }

    [Test]
    public void Registry_RegisteredCustomLayer_RecreatedFromConfig()
    {
        CustomLayerRegistration.RegisterAll();
        var layer = LayerRegistry.Create("Residual", new Dictionary<string, object?> { ["units"] = 8, ["name"] = "res" });
        Assert.That(layer, Is.TypeOf<Residual>());
        Assert.That((((Residual)layer).Units, layer.Name), Is.EqualTo((8, "res")));
        Assert.That(LayerRegistry.GetClassName(new Scale()), Is.EqualTo("Scale"));
    }
}
