namespace Framework.Tensors;

/// <summary>A node of the object graph that checkpoints save: named edges to child objects and variables.</summary>
/// <remarks>
/// <para>
/// State is registered explicitly when it is created (<c>AddWeight</c>, <c>Track</c>, <c>AddSlot</c>), never found
/// by reflection: reflection breaks under trimming and would turn private field names into file keys. The edge
/// names are the local names of TensorFlow's object graph (<c>kernel</c>, <c>layer_with_weights-0</c>,
/// <c>optimizer</c>), so a checkpoint's keys follow from the path of names from the root.
/// </para>
/// <para>
/// A <see cref="Variable"/> is itself a trackable leaf whose value is saved. Containers whose edges depend on
/// their contents (a <c>Sequential</c> numbering only the layers that have weights) override <see cref="Children"/>.
/// </para>
/// </remarks>
public abstract class Trackable
{
    private readonly List<TrackedChild> _children = [];

    /// <summary>The named edges to child objects, in registration order.</summary>
    public virtual IReadOnlyList<TrackedChild> Children => _children;

    /// <summary>Slot variables this object owns for other variables (an optimizer's <c>m</c> and <c>v</c>).</summary>
    /// <remarks>TensorFlow saves these as slot references, not as children, so they are listed separately.</remarks>
    public virtual IEnumerable<SlotVariable> SlotVariables => [];

    /// <summary>Raised after a child is registered; deferred restoration listens to assign saved values on creation.</summary>
    public event Action<Trackable, TrackedChild>? ChildTracked;

    /// <summary>Registers <paramref name="child"/> under <paramref name="name"/> and returns it.</summary>
    /// <exception cref="ArgumentException">The name is empty or already used by another child of this object.</exception>
    protected internal TChild Track<TChild>(string name, TChild child) where TChild : Trackable
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(child);
        foreach (var existing in _children)
        {
            if (existing.Name == name)
            {
                if (ReferenceEquals(existing.Target, child)) return child;
                throw new ArgumentException($"{GetType().Name} already tracks a child named '{name}'; each child needs its own name.", nameof(name));
            }
        }
        var edge = new TrackedChild(name, child);
        _children.Add(edge);
        ChildTracked?.Invoke(this, edge);
        return child;
    }

    /// <summary>Raised after a slot variable is created; deferred restoration listens to assign saved slot values.</summary>
    /// <remarks>An optimizer creates its slots lazily on its first update, after a checkpoint may have been restored.</remarks>
    public event Action<Trackable, SlotVariable>? SlotTracked;

    /// <summary>Raises <see cref="ChildTracked"/> for an edge that a container computes rather than registers.</summary>
    /// <remarks>A container whose edges appear when it is built (a <c>Sequential</c> numbering its layers with weights)
    /// calls this for each edge after building, so a checkpoint restored before the build reaches the new edges.</remarks>
    protected void OnChildTracked(TrackedChild child) => ChildTracked?.Invoke(this, child);

    /// <summary>Raises <see cref="SlotTracked"/>; an optimizer calls it for each slot it creates.</summary>
    protected void OnSlotTracked(SlotVariable slot) => SlotTracked?.Invoke(this, slot);
}

/// <summary>A named edge of the object graph.</summary>
/// <param name="Name">The local name, as written into the checkpoint (for example <c>kernel</c>).</param>
/// <param name="Target">The child object or variable.</param>
public readonly record struct TrackedChild(string Name, Trackable Target);

/// <summary>A slot variable: per-variable state an optimizer keeps, such as Adam's first moment <c>m</c>.</summary>
/// <param name="Original">The variable the slot belongs to.</param>
/// <param name="SlotName">The slot's name as TensorFlow writes it (<c>m</c>, <c>v</c>, <c>momentum</c>...).</param>
/// <param name="Slot">The variable holding the slot's value.</param>
public readonly record struct SlotVariable(Variable Original, string SlotName, Variable Slot);
