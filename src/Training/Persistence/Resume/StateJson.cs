using System.Text.Json.Nodes;

namespace Framework.Training;

/// <summary>Encodes training-state values as JSON exactly: doubles, including infinities and NaN.</summary>
/// <remarks>JSON numbers cannot hold ±∞ or NaN, which a "best so far" starts as, so those go as the strings
/// <c>"Infinity"</c>, <c>"-Infinity"</c> and <c>"NaN"</c>; finite doubles go as round-trip numbers. Large state (a copy
/// of the weights) is not JSON at all: see <see cref="Callback.GetStateTensors"/>.</remarks>
public static class StateJson
{
    /// <summary>A JSON value for <paramref name="value"/> that <see cref="ToDouble"/> reads back bit-exactly.</summary>
    public static JsonNode FromDouble(double value) =>
        double.IsFinite(value) ? JsonValue.Create(value)
        : JsonValue.Create(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");

    /// <summary>Reads a value written by <see cref="FromDouble"/>.</summary>
    /// <exception cref="InvalidDataException">The node is neither a number nor one of the named non-finite values.</exception>
    public static double ToDouble(JsonNode? node)
    {
        if (node is JsonValue value)
        {
            if (value.TryGetValue(out double number)) return number;
            if (value.TryGetValue(out string? text))
            {
                switch (text)
                {
                    case "Infinity": return double.PositiveInfinity;
                    case "-Infinity": return double.NegativeInfinity;
                    case "NaN": return double.NaN;
                }
            }
        }
        throw new InvalidDataException($"Training state: expected a number, \"Infinity\", \"-Infinity\" or \"NaN\"; found {node?.ToJsonString() ?? "nothing"}.");
    }

    /// <summary>Reads a required property of a state object.</summary>
    /// <exception cref="InvalidDataException">The property is missing; the message names it.</exception>
    public static JsonNode Require(JsonObject state, string key)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state[key] ?? throw new InvalidDataException($"Training state: the property '{key}' is missing (found: {string.Join(", ", state.Select(p => p.Key))}).");
    }

    /// <summary>Reads a required integer property.</summary>
    /// <exception cref="InvalidDataException">It is missing or not an integer.</exception>
    public static long RequireLong(JsonObject state, string key)
    {
        var node = Require(state, key);
        return node is JsonValue v && v.TryGetValue(out long value) ? value
            : throw new InvalidDataException($"Training state: '{key}' must be an integer; found {node.ToJsonString()}.");
    }
}
