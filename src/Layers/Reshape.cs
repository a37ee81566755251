using Framework.Tensors;

namespace Framework.Layers;

/// <summary>Reshapes each sample to <see cref="TargetShape"/>, keeping the batch dimension: <c>(32, 784)</c> → <c>(32, 28, 28, 1)</c>.</summary>
/// <remarks>
/// As in Keras, the target shape leaves out the batch dimension and may contain one −1, inferred from the sample size.
/// The elements keep their row-major order and the reshape shares storage.
/// </remarks>
/// <example>
/// <code>
/// var toImage = new Reshape([28, 28, 1]);
/// var images = toImage.Apply(pixels);   // pixels: (32, 784) → (32, 28, 28, 1)
/// </code>
/// </example>
public sealed class Reshape : Layer
{
    private readonly int[] _targetShape;

    /// <summary>Creates a reshape layer.</summary>
    /// <param name="targetShape">The shape of one sample (batch dimension left out); positive sizes and at most one −1.</param>
    /// <param name="name">The layer name; generated (<c>reshape</c>, <c>reshape_1</c>…) when null.</param>
    /// <exception cref="ArgumentException">A size is zero or below −1, or −1 appears more than once.</exception>
    public Reshape(int[] targetShape, string? name = null)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(targetShape);
        if (targetShape.Any(d => d == 0 || d < -1) || targetShape.Count(d => d == -1) > 1)
            throw new ArgumentException($"Reshape '{Name}': target_shape must hold positive sizes and at most one -1; received {Shape.Format(targetShape)}.", nameof(targetShape));
        _targetShape = (int[])targetShape.Clone();
        InputSpec = new InputSpec(MinRank: 1);
    }

    /// <summary>The shape of one output sample as given (it may hold one −1).</summary>
    public IReadOnlyList<int> TargetShape => _targetShape;

    /// <inheritdoc/>
    protected override Tensor Call(Tensor input, bool training)
    {
        int batch = input.Shape[0];
        int sampleSize = 1;
        for (int i = 1; i < input.Rank; i++) sampleSize *= input.Shape[i];
        return input.Reshape([batch, .. SampleShape(input.Shape, sampleSize)]);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["target_shape"] = _targetShape.ToArray();
        return config;
    }

    /// <summary>Re-creates the layer from <see cref="GetConfig"/>'s dictionary (plain values or JSON elements).</summary>
    /// <exception cref="ArgumentException"><c>target_shape</c> is missing or holds an unknown (null) size.</exception>
    public static Reshape FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        var dims = ConfigReader.GetIntList(config, "target_shape");
        string? name = ConfigReader.GetString(config, "name");
        if (dims.Any(d => d is null))
            throw new ArgumentException($"Reshape '{name}': target_shape must hold sizes, not null; use -1 for the one inferred size.", nameof(config));
        return new Reshape([.. dims.Select(d => d!.Value)], name) { Trainable = ConfigReader.GetBool(config, "trainable", true) };
    }

    // The target shape with its −1 resolved, checked against the sample size so the error names this layer.
    private int[] SampleShape(Shape inputShape, int sampleSize)
    {
        var dims = (int[])_targetShape.Clone();
        int unknown = Array.IndexOf(dims, -1);
        int known = 1;
        for (int i = 0; i < dims.Length; i++) if (i != unknown) known *= dims[i];
        if (unknown >= 0 && sampleSize % known == 0) dims[unknown] = sampleSize / known;
        else if (unknown >= 0 || known != sampleSize)
            throw new ArgumentException($"Reshape '{Name}': cannot reshape input of shape {inputShape} ({sampleSize} elements per sample) to target_shape {Shape.Format(_targetShape)}" +
                (unknown >= 0 ? $": {sampleSize} is not a multiple of {known}." : $" ({known} elements)."), "input");
        return dims;
    }
}
