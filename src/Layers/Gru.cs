using Framework.Tensors;

namespace Framework.Layers;

/// <summary>A gated recurrent unit over a sequence (Keras <c>GRU</c>): <c>(batch, steps, features)</c> → <c>(batch, units)</c>.</summary>
/// <remarks>
/// <para>The arguments, defaults, weight shapes and checkpoint keys are Keras's: the weights belong to a
/// <see cref="GruCell"/> tracked as <c>cell</c>, in gate order z, r, h; with <c>resetAfter</c> (the default, as in
/// Keras 2.x and PyTorch) the bias is (2, 3·units). The steps are composed of tensor ops (matrix products, slices,
/// σ, tanh), so gradients come from autograd.</para>
/// <para>Not implemented: <c>dropout</c>, <c>recurrent_dropout</c>, <c>stateful</c>, <c>unroll</c> and masking; a
/// configuration that sets them is rejected by <see cref="FromConfig"/>.</para>
/// </remarks>
/// <example>
/// <code>
/// var model = new Sequential([new Gru(32), new Dense(1)], inputShape: [10, 3]);
/// </code>
/// </example>
public sealed class Gru : RecurrentLayer
{
    /// <summary>Creates a GRU layer; the arguments and defaults are Keras's.</summary>
    /// <param name="units">The size of the hidden state; must be positive.</param>
    /// <param name="activation">The candidate activation (<c>tanh</c>).</param>
    /// <param name="recurrentActivation">The gate activation (<c>sigmoid</c>).</param>
    /// <param name="useBias">Whether the cell has a bias.</param>
    /// <param name="kernelInitializer">How to fill the kernel; glorot_uniform by default.</param>
    /// <param name="recurrentInitializer">How to fill the recurrent kernel; <see cref="Orthogonal"/> by default.</param>
    /// <param name="biasInitializer">How to fill the bias; zeros by default.</param>
    /// <param name="kernelRegularizer">An optional penalty on the kernel.</param>
    /// <param name="recurrentRegularizer">An optional penalty on the recurrent kernel.</param>
    /// <param name="biasRegularizer">An optional penalty on the bias.</param>
    /// <param name="returnSequences">Whether to return every step's hidden state (batch, steps, units).</param>
    /// <param name="returnState">Keras's <c>return_state</c>, kept in the configuration; <see cref="RecurrentLayer.ApplyWithStates"/> returns [h].</param>
    /// <param name="goBackwards">Whether to read the sequence from its last step.</param>
    /// <param name="resetAfter">Whether the reset gate is applied after the recurrent product (Keras's default).</param>
    /// <param name="name">The layer name; generated (<c>gru</c>, <c>gru_1</c>…) when null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="units"/> is not positive.</exception>
    /// <exception cref="ArgumentException">An activation name is unknown.</exception>
    public Gru(int units, string activation = "tanh", string recurrentActivation = "sigmoid", bool useBias = true,
        Initializer? kernelInitializer = null, Initializer? recurrentInitializer = null, Initializer? biasInitializer = null,
        Regularizer? kernelRegularizer = null, Regularizer? recurrentRegularizer = null, Regularizer? biasRegularizer = null,
        bool returnSequences = false, bool returnState = false, bool goBackwards = false, bool resetAfter = true, string? name = null)
        : base(new GruCell(units, activation, recurrentActivation, useBias, kernelInitializer,
                recurrentInitializer, biasInitializer, kernelRegularizer, recurrentRegularizer, biasRegularizer, resetAfter, name: "gru_cell"),
            stateCount: 1, returnSequences, returnState, goBackwards, name)
    {
    }

    /// <summary>The cell holding the weights and options.</summary>
    public GruCell Cell => (GruCell)StepCell;

    /// <summary>Re-creates a GRU layer from <see cref="RecurrentLayer.GetConfig"/>'s dictionary, or from a Keras GRU configuration.</summary>
    /// <exception cref="NotSupportedException">The configuration asks for dropout, stateful, unroll or time_major.</exception>
    public static Gru FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        RejectUnsupported(config, "GRU");
        return new Gru(
            ConfigReader.GetInt(config, "units"),
            ConfigReader.GetString(config, "activation", "tanh")!,
            ConfigReader.GetString(config, "recurrent_activation", "sigmoid")!,
            ConfigReader.GetBool(config, "use_bias", true),
            InitializerOf(config, "kernel_initializer"),
            InitializerOf(config, "recurrent_initializer"),
            InitializerOf(config, "bias_initializer"),
            Regularizers.FromConfig(ConfigReader.Get(config, "kernel_regularizer")),
            Regularizers.FromConfig(ConfigReader.Get(config, "recurrent_regularizer")),
            Regularizers.FromConfig(ConfigReader.Get(config, "bias_regularizer")),
            ConfigReader.GetBool(config, "return_sequences", false),
            ConfigReader.GetBool(config, "return_state", false),
            ConfigReader.GetBool(config, "go_backwards", false),
            ConfigReader.GetBool(config, "reset_after", true),
            ConfigReader.GetString(config, "name"))
        { Trainable = ConfigReader.GetBool(config, "trainable", true) };
    }
}
