using Framework.Serialization;

namespace Framework.Training.Persistence;

/// <summary>Keras 2's weights <c>.h5</c> (<see cref="Keras2WeightsLayout"/>): written for other <c>.h5</c>/<c>.hdf5</c> names;
/// recognised as an HDF5 file with <c>layer_names</c> at the root, or a full-model <c>.h5</c> (whose <c>/model_weights</c> it reads,
/// as Keras's <c>load_weights</c> does).</summary>
internal sealed class Keras2WeightsFormat : IWeightsFormat
{
    private const string ModelWeights = "model_weights";

    /// <inheritdoc/>
    public string Name => "Keras 2 weights (.h5)";

    /// <inheritdoc/>
    public bool SavesTo(string path) => PersistenceFormats.IsH5(path);

    /// <inheritdoc/>
    public bool Recognizes(string path, byte[] header) => FileSignature.IsHdf5(header) && HasKeras2Layout(path);

    /// <summary>Whether the HDF5 file at <paramref name="path"/> has Keras 2's layout (root <c>layer_names</c> or a <c>model_weights</c> group).</summary>
    /// <remarks>A file too corrupt to tell is not Keras 2's: the Keras 3 reader then reports what is wrong with it.</remarks>
    public static bool HasKeras2Layout(string path)
    {
        try
        {
            using var input = H5Input.Open(path);
            return input.StringListAttribute(input.Root, "layer_names", "/") is not null || input.Group(input.Root, ModelWeights) is not null;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public Action PrepareSave(Model model, string path)
    {
        var file = Build(model, path, snapshot: true);
        return () => H5Output.WriteAtomically(file, path);
    }

    /// <inheritdoc/>
    public void Save(Model model, string path) => H5Output.WriteAtomically(Build(model, path, snapshot: false), path);

    private static PureHDF.H5File Build(Model model, string path, bool snapshot)
    {
        KerasFiles.RequireBuilt(model, path);
        var file = new PureHDF.H5File();
        Keras2WeightsLayout.Write(file, model, snapshot);
        return file;
    }

    /// <inheritdoc/>
    public CheckpointMatchReport Load(Model model, string path, bool strict)
    {
        KerasFiles.RequireBuilt(model, path);
        using var input = H5Input.Open(path);
        using var into = new WeightAssignments(path);
        if (input.Group(input.Root, ModelWeights) is { } weights) Keras2WeightsLayout.Read(input, weights, ModelWeights, model, into);
        else Keras2WeightsLayout.Read(input, input.Root, "", model, into);
        return into.Apply(strict);
    }
}
