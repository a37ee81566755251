using System.Text;

namespace Framework.Serialization;

/// <summary>The <c>checkpoint</c> state file of a checkpoint directory (spec 2): which checkpoints exist and which is latest.</summary>
/// <remarks>
/// The file holds a <c>CheckpointState</c> message in protobuf text format. <see cref="ToText"/> writes TensorFlow's exact
/// layout (so TensorFlow's <c>tf.train.latest_checkpoint</c> and <c>CheckpointManager</c> read our directories), and
/// <see cref="Parse"/> accepts any valid text format for the four fields. The file is the commit point of a save: it is
/// written last, atomically.
/// </remarks>
public sealed class CheckpointState
{
    /// <summary>The state file's name inside a checkpoint directory.</summary>
    public const string FileName = "checkpoint";

    // A real state file lists a handful of paths; anything this large is not one, and is not read into memory.
    private const long MaxFileLength = 16 << 20;

    /// <summary>Creates a state naming <paramref name="modelCheckpointPath"/> as the latest checkpoint.</summary>
    /// <param name="modelCheckpointPath">The prefix of the latest checkpoint, relative to the directory or absolute.</param>
    public CheckpointState(string modelCheckpointPath = "")
    {
        ArgumentNullException.ThrowIfNull(modelCheckpointPath);
        ModelCheckpointPath = modelCheckpointPath;
    }

    /// <summary>The prefix of the most recent checkpoint (relative to the directory, or absolute).</summary>
    public string ModelCheckpointPath { get; set; }

    /// <summary>The prefixes of all retained checkpoints, oldest first; the last normally equals <see cref="ModelCheckpointPath"/>.</summary>
    public IList<string> AllModelCheckpointPaths { get; } = new List<string>();

    /// <summary>Unix times (seconds) at which each of <see cref="AllModelCheckpointPaths"/> was written; same length, or empty.</summary>
    public IList<double> AllModelCheckpointTimestamps { get; } = new List<double>();

    /// <summary>Unix time of the last checkpoint kept permanently by <c>keep_checkpoint_every_n_hours</c>; 0 when unset.</summary>
    public double LastPreservedTimestamp { get; set; }

    /// <summary>Formats the state in TensorFlow's text layout: one <c>name: value</c> line per field value, in field order.</summary>
    public string ToText()
    {
        var sb = new StringBuilder();
        if (ModelCheckpointPath.Length > 0)
            sb.Append("model_checkpoint_path: ").Append(CheckpointStateText.Quote(ModelCheckpointPath)).Append('\n');
        foreach (string path in AllModelCheckpointPaths)
            sb.Append("all_model_checkpoint_paths: ").Append(CheckpointStateText.Quote(path)).Append('\n');
        foreach (double t in AllModelCheckpointTimestamps)
            sb.Append("all_model_checkpoint_timestamps: ").Append(CheckpointStateText.FormatDouble(t)).Append('\n');
        if (LastPreservedTimestamp != 0)
            sb.Append("last_preserved_timestamp: ").Append(CheckpointStateText.FormatDouble(LastPreservedTimestamp)).Append('\n');
        return sb.ToString();
    }

    /// <summary>Parses the text format of a state file.</summary>
    /// <param name="text">The file contents.</param>
    /// <exception cref="InvalidDataException">The text is not a valid <c>CheckpointState</c>; the message gives the line.</exception>
    public static CheckpointState Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return CheckpointStateText.Parse(text);
    }

    /// <summary>Reads <c>directory/checkpoint</c>; null when the file does not exist.</summary>
    /// <param name="directory">The checkpoint directory.</param>
    /// <exception cref="InvalidDataException">The file exists but cannot be parsed; the message names it.</exception>
    public static CheckpointState? Load(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        string path = Path.Combine(directory, FileName);
        string text;
        try
        {
            long length = new FileInfo(path).Length;
            if (length > MaxFileLength)
                throw new InvalidDataException($"Checkpoint state file '{path}' has {length} bytes; a state file is at most {MaxFileLength}.");
            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        try
        {
            return CheckpointStateText.Parse(text);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"Checkpoint state file '{path}' is corrupt: {e.Message}", e);
        }
    }

    /// <summary>Writes <c>directory/checkpoint</c> atomically (temporary file, fsync, rename).</summary>
    /// <remarks>Absolute paths that lie inside <paramref name="directory"/> are written relative to it, as TensorFlow's
    /// <c>CheckpointManager</c> does, so the directory can be moved.</remarks>
    /// <param name="directory">The checkpoint directory; created if missing.</param>
    /// <exception cref="IOException">Writing failed; the previous state file is unchanged.</exception>
    public void Save(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        Directory.CreateDirectory(directory);
        var relative = new CheckpointState(MakeRelative(directory, ModelCheckpointPath)) { LastPreservedTimestamp = LastPreservedTimestamp };
        foreach (string p in AllModelCheckpointPaths)
            relative.AllModelCheckpointPaths.Add(MakeRelative(directory, p));
        foreach (double t in AllModelCheckpointTimestamps)
            relative.AllModelCheckpointTimestamps.Add(t);
        AtomicFile.WriteAllBytes(Path.Combine(directory, FileName), Encoding.UTF8.GetBytes(relative.ToText()));
    }

    /// <summary>The prefix of the latest checkpoint in <paramref name="directory"/>, like <c>tf.train.latest_checkpoint</c>.</summary>
    /// <remarks>Reads the state file; a relative <c>model_checkpoint_path</c> is resolved against the directory. Returns null
    /// when there is no state file, it cannot be parsed, it names no checkpoint, or neither <c>P.index</c> nor a legacy file
    /// <c>P</c> exists. The directory is never scanned.</remarks>
    /// <param name="directory">The checkpoint directory.</param>
    public static string? LatestCheckpoint(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        CheckpointState? state;
        try
        {
            state = Load(directory);
        }
        catch (InvalidDataException)
        {
            return null;
        }
        if (state is null || state.ModelCheckpointPath.Length == 0)
            return null;
        string prefix = Resolve(directory, state.ModelCheckpointPath);
        return File.Exists(BundleNaming.IndexPath(prefix)) || File.Exists(prefix) ? prefix : null;
    }

    /// <summary>Resolves a path from a state file: relative paths are joined onto <paramref name="directory"/>, absolute ones kept.</summary>
    public static string Resolve(string directory, string path)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(path);
        return Path.IsPathRooted(path) ? path : Path.Combine(directory, path);
    }

    /// <summary>Whether <paramref name="path"/>, read from a state file, can name a checkpoint at all: non-empty, without
    /// a NUL or another character the OS refuses in paths. Other entries are damaged entries (issue 12, defect 5).</summary>
    public static bool IsValidPath(string path) =>
        !string.IsNullOrEmpty(path) && path.IndexOfAny(Path.GetInvalidPathChars()) < 0 && path.IndexOf('\0', StringComparison.Ordinal) < 0;

    private static string MakeRelative(string directory, string path)
    {
        // An entry that is no valid path (a damaged state file's) is written back as it is rather than failing the save.
        if (!IsValidPath(path) || !Path.IsPathRooted(path))
            return path;
        string relative = Path.GetRelativePath(Path.GetFullPath(directory), path);
        bool inside = !relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative);
        return inside ? relative : path;
    }
}
