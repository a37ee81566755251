namespace Framework.Tensors;

/// <summary>Computes the gradients of an op's inputs from the gradient of its output.</summary>
/// <param name="gradOutput">d loss / d output, with the output's shape.</param>
/// <returns>d loss / d input for each input, in order; null where an input needs no gradient.</returns>
internal delegate Tensor?[] BackwardFunction(Tensor gradOutput);

/// <summary>One recorded op on the tape: its inputs and how to push a gradient back through it.</summary>
internal sealed class GradNode(string op, Tensor[] inputs, BackwardFunction backward)
{
    /// <summary>The op's name, for error messages and debugging.</summary>
    public string Op { get; } = op;

    public Tensor[] Inputs { get; } = inputs;

    public BackwardFunction Backward { get; } = backward;
}
