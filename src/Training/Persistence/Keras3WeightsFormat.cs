using Framework.Serialization;

namespace Framework.Training.Persistence;

/// <summary>Keras 3's <c>.weights.h5</c> (<see cref="Keras3WeightsLayout"/>): written for names ending in <c>.weights.h5</c>,
/// recognised as an HDF5 file without Keras 2's <c>layer_names</c>.</summary>
internal sealed class Keras3WeightsFormat : IWeightsFormat
{
    /// <inheritdoc/>
    public string Name => "Keras 3 weights (.weights.h5)";

    /// <inheritdoc/>
    public bool SavesTo(string path) => path.EndsWith(".weights.h5", StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc/>
    public bool Recognizes(string path, byte[] header) => FileSignature.IsHdf5(header) && !Keras2WeightsFormat.HasKeras2Layout(path);

    /// <inheritdoc/>
    public Action PrepareSave(Model model, string path)
    {
        KerasFiles.RequireBuilt(model, path);
        var file = Keras3WeightsLayout.Build(model, snapshot: true);
        return () => H5Output.WriteAtomically(file, path);
    }

    /// <inheritdoc/>
    public void Save(Model model, string path)
    {
        KerasFiles.RequireBuilt(model, path);
        H5Output.WriteAtomically(Keras3WeightsLayout.Build(model, snapshot: false), path);
    }

    /// <inheritdoc/>
    public CheckpointMatchReport Load(Model model, string path, bool strict)
    {
        KerasFiles.RequireBuilt(model, path);
        using var input = H5Input.Open(path);
        using var into = new WeightAssignments(path);
        Keras3WeightsLayout.Read(input, model, into);
        return into.Apply(strict);
    }
}
