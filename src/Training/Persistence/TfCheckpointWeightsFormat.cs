using Framework.Serialization;

namespace Framework.Training.Persistence;

/// <summary>The TensorFlow checkpoint prefix (<c>prefix.index</c> + <c>prefix.data-00000-of-00001</c>): SaveWeights to any path
/// that is not a Keras file name, and LoadWeights of a prefix or of a directory holding a <c>checkpoint</c> state file.</summary>
internal sealed class TfCheckpointWeightsFormat : IWeightsFormat
{
    /// <inheritdoc/>
    public string Name => "TensorFlow checkpoint (prefix.index + prefix.data-*)";

    /// <inheritdoc/>
    public bool SavesTo(string path) => true;

    /// <inheritdoc/>
    /// <remarks>Anything that is not an existing file: a prefix, a directory, or a missing path (whose error then names the checkpoint files).</remarks>
    public bool Recognizes(string path, byte[] header) => !File.Exists(path) || File.Exists(path + ".index");

    /// <inheritdoc/>
    public Action PrepareSave(Model model, string path) => () => model.SaveTfCheckpoint(path);

    /// <inheritdoc/>
    public void Save(Model model, string path) => model.SaveTfCheckpoint(path);

    /// <inheritdoc/>
    public CheckpointMatchReport Load(Model model, string path, bool strict) => model.LoadTfCheckpoint(path, strict);
}
