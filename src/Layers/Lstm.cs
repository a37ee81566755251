using Framework.Tensors;

namespace Framework.Layers;

/// <summary>Long short-term memory over a sequence (Keras <c>LSTM</c>): <c>(batch, steps, features)</c> → <c>(batch, units)</c>.</summary>
/// <remarks>
/// <para>The arguments, defaults, weight shapes and checkpoint keys are Keras's: the weights belong to an
/// <see cref="LstmCell"/> tracked as <c>cell</c> (<c>layer_with_weights-0/cell/kernel</c>, <c>…/cell/recurrent_kernel</c>,
/// <c>…/cell/bias</c>), in gate order i, f, c, o. With the default activations a sequence runs on fused kernels: one
/// product for the input projection of all steps, then per step one product with the recurrent kernel and one
/// pointwise kernel, and the same backwards.</para>
/// <para>Not implemented: <c>dropout</c>, <c>recurrent_dropout</c>, <c>stateful</c>, <c>unroll</c> and masking; a
/// configuration that sets them is rejected by <see cref="FromConfig"/>.</para>
/// </remarks>
/// <example>
/// <code>
/// var model = new Sequential([new Lstm(32), new Dense(1)], inputShape: [10, 3]);
/// var (output, states) = new Lstm(16, returnSequences: true).ApplyWithStates(x);   // states: [h, c]
/// </code>
/// </example>
public sealed class Lstm : RecurrentLayer
{
    /// <summary>Creates an LSTM layer; the arguments and defaults are Keras's.</summary>
    /// <param name="units">The size of the hidden and cell states; must be positive.</param>
    /// <param name="activation">The candidate and output activation (<c>tanh</c>).</param>
    /// <param name="recurrentActivation">The gate activation (<c>sigmoid</c>).</param>
    /// <param name="useBias">Whether the cell has a bias.</param>
    /// <param name="kernelInitializer">How to fill the kernel; glorot_uniform by default.</param>
    /// <param name="recurrentInitializer">How to fill the recurrent kernel; <see cref="Orthogonal"/> by default.</param>
    /// <param name="biasInitializer">How to fill the bias; zeros by default.</param>
    /// <param name="unitForgetBias">Whether the forget gate's bias starts at 1.</param>
    /// <param name="kernelRegularizer">An optional penalty on the kernel.</param>
    /// <param name="recurrentRegularizer">An optional penalty on the recurrent kernel.</param>
    /// <param name="biasRegularizer">An optional penalty on the bias.</param>
    /// <param name="returnSequences">Whether to return every step's hidden state (batch, steps, units).</param>
    /// <param name="returnState">Keras's <c>return_state</c>, kept in the configuration; <see cref="RecurrentLayer.ApplyWithStates"/> returns [h, c].</param>
    /// <param name="goBackwards">Whether to read the sequence from its last step.</param>
    /// <param name="name">The layer name; generated (<c>lstm</c>, <c>lstm_1</c>…) when null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="units"/> is not positive.</exception>
    /// <exception cref="ArgumentException">An activation name is unknown.</exception>
    public Lstm(int units, string activation = "tanh", string recurrentActivation = "sigmoid", bool useBias = true,
        Initializer? kernelInitializer = null, Initializer? recurrentInitializer = null, Initializer? biasInitializer = null,
        bool unitForgetBias = true, Regularizer? kernelRegularizer = null, Regularizer? recurrentRegularizer = null,
        Regularizer? biasRegularizer = null, bool returnSequences = false, bool returnState = false, bool goBackwards = false,
        string? name = null)
        : base(new LstmCell(units, activation, recurrentActivation, useBias, kernelInitializer,
                recurrentInitializer, biasInitializer, unitForgetBias, kernelRegularizer, recurrentRegularizer, biasRegularizer, name: "lstm_cell"),
            stateCount: 2, returnSequences, returnState, goBackwards, name)
    {
    }

    /// <summary>The cell holding the weights and options.</summary>
    public LstmCell Cell => (LstmCell)StepCell;

    /// <summary>Re-creates an LSTM layer from <see cref="RecurrentLayer.GetConfig"/>'s dictionary, or from a Keras LSTM configuration.</summary>
    /// <exception cref="NotSupportedException">The configuration asks for dropout, stateful, unroll or time_major.</exception>
    public static Lstm FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        RejectUnsupported(config, "LSTM");
        return new Lstm(
            ConfigReader.GetInt(config, "units"),
            ConfigReader.GetString(config, "activation", "tanh")!,
            ConfigReader.GetString(config, "recurrent_activation", "sigmoid")!,
            ConfigReader.GetBool(config, "use_bias", true),
            InitializerOf(config, "kernel_initializer"),
            InitializerOf(config, "recurrent_initializer"),
            InitializerOf(config, "bias_initializer"),
            ConfigReader.GetBool(config, "unit_forget_bias", true),
            Regularizers.FromConfig(ConfigReader.Get(config, "kernel_regularizer")),
            Regularizers.FromConfig(ConfigReader.Get(config, "recurrent_regularizer")),
            Regularizers.FromConfig(ConfigReader.Get(config, "bias_regularizer")),
            ConfigReader.GetBool(config, "return_sequences", false),
            ConfigReader.GetBool(config, "return_state", false),
            ConfigReader.GetBool(config, "go_backwards", false),
            ConfigReader.GetString(config, "name"))
        { Trainable = ConfigReader.GetBool(config, "trainable", true) };
    }
}
