using Framework.Optimizers;
using Framework.Serialization;
using Framework.Tensors;

namespace Framework.Training;

/// <summary>Reads optimizer state written by Keras's newer optimizers (TF 2.11+, Keras 3) into a slot-based optimizer.</summary>
/// <remarks>
/// Those optimizers keep no slot variables: their node has <c>_iterations</c>, <c>_learning_rate</c> and a list
/// <c>_variables</c> whose entry 0 is the iteration counter and then, for each trainable variable in the model's order,
/// one entry per slot (Adam: <c>m</c> then <c>v</c>, so N = 1 + 2i is m of variable i and N = 2 + 2i its v). The list
/// refers to variables by position, which only the model knows, so the mapping lives here where models and optimizers meet.
/// These names are part of the Keras file format.
/// </remarks>
/// <example>
/// <code>
/// var status = new Checkpoint(("net", model), ("step", step)).Restore("tf_ckpts/ckpt-19");
/// KerasOptimizerLayout.Restore(status, model);   // net/optimizer/_variables/N → Adam's m and v slots
/// </code>
/// </example>
public static class KerasOptimizerLayout
{
    /// <summary>The iteration counter's local name in the newer layout.</summary>
    public const string IterationsName = "_iterations";

    /// <summary>The learning rate's local name in the newer layout.</summary>
    public const string LearningRateName = "_learning_rate";

    /// <summary>The local name of the flat list of optimizer variables.</summary>
    public const string VariablesName = "_variables";

    /// <summary>After a restore into <paramref name="model"/> (directly or inside a <c>Checkpoint</c>), restores its compiled
    /// optimizer's state from the newer layout, if the checkpoint has it; builds the optimizer's slots when the model is built.</summary>
    /// <returns>Whether the checkpoint's node for the optimizer uses the newer layout.</returns>
    public static bool Restore(CheckpointLoadStatus status, Model model)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(model);
        return Restore(status, model, model.IsBuilt ? model.TrainableWeights : null);
    }

    /// <summary>As <see cref="Restore(CheckpointLoadStatus, Model)"/>, with the trainable variables given (null while unbuilt).</summary>
    internal static bool Restore(CheckpointLoadStatus status, Model model, IReadOnlyList<Variable>? trainable)
    {
        if (model.Optimizer is not { } optimizer || status.SavedValueKey(optimizer, IterationsName) is null) return false;
        if (trainable is not null) optimizer.BuildFor(trainable);
        Match(status, optimizer, trainable);
        return true;
    }

    /// <summary>Matches the newer layout's values to <paramref name="optimizer"/>'s counter, learning rate and (given the trainable variables) slots.</summary>
    internal static void Match(CheckpointLoadStatus status, Optimizer optimizer, IReadOnlyList<Variable>? trainable)
    {
        if (status.SavedValueKey(optimizer, IterationsName) is { } iterations)
            status.MatchSavedValue(iterations, optimizer.Iterations);
        if (status.SavedValueKey(optimizer, LearningRateName) is { } learningRate
            && optimizer.Children.FirstOrDefault(c => c.Name == OptimizerNames.LearningRate).Target is Variable rate)
            status.MatchSavedValue(learningRate, rate);
        if (trainable is null || trainable.Count == 0) return;
        var slots = optimizer.SlotVariables.ToList();
        string[] slotNames = [.. slots.Where(s => ReferenceEquals(s.Original, trainable[0])).Select(s => s.SlotName)];
        for (int i = 0; i < trainable.Count; i++)
        {
            for (int j = 0; j < slotNames.Length; j++)
            {
                int n = 1 + i * slotNames.Length + j;
                if (status.SavedValueKey(optimizer, VariablesName, n.ToString(System.Globalization.CultureInfo.InvariantCulture)) is not { } key) continue;
                var slot = slots.FirstOrDefault(s => ReferenceEquals(s.Original, trainable[i]) && s.SlotName == slotNames[j]);
                if (slot.Slot is not null) status.MatchSavedValue(key, slot.Slot);
            }
        }
    }
}
