using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Framework.Training.Saving;
using PureHDF;

namespace Framework.Training.Persistence;

/// <summary>Keras 3's <c>.keras</c> archive: a zip of <c>metadata.json</c>, <c>config.json</c> and <c>model.weights.h5</c>
/// (members stored uncompressed, in that order, as Keras writes them), plus <c>framework_training_state.h5</c> with the
/// random streams (<see cref="TrainingStreamsGroup"/>), which Keras ignores.</summary>
internal sealed class KerasArchiveFormat : IModelFormat
{
    private const string Metadata = "metadata.json";
    private const string Config = "config.json";
    private const string Weights = "model.weights.h5";
    private const string Streams = TrainingStreamsGroup.Name + ".h5";

    /// <summary>The Keras release whose archive layout this writes.</summary>
    public const string KerasVersion = "3.10.0";

    /// <inheritdoc/>
    public string Name => "Keras 3 archive (.keras)";

    /// <inheritdoc/>
    public bool SavesTo(string path) => path.EndsWith(".keras", StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc/>
    public bool Recognizes(string path, byte[] header) => FileSignature.IsZip(header);

    /// <inheritdoc/>
    public Action PrepareSave(Model model, string path, IReadOnlyDictionary<string, string>? metadata)
    {
        KerasFiles.RequireBuilt(model, path);
        var info = new JsonObject
        {
            ["keras_version"] = KerasVersion,
            ["date_saved"] = DateTime.UtcNow.ToString("yyyy-MM-dd@HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
            ["framework_version"] = SavedModelMetadata.CurrentFrameworkVersion,
        };
        if (metadata is { Count: > 0 }) info["user_metadata"] = JsonSerializer.SerializeToNode(metadata);
        byte[] config = Encoding.UTF8.GetBytes(KerasModelConfig.ToKeras(KerasModelDocument.Tree(model, keras3: true)).ToJsonString());
        byte[] weights = H5Output.ToBytes(Keras3WeightsLayout.Build(model, snapshot: true));
        byte[] streams = H5Output.ToBytes(new H5File { [TrainingStreamsGroup.Name] = TrainingStreamsGroup.Build(model) });
        return () => H5Output.WriteAtomically(path, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            Add(zip, Metadata, Encoding.UTF8.GetBytes(info.ToJsonString()));
            Add(zip, Config, config);
            Add(zip, Weights, weights);
            Add(zip, Streams, streams);
        });
    }

    /// <inheritdoc/>
    public Model Load(string path)
    {
        using var archive = KerasArchiveReader.Open(path);
        string configPath = $"{path}!{Config}";
        var model = KerasModelDocument.Create(KerasModelDocument.Parse(Utf8(archive.Read(Config), configPath), configPath, Config), null, configPath);
        try
        {
            using var into = new WeightAssignments($"{path}!{Weights}", intoNewModel: true);
            // Open until Apply: the values are read from it only once the whole file has been checked.
            using var weights = H5Input.Open(archive.OpenSeekable(Weights), $"{path}!{Weights}");
            Keras3WeightsLayout.Read(weights, model, into);
            if (archive.Has(Streams))
            {
                using var input = H5Input.Open(archive.OpenSeekable(Streams), $"{path}!{Streams}");
                if (input.Group(input.Root, TrainingStreamsGroup.Name) is { } group)
                    into.AfterAssign(TrainingStreamsGroup.Read(input, group, TrainingStreamsGroup.Name, model));
            }
            into.Apply(strict: true, "the model its config.json describes");
        }
        catch (InvalidDataException)
        {
            archive.VerifyMembers();   // a member whose CRC-32 fails is the better explanation of a decoding error
            throw;
        }
        archive.VerifyMembers();       // the model is handed out only once every member it was read from is intact
        return model;
    }

    private static void Add(ZipArchive zip, string name, byte[] contents)
    {
        // Keras (Python's zipfile) stores members uncompressed.
        var entry = zip.CreateEntry(name, CompressionLevel.NoCompression);
        using var stream = entry.Open();
        stream.Write(contents);
    }

    private static string Utf8(byte[] bytes, string where)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException($"Model.Load: '{where}' is not UTF-8 text.", e);
        }
    }
}
