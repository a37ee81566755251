using Framework.Serialization.Protos;
using Framework.Tensors;

namespace Framework.Serialization;

/// <summary>One object of a live object graph, with the node id, path and key TensorFlow would give it.</summary>
/// <param name="Id">The node id (breadth-first order, then slot variables).</param>
/// <param name="Object">The live object.</param>
/// <param name="Path">The escaped path from the root (empty for the root).</param>
internal sealed record LiveNode(int Id, Trackable Object, string Path)
{
    /// <summary>The named edges, as (local name, node id).</summary>
    public List<(string Name, int Id)> Children { get; } = [];

    /// <summary>The slot references of an optimizer node, as (original node, slot name, slot node).</summary>
    public List<(int Original, string SlotName, int Slot)> Slots { get; } = [];

    /// <summary>The bundle key of the value, for a variable node; otherwise null.</summary>
    public string? ValueKey => Object is Variable ? CheckpointKey.ForVariable(Path) : null;
}

/// <summary>Walks a live object graph breadth-first and describes it as TensorFlow's <c>TrackableObjectGraph</c> (spec 3.2, 3.3).</summary>
/// <remarks>
/// Node ids follow the breadth-first order of <see cref="Trackable.Children"/> from the root; an object reachable by
/// several edges is one node, named by the first path. Slot variables come after all traversed nodes: for each
/// optimizer node, for each slot name in the order the optimizer declared them, for each original variable in node
/// order (what TensorFlow's saver does). Only slots of variables that are in the graph are included.
/// </remarks>
internal static class ObjectGraphBuilder
{
    /// <summary>The nodes of the graph rooted at <paramref name="root"/>, indexed by id.</summary>
    public static List<LiveNode> Build(Trackable root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var nodes = new List<LiveNode> { new(0, root, "") };
        var ids = new Dictionary<Trackable, int>(ReferenceEqualityComparer.Instance) { [root] = 0 };
        for (int i = 0; i < nodes.Count; i++)
        {
            var node = nodes[i];
            foreach (var edge in node.Object.Children)
            {
                if (!ids.TryGetValue(edge.Target, out int id))
                {
                    id = nodes.Count;
                    ids[edge.Target] = id;
                    string escaped = CheckpointKey.EscapeLocalName(edge.Name);
                    nodes.Add(new LiveNode(id, edge.Target, node.Path.Length == 0 ? escaped : $"{node.Path}{CheckpointKey.Separator}{escaped}"));
                }
                node.Children.Add((edge.Name, id));
            }
        }
        int traversed = nodes.Count;
        for (int i = 0; i < traversed; i++)
        {
            var optimizer = nodes[i];
            var slots = optimizer.Object.SlotVariables.Where(s => ids.ContainsKey(s.Original)).ToList();
            foreach (string slotName in slots.Select(s => s.SlotName).Distinct(StringComparer.Ordinal).ToList())
            {
                foreach (var slot in slots.Where(s => s.SlotName == slotName).OrderBy(s => ids[s.Original]))
                {
                    int original = ids[slot.Original];
                    if (!ids.TryGetValue(slot.Slot, out int slotId))
                    {
                        slotId = nodes.Count;
                        ids[slot.Slot] = slotId;
                        nodes.Add(new LiveNode(slotId, slot.Slot, CheckpointKey.SlotPath(nodes[original].Path, optimizer.Path, slotName)));
                    }
                    optimizer.Slots.Add((original, slotName, slotId));
                }
            }
        }
        return nodes;
    }

    /// <summary>The <c>TrackableObjectGraph</c> message for <paramref name="nodes"/>, with <c>has_checkpoint_values</c> on every node.</summary>
    public static TrackableObjectGraph ToProto(IReadOnlyList<LiveNode> nodes)
    {
        var hasValues = new bool[nodes.Count];
        for (int i = 0; i < nodes.Count; i++)
            hasValues[i] = nodes[i].Object is Variable || nodes[i].Slots.Count > 0;
        // Propagate "has values" from children to parents until nothing changes (the graph may share nodes).
        for (bool changed = true; changed;)
        {
            changed = false;
            for (int i = nodes.Count - 1; i >= 0; i--)
            {
                if (!hasValues[i] && nodes[i].Children.Any(c => hasValues[c.Id]))
                    changed = hasValues[i] = true;
            }
        }
        var graph = new TrackableObjectGraph();
        foreach (var node in nodes)
        {
            var proto = new TrackableObjectGraph.Types.TrackableObject { HasCheckpointValues = hasValues[node.Id] };
            foreach (var (name, id) in node.Children)
                proto.Children.Add(new TrackableObjectGraph.Types.TrackableObject.Types.ObjectReference { NodeId = id, LocalName = name });
            if (node.Object is Variable variable)
            {
                proto.Attributes.Add(new TrackableObjectGraph.Types.TrackableObject.Types.SerializedTensor
                {
                    Name = CheckpointKey.VariableValue,
                    FullName = variable.Name,
                    CheckpointKey = node.ValueKey,
                });
            }
            foreach (var (original, slotName, slot) in node.Slots)
            {
                proto.SlotVariables.Add(new TrackableObjectGraph.Types.TrackableObject.Types.SlotVariableReference
                {
                    OriginalVariableNodeId = original,
                    SlotName = slotName,
                    SlotVariableNodeId = slot,
                });
            }
            graph.Nodes.Add(proto);
        }
        return graph;
    }
}
