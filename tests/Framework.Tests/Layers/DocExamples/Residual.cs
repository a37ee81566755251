using Framework.Layers;
using Framework.Tensors;

namespace Framework.Tests.Layers.DocExamples;

// Code shown in docs/custom-layers.md, compiled. CustomLayerDocsTests checks that each block of the page appears
// verbatim in the files of this folder, so the documentation cannot drift from code that builds and passes.

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
