using Framework.Tensors;

namespace Framework.Layers;

/// <summary>Randomly sets a fraction <see cref="Rate"/> of its inputs to 0 during training and scales the rest by 1/(1 − rate).</summary>
/// <remarks>
/// <para>
/// This is inverted dropout, as in Keras: the expected value of each output equals its input, so inference
/// (<c>training: false</c>) simply returns the input unchanged, as does a rate of 0. Gradients flow only through
/// the kept elements, scaled by the same factor.
/// </para>
/// <para>
/// The masks come from the layer's own <see cref="RandomGenerator"/>. With a seed it starts from that seed; without
/// one it is seeded at construction by a draw from <see cref="RandomGenerator.Global"/>, so
/// <see cref="RandomGenerator.SetGlobalSeed"/> before building a model fixes every mask. The generator's state is
/// held in a non-trainable int64 variable of shape (3) tracked as <c>rng_state</c> (<see cref="RandomState.ToArray"/>
/// layout), so checkpoints save and restore the mask stream and a resumed run draws the masks an uninterrupted
/// run would. The variable is not among <see cref="Layer.Weights"/>: a Dropout still counts as a layer without weights.
/// </para>
/// </remarks>
public sealed class Dropout : Layer
{
    private readonly Variable _rngState;

    /// <summary>Creates the layer.</summary>
    /// <param name="rate">The fraction of inputs to drop, in [0, 1).</param>
    /// <param name="seed">A seed for reproducible masks, or null to seed from <see cref="RandomGenerator.Global"/>.</param>
    /// <param name="name">The layer name; generated (<c>dropout</c>, <c>dropout_1</c>…) when null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rate"/> is outside [0, 1) or NaN.</exception>
    public Dropout(double rate, long? seed = null, string? name = null)
        : base(name)
    {
        if (!(rate is >= 0 and < 1))
            throw new ArgumentOutOfRangeException(nameof(rate), rate, $"Dropout '{Name}': rate must be in [0, 1); received rate={rate}.");
        Rate = rate;
        Seed = seed;
        var generator = new RandomGenerator(seed ?? unchecked((long)RandomGenerator.Global.NextUInt64()));
        _rngState = Track(WeightNames.RngState, new Variable(StateTensor(generator.GetState()), $"{Name}/{WeightNames.RngState}", trainable: false));
    }

    /// <summary>The fraction of inputs dropped in training.</summary>
    public double Rate { get; }

    /// <summary>The seed given at construction, or null when the layer was seeded from the global generator.</summary>
    public long? Seed { get; }

    /// <summary>The tracked variable holding the mask generator's state (int64, shape (3)).</summary>
    public Variable RngStateVariable => _rngState;

    /// <summary>The mask generator's current state; setting it replays the masks drawn from that state on.</summary>
    public RandomState RngState
    {
        get => RandomState.FromArray(_rngState.Value.ToArray<long>());
        set => _rngState.Assign(StateTensor(value));
    }

    /// <inheritdoc/>
    protected override Tensor Call(Tensor input, bool training)
    {
        if (!training || Rate == 0) return input;
        var generator = new RandomGenerator(RngState);
        var keep = new float[input.Size];
        generator.FillBernoulli(keep, 1 - Rate);
        RngState = generator.GetState();
        var mask = Tensor.FromSpan<float>(keep, input.Shape, input.Device) * (1 / (1 - Rate));
        return input * (mask.DType == input.DType ? mask : mask.Cast(input.DType));
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["rate"] = Rate;
        config["seed"] = Seed;
        return config;
    }

    /// <summary>Re-creates the layer from <see cref="GetConfig"/>'s dictionary (plain values or JSON elements).</summary>
    public static Dropout FromConfig(IReadOnlyDictionary<string, object?> config) =>
        new(ConfigReader.GetDouble(config, "rate"), ConfigReader.GetLong(config, "seed"), ConfigReader.GetString(config, "name"))
        { Trainable = ConfigReader.GetBool(config, "trainable", true) };

    private static Tensor StateTensor(RandomState state)
    {
        using var _ = Autograd.NoGrad();
        return Tensor.FromSpan<long>(state.ToArray(), [RandomState.ArrayLength]);
    }
}
