using System.Text.Json;
using System.Text.Json.Nodes;

namespace Framework.Training;

/// <summary>What must stay the same for a backed-up run to be resumed: optimizer, loss, batch size, epochs and data size.</summary>
internal static class TrainingConfiguration
{
    private static readonly string[] s_paramKeys = ["batch_size", "epochs", "samples", "steps"];

    /// <summary>The configuration of the run <paramref name="model"/> is starting, as it is before any callback changes it.</summary>
    public static JsonObject Describe(Model model, IReadOnlyDictionary<string, int> parameters)
    {
        var description = new JsonObject
        {
            ["optimizer"] = Envelope(model.Optimizer!.GetType().Name, WithoutConstantRate(model.Optimizer.GetConfig())),
            ["loss"] = Envelope(model.Loss!.GetType().Name, model.Loss.GetConfig()),
        };
        foreach (string key in s_paramKeys)
        {
            if (parameters.TryGetValue(key, out int value)) description[key] = value;
        }
        return description;
    }

    /// <summary>The differences between the backed-up run's configuration and this run's, one readable line each.</summary>
    public static List<string> Differences(JsonObject saved, JsonObject current)
    {
        var lines = new List<string>();
        foreach (string key in saved.Select(p => p.Key).Union(current.Select(p => p.Key)))
        {
            string before = saved[key]?.ToJsonString() ?? "(absent)";
            string now = current[key]?.ToJsonString() ?? "(absent)";
            if (before != now) lines.Add($"{key}: backed up {before}, now {now}");
        }
        return lines;
    }

    /// <summary>The optimizer's configuration without a constant learning rate: callbacks change that rate during training
    /// (ReduceLROnPlateau, LearningRateScheduler), the backup restores it, and a retry in the same process starts from the
    /// changed value. A schedule is configuration and stays.</summary>
    private static Dictionary<string, object?> WithoutConstantRate(Dictionary<string, object?> config)
    {
        if (config.TryGetValue("learning_rate", out var rate) && rate is double or float) config.Remove("learning_rate");
        return config;
    }

    private static JsonObject Envelope(string className, Dictionary<string, object?> config) => new()
    {
        ["class_name"] = className,
        ["config"] = JsonSerializer.SerializeToNode(config),
    };
}
