using Framework.Tensors;

namespace Framework.Serialization;

/// <summary>A copy of an object graph taken at one moment: the same edges, slot references and variable names, with every
/// variable's value copied, so that it can be written while the live objects go on changing.</summary>
/// <remarks>
/// This is what lets a save run in the background while training continues (as <c>ModelCheckpoint</c> does): writing the
/// frozen graph produces exactly the checkpoint the live graph would have produced at the moment of the copy, keys and
/// object graph included. Random generators are captured first (<see cref="TrackableRandomGenerator.CaptureState"/>),
/// as a direct save would. The copy costs the memory of the variables it holds until it is disposed (its buffers go back
/// to the tensor pool, so a capture per epoch reuses the same memory instead of allocating it again).
/// </remarks>
/// <example><code>using var frozen = FrozenGraph.Capture(model); Task.Run(() => Checkpoint.WriteObject(frozen.Root, "runs/w"));</code></example>
public sealed class FrozenGraph : IDisposable
{
    private readonly List<Variable> _copies;

    private FrozenGraph(Trackable root, List<Variable> copies) => (Root, _copies) = (root, copies);

    /// <summary>The copy of the captured root: pass it to <see cref="Checkpoint.WriteObject"/> (or name it as a child).</summary>
    public Trackable Root { get; }

    /// <summary>Copies the graph rooted at <paramref name="root"/>.</summary>
    public static FrozenGraph Capture(Trackable root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var copies = new Dictionary<Trackable, Trackable>(ReferenceEqualityComparer.Instance);
        var order = new List<Trackable>();
        var pending = new Queue<Trackable>([root]);
        // First pass: one copy per live object (shared objects stay shared), in traversal order.
        while (pending.Count > 0)
        {
            var live = pending.Dequeue();
            if (copies.ContainsKey(live)) continue;
            if (live is TrackableRandomGenerator generator) generator.CaptureState();
            copies[live] = live is Variable variable ? CopyOf(variable) : new Node();
            order.Add(live);
            foreach (var edge in live.Children) pending.Enqueue(edge.Target);
            foreach (var slot in live.SlotVariables)
            {
                pending.Enqueue(slot.Original);
                pending.Enqueue(slot.Slot);
            }
        }
        // Second pass: the edges and slot references, between copies.
        foreach (var live in order)
        {
            if (copies[live] is not Node node) continue;
            node.Edges = [.. live.Children.Select(e => new TrackedChild(e.Name, copies[e.Target]))];
            node.Slots = [.. live.SlotVariables.Select(s => new SlotVariable((Variable)copies[s.Original], s.SlotName, (Variable)copies[s.Slot]))];
        }
        return new FrozenGraph(copies[root], [.. copies.Values.OfType<Variable>()]);
    }

    /// <summary>Returns the copied values' memory to the pool; the graph must not be written afterwards.</summary>
    public void Dispose()
    {
        foreach (var copy in _copies) copy.Value.Dispose();
        _copies.Clear();
    }

    private static Variable CopyOf(Variable variable)
    {
        using var _ = Autograd.NoGrad();
        return new Variable(variable.Value, variable.Name, trainable: false);
    }

    /// <summary>A frozen object: fixed edges and slot references.</summary>
    private sealed class Node : Trackable
    {
        public TrackedChild[] Edges { get; set; } = [];

        public SlotVariable[] Slots { get; set; } = [];

        public override IReadOnlyList<TrackedChild> Children => Edges;

        public override IEnumerable<SlotVariable> SlotVariables => Slots;
    }
}
