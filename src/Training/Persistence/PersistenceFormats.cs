namespace Framework.Training.Persistence;

/// <summary>The one format dispatch of saving and loading: by the path's name when saving (as Keras does), by content when loading.</summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>path</term><description>SaveWeights / Save writes</description></listheader>
/// <item><term><c>*.weights.h5</c></term><description>Keras 3 weights layout (<see cref="Keras3WeightsFormat"/>)</description></item>
/// <item><term><c>*.h5</c>, <c>*.hdf5</c></term><description>Keras 2 weights layout (<see cref="Keras2WeightsFormat"/>); whole model: legacy Keras HDF5 (<see cref="LegacyH5ModelFormat"/>)</description></item>
/// <item><term><c>*.keras</c></term><description>whole model: Keras 3 archive (<see cref="KerasArchiveFormat"/>)</description></item>
/// <item><term>anything else</term><description>weights: TensorFlow checkpoint prefix (<see cref="TfCheckpointWeightsFormat"/>); whole model: directory (<see cref="ModelDirectoryFormat"/>)</description></item>
/// </list>
/// Loading looks at the content first (HDF5 signature, zip signature, TF index, saved-model directory), so a renamed file
/// loads; when nothing matches, the error lists every format tried.
/// </remarks>
internal static class PersistenceFormats
{
    /// <summary>The weights formats, most specific name first; the last one takes any path.</summary>
    public static IReadOnlyList<IWeightsFormat> Weights { get; } =
        [new Keras3WeightsFormat(), new Keras2WeightsFormat(), new TfCheckpointWeightsFormat()];

    /// <summary>The whole-model formats; the last one takes any path.</summary>
    public static IReadOnlyList<IModelFormat> Models { get; } =
        [new KerasArchiveFormat(), new LegacyH5ModelFormat(), new ModelDirectoryFormat()];

    /// <summary>The weights format <see cref="Model.SaveWeights"/> writes for <paramref name="path"/>.</summary>
    public static IWeightsFormat WeightsForSave(string path) => Weights.First(f => f.SavesTo(path));

    /// <summary>The whole-model format <see cref="Model.Save(string, IReadOnlyDictionary{string, string})"/> writes for <paramref name="path"/>.</summary>
    public static IModelFormat ModelForSave(string path) => Models.First(f => f.SavesTo(path));

    /// <summary>The weights format of what exists at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">Nothing at the path is in a known format; the message lists the formats tried.</exception>
    public static IWeightsFormat WeightsForLoad(string path) => ForLoad(Weights, path, f => f.Name, (f, p, h) => f.Recognizes(p, h));

    /// <summary>The whole-model format of what exists at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">Nothing at the path is in a known format; the message lists the formats tried.</exception>
    public static IModelFormat ModelForLoad(string path) => ForLoad(Models, path, f => f.Name, (f, p, h) => f.Recognizes(p, h));

    /// <summary>Whether saving to <paramref name="path"/> writes one of Keras's files (not a TF checkpoint or a directory).</summary>
    public static bool IsKerasFile(string path, bool weightsOnly) =>
        weightsOnly ? WeightsForSave(path) is not TfCheckpointWeightsFormat : ModelForSave(path) is not ModelDirectoryFormat;

    /// <summary>Prepares a save of <paramref name="model"/> to <paramref name="path"/> (weights only or whole); see <see cref="IWeightsFormat.PrepareSave"/>.</summary>
    public static Action PrepareSave(Model model, string path, bool weightsOnly) =>
        weightsOnly ? WeightsForSave(path).PrepareSave(model, path) : ModelForSave(path).PrepareSave(model, path, null);

    /// <summary>Whether <paramref name="path"/> names an HDF5 file by its extension.</summary>
    public static bool IsH5(string path) =>
        path.EndsWith(".h5", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".hdf5", StringComparison.OrdinalIgnoreCase);

    private static T ForLoad<T>(IReadOnlyList<T> formats, string path, Func<T, string> name, Func<T, string, byte[], bool> recognizes)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] header = FileSignature.Header(path);
        foreach (var format in formats)
            if (recognizes(format, path, header)) return format;
        string what = File.Exists(path) ? $"the file '{path}' is in none of them" : $"nothing exists at '{path}'";
        throw new FileNotFoundException($"Cannot load '{path}': tried {string.Join(", ", formats.Select(name))}; {what}.", path);
    }
}
