using Framework.Tensors;

namespace Framework.Serialization;

/// <summary>One saved or live value in a restore report: its checkpoint key, the variable's display name when known, and its shape.</summary>
/// <param name="Key">The checkpoint key (for a missing value: the key this framework would write for the variable).</param>
/// <param name="VariableName">The live variable's display name (<c>dense_1/bias</c>), or null for a saved value with no live variable.</param>
/// <param name="Shape">The shape (of the live variable for missing values, of the saved tensor otherwise).</param>
/// <param name="DataType">The dtype, TensorFlow spelling (<c>DT_FLOAT</c>).</param>
public sealed record CheckpointValue(string Key, string? VariableName, Shape Shape, string DataType)
{
    /// <summary>Formats as <c>'key' for variable 'name', shape (10,)</c> (or without the variable part).</summary>
    public override string ToString() =>
        VariableName is null ? $"'{Key}', shape {Shape}" : $"'{Key}' for variable '{VariableName}', shape {Shape}";
}
