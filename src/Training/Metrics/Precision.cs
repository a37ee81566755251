namespace Framework.Training;

/// <summary>Precision of a binary classifier: <c>TP / (TP + FP)</c> (0 when nothing was predicted positive).</summary>
/// <param name="threshold">Predictions above it count as positive.</param>
/// <param name="name">The name in logs.</param>
public sealed class Precision(double threshold = 0.5, string name = "precision") : ConfusionMetric(name, threshold)
{
    /// <inheritdoc/>
    public override double Result() => TruePositives + FalsePositives == 0 ? 0 : (double)TruePositives / (TruePositives + FalsePositives);
}
