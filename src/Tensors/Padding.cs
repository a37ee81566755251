namespace Framework.Tensors;

/// <summary>How a sliding-window op (convolution, pooling) treats the borders of its input, as in Keras.</summary>
public enum Padding
{
    /// <summary>No padding: only windows that fit entirely inside the input; the output shrinks.</summary>
    Valid,

    /// <summary>
    /// Zero padding so that the output size is <c>ceil(input / stride)</c>: TensorFlow's arithmetic, which pads
    /// <c>total / 2</c> before and the rest (one more when the total is odd) after.
    /// </summary>
    Same,

    /// <summary>Pads only before the first element, by the dilated window minus one, so no output sees a later input (1-D only).</summary>
    Causal,
}
