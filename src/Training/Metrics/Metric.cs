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

    /// <summary>The accumulated state as numbers, so a resumed run continues an epoch's running value exactly.</summary>
    /// <remarks>A metric that accumulates anything must override this and <see cref="SetState"/>; the default (no state)
    /// suits only stateless metrics. Doubles round-trip exactly through checkpoints.</remarks>
    public virtual double[] GetState() => [];

    /// <summary>Restores the state <see cref="GetState"/> returned.</summary>
    /// <exception cref="ArgumentException">The state has the wrong length; the message names the metric.</exception>
    public virtual void SetState(IReadOnlyList<double> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Count != 0) throw new ArgumentException($"Metric '{Name}' keeps no state; received {state.Count} values.", nameof(state));
    }

    /// <summary>Checks that a saved state has <paramref name="length"/> values.</summary>
    protected void CheckStateLength(IReadOnlyList<double> state, int length)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Count != length)
            throw new ArgumentException($"Metric '{Name}' ({GetType().Name}) keeps {length} state values; received {state.Count}.", nameof(state));
    }

    /// <summary>The metric's configuration as JSON-ready values.</summary>
    public virtual Dictionary<string, object?> GetConfig() => new() { ["name"] = Name };
}
