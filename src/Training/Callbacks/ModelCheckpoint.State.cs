using System.Globalization;
using System.Text.Json.Nodes;

namespace Framework.Training;

public sealed partial class ModelCheckpoint
{
    /// <inheritdoc/>
    /// <remarks>Includes the file path template, so each of several checkpoints resumes with its own state.</remarks>
    public override string StateKey => $"{nameof(ModelCheckpoint)}({Filepath})";

    /// <summary>The callback's state: best value, batch counter, unused validation values, and the files it keeps with their values.</summary>
    /// <remarks>Infinite and NaN values are stored as the strings <c>"Infinity"</c>, <c>"-Infinity"</c>, <c>"NaN"</c>, which JSON numbers cannot hold.</remarks>
    public override JsonObject? GetState()
    {
        // The state names files as saved: they must be on disk before it can be recorded (a backup right after a save point).
        Flush();
        var saved = new JsonArray();
        foreach (var entry in _saved) saved.Add(ToJson(entry));
        var pending = new JsonObject();
        foreach (var (key, value) in _pendingValidation ?? []) pending[key] = ToJson(value);
        return new JsonObject
        {
            ["best"] = ToJson(Best),
            ["epoch"] = _currentEpoch,
            ["batches_since_last_save"] = _batchesSinceSave,
            ["save_count"] = _saveCount,
            ["pending_validation"] = _pendingValidation is null ? null : pending,
            ["saved"] = saved,
            ["last"] = _last is null ? null : ToJson(_last),
        };
    }

    /// <summary>Takes back a state from <see cref="GetState"/>, so the resumed run saves exactly as the uninterrupted one would.</summary>
    /// <exception cref="ArgumentException">The state is not one <see cref="GetState"/> wrote; the message names the field.</exception>
    public override void SetState(JsonObject state)
    {
        ArgumentNullException.ThrowIfNull(state);
        try
        {
            Best = state["best"] is { } best ? FromJson(best) : _initialBest;
            _currentEpoch = (int?)state["epoch"] ?? 0;
            _batchesSinceSave = (int?)state["batches_since_last_save"] ?? 0;
            _saveCount = (long?)state["save_count"] ?? 0;
            _pendingValidation = null;
            if (state["pending_validation"] is JsonObject pending)
            {
                _pendingValidation = [];
                foreach (var (key, value) in pending) _pendingValidation[key] = FromJson(value!);
            }
            _saved.Clear();
            foreach (var node in state["saved"]?.AsArray() ?? []) _saved.Add(EntryFromJson(node!.AsObject()));
            _last = state["last"] is JsonObject last ? EntryFromJson(last) : null;
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or NullReferenceException)
        {
            throw new ArgumentException($"ModelCheckpoint: the state is not one ModelCheckpoint.GetState wrote ({e.Message}): {state.ToJsonString()}", nameof(state), e);
        }
    }

    private static JsonObject ToJson(ModelCheckpointEntry entry) => new()
    {
        ["path"] = entry.Path,
        ["value"] = entry.Value is { } v ? ToJson(v) : null,
        ["sequence"] = entry.Sequence,
    };

    private static ModelCheckpointEntry EntryFromJson(JsonObject o) =>
        new((string?)o["path"] ?? throw new FormatException("an entry has no 'path'"), o["value"] is { } v ? FromJson(v) : null, (long?)o["sequence"] ?? 0);

    private static JsonNode ToJson(double value) =>
        double.IsFinite(value) ? JsonValue.Create(value) : JsonValue.Create(value.ToString(CultureInfo.InvariantCulture));

    private static double FromJson(JsonNode node) =>
        node.GetValueKind() == System.Text.Json.JsonValueKind.String ? double.Parse((string)node!, CultureInfo.InvariantCulture) : (double)node;
}
