using System.Text.Json;
using System.Text.Json.Nodes;
using Framework.Tensors;

namespace Framework.Training;

/// <summary>Where a <see cref="Model.Fit"/> run stands and what it has accumulated, beyond the weights and the optimizer:
/// everything a resumed run needs to continue exactly as the uninterrupted run would.</summary>
/// <remarks>
/// Saved as UTF-8 JSON beside the model in a <see cref="BackupAndRestore"/> checkpoint. <see cref="Step"/> is the next
/// batch to run in <see cref="Epoch"/>; the epoch's data order is drawn again from <see cref="EpochShuffleState"/>, the
/// shuffle generator's state when the epoch began, so the order need not be stored.
/// </remarks>
internal sealed class TrainingSnapshot
{
    /// <summary>The version of this layout; a reader refuses newer ones.</summary>
    public const int FormatVersion = 1;

    public required int Epoch { get; init; }

    public required int Step { get; init; }

    public required bool Stopped { get; init; }

    public required RandomState EpochShuffleState { get; init; }

    /// <summary>Each Dropout layer's mask-stream state, in the order <see cref="Model"/> finds the layers.</summary>
    public required IReadOnlyList<RandomState> DropoutStates { get; init; }

    /// <summary>Running metric states of the current epoch, by log name (<c>loss</c> included).</summary>
    public required IReadOnlyDictionary<string, double[]> Metrics { get; init; }

    /// <summary>Callback states by callback key (type name, with <c>#2</c>… for repeats).</summary>
    public required IReadOnlyDictionary<string, JsonObject> Callbacks { get; init; }

    /// <summary>Callback state tensors by callback key, then by name; saved as checkpoint tensors, listed in the JSON.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, Tensor>> CallbackTensors { get; set; } =
        new Dictionary<string, IReadOnlyDictionary<string, Tensor>>();

    /// <summary>The run's training configuration (optimizer, loss, batch size, epochs, samples), compared on resume.</summary>
    public required JsonObject Configuration { get; init; }

    /// <summary>As read back: the names of each callback's state tensors, to be read from the checkpoint.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> CallbackTensorNames { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    public byte[] ToUtf8()
    {
        var json = new JsonObject
        {
            ["format_version"] = FormatVersion,
            ["epoch"] = Epoch,
            ["step"] = Step,
            ["stopped"] = Stopped,
            ["epoch_shuffle_state"] = StateArray(EpochShuffleState),
            ["dropout_states"] = new JsonArray([.. DropoutStates.Select(StateArray)]),
            ["metrics"] = new JsonObject(Metrics.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)new JsonArray([.. m.Value.Select(StateJson.FromDouble)])))),
            ["callbacks"] = new JsonObject(Callbacks.Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value.DeepClone()))),
            ["configuration"] = Configuration.DeepClone(),
            ["callback_tensors"] = new JsonObject(CallbackTensors.Select(c => KeyValuePair.Create(c.Key, (JsonNode?)new JsonArray([.. c.Value.Keys.Select(n => JsonValue.Create(n))])))),
        };
        return JsonSerializer.SerializeToUtf8Bytes(json);
    }

    /// <exception cref="InvalidDataException">The bytes are not a snapshot this version can read; the message says what is wrong.</exception>
    public static TrainingSnapshot FromUtf8(byte[] utf8)
    {
        JsonObject json;
        try
        {
            json = JsonNode.Parse(utf8)?.AsObject() ?? throw new InvalidDataException("Training state: the JSON is null.");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new InvalidDataException($"Training state: not a JSON object ({e.Message}).", e);
        }
        long version = StateJson.RequireLong(json, "format_version");
        if (version is < 1 or > FormatVersion)
            throw new InvalidDataException($"Training state: format version {version} is not supported (this build reads 1 to {FormatVersion}).");
        try
        {
            return new TrainingSnapshot
            {
                Epoch = (int)StateJson.RequireLong(json, "epoch"),
                Step = (int)StateJson.RequireLong(json, "step"),
                Stopped = StateJson.Require(json, "stopped").GetValue<bool>(),
                EpochShuffleState = ReadState(StateJson.Require(json, "epoch_shuffle_state")),
                DropoutStates = [.. StateJson.Require(json, "dropout_states").AsArray().Select(ReadState)],
                Metrics = StateJson.Require(json, "metrics").AsObject().ToDictionary(p => p.Key, p => p.Value!.AsArray().Select(StateJson.ToDouble).ToArray()),
                Callbacks = StateJson.Require(json, "callbacks").AsObject().ToDictionary(p => p.Key, p => p.Value!.AsObject()),
                Configuration = StateJson.Require(json, "configuration").AsObject(),
                CallbackTensorNames = json["callback_tensors"] is JsonObject names
                    ? names.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)[.. p.Value!.AsArray().Select(n => n!.GetValue<string>())])
                    : [],
            };
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or NullReferenceException)
        {
            throw new InvalidDataException($"Training state: a value has the wrong type ({e.Message}).", e);
        }
    }

    // As decimal strings: JSON readers that hold numbers as doubles would round 64-bit words.
    private static JsonNode StateArray(RandomState state) => new JsonArray([.. state.ToArray().Select(v => JsonValue.Create(v.ToString(System.Globalization.CultureInfo.InvariantCulture)))]);

    private static RandomState ReadState(JsonNode? node) =>
        RandomState.FromArray([.. node!.AsArray().Select(v => long.Parse(v!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture))]);
}
