using Framework.Tensors;

namespace Framework.Serialization;

/// <summary>Makes a <see cref="RandomGenerator"/> part of a checkpoint: its state is saved as an int64[3] variable <c>_state_var</c>.</summary>
/// <remarks>
/// Before a save the variable is set from <see cref="RandomGenerator.GetState"/>; after a restore assigns the variable
/// (immediately or deferred) the generator continues from the saved state with <see cref="RandomGenerator.SetState"/>,
/// so shuffling and dropout streams resume exactly. The name <c>_state_var</c> is what <c>tf.random.Generator</c> tracks.
/// </remarks>
/// <example>
/// <code>
/// var checkpoint = new Checkpoint(("model", model), ("shuffle_rng", new TrackableRandomGenerator(model.ShuffleGenerator)));
/// </code>
/// </example>
public sealed class TrackableRandomGenerator : Trackable
{
    /// <summary>The local name of the state variable (part of the checkpoint format).</summary>
    public const string StateName = "_state_var";

    /// <summary>Tracks <paramref name="generator"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="generator"/> is null.</exception>
    public TrackableRandomGenerator(RandomGenerator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        Generator = generator;
        State = Track(StateName, new Variable(StateTensor(), "rng/state", trainable: false));
    }

    /// <summary>The generator whose state is saved and restored.</summary>
    public RandomGenerator Generator { get; }

    /// <summary>The int64[3] variable holding the state as <see cref="RandomState.ToArray"/> writes it.</summary>
    public Variable State { get; }

    /// <summary>Copies the generator's current state into <see cref="State"/> (done by every save).</summary>
    public void CaptureState()
    {
        using var value = StateTensor();
        State.Assign(value);
    }

    /// <summary>Sets the generator to the state held by <see cref="State"/> (done after every restore of it).</summary>
    public void ApplyState() => Generator.SetState(RandomState.FromArray(State.Value.ToArray<long>()));

    private Tensor StateTensor() => Tensor.FromSpan<long>(Generator.GetState().ToArray(), new Shape(RandomState.ArrayLength));
}
