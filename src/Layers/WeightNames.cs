namespace Framework.Layers;

/// <summary>The local names under which built-in layers track their state.</summary>
/// <remarks>
/// These are part of the checkpoint format: they end checkpoint keys such as
/// <c>layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE</c> and match the names TensorFlow/Keras write, so
/// changing one breaks every saved checkpoint and compatibility with TensorFlow's files.
/// </remarks>
public static class WeightNames
{
    /// <summary><c>kernel</c>: the weight matrix of <see cref="Dense"/>.</summary>
    public const string Kernel = "kernel";

    /// <summary><c>bias</c>: the bias vector of <see cref="Dense"/>.</summary>
    public const string Bias = "bias";

    /// <summary><c>recurrent_kernel</c>: the hidden-to-gates matrix of <see cref="LstmCell"/> and <see cref="GruCell"/>.</summary>
    public const string RecurrentKernel = "recurrent_kernel";

    /// <summary><c>cell</c>: the child under which <see cref="Lstm"/> and <see cref="Gru"/> track their cell, as Keras does.</summary>
    public const string Cell = "cell";

    /// <summary><c>gamma</c>: the scale of <see cref="BatchNormalization"/>.</summary>
    public const string Gamma = "gamma";

    /// <summary><c>beta</c>: the offset of <see cref="BatchNormalization"/>.</summary>
    public const string Beta = "beta";

    /// <summary><c>moving_mean</c>: the running mean of <see cref="BatchNormalization"/>.</summary>
    public const string MovingMean = "moving_mean";

    /// <summary><c>moving_variance</c>: the running variance of <see cref="BatchNormalization"/>.</summary>
    public const string MovingVariance = "moving_variance";

    /// <summary><c>rng_state</c>: the mask generator state of <see cref="Dropout"/> (our own name; TensorFlow's Dropout has no state).</summary>
    public const string RngState = "rng_state";

    /// <summary><c>embeddings</c>: the lookup table of <see cref="Embedding"/>.</summary>
    public const string Embeddings = "embeddings";
}
