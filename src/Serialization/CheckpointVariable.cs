using Framework.Tensors;

namespace Framework.Serialization;

/// <summary>One tensor listed by <see cref="CheckpointReader.ListVariables"/>: its key, dtype and shape.</summary>
/// <param name="Key">The bundle key, e.g. <c>model/layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE</c>.</param>
/// <param name="DataType">TensorFlow's spelling of the dtype (<c>DT_FLOAT</c>, <c>DT_STRING</c>...).</param>
/// <param name="DType">The framework dtype, or null when the framework has no such element type (strings, variants, half...).</param>
/// <param name="Shape">The shape.</param>
public sealed record CheckpointVariable(string Key, string DataType, DType? DType, Shape Shape)
{
    /// <summary>Formats as <c>key: DT_FLOAT (3, 4)</c>.</summary>
    public override string ToString() => $"{Key}: {DataType} {Shape}";
}
