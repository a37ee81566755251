using System.Text.Json.Nodes;

namespace Framework.Tests.Serialization;

/// <summary>Random semantic mutations of a JSON document: one value replaced by a hostile one, a property removed, or an array
/// element duplicated; byte-level damage is <see cref="Mutator"/>'s.</summary>
internal static class JsonMutator
{
    private static readonly Func<JsonNode?>[] s_hostile =
    [
        () => 0, () => -1, () => 1, () => 2147483647, () => 4294967296L, () => -2147483648, () => 65536, () => 1.5, () => 1e308,
        () => null, () => true, () => false, () => "", () => "x", () => "Dense", () => "\u0000", () => new string('n', 70_000),
        () => new JsonArray(), () => new JsonObject(), () => new JsonArray((JsonNode?)null), () => new JsonArray(1, 2, 3),
    ];

    public static string Mutate(string json, Random random)
    {
        var root = JsonNode.Parse(json)!;
        var nodes = new List<JsonNode>();
        Collect(root, nodes);
        var target = nodes[random.Next(nodes.Count)];
        switch (random.Next(5))
        {
            case 0 when target.Parent is JsonObject parent:
                parent.Remove(target.GetPropertyName());
                break;
            case 1 when target.Parent is JsonArray array:
                array.Insert(target.GetElementIndex(), target.DeepClone());
                break;
            default:
                Replace(target, s_hostile[random.Next(s_hostile.Length)]());
                break;
        }
        return root.ToJsonString();
    }

    private static void Replace(JsonNode target, JsonNode? value)
    {
        switch (target.Parent)
        {
            case JsonObject parent:
                parent[target.GetPropertyName()] = value;
                break;
            case JsonArray array:
                array[target.GetElementIndex()] = value;
                break;
        }
    }

    private static void Collect(JsonNode node, List<JsonNode> nodes)
    {
        if (node.Parent is not null) nodes.Add(node);
        if (node is JsonObject obj)
        {
            foreach (var (_, child) in obj)
            {
                if (child is not null) Collect(child, nodes);
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var child in array)
            {
                if (child is not null) Collect(child, nodes);
            }
        }
    }
}
