using Framework.Layers;
using Framework.Tensors;

namespace Framework.Tests.Layers.DocExamples;

// The code blocks of docs/custom-layers.md, compiled. CustomLayerDocsTests checks that each block of the page
// appears in this file verbatim, so the documentation cannot drift from code that builds and passes.

/// <summary>Multiplies each feature by a learned factor.</summary>
public sealed class Scale : Layer
{
    private Variable _gamma = null!;

    /// <summary>Creates the layer.</summary>
    public Scale(string? name = null) : base(name) { }

    /// <inheritdoc/>
    protected override void Build(Shape input) => _gamma = AddWeight("gamma", [input[^1]], Initializers.Ones);

    /// <inheritdoc/>
    protected override Tensor Call(Tensor x, bool training) => x * _gamma;
}

/// <summary>Adds a dense transformation of the input to the input.</summary>
public sealed class Residual : Layer
{
    private readonly Dense _inner;

    /// <summary>Creates the block; <paramref name="units"/> must equal the input's last dimension.</summary>
    public Residual(int units, string? name = null) : base(name)
    {
        Units = units;
        _inner = Track("inner", new Dense(units, activation: "tanh"));
    }

    /// <summary>The width of the block.</summary>
    public int Units { get; }

    /// <inheritdoc/>
    protected override Tensor Call(Tensor x, bool training) => x + _inner.Apply(x, training);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["units"] = Units;
        return config;
    }
}

public static class CustomLayerRegistration
{
    public static void RegisterAll()
    {
        LayerRegistry.Register<Scale>("Scale", config => new Scale(ConfigReader.GetString(config, "name")));
        LayerRegistry.Register<Residual>("Residual", config =>
            new Residual(ConfigReader.GetInt(config, "units"), ConfigReader.GetString(config, "name")));
    }
}
