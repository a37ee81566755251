using Framework.Tensors;
using TorchTensor = TorchSharp.torch.Tensor;

namespace Framework.Torch;

public sealed partial class TorchBackend
{
    /// <inheritdoc/>
    /// <remarks>loss = −log_softmax(logits)[label]; probabilities = exp(log_softmax), both from one log-softmax pass.</remarks>
    public void SparseSoftmaxCrossEntropy(Tensor logits, Tensor labels, Tensor loss, Tensor probabilities)
    {
        using var x = View(logits);
        using var l = View(labels);
        using var index = LabelIndex(l.T);
        using var logP = x.T.log_softmax(-1);
        using var picked = logP.gather(-1, index);
        using var perRow = picked.squeeze(-1);
        Write(loss, perRow.neg());
        Write(probabilities, logP.exp());
    }

    /// <inheritdoc/>
    /// <remarks>gradLogits = probabilities · g[..., None], then −g added at each row's label.</remarks>
    public void SparseSoftmaxCrossEntropyGrad(Tensor probabilities, Tensor labels, Tensor gradLoss, Tensor gradLogits)
    {
        using var p = View(probabilities);
        using var l = View(labels);
        using var g = View(gradLoss);
        using var index = LabelIndex(l.T);
        using var column = g.T.unsqueeze(-1);
        var grad = p.T.mul(column);
        using var minus = column.neg();
        grad.scatter_add_(-1, index, minus);
        Write(gradLogits, grad);
    }

    /// <summary>The labels as an int64 index with a trailing axis of 1 (what <c>gather</c> and <c>scatter_add_</c> take).</summary>
    private static TorchTensor LabelIndex(TorchTensor labels)
    {
        if (labels.dtype == TorchSharp.torch.ScalarType.Int64) return labels.unsqueeze(-1);
        using var wide = labels.to_type(TorchSharp.torch.ScalarType.Int64);
        return wide.unsqueeze(-1);
    }
}
