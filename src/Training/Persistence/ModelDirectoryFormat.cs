using Framework.Training.Saving;

namespace Framework.Training.Persistence;

/// <summary>The saved-model directory (<c>config.json</c>, <c>metadata.json</c>, <c>variables/</c>): written for any path that
/// is not a Keras file name; recognised for anything that is not an existing file (a directory, or a missing path whose
/// error then names the directory, or whose interrupted save left <c>path.previous</c>).</summary>
internal sealed class ModelDirectoryFormat : IModelFormat
{
    /// <inheritdoc/>
    public string Name => "saved-model directory (config.json + variables/)";

    /// <inheritdoc/>
    public bool SavesTo(string path) => true;

    /// <inheritdoc/>
    public bool Recognizes(string path, byte[] header) => !File.Exists(path);

    /// <inheritdoc/>
    /// <remarks>The action reads the live model (ModelCheckpoint captures a copy itself with <c>Model.CaptureSave</c>).</remarks>
    public Action PrepareSave(Model model, string path, IReadOnlyDictionary<string, string>? metadata) =>
        () => model.SaveCore(path, metadata, onStage: null);

    /// <inheritdoc/>
    public Model Load(string path) => Model.LoadDirectory(path);
}
