using Framework.Tensors;

namespace Framework.Layers;

/// <summary>The base of initializers that draw random values, seeded or from the global generator.</summary>
/// <remarks>
/// Without a seed, values come from <see cref="RandomGenerator.Global"/>, so <see cref="RandomGenerator.SetGlobalSeed"/>
/// fixes every initial weight of a model built after it (in build order). With a seed, every call starts a fresh
/// generator from that seed: the same seed always gives the same values, and no state is shared between the
/// layers that use the instance (as in Keras 3, two layers given one seeded instance get identical weights).
/// </remarks>
public abstract class RandomInitializer : Initializer
{
    /// <summary>Stores the optional seed.</summary>
    /// <param name="seed">A seed for reproducible values, or null to draw from the global generator.</param>
    protected RandomInitializer(long? seed) => Seed = seed;

    /// <summary>The seed, or null when values come from <see cref="RandomGenerator.Global"/>.</summary>
    public long? Seed { get; }

    /// <inheritdoc/>
    public sealed override Tensor Create(Shape shape, DType dtype)
    {
        var values = new float[shape.Size];
        Fill(values, shape, Seed is { } seed ? new RandomGenerator(seed) : RandomGenerator.Global);
        var tensor = Tensor.FromSpan<float>(values, shape);
        return dtype == DType.Float32 ? tensor : tensor.Cast(dtype);
    }

    /// <summary>Fills <paramref name="values"/> (float32 draws, cast when another dtype is asked for), the elements of a weight of <paramref name="shape"/>, from <paramref name="generator"/>.</summary>
    protected abstract void Fill(Span<float> values, Shape shape, RandomGenerator generator);

    /// <summary>The Keras configuration <c>{"class_name": type name, "config": {..., "seed": seed}}</c>.</summary>
    /// <param name="arguments">The arguments other than the seed.</param>
    protected Dictionary<string, object?> ConfigWith(Dictionary<string, object?> arguments)
    {
        arguments["seed"] = Seed;
        return InitializerConfig.Of(GetType().Name, arguments);
    }
}
