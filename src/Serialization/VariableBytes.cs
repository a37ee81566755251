using Framework.Tensors;
using Framework.Tensors.Storage;

namespace Framework.Serialization;

/// <summary>The bytes behind a variable's value, so a restore can read a verified payload straight into them.</summary>
/// <remarks>
/// <see cref="Variable.Assign"/> needs a whole tensor: restoring through it costs a staging read, a copy into a new tensor
/// and a copy into the variable. Writing into the variable's own elements makes a restore one read per tensor, like a raw
/// read of the file.
/// </remarks>
internal static class VariableBytes
{
    /// <summary>The little-endian, row-major bytes of a variable held in host memory (any backend's storage that
    /// exposes them through <see cref="TensorStorage.TryGetHostBytes"/>); false on other devices.</summary>
    public static bool TryGet(Variable variable, out Span<byte> bytes) => variable.Value.TryGetHostBytes(out bytes);
}
