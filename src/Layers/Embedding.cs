using Framework.Tensors;

namespace Framework.Layers;

/// <summary>Turns integer indices into dense vectors: row <c>i</c> of a trainable <c>(inputDim, outputDim)</c> table.</summary>
/// <remarks>
/// As in Keras, an input of shape <c>(batch, …)</c> gives <c>(batch, …, outputDim)</c> float32 vectors; inputs that are
/// not int32 or int64 are cast to int32 first (so a float tensor of whole numbers works). The table is tracked as
/// <c>embeddings</c>, Keras's name, and filled by <see cref="RandomUniform"/>(−0.05, 0.05) by default. Its gradient is a
/// scatter-add of the output gradient into the rows that were looked up. Keras's <c>mask_zero</c> (masks for
/// recurrent layers) is not supported: a config with <c>mask_zero: true</c> is refused rather than silently ignored.
/// </remarks>
/// <example>
/// <code>
/// var embedding = new Embedding(inputDim: 1000, outputDim: 64);
/// var vectors = embedding.Apply(Tensor.FromArray(new int[] { 4, 20, 7, 1 }, 2, 2));   // (2, 2) → (2, 2, 64)
/// </code>
/// </example>
public sealed class Embedding : Layer
{
    private Variable? _embeddings;

    /// <summary>Creates an embedding layer; the arguments and defaults are Keras's.</summary>
    /// <param name="inputDim">The vocabulary size: indices must lie in <c>[0, inputDim)</c>.</param>
    /// <param name="outputDim">The length of each vector.</param>
    /// <param name="embeddingsInitializer">How to fill the table; <see cref="RandomUniform"/>(−0.05, 0.05) by default.</param>
    /// <param name="embeddingsRegularizer">An optional penalty on the table.</param>
    /// <param name="name">The layer name; generated (<c>embedding</c>, <c>embedding_1</c>…) when null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputDim"/> or <paramref name="outputDim"/> is not positive.</exception>
    public Embedding(int inputDim, int outputDim, Initializer? embeddingsInitializer = null, Regularizer? embeddingsRegularizer = null,
        string? name = null)
        : base(name)
    {
        if (inputDim <= 0)
            throw new ArgumentOutOfRangeException(nameof(inputDim), inputDim, $"Embedding '{Name}': input_dim must be positive; received input_dim={inputDim}.");
        if (outputDim <= 0)
            throw new ArgumentOutOfRangeException(nameof(outputDim), outputDim, $"Embedding '{Name}': output_dim must be positive; received output_dim={outputDim}.");
        InputDim = inputDim;
        OutputDim = outputDim;
        EmbeddingsInitializer = embeddingsInitializer ?? new RandomUniform();
        EmbeddingsRegularizer = embeddingsRegularizer;
    }

    /// <summary>The vocabulary size.</summary>
    public int InputDim { get; }

    /// <summary>The length of each vector.</summary>
    public int OutputDim { get; }

    /// <summary>How the table is filled.</summary>
    public Initializer EmbeddingsInitializer { get; }

    /// <summary>The table's penalty, if any.</summary>
    public Regularizer? EmbeddingsRegularizer { get; }

    /// <summary>The table, of shape <c>(inputDim, outputDim)</c>.</summary>
    /// <exception cref="InvalidOperationException">The layer is not built yet.</exception>
    public Variable Embeddings => _embeddings
        ?? throw new InvalidOperationException($"Embedding '{Name}': Embeddings is created when the layer is built; call Apply or EnsureBuilt first.");

    /// <inheritdoc/>
    protected override void Build(Shape inputShape) =>
        _embeddings = AddWeight(WeightNames.Embeddings, [InputDim, OutputDim], EmbeddingsInitializer, regularizer: EmbeddingsRegularizer);

    /// <inheritdoc/>
    protected override Tensor Call(Tensor input, bool training)
    {
        var indices = input.DType is DType.Int32 or DType.Int64 ? input : input.Cast(DType.Int32);
        var values = indices.Cast(DType.Int64).ToArray<long>();
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] < 0 || values[i] >= InputDim)
                throw new ArgumentOutOfRangeException(nameof(input), $"Embedding '{Name}': index {values[i]} at flat position {i} of the input {input.Shape} is outside [0, input_dim={InputDim}).");
        }
        return Embeddings.Value.Gather(indices);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["input_dim"] = InputDim;
        config["output_dim"] = OutputDim;
        config["embeddings_initializer"] = EmbeddingsInitializer.GetConfig();
        config["embeddings_regularizer"] = EmbeddingsRegularizer?.GetConfig();
        config["mask_zero"] = false;
        return config;
    }

    /// <summary>Re-creates the layer from <see cref="GetConfig"/>'s dictionary (plain values or JSON elements).</summary>
    /// <exception cref="NotSupportedException">The config asks for <c>mask_zero: true</c>.</exception>
    public static Embedding FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        string? name = ConfigReader.GetString(config, "name");
        if (ConfigReader.GetBool(config, "mask_zero", false))
            throw new NotSupportedException($"Embedding '{name}': mask_zero=true is not supported (this framework has no masks yet); save the model with mask_zero=false.");
        return new Embedding(
            ConfigReader.GetInt(config, "input_dim"),
            ConfigReader.GetInt(config, "output_dim"),
            ConfigReader.Has(config, "embeddings_initializer") ? Initializers.FromConfig(config["embeddings_initializer"]) : null,
            Regularizers.FromConfig(ConfigReader.Get(config, "embeddings_regularizer")),
            name)
        { Trainable = ConfigReader.GetBool(config, "trainable", true) };
    }
}
