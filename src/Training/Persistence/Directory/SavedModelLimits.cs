namespace Framework.Training.Saving;

/// <summary>The most a saved model's JSON files may ask <see cref="Model.Load"/> for; larger requests are refused before any work.</summary>
/// <remarks>
/// <para><c>config.json</c> and <c>metadata.json</c> are small, editable text files that decide what loading builds. These bounds keep
/// a damaged or hostile file from making a load slow or large: the file sizes are checked before reading, the layer count
/// and nesting while parsing, and the input shape before anything is built. Every weight is additionally checked against the
/// checkpoint's index before it is allocated, so the weights never take more memory than the checkpoint files hold.</para>
/// <para>Each bound is far above what a real model needs (Keras's own models are a few hundred layers, with kilobytes of
/// config); a refused file gives an <see cref="InvalidDataException"/> naming the file and the bound.</para>
/// </remarks>
public static class SavedModelLimits
{
    /// <summary>The largest <c>config.json</c> read: 64 MiB.</summary>
    public const long MaxConfigBytes = 64L << 20;

    /// <summary>The largest <c>metadata.json</c> read: 16 MiB.</summary>
    public const long MaxMetadataBytes = 16L << 20;

    /// <summary>The deepest JSON nesting accepted: 64 (System.Text.Json's default).</summary>
    public const int MaxJsonDepth = 64;

    /// <summary>The most layers in <c>config.layers</c>: 100,000.</summary>
    public const int MaxLayers = 100_000;

    /// <summary>The longest JSON string (a name, a class name, a metadata value), in UTF-16 code units: 65,536.</summary>
    public const int MaxStringLength = 1 << 16;

    /// <summary>The most dimensions in <c>build_config.input_shape</c>, the batch dimension included: 16.</summary>
    public const int MaxInputRank = 16;

    /// <summary>The most elements of one input sample (the product of <c>input_shape</c> without the batch dimension):
    /// 2^24, a 64 MiB float32 sample. Building the model runs it once on one such sample of zeros.</summary>
    public const long MaxInputElements = 1L << 24;
}
