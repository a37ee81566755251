using System.Text.Json.Nodes;

namespace Framework.Training;

/// <summary>Records every epoch's logs; <see cref="Model.Fit"/> returns it.</summary>
public sealed class History : Callback
{
    /// <summary>The epochs that ran (0-based), in order.</summary>
    public List<int> Epochs { get; } = [];

    /// <summary>Per key (<c>loss</c>, <c>val_accuracy</c>…), the value at each recorded epoch.</summary>
    public Dictionary<string, List<double>> Values { get; } = [];

    /// <summary>The values recorded for <paramref name="key"/>.</summary>
    /// <exception cref="KeyNotFoundException">Nothing was recorded under that key; the message lists the recorded keys.</exception>
    public IReadOnlyList<double> this[string key] => Values.TryGetValue(key, out var list)
        ? list
        : throw new KeyNotFoundException($"History has no '{key}'; recorded keys: {string.Join(", ", Values.Keys)}.");

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, Logs logs)
    {
        Epochs.Add(epoch);
        foreach (var (key, value) in logs)
        {
            if (!Values.TryGetValue(key, out var list)) Values[key] = list = [];
            list.Add(value);
        }
    }

    /// <inheritdoc/>
    /// <remarks>Everything recorded, so a resumed run's history holds the epochs before the interruption too.</remarks>
    public override JsonObject GetState()
    {
        var values = new JsonObject();
        foreach (var (key, list) in Values) values[key] = new JsonArray([.. list.Select(StateJson.FromDouble)]);
        return new JsonObject { ["epochs"] = new JsonArray([.. Epochs.Select(e => JsonValue.Create(e))]), ["values"] = values };
    }

    /// <inheritdoc/>
    public override void SetState(JsonObject state)
    {
        ArgumentNullException.ThrowIfNull(state);
        Epochs.Clear();
        Values.Clear();
        Epochs.AddRange(StateJson.Require(state, "epochs").AsArray().Select(e => e!.GetValue<int>()));
        foreach (var (key, list) in StateJson.Require(state, "values").AsObject())
            Values[key] = [.. list!.AsArray().Select(StateJson.ToDouble)];
    }
}
