namespace Framework.Training;

/// <summary>Recall of a binary classifier: <c>TP / (TP + FN)</c> (0 when there were no positives).</summary>
/// <param name="threshold">Predictions above it count as positive.</param>
/// <param name="name">The name in logs.</param>
public sealed class Recall(double threshold = 0.5, string name = "recall") : ConfusionMetric(name, threshold)
{
    /// <inheritdoc/>
    public override double Result() => TruePositives + FalseNegatives == 0 ? 0 : (double)TruePositives / (TruePositives + FalseNegatives);
}
