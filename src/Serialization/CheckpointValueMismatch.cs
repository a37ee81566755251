using Framework.Tensors;

namespace Framework.Serialization;

/// <summary>A saved value matched to a live variable whose shape or dtype differs; it is not assigned.</summary>
/// <param name="Key">The checkpoint key of the saved value.</param>
/// <param name="VariableName">The live variable's display name.</param>
/// <param name="SavedShape">The saved tensor's shape.</param>
/// <param name="SavedDataType">The saved dtype (TensorFlow spelling).</param>
/// <param name="VariableShape">The live variable's shape.</param>
/// <param name="VariableDataType">The live variable's dtype (TensorFlow spelling).</param>
public sealed record CheckpointValueMismatch(string Key, string VariableName, Shape SavedShape, string SavedDataType, Shape VariableShape, string VariableDataType)
{
    /// <summary>Formats as <c>'key': checkpoint (3, 4) DT_FLOAT, variable 'dense/kernel' (4, 4) DT_FLOAT</c>.</summary>
    public override string ToString() =>
        $"'{Key}': checkpoint {SavedShape} {SavedDataType}, variable '{VariableName}' {VariableShape} {VariableDataType}";
}
