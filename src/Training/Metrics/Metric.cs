using Framework.Tensors;

namespace Framework.Training;

/// <summary>A stateful measurement accumulated over batches: <see cref="Update"/>, then read <see cref="Result"/>.</summary>
public abstract class Metric
{
    /// <summary>Creates a metric reported under <paramref name="name"/> in logs (<c>accuracy</c>, <c>val_accuracy</c>).</summary>
    protected Metric(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>The key under which the result appears in logs and history.</summary>
    public string Name { get; }

    /// <summary>Accumulates one batch of targets and predictions.</summary>
    public abstract void Update(Tensor targets, Tensor predictions);

    /// <summary>The value over everything accumulated since the last <see cref="Reset"/> (0 when nothing was).</summary>
    public abstract double Result();

    /// <summary>Forgets the accumulated state.</summary>
    public abstract void Reset();

    /// <summary>The metric's configuration as JSON-ready values.</summary>
    public virtual Dictionary<string, object?> GetConfig() => new() { ["name"] = Name };
}
