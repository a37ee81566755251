using Framework.Tensors;

namespace Framework.Serialization;

/// <summary>Saves and restores any named trackable objects as a TensorFlow object-based checkpoint, like <c>tf.train.Checkpoint</c>.</summary>
/// <remarks>
/// <para>The checkpoint is the root of the saved object graph; its children are the given objects sorted by name, then
/// <c>save_counter</c> (created by the first <see cref="Save"/> or restore), exactly as TensorFlow lists them, so the keys
/// (<c>model/layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE</c>, <c>optimizer/iter/...</c>) match TensorFlow's.</para>
/// <para>Saves are atomic (temporary files, fsync, rename; the <c>checkpoint</c> state file last). Restores verify every CRC
/// before assigning anything, match by walking the saved graph, and restore objects created later on creation.</para>
/// </remarks>
/// <example>
/// <code>
/// var step = new Variable(Tensor.Scalar(0, DType.Int64), "step", trainable: false);
/// var checkpoint = new Checkpoint(("model", model), ("optimizer", model.Optimizer!), ("step", step));
/// string path = checkpoint.Save("runs/ckpt");          // runs/ckpt-1
/// checkpoint.Restore(path).AssertConsumed();
/// </code>
/// </example>
public sealed class Checkpoint : Trackable
{
    /// <summary>The local name of the save counter (part of the checkpoint format).</summary>
    public const string SaveCounterName = "save_counter";

    private readonly TrackedChild[] _objects;
    private Variable? _saveCounter;

    /// <summary>Creates a checkpoint over named objects.</summary>
    /// <param name="objects">Name and object pairs; names become the first path segment of every key.</param>
    /// <exception cref="ArgumentException">A name is empty, repeated, or <c>save_counter</c>.</exception>
    public Checkpoint(params (string Name, Trackable Object)[] objects)
    {
        ArgumentNullException.ThrowIfNull(objects);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, obj) in objects)
        {
            ArgumentException.ThrowIfNullOrEmpty(name, nameof(objects));
            ArgumentNullException.ThrowIfNull(obj, nameof(objects));
            if (name == SaveCounterName || !names.Add(name))
                throw new ArgumentException($"Checkpoint: the name '{name}' is {(name == SaveCounterName ? "reserved for the save counter" : "given twice")}; each object needs its own name.", nameof(objects));
        }
        // tf.train.Checkpoint lists its keyword children sorted by name.
        _objects = [.. objects.OrderBy(o => o.Name, StringComparer.Ordinal).Select(o => new TrackedChild(o.Name, o.Object))];
    }

    /// <summary>Creates a checkpoint over the objects of a dictionary.</summary>
    /// <inheritdoc cref="Checkpoint(ValueTuple{string, Trackable}[])"/>
    public Checkpoint(IReadOnlyDictionary<string, Trackable> objects)
        : this([.. (objects ?? throw new ArgumentNullException(nameof(objects))).Select(p => (p.Key, p.Value))])
    {
    }

    /// <inheritdoc/>
    public override IReadOnlyList<TrackedChild> Children =>
        _saveCounter is null ? _objects : [.. _objects, new TrackedChild(SaveCounterName, _saveCounter)];

    /// <summary>The number of <see cref="Save"/> calls so far (restored with the checkpoint), an int64 scalar variable.</summary>
    public Variable SaveCounter => _saveCounter ??= CreateSaveCounter();

    /// <summary>Increments <see cref="SaveCounter"/>, writes <c>prefix-N</c>, and records it in the directory's <c>checkpoint</c> state file.</summary>
    /// <param name="filePrefix">The prefix before the counter, e.g. <c>runs/ckpt</c>.</param>
    /// <returns>The written prefix, e.g. <c>runs/ckpt-1</c>.</returns>
    /// <exception cref="IOException">Writing failed; the previous checkpoint and state file are intact.</exception>
    public string Save(string filePrefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(filePrefix);
        long number = IncrementSaveCounter();
        string prefix = Write($"{filePrefix}-{number}");
        string directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(prefix))!;
        // Like TF2's Checkpoint.save: the state file names only the newest checkpoint (CheckpointManager keeps lists).
        var state = new CheckpointState(System.IO.Path.GetFullPath(prefix));
        state.AllModelCheckpointPaths.Add(System.IO.Path.GetFullPath(prefix));
        state.Save(directory);
        return prefix;
    }

    /// <summary>Writes the checkpoint to exactly <paramref name="filePrefix"/>, without touching the counter or the state file.</summary>
    /// <returns><paramref name="filePrefix"/>.</returns>
    /// <exception cref="IOException">Writing failed; files already under the prefix are only replaced by complete ones.</exception>
    public string Write(string filePrefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(filePrefix);
        CheckpointWriter.Write(this, filePrefix);
        return filePrefix;
    }

    /// <summary>Restores from <paramref name="path"/> (a prefix, or a directory meaning its latest checkpoint), including the save counter.</summary>
    /// <exception cref="FileNotFoundException">The checkpoint does not exist.</exception>
    /// <exception cref="InvalidDataException">The checkpoint is corrupt; nothing was assigned.</exception>
    public CheckpointLoadStatus Restore(string path)
    {
        _ = SaveCounter;
        return Read(path);
    }

    /// <summary>Restores from <paramref name="path"/> without creating the save counter (TensorFlow's <c>read</c>).</summary>
    /// <inheritdoc cref="Restore"/>
    public CheckpointLoadStatus Read(string path) => MatchObject(this, path).AssignMatched();

    /// <summary>Writes the object graph rooted at <paramref name="root"/> (for example a model: Keras's <c>save_weights</c> layout).</summary>
    /// <exception cref="IOException">Writing failed.</exception>
    public static void WriteObject(Trackable root, string filePrefix)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentException.ThrowIfNullOrEmpty(filePrefix);
        CheckpointWriter.Write(root, filePrefix);
    }

    /// <summary>Reads and verifies a checkpoint and matches it to the graph rooted at <paramref name="root"/>, assigning nothing yet.</summary>
    /// <remarks>Inspect <see cref="CheckpointLoadStatus.Report"/>, then call <see cref="CheckpointLoadStatus.AssignMatched"/>: this is how a
    /// strict load refuses a mismatching checkpoint without changing any variable.</remarks>
    /// <param name="root">The live object that corresponds to the saved root.</param>
    /// <param name="path">A checkpoint prefix, or a directory with a <c>checkpoint</c> state file.</param>
    /// <exception cref="FileNotFoundException">The checkpoint does not exist.</exception>
    /// <exception cref="InvalidDataException">The checkpoint is corrupt.</exception>
    public static CheckpointLoadStatus MatchObject(Trackable root, string path)
    {
        ArgumentNullException.ThrowIfNull(root);
        var restorer = new CheckpointRestorer(ResolvePrefix(path), root);
        restorer.Match();
        return new CheckpointLoadStatus(restorer, assigned: false);
    }

    /// <summary>A prefix for <paramref name="path"/>: itself, or for a directory the latest checkpoint listed in its state file.</summary>
    /// <remarks>When a crash interrupted the replacement of that checkpoint in place, the result is the prefix of its
    /// complete recovery pair (<c>P.previous</c>) instead; see <see cref="TensorBundleWriter"/>.</remarks>
    /// <exception cref="FileNotFoundException">A directory without a usable state file.</exception>
    public static string ResolvePrefix(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!Directory.Exists(path)) return BundleRecovery.ReadablePrefix(path);
        string latest = CheckpointState.LatestCheckpoint(path)
            ?? throw new FileNotFoundException($"Directory '{path}' has no checkpoint: its '{CheckpointState.FileName}' state file is missing or names no existing checkpoint.", path);
        return BundleRecovery.ReadablePrefix(latest);
    }

    internal long IncrementSaveCounter()
    {
        SaveCounter.AssignAdd(Tensor.Scalar(1, DType.Int64));
        return SaveCounter.Value.Item<long>();
    }

    private static Variable CreateSaveCounter() =>
        new(Tensor.Zeros(Shape.Scalar, DType.Int64), SaveCounterName, trainable: false);
}
