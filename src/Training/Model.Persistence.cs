using Framework.Serialization;
using Framework.Tensors;
using Framework.Training.Saving;

namespace Framework.Training;

public abstract partial class Model
{
    /// <summary>Saves the whole model to <paramref name="directory"/>: architecture, weights, optimizer state, compile configuration
    /// and the training random streams, so that <see cref="Load"/> returns a model that predicts identically and trains on exactly.</summary>
    /// <remarks>
    /// <para>The directory holds:</para>
    /// <list type="bullet">
    /// <item><c>config.json</c>: the architecture and compile configuration in Keras 3's <c>.keras</c> schema
    /// (<c>module</c>, <c>class_name</c>, <c>config</c>, <c>build_config</c>, <c>compile_config</c>).</item>
    /// <item><c>metadata.json</c>: <c>framework_version</c>, <c>date_saved</c> (ISO 8601 UTC), <c>user_metadata</c>.</item>
    /// <item><c>variables/variables.index</c> and <c>variables/variables.data-00000-of-00001</c>: a TensorFlow checkpoint with
    /// <see cref="SaveWeights"/>'s keys (weights, optimizer <c>iter</c>, hyperparameters and slots) plus, under
    /// <c>framework_training_state/</c>, the shuffle generator (<c>shuffle/_state_var</c>, once the model has shuffled) and each
    /// Dropout layer's mask stream (<c>dropout-K</c>, in layer order).</item>
    /// </list>
    /// <para>Because the weight keys are <see cref="SaveWeights"/>'s, <c>LoadWeights("dir/variables/variables", strict: false)</c>
    /// also reads a save (reporting the <c>framework_training_state</c> keys as unexpected).</para>
    /// <para>The save is atomic: it is written to the sibling <c>directory.saving</c> and swapped in by renames, so a failure or
    /// crash at any point leaves the previous save at <paramref name="directory"/> complete (see <see cref="Load"/> for recovery).
    /// Built-in layers, optimizers, losses and metrics need no code; a custom layer or model must be registered with
    /// <see cref="Framework.Layers.LayerRegistry"/> (and implement <c>GetConfig</c>), and is checked before anything is written.</para>
    /// </remarks>
    /// <param name="directory">The directory to write (created, or replaced when it holds an earlier save).</param>
    /// <param name="metadata">User metadata stored in <c>metadata.json</c>.</param>
    /// <exception cref="InvalidOperationException">A layer's class is not registered; nothing was written.</exception>
    /// <exception cref="NotSupportedException">The optimizer, loss or a metric is not built-in, or a config holds a value JSON cannot; nothing was written.</exception>
    /// <exception cref="IOException">Writing failed, or the path is a file or a non-empty directory that is not a saved model; the previous save is intact.</exception>
    /// <example>
    /// <code>
    /// model.Save("runs/mnist", new Dictionary&lt;string, string&gt; { ["dataset"] = "mnist" });
    /// var restored = Model.Load("runs/mnist");
    /// restored.Fit(x, y, epochs: 3, initialEpoch: 2);   // continues exactly where the saved run stopped
    /// </code>
    /// </example>
    public void Save(string directory, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Persistence.PersistenceFormats.ModelForSave(directory).PrepareSave(this, directory, metadata)();
    }

    /// <summary>Loads a model saved by <see cref="Save(string, IReadOnlyDictionary{string, string})"/>, compiled when it was saved compiled.</summary>
    /// <remarks>
    /// <para>Classes are re-created only through <see cref="Framework.Layers.LayerRegistry"/> and the built-in optimizer, loss and
    /// metric factories; a class name in the file is never resolved as a .NET type. The model is built from <c>build_config</c>,
    /// then every value is read, CRC-checked and matched before anything is assigned: a corrupt or mismatching checkpoint
    /// throws and returns nothing half-loaded.</para>
    /// <para>Bounded by the files: each weight config.json implies is checked against the checkpoint's index before it is
    /// allocated (no initializer runs: the checkpoint overwrites every weight), and the JSON files may not exceed
    /// <see cref="SavedModelLimits"/> (size, layer count, nesting, string length, input size). Loading takes time linear in
    /// the number of layers.</para>
    /// <para>Every problem in a file's content is an <see cref="InvalidDataException"/> whose message names the file and where
    /// in it: the JSON path for config.json and metadata.json (<c>config.layers[0].config.units</c>; also in
    /// <see cref="Exception.Data"/> under <c>"File"</c> and <c>"JsonPath"</c>), the key for the checkpoint.</para>
    /// <para>Recovery: if <paramref name="directory"/> is missing but <c>directory.previous</c> exists (a crash between the two
    /// renames of a save), that previous complete save is loaded. A leftover <c>directory.saving</c> is ignored.</para>
    /// </remarks>
    /// <param name="directory">The directory <see cref="Save(string, IReadOnlyDictionary{string, string})"/> wrote.</param>
    /// <returns>The model, with its weights, optimizer state and training random streams restored.</returns>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="FileNotFoundException">config.json or a checkpoint file is missing; the message names it.</exception>
    /// <exception cref="InvalidDataException">A file is malformed, corrupt or beyond <see cref="SavedModelLimits"/>, or config.json holds a value
    /// the model cannot be created or built from; the message names the file and the JSON path or checkpoint key.</exception>
    /// <exception cref="InvalidOperationException">config.json names a class that is not registered (the file is fine: register
    /// the class); the message names the file and the JSON path and lists the registered classes.</exception>
    /// <exception cref="CheckpointMismatchException">The checkpoint does not match the architecture in config.json (found before any
    /// weight of the wrong shape is allocated).</exception>
    public static Model Load(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        return Persistence.PersistenceFormats.ModelForLoad(directory).Load(directory);
    }

    /// <summary><see cref="Load"/> of the directory format.</summary>
    internal static Model LoadDirectory(string directory)
    {
        string root = ModelDirectory.ResolveForLoad(directory);
        string config = Path.Combine(root, SavedModelFormat.ConfigFile);
        string prefix = Path.Combine(root, SavedModelFormat.VariablesDirectory, SavedModelFormat.VariablesPrefix);
        // The index first: it bounds what building the model may allocate.
        var model = ModelConfigJson.Read(config, CheckpointShapes.Read(prefix, config));
        if (ModelVariables.Restore(model, prefix) is { } shuffle) model.ShuffleGenerator = shuffle;
        return model;
    }

    /// <summary>Reads the <c>metadata.json</c> of a model saved by <see cref="Save(string, IReadOnlyDictionary{string, string})"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="FileNotFoundException">metadata.json is missing.</exception>
    /// <exception cref="InvalidDataException">metadata.json is malformed or larger than <see cref="SavedModelLimits.MaxMetadataBytes"/>; the message names the file and the JSON path.</exception>
    public static SavedModelMetadata ReadMetadata(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        return SavedModelMetadata.Read(Path.Combine(ModelDirectory.ResolveForLoad(directory), SavedModelFormat.MetadataFile));
    }

    /// <summary><see cref="Save(string, IReadOnlyDictionary{string, string})"/> with a hook at each stage, for failure-injection tests.</summary>
    internal void SaveCore(string directory, IReadOnlyDictionary<string, string>? metadata, Action<ModelDirectory.Stage>? onStage)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        PrepareSave(metadata, ModelVariables.Root(this, _shuffleGenerator))(directory, onStage);
    }

    /// <summary>Everything a save needs, taken now; the returned action writes it to a directory later, even while the model
    /// goes on training (the values are copied).</summary>
    /// <remarks>Used by <c>ModelCheckpoint</c> to save in the background.</remarks>
    /// <returns>The write action, and the copied values to dispose once every write is done.</returns>
    internal (Action<string> Save, IDisposable Values) CaptureSave(IReadOnlyDictionary<string, string>? metadata = null)
    {
        var frozen = FrozenGraph.Capture(ModelVariables.Root(this, _shuffleGenerator));
        var write = PrepareSave(metadata, frozen.Root);
        return (directory => write(directory, null), frozen);
    }

    /// <summary>Serializes the configuration and metadata now (everything that can be refused is refused before the disk is
    /// touched) and returns the action that writes them and the variables graph <paramref name="variables"/> atomically.</summary>
    private Action<string, Action<ModelDirectory.Stage>?> PrepareSave(IReadOnlyDictionary<string, string>? metadata, Trackable variables)
    {
        byte[] config = JsonFile.Serialize(ModelConfigJson.From(this), SavedModelFormat.ConfigFile);
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
