using Framework.Serialization;
using Framework.Training.Persistence;
using Framework.Training.Saving;

namespace Framework.Training;

/// <summary>The persistence entry points of every model: thin calls into <see cref="PersistenceFormats"/>, the one format
/// dispatch, where each format is one class (<c>src/Training/Persistence/</c>).</summary>
public abstract partial class Model
{
    private CheckpointLoadStatus? _strictLoadAwaitingBuild;

    /// <summary>Saves the weights (and, when compiled, the optimizer's state) as a TensorFlow checkpoint, like Keras's <c>save_weights</c> in TF format.</summary>
    /// <remarks>The model is the root of the saved object graph, so the keys are those tf.keras writes
    /// (<c>layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE</c>, <c>optimizer/iter/...</c>, slot keys with
    /// <c>.OPTIMIZER_SLOT</c>). The files are <c>prefix.index</c> and <c>prefix.data-00000-of-00001</c>, written atomically,
    /// then the directory's <c>checkpoint</c> state file is set to name this prefix. Saving onto an existing prefix is
    /// crash-safe: until the new pair is complete, the previous one stays reachable as <c>prefix.previous.*</c> (hard links,
    /// removed once the save completes), and <see cref="LoadWeights"/> falls back to it if a crash left a mixed pair.</remarks>
    /// <param name="filePrefix">The checkpoint prefix, e.g. <c>runs/weights</c> (no extension).</param>
    /// <exception cref="IOException">Writing failed; files already under the prefix are only replaced by complete ones.</exception>
    /// <example><code>model.SaveWeights("runs/weights"); fresh.LoadWeights("runs/weights");</code></example>
    public void SaveWeights(string filePrefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(filePrefix);
        PersistenceFormats.WeightsForSave(filePrefix).Save(this, filePrefix);
    }

    /// <summary>Loads weights (and optimizer state, when both the file and the model have one) saved by <see cref="SaveWeights"/> or by tf.keras.</summary>
    /// <remarks>
    /// <para>Matching walks the saved object graph from the model (spec 3.5). Everything is read and CRC-checked first;
    /// with <paramref name="strict"/>, any variable of the model without a saved value, any saved value nothing uses, or any
    /// shape or dtype difference throws one <see cref="CheckpointMismatchException"/> listing them, and nothing is assigned.</para>
    /// <para>An unbuilt model (a fresh one) is restored lazily: its weights receive the saved values when they are created on
    /// the first call, so it then predicts exactly as the saved model. Saved values waiting for weights that do not exist yet
    /// cannot be judged yet: for a <see cref="Sequential"/>, the strict check and the assignment happen together when it is
    /// built (its first call throws the <see cref="CheckpointMismatchException"/> if the built model does not match); other
    /// unbuilt models check only missing variables and mismatches and restore the rest on creation. Saved optimizer
    /// state loaded into an uncompiled model is not a mismatch either: it is restored when <c>Compile</c> attaches an optimizer.</para>
    /// <para>Optimizer state in Keras's newer layout (<c>optimizer/_variables/N</c>, <c>_iterations</c>, <c>_learning_rate</c>)
    /// is mapped onto the slot-based optimizer when the model is built: variable 0 is the iteration counter, then for each
    /// trainable weight in order, one variable per slot in the optimizer's slot order (Adam: <c>m</c>, <c>v</c>).</para>
    /// </remarks>
    /// <param name="filePrefix">A checkpoint prefix, or a directory (its latest checkpoint).</param>
    /// <param name="strict">Whether a mismatch throws (default) or the matching part is loaded and reported.</param>
    /// <returns>The match report (for <c>strict: false</c>, the keys that did not match).</returns>
    /// <exception cref="CheckpointMismatchException">Strict, and the checkpoint does not match; nothing was assigned.</exception>
    /// <exception cref="FileNotFoundException">The checkpoint does not exist.</exception>
    /// <exception cref="InvalidDataException">The checkpoint is corrupt; nothing was assigned.</exception>
    public CheckpointMatchReport LoadWeights(string filePrefix, bool strict = true) =>
        PersistenceFormats.WeightsForLoad(filePrefix).Load(this, filePrefix, strict);

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
        PersistenceFormats.ModelForSave(directory).PrepareSave(this, directory, metadata)();
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
        return PersistenceFormats.ModelForLoad(directory).Load(directory);
    }

    /// <summary>Reads the <c>metadata.json</c> of a model saved by <see cref="Save(string, IReadOnlyDictionary{string, string})"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="FileNotFoundException">metadata.json is missing.</exception>
    /// <exception cref="InvalidDataException">metadata.json is malformed or larger than <see cref="SavedModelLimits.MaxMetadataBytes"/>; the message names the file and the JSON path.</exception>
    public static SavedModelMetadata ReadMetadata(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        return ModelDirectoryFormat.ReadMetadata(directory);
    }

    /// <summary>Whether the subclass calls <see cref="OnBuiltForCheckpoint"/> at the end of its build (as <see cref="Sequential"/> does).</summary>
    private protected virtual bool AnnouncesBuild => false;

    /// <summary>Keeps a strict TF-checkpoint load into this unbuilt model until its build completes, if the model announces
    /// its build; then <see cref="TfCheckpointWeightsFormat.CompleteAfterBuild"/> checks and assigns everything at once.</summary>
    /// <returns>Whether the load waits for the build.</returns>
    internal bool AwaitBuild(CheckpointLoadStatus status)
    {
        if (!AnnouncesBuild) return false;
        _strictLoadAwaitingBuild = status;
        return true;
    }

    /// <summary>Completes a strict <see cref="LoadWeights"/> into a model that was not built: checks the match now that all
    /// weights exist, then assigns every value, or throws and assigns nothing.</summary>
    /// <exception cref="CheckpointMismatchException">The checkpoint does not match the built model.</exception>
    private protected void OnBuiltForCheckpoint()
    {
        if (_strictLoadAwaitingBuild is not { } status) return;
        _strictLoadAwaitingBuild = null;
        TfCheckpointWeightsFormat.CompleteAfterBuild(this, status);
    }
}
