using Framework.Layers;
using Framework.Tensors;

namespace Framework.Tests.Layers.DocExamples;

// Code shown in docs/custom-layers.md, compiled. CustomLayerDocsTests checks that each block of the page appears
// verbatim in the files of this folder, so the documentation cannot drift from code that builds and passes.

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
