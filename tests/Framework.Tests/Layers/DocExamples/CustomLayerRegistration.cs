using Framework.Layers;

namespace Framework.Tests.Layers.DocExamples;

// Code shown in docs/custom-layers.md, compiled. CustomLayerDocsTests checks that each block of the page appears
// verbatim in the files of this folder, so the documentation cannot drift from code that builds and passes.

/// <summary>Registers the example layers with <see cref="LayerRegistry"/>, as the docs show.</summary>
public static class CustomLayerRegistration
{
    public static void RegisterAll()
    {
        LayerRegistry.Register<Scale>("Scale", config => new Scale(ConfigReader.GetString(config, "name")));
        LayerRegistry.Register<Residual>("Residual", config =>
            new Residual(ConfigReader.GetInt(config, "units"), ConfigReader.GetString(config, "name")));
    }
}
