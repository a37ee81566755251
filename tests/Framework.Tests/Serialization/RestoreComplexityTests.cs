using Framework.Serialization;
using Framework.Tensors;

namespace Framework.Tests.Serialization;

/// <summary>Restoring stays linear in the size of the object graph: the restorer asks an object for its children once, and an
/// optimizer for its slots once, however many there are (asking per saved edge or per created slot made Model.Load quadratic).</summary>
public class RestoreComplexityTests
{
    private const int Count = 500;

    /// <summary>Many children, built on each call like Sequential's; counts the calls.</summary>
    private sealed class WideRoot : Trackable
    {
        private readonly Variable[] _variables = [.. Enumerable.Range(0, Count).Select(i => new Variable(Tensor.Scalar((float)i), $"v{i}"))];

        public int ChildrenCalls { get; private set; }

        public WideOptimizer Optimizer { get; } = new();

        public Variable this[int i] => _variables[i];

        public override IReadOnlyList<TrackedChild> Children
        {
            get
            {
                ChildrenCalls++;
                return [.. _variables.Select((v, i) => new TrackedChild($"v-{i}", v)), new TrackedChild("optimizer", Optimizer)];
            }
        }
    }

    /// <summary>An optimizer-like object whose slots are created one by one, raising <see cref="Trackable.SlotTracked"/>.</summary>
    private sealed class WideOptimizer : Trackable
    {
        private readonly List<SlotVariable> _slots = [];

        public int SlotEnumerations { get; private set; }

        public override IEnumerable<SlotVariable> SlotVariables
        {
            get
            {
                SlotEnumerations++;
                return [.. _slots];
            }
        }

        public void AddSlot(Variable original, float value)
        {
            var slot = new SlotVariable(original, "m", new Variable(Tensor.Scalar(value), $"{original.Name}/m"));
            _slots.Add(slot);
            OnSlotTracked(slot);
        }
    }

    [Test]
    public void Restore_ManyChildren_AsksForTheChildrenOnce()
    {
        using var dir = new TempDirectory();
        Checkpoint.WriteObject(new WideRoot(), dir.File("ckpt"));
        var target = new WideRoot();
        Checkpoint.MatchObject(target, dir.File("ckpt")).AssignMatched();
        Assert.That(target[Count - 1].Value.Item<float>(), Is.EqualTo(Count - 1));
        Assert.That(target.ChildrenCalls, Is.LessThanOrEqualTo(3), "the restorer searched the children once per saved edge");
    }

    [Test]
    public void Restore_SlotsCreatedAfterMatching_EnumeratesTheSlotsOnce()
    {
        using var dir = new TempDirectory();
        var saved = new WideRoot();
        for (int i = 0; i < Count; i++) saved.Optimizer.AddSlot(saved[i], 1000 + i);
        Checkpoint.WriteObject(saved, dir.File("ckpt"));
        var target = new WideRoot();
        var status = Checkpoint.MatchObject(target, dir.File("ckpt"));
        // As Model.Load does: the slots are created after matching, before assignment.
        for (int i = 0; i < Count; i++) target.Optimizer.AddSlot(target[i], 0);
        status.AssignMatched();
        Assert.That(target.Optimizer.SlotVariables.Last().Slot.Value.Item<float>(), Is.EqualTo(1000 + Count - 1));
        Assert.That(target.Optimizer.SlotEnumerations, Is.LessThanOrEqualTo(4), "the restorer searched the slots once per created slot");
    }
}
