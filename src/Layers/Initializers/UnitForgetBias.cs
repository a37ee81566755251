using Framework.Tensors;

namespace Framework.Layers;

/// <summary>An LSTM bias with the forget gate's block set to 1 and the other blocks from an inner initializer (Keras's <c>unit_forget_bias</c>).</summary>
/// <remarks>
/// The bias is <c>[inner(units), ones(units), inner(2·units)]</c> in Keras's gate order i, f, c, o: a forget gate
/// that starts open lets gradients flow through the cell early in training (Jozefowicz et al., 2015). Used inside
/// <see cref="LstmCell"/> only; the configuration stays the inner initializer's, with <c>unit_forget_bias</c> as a
/// separate layer argument, as in Keras.
/// </remarks>
internal sealed class UnitForgetBias(Initializer inner, int units) : Initializer
{
    public override Tensor Create(Shape shape, DType dtype)
    {
        if (shape.Rank != 1 || shape[0] != 4 * units)
            throw new ArgumentException($"UnitForgetBias: the LSTM bias must have shape ({4 * units}); received {shape}.", nameof(shape));
        using var input = inner.Create(new Shape(units), dtype);
        using var forget = Tensor.Ones(new Shape(units), dtype);
        using var rest = inner.Create(new Shape(2 * units), dtype);
        return Tensor.Concat([input, forget, rest]);
    }

    public override Dictionary<string, object?> GetConfig() => inner.GetConfig();
}
