using Framework.Tensors;

namespace Framework.Layers;

/// <summary>What a recurrent layer returns with its states: Keras's <c>[output, *states]</c> of <c>return_state=True</c>.</summary>
/// <param name="Output">The layer's output: (batch, units), or (batch, steps, units) with <c>returnSequences</c>.</param>
/// <param name="States">The final states, each (batch, units): <c>[h, c]</c> for LSTM, <c>[h]</c> for GRU.</param>
public sealed record RecurrentOutput(Tensor Output, IReadOnlyList<Tensor> States);
