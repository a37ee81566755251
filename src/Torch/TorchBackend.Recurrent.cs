using Framework.Tensors;

namespace Framework.Torch;

/// <summary>The LSTM step's pointwise part as libtorch element-wise ops (see <see cref="Framework.Tensors.Backends.IBackend"/>).</summary>
/// <remarks>
/// Composed from a few libtorch kernels rather than one fused pass; the GEMMs around it are where the time goes. The gate
/// blocks are views of the (batch, 4·units) gate tensor, so the activations are applied in place as the interface asks.
/// </remarks>
public sealed partial class TorchBackend
{
    /// <inheritdoc/>
    public void LstmCellForward(Tensor gates, Tensor recurrentGates, Tensor? bias, Tensor previousCell, Tensor cell, Tensor hidden)
    {
        using var z = View(gates);
        using (var r = View(recurrentGates)) z.T.add_(r.T);
        if (bias is not null)
        {
            using var b = View(bias);
            z.T.add_(b.T);
        }
        var blocks = z.T.chunk(4, 1);
        try
        {
            var (i, f, g, o) = (blocks[0].sigmoid_(), blocks[1].sigmoid_(), blocks[2].tanh_(), blocks[3].sigmoid_());
            using var previous = View(previousCell);
            using var c = View(cell);
            using var h = View(hidden);
            using (var kept = f.mul(previous.T))
            using (var written = i.mul(g))
                c.T.copy_(kept.add_(written));
            using var squashed = c.T.tanh();
            h.T.copy_(squashed.mul_(o));
        }
        finally
        {
            foreach (var block in blocks) block.Dispose();
        }
    }

    /// <inheritdoc/>
    public void LstmCellBackward(Tensor gates, Tensor previousCell, Tensor cell, Tensor hiddenGrad, Tensor cellGrad,
        Tensor gatesGrad, Tensor previousCellGrad)
    {
        using var z = View(gates);
        using var dz = View(gatesGrad);
        var blocks = z.T.chunk(4, 1);
        var gradBlocks = dz.T.chunk(4, 1);
        try
        {
            var (i, f, g, o) = (blocks[0], blocks[1], blocks[2], blocks[3]);
            using var previous = View(previousCell);
            using var c = View(cell);
            using var dh = View(hiddenGrad);
            using var dc = View(cellGrad);
            using var squashed = c.T.tanh();
            // dcell_total = dc + dh·o·(1 − tanh²(cell))
            using var total = squashed.square().neg_().add_(1).mul_(o).mul_(dh.T).add_(dc.T);
            using (var oneMinus = o.neg().add_(1))
            using (var grad = dh.T.mul(squashed).mul_(o).mul_(oneMinus)) gradBlocks[3].copy_(grad);
            using (var oneMinus = i.neg().add_(1))
            using (var grad = total.mul(g).mul_(i).mul_(oneMinus)) gradBlocks[0].copy_(grad);
            using (var oneMinus = f.neg().add_(1))
            using (var grad = total.mul(previous.T).mul_(f).mul_(oneMinus)) gradBlocks[1].copy_(grad);
            using (var oneMinus = g.square().neg_().add_(1))
            using (var grad = total.mul(i).mul_(oneMinus)) gradBlocks[2].copy_(grad);
            using var dp = View(previousCellGrad);
            using var carried = total.mul(f);
            dp.T.copy_(carried);
        }
        finally
        {
            foreach (var block in blocks) block.Dispose();
            foreach (var block in gradBlocks) block.Dispose();
        }
    }
}
