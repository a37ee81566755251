using Framework.Optimizers;
using Framework.Tensors;

namespace Framework.Training.Persistence;

/// <summary>The order in which Keras lists an optimizer's state, which its files rely on (values are matched by position).</summary>
/// <remarks>
/// <para><b>Keras 2</b> (tf.keras OptimizerV2, <c>optimizer.weights</c>): the iteration counter, then one slot kind after the
/// other for every trainable variable: Adam's all <c>m</c>, then all <c>v</c> (then all <c>vhat</c> with amsgrad); RMSprop's
/// <c>rms</c>, <c>momentum</c>, <c>mg</c>; SGD's <c>momentum</c>. That is the order the optimizer here creates its slots in.</para>
/// <para><b>Keras 3</b> (<c>optimizer.variables</c>): the iteration counter, the learning rate, then Adam's <c>momentum</c> and
/// <c>velocity</c> interleaved per variable (then every <c>velocity_hat</c>); RMSprop's <c>velocity</c>, <c>momentum</c>,
/// <c>average_gradient</c> one kind after the other; SGD's <c>momentum</c>.</para>
/// </remarks>
internal static class KerasOptimizerOrder
{
    // Keras 3 builds Adam's two moments in one call, per variable; every other slot kind is a list of its own.
    private static readonly string[][] s_keras3Groups =
    [
        [OptimizerNames.FirstMoment, OptimizerNames.SecondMoment], [OptimizerNames.MaxSecondMoment],
        [OptimizerNames.Rms], [OptimizerNames.Momentum], [OptimizerNames.Mg],
    ];

    /// <summary>The slot variables in Keras 2's order (empty while the optimizer has no slots).</summary>
    public static IReadOnlyList<(Variable Original, string Name, Variable Slot)> Keras2Slots(Optimizer optimizer, IReadOnlyList<Variable> trainable)
    {
        var slots = optimizer.SlotVariables.ToList();
        var names = slots.Select(s => s.SlotName).Distinct().ToList();
        var result = new List<(Variable, string, Variable)>();
        foreach (string name in names)
        {
            foreach (var variable in trainable)
            {
                var slot = slots.FirstOrDefault(s => s.SlotName == name && ReferenceEquals(s.Original, variable));
                if (slot.Slot is not null) result.Add((variable, name, slot.Slot));
            }
        }
        return result;
    }

    /// <summary>The slot variables in Keras 3's order.</summary>
    public static IReadOnlyList<(Variable Original, string Name, Variable Slot)> Keras3Slots(Optimizer optimizer, IReadOnlyList<Variable> trainable)
    {
        var slots = optimizer.SlotVariables.ToList();
        var present = slots.Select(s => s.SlotName).ToHashSet(StringComparer.Ordinal);
        var result = new List<(Variable, string, Variable)>();
        // A slot kind Keras does not know (a custom optimizer's) follows as a list of its own, in the order it was created.
        var known = s_keras3Groups.SelectMany(g => g).ToHashSet(StringComparer.Ordinal);
        var custom = slots.Select(s => s.SlotName).Distinct().Where(n => !known.Contains(n)).Select(n => new[] { n });
        foreach (var group in s_keras3Groups.Select(g => g.Where(present.Contains).ToArray()).Where(g => g.Length > 0).Concat(custom))
        {
            foreach (var variable in trainable)
            {
                foreach (string name in group)
                {
                    var slot = slots.FirstOrDefault(s => s.SlotName == name && ReferenceEquals(s.Original, variable));
                    if (slot.Slot is not null) result.Add((variable, name, slot.Slot));
                }
            }
        }
        return result;
    }
}
