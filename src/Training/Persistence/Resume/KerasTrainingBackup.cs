using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Framework.Serialization;
using Framework.Tensors;
using PureHDF;

namespace Framework.Training.Persistence;

/// <summary>The backups of a <see cref="BackupAndRestore"/> run in Keras 3's layout (<see cref="BackupFormat.Keras"/>).</summary>
/// <remarks>
/// <para>The directory holds what Keras 3's <c>BackupAndRestore</c> writes (keras/src/callbacks/backup_and_restore.py):
/// <c>latest.weights.h5</c>, the model's and the optimizer's variables in Keras 3's weights layout
/// (<see cref="Keras3WeightsLayout"/>), and <c>training_metadata.json</c>, <c>{"epoch": completed epochs, "batch": last batch
/// seen}</c>; with <c>.bkp</c> copies of the previous pair, as its <c>double_checkpoint=True</c> keeps them. Keras restores
/// from it with <c>model.load_weights</c>, which reads only the groups of the model's objects.</para>
/// <para>A bit-exact resume needs more than Keras keeps, so <c>latest.weights.h5</c> also holds the group
/// <c>/framework_training_state</c>: the <see cref="TrainingSnapshot"/> as a JSON string attribute and the callbacks' state
/// tensors under <c>callbacks/KEY/NAME</c>. Everything a resume reads is in that one file, written atomically, so a crash
/// can never pair weights with another step's state. The previous file stays reachable as <c>latest.weights.h5.bkp</c> (a
/// hard link taken before the new file is renamed over the old), the fallback when the newest is damaged.</para>
/// <para>HDF5 has no checksum of array data, so <c>training_metadata.json</c> (and its <c>.bkp</c>) also records the
/// SHA-256 of the newest file and of the one to fall back to (<c>framework_sha256</c>, <c>framework_sha256_previous</c>,
/// ignored by Keras), written before the new file takes its name: a file whose digest is not recorded is damaged and is
/// skipped for the <c>.bkp</c>, and at every instant of a save one of the two files is recorded.</para>
/// </remarks>
internal sealed class KerasTrainingBackup(Model model, string directory, JsonObject configuration) : ITrainingBackup
{
    /// <summary>Keras 3's backup file names (backup_and_restore.py) and its double_checkpoint suffix.</summary>
    public const string WeightsName = "latest.weights.h5", MetadataName = "training_metadata.json", PreviousSuffix = ".bkp";

    private const string SnapshotAttribute = "snapshot", CallbacksGroup = "callbacks";
    private const string DigestKey = "framework_sha256", PreviousDigestKey = "framework_sha256_previous";

    // The digest of the newest usable backup, and whether it is the file named latest.weights.h5 (not only its .bkp).
    private string? _validDigest;
    private bool _validAtLatest;

    private string Latest => Path.Combine(directory, WeightsName);

    private string Metadata => Path.Combine(directory, MetadataName);

    /// <inheritdoc/>
    public string? RestoreNewest(Action<string> warn)
    {
        var candidates = new[] { Latest, Latest + PreviousSuffix }.Where(File.Exists).ToList();
        string? restored = BackupFallback.RestoreNewest(candidates, Restore, warn);
        _validAtLatest = restored == Latest;
        return restored;
    }

    /// <inheritdoc/>
    public void Save()
    {
        var snapshot = model.CaptureSnapshot(configuration);
        var file = Keras3WeightsLayout.Build(model, snapshot: false);
        var state = new H5Group { Attributes = new() { [SnapshotAttribute] = Encoding.UTF8.GetString(snapshot.ToUtf8()) } };
        foreach (var (key, tensors) in snapshot.CallbackTensors)
            foreach (var (name, value) in tensors) H5Output.Put(state, $"{CallbacksGroup}/{key}/{name}", H5Output.Dataset(value, snapshot: false));
        file[TrainingStreamsGroup.Name] = state;
        Directory.CreateDirectory(directory);
        AtomicFile.RemoveLeftovers(directory);
        // The backup to fall back to becomes latest.weights.h5.bkp, unless latest.weights.h5 is not a recorded backup (the
        // run resumed from the .bkp): then the .bkp stays.
        if (_validAtLatest) KeepPrevious(Latest);
        string temp = AtomicFile.TempPathFor(Latest);
        string digest;
        try
        {
            using (var stream = AtomicFile.CreateTemp(temp, access: FileAccess.ReadWrite))
            {
                file.Write(stream);
                AtomicFile.Fsync(stream);
            }
            digest = Sha256(temp);
            // The metadata names the new file and the one to fall back to before the new file takes its name, so at every
            // instant one of latest.weights.h5 and its .bkp is recorded. Keras's fields: the epochs completed and the last
            // batch seen (0 at an epoch's end), as its callback writes them; Keras ignores the digests.
            var metadata = new JsonObject
            {
                ["epoch"] = snapshot.Epoch, ["batch"] = Math.Max(snapshot.Step - 1, 0), [DigestKey] = digest, [PreviousDigestKey] = _validDigest,
            };
            KeepPrevious(Metadata);
            AtomicFile.WriteAllBytes(Metadata, Encoding.UTF8.GetBytes(metadata.ToJsonString()));
            AtomicFile.Commit(temp, Latest);
        }
        catch
        {
            AtomicFile.TryDelete(temp);
            throw;
        }
        AtomicFile.SyncDirectory(directory);
        (_validDigest, _validAtLatest) = (digest, true);
    }

    /// <inheritdoc/>
    public void Delete()
    {
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    /// <summary>Gives the current file its <c>.bkp</c> name too, so it outlives the rename of the next one over it.</summary>
    private static void KeepPrevious(string path)
    {
        if (!File.Exists(path)) return;
        AtomicFile.Delete(path + PreviousSuffix);
        AtomicFile.Link(path, path + PreviousSuffix);
    }

    private bool Restore(string path)
    {
        // HDF5 keeps no checksum of array data: the digest recorded at save time is what detects a flipped bit.
        string digest = Sha256(path);
        var recorded = new[] { Metadata, Metadata + PreviousSuffix }.SelectMany(RecordedDigests).ToList();
        if (!recorded.Contains(digest, StringComparer.Ordinal))
            throw new InvalidDataException($"'{path}' is damaged or incomplete: its SHA-256 {digest} is not one recorded in '{MetadataName}' when it was saved.");
        _validDigest = digest;
        using var input = H5Input.Open(path);
        string where = TrainingStreamsGroup.Name;
        var state = input.Group(input.Root, where)
            ?? throw new InvalidDataException($"'{path}' has no '{where}' group: it holds weights without the training state, so it cannot resume a run.");
        string json = input.StringAttribute(state, SnapshotAttribute, where)
            ?? throw new InvalidDataException($"'{path}': '{where}' has no '{SnapshotAttribute}' attribute.");
        var snapshot = TrainingSnapshot.FromUtf8(Encoding.UTF8.GetBytes(json));
        var differences = TrainingConfiguration.Differences(snapshot.Configuration, configuration);
        if (differences.Count > 0)
            throw new InvalidOperationException($"BackupAndRestore: the backup '{path}' was made by a run with another training configuration, so it is not resumed:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", differences)}{Environment.NewLine}Run with the original configuration, or delete '{directory}' to start over.");
        snapshot.CallbackTensors = snapshot.CallbackTensorNames.ToDictionary(c => c.Key, c => (IReadOnlyDictionary<string, Tensor>)c.Value.ToDictionary(
            name => name, name => ReadTensor(input, state, $"{CallbacksGroup}/{c.Key}/{name}", path)));
        using var into = new WeightAssignments(path);
        Keras3WeightsLayout.Read(input, model, into);
        if (!into.Report.IsComplete)
            throw new InvalidOperationException($"BackupAndRestore: the backup '{path}' does not match model '{model.Name}', so it is not resumed:{Environment.NewLine}{into.Report}{Environment.NewLine}Delete '{directory}' to start over.");
        model.RestoreDropoutStates(snapshot);
        into.Apply(strict: true);
        model.ResumeFrom(snapshot);
        return true;
    }

    private static string Sha256(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>The digests a metadata file records (the newest backup's and the previous one's); none when it is absent or unreadable.</summary>
    private static IEnumerable<string> RecordedDigests(string metadataPath)
    {
        JsonObject? json;
        try
        {
            json = File.Exists(metadataPath) ? JsonNode.Parse(File.ReadAllBytes(metadataPath)) as JsonObject : null;
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            json = null;
        }
        foreach (string key in new[] { DigestKey, PreviousDigestKey })
            if (json?[key] is JsonValue value && value.TryGetValue(out string? digest)) yield return digest;
    }

    private static Tensor ReadTensor(H5Input input, IH5Group state, string name, string path) =>
        input.Dataset(state, name) is { } dataset
            ? input.ReadTensor(dataset, $"{TrainingStreamsGroup.Name}/{name}")
            : throw new InvalidDataException($"'{path}': the training state lists the callback tensor '{TrainingStreamsGroup.Name}/{name}', which does not exist.");
}
