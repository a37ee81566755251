using Framework.Tensors;

namespace Framework.Layers;

/// <summary>The base of the recurrent layers (<see cref="Lstm"/>, <see cref="Gru"/>): a cell run over the time axis (Keras's <c>RNN</c>).</summary>
/// <remarks>
/// Inputs are <c>(batch, steps, features)</c> float tensors. The output is the last hidden state <c>(batch, units)</c>,
/// or every step's hidden state <c>(batch, steps, units)</c> with <see cref="ReturnSequences"/>. <see cref="Layer.Apply"/>
/// returns only the output; <see cref="ApplyWithStates"/> also returns the final states and accepts initial ones
/// (Keras's <c>return_state=True</c> and <c>initial_state</c>). With <see cref="GoBackwards"/> the sequence is read in
/// reverse and, as in Keras, a returned sequence stays in that reversed order. The cell is tracked as <c>cell</c>, so
/// the weights' checkpoint keys are Keras's: <c>layer_with_weights-0/cell/kernel/.ATTRIBUTES/VARIABLE_VALUE</c>.
/// </remarks>
public abstract class RecurrentLayer : Layer
{
    /// <summary>Tracks the cell and stores the options that every recurrent layer shares.</summary>
    /// <param name="cell">The cell run at each step; tracked as <c>cell</c>, holding the weights and the cell options.</param>
    /// <param name="stateCount">How many state tensors the cell carries (2 for LSTM: h and c; 1 for GRU: h).</param>
    /// <param name="returnSequences">Whether to return every step's output rather than the last one.</param>
    /// <param name="returnState">Whether the layer is meant to return its final states too (see <see cref="ApplyWithStates"/>).</param>
    /// <param name="goBackwards">Whether to process the sequence from the last step to the first.</param>
    /// <param name="name">The layer name; generated from the type when null.</param>
    protected RecurrentLayer(RecurrentCell cell, int stateCount, bool returnSequences, bool returnState, bool goBackwards, string? name)
        : base(name)
    {
        StepCell = Track(WeightNames.Cell, cell);
        StateCount = stateCount;
        ReturnSequences = returnSequences;
        ReturnState = returnState;
        GoBackwards = goBackwards;
        InputSpec = new InputSpec(MinRank: 3);
    }

    /// <summary>Whether the output is every step's hidden state (batch, steps, units) rather than the last one.</summary>
    public bool ReturnSequences { get; }

    /// <summary>Keras's <c>return_state</c>: kept in the configuration; <see cref="ApplyWithStates"/> returns the states.</summary>
    public bool ReturnState { get; }

    /// <summary>Whether the sequence is processed from its last step to its first.</summary>
    public bool GoBackwards { get; }

    /// <summary>The size of the hidden state.</summary>
    public int Units => StepCell.Units;

    /// <summary>The cell run at each step (typed as <c>Cell</c> by each layer).</summary>
    protected RecurrentCell StepCell { get; }

    /// <summary>How many state tensors the cell carries (2 for LSTM: h and c; 1 for GRU: h).</summary>
    protected int StateCount { get; }

    /// <summary>Runs the layer and returns its output together with the final states.</summary>
    /// <param name="input">(batch, steps, features).</param>
    /// <param name="initialStates">The initial states, each (batch, units), in the cell's order (h, then c for LSTM); zeros when null.</param>
    /// <param name="training">Whether to behave as in training.</param>
    /// <exception cref="ArgumentException">The input or an initial state has the wrong shape; the message names the layer.</exception>
    public RecurrentOutput ApplyWithStates(Tensor input, IReadOnlyList<Tensor>? initialStates = null, bool training = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        InputSpec?.Check(this, input.Shape);
        EnsureBuilt(input.Shape);
        return Compute(input, initialStates);
    }

    /// <inheritdoc/>
    protected sealed override void Build(Shape inputShape)
    {
        CheckRank(inputShape);
        StepCell.EnsureBuilt(new Shape(inputShape[0], inputShape[2]));
        InputSpec = new InputSpec(MinRank: 3, LastDim: inputShape[2]);
    }

    /// <inheritdoc/>
    protected sealed override Tensor Call(Tensor input, bool training) => Compute(input, null).Output;

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["return_sequences"] = ReturnSequences;
        config["return_state"] = ReturnState;
        config["go_backwards"] = GoBackwards;
        // The cell's options (all but its name and trainable flag) sit beside the layer's: Keras's flat layout.
        foreach (var (key, value) in StepCell.GetConfig())
        {
            if (key is not ("name" or "trainable")) config[key] = value;
        }
        return config;
    }

    /// <summary>Rejects configurations that ask for what these layers do not implement (dropout, stateful, unroll, masking).</summary>
    /// <exception cref="NotSupportedException">The configuration sets one of them; the message names the key.</exception>
    protected static void RejectUnsupported(IReadOnlyDictionary<string, object?> config, string className)
    {
        foreach (var key in new[] { "dropout", "recurrent_dropout" })
        {
            if (ConfigReader.Has(config, key) && ConfigReader.GetDouble(config, key) != 0)
                throw new NotSupportedException($"{className} '{ConfigReader.GetString(config, "name")}': '{key}' = {ConfigReader.GetDouble(config, key)} is not supported; only 0.");
        }
        foreach (var key in new[] { "stateful", "unroll", "time_major" })
        {
            if (ConfigReader.Has(config, key) && ConfigReader.GetBool(config, key))
                throw new NotSupportedException($"{className} '{ConfigReader.GetString(config, "name")}': '{key}' = true is not supported.");
        }
    }

    /// <summary>The initializer stored under <paramref name="key"/>, or null (the default) when absent.</summary>
    protected static Initializer? InitializerOf(IReadOnlyDictionary<string, object?> config, string key) =>
        ConfigReader.Has(config, key) ? Initializers.FromConfig(config[key]) : null;

    private RecurrentOutput Compute(Tensor input, IReadOnlyList<Tensor>? initialStates)
    {
        CheckRank(input.Shape);
        int batch = input.Shape[0];
        if (initialStates is not null && initialStates.Count != StateCount)
            throw new ArgumentException($"{GetType().Name} '{Name}' takes {StateCount} initial states; received {initialStates.Count}.", nameof(initialStates));
        var states = new Tensor[StateCount];
        for (int i = 0; i < states.Length; i++)
        {
            var state = initialStates is null ? Tensor.Zeros(new Shape(batch, Units), input.DType, input.Device) : initialStates[i];
            if (state.Shape != new Shape(batch, Units))
                throw new ArgumentException($"{GetType().Name} '{Name}': initial state {i} must have shape ({batch}, {Units}); received {state.Shape}.", nameof(initialStates));
            states[i] = state;
        }
        var timeMajor = input.Transpose(1, 0, 2);
        if (GoBackwards) timeMajor = timeMajor.Gather(Tensor.Arange(input.Shape[1] - 1, -1, -1, DType.Int64, input.Device));
        var (sequence, final) = StepCell.RunSequence(timeMajor, states);
        return new RecurrentOutput(ReturnSequences ? sequence.Transpose(1, 0, 2) : final[0], final);
    }

    private void CheckRank(Shape shape)
    {
        if (shape.Rank != 3 || shape[1] == 0)
            throw new ArgumentException($"{GetType().Name} '{Name}' expects inputs of shape (batch, steps ≥ 1, features); received {shape}.", "input");
    }
}
