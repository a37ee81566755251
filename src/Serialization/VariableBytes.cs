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
    /// <remarks>Counts as a write of the variable (<see cref="Variable.Version"/>): the span is writable.</remarks>
    public static bool TryGet(Variable variable, out Span<byte> bytes)
    {
        if (!variable.Value.TryGetHostBytes(out bytes)) return false;
        variable.MarkWritten();   // the caller may write the elements: host copies of the value are stale from here on
        return true;
    }
}
