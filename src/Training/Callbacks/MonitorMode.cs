namespace Framework.Training;

/// <summary>Whether a monitored quantity improves by decreasing or increasing.</summary>
public enum MonitorMode
{
    /// <summary>Decide from the name: accuracy-, AUC-, precision- and recall-like metrics increase; all else decreases.</summary>
    Auto,

    /// <summary>Smaller is better (losses, errors).</summary>
    Min,

    /// <summary>Larger is better (accuracies).</summary>
    Max,
}

/// <summary>The one place that resolves <see cref="MonitorMode.Auto"/>, so every callback agrees.</summary>
public static class MonitorModes
{
    private static readonly string[] s_increasing = ["acc", "auc", "precision", "recall", "fmeasure", "f1"];

    /// <summary>Resolves <paramref name="mode"/> for the quantity named <paramref name="monitor"/> to Min or Max.</summary>
    public static MonitorMode Resolve(MonitorMode mode, string monitor)
    {
        if (mode != MonitorMode.Auto) return mode;
        string name = monitor.StartsWith("val_", StringComparison.Ordinal) ? monitor[4..] : monitor;
        return s_increasing.Any(k => name.Contains(k, StringComparison.OrdinalIgnoreCase)) ? MonitorMode.Max : MonitorMode.Min;
    }

    /// <summary>Whether <paramref name="current"/> beats <paramref name="best"/> by more than <paramref name="minDelta"/>.</summary>
    public static bool IsImprovement(MonitorMode resolved, double current, double best, double minDelta = 0) =>
        resolved == MonitorMode.Max ? current - Math.Abs(minDelta) > best : current + Math.Abs(minDelta) < best;

    /// <summary>The worst possible value for <paramref name="resolved"/>: anything real improves on it.</summary>
    public static double Worst(MonitorMode resolved) => resolved == MonitorMode.Max ? double.NegativeInfinity : double.PositiveInfinity;
}
