using Framework.Optimizers;
using Framework.Tensors;

namespace Framework.Training.Persistence;

/// <summary>An optimizer's state as the flat, positional list Keras files hold, written and read in Keras 2's or Keras 3's order.</summary>
/// <remarks>See <see cref="KerasOptimizerOrder"/> for the two orders. Keras's loaders assign this list by position
/// (<c>optimizer.set_weights</c>, <c>vars/N</c>), so names are informative only and reading matches by position and shape.</remarks>
internal static class KerasOptimizerState
{
    /// <summary>Keras 2's <c>optimizer_weights</c>: <c>Adam/iter:0</c>, then <c>Adam/dense/kernel/m:0</c>… (tf.keras OptimizerV2 names:
    /// the slot is created under the optimizer's scope, named after its variable's tf.keras name, <paramref name="weightNames"/>).</summary>
    public static IReadOnlyList<(string Name, Tensor Value)> Keras2(Optimizer optimizer, string className, IReadOnlyList<Variable> trainable,
        IReadOnlyDictionary<Variable, string> weightNames) =>
    [
        ($"{className}/iter:0", optimizer.Iterations.Value),
        .. KerasOptimizerOrder.Keras2Slots(optimizer, trainable).Select(s =>
            ($"{className}/{weightNames.GetValueOrDefault(s.Original, s.Original.Name)}/{s.Name}:0", s.Slot.Value)),
    ];

    /// <summary>Keras 3's <c>optimizer/vars</c>: the iteration counter, the learning rate (float32 scalar), then the slots.</summary>
    public static IReadOnlyList<Tensor> Keras3(Optimizer optimizer, IReadOnlyList<Variable> trainable) =>
    [
        optimizer.Iterations.Value,
        Tensor.Scalar((float)optimizer.LearningRate),
        .. KerasOptimizerOrder.Keras3Slots(optimizer, trainable).Select(s => s.Slot.Value),
    ];

    /// <summary>Pairs the saved list with <paramref name="model"/>'s optimizer (creating its slots when the file has some).</summary>
    /// <param name="into">Receives the pairs.</param>
    /// <param name="model">A built, compiled model.</param>
    /// <param name="saved">The saved values in file order (only the scalars are read here; the slots when assigned).</param>
    /// <param name="keras3">Whether the list is in Keras 3's order (with a learning rate second when the file has one).</param>
    public static void Match(WeightAssignments into, Model model, IReadOnlyList<SavedValue> saved, bool keras3)
    {
        if (saved.Count == 0) return;
        // Keras's load_weights also ignores optimizer state when the model has no optimizer.
        if (model.Optimizer is not { } optimizer) return;
        var iteration = saved[0];
        if (iteration.DType == DType.Int64) into.Match(optimizer.Iterations, iteration);
        else into.Match(iteration.Key, optimizer.Iterations, AsInt64(iteration.Read()));
        int next = 1;
        if (keras3 && saved.Count > 1 && saved[1].Shape.Rank == 0)
        {
            using var rate = saved[1].Read();
            using var rate64 = rate.Cast(DType.Float64);
            double value = rate64.ToArray<double>()[0];
            // Only a rate that differs as a float32 replaces the optimizer's: the file keeps float32, and the optimizer's own
            // double (Adam(0.01)) stays exact, as when a TensorFlow checkpoint restores the same float (Optimizer.ConstantRate).
            if (optimizer.Schedule is null && double.IsFinite(value) && value > 0)
                into.AfterAssign(() => { if ((float)value != (float)optimizer.LearningRate) optimizer.LearningRate = value; });
            next = 2;
        }
        if (next == saved.Count) return;
        var trainable = model.TrainableWeights;
        optimizer.BuildFor(trainable);
        var slots = keras3 ? KerasOptimizerOrder.Keras3Slots(optimizer, trainable) : KerasOptimizerOrder.Keras2Slots(optimizer, trainable);
        int rest = saved.Count - next;
        // Keras <= 2.2 appended one shape-[1] placeholder per variable for amsgrad's vhat even when amsgrad was off, and its
        // SGD kept one moment per variable even without momentum (then never read: the next update ignores it).
        bool placeholders = (rest == slots.Count + trainable.Count && saved.Skip(next + slots.Count).All(s => s.Shape == new Shape(1)))
            || (slots.Count == 0 && rest == trainable.Count && saved.Skip(next).Select(s => s.Shape).SequenceEqual(trainable.Select(v => v.Shape)));
        for (int i = 0; i < Math.Max(rest, slots.Count); i++)
        {
            if (i < rest && i < slots.Count) into.Match(slots[i].Slot, saved[next + i]);
            else if (i < slots.Count) into.Missing($"optimizer slot {slots[i].Name} of {slots[i].Original.Name}", slots[i].Slot);
            else if (!placeholders) into.Unexpected(saved[next + i].Key, saved[next + i].Shape, saved[next + i].DType);
        }
    }

    private static Tensor AsInt64(Tensor value)
    {
        if (value.DType == DType.Int64) return value;
        var cast = value.Cast(DType.Int64);
        value.Dispose();
        return cast;
    }
}
