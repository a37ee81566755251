using Framework.Tensors;

namespace Framework.Training.Saving;

/// <summary>The checkpoint root of a saved model: the model's own edges (so its keys are exactly <see cref="Model.SaveWeights"/>'s)
/// plus one extra edge, <c>framework_training_state</c>, to the <see cref="TrainingStreams"/>.</summary>
/// <remarks>A wrapper rather than an extra edge on the model itself, so that <see cref="Model.SaveWeights"/> keeps tf.keras's key set.
/// It forwards no creation events: loading builds the model (and the optimizer's slots) before matching, so nothing is deferred.</remarks>
internal sealed class SavedModelRoot(Model model, TrainingStreams streams) : Trackable
{
    /// <summary>The streams tracked under <c>framework_training_state</c>.</summary>
    public TrainingStreams Streams => streams;

    /// <inheritdoc/>
    public override IReadOnlyList<TrackedChild> Children =>
        [.. model.Children, new TrackedChild(SavedModelFormat.TrainingStateEdge, streams)];
}
