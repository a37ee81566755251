using Framework.Layers;
using Framework.Tensors;

namespace Framework.Training.Persistence;

/// <summary>Weights of Keras 2's <c>CuDNNLSTM</c> / <c>CuDNNGRU</c> (TF 1.x era, cuDNN's layout) converted for <see cref="Lstm"/> /
/// <see cref="Gru"/>, as Keras's own loader converts them when it reads an <c>.h5</c> (<c>_convert_rnn_weights</c> in
/// keras/saving/legacy/hdf5_format.py).</summary>
/// <remarks>
/// The source is told by the bias shape, as Keras tells it: CuDNNLSTM keeps an input and a recurrent bias (8·units),
/// CuDNNGRU too (6·units), where LSTM has 4·units and GRU(reset_after=True) (2, 3·units). For each gate block, cuDNN
/// stores the input kernel as a row-major (units, features) matrix in the block's (features, units) place (Keras:
/// <c>kernel.T.reshape(kernel.shape, order="F")</c>) and the recurrent kernel transposed; the LSTM's two biases add up,
/// the GRU's become the two rows of its bias.
/// </remarks>
internal static class CudnnRecurrentWeights
{
    /// <summary>Whether <paramref name="layer"/> can take converted cuDNN weights (an LSTM or GRU with a bias).</summary>
    public static bool Applies(Layer layer, int savedCount) => savedCount == 3 && layer is Lstm { Cell.UseBias: true } or Gru { Cell.UseBias: true };

    /// <summary>Converts <paramref name="saved"/> (kernel, recurrent kernel, bias) when they are cuDNN's; returns them unchanged otherwise.</summary>
    /// <exception cref="InvalidDataException">CuDNNGRU weights for a GRU without <c>reset_after</c>, which Keras refuses too.</exception>
    public static Tensor[] ToKeras(Layer layer, Tensor[] saved, string where)
    {
        if (saved[1].Shape.Rank != 2 || saved[0].Shape.Rank != 2 || saved.Any(t => t.DType != DType.Float32)) return saved;
        int units = saved[1].Shape[0], gates = layer is Lstm ? 4 : 3;
        if (saved[2].Shape != new Shape(2 * gates * units) || saved[0].Shape[1] != gates * units || saved[1].Shape[1] != gates * units) return saved;
        if (layer is Gru { Cell.ResetAfter: false })
            throw new InvalidDataException($"{where}: CuDNNGRU weights (bias of {2 * gates * units}) fit only a GRU with resetAfter: true; layer '{layer.Name}' has resetAfter: false.");
        int features = saved[0].Shape[0];
        float[] kernel = saved[0].ToArray<float>(), recurrent = saved[1].ToArray<float>(), bias = saved[2].ToArray<float>();
        var newKernel = new float[kernel.Length];
        var newRecurrent = new float[recurrent.Length];
        int width = gates * units;
        for (int g = 0; g < gates; g++)
        {
            // The block's entries in row-major order are cuDNN's (units, features) matrix.
            for (int i = 0; i < features; i++)
                for (int j = 0; j < units; j++)
                {
                    int flat = j * features + i;
                    newKernel[i * width + g * units + j] = kernel[flat / units * width + g * units + flat % units];
                }
            for (int i = 0; i < units; i++)
                for (int j = 0; j < units; j++) newRecurrent[i * width + g * units + j] = recurrent[j * width + g * units + i];
        }
        Tensor newBias;
        if (layer is Lstm)
        {
            var sum = new float[width];
            for (int i = 0; i < width; i++) sum[i] = bias[i] + bias[width + i];
            newBias = Tensor.FromArray(sum, width);
        }
        else newBias = Tensor.FromArray(bias, 2, width);
        foreach (var tensor in saved) tensor.Dispose();
        return [Tensor.FromArray(newKernel, features, width), Tensor.FromArray(newRecurrent, units, width), newBias];
    }
}
