namespace Framework.Training;

/// <summary>The named values a training step or epoch reports: <c>loss</c>, <c>accuracy</c>, <c>val_loss</c>…</summary>
/// <remarks>Keys keep insertion order when enumerated, so progress lines and CSV columns read in a stable order.</remarks>
public sealed class Logs : Dictionary<string, double>
{
    /// <summary>Creates empty logs.</summary>
    public Logs()
    {
    }

    /// <summary>Creates a copy of <paramref name="other"/>.</summary>
    public Logs(IDictionary<string, double> other)
        : base(other)
    {
    }

    /// <summary>Formats as <c>loss: 0.2345 - accuracy: 0.9312</c>, like Keras's progress bar.</summary>
    public override string ToString() =>
        string.Join(" - ", this.Select(kv => $"{kv.Key}: {kv.Value.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture)}"));
}
