using Framework.Serialization;
using Framework.Tensors;

namespace Framework.Training.Saving;

/// <summary>The <c>variables/variables.*</c> checkpoint of a saved model: weights, optimizer state and training random streams.</summary>
/// <remarks>
/// The root is <see cref="SavedModelRoot"/>: the keys are exactly those of <see cref="Model.SaveWeights"/> (tf.keras's) plus
/// those under <c>framework_training_state</c> (see <see cref="TrainingStreams"/>). Restoring is strict and all-or-nothing:
/// every CRC is verified and every key matched before any variable is assigned.
/// </remarks>
internal static class ModelVariables
{
    private static readonly string s_shuffleKey = CheckpointKey.ForVariable(CheckpointKey.JoinPath(
        [SavedModelFormat.TrainingStateEdge, SavedModelFormat.ShuffleEdge, TrackableRandomGenerator.StateName]));

    /// <summary>Writes the checkpoint of <paramref name="model"/> to <paramref name="prefix"/>.</summary>
    /// <param name="model">The model.</param>
    /// <param name="prefix">The checkpoint prefix (<c>…/variables/variables</c>).</param>
    /// <param name="shuffle">The model's shuffle generator, or null when it has not created one.</param>
    public static void Write(Model model, string prefix, RandomGenerator? shuffle) =>
        Checkpoint.WriteObject(Root(model, shuffle), prefix);

    /// <summary>The root of the saved object graph: the model's edges plus <c>framework_training_state</c>.</summary>
    public static Trackable Root(Model model, RandomGenerator? shuffle) => new SavedModelRoot(model, new TrainingStreams(model, shuffle));

    /// <summary>Restores <paramref name="model"/> (built and compiled as saved) from <paramref name="prefix"/>.</summary>
    /// <returns>The restored shuffle generator, or null when the save had none.</returns>
    /// <exception cref="FileNotFoundException">A checkpoint file is missing.</exception>
    /// <exception cref="InvalidDataException">The checkpoint is corrupt; nothing was assigned.</exception>
    /// <exception cref="CheckpointMismatchException">The checkpoint does not match the model config.json describes; nothing was assigned.</exception>
    public static RandomGenerator? Restore(Model model, string prefix)
    {
        bool hasShuffle;
        using (var reader = new CheckpointReader(prefix)) hasShuffle = reader.HasTensor(s_shuffleKey);
        // Replaced by the saved state on assignment; the seed is irrelevant.
        var shuffle = hasShuffle ? new RandomGenerator(0) : null;
        var status = Checkpoint.MatchObject(new SavedModelRoot(model, new TrainingStreams(model, shuffle)), prefix);
        // Slots are created only once the optimizer has stepped; a save taken after training has them, so create them now.
        if (model.Optimizer is { IsBuilt: false } optimizer && model.IsBuilt && status.HasSavedSlots(optimizer))
            optimizer.BuildFor(model.TrainableWeights);
        var report = status.Report;
        if (!report.IsComplete || report.Conflicts.Count > 0)
            throw new CheckpointMismatchException(report, $"the model its {SavedModelFormat.ConfigFile} describes");
        status.AssignMatched();
        return shuffle;
    }
}
