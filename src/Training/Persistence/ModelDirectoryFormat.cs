using Framework.Serialization;
using Framework.Tensors;
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
    /// <remarks>The action reads the live model (ModelCheckpoint captures a copy itself with <see cref="CaptureSave"/>).</remarks>
    public Action PrepareSave(Model model, string path, IReadOnlyDictionary<string, string>? metadata) =>
        () => Save(model, path, metadata, onStage: null);

    /// <inheritdoc/>
    public Model Load(string path)
    {
        string root = ModelDirectory.ResolveForLoad(path);
        string config = Path.Combine(root, SavedModelFormat.ConfigFile);
        string prefix = Path.Combine(root, SavedModelFormat.VariablesDirectory, SavedModelFormat.VariablesPrefix);
        // The index first: it bounds what building the model may allocate.
        var model = ModelConfigJson.Read(config, CheckpointShapes.Read(prefix, config));
        if (ModelVariables.Restore(model, prefix) is { } shuffle) model.ShuffleGenerator = shuffle;
        return model;
    }

    /// <summary>Saves <paramref name="model"/> to <paramref name="directory"/> with a hook at each stage (failure-injection tests use it).</summary>
    public static void Save(Model model, string directory, IReadOnlyDictionary<string, string>? metadata, Action<ModelDirectory.Stage>? onStage)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Prepare(model, metadata, ModelVariables.Root(model, model.ExistingShuffleGenerator))(directory, onStage);
    }

    /// <summary>Everything a save needs, taken now; the returned action writes it to a directory later, even while the model
    /// goes on training (the values are copied). Used by <c>ModelCheckpoint</c> to save in the background.</summary>
    /// <returns>The write action, and the copied values to dispose once every write is done.</returns>
    public static (Action<string> Save, IDisposable Values) CaptureSave(Model model, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var frozen = FrozenGraph.Capture(ModelVariables.Root(model, model.ExistingShuffleGenerator));
        var write = Prepare(model, metadata, frozen.Root);
        return (directory => write(directory, null), frozen);
    }

    /// <summary>The <c>metadata.json</c> of the saved model at <paramref name="directory"/>.</summary>
    public static SavedModelMetadata ReadMetadata(string directory) =>
        SavedModelMetadata.Read(Path.Combine(ModelDirectory.ResolveForLoad(directory), SavedModelFormat.MetadataFile));

    /// <summary>Serializes the configuration and metadata now (everything that can be refused is refused before the disk is
    /// touched) and returns the action that writes them and the variables graph <paramref name="variables"/> atomically.</summary>
    private static Action<string, Action<ModelDirectory.Stage>?> Prepare(Model model, IReadOnlyDictionary<string, string>? metadata, Trackable variables)
    {
        byte[] config = JsonFile.Serialize(ModelConfigJson.From(model), SavedModelFormat.ConfigFile);
        var info = new SavedModelMetadata(SavedModelMetadata.CurrentFrameworkVersion, DateTimeOffset.UtcNow,
            metadata is null ? new Dictionary<string, string>() : new Dictionary<string, string>(metadata, StringComparer.Ordinal));
        byte[] metadataJson = JsonFile.Serialize(info.ToJsonTree(), SavedModelFormat.MetadataFile);
        return (directory, onStage) => ModelDirectory.Replace(directory, target =>
        {
            WriteDurably(Path.Combine(target, SavedModelFormat.ConfigFile), config);
            WriteDurably(Path.Combine(target, SavedModelFormat.MetadataFile), metadataJson);
            string folder = Path.Combine(target, SavedModelFormat.VariablesDirectory);
            Directory.CreateDirectory(folder);
            Checkpoint.WriteObject(variables, Path.Combine(folder, SavedModelFormat.VariablesPrefix));
            AtomicFile.SyncDirectory(folder);
        }, onStage);
    }

    private static void WriteDurably(string path, byte[] contents)
    {
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        stream.Write(contents);
        AtomicFile.Fsync(stream);
    }
}
