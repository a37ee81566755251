using Framework.Tensors;

namespace Framework.Layers;

/// <summary>Applies an activation function element-wise (or, for softmax, over the last axis).</summary>
/// <example><code>var probabilities = new Activation("softmax").Apply(logits);</code></example>
public sealed class Activation : Layer
{
    private readonly Func<Tensor, Tensor> _function;

    /// <summary>Creates the layer.</summary>
    /// <param name="activation">A name from <see cref="Activations"/> (<c>relu</c>, <c>softmax</c>…); null or <c>linear</c> for the identity.</param>
    /// <param name="name">The layer name; generated (<c>activation</c>, <c>activation_1</c>…) when null.</param>
    /// <exception cref="ArgumentException">The activation name is unknown.</exception>
    public Activation(string? activation, string? name = null)
        : base(name)
    {
        _function = Activations.Get(activation);
        Function = Activations.Canonical(activation);
    }

    /// <summary>The activation's name.</summary>
    public string Function { get; }

    /// <inheritdoc/>
    protected override Tensor Call(Tensor input, bool training) => _function(input);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["activation"] = Function;
        return config;
    }

    /// <summary>Re-creates the layer from <see cref="GetConfig"/>'s dictionary (plain values or JSON elements).</summary>
    public static Activation FromConfig(IReadOnlyDictionary<string, object?> config) =>
        new(ConfigReader.GetString(config, "activation"), ConfigReader.GetString(config, "name"))
        { Trainable = ConfigReader.GetBool(config, "trainable", true) };
}
